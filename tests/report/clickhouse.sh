# gha-report over ClickHouse: the week of real records (mkdb) loaded by
# gha-load into SQLite and into a throwaway clickhouse-server gives the
# same report, section by section (JSON, minus target, engine and time),
# and the same page numbers.  The password (of the server's "loader" user)
# travels to curl on its standard input: a curl wrapper first on PATH
# records every argument list, which must not hold it, nor may any output.
. "$TESTS/lib.sh"
. "$TESTS/report/mkdb"
. "$TESTS/clickhouse/server.subr"
mkdb week.db
ch_start
gha-load -q "$CH_URL/gha" <all.rec || fail "gha-load into ClickHouse"
# The same hour ledger in both: coverage known, compared too.
printf '%s\n' '{"hour":"2015-01-02-5","status":"loaded"}' \
    '{"hour":"2015-01-02-6","status":"missing"}' \
    '{"day":"2015-01-02","final":1}' >ledger
gha-load -H "$CH_URL/gha" <ledger || fail "ledger into ClickHouse"
gha-load -H week.db <ledger || fail "ledger into SQLite"

mkdir bin
real=$(command -v curl)
cat >bin/curl <<SH
#!/bin/sh
printf '%s\n' "\$*" >>"$PWD/curl.argv"
exec "$real" "\$@"
SH
chmod +x bin/curl
PATH=$PWD/bin:$PATH
export GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=$PWD/ch/loader.pw
pw=$(cat ch/loader.pw)

strip() {
	jq -S 'del(.target, .engine, .generated)' "$1"
}
gha-report --json --top 20 "$CH_URL/gha" >ch.json 2>err ||
    fail "report from ClickHouse: $(cat err)"
gha-report --json --top 20 week.db >sq.json || fail "report from SQLite"
strip ch.json >ch.norm
strip sq.json >sq.norm
cmp -s ch.norm sq.norm || fail "ClickHouse and SQLite differ: $(diff ch.norm sq.norm | head)"
eq engine clickhouse "$(jq -r .engine ch.json)"
eq target "$CH_URL/gha" "$(jq -r .target ch.json)"
[ "$(jq '.summary | length' ch.json)" -eq 7 ] || fail "summary rows"
eq coverage "known" "$(jq -r .coverage ch.json)"
eq "coverage of 2015-01-02" "1 1 22 1" "$(jq -r '.summary[] |
    select(.day == "2015-01-02") |
    "\(.hours_loaded) \(.hours_missing) \(.hours_pending) \(.final)"' ch.json)"

gha-report --html ch.html "$CH_URL/gha" || fail "page from ClickHouse"
grep -q 'data-day="2015-01-07" data-value="5869"' ch.html ||
    fail "page numbers"
[ -s curl.argv ] || fail "the curl wrapper was not used"
grep -F -q -e "$pw" curl.argv ch.json ch.html err &&
    fail "the password leaked"
grep -q 'X-ClickHouse' curl.argv && fail "headers in argv"

# Several servers (a cluster's): one that does not answer is passed
# over, said once, and the report is the same.
dead=127.0.0.1:$(free_port)
live=${CH_URL#http://}
gha-report --json --top 20 "http://$dead,$live/gha" >fo.json 2>err ||
    fail "report past a server down: $(cat err)"
strip fo.json >fo.norm
cmp -s fo.norm sq.norm || fail "past a server down: $(diff fo.norm sq.norm |
    head)"
eq "said once" 1 "$(grep -c "http://$dead: does not answer" err)"
grep -q "reading http://$live from now on" err || fail "$(cat err)"
dead2=127.0.0.1:$(free_port)
status 3 gha-report "http://$dead,$dead2/gha" >/dev/null 2>err
grep -q "^gha-report: http://$dead,$dead2/gha: no server answers$" err ||
    fail "all down: $(cat err)"

# What the numbers rest on (mkdb_quality: incomplete, thin and
# ledger-only days, slim pushes, bots), with and without --bots.
mkdb_quality q.db
gha-load -q "$CH_URL/q" <qall.rec || fail "gha-load qall into ClickHouse"
gha-load -H "$CH_URL/q" <qledger || fail "qledger into ClickHouse"
for b in "" --bots; do
	gha-report --json --top 50 $b "$CH_URL/q" >chq.json 2>err ||
	    fail "report $b from ClickHouse: $(cat err)"
	gha-report --json --top 50 $b q.db >sqq.json || fail "report $b"
	strip chq.json >ch.norm
	strip sqq.json >sq.norm
	cmp -s ch.norm sq.norm ||
	    fail "ClickHouse and SQLite differ $b: $(diff ch.norm sq.norm | head)"
done
eq "thin and incomplete" "2015-01-05 0 1 2015-01-07 1 0 2015-01-08 1 1" \
    "$(jq -r '[.summary[] | select(.thin == 1 or .incomplete == 1) |
    "\(.day) \(.incomplete) \(.thin)"] | join(" ")' chq.json)"
[ "$(jq '[.devs_more_than_one_commit[] | select(.bot == 1)] | length' \
    chq.json)" -ge 1 ] || fail "--bots: no bot in the ClickHouse list"

# A wrong password is the server's refusal, exit 3, not echoed.
echo wrong-pw-$$ >bad.pw
GHA_CLICKHOUSE_PASSWORD_FILE=$PWD/bad.pw status 3 gha-report "$CH_URL/gha" \
    >/dev/null 2>err
grep -q "wrong-pw-$$" err && fail "password in the message"
grep -q '^gha-report: http://127.0.0.1:[0-9]*/gha: ' err || fail "$(cat err)"
# A database without the views.
ch_q 'CREATE DATABASE IF NOT EXISTS other' >/dev/null
status 3 gha-report "$CH_URL/other" 2>err
grep -q 'not a gha database' err || fail "$(cat err)"
exit 0
