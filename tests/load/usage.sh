# The command line, the target and database failures: usage on -h (stdout,
# 0) and on bad usage (stderr, 2) equal to the man page's SYNOPSIS; range
# checks; -C (a CA file) with a target that is not https://; GHA_DB and
# ./gha.db; the schema a new file gets, hour ledger included; a target
# that is no database, a directory, unwritable, or of a newer schema is
# exit 4 with a message naming it.
. "$TESTS/lib.sh"
syn=$(mandoc -Tascii "$ROOT/man/gha-load.1" | col -b |
    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \t\n' '   ' |
    sed 's/^ *//; s/ *$//')
gha-load -h >out 2>err || fail "-h status"
[ ! -s err ] || fail "-h wrote to stderr"
# Two forms; the usage prints "usage: " before the first line only.
# The options follow, each line indented by two spaces.
eq "usage" "usage: $syn" "$(awk '/^  [^ ]/ { exit } { print }' out |
    tr -s ' \t\n' '   ' | sed 's/ *$//')"
for bad in "-x" "-b 0" "-b 200001" "-b x" "-w -1" "-w 86401" "-L 10" \
    "-L 2G" "a.db b.db" "-H -Q" "-H -f x" "-Q -b 10" "-H -r x" "-Q -q" \
    "-C ca.pem" "-C ca.pem x.db" "-H -C ca.pem x.db" \
    "-C ca.pem http://127.0.0.1:9/gha"; do
	# shellcheck disable=SC2086
	gha-load $bad </dev/null >out 2>err
	eq "status of $bad" 2 $?
	[ ! -s out ] || fail "$bad wrote to stdout"
	grep -q '^usage: gha-load' err || fail "$bad: no usage: $(cat err)"
done

rec=$(flat_rec '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","commits":2}')
# No target: $GHA_DB, else ./gha.db.
echo "$rec" | GHA_DB=env.db gha-load -q || fail "GHA_DB load"
eq "GHA_DB" 1 "$(sqlite3 env.db 'SELECT count(*) FROM events')"
[ ! -e gha.db ] || fail "gha.db made although GHA_DB was set"
echo "$rec" | GHA_DB= gha-load -q || fail "default load"
eq "./gha.db" 1 "$(sqlite3 gha.db 'SELECT count(*) FROM events')"
# -v adds a line of timings (their values are not checked), with the
# metrics of the day the record is in; loaded again, nothing is new and no
# day's metrics are computed.
echo "$rec" | gha-load -v v.db 2>err || fail "-v"
grep -Eq '^gha-load: [0-9.]+ s, [0-9]+ records/s; CPU: reading [0-9.]+ s, writing [0-9.]+ s; the metrics of 1 day: [0-9.]+ s$' \
    err || fail "-v: $(cat err)"
echo "$rec" | gha-load -v v.db 2>err || fail "-v again"
grep -Eq '^gha-load: [0-9.]+ s, [0-9]+ records/s; CPU: reading [0-9.]+ s, writing [0-9.]+ s$' \
    err || fail "-v again: $(cat err)"
# Empty input is fine, and still creates the schema, the hour ledger
# included.
gha-load empty.db </dev/null 2>err || fail "empty input"
grep -q '^gha-load: 0 read, 0 inserted, 0 duplicates, 0 rejected$' err ||
    fail "empty summary: $(cat err)"
eq "views" "actor_daily daily_coverage daily_sources daily_summary daily_union dev_daily devs_less_than_one_commit_daily devs_more_than_one_commit_daily devs_owning_multiple_repos events repos_more_than_ten_members_daily" \
    "$(sqlite3 empty.db "SELECT name FROM sqlite_master WHERE type = 'view'
    ORDER BY name" | paste -sd' ')"
eq "tables" "agg_actor agg_created agg_day agg_dev_day agg_dirty agg_owner_repo agg_repo_day archive_days archive_hours archive_sources bot_logins event_store push_commits" \
    "$(sqlite3 empty.db "SELECT name FROM sqlite_master WHERE type = 'table'
    ORDER BY name" | paste -sd' ')"
