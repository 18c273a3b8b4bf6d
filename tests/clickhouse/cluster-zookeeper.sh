# cluster-zookeeper: ZooKeeper dies in the middle of a load into a 1 x 2
# cluster.  The replicas cannot take rows without it: gha-load (-w 5)
# stops with exit 4, "loading stopped" and the server's reason; no event
# is stored twice.  ZooKeeper back (same port, same data), the replicas
# writable again: the rerun stores every event once on both replicas, and
# the views read on either have SQLite's rows.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/cluster.subr"
. "$TESTS/clickhouse/records.subr"

parity_records
want=$(jq -r '[.id, .created_at] | @tsv' recs | sort -u | wc -l | tr -d ' ')
half=$(($(lines recs) / 2))
gha-load -q gha.db <recs || fail "SQLite load failed"

cl_start 1 2
T="http://127.0.0.1:$CL_HTTP_1,127.0.0.1:$CL_HTTP_2/gha?cluster=gha_c"
mkfifo in
gha-load -w 5 --batch 500 "$T" <in 2>err &
pid=$!
{
	head -n "$half" recs
	w=0
	until [ -e go ] || [ $w -ge 1800 ]; do sleep 0.1; w=$((w + 1)); done
	tail -n +"$((half + 1))" recs
} >in &
i=0
until [ "$(curl -s --data-binary "SELECT count() FROM gha.event_store_shard" \
    "$(cl_url 1)/")" -ge 3000 ] 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "the first batches never arrived"
	sleep 0.1
done
zk_kill
touch go
wait $pid
rc=$?
cat err >&2
eq "exit status without ZooKeeper" 4 $rc
grep -q "loading stopped" err || fail "no 'loading stopped'"
grep -q "Code: \(242\|999\|225\|319\|159\)" err ||
    fail "no ZooKeeper error named: $(cat err)"
cl_whole "" ""

zk_start
cl_sync
gha-load -w 60 "$T" <recs 2>err2 || fail "rerun: $(cat err2)"
cl_sync
cl_whole "$want" "after the rerun"
cl_like_sqlite replica actor_daily repos_more_than_ten_members_daily \
    daily_summary
exit 0
