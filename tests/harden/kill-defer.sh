# gha-fetch --defer-check | gha-decode, SIGKILLed as a whole (the process
# group, as a crash would) at 20+ random moments (seeded, see
# harden.subr) while four slowed-down hours download two at a time and
# are proven and renamed into the cache by gha-decode.  After every kill
# the cache holds under a final name only complete files, each equal to
# the mirror's byte for byte, whoever was killed and when; a rerun then
# writes exactly the four hours' records (counted with zcat, not gha),
# leaves the four files cached, and lists no unproven file of its own.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
. "$TESTS/harden/harden.subr"
command -v setsid >/dev/null 2>&1 || skip "setsid is not installed"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built (make testbin)"
harden_seed
mkdir m
for h in 0 1 2 3; do
	"$TBIN/gha-gen" -z -n 150 -s $((h + 1)) -H 2015-01-01-$h -o m \
	    2>/dev/null || fail "gha-gen"
done
: >plan
for f in m/*; do
	echo "/${f#m/} slow:200000" >>plan
done
start_server s m --plan plan
want=$(gzip -dc m/*.json.gz | wc -l)
cat >run.sh <<RUN
gha-fetch -q -j 2 --defer-check -d c --base-url "$URL" \
    2015-01-01-0..2015-01-01-3 | gha-decode -q >recs
RUN

t0=$(now_ms)
sh run.sh || fail "timing run"
t=$(($(now_ms) - t0))
eq "records" "$want" "$(wc -l <recs)"
max=$(awk -v t="$t" 'BEGIN { printf "%.3f", t / 1000 * 0.95 }')
echo "an uninterrupted run takes $t ms; kills in [0, $max) s"

delays 100 "$max" >d
kills=0 miss=0 round=0
while read -r dl; do
	[ $kills -lt "$KILLS" ] || break
	round=$((round + 1))
	rm -rf c
	setsid sh run.sh 2>err &
	p=$!
	sleep "$dl"
	if /bin/kill -KILL -- -$p 2>/dev/null; then
		kills=$((kills + 1))
	else
		miss=$((miss + 1))
	fi
	wait $p
	same_as_mirror c m
	sh run.sh 2>err || fail "rerun after a kill at $dl s: $(cat err)"
	eq "rerun's records" "$want" "$(wc -l <recs)"
	same_as_mirror c m
	eq "files after the rerun" 4 "$(ls c | wc -l | tr -d ' ')"
done <d
[ $kills -ge "$KILLS" ] || fail "only $kills kills hit in $round rounds"
echo "$kills kills hit a running pipeline ($miss landed after it ended)," \
    "$round reruns exact"
