# gha-load into SQLite, SIGKILLed at 20+ random moments (seeded, see
# harden.subr): from its first instruction (the schema being created) to
# its last commit, once to three times in a row on the same file.  After
# every kill the file passes PRAGMA integrity_check and holds whole
# batches only (each -b 200 slice of the input all there or not at all);
# then a rerun stores exactly the input's distinct events, counted with
# sort -u, the ones the killed runs stored counted as duplicates, and the
# metric views (read from the aggregates of rollup.c, which a kill may
# have caught half made) hold what one uninterrupted load gives.
# (tests/load/kill.sh kills one big load once; this one aims everywhere.)
. "$TESTS/lib.sh"
. "$TESTS/harden/harden.subr"
sample_hours	# the real hours, or generated ones
harden_seed
gha-decode -q 2015-01-01-4.json.gz \
    >recs || fail "decode"
total=$(lines recs)
# Every line starts {"id":"ID": cut -d'"' -f4 is the id, unique here.
eq "distinct ids" "$total" "$(cut -d'"' -f4 recs | sort -u | wc -l | tr -d ' ')"
b=200
batch_map $b

# whole: the schema is all there or not at all (one transaction), and
# every batch of the input is stored in full or not at all.
whole() {
	objs=$(sqlite3 gha.db "SELECT count(*) FROM sqlite_master
	    WHERE name IN ('event_store', 'events', 'daily_summary')") ||
	    fail "cannot read gha.db after a kill"
	case $objs in
	0)	: >stored
		return ;;
	3)	;;
	*)	fail "half a schema: $objs of its 3 objects checked" ;;
	esac
	sqlite3 gha.db 'SELECT id FROM events' >stored ||
	    fail "cannot read gha.db after a kill"
	whole_batches stored || fail "part of a batch was stored"
}

t0=$(now_ms)
gha-load -q --batch $b -f recs gha.db || fail "timing run"
t=$(($(now_ms) - t0))
METRICS='SELECT * FROM daily_summary; SELECT count(*), sum(commits)
    FROM dev_daily; SELECT * FROM repos_more_than_ten_members_daily
    ORDER BY 1, 2; SELECT count(*), sum(repos_owned), sum(repos_created)
    FROM devs_owning_multiple_repos; SELECT count(*) FROM agg_dirty'
sqlite3 gha.db "$METRICS" >metrics.want || fail "metrics"
rm -f gha.db*
max=$(awk -v t="$t" 'BEGIN { printf "%.3f", t / 1000 * 0.9 }')
echo "an uninterrupted load takes $t ms; kills in [0, $max) s"

delays 400 "$max" >d
kills=0 miss=0 tries=0 round=0
exec 4<d
while [ $kills -lt "$KILLS" ]; do
	round=$((round + 1))
	[ $round -le 100 ] || fail "only $kills kills hit in 100 rounds"
	rm -f gha.db gha.db-wal gha.db-shm
	# one to three kills in a row (the delay's last digit picks), then
	# the rerun
	read -r first <&4 || fail "out of delays"
	n=$(( ${first#"${first%?}"} % 3 + 1 ))
	dl=$first
	i=0
	while [ $i -lt $n ]; do
		[ $i -eq 0 ] || read -r dl <&4 || fail "out of delays"
		gha-load -q --batch $b -f recs gha.db 2>err &
		kill_tally "$dl" $!
		i=$((i + 1))
		[ -e gha.db ] || continue
		eq "integrity after a kill at $dl s" ok \
		    "$(sqlite3 gha.db 'PRAGMA integrity_check' 2>&1)"
		whole
	done
	before=$(lines stored 2>/dev/null || echo 0)
	[ -e gha.db ] || before=0
	gha-load -f recs gha.db 2>err || fail "rerun: $(cat err)"
	grep -q "^gha-load: $total read, $((total - before)) inserted, $before duplicates, 0 rejected$" \
	    err || fail "rerun after $before stored: $(cat err)"
	eq "events after the rerun" "$total" \
	    "$(sqlite3 gha.db 'SELECT count(DISTINCT id) FROM events')"
	eq "rows after the rerun" "$total" \
	    "$(sqlite3 gha.db 'SELECT count(*) FROM event_store')"
	sqlite3 gha.db "$METRICS" | cmp -s metrics.want - ||
	    fail "metrics after the rerun differ from one load's"
done
exec 4<&-
echo "$kills kills hit a running gha-load ($miss landed after it ended), $round reruns exact"
