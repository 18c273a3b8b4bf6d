# gha-fetch, SIGKILLed at 20+ random moments (seeded, see harden.subr)
# while it downloads four slowed-down hours two at a time: in a request,
# mid-body, verifying, renaming, printing.  After every kill the cache
# holds only complete files (each equal to the mirror's, byte for byte)
# and .part files; a rerun then lists exactly the four hours, in order,
# each equal to the mirror's, and leaves no .part.  The .part files a
# kill leaves are kept for the next round, so resuming a killed run's
# download is killed too.  (tests/fetch/kill.sh kills one download once
# and checks its Range resume.)
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
. "$TESTS/harden/harden.subr"
harden_seed
mkmirror m 2015-01-01-0 4
: >plan
for f in m/*; do
	echo "/${f#m/} slow:40000" >>plan
done
start_server s m --plan plan
printf 'c/2015-01-01-%d.json.gz\n' 0 1 2 3 >want

t0=$(now_ms)
gha-fetch -q -j 2 -d c --base-url "$URL" 2015-01-01-0..2015-01-01-3 >out ||
    fail "timing run"
t=$(($(now_ms) - t0))
max=$(awk -v t="$t" 'BEGIN { printf "%.3f", t / 1000 * 0.95 }')
echo "an uninterrupted fetch takes $t ms; kills in [0, $max) s"

delays 100 "$max" >d
kills=0 miss=0 round=0
while read -r dl; do
	[ $kills -lt "$KILLS" ] || break
	round=$((round + 1))
	rm -f c/2015-*	# the final files; .part files stay
	gha-fetch -q -j 2 -d c --base-url "$URL" 2015-01-01-0..2015-01-01-3 \
	    >out 2>err &
	kill_tally "$dl" $!
	same_as_mirror c m
	gha-fetch -q -j 2 -d c --base-url "$URL" 2015-01-01-0..2015-01-01-3 \
	    >out 2>err || fail "rerun after a kill at $dl s: $(cat err)"
	eq "rerun's list" "$(cat want)" "$(cat out)"
	same_as_mirror c m
	eq "files after the rerun" 4 "$(ls c | wc -l | tr -d ' ')"
	eq ".part left after the rerun" "" "$(ls -A c | grep '\.part$')"
done <d
[ $kills -ge "$KILLS" ] || fail "only $kills kills hit in $round rounds"
echo "$kills kills hit a running gha-fetch ($miss landed after it ended)," \
    "$round reruns exact; $(reqs ' 206 ') downloads resumed with Range"
