# Health checks fail the run loudly, after loading what there is: an hour
# with far fewer events than the median of the hours before it (2 events
# where the others have 20 to 32), and a newest loaded hour too old
# (GHA_NOW long after the last hour the mirror has: the rest 404).
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 16
"$TBIN/gha-gen" -z -n 2 -s 7 -H 2024-01-15-14 -o m 2>/dev/null || fail gha-gen
start_server s m
mkenv
export GHA_START=2024-01-15

GHA_NOW=2024-01-15T16:20:00Z gha-daily 2>err
eq "thin hour" 1 $?
grep -q '^  2024-01-15-14: 2 events, far below the median of the 168 hours before it (2[0-9]\(\.5\)*)$' err ||
    fail "thin: $(cat err)"
eq "still loaded" 16 "$(ledger | grep -c ' loaded ')"
grep -q 'PROBLEM: 2024-01-15-14: 2 events' log/gha-daily.log || fail log

# Six hours later nothing new is published: lag 7h.
GHA_NOW=2024-01-15T23:00:00Z gha-daily 2>err
eq "lag" 1 $?
grep -q '^  the newest loaded hour, 2024-01-15-15, is 7h00m old (more than 4 hours)$' err ||
    fail "lag: $(cat err)"
grep -q 'hours not published yet\|not published yet' err || fail "$(cat err)"
