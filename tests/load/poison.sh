# A store cannot be poisoned: input of the wrong kind (raw archive events
# of three eras, projections, another program's NDJSON, empty objects, a
# pretty-printed file; poison.subr) given to gha-load, into a fresh and
# into an already-loaded SQLite file, stores nothing, says what it was
# (three lines and a count, not one line per line) and exits 1 (3 for the
# pretty-printed file); the right input loaded after it then stores every
# event, and every view equals the rows jq and awk compute from the right
# input (views.subr).  Also the exact measurement that opened the issue:
# zcat of a 2015 hour piped into gha-load, then the decoded hour.
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"
. "$TESTS/load/poison.subr"
poison_inputs
want=$(jq -r '[.id, .created_at] | @tsv' good.rec | sort -u | wc -l |
    tr -d ' ')
want_views good.rec want
gha-load -q -f good.rec clean.db || fail "clean load"
got_views clean.db clean
diff -r want clean >/dev/null || fail "clean load: views differ from jq"

# same_as_clean DB WHAT: DB holds every event once, views as computed.
poisoned=0 stores=0
same_as_clean() {
	stores=$((stores + 1))
	rm -rf got
	got_views "$1" got
	if [ "$(count "$1")" != "$want" ] || ! diff -r want got >/dev/null
	then
		poisoned=$((poisoned + 1))
		echo "poisoned: $2: $(count "$1") events of $want;" \
		    "$(diff -r want got | head -n 4)" >&2
	fi
}

for k in $KINDS; do
	st=1
	[ $k = pretty ] && st=3
	# Fresh: nothing stored, the kind said, then the right input whole.
	rm -f fresh.db*
	gha-load -f kind.$k fresh.db 2>err
	eq "$k into a fresh store: exit" $st $?
	kind_report $k err
	eq "$k: stored" 0 "$(count fresh.db)"
	gha-load -f good.rec fresh.db 2>err || fail "$k: right load: $(cat err)"
	grep -q " $want inserted, $(($(lines good.rec) - want)) duplicates, 0 rejected$" \
	    err || fail "$k, then the right input: $(cat err)"
	same_as_clean fresh.db "$k, then the right input"
	# Loaded: the wrong kind changes nothing.
	rm -f loaded.db*
	sqlite3 clean.db ".backup loaded.db"
	gha-load -q -f kind.$k loaded.db
	eq "$k into a loaded store: exit" $st $?
	same_as_clean loaded.db "$k into a loaded store"
done

# Each rejected line is kept as it was read (-r), all of a wrong kind.
gha-load -q -r rej -f kind.raw-2026 -f kind.empty r.db
eq "-r status" 1 $?
cat kind.raw-2026 kind.empty | cmp -s - rej || fail "-r: not every line kept"
# Several kinds in one file: each reported and summed up on its own.
cat kind.raw-2015 kind.proj-id-type >mixed
gha-load -f mixed m.db 2>err
eq "mixed: exit" 1 $?
eq "mixed: lines said" 9 "$(lines err)"
grep -q "^gha-load: mixed: $(($(lines kind.raw-2015) - 3)) more lines not shown: raw archive events" \
    err || fail "mixed raw: $(cat err)"
grep -q "^gha-load: mixed: $(($(lines kind.proj-id-type) - 3)) more lines not shown: projections" \
    err || fail "mixed projections: $(cat err)"
# -q: nothing said, the status still tells.
status 1 gha-load -q -f kind.raw-2015 q.db 2>err
[ ! -s err ] || fail "-q printed: $(cat err)"

# The measurement of the issue, on the real hour when it is there.
if [ -d "$SAMPLES" ]; then
	h=$SAMPLES/intersimone999-gh-archive/2015-01-01-3.json.gz
	n=$(zcat "$h" | wc -l | tr -d ' ')
	zcat "$h" | gha-load x.db 2>err
	eq "zcat | gha-load: exit" 1 $?
	grep -q "^gha-load: $n read, 0 inserted, 0 duplicates, $n rejected$" \
	    err || fail "zcat | gha-load: $(cat err)"
	gha-decode -q "$h" | gha-load x.db 2>err ||
	    fail "the decoded hour: $(cat err)"
	grep -q "^gha-load: $n read, $n inserted, 0 duplicates, 0 rejected$" \
	    err || fail "the decoded hour after it: $(cat err)"
fi
echo "$(echo $KINDS | wc -w | tr -d ' ') wrong kinds, $stores stores:" \
    "$poisoned poisoned stores"
[ $poisoned -eq 0 ] || fail "$poisoned poisoned stores"
