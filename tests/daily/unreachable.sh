# An archive that cannot be reached at all (a base URL on a 127.0.0.1
# port nothing listens on): gha-daily plans its 45 hours (a first run at
# 21:15), but once a few hours were asked for and never answered (the
# gha-fetch status records) and nothing at all came through, it stops rather than wait out every other hour's
# retries (a circuit breaker), and its stderr ends with one line naming
# the cause; no line for each hour.  Every planned hour stays pending in
# the ledger, and the next run, the archive back, loads them all.
# gha-backfill's last line names the cause the same way.
# (A host name that does not resolve is not tried: the lookup would leave
# this machine.)
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 45
port=$(free_port)
URL=http://127.0.0.1:$port
mkenv
export GHA_START=2024-01-15 GHA_NOW=2024-01-16T21:15:00Z

gha-daily 2>err
eq "exit" 3 $?
tail -n 1 err | grep -q "^gha-daily: cannot reach the archive at $URL: Failed to connect to 127\.0\.0\.1 port $port after [0-9]* ms: Couldn't connect to server (stopped after [0-9]* failed hours of 45; the others are tried again next run)$" ||
    fail "last line: $(tail -n 1 err)"
n=$(tail -n 1 err | sed 's/.*stopped after \([0-9]*\) failed.*/\1/')
[ "$n" -ge 3 ] && [ "$n" -le 24 ] || fail "$n hours tried before stopping"
grep -q 'could not be fetched' err && fail "a line for each hour: $(cat err)"
eq "all pending" "45 pending" "$(ledger | awk '{ n[$2]++ } END {
    for (s in n) print n[s], s }')"
grep -q 'the archive cannot be reached (.*): stopping after [0-9]* hours failed' \
    log/gha-daily.log || fail "log: $(tail -n 3 log/gha-daily.log)"

gha-backfill 2024-01-15 2>err
eq "backfill exit" 3 $?
tail -n 1 err | grep -q "^gha-backfill: cannot reach the archive at $URL: .* (stopped after [0-9]* failed hours of 24; " ||
    fail "backfill's last line: $(tail -n 1 err)"

start_server s m
sed -i "s|^base_url=.*|base_url=$URL|" env/test.conf
gha-daily 2>err || fail "the archive back: exit $?: $(cat err)"
hours 2024-01-15-0 2024-01-16-20 >h
expected m $(cat h) >want
eq "ledger" "$(awk '{ print $1, "loaded", $2 }' want)" "$(ledger)"
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
