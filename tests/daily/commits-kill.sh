# SIGKILL in the middle of gha-daily's commit counts (the whole process
# group, as a crash would), then a rerun: the day's load is kept, and the
# rerun goes on where the killed run stopped: no request the killed run
# had an answer to is sent again (the one in flight when it died may be),
# and at the end every push of the day is asked once and holds its true
# count (daily.subr's slim_truth, from the archive files).  Then
# gha-backfill of the same day into another database resolves it from
# the cache alone: not one request.  Last, the API's rate limit: the run
# stops asking, ends well and says what is left.
. "$TESTS/daily/daily.subr"
mkhours m 2026-02-01-0 31 2026
start_server s m
start_api --delay 0.02
mkenv "github_api=$API" commits=api
export GHA_START=2026-02-01 GHA_NOW=2026-02-02T07:20:00Z
unset GHA_GITHUB_API GHA_GITHUB_TOKEN_FILE GHA_GIT_URL
slim_truth m 2026-02-01 >truth || fail "truth"
asked=$(truth_asked)
[ "$asked" -gt 200 ] || fail "only $asked pushes to ask"

setsid gha-daily 2>err &
p=$!
i=0
until [ "$(lines api.log)" -ge 100 ]; do
	i=$((i + 1))
	[ $i -le 600 ] || fail "the API was never asked: $(cat err)"
	sleep 0.05
done
/bin/kill -KILL -- -$p 2>/dev/null || fail "kill -$p"
wait $p
before=$(lines api.log)
[ "$before" -lt "$asked" ] || fail "every push asked before the kill"
eq "the day's load is kept" 31 "$(ledger | grep -c ' loaded ')"
cp api.log killed.log

gha-daily 2>err || fail "rerun: exit $?: $(cat err)"
tail -n +"$((before + 1))" api.log | cut -d ' ' -f 2 | sort >rerun
cut -d ' ' -f 2 killed.log | sort | comm -12 - rerun >twice
[ "$(lines twice)" -le 1 ] || fail "asked again: $(head -3 twice)"
[ ! -s twice ] || eq "asked again: only the one in flight" \
    "$(tail -n 1 killed.log | cut -d ' ' -f 2)" "$(cat twice)"
check_resolved 2026-02-01

n=$(lines api.log)
GHA_DB=$PWD/other.db gha-backfill 2026-02-01 2>err ||
    fail "backfill: exit $?: $(cat err)"
grep -q "commit counts of 1 day: $(awk '$4 != "skip"' truth | wc -l |
    tr -d ' ') pushes settled" err || fail "backfill: $(cat err)"
eq "backfill: no request" "$n" "$(lines api.log)"
eq "backfill: push_commits" "$(q 'SELECT push_id, head, commits, source
    FROM push_commits ORDER BY 1, 2')" "$(sqlite3 other.db 'SELECT push_id,
    head, commits, source FROM push_commits ORDER BY 1, 2')"

# The API's rate limit: no request after it, the run ends well (exit 0)
# and says what is left; daily_summary keeps the rest as bounded.
kill $API_PID 2>/dev/null
wait $API_PID 2>/dev/null
start_api --limit 40
mkenv "github_api=$API" commits=api
GHA_DB=$PWD/limited.db GHA_CACHE=$PWD/cache2 gha-daily -v 2>err ||
    fail "limit: exit $?: $(cat err)"
eq "limit: requests" 40 "$(lines api.log)"
rule=$(awk '$4 == "rule"' truth | wc -l | tr -d ' ')
skip=$(awk '$4 == "skip"' truth | wc -l | tr -d ' ')
eq "limit: settled (one request each, and the rule's)" $((40 + rule)) \
    "$(sqlite3 limited.db 'SELECT count(*) FROM push_commits')"
grep -q "commit counts of 1 day: $((40 + rule)) pushes settled, $(( \
    $(lines truth) - skip - 40 - rule)) left for later runs" err ||
    fail "limit: $(cat err)"
eq "limit: bounded" "$(( $(lines truth) - $(sqlite3 limited.db "SELECT
    count(*) FROM push_commits WHERE state = 'resolved'") ))" \
    "$(sqlite3 limited.db "SELECT pushes_bounded FROM daily_summary
    WHERE day = '2026-02-01'")"
exit 0
