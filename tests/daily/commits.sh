# gha-daily resolves the commit counts of a day's slim pushes after it
# loads the day, when the environment names the sources: generated 2026
# hours (every push without a count) from a loopback mirror, and the
# loopback fake of the GitHub API holding each push's true count (--synth:
# a function of repo, before and head, computed here too, in python, from
# the archive files themselves: daily.subr's slim_truth).  Off by default;
# with commits=api every push of the day in the scope is resolved (a new
# branch is compared with a default branch the fake does not know: gone,
# for good; a deleted branch is 0 by rule), push_commits and the metric
# views hold the true counts, the day that is not complete yet is left
# alone; a wider scope asks only what the narrower did not; a budget
# leaves the rest to the next runs, which ask nothing twice; a run with
# nothing left asks nothing; an API that does not answer, or answers 503,
# fails the run (exit 6) but keeps the day's load, and the next run
# finishes it.
. "$TESTS/daily/daily.subr"
mkhours m 2026-02-01-0 31 2026
start_server s m
echo ghp_daily42 >token
chmod 600 token
start_api --token ghp_daily42
api=$API
export GHA_START=2026-02-01 GHA_NOW=2026-02-02T07:20:00Z
unset GHA_GITHUB_API GHA_GITHUB_TOKEN_FILE GHA_GIT_URL

# The truth, from the archive files (daily.subr).
slim_truth m 2026-02-01 >truth || fail "truth"
pushes=$(lines truth)
[ "$pushes" -gt 200 ] || fail "only $pushes pushes generated"
asked=$(truth_asked)

# Off by default: nothing asked, every push counted as 1.
mkenv "github_api=$api" "github_token_file=$PWD/token"
gha-daily 2>err || fail "off: exit $?: $(cat err)"
eq "off: no request" 0 "$(lines api.log)"
eq "off: bounded" "$pushes" \
    "$(q "SELECT pushes_bounded FROM daily_summary WHERE day = '2026-02-01'")"

# A scope: two owners (any case) and a glob; what is out of it is not
# asked, and the day is done all the same; a wider scope asks only what
# the first did not.
o1=$(awk '$4 == "api" { print $5; exit }' truth)
python3 - "$o1" m 2026-02-01 >scoped <<'PY' || fail "scope truth"
import fnmatch, glob, gzip, json, sys
inside = set()
for f in sorted(glob.glob(sys.argv[2] + "/*.json.gz")):
    for line in gzip.open(f, "rt"):
        e = json.loads(line)
        if e["type"] == "PushEvent" and e["created_at"].startswith(sys.argv[3]):
            r = e["repo"]["name"].lower()
            if r.split("/")[0] in (sys.argv[1].lower(), "chize3") or \
                    fnmatch.fnmatchcase(r, "*-db*"):
                inside.add(str(e["payload"]["push_id"]))
print("\n".join(sorted(inside)))
PY
awk 'NR == FNR { in_[$1]; next } $1 in in_' scoped truth >truth.in
[ "$(lines truth.in)" -gt 0 ] || fail "nothing in the scope"
mkenv "github_api=$api" "github_token_file=$PWD/token" commits=api \
    "commits_orgs=$(echo "$o1" | tr a-z A-Z),chize3" 'commits_repos=*-DB*'
gha-daily 2>err || fail "scope: exit $?: $(cat err)"
eq "scope: requests" "$(awk '$4 == "api" || $4 == "gone"' truth.in |
    wc -l | tr -d ' ')" "$(lines api.log)"
eq "scope: stored" "$(awk '$4 != "skip" { print $1 }' truth.in | sort)" \
    "$(q 'SELECT push_id FROM push_commits' | sort)"
gha-daily 2>err || fail "scope again: exit $?: $(cat err)"
eq "scope: a done day asks nothing" "$(awk '$4 == "api" || $4 == "gone"' \
    truth.in | wc -l | tr -d ' ')" "$(lines api.log)"
mkenv "github_api=$api" "github_token_file=$PWD/token" commits=api
gha-daily 2>err || fail "wider: exit $?: $(cat err)"
eq "wider: each push asked once" "$asked" "$(cut -d ' ' -f 2 api.log |
    sort -u | wc -l | tr -d ' ')"
eq "wider: requests" "$asked" "$(lines api.log)"

# A budget of 100 requests: 100 asked, the rest left, exit 0.
rm -rf gha.db* cache/commits
: >api.log
mkenv "github_api=$api" "github_token_file=$PWD/token" commits=api \
    commits_budget=100
gha-daily -v 2>err || fail "budget: exit $?: $(cat err)"
eq "budget: requests" 100 "$(lines api.log)"
grep -q "commit counts of 1 day: .*, [0-9]* left for later runs" err ||
    fail "budget: summary: $(cat err)"
eq "budget: stored" "$(( $(q 'SELECT count(*) FROM push_commits') ))" \
    "$(( 100 + $(awk '$4 == "rule"' truth | wc -l) ))"
