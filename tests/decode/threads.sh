# -j 2 (inflate in a thread of its own) and -j 1 give the same bytes, the
# same messages and the same exit status, on good and on damaged gzip.
. "$TESTS/lib.sh"
sample_hours	# the real hours, or generated ones of the same sizes
f=2015-01-01-12.json.gz
cat "$f" "$f" >double.json.gz
size=$(wc -c <"$f")
head -c $((size * 2 / 3)) "$f" >cut.json.gz
for in in double.json.gz cut.json.gz; do
	gha-decode -j 1 "$in" >one 2>one.err
	s1=$?
	gha-decode -j 2 "$in" >two 2>two.err
	s2=$?
	gha-decode -j 2 <"$in" >three 2>/dev/null
	eq "$in: exit status" $s1 $s2
	cmp -s one two || fail "$in: output differs between -j 1 and -j 2"
	cmp -s one.err two.err || fail "$in: messages differ"
	eq "$in: stdin" "$(jq -c 'del(.src)' one | md5sum)" \
	    "$(jq -c 'del(.src)' three | md5sum)"
done
eq "double" 16546 "$(gha-decode -q -j 2 double.json.gz | lines /dev/stdin)"
status 3 gha-decode -q -j 2 cut.json.gz >/dev/null
status 2 gha-decode -j 3 "$f" 2>/dev/null
