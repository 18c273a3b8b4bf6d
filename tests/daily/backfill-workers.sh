# gha-backfill --worker i/n: n workers share a range with no coordinator, each
# taking the hours whose number since 1970 is i-1 modulo n.  Two workers
# (1/2 and 2/2) run at once on one SQLite file: each fetches only its
# hours, every hour is fetched once, and the ledger shows the whole (every
# hour loaded, the day final, whichever ended last); the same worker
# twice at once is refused by its lock (exit 5).  Workers given
# overlapping ranges, and a worker running at once with a plain backfill
# of the same range (both loading the same hours), leave exact counts:
# the events are exactly the mirror's (counted with zcat), each once.
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 31
printf '/2024-01-15-4.json.gz slow:1500 ok\n/2024-01-15-5.json.gz slow:1500 ok\n' >plan
start_server s m --plan plan
mkenv jobs=2 lock_wait=1
export GHA_NOW=2024-01-17T00:00:00Z
range=2024-01-15-0..2024-01-16-6

# The plan: worker 1 of 2 takes the even hours (2024-01-15-0 is hour
# 473,688 since 1970), worker 2 the odd ones; bad shares are refused.
gha-backfill -n --worker 1/2 $range >plan1 || fail "-n --worker 1/2"
gha-backfill -n --worker=2/2 $range >plan2 || fail "-n --worker=2/2"
hours 2024-01-15-0 2024-01-16-6 >all
eq "worker 1" "$(awk 'NR % 2 == 1 { print $1, "load" }' all)" "$(cat plan1)"
eq "worker 2" "$(awk 'NR % 2 == 0 { print $1, "load" }' all)" "$(cat plan2)"
for bad in 0/2 3/2 1/0 2 1/2/3 a/b 1/1001; do
	gha-backfill -n --worker "$bad" $range >/dev/null 2>err
	eq "--worker $bad" 2 $?
	grep -q "^gha-backfill: --worker $bad: want i/n, 1 <= i <= n <= 1000" \
	    err || fail "--worker $bad: $(cat err)"
done

# Two workers at once; the same worker a second time is refused.
gha-backfill --worker 1/2 $range 2>err1 &
p1=$!
gha-backfill --worker 2/2 $range 2>err2 &
p2=$!
i=0
until grep -q 'GET /2024-01-15-4\.' "$LOG"; do
	i=$((i + 1))
	[ $i -le 200 ] || fail "worker 1 never asked for its slow hour"
	sleep 0.05
done
gha-backfill --worker 1/2 $range 2>err3
eq "the same worker twice" 5 $?
grep -q 'another gha-backfill\.1-of-2 run holds' err3 || fail "$(cat err3)"
wait $p1 || fail "worker 1: exit $?: $(cat err1)"
wait $p2 || fail "worker 2: exit $?: $(cat err2)"
grep -q '; worker 1 of 2$' err1 || fail "worker 1: $(cat err1)"
grep -q '16 hours loaded' err1 || fail "worker 1: $(cat err1)"
grep -q '15 hours loaded' err2 || fail "worker 2: $(cat err2)"
expected m $(cat all) >want
eq "ledger: the whole" "$(awk '{ print $1, "loaded", $2 }' want)" "$(ledger)"
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
eq "per hour" "$(awk '{ print $1 "|" $2 }' want | sort)" \
    "$(q 'SELECT src, count(*) FROM events GROUP BY src' | sort)"
eq "each hour fetched once" "$(lines all)" \
    "$(grep -c 'GET /2024-' "$LOG")"
eq "final" "2024-01-15|1" "$(q "SELECT day, final FROM daily_coverage
    WHERE day = '2024-01-15'")"

# Overlapping ranges, and a plain backfill at once with a worker of the
# same range: exact counts.
rm -f gha.db*
gha-backfill --worker 1/2 2024-01-15-0..2024-01-15-20 2>err1 &
p1=$!
gha-backfill --worker 2/2 2024-01-15-10..2024-01-16-6 2>err2 &
p2=$!
wait $p1 || fail "overlap 1: exit $?: $(cat err1)"
wait $p2 || fail "overlap 2: exit $?: $(cat err2)"
{
	hours 2024-01-15-0 2024-01-15-20 | awk 'NR % 2 == 1'
	hours 2024-01-15-10 2024-01-16-6 | awk 'NR % 2 == 0'
} | sort -u >got.hours
expected m $(cat got.hours) >want2
eq "overlap: events" "$(sumof want2)" "$(q 'SELECT count(*) FROM events')"
eq "overlap: per hour" "$(awk '{ print $1 "|" $2 }' want2 | sort)" \
    "$(q 'SELECT src, count(*) FROM events GROUP BY src' | sort)"
rm -f gha.db*
gha-backfill --worker 2/3 $range 2>err1 &
p1=$!
gha-backfill $range 2>err2 &
p2=$!
wait $p1 || fail "with plain 1: exit $?: $(cat err1)"
wait $p2 || fail "with plain 2: exit $?: $(cat err2)"
eq "with a plain backfill: ledger" "$(awk '{ print $1, "loaded", $2 }' want)" \
    "$(ledger)"
eq "with a plain backfill: events" "$(sumof want)" \
    "$(q 'SELECT count(*) FROM events')"
eq "with a plain backfill: per hour" "$(awk '{ print $1 "|" $2 }' want |
    sort)" "$(q 'SELECT src, count(*) FROM events GROUP BY src' | sort)"
exit 0