grep -q "auth=no" api.log && fail "a request without the token"
! grep -rq ghp_daily42 err log || fail "the token was printed"

# The next runs go on (no request twice), the last one finishes the day.
eq "-n: the day left" "# commit counts of 2026-02-01 (final)" \
    "$(gha-daily -n | grep '^# commit')"
gha-daily 2>err || fail "second: exit $?: $(cat err)"
eq "second: requests" 200 "$(lines api.log)"
sed -i 's/^commits_budget=100$/commits_budget=100000/' env/test.conf
gha-daily 2>err || fail "third: exit $?: $(cat err)"
eq "every push asked once" "$asked" "$(lines api.log)"
eq "no request twice" "$asked" "$(cut -d ' ' -f 2 api.log | sort -u | wc -l |
    tr -d ' ')"
gha-daily 2>err || fail "fourth: exit $?: $(cat err)"
eq "-n: no day left" "" "$(gha-daily -n | grep '^# commit')"
eq "a done day asks nothing" "$asked" "$(lines api.log)"

# The stored counts and the views, against the truth.
eq "push_commits" "$(awk '$4 == "api" || $4 == "rule" { print $1, $3 }' truth | sort)" \
    "$(q "SELECT push_id, commits FROM push_commits WHERE state = 'resolved'" |
    tr '|' ' ' | sort)"
eq "gone" "$(awk '$4 == "gone"' truth | wc -l | tr -d ' ')" \
    "$(q "SELECT count(*) FROM push_commits WHERE state = 'gone'")"
eq "daily_summary" "$(awk '{ n[$4]++ } END { printf "0|0|%d|%d|%d\n",
    n["api"], n["rule"], n["gone"] + n["skip"] }' truth)" \
    "$(q "SELECT pushes_archive, pushes_git, pushes_api, pushes_rule,
    pushes_bounded FROM daily_summary WHERE day = '2026-02-01'")"
awk '{ c[$5] += $3 == "null" ? 1 : $3; if ($3 == "null") e[$5] = 1 }
    END { for (a in c) print a "|" c[a] "|" (a in e ? 1 : 0) }' truth |
    sort >want.actors
q "SELECT actor_login, commits, commits_estimated FROM actor_daily
    WHERE day = '2026-02-01' AND pushes > 0" | sort >got.actors
eq "actor_daily" "$(cat want.actors)" "$(cat got.actors)"
eq "the day not complete is left" 0 "$(q "SELECT count(*) FROM push_commits
    WHERE created >= CAST(strftime('%s', '2026-02-02') AS INTEGER)")"

# An API that does not answer: exit 6, the day's hours loaded all the same,
# the problem named; the next run, with the API back, finishes the day.
rm -rf gha.db* cache/commits
mkenv "github_api=http://127.0.0.1:9" "github_token_file=$PWD/token" \
    commits=api fetch_retries=0
gha-daily 2>err
eq "down: exit" 6 $?
eq "down: hours loaded" 31 "$(ledger | grep -c ' loaded ')"
grep -q "^  2026-02-01: commit counts: .* pushes failed" err ||
    fail "down: $(cat err)"
# An API answering 503 to everything: the same, and said so.
echo '* 503' >api5.plan
rm -f api.port
python3 "$TESTS/server/github.py" --root api.root --port-file api.port \
    --log api5.log --synth --plan api5.plan --lifetime 60 &
SERVER_PIDS="$SERVER_PIDS $!"
i=0; while [ ! -s api.port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
mkenv "github_api=http://127.0.0.1:$(cat api.port)" \
    "github_token_file=$PWD/token" commits=api fetch_retries=0
gha-daily 2>err
eq "5xx: exit" 6 $?
grep -q "^  2026-02-01: commit counts: .* pushes failed (.*HTTP 503" err ||
    fail "5xx: $(cat err)"
eq "5xx: every push asked once" "$asked" "$(lines api5.log)"
n=$(lines api.log)
mkenv "github_api=$api" "github_token_file=$PWD/token" commits=api
gha-daily 2>err || fail "back: exit $?: $(cat err)"
eq "back: every push asked again once" $((n + asked)) "$(lines api.log)"
eq "back: bounded" "$(awk '$4 == "gone" || $4 == "skip"' truth | wc -l |
    tr -d ' ')" \
    "$(q "SELECT pushes_bounded FROM daily_summary WHERE day = '2026-02-01'")"

# Every pass read the day's hours from the cache: each hour was fetched
# from the archive once, whatever the runs and databases.
eq "archive hours fetched once" 31 "$(reqs 'GET /2026-')"

# Settings: a bad source, a token file others can read.
mkenv commits=svn
gha-daily 2>err
eq "bad commits" 2 $?
grep -q 'commits=svn: want api, git, git,api or nothing' err || fail "$(cat err)"
chmod 644 token
mkenv commits=api "github_token_file=$PWD/token"
gha-daily 2>err
eq "token mode" 2 $?
grep -q 'github_token_file .*/token: mode 644 lets others read it' err ||
    fail "$(cat err)"
exit 0
