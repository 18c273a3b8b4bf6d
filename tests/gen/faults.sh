# -D injects faults that gha-decode reports one each, while every event
# is still decoded; -B adds one long line that -L can refuse.
. "$TESTS/lib.sh"
gha-gen -n 4000 -s 9 -D 0.03 2015 >d 2>err || fail "gen -D"
k=$(sed -n 's/^gha-gen: injected \([0-9]*\) dirty lines.*/\1/p' err)
[ -n "$k" ] && [ "$k" -gt 50 ] || fail "report: $(cat err)"
status 1 gha-decode d >rec 2>derr
grep -q "4000 records, $k rejected lines" derr || fail "$(tail -1 derr)"
# The events are the ones written without -D.
gha-gen -n 4000 -s 9 2015 | gha-decode -q >clean || fail "clean decode"
cmp -s rec clean || fail "faults changed the good events"
# Without -D nothing is reported.
gha-gen -n 10 2>err >/dev/null
[ ! -s err ] || fail "stderr without -D: $(cat err)"

gha-gen -n 100 -B 3M 2024 >big || fail "gen -B"
max=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' big)
[ "$max" -gt 3000000 ] || fail "longest line $max bytes"
gha-decode -q big >rec || fail "decode -B"
eq "records with the long line" 101 "$(lines rec)"
status 1 gha-decode -q -L 1M big >rec
eq "records without the long line" 100 "$(lines rec)"
exit 0
