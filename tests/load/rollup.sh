# The aggregates the metric views read (load/rollup.c) hold exactly what
# the views of schema version 3 computed from the events at query time:
# the same rows, view by view, on generated hours of three eras over two
# days (about 45,000 events, enough that every partition of a day spills
# to the temporary file).  The oracle is v3-views.sql, gha-load's own
# earlier SQL over `events`, put into a copy of the file.
#
# Then: loading the same records in pieces, days out of order and with
# duplicates gives the same rows as one load, whether a day's aggregates
# come from the records as read or from the rows read back; a rollup that cannot make
# its temporary file fails with exit 4 and the file named, keeps the
# events and leaves the days marked, and the next gha-load (here -Q,
# which loads nothing) rolls them up; aggregates damaged by hand and
# marked are made right again.
. "$TESTS/lib.sh"
gha-gen -s 3 -n 20000 -H 2024-01-15-23 2024 >a.json || fail "gen a"
gha-gen -s 4 -n 20000 -H 2024-01-16-0 2024 >b.json || fail "gen b"
gha-gen -s 5 -n 5000 -H 2015-01-16-7 2015 >c.json || fail "gen c"
gha-decode -q a.json b.json c.json >all.rec || fail "decode"
# Bots: the generator's [bot] logins, and a list of our own naming the
# three busiest pushers that are people (upper-cased: a list ignores case).
jq -r 'select(.type == "PushEvent") | .actor_login // empty' all.rec |
    grep -v '\[bot\]$' | sort | uniq -c | sort -k1,1nr -k2 | head -n 3 |
    awk '{ print toupper($2) }' >bots
eq "listed" 3 "$(lines bots)"
GHA_BOTS=$PWD/bots
export GHA_BOTS
gha-load -q one.db <all.rec || fail "load"

# Every view, every row, in one order.
VIEWS='SELECT * FROM dev_daily ORDER BY day, actor_login;
SELECT * FROM devs_more_than_one_commit_daily ORDER BY day, actor_login;
SELECT * FROM devs_less_than_one_commit_daily ORDER BY day, actor_login;
SELECT * FROM repos_more_than_ten_members_daily ORDER BY day, repo_name;
SELECT * FROM devs_owning_multiple_repos ORDER BY actor_login;
SELECT day, events, developers, devs_gt1_commit, devs_lt1_commit,
  repos_gt10_members, commits_estimated, hours_loaded, hours_missing,
  hours_pending, final, bots, pushes_archive, pushes_git, pushes_api,
  pushes_rule, pushes_bounded FROM daily_summary ORDER BY day;'
views() {
	sqlite3 "$1" "$VIEWS" || fail "$1: views"
}
views one.db >one.out

# The oracle: version 3's views over the same events.
cp one.db v3.db
sqlite3 v3.db "DROP VIEW dev_daily; DROP VIEW repos_more_than_ten_members_daily;
    DROP VIEW devs_owning_multiple_repos; DROP VIEW daily_summary;
    $(cat "$TESTS/load/v3-views.sql")" || fail "v3 views"
views v3.db >v3.out
cmp -s v3.out one.out || { diff v3.out one.out | head >&2;
    fail "the aggregates differ from the version 3 views"; }
# Not an empty comparison: both days, developers of both kinds, owners.
eq "days" "2015-01-16 2024-01-15 2024-01-16" \
    "$(sqlite3 one.db 'SELECT day FROM daily_summary ORDER BY day' |
    paste -sd' ')"
for v in devs_more_than_one_commit_daily devs_less_than_one_commit_daily \
    repos_more_than_ten_members_daily devs_owning_multiple_repos; do
	n=$(sqlite3 one.db "SELECT count(*) FROM $v")
	[ "$n" -gt 0 ] || fail "$v is empty: nothing compared"
