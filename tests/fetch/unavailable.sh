# 404s: an hour that ended less than two hours before GHA_NOW is "not
# published yet", an older one "missing", an hour not ended yet is not
# even asked for; the hours around them are still fetched and printed,
# and the exit status is 10.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkmirror m 2015-01-01-22 6
rm m/2015-01-01-23.json.gz m/2015-01-02-1.json.gz
start_server s m
export GHA_NOW=2015-01-02T02:30:00Z GHA_CACHE=c GHA_BASE_URL=$URL
gha-fetch 2015-01-01-22..2015-01-02-3 >out 2>err
eq status 10 $?
eq out "c/2015-01-01-22.json.gz
c/2015-01-02-0.json.gz" "$(cat out)"
grep -q '2015-01-01-23: missing from the archive (HTTP 404)' err ||
    fail "missing: $(cat err)"
grep -q '2015-01-02-1: not published yet (HTTP 404)' err ||
    fail "not yet: $(cat err)"
grep -q '2015-01-02-2: not published yet (the hour has not ended)' err ||
    fail "future: $(cat err)"
eq "requests" 4 "$(reqs GET)"
eq "future hours asked" 0 "$(reqs '2015-01-02-[23]\.')"
# today at 02:30: hours 0 and 1 are asked, 2..23 are not; -q is silent.
gha-fetch -q today >out 2>err
eq "today status" 10 $?
eq "today" "c/2015-01-02-0.json.gz" "$(cat out)"
eq "today -q" "" "$(cat err)"
# A range wholly in the cache and in the past: 0.
gha-fetch 2015-01-01-22 2015-01-02-0 >/dev/null || fail "cached: exit $?"
