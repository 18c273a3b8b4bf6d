# Secrets without a ClickHouse server: the prod environment refuses a
# password file that group or others may read (each such mode), and takes
# a mode 600 one; a run whose server cannot be reached fails with the
# password in no message, no log line, and no process's argv (the
# command lines of the job's whole process tree are sampled while it
# runs).  gha-load and gha-report given the password in the environment
# keep it out of their messages too.  (With a server: the loader's argv,
# a wrong password and a readonly user in tests/clickhouse/auth.sh; the
# log and report of a real run in tests/daily/clickhouse.sh; the page and
# curl's argv in tests/report/clickhouse.sh.)
. "$TESTS/lib.sh"
pw="s3cret-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
echo "$pw" >pw
mkdir env
port=$(free_port)	# nothing listens there
cat >env/prod.conf <<X
target=https://127.0.0.1:$port/gha
password_file=$PWD/pw
clickhouse_user=loader
cache=$PWD/cache
logdir=$PWD/log
outdir=$PWD/report
base_url=http://127.0.0.1:9
load_wait=1
report=0
X
export GHA_ENV_DIR=$PWD/env GHA_START=2024-01-15 GHA_NOW=2024-01-15T03:20:00Z
unset GHA_DB GHA_CACHE GHA_BASE_URL
for m in 644 640 604 660 444; do
	chmod $m pw
	gha-daily --env prod >out 2>err
	eq "prod, password file mode $m" 2 $?
	grep -q "password_file $PWD/pw: mode $m lets others read it" err ||
	    fail "mode $m: $(cat err)"
done
# No password file at all: prod with ClickHouse refuses.
cp env/prod.conf env/prod.conf.bak
sed '/password_file/d' env/prod.conf.bak >env/prod.conf
gha-daily --env prod >out 2>err
eq "prod without a password file" 2 $?
grep -q 'prod: a ClickHouse target needs password_file' err || fail "$(cat err)"
mv env/prod.conf.bak env/prod.conf

# Mode 600: accepted; the server is not there, so the run fails, and the
# password shows nowhere.  ps samples every process's argv meanwhile.
chmod 600 pw
setsid gha-daily -v --env prod >out 2>err &
p=$!
: >argv
while kill -0 $p 2>/dev/null; do
	ps -eo args >>argv 2>/dev/null
	sleep 0.02
done
wait $p
st=$?
[ $st -ne 0 ] && [ $st -ne 2 ] || fail "mode 600 run: exit $st: $(cat err)"
grep -q 'gha-load' argv || echo "note: no gha-load caught running"
grep -qF "$pw" argv && fail "password in a process's argv"
grep -rqF "$pw" out err log && fail "password in the output or the log"

# gha-load and gha-report with the password in the environment.
flat_rec '{"id":"1","type":"T","created_at":"2015-01-01T00:00:00Z"}' >rec
GHA_CLICKHOUSE_PASSWORD=$pw gha-load -v -w 0 "http://127.0.0.1:$port/gha" \
    <rec >out 2>err
eq "gha-load, no server" 4 $?
GHA_CLICKHOUSE_PASSWORD_FILE=$PWD/pw gha-load -Q -w 0 \
    "http://127.0.0.1:$port/gha" >>out 2>>err
eq "gha-load -Q, no server" 4 $?
GHA_CLICKHOUSE_PASSWORD=$pw gha-report --html page.html \
    "http://127.0.0.1:$port/gha" >>out 2>>err
[ $? -ne 0 ] || fail "gha-report with no server succeeded"
grep -qF "$pw" out err && fail "password in a message: $(cat err)"
[ ! -e page.html ] || ! grep -qF "$pw" page.html || fail "password in the page"
exit 0
