# -j N (lines decoded by N worker threads, gzip inflated in another) and
# -j 1 give the same bytes, the same messages, the same reject file, the
# same --status records and the same exit status: on good and on damaged
# gzip, and on an input of many batches with every kind of line that
# makes a note (bad JSON, NUL runs, lines over -L, flat records given
# back, objects run together), so that a result taken out of order would
# show.  Memory stays bounded with threads as without.
. "$TESTS/lib.sh"
sample_hours	# the real hours, or generated ones of the same sizes
f=2015-01-01-12.json.gz
cat "$f" "$f" >double.json.gz
size=$(wc -c <"$f")
head -c $((size * 2 / 3)) "$f" >cut.json.gz

# A mixed input: generated 2024 events (many 1 MB batches), with a bad
# line every 97th, a NUL run every 89th, a line of 80 KB (over -L 64K)
# every 211th, a flat record every 53rd, two objects run together every
# 71st.  The pieces come from awk alone, not from gha-decode.
gha-gen -n 6000 -s 5 2024 >gen.json || fail "gha-gen"
awk 'BEGIN { big = "x"; while (length(big) < 80000) big = big big }
NR % 97 == 0 { print "{\"id\": bad line " NR; next }
NR % 89 == 0 { printf "%s\0\0\0%s\n", $0, $0; next }
NR % 211 == 0 { print "{\"pad\":\"" big "\"}"; next }
NR % 53 == 0 { print "{\"id\":\"" NR "\",\"type\":\"PushEvent\",\"created_at\":\"2024-01-01T00:00:00Z\",\"actor_id\":1,\"actor_login\":\"a\",\"repo_id\":1,\"repo_name\":\"a/b\",\"org_id\":null,\"org_login\":null,\"action\":null,\"ref\":null,\"ref_type\":null,\"push_id\":null,\"commits\":null,\"distinct_commits\":null,\"head\":null,\"before\":null,\"number\":null,\"public\":true,\"src\":null}"; next }
NR % 71 == 0 { print $0 $0; next }
{ print }' gen.json >mixed.json
eq "mixed lines" "$(lines gen.json)" "$(lines mixed.json)"
gzip -c mixed.json >2024-01-15-3.json.gz
cp mixed.json 2024-01-15-4.json
printf '%s\n' 2024-01-15-3.json.gz 2024-01-15-4.json >list

# run J ARGS...: gha-decode -j J, everything it says kept under J.
run() {
	_j=$1
	shift
	rm -f st.$_j
	gha-decode -j "$_j" -L 64K -r rej.$_j --status st.$_j "$@" >out.$_j \
	    2>err.$_j
	echo $? >rc.$_j
}
same() {
	for _x in out err rej st rc; do
		cmp -s $_x.1 $_x.$1 ||
		    fail "$2: -j $1 and -j 1 differ in $_x: $(diff $_x.1 $_x.$1 |
		    head -n 4 | cut -c1-200)"
	done
}
for in in double.json.gz cut.json.gz 2024-01-15-3.json.gz \
    2024-01-15-4.json; do
	for j in 1 2 3; do
		run $j "$in"
	done
	same 2 "$in"
	same 3 "$in"
done
# The counts, from awk: every line but the bad, long and flat ones makes
# a record, a NUL line two, a run-together line two (tested in the order
# the lines were made).
eq "mixed: status" 1 "$(cat rc.1)"
want=$(awk 'NR % 97 == 0 { next } NR % 89 == 0 { n += 2; next }
    NR % 211 == 0 || NR % 53 == 0 { next } NR % 71 == 0 { n += 2; next }
    { n++ } END { print n }' gen.json)
eq "mixed: records" "$want" "$(lines out.1)"
for j in 1 2; do
	run $j - <list
done
same 2 "a list of paths on stdin"
eq "list: status records" 2 "$(lines st.2)"

for in in double.json.gz cut.json.gz; do
	gha-decode -j 2 <"$in" >three 2>/dev/null
	gha-decode -q -j 1 "$in" >one 2>/dev/null
	eq "$in: stdin" "$(jq -c 'del(.src)' one | md5sum)" \
	    "$(jq -c 'del(.src)' three | md5sum)"
done
eq "double" 16546 "$(gha-decode -q -j 2 double.json.gz | lines /dev/stdin)"
status 3 gha-decode -q -j 2 cut.json.gz >/dev/null
status 2 gha-decode -j 0 "$f" 2>/dev/null
status 2 gha-decode -j 65 "$f" 2>/dev/null

# Bounded memory: the peak resident set with 4 workers on the mixed hour
# stays under 32 MB (GNU time, when there is one; not under ASan, whose
# shadow memory and quarantine add tens of MB).
if [ -x /usr/bin/time ] &&
    ! nm "$(command -v gha-decode)" 2>/dev/null | grep -q __asan_init; then
	/usr/bin/time -f %M -o rss gha-decode -q -j 4 -L 64K \
	    2024-01-15-3.json.gz >/dev/null
	[ "$(tail -n 1 rss)" -lt 32768 ] ||
	    fail "-j 4: peak RSS $(tail -n 1 rss) KB, not under 32 MB"
fi
exit 0