done
# The bots are left out, and counted: distinct (day, bot) pairs by awk.
want=$(jq -r 'select(.actor_login != null) |
    "\(.created_at[0:10]) \(.actor_login)"' all.rec | sort -u |
    awk 'NR == FNR { b[$1]; next } { l = toupper($2) }
    l ~ /\[BOT\]$/ || (l in b) { n++ } END { print n + 0 }' bots -)
[ "$want" -gt 3 ] || fail "$want bot-days: nothing left out"
eq "bots counted" "$want" \
    "$(sqlite3 one.db 'SELECT sum(bots) FROM daily_summary')"
eq "bots in dev_daily" 0 "$(sqlite3 one.db "SELECT count(*) FROM dev_daily
    WHERE actor_login LIKE '%[bot]' OR upper(actor_login) IN
    ($(awk '{ printf "%s\047%s\047", NR > 1 ? "," : "", $0 }' bots))")"
eq "developers + bots = actors" \
    "$(sqlite3 one.db 'SELECT count(*) FROM actor_daily')" \
    "$(sqlite3 one.db 'SELECT sum(developers) + sum(bots) FROM daily_summary')"
echo "$(lines one.out) view rows agree with version 3's"

# In pieces: the second day first, then the first, then all of it again.
grep '"created_at":"2024-01-16' all.rec >day2.rec
grep -v '"created_at":"2024-01-16' all.rec >rest.rec
gha-load -q parts.db <day2.rec || fail "load day 2"
gha-load -q parts.db <rest.rec || fail "load the rest"
gha-load parts.db <all.rec 2>err || fail "load again"
grep -q " 0 inserted, " err || fail "again: $(cat err)"
views parts.db | cmp -s one.out - || fail "loaded in pieces: other rows"

# The aggregates of a day new to the file come from the records as they
# are read, not read back (gha-load -v says which), for the first two
# days of a load; the third is read back.  With duplicates inside the
# input (in one batch, across batches), or into a day that held rows
# before the load, the day is read back: the same rows either way.
gha-load -v fed.db <all.rec 2>err || fail "load fed"
grep -q "^gha-load: metrics: 2 of 3 days from the records as read, 1 read back" \
    err || fail "fed: $(cat err)"
views fed.db | cmp -s one.out - || fail "fed: other rows"
awk '{ print } NR % 7 == 0 { print } END { while ((getline l <FILENAME) > 0 &&
    ++k <= 3000) print l }' all.rec >dups.rec
[ "$(lines dups.rec)" -gt "$(lines all.rec)" ] || fail "no duplicates made"
gha-load -v --batch 1000 dups.db <dups.rec 2>err || fail "load dups"
grep -q " $(lines all.rec) inserted, " err || fail "dups: $(cat err)"
grep -q "^gha-load: metrics: 0 of 3 days from the records as read" err ||
    fail "dups: $(cat err)"
views dups.db | cmp -s one.out - || fail "duplicates inside the input: other rows"
awk 'NR % 2 == 1' day2.rec >odd.rec
awk 'NR % 2 == 0' day2.rec >even.rec
gha-load -q before.db <odd.rec || fail "load odd"
gha-load -v before.db <even.rec 2>err || fail "load even"
grep -q " $(lines even.rec) inserted, 0 duplicates" err ||
    fail "even: $(cat err)"
grep -q "^gha-load: metrics: 0 of 1 day from the records as read" err ||
    fail "even: $(cat err)"
gha-load -q before.db <rest.rec || fail "load the rest after odd, even"
views before.db | cmp -s one.out - || fail "a day partly there before: other rows"
# Both: as many duplicates inside the input as the day held rows before,
# so that the day's rows are as many as the records read.
awk -v k="$(lines odd.rec)" '{ l[NR] = $0; print }
    END { for (i = 0; i < k; i++) print l[i % NR + 1] }' even.rec >even2.rec
gha-load -q both.db <odd.rec || fail "load odd (both)"
gha-load -v both.db <even2.rec 2>err || fail "load even2"
grep -q " $(lines even.rec) inserted, $(lines odd.rec) duplicates" err ||
    fail "even2: $(cat err)"
eq "both: rows" "$(lines even2.rec)" \
    "$(sqlite3 both.db 'SELECT count(*) FROM event_store')"
gha-load -q both.db <rest.rec || fail "load the rest (both)"
views both.db | cmp -s one.out - || fail "duplicates, and rows before: other rows"

# No temporary file: exit 4, the events kept, the days still marked.
TMPDIR=$PWD/none gha-load -q tmp.db <all.rec 2>err
eq "status without a temporary file" 4 $?
grep -q "^gha-load: tmp.db: rolling up 2015-01-16: temporary file: " err ||
    fail "error: $(cat err)"
eq "events kept" "$(lines all.rec)" \
    "$(sqlite3 tmp.db 'SELECT count(*) FROM event_store')"
eq "days marked" 3 "$(sqlite3 tmp.db 'SELECT count(*) FROM agg_dirty')"
gha-load -Q tmp.db >/dev/null || fail "-Q"
eq "days marked after -Q" 0 "$(sqlite3 tmp.db 'SELECT count(*) FROM agg_dirty')"
views tmp.db | cmp -s one.out - || fail "rolled up at open: other rows"

