# rollup: the metric views over ch_rollup.c's per-day aggregates give the
# rows (and column types) of the views they replaced, FINAL over the
# events at every query (old-views.sql, made beside them), whatever way the
# events came: parity.sh's records (every era: 2012 timeline hours, 2015
# hours two of them byte-identical, 2026 slim events, synthetic 2020
# records) cut into pieces, loaded out of order, one piece twice and
# one piece in batches of 500; then resolved pushes (--commits), then a
# changed list of bots (every day recomputed), then copies stored behind
# gha-load's back (the aggregates are of distinct events already); then
# an older recompute's rows beside a day's; then two loaders at once on
# the same days.  After each step every view is compared.  Each load
# recomputes only the days it stored (its "metrics of N days" under -v,
# against the days of its piece counted by jq), and no staging table is
# left.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
. "$TESTS/clickhouse/records.subr"
. "$TESTS/clickhouse/rollup.subr"

parity_records
split -n l/5 recs piece.
ndays=$(jq -r '.created_at[0:10]' recs | sort -u | wc -l | tr -d ' ')
[ "$ndays" -ge 4 ] || fail "only $ndays days in the records"

ch_start
U=$CH_URL/gha
gha-load -q "$U" </dev/null || fail "open"
old_views gha
for p in piece.ad piece.ab piece.ae piece.ab; do
	want=$(jq -r '.created_at[0:10]' $p | sort -u | wc -l | tr -d ' ')
	gha-load -v "$U" <$p 2>err || fail "load $p: $(cat err)"
	grep -q "the metrics of $want day" err ||
	    fail "load $p: not $want days recomputed: $(cat err)"
done
same_views gha "(4 pieces out of order, one twice)"
gha-load -q --batch 500 "$U" <piece.aa || fail "load piece.aa"
gha-load -q "$U" <piece.ac || fail "load piece.ac"
same_views gha "(every piece)"
eq "distinct events" \
    "$(jq -r '[.id, .created_at] | @tsv' recs | sort -u | wc -l | tr -d ' ')" \
    "$(ch_q 'SELECT count() FROM gha.events')"
eq "days with aggregates" "$ndays" \
    "$(ch_q "SELECT count() FROM gha.agg_by_day WHERE kind = 'day'")"
eq "members of big/r" 12 "$(ch_q "SELECT members FROM
    gha.repos_more_than_ten_members_daily WHERE repo_name = 'big/r'")"

# Resolved counts of slim pushes (as parity.sh makes them), twice.
jq -c 'select(.type == "PushEvent" and .commits == null and .push_id != null
    and .head != null and .before != null and .repo_name != null) |
    (.push_id % 5) as $k | select($k < 4) |
    {repo_name, push_id, created_at, before, head,
    commits: (if $k == 2 then null elif $k == 3 then 0
        else .push_id % 4 end),
    source: (["git", "api", "api", "rule"][$k]),
    state: (if $k == 2 then "gone" else "resolved" end)}' recs >res.ndjson
[ "$(lines res.ndjson)" -gt 10 ] || fail "too few slim pushes to resolve"
gha-load -q --commits "$U" <res.ndjson || fail "--commits"
gha-load -q --commits "$U" <res.ndjson || fail "--commits again"
[ "$(ch_q 'SELECT sum(pushes_git + pushes_api + pushes_rule) FROM
    gha.daily_summary')" -gt 0 ] || fail "no resolved pushes counted"
same_views gha "(resolved pushes)"

# Another list of bots: u1 and u2 are bots now (big/r has 10 members).
{ cat "$ROOT/scripts/bots"; echo u1; echo u2; } >bots
GHA_BOTS=$PWD/bots gha-load -v "$U" </dev/null 2>err || fail "new bots"
old_views gha
same_views gha "(another list of bots)" repos_more_than_ten_members_daily
eq "big/r with two bots" "" "$(ch_q "SELECT members FROM
    gha.repos_more_than_ten_members_daily WHERE repo_name = 'big/r'")"
gha-load -q "$U" </dev/null || fail "the list of before"
same_views gha "(the list of bots of before)"

# Copies behind gha-load's back, merges stopped: nothing changes.
ch_q "SYSTEM STOP MERGES gha.event_store"
ch_q "INSERT INTO gha.event_store SELECT * FROM gha.event_store"
same_views gha "(every event stored twice)"
eq "staging tables left" 0 "$(ch_q "SELECT count() FROM system.tables
    WHERE database = 'gha' AND name LIKE 'agg_stage%'")"

# Two swaps of one day at once may leave both recomputes' rows (18.16's
# REPLACE PARTITION takes the range it drops before its lock), when the
# loader is killed before it swaps again: made here, an older
# recompute's rows with other numbers beside the day's.  The next open
# recomputes that day alone, and one set is left.
d1=$(ch_q "SELECT min(day) FROM gha.agg_by_day")
sets="SELECT count() FROM gha.agg_by_day WHERE day = '$d1' AND kind = 'day'"
ch_q "INSERT INTO gha.agg_by_day (day, kind, name, ver, events, pushes,
    commits, members, developers) SELECT day, kind, name, ver - 1,
    events + 1, pushes + 1, commits + 5, members + 1, developers + 1
    FROM gha.agg_by_day WHERE day = '$d1'"
eq "recomputes of $d1" 2 "$(ch_q "$sets")"
others="SELECT groupArray(ver) FROM (SELECT ver FROM gha.agg_by_day
    WHERE kind = 'day' AND day != '$d1' ORDER BY day)"
ch_q "$others" >vers
gha-load -q "$U" </dev/null 2>err || fail "open: $(cat err)"
eq "recomputes of $d1 after the open" 1 "$(ch_q "$sets")"
eq "the other days' recomputes" "$(cat vers)" "$(ch_q "$others")"
same_views gha "(one recompute again)"

# Two loaders at once on the same days (overlapping pieces, small batches,
# as the workers of a backfill): when both have ended, the views are
# exact, without another open.
gha-load -q "$CH_URL/two" </dev/null || fail "open two"
old_views two
cat piece.aa piece.ab piece.ac >left
cat piece.ac piece.ad piece.ae >right
gha-load -q --batch 3000 "$CH_URL/two" <left 2>err1 & p1=$!
gha-load -q --batch 3000 "$CH_URL/two" <right 2>err2 & p2=$!
wait $p1 || fail "first of two loaders: $(cat err1)"
wait $p2 || fail "second of two loaders: $(cat err2)"
same_views two "(two loaders at once)"
exit 0
