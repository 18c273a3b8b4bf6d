# cluster-shards: 2 shards x 1 replica.  gha-load into ?cluster=gha_c
# makes every table a Distributed table over replicated shards: the rows
# land on both shards, each identity on one only, and every metric view
# and daily_coverage reads the same rows as SQLite's loaded with the same
# records, ledger and resolved commit counts; a second load inserts
# nothing and changes nothing, through either node.  The aggregates are
# whole on each node, the same rows on both once the loads end.  A cluster the
# servers do not know is an error.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/cluster.subr"
. "$TESTS/clickhouse/records.subr"

parity_records
want=$(jq -r '[.id, .created_at] | @tsv' recs | sort -u | wc -l | tr -d ' ')
parity_ledger

cl_start 2 1
T="http://$(cl_hosts)/gha?cluster=gha_c"
# A cluster the servers do not know: exit 4, saying so; nothing made.
gha-load -w 0 "http://127.0.0.1:$CL_HTTP_1/gha?cluster=nope" <recs 2>err0
eq "exit status, unknown cluster" 4 $?
grep -q "^gha-load: http://127.0.0.1:$CL_HTTP_1: no cluster nope in the \
server's remote_servers" err0 || fail "unknown cluster: $(cat err0)"
eq "databases made" "" "$(cl_q 1 "SELECT name FROM system.databases WHERE \
name = 'gha'")"
gha-load -q "$T" <recs || fail "first cluster load failed"
gha-load -H "$T" <ledger || fail "-H"
gha-load -H "$T" <ledger2 || fail "-H (second)"
# Again, through node 2 first: nothing new.
T2="http://127.0.0.1:$CL_HTTP_2,127.0.0.1:$CL_HTTP_1/gha?cluster=gha_c"
gha-load "$T2" <recs 2>err2 || fail "second cluster load failed: $(cat err2)"
grep -q " 0 inserted, $(lines recs) duplicates" err2 ||
    fail "reload inserted rows: $(cat err2)"
gha-load -q gha.db <recs || fail "SQLite load failed"
gha-load -H gha.db <ledger && gha-load -H gha.db <ledger2 || fail "-H SQLite"

# Resolved commit counts (--commits), as parity.sh stores them: twice
# into the cluster, the second time all duplicates.
jq -c 'select(.type == "PushEvent" and .commits == null and .push_id != null
    and .head != null and .before != null and .repo_name != null) |
    (.push_id % 5) as $k | select($k < 4) |
    {repo_name, push_id, created_at, before, head,
    commits: (if $k == 2 then null elif $k == 3 then 0
        else .push_id % 4 end),
    source: (["git", "api", "api", "rule"][$k]),
    state: (if $k == 2 then "gone" else "resolved" end)}' recs >res.ndjson
[ "$(lines res.ndjson)" -gt 10 ] || fail "too few slim pushes to resolve"
gha-load -q --commits "$T" <res.ndjson || fail "--commits (cluster)"
gha-load --commits "$T2" <res.ndjson 2>err3 || fail "--commits again"
grep -q " 0 inserted, $(lines res.ndjson) duplicates" err3 ||
    fail "--commits again: $(cat err3)"
gha-load -q --commits gha.db <res.ndjson || fail "--commits (SQLite)"
eq "resolved pushes in daily_summary" \
    "$(jq -s 'map(select(.state == "resolved")) | length' res.ndjson)" \
    "$(cl_q 2 'SELECT sum(pushes_git + pushes_api + pushes_rule) FROM
    gha.daily_summary')"

eq "engine of the shards" "ReplicatedReplacingMergeTree" \
    "$(cl_q 1 "SELECT engine FROM system.tables WHERE database = 'gha'
    AND name = 'event_store_shard'")"
cl_q 1 "SHOW CREATE TABLE gha.event_store" | grep -q \
    "ENGINE = Distributed(gha_c, gha, event_store_shard, cityHash64(created_at, id))" ||
    fail "event_store: $(cl_q 1 'SHOW CREATE TABLE gha.event_store')"
# (TSV escapes the quotes)
cl_q 2 "SHOW CREATE TABLE gha.archive_hours_shard" | grep -qF \
    "ReplicatedReplacingMergeTree(\\'/clickhouse/tables/gha_c/{shard}/gha/archive_hours\\', \\'{replica}\\', version)" ||
    fail "archive_hours_shard: $(cl_q 2 'SHOW CREATE TABLE gha.archive_hours_shard')"
# Each shard holds part of the events, no identity on both.
n1=$(cl_q 1 "SELECT count() FROM gha.event_store_shard FINAL")
n2=$(cl_q 2 "SELECT count() FROM gha.event_store_shard FINAL")
[ "$n1" -gt $((want / 4)) ] && [ "$n2" -gt $((want / 4)) ] ||
    fail "rows not spread over the shards: $n1 and $n2 of $want"
eq "shards' rows" "$want" "$((n1 + n2))"
cl_q 1 "SELECT id, created_at FROM gha.event_store_shard" | sort -u >ids1
cl_q 2 "SELECT id, created_at FROM gha.event_store_shard" | sort -u >ids2
eq "identities on both shards" 0 "$(comm -12 ids1 ids2 | wc -l | tr -d ' ')"
for n in 1 2; do
	eq "distinct events through node $n" "$want" \
	    "$(cl_q $n 'SELECT count() FROM gha.events')"
done
# The aggregates are whole on each node (not split by shard), the same
# rows on both the moment the loads end; no staging table is left.
for t in agg_by_day agg_owner_repo agg_actor agg_created agg_marks; do
	for n in 1 2; do
		cl_q $n "SELECT * FROM gha.$t FORMAT TSV" | LC_ALL=C sort \
		    >"$t.n$n"
		eq "${t}_shard on node $n" "" "$(cl_q $n "SELECT name FROM \
system.tables WHERE database = 'gha' AND name = '${t}_shard'")"
	done
	[ -s "$t.n1" ] || fail "$t is empty"
	cmp -s "$t.n1" "$t.n2" || fail "$t differs between the nodes"
done
eq "days with aggregates" \
    "$(jq -r '.created_at[0:10]' recs | sort -u | wc -l | tr -d ' ')" \
    "$(cl_q 2 "SELECT count() FROM gha.agg_by_day WHERE kind = 'day'")"
eq "staging tables" "0 0" "$(cl_q 1 "SELECT count() FROM system.tables WHERE \
startsWith(name, 'agg_stage_')") $(cl_q 2 "SELECT count() FROM system.tables \
WHERE startsWith(name, 'agg_stage_')")"
[ "$(cl_q 1 "SELECT count() FROM gha.archive_hours_shard") $(cl_q 2 \
    "SELECT count() FROM gha.archive_hours_shard")" != "0 0" ] ||
    fail "no ledger rows on the shards"

cl_like_sqlite node actor_daily dev_daily devs_more_than_one_commit_daily \
    devs_less_than_one_commit_daily repos_more_than_ten_members_daily \
    devs_owning_multiple_repos daily_coverage daily_summary
exit 0
