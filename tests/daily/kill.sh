# SIGKILL in the middle of a run (the whole process group, as a crash
# would), then a rerun: the ledger has every planned hour as pending
# (written before loading) but as loaded only those whose load finished;
# the rerun loads every other hour (some again: gha-load counts them as
# duplicates), and at the end every hour is loaded once, with exactly the
# mirror's events (counted with zcat): nothing lost, nothing twice.
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 12
printf '/2024-01-15-6.json.gz slow:2000 ok\n' >plan
start_server s m --plan plan
mkenv chunk=2
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T12:20:00Z

setsid gha-daily 2>err &	# a process group of its own (p = its id)
p=$!
i=0
until grep -q 'GET /2024-01-15-6\.' "$LOG"; do
	i=$((i + 1))
	[ $i -le 200 ] || fail "the slow hour was never asked for"
	sleep 0.05
done
sleep 0.3
/bin/kill -KILL -- -$p 2>/dev/null || fail "kill -$p"
wait $p
ledger >before
eq "the slow hour" "2024-01-15-6 pending -" "$(grep 2024-01-15-6 before)"
eq "every hour in the ledger" 12 "$(lines before)"
[ "$(grep -c ' loaded ' before)" -lt 12 ] || fail "every hour loaded before the kill"

gha-daily 2>err || fail "rerun: exit $?: $(cat err)"
hours 2024-01-15-0 2024-01-15-11 >h
expected m $(cat h) >want
eq "ledger" "$(awk '{ print $1, "loaded", $2 }' want)" "$(ledger)"
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
eq "per hour" "$(awk '{ print $1 "|" $2 }' want | sort)" \
    "$(q 'SELECT src, count(*) FROM events GROUP BY src' | sort)"
