# gha-fetch --commits counts the commits of slim pushes exactly, by git
# (a bare clone of file:// repositories) and by the API (a loopback fake
# holding the same repositories), on histories built here: a fast-forward,
# a force push, a new branch, a merge, a 300-commit push, a deleted
# branch, a deleted repository and a push whose commits are gone.  The
# expected counts are `git rev-list --count` on the test's own clones.
# Then the API's faults: 5xx and secondary limits retried, a slow answer
# timed out and retried, a renamed repository followed, the primary rate
# limit and --budget obeyed and the rest left for the next run, which
# asks nothing it already has; and --repo / --org scope.
. "$TESTS/lib.sh"
command -v git >/dev/null || skip "no git"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@t GIT_CONFIG_NOSYSTEM=1 HOME=$PWD
seq=0
commit() {	# commit N: N empty commits in the current folder, each new
	i=0
	while [ "$i" -lt "$1" ]; do
		seq=$((seq + 1))
		git commit -q --allow-empty -m "c$seq" || fail "commit"
		i=$((i + 1))
	done
}
mkdir srv
git init -q -b main w && cd w || fail "init"
commit 2
c0=$(git rev-parse HEAD)
commit 3
ff=$(git rev-parse HEAD)			# fast-forward: c0..ff
git checkout -q -b side "$c0"
commit 3
git checkout -q main
git merge -q --no-ff -m merge side || fail "merge"
merge=$(git rev-parse HEAD)			# merge push: ff..merge
commit 300
big=$(git rev-parse HEAD)			# 300 commits: merge..big
git checkout -q -b feature
commit 2
feat=$(git rev-parse HEAD)			# new branch: zeros..feat
git checkout -q main
git reset -q --hard "$merge"
commit 4
forced=$(git rev-parse HEAD)			# force push: big..forced
git clone -q --bare . ../srv/o/r.git || fail "bare"
git -C ../srv/o/r.git config uploadpack.allowAnySHA1InWant true
git push -q ../srv/o/r.git feature || fail "push feature"
# big and its 300 commits are in srv only as unreachable objects now.
git push -q ../srv/o/r.git "$big:refs/keep/big" &&
    git -C ../srv/o/r.git update-ref -d refs/keep/big
cd ..
truth() { git -C w rev-list --count "$@"; }
Z=0000000000000000000000000000000000000000
gone=1111111111111111111111111111111111111111
# push NAME BEFORE HEAD REF [ACTOR]: a slim push record
n=0
push() {
	n=$((n + 1))
	printf '{"id":"%d","type":"PushEvent","created_at":"2026-02-01T10:%02d:00Z","actor_id":1,"actor_login":"%s","repo_id":1,"repo_name":"%s","org_id":null,"org_login":null,"action":null,"ref":"%s","ref_type":null,"push_id":%d,"commits":null,"distinct_commits":null,"head":"%s","before":"%s","number":null,"public":true,"src":null}\n' \
	    "$n" "$n" "${5:-dev$n}" "$1" "$4" "$((1000 + n))" "$3" "$2"
}
{
	push o/r "$c0" "$ff" refs/heads/main
	push o/r "$ff" "$merge" refs/heads/main
	push o/r "$merge" "$big" refs/heads/main
	push o/r "$big" "$forced" refs/heads/main
	push o/r "$Z" "$feat" refs/heads/feature
	push o/r "$feat" "$Z" refs/heads/feature
	push o/gone "$c0" "$ff" refs/heads/main
	push o/r "$c0" "$gone" refs/heads/main
} >pushes.rec
expect="1001 $(truth "$c0..$ff")
1002 $(truth "$ff..$merge")
1003 $(truth "$merge..$big")
1004 $(truth "$big..$forced")
1005 $(truth "$feat" ^main)
1006 0"
eq "the 300-commit push" 300 "$(truth "$merge..$big")"
eq "the force push counts the new commits" 4 "$(truth "$big..$forced")"
eq "the merge counts the branch and the merge" 4 "$(truth "$ff..$merge")"

# By git alone: o/gone and the gone head are left (git cannot tell why).
GHA_GIT_URL=file://$PWD/srv gha-fetch --commits --via git -d cache \
    --status st.json <pushes.rec >git.out 2>err
eq "git: exit (two failed)" 11 $?
eq "git: counts" "$expect" "$(jq -r '"\(.push_id) \(.commits)"' git.out | sort)"
eq "git: sources" "git git git git git rule" \
    "$(jq -r .source git.out | sort | paste -sd' ')"
eq "git: status" "6 0 2" "$(jq -r '"\(.git + .rule) \(.gone) \(.failed)"' st.json)"
[ -d cache/git/o/r.git ] || fail "no bare clone in the cache"
eq "clone is tree-less" "true" \
    "$(git -C cache/git/o/r.git config remote.origin.promisor)"

