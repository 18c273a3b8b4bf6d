# The daily job into ClickHouse (a throwaway server, tests/clickhouse):
# the loader's password file (mode 600), plain http to loopback; six
# hours loaded, one missing, the ledger and daily_coverage in the server
# the same as SQLite's for the same run, the events exactly the mirror's,
# and the password in no log and no output.  A rerun loads nothing.
. "$TESTS/daily/daily.subr"
. "$TESTS/clickhouse/server.subr"
mkhours m 2024-01-15-0 8
rm m/2024-01-15-2.json.gz
start_server s m
ch_start
trap 'ch_kill; for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT
chmod 600 ch/loader.pw
mkenv "target=$CH_URL/gha" "password_file=$PWD/ch/loader.pw" \
    clickhouse_user=loader report=1
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T07:20:00Z

gha-daily 2>err || fail "exit $?: $(cat err)"
GHA_DB=$PWD/gha.db gha-daily 2>err || fail "sqlite: exit $?: $(cat err)"
hours 2024-01-15-0 2024-01-15-6 | grep -vx 2024-01-15-2 >h
expected m $(cat h) >want
eq "events" "$(sumof want)" "$(ch_q 'SELECT count() FROM gha.events')"
GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=ch/loader.pw \
    gha-load -Q "$CH_URL/gha" | jq -c 'del(.loaded_at, .updated_at)' >ch.ledger
gha-load -Q gha.db | jq -c 'del(.loaded_at, .updated_at)' >sqlite.ledger
cmp -s ch.ledger sqlite.ledger || fail "ledgers differ: $(diff ch.ledger sqlite.ledger)"
eq "coverage" "2024-01-15	6	1	17	0	0	6" \
    "$(ch_q 'SELECT * FROM gha.daily_coverage')"
eq "sqlite coverage" "2024-01-15|6|1|17|0|0|6" "$(q 'SELECT * FROM daily_coverage')"
[ -s report/summary.csv ] || fail "no report"
grep -rqF "$(cat ch/loader.pw)" log report err && fail "password shown"
gha-daily 2>err || fail "rerun: exit $?"
eq "rerun" "$(sumof want)" "$(ch_q 'SELECT count() FROM gha.events')"
