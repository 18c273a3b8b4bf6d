# The progress line on a terminal, under both awks the scripts must work
# with (mawk, Debian's default, and gawk: "awk" on PATH is each in turn):
# gha-backfill -j 2 on a pseudo-terminal (script(1)) shows
# "\rN/24 hours, E events, M missing, F failed, Ss left" lines, counting
# up to 24/24 with the events so far, then a newline and its one-line
# summary; gha-daily's ends with its "ok" line; gha-report writes the
# same under both.  Events counted with zcat.
. "$TESTS/daily/daily.subr"
command -v script >/dev/null 2>&1 || skip "script(1) is not installed"
mkhours m 2024-01-15-0 26
rm m/2024-01-15-7.json.gz	# one missing hour
for h in 3 11 19; do
	echo "/2024-01-15-$h.json.gz slow:6000"
done >plan
start_server s m --plan plan
hours 2024-01-15-0 2024-01-15-23 | grep -vx 2024-01-15-7 >h
expected m $(cat h) >want
ev=$(sumof want)
ran=0
for a in mawk gawk; do
	p=$(command -v $a) || { echo "($a is not installed)"; continue; }
	ran=$((ran + 1))
	rm -rf bin-$a gha.db cache log env
	mkdir bin-$a
	ln -s "$p" bin-$a/awk
	mkenv
	PATH=$PWD/bin-$a:$PATH script -qec 'gha-backfill -j 2 2024-01-15' \
	    /dev/null >tty.$a </dev/null || fail "$a: backfill: $(cat tty.$a)"
	case $a in
	mawk)	PATH=$PWD/bin-$a:$PATH awk -W version 2>&1 | grep -q '^mawk ' ;;
	gawk)	PATH=$PWD/bin-$a:$PATH awk --version 2>&1 | grep -q '^GNU Awk ' ;;
	esac || fail "$a: not the awk on PATH"
	grep -q 'syntax error' tty.$a && fail "$a: $(grep -m 1 'syntax error' tty.$a)"
	tr -d '\n' <tty.$a | tr '\r' '\n' | sed 's/ *$//' >lines.$a
	grep -qx '0/24 hours, 0 events, 0 missing, 0 failed, 0s left' \
	    lines.$a || fail "$a: no first progress line: $(head -n 3 lines.$a)"
	grep -q "^24/24 hours, $ev events, 1 missing, 0 failed, 0s left" \
	    lines.$a || fail "$a: no last progress line: $(tail -n 3 lines.$a)"
	# between them, counts that go up
	grep '^[0-9]*/24 hours' lines.$a | cut -d / -f 1 >counts.$a
	[ "$(lines counts.$a)" -ge 3 ] || fail "$a: too few progress lines"
	sort -n -c counts.$a || fail "$a: counts go down: $(cat counts.$a)"
	eq "$a: summary" "gha-backfill: 23 hours loaded, $ev events, 0 bad lines; 1 missing" \
	    "$(tr -d '\r' <tty.$a | tail -n 1)"
	# gha-daily, next hours, its "ok" line last
	PATH=$PWD/bin-$a:$PATH GHA_NOW=2024-01-16T02:20:00Z \
	    script -qec 'gha-daily' /dev/null >dtty.$a </dev/null ||
	    fail "$a: daily: $(cat dtty.$a)"
	tr -d '\r' <dtty.$a | tail -n 1 | grep -q "^gha-daily: test: ok: 2 hours loaded (2024-01-16-0 \.\. 2024-01-16-1), [0-9]* events, 0 bad lines$" ||
	    fail "$a: daily's last line: $(tr -d '\r' <dtty.$a | tail -n 2)"
	grep -q '2/2 hours' dtty.$a || fail "$a: daily's progress: $(cat dtty.$a)"
	PATH=$PWD/bin-$a:$PATH gha-report --csv gha.db >report.$a ||
	    fail "$a: gha-report"
	PATH=$PWD/bin-$a:$PATH gha-report gha.db >text.$a ||
	    fail "$a: gha-report text"
done
if [ $ran -eq 2 ]; then
	cmp -s report.mawk report.gawk || fail "gha-report's CSV differs: $(diff report.mawk report.gawk)"
	cmp -s text.mawk text.gawk || fail "gha-report's text differs: $(diff text.mawk text.gawk)"
fi
[ $ran -gt 0 ] || skip "neither mawk nor gawk is installed"
[ $ran -eq 2 ] || skip "only one awk installed (scripts/install-deps has both)"
