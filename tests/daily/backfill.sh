# gha-backfill: -n prints the plan (what is loaded already, what would be
# loaded, what is not published yet) and touches nothing; -j 3 loads a
# range, hours 404ing long ago are missing; a rerun skips what the ledger
# has; an overlapping range loads only the new hours; -m asks again for
# missing hours.  Events are exactly the mirror's (counted with zcat).
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 10
rm m/2024-01-15-4.json.gz
start_server s m
mkenv
export GHA_NOW=2024-01-16T00:00:00Z

gha-backfill -n 2024-01-15-0..2024-01-15-5 >plan 2>err || fail "-n: exit $?"
eq "plan" "2024-01-15-0 load
2024-01-15-1 load
2024-01-15-2 load
2024-01-15-3 load
2024-01-15-4 load
2024-01-15-5 load" "$(cat plan)"
[ -e gha.db ] && fail "-n created the database"

gha-backfill -j 3 2024-01-15-0..2024-01-15-5 2>err || fail "exit $?: $(cat err)"
eq "summary" "gha-backfill: 5 hours loaded, $(expected m 2024-01-15-0 \
    2024-01-15-1 2024-01-15-2 2024-01-15-3 2024-01-15-5 >w1; sumof w1) events, 0 bad lines; 1 missing" \
    "$(cat err)"
eq "missing" "2024-01-15-4 missing -" "$(ledger | grep -v ' loaded ')"
n=$(reqs GET)

gha-backfill -n 2024-01-15-3..2024-01-15-7 >plan || fail "-n again"
eq "resumable plan" "2024-01-15-3 skip (loaded)
2024-01-15-4 skip (missing)
2024-01-15-5 skip (loaded)
2024-01-15-6 load
2024-01-15-7 load" "$(cat plan)"
gha-backfill 2024-01-15-0..2024-01-15-7 2>err || fail "exit $?: $(cat err)"
eq "only the new hours fetched" $((n + 2)) "$(reqs GET)"
gha-backfill -m 2024-01-15-4 2>err || fail "-m: exit $?"
eq "missing asked again" 2 "$(reqs 'GET /2024-01-15-4\.')"
hours 2024-01-15-0 2024-01-15-7 | grep -vx 2024-01-15-4 >h
expected m $(cat h) >want
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
eq "ledger" "$(ledger | grep -c ' loaded ')" 7
# Not published yet: exit 3, and nothing is marked for the future hour.
gha-backfill 2024-01-16-0 2>err
eq "future" 3 $?
grep -q '1 not published yet' err || fail "$(cat err)"
