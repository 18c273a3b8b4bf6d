# The actor and repo distributions make the metrics of doc/design.md
# non-trivial on one generated hour: computed here with jq from the raw
# events, independently of gha-decode.
. "$TESTS/lib.sh"
gha-gen -n 7000 -s 11 2015 >h || fail gen
# developers with more than one commit (sum of payload.size)
gt1=$(jq -r 'select(.type=="PushEvent") |
    "\(.actor.login) \(.payload.size)"' h |
    awk '{c[$1] += $2} END {for (a in c) if (c[a] > 1) n++; print n}')
[ "$gt1" -gt 100 ] || fail "only $gt1 developers with more than 1 commit"
# repos with more than ten distinct pushers
gt10=$(jq -r 'select(.type=="PushEvent") | "\(.repo.name) \(.actor.login)"' h |
    sort -u | awk '{m[$1]++} END {for (r in m) if (m[r] > 10) n++; print n+0}')
[ "$gt10" -gt 0 ] || fail "no repo with more than 10 members"
# developers owning several repos (owner part = login)
own=$(jq -r '.repo.name as $r | .actor.login as $a |
    select(($r|split("/")[0]) == $a) | $r' h | sort -u |
    cut -d/ -f1 | uniq -c | awk '$1 > 1' | wc -l)
[ "$own" -gt 10 ] || fail "only $own developers own more than one repo"
# busy and quiet actors: the busiest has many events, most have one.
top=$(jq -r .actor.login h | sort | uniq -c | sort -rn | head -1 |
    awk '{print $1}')
once=$(jq -r .actor.login h | sort | uniq -c | awk '$1 == 1' | wc -l)
[ "$top" -gt 50 ] || fail "busiest actor has only $top events"
[ "$once" -gt 1000 ] || fail "only $once actors seen once"
exit 0
