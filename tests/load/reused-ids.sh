# GitHub restarted its event ids on 2025-10-08: a new event can carry the
# id of a 2016 one.  Identity is (id, created_at) everywhere, so a real
# slimmed 2025 push (id 5629348833, from cncf/devstats' sample) and a 2016
# event given the same id both survive decode, filter -d and load, twice.
. "$TESTS/lib.sh"
# Without the samples, a generated slim push is given that id and time.
sample_hours
if have_samples; then
	jq -c . "$SAMPLES/cncf-devstats/analysis/post-20251007/push_event_without_commits.json"
else
	gha-gen -n 200 -s 2 2026 | jq -c 'select(.type == "PushEvent") |
	    .id = "5629348833" | .created_at = "2025-11-01T10:00:00Z"' |
	    head -n 1
fi >new.json
eq "the 2025 event's id" 5629348833 "$(jq -r .id new.json)"
# An old event of 2016, same id (its other fields from a real 2015 push).
zcat 2015-01-01-1.json.gz |
    jq -c 'select(.type == "PushEvent")' | head -n 1 |
    jq -c '.id = "5629348833" | .created_at = "2016-12-25T10:00:00Z"' >old.json
cat old.json new.json >both.json
gha-decode -q both.json >rec.json || fail "decode"
eq "records" 2 "$(lines rec.json)"
eq "one id" 1 "$(jq -r .id rec.json | sort -u | lines /dev/stdin)"
eq "filter -d keeps both" 2 "$(gha-filter -q --dedup rec.json | lines /dev/stdin)"
gha-load -q t.db <rec.json || fail "load"
gha-load t.db <rec.json 2>err || fail "reload"
grep -q '2 read, 0 inserted, 2 duplicates' err || fail "$(cat err)"
eq "both stored" "2016-12-25T10:00:00Z 2025-11-01T10:00:00Z" \
    "$(sqlite3 t.db "select group_concat(created_at, ' ') from
    (select created_at from events where id = '5629348833' order by 1)")"
# The new push says nothing of its commits: a lower bound, marked.
# (actor_daily: the real push is github-actions[bot]'s, not a developer's)
eq "2025 push estimated" "1|1" "$(sqlite3 t.db "select commits,
    commits_estimated from actor_daily where day = '2025-11-01'")"
