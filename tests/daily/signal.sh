# SIGTERM or SIGINT in the middle of a run: every process the run started
# (its workers, their gha-fetch, gha-decode and gha-load) ends before the
# run does, the run holds its lock until then, exits 128+n, and the
# database does not change after it has exited.
#
# gha-fetch is wrapped (first on PATH) by a script that takes a second to
# stop (on SIGTERM, or after gha-fetch died of a signal) and says when it begins and ends stopping: a stage slow to stop,
# which the run must wait for.
#   1. gha-backfill -j 2, SIGTERM to it alone (as a service manager or a
#      script sends it): not its process group's leader.
#   2. gha-daily in a process group of its own, SIGINT to the whole group
#      (what a terminal's ^C does); while it stops, a second gha-daily
#      with lock_wait=0 must find the lock held (exit 5).
. "$TESTS/daily/daily.subr"
mkdir wrap
mkhours m 2024-01-15-0 24
for h in $(hours 2024-01-15-0 2024-01-15-23); do
	echo "/$h.json.gz slow:1500"
done >plan
start_server s m --plan plan
mkenv chunk=2
sed 's/^lock_wait=.*//; $a lock_wait=0' env/test.conf >env/test2.conf
real=$(command -v gha-fetch)
cat >wrap/gha-fetch <<EOF
#!/bin/sh
stop() {
	[ -n "\${s:-}" ] && return
	s=1
	echo \$\$ >>"$PWD/stopping"
	(trap '' TERM; exec sleep 1)	# not cut short by the run's SIGTERM
	echo \$\$ >>"$PWD/stopped"
	exit 143
}
trap stop TERM
"$real" "\$@" &
wait \$!
st=\$?
[ \$st -gt 128 ] && stop
exit \$st
EOF
chmod +x wrap/gha-fetch
PATH=$PWD/wrap:$PATH

# ours: the gha tools still running for this scratch folder (their
# arguments name it), and the processes of process group $1 if given;
# not the zombies of processes that ended, which init has yet to reap.
ours() {
	ps -e -o pid= -o pgid= -o stat= -o args= | awk -v d="$PWD/" -v g="${1:-x}" '
	    $3 ~ /^Z/ { next }
	    $2 == g || (index($0, d) && $0 ~ /gha-(fetch|decode|load|daily|backfill)/ &&
	    $0 !~ / awk /) { print }'
}

# busy: wait until some hour is being fetched and the ledger has rows.
busy() {
	i=0
	until [ "$(reqs GET)" -ge 2 ] && grep -q 'plan: ' log/$1.log 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 200 ] || fail "$1 never started fetching"
		sleep 0.05
	done
	sleep 0.5
}

# settled WHAT: nothing of the run left, and the database unchanged
# a while after the exit.
settled() {
	eq "$1: processes left" "" "$(ours ${2:-})"
	a=$(q 'SELECT count(*) FROM event_store'; ledger | sort)
	sleep 1.5
	b=$(q 'SELECT count(*) FROM event_store'; ledger | sort)
	eq "$1: the database after the exit" "$a" "$b"
	eq "$1: every slow stage stopped" "$(sort stopping)" "$(sort stopped)"
}

# 1. SIGTERM to gha-backfill alone.
gha-backfill -j 2 2024-01-15 >out 2>err &
p=$!
busy gha-backfill
[ -n "$(ours | grep gha-fetch)" ] || fail "no gha-fetch running"
kill -TERM $p
wait $p
eq "backfill: exit status" 143 $?
[ -s stopping ] || fail "no gha-fetch was stopped"
settled backfill
grep -q 'gha-backfill\[[0-9]*\]: stopped by SIGTERM$' log/gha-backfill.log ||
    fail "log: $(tail -n 2 log/gha-backfill.log)"
[ "$(ledger | grep -c ' loaded ')" -lt 24 ] || fail "everything loaded"

# 2. SIGINT to gha-daily's process group, a second run meanwhile.
rm -f stopping stopped
export GHA_START=2024-01-15 GHA_NOW=2024-01-16T00:20:00Z
: >"$LOG"
# (A shell's background job ignores SIGINT; a terminal's foreground job
# does not: python3 starts it as one.)
python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])' gha-daily >out 2>err &
p=$!
busy gha-daily
/bin/kill -INT -- -$p || fail "kill -INT -$p"
i=0
until [ -s stopping ]; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "no gha-fetch began stopping"
	sleep 0.05
done
[ -s stopped ] && fail "too late for the second run"
gha-daily --env test2 2>err2
eq "second run during the shutdown" 5 $?
grep -q 'another gha-daily run holds' err2 || fail "second run: $(cat err2)"
wait $p
eq "daily: exit status" 130 $?
settled daily $p
grep -q 'gha-daily\[[0-9]*\]: stopped by SIGINT$' log/gha-daily.log ||
    fail "log: $(tail -n 2 log/gha-daily.log)"

# The hours loaded are whole: a rerun completes the day exactly.
PATH=${PATH#*/wrap:}
start_server fast m
GHA_BASE_URL=$URL gha-daily 2>err || fail "rerun: exit $?: $(cat err)"
expected m $(hours 2024-01-15-0 2024-01-15-23) >want
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
