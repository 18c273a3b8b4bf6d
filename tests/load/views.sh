# The five complete 2015 sample hours, decoded and loaded: every metric
# view holds exactly the rows computed from the records by jq and awk
# alone (see views.subr for how), and the events view gives back every
# record's identity and fields.
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"
records
gha-load gha.db <all.rec 2>err || fail "load: $(cat err)"
grep -q '^gha-load: 33427 read, 33427 inserted, 0 duplicates, 0 rejected$' \
    err || fail "summary: $(cat err)"
want_views all.rec want
got_views gha.db got
diff -r want got >&2 || fail "views differ"
# The views are not trivially empty: these sizes come from the jq files.
for v in $VIEWS; do
	[ -s "want/$v" ] || fail "no rows expected in $v: a weak test"
done
eq "summary day" 1 "$(lines want/daily_summary)"

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
eq version 2 "$(sqlite3 gha.db 'PRAGMA user_version')"
eq journal wal "$(sqlite3 gha.db 'PRAGMA journal_mode')"
