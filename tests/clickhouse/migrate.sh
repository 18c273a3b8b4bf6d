# migrate: a ClickHouse database an earlier gha-load made, whose
# daily_summary has the seven columns of old (its SQL as gha-load 0.1
# sent it, below), with the hour ledger (old1) or without it (old2: the
# ledger came with the first -H or -Q then), is brought up to date by the
# next open: the ledger is created, daily_summary is dropped and made anew
# with the coverage columns and bots, the events and ledger rows are kept.  Two
# loaders opening an old database at once both succeed.  Expected values
# are by hand from the one record and one ledger row below.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
rec=$(flat_rec '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","actor_login":"a","commits":2}')
ch_start
old_summary() {
	ch_q "DROP TABLE $1.daily_summary"
	ch_q "CREATE VIEW $1.daily_summary AS SELECT d AS day,
	    sum(e) AS events, sum(dv) AS developers, sum(g1) AS devs_gt1_commit,
	    sum(l1) AS devs_lt1_commit, sum(rp) AS repos_gt10_members,
	    max(ce) AS commits_estimated FROM (
	    SELECT day AS d, count() AS e, toUInt64(0) AS dv, toUInt64(0) AS g1,
	    toUInt64(0) AS l1, toUInt64(0) AS rp, toUInt8(0) AS ce
	    FROM $1.events GROUP BY day
	    UNION ALL
	    SELECT day AS d, toUInt64(0) AS e, count() AS dv,
	    countIf(commits > 1) AS g1, countIf(commits < 1) AS l1,
	    toUInt64(0) AS rp, max(commits_estimated) AS ce
	    FROM $1.dev_daily GROUP BY day
	    UNION ALL
	    SELECT day AS d, toUInt64(0) AS e, toUInt64(0) AS dv,
	    toUInt64(0) AS g1, toUInt64(0) AS l1, count() AS rp,
	    toUInt8(0) AS ce
	    FROM $1.repos_more_than_ten_members_daily GROUP BY day
	    ) GROUP BY d"
}
cols() {
	ch_q "SELECT count() FROM system.columns WHERE database = '$1'
	    AND table = 'daily_summary'"
}
for db in old1 old2 old3; do
	echo "$rec" | gha-load -q "$CH_URL/$db" || fail "load $db"
	echo '{"hour":"2015-01-01-0","status":"loaded"}' |
	    gha-load -H "$CH_URL/$db" || fail "-H $db"
	old_summary $db
	eq "$db: old columns" 7 "$(cols $db)"
done
for db in old2 old3; do
	ch_q "DROP TABLE $db.daily_coverage"
	ch_q "DROP TABLE $db.archive_hours"
	ch_q "DROP TABLE $db.archive_days"
done
gha-load -q "$CH_URL/old1" </dev/null || fail "open old1"
gha-load -Q "$CH_URL/old2" >out || fail "-Q old2"
[ ! -s out ] || fail "old2: ledger rows from nowhere: $(cat out)"
gha-load -q "$CH_URL/old3" </dev/null 2>err3 & p1=$!
gha-load -q "$CH_URL/old3" </dev/null 2>err4 & p2=$!
wait $p1 || fail "first of two loaders: $(cat err3)"
wait $p2 || fail "second of two loaders: $(cat err4)"
for db in old1 old2 old3; do
	eq "$db: columns" 21 "$(cols $db)"
done
eq "old1: ledger kept" "2015-01-01	1	1	1	0	0	0	1	0	23	0	0	0	1	0	0	0	0	\N	\N	\N" \
    "$(ch_q 'SELECT * FROM old1.daily_summary')"
eq "old2: no ledger" "2015-01-01	1	1	1	0	0	0	\N	\N	\N	\N	\N	0	1	0	0	0	0	\N	\N	\N" \
    "$(ch_q 'SELECT * FROM old2.daily_summary')"
eq "old3" "2015-01-01	1	1	1	0	0	0	\N	\N	\N	\N	\N	0	1	0	0	0	0	\N	\N	\N" \
    "$(ch_q 'SELECT * FROM old3.daily_summary')"
# Open again: nothing is dropped (the view's metadata file stays).
f=$(ls ch/data/metadata/old1/daily_summary.sql) || fail "no metadata file"
touch -d '2000-01-01' "$f"
gha-load -q "$CH_URL/old1" </dev/null || fail "reopen old1"
[ "$(find "$f" -newermt '2001-01-01' | wc -l)" -eq 0 ] ||
    fail "daily_summary was made again"
exit 0
