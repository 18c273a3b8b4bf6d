# --status FILE: one NDJSON record per input with its own counts, checked
# with jq against sqlite3 and the inputs: "ok" (read, inserted,
# duplicates within and across inputs, rejected lines), "unreadable" (no
# such file), "damaged" (a gzip input cut short), "stopped" (the database
# refused a batch part way: the error is in the record); stdin; the
# counts per input hold with -b 1 and with batches bigger than the inputs
# alike; --status is refused with -H and -Q.
. "$TESTS/lib.sh"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is not installed"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built (make testbin)"
for h in 3 4; do
	"$TBIN/gha-gen" -z -n 30 -s $h -H 2024-01-15-$h -o . 2>/dev/null ||
	    fail "gha-gen"
	gha-decode -q 2024-01-15-$h.json.gz >$h.rec || fail "decode $h"
done
# a: hour 3.  b: hour 4, then a's first 10 again, then one of its own
# lines twice.  c: one bad line between two of a's.  d: hour 4, gzip, cut.
cp 3.rec a.rec
{ cat 4.rec; head -n 10 3.rec; sed -n 1p 4.rec; } >b.rec
{ sed -n 1p 3.rec; echo '{"id":"x"}'; sed -n 2p 3.rec; } >c.rec
gzip -n <4.rec | head -c 600 >d.rec.gz

check() {	# check BATCH
	rm -f gha.db st
	gha-load --batch "$1" --status st -f a.rec -f b.rec -f c.rec -f nosuch \
	    -f d.rec.gz gha.db 2>err
	eq "exit (-b $1)" 3 $?
	jq -e . st >/dev/null || fail "not JSON: $(cat st)"
	na=$(lines a.rec) nb=$(lines b.rec)
	eq "a (-b $1)" "a.rec ok $na $na 0 0" "$(jq -r 'select(.input ==
	    "a.rec") | "\(.input) \(.state) \(.read) \(.inserted)
	    \(.duplicates) \(.rejected)"' st | xargs)"
	new=$(lines 4.rec)
	eq "b (-b $1)" "ok $nb $new $((nb - new)) 0" "$(jq -r 'select(.input ==
	    "b.rec") | "\(.state) \(.read) \(.inserted) \(.duplicates)
	    \(.rejected)"' st | xargs)"
	eq "c (-b $1)" "ok 3 0 2 1" "$(jq -r 'select(.input == "c.rec") |
	    "\(.state) \(.read) \(.inserted) \(.duplicates) \(.rejected)"' \
	    st | xargs)"
	eq "nosuch (-b $1)" "unreadable 0 0" "$(jq -r 'select(.input ==
	    "nosuch") | "\(.state) \(.read) \(.inserted)"' st | xargs)"
	eq "d (-b $1)" "damaged 0" "$(jq -r 'select(.input == "d.rec.gz") |
	    "\(.state) \(.inserted)"' st)"
	eq "inserted = rows (-b $1)" "$(sqlite3 gha.db \
	    'SELECT count(*) FROM events')" "$(jq -s 'map(.inserted) | add' st)"
	eq "no error (-b $1)" "" "$(jq -r 'select(.error != null) | .input' st)"
}
check 1
check 1000

# stdin, appended to by /dev/fd/N.
gha-load --status /dev/fd/3 3>>st gha.db <3.rec 2>err || fail "stdin: $(cat err)"
eq "stdin" "<stdin> ok $(lines 3.rec) 0 $(lines 3.rec)" "$(tail -n 1 st |
    jq -r '"\(.input) \(.state) \(.read) \(.inserted) \(.duplicates)"')"

# A batch the database refuses (a trigger here): the input's record says
# "stopped" with the reason, and the exit status is 4.
rm -f gha.db
gha-load -q gha.db </dev/null || fail "create"
sqlite3 gha.db "CREATE TRIGGER no BEFORE INSERT ON event_store
    BEGIN SELECT RAISE(ABORT, 'no more rows'); END" || fail "trigger"
gha-load --status st2 -f a.rec -f b.rec gha.db 2>err
eq "stopped exit" 4 $?
eq "stopped" "a.rec stopped 0" "$(jq -r '"\(.input) \(.state) \(.inserted)"' \
    st2 | head -n 1)"
jq -r .error st2 | grep -q 'no more rows' || fail "error: $(cat st2)"

gha-load -Q --status st gha.db >/dev/null 2>&1
eq "-Q --status" 2 $?
gha-load --status nodir/st gha.db </dev/null 2>err
eq "unwritable status" 4 $?
exit 0
