# rollup-kill: gha-load killed (kill -9) in the middle of recomputing the
# metrics of the days it loaded, then run again with no input, leaves
# every metric view with the rows of the views over the events
# (rollup.subr); so does one killed while it stores the events, run again
# with the same input.  The days are 14 generated 2024-shaped ones, so
# that the recompute takes long enough to be caught: the kill comes once
# the pass's staging table exists and two days have their aggregates,
# and the test checks that days were left to do.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
. "$TESTS/clickhouse/rollup.subr"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built"
d=1
while [ $d -le 14 ]; do
	"$TBIN/gha-gen" -n 3000 -s $d -H "2024-03-$(printf %02d $d)-12" 2024
	d=$((d + 1))
done | gha-decode >recs 2>/dev/null
eq "days generated" 14 "$(jq -r '.created_at[0:10]' recs | sort -u | wc -l |
    tr -d ' ')"
ch_start

# stage DB: how many staging tables DB has; done DB: its days with rows.
stage() {
	ch_q "SELECT count() FROM system.tables WHERE database = '$1' AND
	    name LIKE 'agg_stage%'"
}
done_days() {
	ch_q "SELECT count() FROM $1.agg_by_day WHERE kind = 'day'"
}

gha-load -q "$CH_URL/a" <recs 2>err &
pid=$!
i=0
until [ "$(stage a 2>/dev/null)" = 1 ] && [ "$(done_days a)" -ge 2 ]; do
	i=$((i + 1))
	[ $i -lt 3000 ] || fail "no recompute seen"
	kill -0 $pid 2>/dev/null || fail "gha-load ended before the kill"
	sleep 0.01
done
kill -9 $pid
wait $pid 2>/dev/null
left=$((14 - $(done_days a)))
[ $left -gt 0 ] || fail "the kill came after every day was done"
echo "killed with $left days to do" >&2
gha-load -v "$CH_URL/a" </dev/null 2>err || fail "rerun: $(cat err)"
old_views a
same_views a "(killed while recomputing, run again)"
eq "days with aggregates" 14 "$(done_days a)"

# Killed while storing events, batches of 2,000 records.
gha-load -q --batch 2000 "$CH_URL/b" <recs 2>err &
pid=$!
i=0
until [ "$(ch_q 'SELECT count() FROM b.event_store' 2>/dev/null)" -gt 4000 ]
do
	i=$((i + 1))
	[ $i -lt 3000 ] || fail "no events stored"
	kill -0 $pid 2>/dev/null || fail "gha-load ended before the kill"
	sleep 0.01
done
kill -9 $pid
wait $pid 2>/dev/null
[ "$(ch_q 'SELECT count() FROM b.event_store')" -lt "$(lines recs)" ] ||
    fail "the kill came after every event was stored"
gha-load -q "$CH_URL/b" <recs 2>err || fail "rerun b: $(cat err)"
old_views b
same_views b "(killed while storing, run again)"
exit 0
