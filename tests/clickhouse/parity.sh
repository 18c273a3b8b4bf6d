# parity: the same records and the same hour ledger loaded into SQLite and
# into ClickHouse give the same rows in every metric view and in
# daily_coverage (NULLs included: daily_summary's coverage of days the
# ledger does not know), and loading them again changes nothing.
#
# Input: every era of the shared samples (2012 timeline hours, 2015 hours
# of which two are byte-identical copies, 2026 slim events) decoded by
# gha-decode, plus synthetic records for what the samples lack: a repo
# with 12 pushers in a day (repos_more_than_ten_members_daily), owners
# whose case differs from the login, pushes with unknown commits, no
# actor, no type, a repo_name without an owner.  The expected rows are
# SQLite's (its own views, tested in tests/load); the independent checks
# are the distinct (id, created_at) count from sort -u and the synthetic
# repo's 12 members, known by construction.  Afterwards every row is
# stored twice behind ClickHouse's back, and the views must not change.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
. "$TESTS/clickhouse/records.subr"

parity_records
sort -u recs >recs.u
# The identity is (id, created_at): count distinct pairs independently.
want=$(jq -r '[.id, .created_at] | @tsv' recs | sort -u | wc -l | tr -d ' ')

ch_start
gha-load -q "$CH_URL/gha" <recs || fail "first ClickHouse load failed"
gha-load "$CH_URL/gha" <recs.u 2>err2 || fail "second ClickHouse load failed"
grep -q " 0 inserted" err2 || fail "reload inserted rows: $(cat err2)"
gha-load -q gha.db <recs || fail "SQLite load failed"

# The ledger (records.subr): hours of every status, an hour stored twice
# (the second row wins), days final and not, a day without events
# (2019-06-01), and days with events but no ledger row (2012, 2026),
# whose coverage is NULL.
parity_ledger
for t in "$CH_URL/gha" gha.db; do
	gha-load -H "$t" <ledger || fail "-H $t"
	gha-load -H "$t" <ledger2 || fail "-H $t (second)"
done
# By hand: 2015-01-01 has hours 3 4 5 loaded, 6 missing, 7 corrupt, 19
# pending.
eq "coverage of 2015-01-01" "2015-01-01	3	1	19	1	1	3" \
    "$(ch_q "SELECT * FROM gha.daily_coverage WHERE day = '2015-01-01'")"
eq "a day without events" "2019-06-01	0	0	0	0	0	0	0	2	22	0	0	0	0	0	0	0	0	\N	\N	\N" \
    "$(ch_q "SELECT * FROM gha.daily_summary WHERE day = '2019-06-01'")"

eq "distinct events in ClickHouse" "$want" \
    "$(ch_q 'SELECT count() FROM gha.events')"
eq "members of big/r" "12" "$(ch_q "SELECT members FROM \
gha.repos_more_than_ten_members_daily WHERE repo_name = 'big/r'")"

# Resolved counts of slim pushes (gha-load --commits): by git, the API,
# rule, gone, and none, chosen by push_id; stored twice in ClickHouse.
jq -c 'select(.type == "PushEvent" and .commits == null and .push_id != null
    and .head != null and .before != null and .repo_name != null) |
    (.push_id % 5) as $k | select($k < 4) |
    {repo_name, push_id, created_at, before, head,
    commits: (if $k == 2 then null elif $k == 3 then 0
        else .push_id % 4 end),
    source: (["git", "api", "api", "rule"][$k]),
    state: (if $k == 2 then "gone" else "resolved" end)}' recs >res.ndjson
[ "$(lines res.ndjson)" -gt 10 ] || fail "too few slim pushes to resolve"
gha-load -q --commits "$CH_URL/gha" <res.ndjson || fail "--commits (ClickHouse)"
gha-load --commits "$CH_URL/gha" <res.ndjson 2>err3 || fail "--commits again"
grep -q " 0 inserted, $(lines res.ndjson) duplicates" err3 ||
    fail "--commits again: $(cat err3)"
gha-load -q --commits gha.db <res.ndjson || fail "--commits (SQLite)"
eq "resolved pushes in daily_summary" \
    "$(jq -s 'map(select(.state == "resolved")) | length' res.ndjson)" \
    "$(ch_q 'SELECT sum(pushes_git + pushes_api + pushes_rule) FROM gha.daily_summary')"

# Copies that no merge has folded yet (as two loaders racing would leave)
# must not count: store every row a second time, merges stopped.
ch_q "SYSTEM STOP MERGES gha.event_store"
ch_q "INSERT INTO gha.event_store SELECT * FROM gha.event_store"
ch_q "SYSTEM STOP MERGES gha.push_commits"
ch_q "INSERT INTO gha.push_commits SELECT * FROM gha.push_commits"
eq "raw rows" "$((2 * want))" "$(ch_q 'SELECT count() FROM gha.event_store')"
eq "distinct events with copies" "$want" \
    "$(ch_q 'SELECT count() FROM gha.events')"

like_sqlite ClickHouse ch_qr actor_daily dev_daily \
    devs_more_than_one_commit_daily devs_less_than_one_commit_daily \
    repos_more_than_ten_members_daily devs_owning_multiple_repos \
    daily_coverage daily_sources daily_union daily_summary
# Bots were compared: the 2015 hours' mirror-updates (the default list)
# and [bot] logins are in actor_daily, and in no developer's view.
[ "$(ch_q "SELECT sum(bots) FROM gha.daily_summary")" -gt 1 ] ||
    fail "no bots counted"
if have_samples; then	# (generated hours have no mirror-updates)
	eq "mirror-updates a bot" "1" "$(ch_q "SELECT DISTINCT bot FROM
	    gha.actor_daily WHERE actor_login = 'mirror-updates'")"
fi
eq "bots are bots" "1" "$(ch_q "SELECT DISTINCT bot FROM gha.actor_daily
    WHERE actor_login = 'mirror-updates' OR actor_login LIKE '%[bot]'")"
eq "bots among developers" "0" "$(ch_q "SELECT count() FROM gha.dev_daily
    WHERE actor_login = 'mirror-updates' OR actor_login LIKE '%[bot]'")"
# NULL coverage was compared, not only numbers.
grep -q '	\\N	\\N	\\N	\\N	[0-9]*	[0-9]*	[0-9]*	[0-9]*	[0-9]*	[0-9]*	\\N	\\N	\\N$' daily_summary.ch ||
    fail "no day without a ledger row in daily_summary"
# Two sources on 2015-01-01: the union of hour 3 and its id gap.
eq "sources in daily_summary" "2	1	5" "$(ch_q "SELECT sources, union_events,
    id_gap FROM gha.daily_summary WHERE day = '2015-01-01'")"
exit 0
