# cluster-backfill: a distributed backfill with no coordinator into a
# 2 shards x 1 replica cluster: gha-backfill --worker 1/2 through node 1
# and --worker 2/2 through node 2, at once, over overlapping ranges, the
# loaders of both making the schema and the list of bots at the same
# time (on 18.16 a TRUNCATE ON CLUSTER of bot_logins by two loaders at
# once hung every node's ON CLUSTER queue for good).  Each hour is
# fetched once, the events are exactly the mirror's (counted with zcat),
# spread over both shards and on none twice; the ledger in the cluster
# shows the whole range, the same as an SQLite backfill's of it, read
# through either node; the day is final; every metric view, read on
# either node, has the rows of that SQLite backfill's (but
# repos_more_than_ten_members_daily: no repository of these hours has
# that many).  Every run is
# bounded (timeout), so a hang fails the case.
. "$TESTS/daily/daily.subr"
. "$TESTS/clickhouse/cluster.subr"
. "$TESTS/clickhouse/records.subr"
command -v timeout >/dev/null 2>&1 || skip "timeout is not installed"
mkhours m 2024-01-15-0 31
start_server s m --lifetime 240
cl_start 2 1
trap 'cl_teardown; for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT
T1="http://127.0.0.1:$CL_HTTP_1,127.0.0.1:$CL_HTTP_2/gha?cluster=gha_c"
T2="http://127.0.0.1:$CL_HTTP_2,127.0.0.1:$CL_HTTP_1/gha?cluster=gha_c"
mkenv "target=$T1" load_wait=30
export GHA_NOW=2024-01-17T00:00:00Z
hours 2024-01-15-0 2024-01-16-6 >all
expected m $(cat all) >want

# bf SECONDS ARGS...: gha-backfill ARGS, killed (its workers too) after
# SECONDS.
bf() {
	_s=$1
	shift
	timeout -k 10 "$_s" gha-backfill "$@"
}
bf 150 --worker 1/2 2024-01-15-0..2024-01-16-6 2>err1 &
p1=$!
GHA_DB=$T2 bf 150 --worker 2/2 2024-01-15-3..2024-01-16-6 2>err2 &
p2=$!
wait $p1 || fail "worker 1: exit $?: $(cat err1)"
wait $p2 || fail "worker 2: exit $?: $(cat err2)"
# worker 2's range leaves out hours 0-2, whose even ones are worker 2's
GHA_DB=$T2 bf 60 --worker 2/2 2024-01-15-0..2024-01-15-2 2>err3 ||
    fail "worker 2, the rest: exit $?: $(cat err3)"
eq "each hour fetched once" "$(lines all)" "$(grep -c 'GET /2024-' "$LOG")"
eq "events" "$(sumof want)" "$(cl_q 1 'SELECT count() FROM gha.events')"
eq "per hour" "$(awk '{ print $1 "\t" $2 }' want | sort)" \
    "$(cl_q 2 'SELECT src, count() FROM gha.events GROUP BY src' | sort)"
eq "no event twice" 0 "$(cl_q 1 'SELECT count() - uniqExact(id, created_at)
    FROM gha.event_store')"
for n in 1 2; do
	[ "$(cl_q $n 'SELECT count() FROM gha.event_store_shard')" -gt 0 ] ||
	    fail "no events on shard $n"
done
GHA_DB=$PWD/gha.db bf 60 2024-01-15-0..2024-01-16-6 2>err ||
    fail "sqlite: $(cat err)"
gha-load -Q gha.db | jq -c 'del(.loaded_at, .updated_at)' >sqlite.ledger
for t in "$T1" "$T2"; do
	timeout 30 gha-load -w 5 -Q "$t" |
	    jq -c 'del(.loaded_at, .updated_at)' >ch.ledger
	cmp -s ch.ledger sqlite.ledger ||
	    fail "ledgers differ through $t: $(diff ch.ledger sqlite.ledger | head)"
done
eq "the whole range loaded" "$(lines all)" "$(grep -c '"loaded"' ch.ledger)"
eq "final" "2024-01-15	1" "$(cl_q 2 "SELECT day, final FROM gha.daily_coverage
    WHERE day = '2024-01-15'")"
cl_like_sqlite node actor_daily dev_daily devs_more_than_one_commit_daily \
    devs_less_than_one_commit_daily devs_owning_multiple_repos \
    daily_coverage daily_summary
exit 0
