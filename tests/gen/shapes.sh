# Each shape has the fields of its era (doc/design.md), checked with jq.
. "$TESTS/lib.sh"
gha-gen -n 6000 -s 5 2015 >15 || fail "gen 2015"
gha-gen -n 3000 -s 5 2024 >24 || fail "gen 2024"
gha-gen -n 3000 -s 5 2026 >26 || fail "gen 2026"

# created_at inside the hour, ids are strings.
for f in 15:2015-01-01T15 24:2024-01-15T12 26:2026-02-18T06; do
	file=${f%%:*} h=${f#*:}
	eq "$file hour" "$h" "$(jq -r '.created_at[0:13]' $file | sort -u)"
	eq "$file id" string "$(jq -r '.id|type' $file | sort -u)"
done
eq "-H" "2016-03-04T07" "$(gha-gen -n 50 -H 2016-03-04-7 |
    jq -r '.created_at[0:13]' | sort -u)"

# 2015: size and distinct_size, commits[] capped at 20 while size is the
# true count, no repository_id, no display_login.
eq "2015 push keys" "before,commits,distinct_size,head,push_id,ref,size" \
    "$(jq -r 'select(.type=="PushEvent")|.payload|keys|join(",")' 15 |
    sort -u)"
eq "2015 commits[] = min(size,20)" 0 "$(jq 'select(.type=="PushEvent") |
    .payload | select((.commits|length) != ([.size,20]|min))' 15 | wc -l)"
capped=$(jq 'select(.type=="PushEvent" and .payload.size > 20)' 15 |
    grep -c .)
[ "$capped" -gt 0 ] || fail "2015: no push above the 20-commit cap"
eq "2015 display_login" 0 "$(grep -c display_login 15)"
eq "2015 actor keys" "avatar_url,gravatar_id,id,login,url" \
    "$(jq -r '.actor|keys|join(",")' 15 | sort -u)"
orgs=$(jq 'select(.org != null)' 15 | grep -c '^{')
[ "$orgs" -gt 0 ] || fail "2015: no org"

# 2024: repository_id in pushes, display_login, ~4 KB a line.
eq "2024 push keys" \
    "before,commits,distinct_size,head,push_id,ref,repository_id,size" \
    "$(jq -r 'select(.type=="PushEvent")|.payload|keys|join(",")' 24 |
    sort -u)"
eq "2024 display_login" 3000 "$(jq -r .actor.display_login 24 | grep -vc null)"
avg=$(( $(wc -c <24) / 3000 ))
[ "$avg" -gt 3000 ] && [ "$avg" -lt 5000 ] || fail "2024: $avg bytes a line"

# 2026: slim pushes (no size, no commits), cut-down PRs, full_ref.
eq "2026 push keys" "before,head,push_id,ref,repository_id" \
    "$(jq -r 'select(.type=="PushEvent")|.payload|keys|join(",")' 26 |
    sort -u)"
eq "2026 PR keys" "base,head,id,number,url" \
    "$(jq -r 'select(.type=="PullRequestEvent") |
    .payload.pull_request|keys|join(",")' 26 | sort -u)"
eq "2026 full_ref" 0 "$(jq 'select(.type=="CreateEvent" or
    .type=="DeleteEvent") | select(.payload|has("full_ref")|not)' 26 |
    wc -l)"
pushes=$(jq -r .type 26 | grep -c '^PushEvent$')
[ "$pushes" -gt 2400 ] && [ "$pushes" -lt 2850 ] ||
    fail "2026: $pushes of 3000 are pushes, want 80-95%"
exit 0
