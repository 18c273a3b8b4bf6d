# kill-restart: the server dies in the middle of a load; gha-load stops
# with exit 4, the server's absence in its message and no claim of
# success; rerun against a server that comes back while it retries, the
# load finishes with every event exactly once.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
sample_hours	# the real hours, or generated ones

gha-decode 2015-01-01-3.json.gz 2015-01-01-4.json.gz \
    >recs 2>/dev/null
[ "$(lines recs)" -gt 6000 ] || fail "gha-decode gave too few records"
# Independent count of distinct identities.
want=$(jq -r '[.id, .created_at] | @tsv' recs | sort -u | wc -l | tr -d ' ')

ch_start
mkfifo in
gha-load -w 1 --batch 500 "$CH_URL/gha" <in 2>err &
pid=$!
exec 3>in
# 3000 records are 6 whole batches: wait until the server has them all.
head -n 3000 recs >&3
i=0
until [ "$(ch_q 'SELECT count() FROM gha.event_store')" = 3000 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the first batches never arrived"
	sleep 0.1
done
ch_kill
tail -n +3001 recs >&3
exec 3>&-
wait $pid
rc=$?
cat err >&2
eq "exit status after the server died" 4 $rc
grep -q "Couldn't connect\|Connection refused\|connect to server" err ||
    fail "no connection error in the message"
grep -q "loading stopped" err || fail "no 'loading stopped' in the summary"
grep -q " 3000 inserted" err || fail "summary does not say 3000 inserted"

# Rerun while the server is down; it comes back during the retries.
gha-load -w 60 "$CH_URL/gha" <recs 2>err2 &
pid=$!
sleep 1
ch_start
wait $pid || fail "rerun failed: $(cat err2)"
cat err2 >&2
eq "events after the rerun" "$want" "$(ch_q 'SELECT count() FROM gha.events')"
grep -q " $((want - 3000)) inserted" err2 ||
    fail "rerun should insert $((want - 3000))"
