# valgrind (memcheck) over a representative set of the test suite's
# decode, filter and load invocations, on small inputs: good and damaged
# gzip, both threads and one, bad lines, NUL runs, run-together objects,
# deep nesting, every predicate kind, -d, -f, rejects, SQLite loads and
# the ledger.  Any memory error or leak (definite or indirect) fails the
# run with status 99.  Skips when valgrind is absent, or in a sanitizer
# build (ASan and valgrind do not mix).
. "$TESTS/lib.sh"
command -v valgrind >/dev/null 2>&1 || skip "valgrind is not installed"
if nm "$(command -v gha-decode)" 2>/dev/null | grep -q __asan_init; then
	skip "a sanitizer build: valgrind cannot run it"
fi
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect --track-fds=no "$@"
}
# run EXPECTED CMD...: CMD under memcheck must end with EXPECTED.
n=0
run() {
	_want=$1
	shift
	n=$((n + 1))
	vg "$@" >out.$n 2>err.$n
	_st=$?
	[ $_st -ne 99 ] || fail "memcheck: $*: $(grep '==' err.$n | head -20)"
	[ $_st -eq "$_want" ] || fail "exit $_st, expected $_want: $*: $(tail -3 err.$n)"
}
sample_hours	# the real hours, or generated ones
zcat 2015-01-01-1.json.gz |
    head -n 400 >good.json
gzip -c good.json >good.json.gz
size=$(wc -c <good.json.gz)
head -c $((size / 2)) good.json.gz >cut.json.gz
{ head -n 20 good.json; echo '{"id": broken'; printf 'ab\0\0\0cd\n'
  printf '{"id":"7","type":"T","created_at":"2015-01-01T00:00:00Z"}{"id":"8","type":"T","created_at":"2015-01-01T00:00:01Z"}\n'
  python3 -c 'print("[" * 5000 + "]" * 5000)'
  printf '{"x":"\377"}\n'; tail -n 20 good.json; printf '{"cut'; } >bad.json
if have_samples; then
	zcat "$SAMPLES"/klangner-github-analysis/2012-04-01-0.json.gz |
	    head -n 200 >tl.json	# the early 2012 era
else
	gen_timeline 200 1 >tl.json || fail "timeline events"
fi

# gha-decode
run 0 gha-decode good.json.gz
run 0 gha-decode -j 1 good.json.gz
run 0 gha-decode -p -u good.json
run 3 gha-decode -r rej cut.json.gz good.json
run 1 gha-decode -L 1K bad.json
run 0 gha-decode tl.json
run 3 gha-decode missing.json good.json
ls "$PWD/good.json.gz" >list
run 0 gha-decode <list
run 0 gha-decode <good.json.gz
cp out.1 recs
# gha-filter
run 0 gha-filter -t PushEvent,CreateEvent --repo '*/*' -a 'a*' good.json.gz
run 0 gha-filter -j 2 --dedup --fields id,type,actor_login,payload.size good.json
run 0 gha-filter -i -e 'actor_login ~ ^A' -e 'payload.size >= 2' \
    --since 2015-01-01T01:10:00Z --until 2015-01-01-2 good.json
run 0 gha-filter --invert -B -c -e 'number != null' recs
run 1 gha-filter --rejects rej -j 2 bad.json
run 3 gha-filter cut.json.gz
run 0 gha-filter -t '!WatchEvent' --fields id,actor_login,repo_name tl.json
run 2 gha-filter -e 'x ~ (' good.json
# gha-load
run 0 gha-load --batch 50 -f recs gha.db
run 0 gha-load -f recs gha.db
run 1 gha-load -r rej -f bad.json bad.db
printf '{"hour":"2015-01-01-1","status":"loaded","events":3}\n{"day":"2015-01-01","final":0}\n' >ledger
run 0 gha-load -H gha.db <ledger
run 0 gha-load -Q gha.db
run 4 gha-load -f recs nodir/x.db
eq "events" "$(lines recs)" "$(sqlite3 gha.db 'SELECT count(*) FROM events')"
echo "$n invocations clean under memcheck"
