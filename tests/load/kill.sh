# kill -9 in the middle of a load leaves a sound database holding whole
# batches only; running the same load again then gives exactly every
# event, counting the ones the killed run stored as duplicates.
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"
records
# Four copies of the records with their ids varied (a digit prepended):
# 133,708 distinct events, enough for a load to be caught mid-way.
awk '{ for (k = 1; k <= 4; k++) { s = $0; sub(/^\{"id":"/, "{\"id\":\"" k, s)
    print s } }' all.rec >big.rec
total=$(lines big.rec)
# Every line starts {"id":"ID","type":"TYPE","created_at":"TIME": cut -d'"'
# -f4,12 is the identity.
ident() {
	cut -d'"' -f4,12 --output-delimiter='	' "$1" | sort
}
eq "distinct" "$total" "$(ident big.rec | uniq | wc -l)"
gha-load -q --batch 500 -f big.rec gha.db &
pid=$!
# Wait for the first batches, then kill: the writer is then almost always
# inside a transaction (the test holds either way; see the summary line).
i=0
while [ "$(sqlite3 gha.db 'SELECT count(*) FROM event_store' 2>/dev/null ||
    echo 0)" -lt 2000 ] && [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid
rc=$?
[ $rc -eq 137 ] || echo "note: the load ended (status $rc) before the kill"
eq integrity ok "$(sqlite3 gha.db 'PRAGMA integrity_check')"
n=$(count gha.db)
echo "killed with $n of $total events stored"
[ $((n % 500)) -eq 0 ] || fail "$n events: part of a batch was stored"
gha-load -f big.rec gha.db 2>err || fail "rerun: $(cat err)"
grep -q "^gha-load: $total read, $((total - n)) inserted, $n duplicates, 0 rejected$" \
    err || fail "rerun summary: $(cat err)"
eq "events" "$total" "$(count gha.db)"
eq "ids" "$(ident big.rec | md5sum)" \
    "$(sqlite3 -separator '	' gha.db 'SELECT id, created_at FROM events' |
    sort | md5sum)"
