# An hour that 404s forever (2024-01-15-5, not in the mirror) is marked
# missing, the run still succeeds, and 2024-01-15 becomes final once its
# hours through 2024-01-16-6 are settled; coverage shows 23 loaded and 1
# missing, and daily_summary's events are the other 23 hours'.  An hour
# asked for soon after it ended (2024-01-16-7 at 08:25) that 404s is not
# published yet (gha-fetch's rule: less than two hours after its end): it
# is pending, and the next run loads it once it is there.
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 32
rm m/2024-01-15-5.json.gz
mv m/2024-01-16-7.json.gz later.json.gz
start_server s m
mkenv

GHA_START=2024-01-15 GHA_NOW=2024-01-16T08:10:00Z gha-daily 2>err ||
    fail "exit $?: $(cat err)"
eq "missing" "2024-01-15-5 missing -" "$(ledger | grep -v ' loaded ')"
hours 2024-01-15-0 2024-01-15-23 | grep -vx 2024-01-15-5 >h
expected m $(cat h) >want
eq "coverage" "2024-01-15|23|1|0|1|0|23
2024-01-16|7|0|17|0|0|7" "$(q 'SELECT * FROM daily_coverage ORDER BY day')"
eq "events" "2024-01-15|$(sumof want)" \
    "$(q "SELECT day, events FROM daily_summary WHERE day = '2024-01-15'")"

# The not-yet-published hour: pending, then loaded once it appears.
GHA_NOW=2024-01-16T08:25:00Z gha-daily 2>err || fail "exit $?: $(cat err)"
eq "pending" "2024-01-16-7 pending -" "$(ledger | grep 2024-01-16-7)"
mv later.json.gz m/2024-01-16-7.json.gz
GHA_NOW=2024-01-16T09:20:00Z gha-daily 2>err || fail "exit $?: $(cat err)"
eq "published" "2024-01-16-7 loaded $(expected m 2024-01-16-7 | cut -d ' ' -f 2)" \
    "$(ledger | grep 2024-01-16-7)"
eq "asked for the missing hour" 1 "$(reqs 'GET /2024-01-15-5\.')"
eq "still missing" "2024-01-15|23|1|0|1|0|23" \
    "$(q "SELECT * FROM daily_coverage WHERE day = '2024-01-15'")"
