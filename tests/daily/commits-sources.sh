# gha-daily's commit counts with two sources (base_url a list of two):
# the step reads every copy of the day's hours, each source's own, and
# asks for each push once although most hours come twice and two hours
# only from one source each (a lacks hour 5, b hour 9).  The counts
# stored equal daily.subr's slim_truth over the whole generated day.
. "$TESTS/daily/daily.subr"
mkhours full 2026-02-01-0 31 2026
mkdir a b
cp full/*.json.gz a/
cp full/*.json.gz b/
rm a/2026-02-01-5.json.gz b/2026-02-01-9.json.gz
start_server sa a
A=$URL
start_server sb b
B=$URL
start_api
mkenv "base_url='a=$A b=$B'" "github_api=$API" commits=api
export GHA_START=2026-02-01 GHA_NOW=2026-02-02T07:20:00Z
unset GHA_GITHUB_API GHA_GITHUB_TOKEN_FILE GHA_GIT_URL
slim_truth full 2026-02-01 >truth || fail "truth"
asked=$(truth_asked)
[ "$asked" -gt 200 ] || fail "only $asked pushes to ask"

gha-daily 2>err || fail "exit $?: $(cat err)"
eq "the day's hours loaded" 31 "$(q "SELECT count(*) FROM archive_hours WHERE status = 'loaded'")"
eq "requests: each push once" "$asked" "$(lines api.log)"
check_resolved 2026-02-01
n=$(lines api.log)
gha-daily 2>err || fail "rerun: exit $?: $(cat err)"
eq "rerun: no request" "$n" "$(lines api.log)"
