# Bots are left out of the developer metrics and counted apart: logins
# ending in [bot] (any case) and the built-in list (scripts/bots, case
# ignored), or a list of the user's own in GHA_BOTS that replaces it.
# Changing the list takes effect at the next open, the totals re-rolled;
# the raw events keep every bot.  gha-filter -b/-B select by the same
# rule.  On the real 2015 hours: mirror-updates, the top pusher, is in no
# developer view.  Expected values are by hand or by jq and awk.
. "$TESTS/lib.sh"
unset GHA_BOTS
{
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		s=$(printf %02d "$i")
		flat_rec "{\"id\":\"p$i\",\"type\":\"PushEvent\",\"created_at\":\"2015-01-01T00:00:${s}Z\",\"actor_login\":\"dev$i\",\"repo_name\":\"big/r\",\"commits\":2}"
	done
	flat_rec '{"id":"b1","type":"PushEvent","created_at":"2015-01-01T01:00:00Z","actor_login":"Renovate[BOT]","repo_name":"big/r","commits":5}'
	flat_rec '{"id":"b2","type":"PushEvent","created_at":"2015-01-01T01:00:01Z","actor_login":"MIRROR-updates","repo_name":"big/r","commits":7}'
	flat_rec '{"id":"b3","type":"CreateEvent","created_at":"2015-01-01T01:00:02Z","actor_login":"mirror-updates","repo_name":"mirror-updates/x","ref_type":"repository"}'
	flat_rec '{"id":"b4","type":"CreateEvent","created_at":"2015-01-01T01:00:03Z","actor_login":"mirror-updates","repo_name":"mirror-updates/y","ref_type":"repository"}'
	flat_rec '{"id":"h1","type":"WatchEvent","created_at":"2015-01-01T02:00:00Z","actor_login":"abbott","repo_name":"big/r"}'
} >recs
gha-load -q b.db <recs || fail "load"
q() { sqlite3 -separator ' ' b.db "$1"; }
# 11 developers of 2 commits and abbott (a login ending in "bot" is no bot
# by that alone); the bots apart (three logins: case counts there); big/r has 11 members that are people.
eq "developers" "12 3" "$(q 'SELECT developers, bots FROM daily_summary')"
eq "no bot in dev_daily" 0 "$(q "SELECT count(*) FROM dev_daily
    WHERE lower(actor_login) IN ('renovate[bot]', 'mirror-updates')")"
eq "actor_daily keeps them" "MIRROR-updates 1|Renovate[BOT] 1|mirror-updates 1" \
    "$(q "SELECT actor_login, bot FROM actor_daily WHERE bot = 1
    ORDER BY actor_login" | paste -sd'|')"
eq "members" "big/r 11" "$(q 'SELECT repo_name, members
    FROM repos_more_than_ten_members_daily')"
eq "owners" "" "$(q 'SELECT * FROM devs_owning_multiple_repos')"
eq "events kept" 16 "$(q 'SELECT count(*) FROM events')"
eq "developers + bots = actors" \
    "$(jq -r '.actor_login' recs | sort -u | wc -l | tr -d ' ')" \
    "$(q 'SELECT developers + bots FROM daily_summary')"

# A list of one's own replaces the default: mirror-updates becomes a
# person again (it owns two repositories), dev1 a bot (in any case), and
# big/r has dev2..dev11 and MIRROR-updates, on reopening, no reload.
printf '# mine\n  DEV1  # a test account\n\n' >mine
GHA_BOTS=$PWD/mine gha-load -q b.db </dev/null || fail "reopen with mine"
eq "mine: developers" "13 2" "$(q 'SELECT developers, bots FROM daily_summary')"
eq "mine: listed" "dev1" "$(q 'SELECT login FROM bot_logins')"
eq "mine: owners" "MIRROR-updates 2 0|mirror-updates 2 2" \
    "$(q "SELECT * FROM devs_owning_multiple_repos ORDER BY actor_login" | paste -sd"|")"
