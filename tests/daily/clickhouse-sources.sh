# The daily job with two sources into ClickHouse and into SQLite: the same
# ledger (the sources' rows too), the same daily_sources, daily_union and
# daily_summary columns of them, the same gha-report sources section, and
# the events exactly the generator's hours (mirrors a and c of
# tests/server/mirrors.subr hold every line between them).
. "$TESTS/daily/daily.subr"
. "$TESTS/clickhouse/server.subr"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
. "$TESTS/server/mirrors.subr"
mkmirrors 2024-01-15-0 7
rm c/2024-01-15-3.json.gz
start_server a a; A=$URL
start_server c c; C=$URL
ch_start
trap 'ch_kill; for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT
chmod 600 ch/loader.pw
mkenv "target=$CH_URL/gha" "password_file=$PWD/ch/loader.pw" \
    clickhouse_user=loader "base_url='a=$A c=$C'"
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T07:20:00Z
export GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=ch/loader.pw

gha-daily 2>err || fail "exit $?: $(cat err)"
GHA_DB=$PWD/gha.db gha-daily 2>err || fail "sqlite: exit $?: $(cat err)"
hours 2024-01-15-0 2024-01-15-6 >h
# hour 3 only from a: a's lines, not the whole hour
grep -vx 2024-01-15-3 h >hw
{ idents full $(cat hw); idents a 2024-01-15-3; } | sort -u >want
eq "events" "$(cat want)" "$(ch_q "SELECT concat(id, ' ', replaceOne(toString(created_at),
    ' ', 'T'), 'Z') FROM gha.events" | sort)"
gha-load -Q "$CH_URL/gha" | jq -c 'del(.loaded_at)' >ch.ledger
gha-load -Q gha.db | jq -c 'del(.loaded_at)' >sqlite.ledger
cmp -s ch.ledger sqlite.ledger || fail "ledgers differ: $(diff ch.ledger sqlite.ledger)"
eq "source rows" 14 "$(jq -c 'select(.source)' ch.ledger | wc -l | tr -d ' ')"
eq "c lacks hour 3" "missing" "$(jq -r 'select(.source == "c" and
    .hour == "2024-01-15-3") | .status' ch.ledger)"
for v in daily_sources daily_union; do
	eq "$v" "$(q "SELECT * FROM $v" | tr '|' '\t')" \
	    "$(ch_q "SELECT * FROM gha.$v")"
done
eq "daily_summary's sources" "$(q "SELECT sources, union_events, id_gap
    FROM daily_summary" | tr '|' '\t')" "$(ch_q "SELECT sources,
    union_events, id_gap FROM gha.daily_summary")"
eq "union = the events" "$(wc -l <want | tr -d ' ')" \
    "$(ch_q "SELECT union_events FROM gha.daily_summary")"
gha-report --csv -s sources --days 2024-01-15 "$CH_URL/gha" >ch.csv ||
    fail "gha-report on ClickHouse: exit $?"
gha-report --csv -s sources --days 2024-01-15 gha.db >sqlite.csv ||
    fail "gha-report on SQLite: exit $?"
cmp -s ch.csv sqlite.csv || fail "reports differ: $(diff ch.csv sqlite.csv)"
eq "report rows" 2 "$(sed 1d ch.csv | wc -l | tr -d ' ')"