eq "version" 9 "$(sqlite3 empty.db 'PRAGMA user_version')"
eq "summary columns" "day events developers devs_gt1_commit devs_lt1_commit repos_gt10_members commits_estimated hours_loaded hours_missing hours_pending final hours_corrupt bots pushes_archive pushes_git pushes_api pushes_rule pushes_bounded sources union_events id_gap" \
    "$(sqlite3 empty.db "SELECT name FROM pragma_table_info('daily_summary')" |
    paste -sd' ')"
gha-load -Q empty.db >out || fail "-Q"
[ ! -s out ] || fail "an empty ledger printed rows: $(cat out)"

# Database failures: exit 4, the target named, nothing on stdout.
echo 'not a database, just text, long enough to be a header....' >text.db
for t in text.db . nodir/x.db; do
	echo "$rec" | gha-load "$t" >out 2>err
	eq "status for $t" 4 $?
	grep -q "^gha-load: $t: " err || fail "$t not named: $(cat err)"
done
sqlite3 clash.db 'CREATE TABLE dev_daily (x)'
echo "$rec" | gha-load clash.db 2>err
eq "name clash status" 4 $?
grep -q '^gha-load: clash.db: not a view, where gha-load needs its view: dev_daily$' \
    err || fail "clash: $(cat err)"
sqlite3 clash2.db 'CREATE VIEW archive_hours AS SELECT 1 AS x'
echo "$rec" | gha-load clash2.db 2>err
eq "ledger clash status" 4 $?
grep -q '^gha-load: clash2.db: a view, where gha-load needs its table: archive_hours$' \
    err || fail "ledger clash: $(cat err)"
# Someone else's archive_days, of another shape: our views cannot read it.
sqlite3 clash3.db 'CREATE TABLE archive_days (d TEXT)'
echo "$rec" | gha-load clash3.db 2>err
eq "foreign ledger status" 4 $?
grep -q '^gha-load: clash3.db: view daily_coverage cannot be read: no such column: ' \
    err || fail "foreign ledger: $(cat err)"
eq "nothing left of the attempt" "archive_days" \
    "$(sqlite3 clash3.db "SELECT group_concat(name) FROM sqlite_master")"
sqlite3 new.db 'PRAGMA user_version = 99; CREATE TABLE t (x)'
echo "$rec" | gha-load new.db 2>err
eq "newer schema status" 4 $?
grep -q 'schema version 99 is newer' err || fail "newer: $(cat err)"
if [ "$(id -u)" -ne 0 ]; then
	cp gha.db ro.db && chmod a-w ro.db
	echo "$rec" | gha-load ro.db 2>err
	eq "read-only status" 4 $?
fi
# A database locked by someone else longer than -w: exit 4, not a hang.
# The locker holds the write lock from "locked" appearing until "release".
python3 - gha.db <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
while not os.path.exists("release"):
    time.sleep(0.05)
PY
lock=$!
while [ ! -e locked ]; do sleep 0.05; done
echo "$rec" | gha-load -w 1 gha.db 2>err
st=$?
touch release
wait $lock
eq "locked status" 4 $st
grep -q 'locked' err || fail "locked: $(cat err)"
flat_rec '{"id":"2","created_at":"2015-01-01T00:00:00Z"}' | gha-load -q gha.db ||
    fail "after the lock"
eq "after lock" 2 "$(sqlite3 gha.db 'SELECT count(*) FROM events')"

# A batch the database refuses (here a trigger) stops the load with exit 4;
# the batches before it are stored and counted, nothing of it or after it.
sqlite3 fail.db 'PRAGMA user_version' >/dev/null
gha-load -q fail.db </dev/null || fail "create fail.db"
sqlite3 fail.db "CREATE TRIGGER boom BEFORE INSERT ON event_store
    WHEN NEW.idk = 666 BEGIN SELECT RAISE(ABORT, 'boom'); END"
awk 'BEGIN { for (i = 1; i <= 2000; i++)
    printf "{\"id\":\"%d\",\"created_at\":\"2015-01-01T00:00:00Z\"}\n", i }' |
    flat_fill >ids.rec
gha-load --batch 100 -f ids.rec fail.db 2>err
eq "refused status" 4 $?
grep -q '^gha-load: fail.db: insert: boom$' err || fail "refused: $(cat err)"
grep -q ' 600 inserted, 0 duplicates, 0 rejected (loading stopped: database error)$' err ||
    fail "refused summary: $(cat err)"
eq "stored before" 600 "$(sqlite3 fail.db 'SELECT count(*) FROM events')"