# Damaged by hand, then marked: made right at the next open.
sqlite3 tmp.db "DELETE FROM agg_dev_day WHERE length(actor_login) % 2 = 0;
    UPDATE agg_day SET events = 1; DELETE FROM agg_owner_repo;
    INSERT INTO agg_dirty SELECT CAST(strftime('%s', day) AS INTEGER) / 86400
    FROM agg_day" 2>err || fail "damage: $(cat err)"
gha-load -q tmp.db </dev/null || fail "open after the damage"
views tmp.db | cmp -s one.out - || fail "re-rolled: other rows"
# A slim day (pushes without counts) with resolved counts (gha-load
# --commits, as gha-fetch --commits writes them): by git, by the API, by
# rule, gone, and none, chosen by push_id; the views agree with the
# reference, and resolutions stored after the day's rollup (marked again)
# or before its events give the same rows.
gha-gen -s 7 -n 6000 -H 2026-01-20-5 2026 | gha-decode -q >slim.rec ||
    fail "gen slim"
jq -c 'select(.type == "PushEvent" and .commits == null) |
    (.push_id % 5) as $k | select($k < 4) |
    {repo_name, push_id, created_at, before, head,
    commits: (if $k == 2 then null elif $k == 3 then 0
        else .push_id % 4 end),
    source: (["git", "api", "api", "rule"][$k]),
    state: (if $k == 2 then "gone" else "resolved" end)}' slim.rec >res.ndjson
[ "$(lines res.ndjson)" -gt 100 ] || fail "too few resolutions"
gha-load -q slim.db <slim.rec || fail "load slim"
gha-load -q --commits slim.db <res.ndjson || fail "--commits"
gha-load --commits slim.db <res.ndjson 2>err || fail "--commits again"
grep -q "commits: $(lines res.ndjson) read, 0 inserted, " err ||
    fail "again: $(cat err)"
views slim.db >slim.out
cp slim.db slimv3.db
sqlite3 slimv3.db "DROP VIEW dev_daily; DROP VIEW repos_more_than_ten_members_daily;
    DROP VIEW devs_owning_multiple_repos; DROP VIEW daily_summary;
    $(cat "$TESTS/load/v3-views.sql")" || fail "v3 views (slim)"
views slimv3.db | cmp -s slim.out - || { views slimv3.db | diff - slim.out |
    head >&2; fail "slim: the aggregates differ from the reference"; }
gha-load -q --commits first.db <res.ndjson || fail "--commits first"
gha-load -q first.db <slim.rec || fail "events after"
views first.db | cmp -s slim.out - || fail "resolutions first: other rows"
# Not an empty comparison: each source counted, some still bounded, and
# the developers with more than one commit are fewer than bounded.
eq "pushes by source" "$(jq -s -r '[(map(select(.source == "git")) | length),
    (map(select(.source == "api" and .state == "resolved")) | length),
    (map(select(.source == "rule")) | length)] | join("|")' res.ndjson)" \
    "$(sqlite3 slim.db 'SELECT sum(pushes_git), sum(pushes_api),
    sum(pushes_rule) FROM daily_summary')"
n=$(sqlite3 slim.db 'SELECT sum(pushes_bounded) FROM daily_summary')
[ "$n" -gt 0 ] || fail "no bounded push left"
echo "slim day: $(lines res.ndjson) resolutions, $n pushes still bounded"

# Memory does not follow a key's repeats: 400,000 pushes in a day, every
# one by the same bot to the same repository (one partition gets all of
# their tuples), roll up within the tools' 32 MB (when the partition was
# read whole, with a hash slot per tuple, it took 85 MB).
if [ -x /usr/bin/time ]; then
	awk 'BEGIN { for (i = 1; i <= 400000; i++)
	    printf "{\"id\":\"%d\",\"type\":\"PushEvent\",\"created_at\":\"2024-01-15T%02d:%02d:%02dZ\",\"actor_login\":\"bot\",\"repo_name\":\"big/one\",\"commits\":1}\n",
	    i, i % 24, i % 60, i % 60 }' | flat_fill >bot.rec
	/usr/bin/time -f %M -o rss gha-load -q bot.db <bot.rec ||
	    fail "bot load"
	eq "bot's day" "2024-01-15|bot|400000|400000|400000|0" \
	    "$(sqlite3 bot.db 'SELECT * FROM dev_daily')"
	kb=$(tail -n 1 rss)
	# Not under ASan, whose quarantine keeps freed memory resident.
	if nm "$(command -v gha-load)" 2>/dev/null | grep -q __asan_init; then
		echo "ASan build: peak RSS ($kb KB) not checked"
	else
		[ "$kb" -lt 32768 ] ||
		    fail "peak RSS $kb KB for one key's repeats"
		echo "400,000 repeats of one key: peak RSS $kb KB"
	fi
fi
exit 0
