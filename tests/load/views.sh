# The five complete 2015 sample hours, decoded and loaded, with an hour
# ledger: every metric view and daily_coverage hold exactly the rows
# computed from the records and the ledger rows by jq and awk alone (see
# views.subr for how), and the events view gives back every record's
# identity and fields.  The ledger has a later row replacing an earlier
# one, hours of every status, and a day with no events (2015-01-02, its
# hours missing), which daily_summary must show: a missing day, not a
# quiet one.
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"
records
gha-load gha.db <all.rec 2>err || fail "load: $(cat err)"
grep -q '^gha-load: 33427 read, 33427 inserted, 0 duplicates, 0 rejected$' \
    err || fail "summary: $(cat err)"
# The ledger, in two runs of -H: hour 6 pending, then loaded; the day
# provisional, then final.
{
	for h in 1 3 4 5 12; do
		echo "{\"hour\":\"2015-01-01-$h\",\"status\":\"loaded\"}"
	done
	echo '{"hour":"2015-01-01-2","status":"missing"}'
	echo '{"hour":"2015-01-01-0","status":"corrupt"}'
	echo '{"hour":"2015-01-01-6","status":"pending"}'
	echo '{"day":"2015-01-01","final":0}'
	for h in 0 1 2 3; do
		echo "{\"hour\":\"2015-01-02-$h\",\"status\":\"missing\"}"
	done
	echo '{"day":"2015-01-02","final":0}'
} >ledger1
printf '%s\n' '{"hour":"2015-01-01-6","status":"loaded"}' \
    '{"day":"2015-01-01","final":1}' >ledger2
gha-load -H gha.db <ledger1 || fail "-H ledger1"
gha-load -H gha.db <ledger2 || fail "-H ledger2"
cat ledger1 ledger2 >ledger
want_views all.rec want ledger
got_views gha.db got
diff -r want got >&2 || fail "views differ"
# The views are not trivially empty: these sizes come from the jq files.
for v in $VIEWS; do
	[ -s "want/$v" ] || fail "no rows expected in $v: a weak test"
done
eq "summary days" 2 "$(lines want/daily_summary)"
# By hand: 2015-01-01 has hours 1 3 4 5 6 12 loaded, 2 missing, hour 0
# corrupt (counted apart, not as pending) and 16 pending (the hours the
# ledger never saw), final; 2015-01-02 has no event and four hours
# missing, 20 pending.
eq "coverage" "2015-01-01|6|1|16|1|1|6|2015-01-02|0|4|20|0|0|0" \
    "$(sqlite3 gha.db 'SELECT * FROM daily_coverage ORDER BY day' |
    paste -sd'|')"
eq "missing day" "2015-01-02|0|0|0|0|0|0|0|4|20|0|0|0|0|0|0|0|0|||" \
    "$(sqlite3 gha.db "SELECT * FROM daily_summary WHERE day = '2015-01-02'")"

# events gives back each record: id, created_at and every other key, as
# jq reads them from the input (public as 0/1).
jq -r '[.id, .type, .created_at, .actor_id, .actor_login, .repo_id,
    .repo_name, .org_id, .org_login, .action, .ref, .ref_type, .push_id,
    .commits, .distinct_commits, .head, .before, .number,
    (if .public then 1 else 0 end), .src] | @tsv' all.rec |
    LC_ALL=C sort >want.rows
sqlite3 -separator '	' gha.db 'SELECT id, type, created_at, actor_id,
    actor_login, repo_id, repo_name, org_id, org_login, action, ref,
    ref_type, push_id, commits, distinct_commits, head, before, number,
    public, src FROM events' | LC_ALL=C sort >got.rows
cmp -s want.rows got.rows || { diff want.rows got.rows | head >&2;
    fail "events differ from the records"; }
eq version 9 "$(sqlite3 gha.db 'PRAGMA user_version')"
eq journal wal "$(sqlite3 gha.db 'PRAGMA journal_mode')"
