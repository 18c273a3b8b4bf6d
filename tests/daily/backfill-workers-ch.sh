# gha-backfill --worker i/n into one ClickHouse server (a throwaway
# clickhouse-server, tests/clickhouse): workers 1/2 and 2/2 at once, each
# fetching only its hours; the ledger in the server shows the whole, the
# same as an SQLite backfill's of the range, and the events are exactly
# the mirror's (counted with zcat).  Then a plain backfill and worker 2/3
# at once over the same range into a second database, loading the same
# hours: exact counts again, each event once.
. "$TESTS/daily/daily.subr"
. "$TESTS/clickhouse/server.subr"
mkhours m 2024-01-15-0 31
printf '/2024-01-15-4.json.gz slow:1500 ok\n/2024-01-15-5.json.gz slow:1500 ok\n' >plan
start_server s m --plan plan
ch_start
trap 'ch_kill; for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT
chmod 600 ch/loader.pw
mkenv "target=$CH_URL/gha" "password_file=$PWD/ch/loader.pw" \
    clickhouse_user=loader
export GHA_NOW=2024-01-17T00:00:00Z
range=2024-01-15-0..2024-01-16-6
hours 2024-01-15-0 2024-01-16-6 >all
expected m $(cat all) >want

gha-backfill --worker 1/2 $range 2>err1 &
p1=$!
gha-backfill --worker 2/2 $range 2>err2 &
p2=$!
wait $p1 || fail "worker 1: exit $?: $(cat err1)"
wait $p2 || fail "worker 2: exit $?: $(cat err2)"
eq "each hour fetched once" "$(lines all)" "$(grep -c 'GET /2024-' "$LOG")"
grep -q '16 hours loaded.*; worker 1 of 2$' err1 || fail "1: $(cat err1)"
grep -q '15 hours loaded.*; worker 2 of 2$' err2 || fail "2: $(cat err2)"
eq "events" "$(sumof want)" "$(ch_q 'SELECT count() FROM gha.events')"
eq "per hour" "$(awk '{ print $1 "\t" $2 }' want | sort)" \
    "$(ch_q 'SELECT src, count() FROM gha.events GROUP BY src' | sort)"
GHA_DB=$PWD/gha.db gha-backfill $range 2>err || fail "sqlite: $(cat err)"
GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=ch/loader.pw \
    gha-load -Q "$CH_URL/gha" | jq -c 'del(.loaded_at, .updated_at)' >ch.ledger
gha-load -Q gha.db | jq -c 'del(.loaded_at, .updated_at)' >sqlite.ledger
cmp -s ch.ledger sqlite.ledger ||
    fail "ledgers differ: $(diff ch.ledger sqlite.ledger)"
eq "the whole range loaded" "$(lines all)" "$(grep -c '"loaded"' ch.ledger)"
eq "final" "2024-01-15	1" "$(ch_q "SELECT day, final FROM gha.daily_coverage
    WHERE day = '2024-01-15'")"

GHA_DB=$CH_URL/gha2 gha-backfill --worker 2/3 $range 2>err1 &
p1=$!
GHA_DB=$CH_URL/gha2 gha-backfill $range 2>err2 &
p2=$!
wait $p1 || fail "with plain 1: exit $?: $(cat err1)"
wait $p2 || fail "with plain 2: exit $?: $(cat err2)"
eq "with a plain backfill: events" "$(sumof want)" \
    "$(ch_q 'SELECT count() FROM gha2.events')"
eq "with a plain backfill: per hour" "$(awk '{ print $1 "\t" $2 }' want |
    sort)" "$(ch_q 'SELECT src, count() FROM gha2.events GROUP BY src' | sort)"
eq "with a plain backfill: distinct ids" "$(sumof want)" \
    "$(ch_q 'SELECT uniqExact(id) FROM gha2.events')"
exit 0
