# auth: credentials come from the environment only and never show: not in
# any output, not in /proc/PID/cmdline; a wrong password or a readonly
# user stops the load with the server's Code line and exit 4.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"

printf '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","actor_login":"a","repo_name":"a/b","commits":2}\n' |
    flat_fill >rec
ch_start
pw=$(cat ch/loader.pw)
printf 'wrong-%s\n' "$pw" >wrong.pw

# The right password, from a file and from the environment.
GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=ch/loader.pw \
    gha-load "$CH_URL/gha" <rec >out 2>&1 || fail "load with file: $(cat out)"
GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD=$pw \
    gha-load "$CH_URL/gha" <rec >>out 2>&1 || fail "load with env: $(cat out)"

# Nothing in argv while it runs (stdin held open keeps it running).
mkfifo in
GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=ch/loader.pw \
    gha-load "$CH_URL/gha" <in >>out 2>&1 &
pid=$!
exec 3>in
cat rec >&3
# (until the forked shell has become gha-load: a busy machine is slow)
i=0
until tr '\0' ' ' </proc/$pid/cmdline >cmdline 2>/dev/null &&
    grep -q gha-load cmdline || [ $i -ge 100 ]; do
	i=$((i + 1)); sleep 0.1
done
exec 3>&-
wait $pid || fail "load through the fifo failed: $(cat out)"
grep -q gha-load cmdline || fail "did not see the running gha-load"
grep -qF "$pw" cmdline && fail "password in /proc/PID/cmdline"

# A wrong password: the server's Code line, exit 4, no password.
GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=wrong.pw \
    gha-load "$CH_URL/gha" <rec >err 2>&1
eq "exit status, wrong password" 4 $?
grep -q "Code: \(193\|516\)" err || fail "no Code line: $(cat err)"
cat err >>out

# Credentials in the URL are refused without being echoed.
gha-load "http://loader:$pw@127.0.0.1:$CH_PORT/gha" <rec >err 2>&1
eq "exit status, credentials in URL" 2 $?
grep -q "credentials in the URL" err || fail "unclear message: $(cat err)"
cat err >>out

# The readonly user may read the views but not load.
GHA_CLICKHOUSE_USER=reader gha-load "$CH_URL/gha" <rec >err 2>&1
eq "exit status, readonly user" 4 $?
grep -q "Code: 164" err || fail "no readonly error: $(cat err)"
cat err >>out
eq "dev_daily as the readonly user" "2015-01-01	a	1	1	2	0" \
    "$(ch_qr 'SELECT * FROM gha.dev_daily')"

grep -F "$pw" out && fail "password in the output"
cat out >&2
exit 0
