# Environments: GHA_DB, GHA_CACHE and GHA_BASE_URL win over the file;
# -n prints the plan and the settings and touches nothing; a ClickHouse
# target is refused when its password file is readable by others, or
# when plain http goes to a host that is not loopback; bad settings and
# usage are exit 2, and so are credentials the tools could not use.
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 2
start_server s m
mkenv
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T02:20:00Z

gha-daily -nv >plan 2>err || fail "-n: exit $?: $(cat err)"
grep -qx "target $PWD/gha.db" plan || fail "$(cat plan)"
eq "plan hours" "2024-01-15-0 -
2024-01-15-1 -" "$(grep '^2024' plan)"
[ -e gha.db ] || [ -e log ] && fail "-n touched something"

GHA_DB=$PWD/other.db GHA_CACHE=$PWD/c2 gha-daily 2>err || fail "exit $?: $(cat err)"
[ -e gha.db ] && fail "GHA_DB ignored"
eq "other.db" 2 "$(gha-load -Q other.db | grep -c loaded)"
eq "cache" "2024-01-15-0.json.gz 2024-01-15-1.json.gz" "$(ls c2 | tr '\n' ' ' | sed 's/ $//')"
GHA_BASE_URL=http://127.0.0.1:9 GHA_START=2024-01-14 GHA_NOW=2024-01-15T01:00:00Z \
    GHA_DB=$PWD/third.db gha-daily 2>err
eq "unreachable base url" 3 $?

# A ClickHouse target: password file mode and plain http to a remote host.
echo secret >pw
chmod 644 pw
printf 'target=https://127.0.0.1:1/gha\npassword_file=%s\n' "$PWD/pw" >env/ch.conf
gha-daily --env ch 2>err
eq "readable password file" 2 $?
grep -q "password_file $PWD/pw: mode 644 lets others read it" err || fail "$(cat err)"
chmod 600 pw
printf 'target=http://db.example.org:8123/gha\npassword_file=%s\n' "$PWD/pw" >env/prod.conf
GHA_ENV=prod gha-daily 2>err
eq "plain http" 2 $?
grep -q "target db.example.org: plain http to a host that is not loopback" err ||
    fail "$(cat err)"
grep -q secret err && fail "password shown"
# Every server of a cluster target is checked, not only the first.
printf 'target=http://127.0.0.1:1,db.example.org:8123/gha?cluster=c\npassword_file=%s\n' \
    "$PWD/pw" >env/prod.conf
GHA_ENV=prod gha-daily 2>err
eq "plain http to the second server" 2 $?
grep -q "target db.example.org: plain http to a host that is not loopback" err ||
    fail "$(cat err)"
# The credentials the tools will read are checked first (ch_auth, shared
# with gha-report): a password file named in the environment that cannot
# be read, a user with a line break.
printf 'target=http://127.0.0.1:1/gha\n' >env/ch2.conf
GHA_CLICKHOUSE_PASSWORD_FILE=$PWD/nopw gha-daily --env ch2 2>err
eq "unreadable password file" 2 $?
grep -q "password file $PWD/nopw: cannot read" err || fail "$(cat err)"
GHA_CLICKHOUSE_USER="a
b" gha-daily --env ch2 2>err
eq "user with a line break" 2 $?
grep -q "GHA_CLICKHOUSE_USER holds a line break" err || fail "$(cat err)"

status 2 gha-daily --env nosuch 2>/dev/null
status 2 gha-daily -x 2>/dev/null
printf 'jobs=99\n' >env/bad.conf
gha-daily --env bad 2>err
eq "bad jobs" 2 $?
grep -q 'jobs=99: want a number from 1 to 32' err || fail "$(cat err)"
GHA_NOW=yesterday gha-daily 2>err
eq "bad GHA_NOW" 2 $?
gha-daily -h >out || fail "-h"
eq "usage" "usage: gha-daily [-hnVv] [--env name]" "$(head -n 1 out)"
eq "backfill usage" "usage: gha-backfill [-hmnV] [-j jobs] [--env name] [--worker i/n] spec ..." \
    "$(gha-backfill -h | head -n 1)"
status 2 gha-backfill 2>/dev/null
status 2 gha-backfill -j 0 2024-01-15 2>/dev/null
