# Two runs started at once.  With lock_wait=1 the second waits a second
# for the lock, then exits 5 with a clear message and loads nothing (the
# first is slowed by a slow hour).  With the default wait the second waits
# for the first to end, then finds nothing left to load.  Either way every
# hour is fetched once and loaded once: the events are exactly the
# mirror's (counted with zcat).
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 12
printf '/2024-01-15-3.json.gz slow:8000\n/2024-01-15-9.json.gz slow:8000\n' >plan
start_server s m --plan plan
mkenv lock_wait=1
export GHA_START=2024-01-15

# wait_for PATTERN FILE: until FILE has a line matching PATTERN (10 s).
wait_for() {
	i=0
	until grep -q "$1" "$2" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 200 ] || fail "never saw $1 in $2"
		sleep 0.05
	done
}

GHA_NOW=2024-01-15T06:20:00Z gha-daily 2>err1 &
p=$!
wait_for 'plan: ' log/gha-daily.log
GHA_NOW=2024-01-15T06:20:00Z gha-daily 2>err2
eq "second run" 5 $?
grep -q '^gha-daily: another gha-daily run holds .*/log/gha-daily.lock (waited 1 s); this run loaded nothing$' \
    err2 || fail "message: $(cat err2)"
wait $p || fail "first run: exit $?: $(cat err1)"
eq "first" 6 "$(ledger | grep -c ' loaded ')"

sed -i 's/^lock_wait=1$/lock_wait=30/' env/test.conf
GHA_NOW=2024-01-15T12:20:00Z gha-daily 2>err1 &
p=$!
wait_for 'plan: 6 hours' log/gha-daily.log
GHA_NOW=2024-01-15T12:20:00Z gha-daily 2>err2 || fail "waiting run: exit $?"
wait $p || fail "first run: exit $?: $(cat err1)"
grep -q 'plan: 0 hours' log/gha-daily.log || fail "second run planned hours"
hours 2024-01-15-0 2024-01-15-11 >h
expected m $(cat h) >want
eq "ledger" "$(awk '{ print $1, "loaded", $2 }' want)" "$(ledger)"
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
eq "fetched once" 12 "$(reqs GET)"
