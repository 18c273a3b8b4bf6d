# Hours 2 and 10 of a day served corrupt, hours 3 and 11 missing (404):
# everywhere hours are listed they come in time order, hour 2 before hour
# 10 (a text sort puts 10 first), and a corrupt hour is counted and named
# as corrupt, not as pending:
#   - gha-daily's list of problems, on stderr;
#   - the ledger (gha-load -Q);
#   - daily_coverage and daily_summary: hours_corrupt 2, hours_pending
#     the day's other hours (24 - 11 loaded - 2 missing - 2 corrupt);
#   - gha-report: the text coverage, summary.csv, the page's missing and
#     corrupt hours and the strip's tooltip.
# Expected values are written out by hand from the plan below.
. "$TESTS/daily/daily.subr"
mkhours m 2015-01-01-0 15
rm m/2015-01-01-3.json.gz m/2015-01-01-11.json.gz
printf '/2015-01-01-%s.json.gz corrupt\n' 2 10 >plan
start_server s m --plan plan
mkenv
export GHA_START=2015-01-01 GHA_NOW=2015-01-01T15:20:00Z

gha-daily 2>err
eq "exit" 3 $?
eq "problems" "  2015-01-01-2: the archive's file is corrupt (tried again next run)
  2015-01-01-10: the archive's file is corrupt (tried again next run)" \
    "$(grep '^  2015' err)"
eq "ledger" "2015-01-01-2 corrupt -
2015-01-01-3 missing -
2015-01-01-10 corrupt -
2015-01-01-11 missing -" "$(ledger | grep -v ' loaded ')"
eq "coverage" "2015-01-01|11|2|9|0|2|11" "$(q 'SELECT * FROM daily_coverage')"
eq "summary" "11|2|9|0|2" "$(q 'SELECT hours_loaded, hours_missing,
    hours_pending, final, hours_corrupt FROM daily_summary')"

mkdir out
gha-report --out-dir out gha.db 2>rerr || fail "gha-report: exit $?: $(cat rerr)"
gha-report gha.db >text 2>rerr || fail "gha-report: exit $?: $(cat rerr)"
grep -q '11/24, 2 missing, 2 corrupt, 9 pending' text ||
    fail "text coverage: $(grep 2015-01-01 text)"
eq "summary.csv" "day,hours_loaded,hours_missing,hours_pending,final,hours_corrupt
2015-01-01,11,2,9,0,2" "$(cut -d, -f1,8-12 out/summary.csv)"
tr '\n' ' ' <out/report.html >page
grep -q 'Missing hours:  2015-01-01-3, 2015-01-01-11\. ' page ||
    fail "missing hours: $(grep -o 'Missing hours[^<]*' page)"
grep -q 'Corrupt hours:  2015-01-01-2, 2015-01-01-10\. ' page ||
    fail "corrupt hours: $(grep -o 'Corrupt hours[^<]*' page)"
grep -q 'data-corrupt="2"><title>2015-01-01: 11 hours loaded, 2 missing (2015-01-01-3, 2015-01-01-11), 2 corrupt (2015-01-01-2, 2015-01-01-10), 9 pending' page ||
    fail "strip: $(grep -o '<g class="day[^>]*><title>[^<]*' page)"
