# What the numbers rest on (mkdb_quality: incomplete days, a thin day, a
# day not in the ledger, a ledger-only day, slim pushes, bots), through
# the real gha-report: the CSV and JSON columns equal what sqlite3 and
# awk compute from the same database (the thin rule recomputed here:
# fewer than 0.2 times the median events of the 7 days before, at least
# 3 known); bots out of every list unless --bots; the page's marks (a
# band on every chart for each incomplete day, a triangle for each thin
# day, the share of pushes of unknown size) read from the DOM of
# headless Chromium when it is installed.
. "$TESTS/lib.sh"
. "$TESTS/report/mkdb"
mkdb_quality q.db
export LC_ALL=C

gha-report --csv q.db >q.csv 2>err || fail "gha-report --csv: $(cat err)"
gha-report --json q.db >q.json || fail "gha-report --json"
# The ledger-only 01-08 ends the range.
eq days "2015-01-01 2015-01-08 8" "$(jq -r '"\(.from) \(.to) \(.days)"' q.json)"
eq "ledger-only day" "0" "$(sqlite3 q.db "SELECT events FROM daily_summary
    WHERE day = '2015-01-08'")"

# incomplete: from daily_coverage.
sqlite3 -csv q.db "SELECT day, CASE WHEN hours_missing + hours_corrupt +
    hours_pending > 0 THEN 1 ELSE 0 END FROM daily_coverage ORDER BY day" >want
echo 2015-01-06, >>want
sort want >want.s
jq -r '.summary[] | "\(.day),\(.incomplete // "")"' q.json | sort >got
cmp -s want.s got || fail "incomplete: $(diff want.s got)"
eq "incomplete days" "2015-01-07 2015-01-08" "$(awk -F, '$2 == 1 { printf "%s%s", s, $1; s = " " }' got)"

# pushes, of unknown size, share: from the events, bots left out.
B="(actor_login LIKE '%[bot]' OR lower(actor_login) IN (SELECT login FROM bot_logins))"
sqlite3 -csv q.db "SELECT day, count(*), sum(commits IS NULL) FROM events
    WHERE type = 'PushEvent' AND NOT $B GROUP BY day ORDER BY day" >want
cut -d, -f1,14,15 q.csv | sed 1d | grep -v ',,$' >got
cmp -s want got || fail "pushes: $(diff want got)"
eq "slim pushes of 01-07" "$(grep '^2015-01-07,' q-2015-01-07.rec >/dev/null; \
    grep '"type":"PushEvent"' q-2015-01-07.rec | grep -v '"actor_login":"mirror-updates"' |
    grep -c '"commits":null')" "$(grep '^2015-01-07,' want | cut -d, -f3)"
awk -F, 'NR > 1 && $14 > 0 { d = 100 * $15 / $14 - $16; if (d < -0.05 || d > 0.05) { print $1; exit 1 } }' \
    q.csv || fail "pushes_unknown_pct"
eq "pct 01-07" 1 "$(awk -F, '$1 == "2015-01-07" { print ($16 > 40 && $16 < 60) }' q.csv)"

# bots: daily_summary's.
sqlite3 -csv q.db "SELECT day, bots FROM daily_summary WHERE events > 0
    ORDER BY day" >want
cut -d, -f1,13 q.csv | sed 1d | grep -v ',$' >got
cmp -s want got || fail "bots: $(diff want got)"

# thin: the rule recomputed from daily_summary's events.
sqlite3 -separator ' ' q.db "SELECT day, events FROM daily_summary
    ORDER BY day" >vol