# By the API: a fresh cache, the same counts; 404s are gone for good.
echo "ghp_secret123" >token
python3 "$TESTS/server/github.py" --root srv --port-file port --log log \
    --token ghp_secret123 --lifetime 120 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
i=0; while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
api=http://127.0.0.1:$(cat port)
GHA_GITHUB_API=$api GHA_GITHUB_TOKEN_FILE=$PWD/token gha-fetch --commits \
    -d cache2 --status st2.json <pushes.rec >api.out 2>err
eq "api: exit" 0 $?
eq "api: counts" "$expect" "$(jq -r 'select(.state == "resolved") |
    "\(.push_id) \(.commits)"' api.out | sort)"
eq "api: gone" "1007 1008" "$(jq -r 'select(.state == "gone") | .push_id' \
    api.out | sort | paste -sd' ')"
! grep -q ghp_secret err st2.json api.out || fail "the token was printed"
grep -q "auth=no" log && fail "a request without the token"
asked=$(lines log)
GHA_GITHUB_API=$api GHA_GITHUB_TOKEN_FILE=$PWD/token gha-fetch --commits \
    -d cache2 <pushes.rec >again.out 2>err || fail "rerun"
eq "rerun asks nothing" "$asked" "$(lines log)"
eq "rerun: the same records" "$(sort api.out)" "$(sort again.out)"

# Faults, each repository its own plan; a rename; the primary limit.
kill $pid; wait $pid 2>/dev/null
for k in a b c d; do git clone -q --bare srv/o/r.git srv/f/$k.git; done
printf 'f/a 500 502 ok\nf/b 429:1 ok\nf/c slow:3 ok\nf/d 403:1 ok\n' >plan
rm -f port log
python3 "$TESTS/server/github.py" --root srv --port-file port --log log \
    --token ghp_secret123 --plan plan --rename old/name=o/r --limit 9 \
    --lifetime 120 &
pid=$!
i=0; while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
api=http://127.0.0.1:$(cat port)
n=20
{
	for k in a b c d; do push f/$k "$c0" "$ff" refs/heads/main; done
	push old/name "$ff" "$merge" refs/heads/main
	push o/r "$merge" "$big" refs/heads/main
} >faults.rec
GHA_GITHUB_API=$api GHA_GITHUB_TOKEN_FILE=$PWD/token gha-fetch --commits \
    -d cache3 --retry-wait 10 --timeout 1 --status st3.json \
    <faults.rec >faults.out 2>err
eq "faults: exit" 0 $?
eq "faults: counts" "1021 3,1022 3,1023 3,1024 3" \
    "$(jq -r '"\(.push_id) \(.commits)"' faults.out | sort | paste -sd,)"
eq "faults: requests" "3 2 2 2" "$(for k in a b c d; do
    grep -c "^GET /repos/f/$k/" log; done | paste -sd' ')"
eq "the limit: no request after it" 9 "$(lines log)"
eq "rate-limited, left" "2 2" "$(jq -r '"\(.rate_limited) \(.left)"' st3.json)"
grep -q "rate limit resets at" err || fail "no reset time: $(cat err)"
kill $pid; wait $pid 2>/dev/null
rm -f port log
python3 "$TESTS/server/github.py" --root srv --port-file port --log log \
    --token ghp_secret123 --rename old/name=o/r --lifetime 120 &
pid=$!
i=0; while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
api=http://127.0.0.1:$(cat port)
GHA_GITHUB_API=$api GHA_GITHUB_TOKEN_FILE=$PWD/token gha-fetch --commits \
    -d cache3 --budget 2 --status st4.json <faults.rec >next.out 2>err
eq "next run: the rename followed" "1025 $(truth "$ff..$merge")" \
    "$(jq -r 'select(.push_id == 1025) | "\(.push_id) \(.commits)"' next.out)"
eq "next run: over the budget" "1 2" \
    "$(jq -r '"\(.over_budget) \(.requests)"' st4.json)"
eq "next run: two requests (a redirect and its answer)" 2 "$(lines log)"
GHA_GITHUB_API=$api GHA_GITHUB_TOKEN_FILE=$PWD/token gha-fetch --commits \
    -d cache3 --org F --repo 'x/*' <faults.rec >scope.out 2>err
grep -q "1 out of scope" err || fail "scope: $(cat err)"
GHA_GITHUB_API=$api GHA_GITHUB_TOKEN_FILE=$PWD/token gha-fetch --commits \
    -d cache3 <faults.rec >all.out 2>err || fail "last run"
eq "all resolved at last" 6 "$(lines all.out)"
exit 0
