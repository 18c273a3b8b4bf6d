# gha-load --defer-metrics into ClickHouse stores the events but leaves
# their days due (agg_marks) and the aggregates as they were; so does a
# -H write with it; the next open without it (here -Q) recomputes them:
# daily_summary then counts every event (counted with jq, not gha).
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built (make testbin)"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
"$TBIN/gha-gen" -n 300 -s 3 -H 2024-01-15-5 2024 | gha-decode -q >recs ||
    fail "gha-gen | gha-decode"
want=$(jq -r 'select(.created_at | startswith("2024-01-15"))' recs | jq -s length)
[ "$want" -gt 100 ] || fail "too few records of 2024-01-15"
ch_start
T=$CH_URL/gha
day() {
	ch_q "SELECT events FROM gha.daily_summary WHERE day = '2024-01-15'"
}

head -n 100 recs | gha-load -q "$T" || fail "first load"
gha-load -q --defer-metrics "$T" <recs || fail "deferred load: exit $?"
eq "events stored" "$(wc -l <recs | tr -d ' ')" \
    "$(ch_q 'SELECT count() FROM gha.events')"
eq "metrics of before" 100 "$(day)"
echo '{"hour":"2024-01-15-5","status":"pending"}' |
    gha-load --defer-metrics -H "$T" || fail "-H --defer-metrics"
eq "metrics of before, after -H" 100 "$(day)"
gha-load -Q "$T" >/dev/null || fail "-Q"
eq "metrics after an open" "$want" "$(day)"
gha-load --defer-metrics -Q "$T" >/dev/null 2>err
eq "-Q" 2 $?
exit 0
