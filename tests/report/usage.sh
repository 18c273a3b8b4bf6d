# gha-report's usage and errors: -h on stdout with the man page's
# SYNOPSIS, bad usage exit 2, an unreadable or foreign database exit 3, an
# output that cannot be written exit 4 and nothing half-written left,
# unusable credentials exit 2, and a password never echoed.
. "$TESTS/lib.sh"
gha-load -q empty.db </dev/null || fail "gha-load empty.db"
# quiet CMD...: CMD without its stderr (status's own message still shows).
quiet() {
	"$@" 2>/dev/null
}

gha-report -h >out 2>err || fail "-h failed"
[ -s err ] && fail "-h wrote to stderr"
syn=$(mandoc -Tascii -O width=200 "$ROOT/man/gha-report.1" 2>/dev/null |
    col -b | awk '/^SYNOPSIS/ { getline; sub(/^ +/, ""); print; exit }')
eq synopsis "usage: $syn" "$(head -n 1 out)"

status 2 gha-report -x empty.db 2>err
grep -q '^usage: gha-report' err || fail "no usage on bad option"
for a in "-n 0" "-n 1001" "-n x" "-n 99999" "-s bogus" "-d 2015-02-30" \
    "-d 2015-01-07..2015-01-01" "-d yesterday" "-d 1960-01-01" "--csv --json" \
    "-n"; do
	# shellcheck disable=SC2086
	status 2 quiet gha-report $a empty.db
done
status 2 quiet gha-report --html x.html -s summary empty.db
status 2 quiet gha-report --html "" empty.db
status 2 quiet gha-report empty.db extra
status 2 quiet gha-report --html

# Databases that are not there, not SQLite, not gha's.
status 3 gha-report nosuch.db 2>err
grep -q '^gha-report: nosuch.db: no such database$' err || fail "$(cat err)"
echo "not a database" >text.db
status 3 gha-report text.db 2>err
grep -q '^gha-report: text.db: ' err || fail "$(cat err)"
sqlite3 other.db 'CREATE TABLE t(x)' || fail sqlite3
status 3 gha-report other.db 2>err
grep -q 'not a gha database' err || fail "$(cat err)"
GHA_DB=nosuch.db gha-report 2>err
grep -q 'nosuch.db: no such database' err || fail "GHA_DB not read: $(cat err)"

# No target, no GHA_DB, no ./gha.db: where gha-daily loads, the target of
# the environment (GHA_ENV, else dev; dev's default in XDG_DATA_HOME).
# --env names one; its outdir is not the report's; a target beside it,
# or an environment that is not there, is bad usage.
mkdir -p xdg/gha envs home
cp empty.db xdg/gha/gha.db
printf '{"hour":"2015-01-02-5","status":"loaded"}\n' |
    gha-load -H xdg/gha/gha.db || fail "ledger into the env's target"
mkdir sub
(cd sub && XDG_DATA_HOME=${PWD%/*}/xdg HOME=${PWD%/*}/home gha-report --json \
    >../env.json 2>../err) || fail "the dev environment's target: $(cat err)"
eq "dev's target" "$PWD/xdg/gha/gha.db" "$(jq -r .target env.json)"
gha-load -q other-env.db </dev/null || fail "gha-load other-env.db"
printf 'target=%s\noutdir=%s\n' "$PWD/other-env.db" "$PWD/envout" \
    >envs/mine.conf
(cd sub && GHA_ENV_DIR=${PWD%/*}/envs GHA_ENV=mine gha-report --json \
    >../env.json 2>../err) || fail "GHA_ENV=mine: $(cat err)"
eq "GHA_ENV's target" "$PWD/other-env.db" "$(jq -r .target env.json)"
(cd sub && GHA_ENV_DIR=${PWD%/*}/envs gha-report --env mine --csv \
    >../env.csv 2>../err) || fail "--env mine: $(cat err)"
[ ! -e envout ] || fail "--env: the environment's outdir was written"
head -n 1 env.csv | grep -q '^day,' || fail "--env: no CSV: $(head -n 2 env.csv)"
(cd sub && XDG_DATA_HOME=$PWD/../xdg gha-report --json ../empty.db \
    >../env.json) || fail "a target given"
eq "the target given wins" ../empty.db "$(jq -r .target env.json)"
status 2 quiet gha-report --env mine empty.db
GHA_ENV_DIR=$PWD/envs status 2 gha-report --env nosuch 2>err
grep -q 'environment nosuch: no nosuch.conf' err || fail "$(cat err)"

# Outputs that cannot be written; nothing left behind.
mkdir ro
status 4 quiet gha-report --html nodir/x.html empty.db
status 4 quiet gha-report --out-dir nodir empty.db
chmod 555 ro
if ! touch ro/probe 2>/dev/null; then
	status 4 quiet gha-report --out-dir ro empty.db
	eq "nothing in ro" "" "$(ls -A ro)"
fi
chmod 755 ro
if [ -w /dev/full ]; then
	status 4 gha-report --csv empty.db >/dev/full 2>err
	grep -q 'write error' err || fail "no write error: $(cat err)"
fi
# A page that exists is replaced whole, never truncated by a failure.
echo old >page.html
gha-report --html page.html empty.db || fail "page"
grep -q 'No data' page.html || fail "page not replaced"
eq "no temporaries" "" "$(ls -A | grep '\.tmp\.' || :)"

# ClickHouse URLs: credentials refused and not echoed; nothing listens on
# port 9 of 127.0.0.1, so a well-formed URL fails to connect, exit 3.
status 2 gha-report http://u:s3cretpw@127.0.0.1:9/ 2>err
grep -q s3cretpw err && fail "password echoed"
grep -q 'credentials in the URL' err || fail "$(cat err)"
status 2 quiet gha-report 'http://127.0.0.1:9/gha?x=1'
status 2 quiet gha-report 'http://127.0.0.1:9/no-such'
GHA_CLICKHOUSE_PASSWORD=s3cretpw status 3 gha-report http://127.0.0.1:9/ \
    2>err
grep -q s3cretpw err && fail "password in a message"
grep -q '^gha-report: http://127.0.0.1:9/gha: ' err || fail "$(cat err)"
# Credentials that cannot be used (gha-common.sh's ch_auth, as for
# gha-daily): exit 2, before any request.
GHA_CLICKHOUSE_PASSWORD_FILE=$PWD/nopw status 2 gha-report \
    http://127.0.0.1:9/ 2>err
grep -q "password file $PWD/nopw: cannot read" err || fail "$(cat err)"
printf 's3cret\rpw\n' >crpw
GHA_CLICKHOUSE_PASSWORD_FILE=$PWD/crpw status 2 gha-report \
    http://127.0.0.1:9/ 2>err
grep -q 'the ClickHouse password holds a line break' err || fail "$(cat err)"
grep -q s3cret err && fail "password in a message"
exit 0