for d in 01 02 03 04 05 06 07 08; do
	day=2015-01-$d
	w=$(awk -v d="$day" '{ print $1, $2 }' vol | while read -r x n; do
		a=$(date -u -d "$x" +%s) b=$(date -u -d "$day" +%s)
		[ $((b - a)) -gt 0 ] && [ $((b - a)) -le $((7 * 86400)) ] && echo "$n"
	done | sort -n)
	n=$(printf '%s\n' $w | grep -c .)
	v=$(awk -v d="$day" '$1 == d { print $2 }' vol)
	if [ -z "$v" ] || [ "$n" -lt 3 ]; then
		t=
	else
		m=$(printf '%s\n' $w | awk '{ a[NR] = $1 } END {
		    print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
		t=$(awk -v v="$v" -v m="$m" 'BEGIN { print (m > 0 && v < 0.2 * m) ? 1 : 0 }')
	fi
	eq "thin $day" "$day,$t" "$(grep "^$day," q.csv | cut -d, -f1,18)"
done
eq "thin days" "2015-01-05 2015-01-08" "$(jq -r '[.summary[] | select(.thin == 1) | .day] | join(" ")' q.json)"

# Text: the notes column.
gha-report -s summary q.db >text || fail text
grep -q '^2015-01-05 .*  thin$' text || fail "text 01-05: $(grep 2015-01-05 text)"
grep -q '^2015-01-07 .*  incomplete, [0-9.]*% pushes unknown$' text ||
    fail "text 01-07: $(grep 2015-01-07 text)"

# Bots: out of every list by default, in them with --bots.
bots=$(sqlite3 q.db "SELECT DISTINCT actor_login FROM actor_daily WHERE bot = 1
    ORDER BY 1" | tr '\n' ' ')
eq "the bots" "BrewTestBot mirror-updates qdm-ci[bot] " "$bots"
gha-report --json --top 1000 q.db >all.json || fail "--top 1000"
jq -r '.. | .actor_login? // empty' all.json | grep -x -F \
    -e BrewTestBot -e mirror-updates -e 'qdm-ci[bot]' && fail "a bot in a list"
sqlite3 -csv q.db "SELECT coalesce(type, ''), count(*) FROM events WHERE NOT $B
    GROUP BY 1 ORDER BY 2 DESC, 1" >want
jq -r '.event_types[] | "\(.type),\(.events)"' all.json >got
cmp -s want got || fail "types without bots: $(diff want got | head)"
gha-report --bots --json --top 1000 q.db >bots.json || fail "--bots"
sqlite3 -csv q.db "SELECT actor_login, count(*), sum(commits),
    max(commits_estimated), max(bot) FROM actor_daily WHERE commits > 1
    GROUP BY 1" | sort -t, -k3,3nr -k2,2nr -k1,1 >want
jq -r '.devs_more_than_one_commit[] | [.[]] | map(tostring) | join(",")' \
    bots.json >got
cmp -s want got || fail "--bots gt1: $(diff want got | head)"
eq "mirror-updates first" "mirror-updates,1" "$(head -1 got | cut -d, -f1,5)"
sqlite3 -csv q.db "SELECT coalesce(type, ''), count(*) FROM events
    GROUP BY 1 ORDER BY 2 DESC, 1" >want
jq -r '.event_types[] | "\(.type),\(.events)"' bots.json >got
cmp -s want got || fail "types with bots"
gha-report --bots q.db | grep -q '^Actors, bots included, with more than one commit a day$' ||
    fail "--bots heading"

# The page.
gha-report --html q.html q.db || fail html
if command -v chromium >/dev/null 2>&1; then
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$PWD/profile" --proxy-server=http://127.0.0.1:9 \
	    --dump-dom "file://$PWD/q.html" >q.dom 2>browser.err ||
	    fail "chromium: $(tail -n 3 browser.err)"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$PWD/profile2" --proxy-server=http://127.0.0.1:9 \
	    --window-size=1240,1400 --screenshot="$PWD/shot.png" \
	    "file://$PWD/q.html" 2>>browser.err || fail "chromium screenshot"
else
	cp q.html q.dom
fi
tr -d '\n' <q.dom | sed 's/<figure/\n&/g' | grep '^<figure class="chart" id="c-' |
    grep -v 'id="c-types"' >charts
eq charts 6 "$(lines charts)"
while IFS= read -r c; do
	id=$(printf '%s' "$c" | sed 's/^<figure class="chart" id="\([^"]*\)".*/\1/')
	eq "gaps on $id" "2015-01-07 2015-01-08" "$(printf '%s' "$c" |
	    grep -o 'class="gap" data-day="[^"]*"' | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')"
	eq "thin on $id" "2015-01-05 2015-01-08" "$(printf '%s' "$c" |
	    grep -o 'class="thin" data-day="[^"]*"' | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')"
done <charts
grep -o '<rect class="gap" data-day="2015-01-07"[^>]*><title>[^<]*' q.dom |
    grep -q '2 missing (2015-01-07-5, 2015-01-07-6), 1 corrupt (2015-01-07-7)' ||
    fail "the gap's title does not name the hours"
grep -q 'id="thin-days"' q.dom || fail "no thin-day flag"
pct=$(awk -F, '$1 == "2015-01-07" { print $16 }' q.csv)
grep 'id="c-unknown"' charts | grep -q "data-day=\"2015-01-07\" data-value=\"$pct\"" ||
    fail "share of 01-07 not on the page"
grep -q 'id="types-gaps"' q.dom || fail "type mix: no note of the gaps"
exit 0
