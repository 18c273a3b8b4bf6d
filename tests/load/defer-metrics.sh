# gha-load --defer-metrics stores the events but leaves their days marked
# (agg_dirty) and their metrics as they were; so does a -H write with it;
# the next open without it (here -Q) recomputes them: daily_summary then
# counts every event (counted with jq, not gha).  Refused with -Q
# (exit 2).  ClickHouse's: tests/clickhouse/defer-metrics.sh.
. "$TESTS/lib.sh"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built (make testbin)"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is not installed"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
"$TBIN/gha-gen" -n 300 -s 3 -H 2024-01-15-5 2024 | gha-decode -q >recs ||
    fail "gha-gen | gha-decode"
want=$(jq -r 'select(.created_at | startswith("2024-01-15"))' recs | jq -s length)
[ "$want" -gt 0 ] || fail "no record of 2024-01-15"

head -n 100 recs | gha-load -q g.db || fail "first load"
gha-load -q --defer-metrics g.db <recs || fail "deferred load: exit $?"
eq "events stored" "$(wc -l <recs | tr -d ' ')" \
    "$(sqlite3 g.db 'SELECT count(*) FROM events')"
eq "marked" 1 "$(sqlite3 g.db 'SELECT count(*) FROM agg_dirty')"
eq "metrics of before" 100 "$(sqlite3 g.db "SELECT events FROM daily_summary WHERE day = '2024-01-15'")"
echo '{"hour":"2024-01-15-5","status":"pending"}' |
    gha-load --defer-metrics -H g.db || fail "-H --defer-metrics"
eq "still marked" 1 "$(sqlite3 g.db 'SELECT count(*) FROM agg_dirty')"

gha-load -Q g.db >/dev/null || fail "-Q"
eq "marks after an open" 0 "$(sqlite3 g.db 'SELECT count(*) FROM agg_dirty')"
eq "metrics after an open" "$want" \
    "$(sqlite3 g.db "SELECT events FROM daily_summary WHERE day = '2024-01-15'")"

gha-load --defer-metrics -Q g.db >/dev/null 2>err
eq "-Q" 2 $?
