# gha-load into ClickHouse (a throwaway server, tests/clickhouse),
# SIGKILLed at 20+ random moments (seeded, see harden.subr): creating the
# database, reading back a batch's keys, sending it, between batches; one
# to four kills in a row on the same database.  After every kill the
# server holds whole batches only (each -b 200 slice of the input all
# there or not at all); then a rerun stores exactly the input's distinct
# events (counted with sort -u), the killed runs' ones counted as
# duplicates, each event once in event_store as well as in the view.
# (tests/clickhouse/kill-restart.sh kills the server; this kills the
# loader.)
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
. "$TESTS/harden/harden.subr"
sample_hours	# the real hours, or generated ones
harden_seed
gha-decode -q 2015-01-01-4.json.gz |
    head -n 2000 >recs || fail "decode"
total=$(lines recs)
eq "distinct ids" "$total" "$(cut -d'"' -f4 recs | sort -u | wc -l | tr -d ' ')"
b=200
batch_map $b
ch_start
db=0

# whole: every batch of the input is on the server in full or not at all.
# An INSERT whose body had all arrived when its client died is still
# completed by the server: wait until it has no query running.
whole() {
	w=0
	while [ "$(ch_q "SELECT count() FROM system.processes
	    WHERE query NOT LIKE '%system.processes%'")" != 0 ]; do
		w=$((w + 1))
		[ $w -lt 100 ] || fail "the server is still busy 10 s after a kill"
		sleep 0.1
	done
	curl -sS --data-binary "SELECT id FROM g$db.event_store FINAL FORMAT TSV" \
	    "$CH_URL/" >stored 2>cerr || : >stored
	grep -q 'Code: 81\|Code: 60' stored && : >stored	# no db or table yet
	whole_batches stored ||
	    fail "part of a batch was stored: $(head -c 300 stored)"
}

t0=$(now_ms)
gha-load -q --batch $b -f recs "$CH_URL/timing" || fail "timing run"
t=$(($(now_ms) - t0))
max=$(awk -v t="$t" 'BEGIN { printf "%.3f", t / 1000 * 0.9 }')
# A load into a database that holds the events already (the second and
# later loads of a round) is quicker: its kill moments are scaled down to
# its own length, so they land while it runs.
t0=$(now_ms)
gha-load -q --batch $b -f recs "$CH_URL/timing" || fail "second timing run"
t2=$(($(now_ms) - t0))
echo "an uninterrupted load takes $t ms, a repeated one $t2 ms; kills in [0, $max) s, scaled by $t2/$t after the first"

delays 400 "$max" >d
kills=0 miss=0 round=0
exec 4<d
while [ $kills -lt "$KILLS" ]; do
	round=$((round + 1))
	[ $round -le 150 ] || fail "only $kills kills hit in 150 rounds"
	db=$round	# a fresh database each round: g1, g2, ...
	read -r first <&4 || fail "out of delays"
	n=$(( ${first#"${first%?}"} % 4 + 1 ))
	dl=$first
	i=0
	while [ $i -lt $n ]; do
		if [ $i -gt 0 ]; then
			read -r dl <&4 || fail "out of delays"
			dl=$(awk -v d="$dl" -v a="$t2" -v b="$t" \
			    'BEGIN { printf "%.3f", d * a / b }')
		fi
		gha-load -q -w 5 --batch $b -f recs "$CH_URL/g$db" 2>err &
		kill_tally "$dl" $!
		i=$((i + 1))
		whole
	done
	before=$(lines stored)
	gha-load -w 5 --batch $b -f recs "$CH_URL/g$db" 2>err ||
	    fail "rerun: $(cat err)"
	grep -q "^gha-load: $total read, $((total - before)) inserted, $before duplicates, 0 rejected$" \
	    err || fail "rerun after $before stored: $(cat err)"
	eq "events after the rerun" "$total" \
	    "$(ch_q "SELECT count() FROM g$db.events")"
	eq "rows after the rerun" "$total" \
	    "$(ch_q "SELECT count() FROM g$db.event_store FINAL")"
done
exec 4<&-
echo "$kills kills hit a running gha-load ($miss landed after it ended), $round reruns exact"
