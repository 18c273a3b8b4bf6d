# The hand-written bad-input corpus (tests/bad, its EXPECT file the table
# of what each file must give): every file through gha-decode and
# gha-filter, the exit status, the good records kept, and the first
# message naming the file (and the damaged line).  No sample needed.
. "$TESTS/lib.sh"
cp "$TESTS"/bad/* .
k=0
grep -v '^#' EXPECT | while IFS='	' read -r f dx dn fx fn msg; do
	[ -n "$f" ] || continue
	for t in decode filter; do
		gha-$t "$f" >out 2>err
		st=$?
		if [ $t = decode ]; then x=$dx n=$dn; else x=$fx n=$fn; fi
		eq "$t $f: exit" "$x" "$st"
		eq "$t $f: records" "$n" "$(lines out)"
		[ $t = filter ] && [ "$msg" != - ] &&
		    case $msg in *created_at*) continue ;; esac
		if [ "$msg" = - ]; then
			eq "$t $f: messages" 1 "$(lines err)"
		else
			head -n 1 err | grep -qF "gha-$t: $msg" ||
			    fail "$t $f: $(head -n 1 err)"
		fi
	done
	k=$((k + 1))
	echo "$k $f"
done >seen || exit
eq "files checked" "$(ls "$TESTS"/bad | grep -vc EXPECT)" "$(lines seen)"
