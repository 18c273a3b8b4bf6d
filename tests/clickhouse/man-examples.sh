# man-examples: the ClickHouse EXAMPLES of gha-load(1) run as written,
# with the test server's address for 127.0.0.1:8123 (read from the page,
# so a change to the page is a change to this test).
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"

grep -h '8123' "$ROOT/man/gha-load.1" >examples
eq "ClickHouse examples in the page" 2 "$(lines examples)"
# records.json: two pushes of one developer on one day, 3 commits.
flat_fill >records.json <<'JSON'
{"id":"1","type":"PushEvent","created_at":"2015-01-01T10:00:00Z","actor_login":"a","repo_name":"a/x","commits":1}
{"id":"2","type":"PushEvent","created_at":"2015-01-01T11:00:00Z","actor_login":"a","repo_name":"a/y","commits":2}
JSON
ch_start
cp ch/loader.pw loader.pw
sed "s|http://127.0.0.1:8123|$CH_URL|" examples >examples.sh
sh -e examples.sh >out 2>err || fail "an example failed: $(cat err)"
grep -q "2 inserted" err || fail "the load did not insert 2: $(cat err)"
# By hand from the two records above: one day, 2 events, 1 developer
# with 3 commits (> 1), no repo with > 10 members, nothing estimated; no
# hour ledger, so the coverage is NULL; no bot; both pushes counted by
# the archive; one source, so no union.
printf 'day\tevents\tdevelopers\tdevs_gt1_commit\tdevs_lt1_commit\trepos_gt10_members\tcommits_estimated\thours_loaded\thours_missing\thours_pending\tfinal\thours_corrupt\tbots\tpushes_archive\tpushes_git\tpushes_api\tpushes_rule\tpushes_bounded\tsources\tunion_events\tid_gap\n2015-01-01\t2\t1\t1\t0\t0\t0\t\\N\t\\N\t\\N\t\\N\t\\N\t0\t2\t0\t0\t0\t0\t\\N\t\\N\t\\N\n' >want
cmp -s want out || { diff want out >&2; fail "daily_summary differs"; }
