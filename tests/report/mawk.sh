# mawk: Debian's default awk is mawk, not gawk, and the report is an awk
# program.  The report's own cases (coverage, numbers, usage) run again
# here with mawk as awk, each in a folder of its own; every one must pass
# as it does under the suite's awk.  (mawk once named a day's missing
# hours ", 2015-01-02-5, ...": it makes A[k] before it reads the right
# side of A[k] = (k in A ? ... : ...).)
. "$TESTS/lib.sh"
mawk=$(command -v mawk) || skip "mawk is not installed"
mkdir bin
ln -s "$mawk" bin/awk
[ "$(PATH=$PWD/bin:$PATH awk -W version 2>&1 | head -n 1 | cut -c1-4)" = mawk ] ||
    fail "bin/awk is not mawk"
for c in coverage numbers usage; do
	mkdir "$c"
	(cd "$c" && PATH=$OLDPWD/bin:$PATH sh "$TESTS/report/$c.sh") \
	    >"$c.out" 2>"$c.err"
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 77 ] ||
	    fail "report/$c under mawk: exit $rc: $(tail -n 5 "$c.err")"
done
