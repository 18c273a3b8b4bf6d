# Loading the same input again changes nothing: not the number of events,
# not a single stored value, not a view; every record is then counted as a
# duplicate.  Input that repeats itself is stored once.
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"
records
gha-load -q -f all.rec gha.db || fail "first load"
dump() {
	sqlite3 gha.db 'SELECT * FROM event_store' | md5sum
	got_views gha.db "$1"
}
dump before >sum1
gha-load --batch 777 -f all.rec gha.db 2>err || fail "reload: $(cat err)"
grep -q '^gha-load: 33427 read, 0 inserted, 33427 duplicates, 0 rejected$' \
    err || fail "reload summary: $(cat err)"
# The same records gzipped (-f reads gzip too): still nothing new.
gzip -c all.rec >all.rec.gz
gha-load -f all.rec.gz gha.db 2>err || fail "gzip reload: $(cat err)"
grep -q '^gha-load: 33427 read, 0 inserted, 33427 duplicates, 0 rejected$' \
    err || fail "gzip reload summary: $(cat err)"
dump after >sum2
cmp -s sum1 sum2 || fail "reload changed the stored rows"
diff -r before after >&2 || fail "reload changed a view"
eq count 33427 "$(count gha.db)"

# One input holding every record twice, into a new file: each is stored
# once, whichever batch its copy falls in (1000 a batch; 33427 is odd).
cat all.rec all.rec | gha-load --batch 1000 new.db 2>err || fail "twice"
grep -q '^gha-load: 66854 read, 33427 inserted, 33427 duplicates, 0 rejected$' \
    err || fail "twice summary: $(cat err)"
eq "same rows" "$(sqlite3 gha.db 'SELECT * FROM event_store' | md5sum)" \
    "$(sqlite3 new.db 'SELECT * FROM event_store' | md5sum)"
