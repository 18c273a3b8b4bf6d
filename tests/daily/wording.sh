# The job reads facts, not sentences: with gha-fetch, gha-decode and
# gha-load wrapped so that every line they write on stderr comes out in
# other words (rot13, digits kept), gha-daily leaves the same ledger, the
# same events and the same exit status as without the wrappers, over
# hours of every kind: loaded, with bad lines, missing (an old 404),
# not published yet (a young 404), corrupt (a flipped byte on every try),
# failed (503 to the end); and an archive nobody answers at still trips
# the circuit breaker, its cause in plain words.  The ledger is also checked against what the
# mirror holds, counted with zcat, so both runs cannot be wrong alike.
. "$TESTS/daily/daily.subr"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
mkhours m 2024-01-15-0 8
# hour 1 gets two bad lines; 3 and 7 are not in the mirror.
{ gzip -dc m/2024-01-15-1.json.gz; echo '{"bad'; echo '[1]'; } |
    gzip -n >m/x && mv m/x m/2024-01-15-1.json.gz
rm m/2024-01-15-3.json.gz m/2024-01-15-7.json.gz
printf '/2024-01-15-4.json.gz corrupt\n/2024-01-15-5.json.gz 503\n' >plan
start_server s m --plan plan
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T08:30:00Z

real=$(dirname "$(command -v gha-fetch)")
mkdir wrap
for t in gha-fetch gha-decode gha-load; do
	cat >wrap/$t <<EOF
#!/bin/sh
# $t, its messages in other words; its stdout and status untouched.
e=\$(mktemp) || exit 99
"$real/$t" "\$@" 2>"\$e"
st=\$?
tr 'A-Za-z' 'N-ZA-Mn-za-m' <"\$e" >&2
rm -f "\$e"
exit \$st
EOF
	chmod +x wrap/$t
done
# The wrappers do rewrite: gha-fetch's 404 message is no longer there.
GHA_NOW=2024-01-16T00:00:00Z wrap/gha-fetch -d probe --base-url "$URL" \
    2024-01-15-3 2>err
eq "wrapped exit" 10 $?
grep -q 'missing' err && fail "not rewritten: $(cat err)"
grep -q 'zvffvat' err || fail "not rot13: $(cat err)"

run() {	# run DIR [PATH]: one gha-daily in DIR, "exit N" then the ledger
	mkdir "$1"
	(
		cd "$1" || exit 1
		mkenv
		[ -z "${2:-}" ] || PATH=$2:$PATH
		gha-daily 2>err
		echo "exit $?"
		gha-load -Q gha.db | jq -c 'del(.loaded_at)'
		echo "events $(q 'SELECT count(*) FROM events')"
	) >"$1.out"
}
run plain
run worded "$PWD/wrap"
cmp -s plain.out worded.out ||
    fail "the wording changed the outcome: $(diff plain.out worded.out)"
grep -q zvffvat worded/log/gha-daily.log ||
    fail "the worded run's log has no rewritten message"

# And the outcome is the right one, from the mirror itself.
eq "exit" "exit 3" "$(sed -n 1p plain.out)"
for h in 0 1 2 6; do
	echo "2024-01-15-$h loaded $(gzip -dc m/2024-01-15-$h.json.gz |
	    grep -c '"type"')"
done >want
{ echo "2024-01-15-3 missing null"; echo "2024-01-15-4 corrupt null"
  echo "2024-01-15-5 pending null"; echo "2024-01-15-7 pending null"; } >>want
eq "ledger" "$(sort want)" "$(grep '"hour"' plain.out |
    jq -r '"\(.hour) \(.status) \(.events)"' | sort)"
eq "bad lines of hour 1" 2 "$(grep '"2024-01-15-1"' plain.out | jq .bad_lines)"

# The circuit breaker too (daily/unreachable.sh): an archive nobody
# answers at, the messages in other words, and the run still stops early
# and names the cause in curl's own words, which come from gha-fetch's
# status records, not from its (rewritten) stderr.
mkdir gone
(
	cd gone || exit 1
	p=$(free_port)
	URL=http://127.0.0.1:$p
	mkenv
	PATH=$OLDPWD/wrap:$PATH
	GHA_NOW=2024-01-16T21:15:00Z gha-daily 2>err
	echo "exit $?"
	grep -q 'Pbhyqa' log/gha-daily.log ||
	    echo "the log has no rewritten message"
	tail -n 1 err | grep -q "^gha-daily: cannot reach the archive at $URL: Failed to connect to 127\.0\.0\.1 port $p after [0-9]* ms: Couldn't connect to server (stopped after [0-9]* failed hours of 45; " ||
	    echo "last line: $(tail -n 1 err)"
	n=$(tail -n 1 err | sed 's/.*stopped after \([0-9]*\) failed.*/\1/')
	[ "$n" -ge 3 ] && [ "$n" -le 24 ] || echo "$n hours tried"
	echo "$(ledger | awk '{ n[$2]++ } END { for (s in n) print n[s], s }')"
) >gone.out
eq "unreachable, worded" "exit 3
45 pending" "$(cat gone.out)"
exit 0