eq "mine: members" "2015-01-01 big/r 11" "$(q "SELECT * FROM repos_more_than_ten_members_daily")"
eq "mine: bots" "Renovate[BOT] dev1" "$(q "SELECT actor_login FROM
    actor_daily WHERE bot = 1 ORDER BY actor_login" | paste -sd' ')"
# Back to the default, and an empty list leaves only the [bot] rule.
gha-load -q b.db </dev/null || fail "reopen with the default"
eq "default again" "12 3 11" "$(q 'SELECT developers, bots,
    (SELECT members FROM repos_more_than_ten_members_daily)
    FROM daily_summary')"
: >empty
GHA_BOTS=$PWD/empty gha-load -q b.db </dev/null || fail "empty list"
eq "empty list" "14 1" "$(q 'SELECT developers, bots FROM daily_summary')"
# A list that cannot be read, or a line that is not one login: the file
# and line named, nothing changed.
printf 'ok\nnot one\n' >bad
GHA_BOTS=$PWD/bad gha-load -q b.db </dev/null 2>err && fail "a bad list"
grep -q "^gha-load: $PWD/bad:2: not one login: not one$" err ||
    fail "bad list: $(cat err)"
GHA_BOTS=$PWD/none gha-load -q b.db </dev/null 2>err && fail "no list"
grep -q "^gha-load: $PWD/none (GHA_BOTS): No such file" err ||
    fail "no list: $(cat err)"
eq "unchanged" "14 1" "$(q 'SELECT developers, bots FROM daily_summary')"

# gha-filter: the same rule.
eq "-b" "Renovate[BOT] MIRROR-updates mirror-updates mirror-updates" \
    "$(gha-filter -q -b recs | jq -r .actor_login | paste -sd' ')"
eq "-B" 12 "$(gha-filter -q -B -c recs)"
eq "-b with mine" "dev1 Renovate[BOT]" \
    "$(GHA_BOTS=$PWD/mine gha-filter -q -b recs | jq -r .actor_login |
    paste -sd' ')"
GHA_BOTS=$PWD/bad gha-filter -q -b recs >/dev/null 2>err
eq "-b with a bad list" 2 $?
grep -q "$PWD/bad:2: not one login" err || fail "filter: $(cat err)"

# The real 2015 hours: mirror-updates pushed 34,595 commits; it is
# counted among the bots and in no developer view.
have_samples || exit 0
sample_hours
gha-decode -q 2015-01-01-*.json.gz >all.rec || fail "decode"
gha-load -q real.db <all.rec || fail "load the samples"
eq "mirror-updates' commits" 34595 "$(jq -r 'select(.actor_login ==
    "mirror-updates" and .type == "PushEvent") | .commits' all.rec |
    awk '{ n += $1 } END { print n }')"
eq "mirror-updates a bot" "2015-01-01 34595 1" "$(sqlite3 -separator ' ' \
    real.db "SELECT day, commits, bot FROM actor_daily
    WHERE actor_login = 'mirror-updates'")"
for v in dev_daily devs_more_than_one_commit_daily devs_owning_multiple_repos; do
	eq "$v" 0 "$(sqlite3 real.db "SELECT count(*) FROM $v
	    WHERE actor_login = 'mirror-updates'")"
done
want=$(jq -r '.actor_login // empty' all.rec | sort -u |
    awk -v l="$ROOT/scripts/bots" 'BEGIN { while ((getline x <l) > 0) {
    sub(/#.*/, "", x); if (x ~ /[^ \t]/) { gsub(/[ \t]/, "", x)
    b[tolower(x)] = 1 } } }
    { n++; if (tolower($0) ~ /\[bot\]$/ || tolower($0) in b) k++ }
    END { print n - k, k }')
eq "developers and bots" "$want" \
    "$(sqlite3 -separator ' ' real.db 'SELECT developers, bots FROM daily_summary')"
echo "2015-01-01: developers and bots $want"
exit 0
