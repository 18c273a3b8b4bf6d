# cluster-daily: gha-daily into a 1 x 2 cluster (target
# http://N1,N2/gha?cluster=gha_c), kill -9 of the replica it talks to in
# the middle of the run (the mirror serves a later hour slowly, so the
# run is surely not over): the loads go on through the other server,
# wait for the quorum until the killed one is back, and the run ends
# well; every hour's events exactly once, on both replicas, the ledger
# the same as SQLite's for the same run; a rerun loads nothing.
. "$TESTS/daily/daily.subr"
. "$TESTS/clickhouse/cluster.subr"
mkhours m 2024-01-15-0 8
echo "/2024-01-15-6.json.gz slow:400" >plan
start_server s m --plan plan
cl_start 1 2
trap 'cl_teardown; for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT
T="http://127.0.0.1:$CL_HTTP_1,127.0.0.1:$CL_HTTP_2/gha?cluster=gha_c"
mkenv "target=$T" load_wait=120 chunk=2 jobs=1
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T08:20:00Z
hours 2024-01-15-0 2024-01-15-7 >h
expected m $(cat h) >want

gha-daily 2>err &
pid=$!
i=0
until [ "$(curl -s --data-binary "SELECT count() FROM gha.event_store_shard" \
    "$(cl_url 1)/")" -gt 0 ] 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || fail "no events arrived: $(cat err)"
	sleep 0.1
done
kill -0 $pid 2>/dev/null || fail "the run ended before the kill"
cl_node_kill 1
sleep 3
cl_node_start 1
wait $pid
rc=$?
cat err >&2
eq "gha-daily exit status" 0 $rc
grep -q "going on through http://127.0.0.1:$CL_HTTP_2" err log/gha-daily.log ||
    fail "the switch of server was not said"
cl_sync
cl_whole "$(sumof want)" ""
cl_q 1 "SELECT src, count() FROM gha.events GROUP BY src ORDER BY src" |
    sed 's/\.json\.gz//' | LC_ALL=C sort >got
tr ' ' '	' <want | LC_ALL=C sort >want.t
cmp -s want.t got || fail "events per hour: $(diff want.t got)"

GHA_DB=$PWD/gha.db gha-daily 2>err2 || fail "sqlite: $(cat err2)"
gha-load -Q "$T" | jq -c 'del(.loaded_at, .updated_at)' >ch.ledger
gha-load -Q gha.db | jq -c 'del(.loaded_at, .updated_at)' >sqlite.ledger
cmp -s ch.ledger sqlite.ledger ||
    fail "ledgers differ: $(diff ch.ledger sqlite.ledger)"
gha-daily 2>err3 || fail "rerun: $(cat err3)"
eq "events after the rerun" "$(sumof want)" \
    "$(cl_q 2 'SELECT count() FROM gha.events')"
exit 0
