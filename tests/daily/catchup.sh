# Three missed days, then catch-up: a first run at 2024-01-15T06:15Z loads
# the six published hours of the day; the job then does not run for three
# days.  With catchup_days=2 the run at 2024-01-18T06:15Z loads 48 hours
# (2024-01-15-6 .. 2024-01-17-5), says how many are left and fails the lag
# check loudly (exit 1, summary on stderr); the next run loads the rest,
# up to 2024-01-18-5, and is silent.  2024-01-17 is not final yet: its
# last hour, 2024-01-18-6 (final_hour), is not published at 06:15.  Every hour is loaded once and the
# events are exactly the mirror's (counted with zcat).  Cached hours older
# than cache_days are pruned.
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 80
start_server s m
mkenv catchup_days=2 cache_days=1

GHA_START=2024-01-15 GHA_NOW=2024-01-15T06:15:00Z gha-daily 2>err ||
    fail "first: exit $?: $(cat err)"
eq "first" 6 "$(ledger | grep -c ' loaded ')"

GHA_NOW=2024-01-18T06:15:00Z gha-daily 2>err
eq "lagging run" 1 $?
eq "loaded" 54 "$(ledger | grep -c ' loaded ')"
grep -q '^gha-daily: test: FAILED (exit 1): 48 hours loaded (2024-01-15-6 .. 2024-01-17-5), .*; 24 more hours to catch up$' err ||
    fail "summary: $(cat err)"
grep -q '^  the newest loaded hour, 2024-01-17-5, is 24h15m old (more than 4 hours)$' err ||
    fail "lag: $(cat err)"

GHA_NOW=2024-01-18T06:15:00Z gha-daily 2>err || fail "catch-up: exit $?: $(cat err)"
eq "silent" "" "$(cat err)"
hours 2024-01-15-0 2024-01-18-5 >h
expected m $(cat h) >want
eq "ledger" "$(awk '{ print $1, "loaded", $2 }' want)" "$(ledger)"
eq "requests, one per hour" 78 "$(reqs GET)"
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
# cache_days=1: only the hours that ended after 2024-01-17T06:15 stay.
eq "cache" "$(hours 2024-01-17-6 2024-01-18-5 | sed 's/$/.json.gz/' | sort)" \
    "$(ls cache | sort)"
eq "finality" "2024-01-15|1 2024-01-16|1 2024-01-17|0 2024-01-18|0" \
    "$(q 'SELECT day, final FROM daily_coverage ORDER BY day' | tr '\n' ' ' |
    sed 's/ $//')"
