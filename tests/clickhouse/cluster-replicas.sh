# cluster-replicas: 1 shard x 2 replicas (inserts wait for both, the
# quorum).  kill -9 of the replica gha-load talks to, in the middle of a
# load: it goes on through the other server and says so, waits while the
# quorum cannot be met, and finishes once the killed one is back, every
# event once.  kill -9 of the other replica with a short -w: the load
# stops with exit 4 and says why; the rerun, once the replica is back,
# is exact, and both replicas hold every event the moment it ends.  kill
# -9 of the replica gha-load talks to in the middle of a recompute of the
# aggregates: the pass begins again on the other and ends once the killed
# one is back.  Every metric view, read on either replica, has the rows
# of SQLite loaded with the same records.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/cluster.subr"
. "$TESTS/clickhouse/records.subr"

parity_records
want=$(jq -r '[.id, .created_at] | @tsv' recs | sort -u | wc -l | tr -d ' ')
total=$(lines recs)
half=$((total / 2))
gha-load -q gha.db <recs || fail "SQLite load failed"

cl_start 1 2
T="http://127.0.0.1:$CL_HTTP_1,127.0.0.1:$CL_HTTP_2/gha?cluster=gha_c"
gha-load -q "$T" </dev/null || fail "schema"
eq "quorum" 0 "$(cl_q 1 "SELECT count() FROM gha.event_store")"

# feed_kill NODE WAIT: gha-load -w WAIT reads recs through a fifo; once
# NODE's replica holds 3000 rows, kill it; the rest of recs follows (in
# the background: gha-load may wait a long while before it reads on).
feed_kill() {
	rm -f in go
	mkfifo in
	gha-load -w "$2" --batch 500 "$T" <in 2>err &
	pid=$!
	{
		head -n "$half" recs
		w=0
		until [ -e go ] || [ $w -ge 1800 ]; do sleep 0.1; w=$((w + 1)); done
		tail -n +"$((half + 1))" recs
	} >in &
	i=0
	until [ "$(curl -s --data-binary "SELECT count() FROM \
gha.event_store_shard" "$(cl_url "$1")/")" -ge 3000 ] 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "the first batches never arrived"
		sleep 0.1
	done
	cl_node_kill "$1"
	touch go
}

# 1. The server in use dies; the other takes over, the quorum waits for
# the dead one, which comes back.
feed_kill 1 120
sleep 3
cl_node_start 1
wait $pid
rc=$?
cat err >&2
eq "exit status, server in use killed" 0 $rc
grep -q "going on through http://127.0.0.1:$CL_HTTP_2" err ||
    fail "the switch to the other server was not said"
cl_sync
for n in 1 2; do
	eq "events through node $n" "$want" \
	    "$(cl_q $n 'SELECT count() FROM gha.events')"
done
gha-load "$T" <recs 2>err2 || fail "rerun: $(cat err2)"
grep -q " 0 inserted, $total duplicates" err2 || fail "rerun: $(cat err2)"

# 2. The other replica dies, -w 3: no quorum, a clear failure.
cl_q 1 "TRUNCATE TABLE gha.event_store_shard ON CLUSTER gha_c" >/dev/null
cl_sync
eq "truncated" "0 0" "$(cl_q 1 'SELECT count() FROM gha.event_store_shard') \
$(cl_q 2 'SELECT count() FROM gha.event_store_shard')"
T="http://127.0.0.1:$CL_HTTP_1/gha?cluster=gha_c"
feed_kill 2 3
wait $pid
rc=$?
cat err >&2
eq "exit status without the quorum" 4 $rc
grep -q "loading stopped" err || fail "no 'loading stopped'"
grep -q "Code: 28[56]\|Code: 319\|Code: 159" err ||
    fail "no quorum or timeout error: $(cat err)"
