# gha-report's numbers are the database's: a week of real records
# (mkdb) loaded by gha-load; the summary (CSV, JSON, text) equals the rows
# of the daily_summary view read with sqlite3, events per day equal the
# records given to gha-load for that day (counted with wc), the type mix
# equals the records' types (counted with sed), and each top list equals
# the view's rows aggregated and sorted here with awk and sort(1).
. "$TESTS/lib.sh"
. "$TESTS/report/mkdb"
mkdb week.db
R="day >= '2015-01-01' AND day <= '2015-01-07'"

mkdir out
gha-report --top 5 --out-dir out --json week.db >week.json 2>err ||
    fail "gha-report: $(cat err)"
[ -s out/report.html ] || fail "no report.html"
ls out | grep -v -x -e report.html -e summary.csv && fail "stray files in out"

# Summary: every day of the default range (the 31 days ending on the last
# loaded day, from the first), 2015-01-05 empty.
sqlite3 -csv week.db "SELECT day, events, developers, devs_gt1_commit,
    devs_lt1_commit, repos_gt10_members, commits_estimated
    FROM daily_summary ORDER BY day" >view.csv
for d in 1 2 3 4 6 7; do
	eq "events of 2015-01-0$d" "$(lines day-2015-01-0$d.rec)" \
	    "$(grep "^2015-01-0$d," view.csv | cut -d, -f2)"
done
eq "estimated 01-06" 1 "$(grep '^2015-01-06,' view.csv | cut -d, -f7)"
eq "estimated 01-07" 0 "$(grep '^2015-01-07,' view.csv | cut -d, -f7)"
{ grep -v '^2015-01-05' view.csv | sed 's/$/,,,,,/'; } >want.csv
sed 1d out/summary.csv | grep -v '^2015-01-05' | cut -d, -f1-12 >got.csv
cmp -s want.csv got.csv || fail "summary.csv differs: $(diff want.csv got.csv | head)"
eq header 'day,events,developers,devs_gt1_commit,devs_lt1_commit,repos_gt10_members,commits_estimated,hours_loaded,hours_missing,hours_pending,final,hours_corrupt,bots,pushes,pushes_unknown,pushes_unknown_pct,incomplete,thin' \
    "$(head -1 out/summary.csv)"
eq "empty day" '2015-01-05,,,,,,,,,,,,,,,,,' "$(grep '^2015-01-05' out/summary.csv)"
eq "csv days" 8 "$(lines out/summary.csv)"
jq -r '.summary[] | select(.events != null) | [.day, .events, .developers,
    .devs_gt1_commit, .devs_lt1_commit, .repos_gt10_members,
    .commits_estimated] | join(",")' week.json >json.csv
grep -v '^2015-01-05' view.csv | cmp -s - json.csv || fail "json summary differs"
eq "json range" "2015-01-01 2015-01-07 7 unknown" \
    "$(jq -r '"\(.from) \(.to) \(.days) \(.coverage)"' week.json)"
eq "json null day" null "$(jq '.summary[4].events' week.json)"

# Event types: the records' own types, bots' records left out (the bots
# as gha-load's actor_daily tells them).
sqlite3 week.db "SELECT DISTINCT actor_login FROM actor_daily WHERE bot = 1" |
    sed 's/.*/"actor_login":"&",/' >bots.pat
[ -s bots.pat ] || fail "no bot in the week: a weak test"
grep -v -F -f bots.pat all.rec |
    sed 's/^{"id":"[^"]*","type":"\([^"]*\)".*/\1/' | sort | uniq -c |
    awk '{ print $2 "," $1 }' | sort -t, -k2,2nr -k1,1 >want
jq -r '.event_types[] | "\(.type),\(.events)"' week.json >got
cmp -s want got || fail "types differ: $(diff want got | head)"

# Top lists: view rows aggregated here.  Ties go by the next column, then
# by name in byte order.
export LC_ALL=C
top() {
	jq -r ".$1[] | [.[]] | map(tostring) | join(\",\")" week.json
}
sqlite3 -csv week.db "SELECT actor_login, commits, commits_estimated
    FROM devs_more_than_one_commit_daily WHERE $R" |
    awk -F, '{ d[$1]++; c[$1] += $2; if ($3 > e[$1]) e[$1] = $3 }
    END { for (a in d) print a "," d[a] "," c[a] "," e[a] + 0 }' |
    sort -t, -k3,3nr -k2,2nr -k1,1 | head -n 5 >want
top devs_more_than_one_commit >got
cmp -s want got || fail "gt1 differs: $(diff want got)"
eq "gt1 rows" 5 "$(lines got)"

sqlite3 -csv week.db "SELECT actor_login, events
    FROM devs_less_than_one_commit_daily WHERE $R" |
    awk -F, '{ d[$1]++; e[$1] += $2 }
    END { for (a in d) print a "," d[a] "," e[a] }' |
    sort -t, -k2,2nr -k3,3nr -k1,1 | head -n 5 >want
top devs_less_than_one_commit >got
cmp -s want got || fail "lt1 differs: $(diff want got)"

sqlite3 -csv week.db "SELECT repo_name, members
    FROM repos_more_than_ten_members_daily WHERE $R" |
    awk -F, '{ d[$1]++; if ($2 > m[$1]) m[$1] = $2 }
    END { for (a in d) print a "," d[a] "," m[a] }' |
    sort -t, -k3,3nr -k2,2nr -k1,1 | head -n 5 >want
top repos_more_than_ten_members >got
[ -s want ] || fail "no repository with more than ten members: a weak test"
cmp -s want got || fail "repos differ: $(diff want got)"

sqlite3 -csv week.db "SELECT actor_login, repos_owned, repos_created
    FROM devs_owning_multiple_repos" |
    sort -t, -k2,2nr -k3,3nr -k1,1 | head -n 5 >want
top devs_owning_multiple_repos >got
cmp -s want got || fail "owners differ: $(diff want got)"

# CSV of one list = the JSON's; -d narrows the range.
gha-report --csv -s gt1 --top 5 week.db | sed 1d >got
top devs_more_than_one_commit | cmp -s - got || fail "csv gt1 differs"
gha-report --csv --days 2015-01-03 week.db >one.csv
eq "one day" "$(grep '^2015-01-03,' view.csv),,,,," "$(sed 1d one.csv | cut -d, -f1-12)"
gha-report --csv --days ..2015-01-02 week.db | cut -d, -f1 | tr '\n' ' ' >got
eq "open start" "day 2015-01-01 2015-01-02 " "$(cat got)"

# Text: a header line, every day, aligned columns (the coverage column
# starts at the same place on every line of the summary).
gha-report -s summary week.db >text || fail "text"
eq "text header" "gha-report: week.db, 2015-01-01..2015-01-07, 7 days, coverage unknown" \
    "$(head -1 text)"
awk '/^day/ { on = 1 } on && NF { print index($0, $1 == "day" ? "coverage" : "unknown") }' \
    text | sort -u >cols
eq "aligned" 1 "$(lines cols)"
grep -q '^2015-01-05 .* - .*unknown  *-$' text || fail "no empty 2015-01-05 row"
grep -q "^2015-01-06 .*$(grep '^2015-01-06' view.csv | cut -d, -f2) .* yes  unknown  *100.0% pushes unknown\$" \
    text || fail "01-06 row: $(grep 2015-01-06 text)"
