# Every era field by field against python (eras.py), on generated events:
# gha-gen's 2015, 2024 and 2026 shapes and timeline events made from them
# (tests/timeline.jq), so that the per-field checks run without the
# samples too.  eras.sh runs them on the real samples of every era.
. "$TESTS/lib.sh"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built"
check() {	# check FILE COUNT
	gha-decode -q "$1" >rec.json || fail "$1: decode failed"
	eq "$1 records" "$2" "$(lines rec.json)"
	r=$(zcat -f "$1" | python3 "$TESTS/decode/eras.py" rec.json)
	eq "$1 fields" "ok $2" "$r"
}
for s in 2015 2024 2026; do
	gha-gen -n 3000 -s 11 $s >$s.json || fail "gha-gen $s"
	check $s.json 3000
done
gen_timeline 3000 11 >timeline.json || fail "timeline events"
check timeline.json 3000
eq "anonymous gists" 75 "$(gha-decode -q timeline.json |
    jq -c 'select(.actor_login == null)' | lines /dev/stdin)"
