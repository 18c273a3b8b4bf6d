# A repository renamed twice: the fake API answers 301 for the first old
# name to the second, and 301 again from the second to the repository
# itself; gha-fetch --commits follows the chain to the count, which is
# `git rev-list --count` on the test's clone; every hop is a request the
# server saw.  A chain that never ends (a rename back to itself) fails
# the push, after a bounded number of hops, and is left for the next run.
. "$TESTS/lib.sh"
command -v git >/dev/null || skip "no git"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@t GIT_CONFIG_NOSYSTEM=1 HOME=$PWD
git init -q -b main w || fail "init"
for i in 1 2 3 4 5 6 7; do
	git -C w commit -q --allow-empty -m "c$i" || fail "commit"
	[ $i -eq 2 ] && b=$(git -C w rev-parse HEAD)
done
h=$(git -C w rev-parse HEAD)
mkdir -p srv/o
git clone -q --bare w srv/o/r.git || fail "bare"
want=$(git -C w rev-list --count "$b..$h")
rec() {
	printf '{"id":"%d","type":"PushEvent","created_at":"2026-02-01T10:00:00Z","actor_id":1,"actor_login":"dev","repo_id":1,"repo_name":"%s","org_id":null,"org_login":null,"action":null,"ref":"refs/heads/main","ref_type":null,"push_id":%d,"commits":null,"distinct_commits":null,"head":"%s","before":"%s","number":null,"public":true,"src":null}\n' \
	    "$1" "$2" "$1" "$h" "$b"
}
rec 1 first/name >pushes.rec
rec 2 loop/a >>pushes.rec
python3 "$TESTS/server/github.py" --root srv --port-file port --log log \
    --rename first/name=second/name --rename second/name=o/r \
    --rename loop/a=loop/b --rename loop/b=loop/a --lifetime 60 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
i=0; while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
GHA_GITHUB_API=http://127.0.0.1:$(cat port) gha-fetch --commits -d cache \
    --retries 0 --status st.json <pushes.rec >out 2>err
eq "exit: the loop failed" 11 $?
eq "the count through two renames" "1 $want" \
    "$(jq -r '"\(.push_id) \(.commits)"' out)"
eq "the chain's requests" "/repos/first/name/compare/$b...$h?per_page=1
/repos/second/name/compare/$b...$h?per_page=1
/repos/o/r/compare/$b...$h?per_page=1" \
    "$(grep -v /loop/ log | cut -d ' ' -f 2)"
hops=$(grep -c /loop/ log)
[ "$hops" -ge 2 ] && [ "$hops" -le 10 ] || fail "the loop: $hops requests"
eq "the loop failed, left" "1 1" "$(jq -r '"\(.failed) \(.left)"' st.json)"
eq "every request counted" "$(lines log)" "$(jq .requests st.json)"
exit 0
