# The hour ledger: with daily_coverage and archive_hours (made here by
# hand as the daily job will make them: the report never creates them),
# each day's coverage is told in words, in CSV columns and on the page
# (missing hours named and marked, provisional days marked); without them
# it is "unknown"; a ledger that cannot be read is reported, exit 1.
# The database is the real gha-load's, from two real sample hours moved to
# three days (see mkdb for the moving).
. "$TESTS/lib.sh"
. "$TESTS/report/mkdb"
sample_hours
gha-decode -q 2015-01-01-3.json.gz >h3.rec || fail decode
{ cat h3.rec; mv_day 02 h3.rec; mv_day 03 h3.rec; } | gha-load -q c.db ||
    fail gha-load
cp c.db plain.db
sqlite3 c.db "CREATE TABLE daily_coverage(day TEXT PRIMARY KEY,
      hours_loaded INT, hours_missing INT, hours_pending INT, final INT);
    INSERT INTO daily_coverage VALUES ('2015-01-01', 24, 0, 0, 1),
      ('2015-01-02', 22, 2, 0, 1), ('2015-01-03', 18, 0, 6, 0);
    CREATE TABLE archive_hours(hour TEXT PRIMARY KEY, status TEXT,
      events INT);
    INSERT INTO archive_hours VALUES ('2015-01-02-5', 'missing', NULL),
      ('2015-01-02-6', 'missing', NULL), ('2015-01-01-3', 'loaded', 5971),
      ('2015-01-05-1', 'missing', NULL);" || fail sqlite3

gha-report -s summary -d 2015-01-01..2015-01-04 c.db >text || fail text
grep -q 'coverage from the hour ledger$' text || fail "$(head -1 text)"
grep -q '^2015-01-01 .*  24/24$' text || fail "01-01: $(cat text)"
grep -q '^2015-01-02 .*  22/24, 2 missing$' text || fail "01-02"
grep -q '^2015-01-03 .*  18/24, 6 pending, provisional$' text || fail "01-03"
grep -q '^2015-01-04 .*  not in ledger$' text || fail "01-04"

gha-report --csv -d 2015-01-01..2015-01-04 c.db | cut -d, -f1,8- >got ||
    fail csv
printf '%s\n' day,hours_loaded,hours_missing,hours_pending,final \
    2015-01-01,24,0,0,1 2015-01-02,22,2,0,1 2015-01-03,18,0,6,0 \
    2015-01-04,,,, >want
cmp -s want got || fail "csv coverage: $(diff want got)"
eq json known "$(gha-report --json -s summary c.db | jq -r .coverage)"

gha-report --html c.html c.db || fail html
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

# No ledger: unknown everywhere.
gha-report -s summary plain.db >text || fail text
grep -q 'coverage unknown$' text || fail "$(head -1 text)"
eq "unknown rows" 3 "$(grep -c '^2015-01-0[123] .*  unknown$' text)"
gha-report --html plain.html plain.db || fail html
grep -q 'Coverage unknown' plain.html || fail "page: not unknown"

# A ledger of another shape: reported, the report still written, exit 1.
sqlite3 plain.db 'CREATE TABLE daily_coverage(d TEXT)' || fail sqlite3
status 1 gha-report --csv plain.db >got 2>err
grep -q '^gha-report: plain.db: daily_coverage: .*(coverage unknown)$' err ||
    fail "$(cat err)"
eq "rows still written" 4 "$(lines got)"
exit 0
