# gha-daily, its whole process group SIGKILLed (as a crash would) at 20+
# random moments (seeded, see harden.subr) of a run loading four hours,
# two workers of two hours: fetching, decoding, loading, marking the
# ledger, finalizing.  After every kill the ledger holds only complete
# hours (each hour it has as loaded holds exactly the mirror's events in
# the database, counted with zcat) and the cache only complete files
# (each equal to the mirror's).  A round is one to five kills in a row,
# each run taking over what the killed one left, then a run left alone,
# which must load every hour, each once, with exactly the mirror's
# events; the next round starts from nothing.  (A run takes about 2 s of
# sh, awk and process start-ups, hence rounds rather than a full rerun
# after every kill.)
# (tests/daily/kill.sh kills one run once, at a chosen moment.)
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
. "$TESTS/daily/daily.subr"
. "$TESTS/harden/harden.subr"
harden_seed
mkdir m
mkhours m 2024-01-15-0 4
start_server s m
mkenv chunk=2 lock_wait=5
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T04:20:00Z
expected m 2024-01-15-0 2024-01-15-1 2024-01-15-2 2024-01-15-3 >want
sort want | tr ' ' '|' >want.src
pgrp=

# loaded_hours_whole: every hour the ledger has as loaded holds exactly
# the mirror's events.
loaded_hours_whole() {
	[ -e gha.db ] || return 0
	gha-load -Q gha.db 2>/dev/null |
	    jq -r 'select(.hour and .status == "loaded") | .hour' >loaded ||
	    fail "cannot read the ledger after a kill"
	q 'SELECT src, count(*) FROM events GROUP BY src' 2>/dev/null |
	    sort >got.src
	while read -r h; do
		grep -qx "$h|$(sed -n "s/^$h //p" want)" got.src ||
		    fail "the ledger has $h loaded, the database $(grep "^$h|" got.src)"
	done <loaded
}

t0=$(now_ms)
gha-daily 2>err || fail "timing run: $(cat err)"
t=$(($(now_ms) - t0))
max=$(awk -v t="$t" 'BEGIN { printf "%.3f", t / 1000 * 0.95 }')
echo "an uninterrupted run takes $t ms; kills in [0, $max) s"
trap '[ -n "$pgrp" ] && /bin/kill -KILL -- -$pgrp 2>/dev/null
    for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT

delays 100 "$max" >d
kills=0 miss=0 round=0 left=0
while read -r dl; do
	[ $kills -lt "$KILLS" ] || [ $left -gt 0 ] || break
	if [ $left -eq 0 ]; then
		rm -rf gha.db gha.db-wal gha.db-shm cache log
		left=$(( ${dl#"${dl%?}"} % 5 + 1 ))
	fi
	setsid gha-daily 2>err &
	pgrp=$!
	sleep "$dl"
	if /bin/kill -KILL -- -$pgrp 2>/dev/null; then
		kills=$((kills + 1))
	else
		miss=$((miss + 1))
	fi
	wait $pgrp
	# the group's other processes die a moment after its leader
	i=0
	while /bin/kill -0 -- -$pgrp 2>/dev/null && [ $i -lt 250 ]; do
		i=$((i + 1))
		sleep 0.02
	done
	pgrp=
	[ ! -e gha.db ] ||
	    eq "integrity" ok "$(q 'PRAGMA integrity_check' 2>&1)"
	loaded_hours_whole
	[ ! -d cache ] || same_as_mirror cache m
	left=$((left - 1))
	[ $left -eq 0 ] || continue
	round=$((round + 1))
	gha-daily 2>err || fail "rerun after a kill at $dl s: exit $?: $(cat err)"
	eq "ledger after the rerun" "$(awk '{ print $1, "loaded", $2 }' want)" \
	    "$(ledger)"
	eq "events per hour after the rerun" "$(cat want.src)" \
	    "$(q 'SELECT src, count(*) FROM events GROUP BY src' | sort)"
	eq "rows after the rerun" "$(sumof want)" \
	    "$(q 'SELECT count(*) FROM event_store')"
	same_as_mirror cache m
done <d
[ $kills -ge "$KILLS" ] || fail "only $kills kills hit in $round rounds"
[ $left -eq 0 ] || fail "out of delays in the middle of a round"
echo "$kills kills hit a running gha-daily ($miss landed after it ended)," \
    "$round reruns exact"
