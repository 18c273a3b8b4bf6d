# The metric views on records made to hit their edges: pushes of unknown
# size (slim era), pushes of 0 commits, exactly 10 and 11 pushers, two
# days and the midnight between them, owners in mixed case, CreateEvents
# of repositories and of branches, duplicated lines, and every form of id
# (decimal, tl- timeline hashes including the top bit, anything else, and
# JSON escapes).  The expected rows come from jq and awk (views.subr); a
# few are also checked against values worked out by hand below.
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"

n=0
rec() {	# rec ID CREATED TYPE LOGIN REPO [COMMITS [REF_TYPE]]
	{ printf '{"id":"%s","type":"%s","created_at":"%s","actor_login":"%s",' \
	    "$1" "$3" "$2" "$4"
	printf '"repo_name":"%s","commits":%s,"ref_type":%s,"public":true}\n' \
	    "$5" "${6:-null}" "${7:-null}"; } | flat_fill
}
D=2015-01-02T10:00:00Z
{
	# alice: a push of unknown size (counts 1) and one of 2 commits.
	rec 1001 $D PushEvent alice alice/x null
	rec 1002 $D PushEvent alice alice/x 2
	rec 1002 $D PushEvent alice alice/x 2		# duplicate line
	# bob: a push of 0 commits and a star; carol: an issue only.
	rec 1003 $D PushEvent bob bob/y 0
	rec 1004 $D WatchEvent bob alice/x
	rec 1005 $D IssuesEvent carol alice/x
	# 11 pushers to team/big, 10 to team/ten.
	for i in 01 02 03 04 05 06 07 08 09 10 11; do
		rec 20$i $D PushEvent p$i team/big 1
		[ $i = 11 ] || rec 30$i $D PushEvent p$i team/ten 1
	done
	rec 2001 $D PushEvent p01 team/big 1		# duplicate line
	# The same id at another time is another event; midnight splits days.
	rec 1003 2015-01-02T23:59:59Z PushEvent bob bob/y 5
	rec 1003 2015-01-03T00:00:00Z PushEvent bob bob/y 5
	# Dave owns dave/a, DAVE/b, Dave/c; created two repositories.
	rec 4001 2015-01-03T01:00:00Z CreateEvent Dave dave/a null '"repository"'
	rec 4002 2015-01-03T01:00:00Z CreateEvent Dave DAVE/b null '"repository"'
	rec 4003 2015-01-03T01:00:00Z CreateEvent Dave dave/a null '"branch"'
	rec 4004 2015-01-03T02:00:00Z WatchEvent eve Dave/c
	rec 4005 2015-01-03T02:00:00Z ForkEvent eve eve/only
	rec 4006 2015-01-03T02:00:00Z ForkEvent eve noslash
	# Ids of every form; \u0031\u0032 is "12", the same event as 12.
	rec tl-0123456789abcdef 2012-06-14T22:00:00Z PushEvent tim tim/r 3
	rec tl-ffffffffffffffff 2012-06-14T22:00:00Z PushEvent tim tim/r 1
	rec tl-8000000000000000 2012-06-14T22:00:00Z PushEvent tim tim/s 1
	rec tl-FFFFFFFFFFFFFFFF 2012-06-14T22:00:00Z PushEvent tim tim/s 1
	rec 007 2012-06-14T22:00:00Z WatchEvent tim tim/r
	rec 9223372036854775807 2012-06-14T22:00:00Z WatchEvent tim tim/r
	rec 9223372036854775808 2012-06-14T22:00:00Z WatchEvent tim tim/r
	rec 0 2012-06-14T22:00:00Z WatchEvent tim tim/r
	rec 12 2012-06-14T22:00:00Z WatchEvent tim tim/r
	rec '\u0031\u0032' 2012-06-14T22:00:00Z WatchEvent tim tim/r
	rec 'x"y' 2012-06-14T22:00:00Z WatchEvent tim tim/r
} | sed 's/"x"y"/"x\\"y"/' >edges.rec
jq -e . edges.rec >/dev/null || fail "test input is not JSON"
total=$(lines edges.rec)
uniq=$(jq -r '[.id, .created_at] | @tsv' edges.rec | sort -u | wc -l)
eq "unique events (by hand: 3 duplicate lines)" $((total - 3)) "$uniq"

status 0 gha-load -f edges.rec edges.db 2>err
grep -q "^gha-load: $total read, $uniq inserted, 3 duplicates, 0 rejected$" \
    err || fail "summary: $(cat err)"
want_views edges.rec want
got_views edges.db got
diff -r want got >&2 || fail "views differ"

# By hand: alice 3 commits (1 unknown + 2), estimated; bob 0 commits on
# the 2nd at 10:00 but 5 at 23:59:59, so 5; carol none.
q() { sqlite3 -separator ' ' -nullvalue - edges.db "$1"; }
eq alice "2015-01-02 alice 2 2 3 1" "$(q "SELECT * FROM dev_daily
    WHERE actor_login = 'alice'")"
eq bob "2015-01-02 bob 3 2 5 0|2015-01-03 bob 1 1 5 0" \
    "$(q "SELECT * FROM dev_daily WHERE actor_login = 'bob'" | paste -sd'|')"
eq "less than one" "2015-01-02 carol" "$(q "SELECT day, actor_login
    FROM devs_less_than_one_commit_daily WHERE day = '2015-01-02'")"
eq "ten members" "2015-01-02 team/big 11" \
    "$(q 'SELECT * FROM repos_more_than_ten_members_daily')"
eq owners "Dave 3 2|tim 2 0" "$(q 'SELECT * FROM devs_owning_multiple_repos
    ORDER BY actor_login' | paste -sd'|')"
# 2015-01-02: 2 (alice) + 2 (bob) + 1 (carol) + 21 pushes + 1 (bob at
# 23:59:59) = 27 events; developers alice bob carol p01..p11 = 14; more than one commit:
# alice, bob, p01..p10 (2 pushes each) = 12; less than one: carol.  No
# hour ledger: the coverage columns are NULL.
# Then the day's pushes with a count and without one, as jq counts them
# (each event once), none resolved.
pc=$(jq -r 'select(.type == "PushEvent" and (.created_at | startswith("2015-01-02"))) |
    [.id, .created_at, (.commits == null)] | @tsv' edges.rec | sort -u |
    awk -F '\t' '{ n[$3]++ } END { printf "%d 0 0 0 %d", n["false"], n["true"] }')
eq "summary" "2015-01-02 27 14 12 1 1 1 - - - - - 0 $pc - - -" "$(q "SELECT * FROM daily_summary
    WHERE day = '2015-01-02'")"
# Every id comes back as written (escapes decoded), in its own form.
jq -r '[.id, .created_at] | @tsv' edges.rec | sort -u >want.ids
sqlite3 -separator '	' edges.db 'SELECT id, created_at FROM events' |
    sort >got.ids
cmp -s want.ids got.ids || { diff want.ids got.ids >&2; fail "ids"; }
# Stored forms (sqlite.c): decimal 9223372036854775807, 0 and 12; three
# lower-case tl- hashes; 007, 2^63, x"y and the upper-case tl- as text.
eq "id forms" "dec 3|t 3|x 4" "$(q "SELECT CASE idx WHEN '' THEN 'dec'
    ELSE substr(idx, 1, 1) END AS f, count(*) FROM event_store
    WHERE created < 1420070400 GROUP BY f ORDER BY f" | paste -sd'|')"
