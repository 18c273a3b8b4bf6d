# The five complete 2015 hours decode to exactly 33,427 records, and every
# push's commits equals payload.size (checked independently with jq over
# the raw events), including the pushes whose commits[] is capped at 20.
. "$TESTS/lib.sh"
need_real
S=$SAMPLES
set -- "$S/honeypotio-githubarchive/2015-01-01-12.json.gz" \
    "$S/nickderobertis-py-gh-archive/2015-01-01-1.json.gz" \
    "$S/intersimone999-gh-archive/2015-01-01-3.json.gz" \
    "$S/intersimone999-gh-archive/2015-01-01-4.json.gz" \
    "$S/intersimone999-gh-archive/2015-01-01-5.json.gz"
for f; do
	gha-decode -q "$f" >"$(basename "$f").rec" || fail "decode $f"
done
eq "hour 12" 8273 "$(lines 2015-01-01-12.json.gz.rec)"
eq "hour 1" 7427 "$(lines 2015-01-01-1.json.gz.rec)"
eq "hour 3" 5971 "$(lines 2015-01-01-3.json.gz.rec)"
eq "hour 4" 5869 "$(lines 2015-01-01-4.json.gz.rec)"
eq "hour 5" 5887 "$(lines 2015-01-01-5.json.gz.rec)"
gha-decode "$@" >all.rec 2>err || fail "decode all: $(cat err)"
eq total 33427 "$(lines all.rec)"
grep -q '33427 records, 0 rejected' err || fail "summary: $(cat err)"

# commits vs payload.size, computed from the raw events by jq.
zcat "$@" | jq -r 'select(.type=="PushEvent") | "\(.id) \(.payload.size)"' |
    sort >want
jq -r 'select(.type=="PushEvent") | "\(.id) \(.commits)"' all.rec | sort >got
cmp -s want got || fail "commits differ from payload.size"
eq pushes 4284 "$(zcat "$S/honeypotio-githubarchive/2015-01-01-12.json.gz" |
    grep -c '"type":"PushEvent"')"
capped=$(zcat "$@" | jq -r 'select(.type=="PushEvent" and
    .payload.size > (.payload.commits|length)) | .id' | wc -l)
eq "capped pushes" 294 "$capped"
# src is the hour of the file each record came from.
eq src "2015-01-01-3" "$(jq -r .src 2015-01-01-3.json.gz.rec | sort -u)"
# Every key of DESIGN 3, in order.
eq keys 'id,type,created_at,actor_id,actor_login,repo_id,repo_name,org_id,org_login,action,ref,ref_type,push_id,commits,distinct_commits,head,before,number,public,src' \
    "$(head -1 all.rec | jq -r 'keys_unsorted | join(",")')"
