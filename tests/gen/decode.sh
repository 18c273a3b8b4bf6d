# gha-decode reads every generated event with no reject; commits equals
# payload.size (computed by jq from the raw events) in 2015 and 2024 and
# is null in 2026; src comes from the archive-like file name.
. "$TESTS/lib.sh"
for s in 2015 2024 2026; do
	mkdir $s
	gha-gen -z -n 2500 -s 2 -o $s $s || fail "gen $s"
	f=$(ls $s/*.json.gz)
	gha-decode "$f" >rec 2>err || fail "$s: decode: $(cat err)"
	grep -q '2500 records, 0 rejected' err || fail "$s: $(cat err)"
	hour=$(basename "$f" .json.gz)
	eq "$s src" "$hour" "$(jq -r .src rec | sort -u)"
	gzip -dc "$f" | jq -r 'select(.type=="PushEvent") |
	    "\(.id) \(.payload.size)"' | sort >want
	jq -r 'select(.type=="PushEvent") | "\(.id) \(.commits)"' rec |
	    sort >got
	[ -s want ] || fail "$s: no pushes"
	cmp -s want got || fail "$s: commits differ from payload.size"
done
eq "2026 commits" null "$(jq -r 'select(.type=="PushEvent")|.commits' rec |
    sort -u)"
exit 0