# Nothing doubled: the stored rows are distinct identities.
eq "copies after the failure" 0 "$(cl_q 1 "SELECT count() - uniqExact(id, \
created_at) FROM gha.event_store_shard")"
# A schema still to be made needs every node: -w bounds the wait.
gha-load -q -w 2 "http://127.0.0.1:$CL_HTTP_1/other?cluster=gha_c" \
    </dev/null 2>err4
eq "exit status, a new database with a node down" 4 $?
grep -q "Code: 159.*distributed_ddl_task_timeout (=5)" err4 ||
    fail "new database, node down: $(cat err4)"
cl_node_start 2
cl_sync
gha-load -w 60 "$T" <recs 2>err3 || fail "rerun after the failure: $(cat err3)"
# The quorum: the moment the load ends, both replicas hold every event
# (no wait for replication: the next load's probe, or a view, may read
# either).
cl_whole "$want" "at once"
cl_sync
cl_whole "" "" 2

# 3. The replica gha-load talks to dies in the middle of a recompute:
# every day marked due behind gha-load's back, a load with no input
# recomputes them; once node 1 has swapped in 10 days it is killed.  The
# pass begins again on node 2, waits for node 1 to come back (the
# aggregates are written to every node), ends well and drops its staging
# table on node 1.  The rejoined replica has every day's new aggregates
# too, and the views below read them on both.
ndays=$(jq -r '.created_at[0:10]' recs | sort -u | wc -l | tr -d ' ')
T="http://127.0.0.1:$CL_HTTP_1,127.0.0.1:$CL_HTTP_2/gha?cluster=gha_c"
cl_sync
eq "days with aggregates on both" "$ndays $ndays" "$(cl_q 1 "SELECT \
count() FROM gha.agg_by_day WHERE kind = 'day'") $(cl_q 2 "SELECT count() \
FROM gha.agg_by_day WHERE kind = 'day'")"
sleep 1
x=$(cl_q 1 'SELECT toUInt32(now())')
cl_q 1 "INSERT INTO gha.agg_marks (day, token, kind) SELECT DISTINCT \
toDate(created_at), toUInt64(7), toUInt8(1) FROM gha.event_store"
sleep 1
gha-load -v -w 120 "$T" </dev/null 2>err5 &
pid=$!
i=0
until [ "$(curl -s --data-binary "SELECT count() FROM gha.agg_by_day WHERE \
kind = 'day' AND ver >= $x" "$(cl_url 1)/")" -ge 10 ] 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "no day recomputed: $(cat err5)"
	sleep 0.05
done
cl_node_kill 1
sleep 3
cl_node_start 1
wait $pid
rc=$?
cat err5 >&2
eq "exit status, killed in a recompute" 0 $rc
grep -q "going on through http://127.0.0.1:$CL_HTTP_2" err5 ||
    fail "the switch to the other server was not said"
# Both nodes up at the end: the staging table of every attempt is gone,
# node 1's from before the kill, node 2's if the pass moved on from it
# too (back to node 1, once it was up).
for n in 1 2; do
	eq "staging tables left on node $n" 0 "$(cl_q $n "SELECT count() FROM \
system.tables WHERE database = 'gha' AND startsWith(name, 'agg_stage_')")"
done
cl_sync
for n in 1 2; do
	eq "days recomputed, replica $n" "$ndays" "$(cl_q $n "SELECT count() \
FROM gha.agg_by_day WHERE kind = 'day' AND ver >= $x")"
done
eq "engine of agg_by_day" "ReplicatedMergeTree ReplicatedMergeTree" \
    "$(cl_q 1 "SELECT engine FROM system.tables WHERE database = 'gha' AND \
name = 'agg_by_day'") $(cl_q 2 "SELECT engine FROM system.tables WHERE \
database = 'gha' AND name = 'agg_by_day'")"

cl_like_sqlite replica actor_daily dev_daily \
    devs_more_than_one_commit_daily devs_less_than_one_commit_daily \
    repos_more_than_ten_members_daily devs_owning_multiple_repos daily_summary
exit 0
