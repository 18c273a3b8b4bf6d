# make check-real's mechanism (lib.sh, need_real), against a loopback
# mirror in place of the archive: without the samples and with
# GHA_TEST_FETCH=1, the hours of tests/real-hours are fetched with
# gha-fetch into GHA_TEST_CACHE and laid out like the samples, byte for
# byte what the mirror serves, one request an hour and none the second
# time; an unreachable archive, or no GHA_TEST_FETCH, skips with the
# reason.  With the samples, the mirror serves copies of them and a
# real-hour case (decode/samples-2015) passes on the fetched hours alone.
# Without them the mirror serves generated stand-ins under the same names.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkdir m
awk '!/^#/ && NF { print $1, $2 }' "$TESTS/real-hours" >hours
[ "$(lines hours)" -ge 8 ] || fail "tests/real-hours lists $(lines hours) hours"
k=0
while read -r h d; do
	k=$((k + 1))
	if have_samples; then
		cp "$SAMPLES/$d/$h.json.gz" m/ || fail "no sample $d/$h"
	else
		gha-gen -z -n 50 -s $k -H "$h" -o m 2015 || fail "gha-gen $h"
	fi
done <hours
start_server s m

# Not asked to fetch: skipped, saying how to.
(SAMPLES=/nonexistent GHA_TEST_FETCH=; need_real) >out 2>&1
eq "no GHA_TEST_FETCH: exit" 77 $?
grep -q 'needs real archive hours: no samples at /nonexistent (make check-real' \
    out || fail "no GHA_TEST_FETCH: $(cat out)"
eq "nothing asked" 0 "$(reqs GET)"

# The archive out of reach (a port nothing listens on): skipped too.
dead=http://127.0.0.1:$(free_port)
(SAMPLES=/nonexistent GHA_TEST_FETCH=1 GHA_TEST_ARCHIVE=$dead \
    GHA_TEST_CACHE=$PWD/dead; need_real) >out 2>&1
eq "unreachable: exit" 77 $?
grep -q "no samples at /nonexistent and $dead not reachable: gha-fetch: " out ||
    fail "unreachable: $(cat out)"

# Fetched: every hour under its folder, equal to the mirror's file.
fetched() {
	(SAMPLES=/nonexistent GHA_TEST_FETCH=1 GHA_TEST_ARCHIVE=$URL \
	    GHA_TEST_CACHE=$PWD/cache; need_real && echo "$SAMPLES")
}
got=$(fetched) || fail "need_real: exit $?: $(cat real-fetch.log)"
eq "SAMPLES" "$PWD/cache/samples" "$got"
while read -r h d; do
	cmp -s "m/$h.json.gz" "$got/$d/$h.json.gz" || fail "$d/$h differs"
done <hours
eq "requests" "$(lines hours)" "$(reqs 'GET .* 200 ')"
n=$(reqs GET)
fetched >/dev/null || fail "second need_real"
eq "warm cache: no request" "$n" "$(reqs GET)"

# A real-hour case on the fetched copies of the real hours.
if have_samples; then
	GHA_SAMPLES=/nonexistent GHA_TEST_FETCH=1 GHA_TEST_ARCHIVE=$URL \
	    GHA_TEST_CACHE=$PWD/cache GHA_TEST_JOBS=1 \
	    sh "$TESTS/run.sh" "$(dirname "$TBIN")" decode/samples-2015 >run.out
	grep -q '^ok 1 - decode/samples-2015 ([0-9]*s)$' run.out ||
	    fail "samples-2015 on fetched hours: $(cat run.out)"
	eq "the case fetched nothing new" "$n" "$(reqs GET)"
fi
