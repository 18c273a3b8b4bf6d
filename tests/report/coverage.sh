# The hour ledger: stored by the real gha-load -H as the daily job
# stores it, each day's coverage is told in words, in CSV columns (the
# same as daily_summary's) and on the page (missing hours named and
# marked, provisional days marked).  When the ledger has no row for the
# range (a database only gha-load loaded: the ledger's tables exist but
# are empty; or a range the ledger does not reach) it is "unknown"; a
# ledger that cannot be read is reported, exit 1.  The database is the
# real gha-load's, from a real sample hour moved to three days (see mkdb
# for the moving).  The ledger (by hand): 01-01 all 24 hours loaded,
# final; 01-02 hours 5 and 6 missing, the 22 others loaded, final; 01-03
# hours 0 to 17 loaded, not final (6 pending); 01-05 hour 1 missing.
. "$TESTS/lib.sh"
. "$TESTS/report/mkdb"
sample_hours
gha-decode -q 2015-01-01-3.json.gz >h3.rec || fail decode
{ cat h3.rec; mv_day 02 h3.rec; mv_day 03 h3.rec; } | gha-load -q c.db ||
    fail gha-load
cp c.db plain.db
{
	h=0
	while [ $h -lt 24 ]; do
		echo "{\"hour\":\"2015-01-01-$h\",\"status\":\"loaded\"}"
		case $h in
		5|6) s=missing ;;
		*) s=loaded ;;
		esac
		echo "{\"hour\":\"2015-01-02-$h\",\"status\":\"$s\"}"
		[ $h -ge 18 ] ||
		    echo "{\"hour\":\"2015-01-03-$h\",\"status\":\"loaded\"}"
		h=$((h + 1))
	done
	echo '{"hour":"2015-01-05-1","status":"missing"}'
	echo '{"day":"2015-01-01","final":1}'
	echo '{"day":"2015-01-02","final":1}'
	echo '{"day":"2015-01-03","final":0}'
} | gha-load -H c.db || fail "gha-load -H"

gha-report -s summary --days 2015-01-01..2015-01-04 c.db >text || fail text
grep -q 'coverage from the hour ledger$' text || fail "$(head -1 text)"
grep -q '^2015-01-01 .*  24/24  *-$' text || fail "01-01: $(cat text)"
grep -q '^2015-01-02 .*  22/24, 2 missing  *incomplete$' text || fail "01-02"
grep -q '^2015-01-03 .*  18/24, 6 pending, provisional  *incomplete$' text || fail "01-03"
grep -q '^2015-01-04 .*  not in ledger  *-$' text || fail "01-04"
# A day the ledger knows without events (daily_summary has a row of
# zeros for it): a day without data, its coverage saying why.
gha-report --csv --days 2015-01-05 c.db | sed 1d | cut -d, -f1-12 >got || fail "csv 01-05"
eq "01-05" "2015-01-05,,,,,,,0,1,23,0,0" "$(cat got)"

gha-report --csv --days 2015-01-01..2015-01-04 c.db | cut -d, -f1,8-12 >got ||
    fail csv
printf '%s\n' day,hours_loaded,hours_missing,hours_pending,final,hours_corrupt \
    2015-01-01,24,0,0,1,0 2015-01-02,22,2,0,1,0 2015-01-03,18,0,6,0,0 \
    2015-01-04,,,,, >want
cmp -s want got || fail "csv coverage: $(diff want got)"
sqlite3 -csv c.db "SELECT day, hours_loaded, hours_missing, hours_pending,
    final, hours_corrupt FROM daily_summary WHERE day <= '2015-01-04' ORDER BY day" >view
sed '1d; /^2015-01-04,/d' want | cmp -s - view ||
    fail "daily_summary's coverage differs from the report's: $(cat view)"
eq json known "$(gha-report --json -s summary c.db | jq -r .coverage)"

gha-report --days 2015-01-01..2015-01-04 --html c.html c.db || fail html
grep -q 'data-day="2015-01-02" data-loaded="22" data-missing="2" data-pending="0"' \
    c.html || fail "strip 01-02"
grep -q '<g class="day prov" data-day="2015-01-03"' c.html ||
    fail "01-03 not provisional"
grep -q 'class="provbox"' c.html || fail "no provisional box"
grep -q 'Missing hours: *$' c.html || fail "missing hours not listed"
grep -q '^2015-01-02-5, 2015-01-02-6\.$' c.html || fail "missing hours"
grep -q '2015-01-05-1' c.html && fail "an hour outside the range named"
grep -q '<rect class="bar prov" data-day="2015-01-03"' c.html ||
    fail "provisional bars not pale"
grep -q 'Coverage unknown' c.html && fail "said unknown"

# No ledger rows (the tables are there, empty): unknown everywhere.
eq "empty ledger" "0|0" "$(sqlite3 plain.db "SELECT (SELECT count(*)
    FROM archive_hours), (SELECT count(*) FROM archive_days)")"
gha-report -s summary plain.db >text || fail text
grep -q 'coverage unknown$' text || fail "$(head -1 text)"
eq "unknown rows" 3 "$(grep -c '^2015-01-0[123] .*  unknown  *-$' text)"
eq json unknown "$(gha-report --json -s summary plain.db | jq -r .coverage)"
gha-report --html plain.html plain.db || fail html
grep -q 'Coverage unknown' plain.html || fail "page: not unknown"
# A range the ledger has no row for: unknown too.
gha-report -s summary --days 2015-01-04 c.db >text || fail text
grep -q 'coverage unknown$' text || fail "range without rows: $(head -1 text)"

# A ledger that cannot be read (a database as an earlier gha-load left
# it, its daily_summary of seven columns, beside someone's daily_coverage
# of another shape): reported, the report still written, exit 1.
sqlite3 plain.db "CREATE TABLE s7 AS SELECT day, events, developers,
      devs_gt1_commit, devs_lt1_commit, repos_gt10_members,
      commits_estimated FROM daily_summary;
    DROP VIEW daily_summary; DROP VIEW daily_coverage;
    CREATE TABLE daily_coverage(d TEXT);
    CREATE VIEW daily_summary AS SELECT * FROM s7;" || fail sqlite3
status 1 gha-report --csv plain.db >got 2>err
grep -q '^gha-report: plain.db: daily_coverage: .*(coverage unknown)$' err ||
    fail "$(cat err)"
eq "rows still written" 4 "$(lines got)"
exit 0
