# A database an earlier gha-load made is brought up to schema version 9
# when opened (by a load, -H or -Q): version 3 (views over the events,
# no aggregates), version 2 with a ledger, version 2 loaded with records
# only (no ledger: it came with the first -H or -Q), and version 1 (no
# ledger) all gain the ledger tables, daily_coverage and the aggregate
# tables, whose every day is rolled up at that open; the metric views are
# made anew and read them; events and ledger rows are kept.  The old files
# are made from a new one by dropping the aggregates and putting back the
# version 3 views (v3-views.sql, as gha-load had them), for versions 1 and
# 2 also their daily_summary (below), and the version number.  Version 4
# (daily_coverage and daily_summary without hours_corrupt, a corrupt hour
# counted as pending) gains hours_corrupt, and every older file the bots'
# table, agg_day's bots (the version 4 file has version 5's metric views,
# which count bots as developers) and daily_summary's column bots.
# Expected values are by hand.
. "$TESTS/lib.sh"
rec=$(flat_rec '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","actor_login":"a","commits":2}')
echo "$rec" | gha-load -q new.db || fail "load"
echo '{"hour":"2015-01-01-0","status":"loaded"}' | gha-load -H new.db ||
    fail "-H"
old_summary="CREATE VIEW daily_summary AS
SELECT day, sum(events) AS events, sum(developers) AS developers,
  sum(devs_gt1_commit) AS devs_gt1_commit,
  sum(devs_lt1_commit) AS devs_lt1_commit,
  sum(repos_gt10_members) AS repos_gt10_members,
  max(commits_estimated) AS commits_estimated
FROM (
  SELECT day, count(*) AS events, 0 AS developers,
    0 AS devs_gt1_commit, 0 AS devs_lt1_commit,
    0 AS repos_gt10_members, 0 AS commits_estimated
  FROM events GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, count(*) AS developers,
    sum(CASE WHEN commits > 1 THEN 1 ELSE 0 END) AS devs_gt1_commit,
    sum(CASE WHEN commits < 1 THEN 1 ELSE 0 END) AS devs_lt1_commit,
    0 AS repos_gt10_members, max(commits_estimated) AS commits_estimated
  FROM dev_daily GROUP BY day
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, count(*) AS repos_gt10_members,
    0 AS commits_estimated
  FROM repos_more_than_ten_members_daily GROUP BY day
) AS u
GROUP BY day"
# Before version 9 there were no sources apart.
v8="DROP VIEW IF EXISTS daily_union; DROP VIEW IF EXISTS daily_sources;
    DROP TABLE IF EXISTS archive_sources;"
noledger="$v8 DROP VIEW daily_coverage; DROP TABLE archive_hours;
    DROP TABLE archive_days;"
v4="DROP VIEW dev_daily; DROP VIEW repos_more_than_ten_members_daily;
    DROP VIEW devs_owning_multiple_repos; DROP VIEW IF EXISTS daily_summary;
    $(sqlite3 new.db "SELECT 'DROP TABLE ' || name || ';' FROM sqlite_master
    WHERE type = 'table' AND name LIKE 'agg\_%' ESCAPE '\'")"
# Before version 7, archive_hours had no UTC hours and daily_coverage
# counted by the day of the file's name.
v6="$v8 DROP VIEW daily_summary; DROP VIEW daily_coverage;
    CREATE TABLE h5 (epoch INTEGER PRIMARY KEY, hour TEXT NOT NULL,
      status TEXT NOT NULL, events INTEGER, bad_lines INTEGER, bytes INTEGER,
      sha256 TEXT, loaded_at TEXT NOT NULL);
    INSERT INTO h5 SELECT epoch, hour, status, events, bad_lines, bytes,
      sha256, loaded_at FROM archive_hours;
    DROP TABLE archive_hours; ALTER TABLE h5 RENAME TO archive_hours;
    CREATE VIEW daily_coverage AS
    SELECT day, sum(l) AS hours_loaded, sum(m) AS hours_missing,
      24 - sum(l) - sum(m) AS hours_pending, max(f) AS final
    FROM (SELECT substr(hour, 1, 10) AS day,
      CASE WHEN status = 'loaded' THEN 1 ELSE 0 END AS l,
      CASE WHEN status = 'missing' THEN 1 ELSE 0 END AS m, 0 AS f
      FROM archive_hours UNION ALL
      SELECT day, 0 AS l, 0 AS m, final AS f FROM archive_days) AS u
    GROUP BY day;"
cp new.db v3.db
sqlite3 v3.db "$v6 $v4 $(cat "$TESTS/load/v3-views.sql") PRAGMA user_version = 3" ||
    fail "making v3.db"
# oldfile NAME VERSION [SQL]: v3.db as version VERSION made it.
oldfile() {
	cp v3.db "$1"
	sqlite3 "$1" "DROP VIEW daily_summary; ${3:-} $old_summary;
	    PRAGMA user_version = $2" || fail "making $1"
	eq "$1: old columns" 7 "$(sqlite3 "$1" \
	    "SELECT count(*) FROM pragma_table_info('daily_summary')")"
}
oldfile v2ledger.db 2
oldfile v2.db 2 "$noledger"
oldfile v1.db 1 "$noledger"
eq "v3.db: no aggregates" 0 "$(sqlite3 v3.db \
    "SELECT count(*) FROM sqlite_master WHERE name LIKE 'agg%'")"
# A load (of nothing), -Q and -H each migrate.
gha-load -q v3.db </dev/null || fail "open v3.db"
gha-load -q v2ledger.db </dev/null || fail "open v2ledger.db"
gha-load -Q v2.db >out || fail "-Q v2.db"
[ ! -s out ] || fail "v2.db: ledger rows from nowhere: $(cat out)"
echo '{"day":"2015-01-02","final":0}' | gha-load -H v1.db || fail "-H v1.db"
for db in v3.db v2ledger.db v2.db v1.db; do
	eq "$db: version" 9 "$(sqlite3 "$db" 'PRAGMA user_version')"
	eq "$db: days left to roll up" 0 \
	    "$(sqlite3 "$db" 'SELECT count(*) FROM agg_dirty')"
	eq "$db: developers" "2015-01-01|a|1|1|2|0" \
	    "$(sqlite3 "$db" 'SELECT * FROM dev_daily')"
	eq "$db: columns" "day events developers devs_gt1_commit devs_lt1_commit repos_gt10_members commits_estimated hours_loaded hours_missing hours_pending final hours_corrupt bots pushes_archive pushes_git pushes_api pushes_rule pushes_bounded sources union_events id_gap" \
	    "$(sqlite3 "$db" "SELECT name FROM pragma_table_info('daily_summary')" |
	    paste -sd' ')"
done
# By hand: one event, one developer with 2 commits; v2ledger.db keeps its
# loaded hour (23 pending, not final); v2.db has no ledger row; v1.db has
# the day row just stored, a day without events.
for db in v3.db v2ledger.db; do
	eq "$db" "2015-01-01|1|1|1|0|0|0|1|0|23|0|0|0|1|0|0|0|0|||" \
	    "$(sqlite3 $db 'SELECT * FROM daily_summary')"
done
eq "v2.db" "2015-01-01|1|1|1|0|0|0||||||0|1|0|0|0|0|||" \
    "$(sqlite3 v2.db 'SELECT * FROM daily_summary')"
eq "v1.db" "2015-01-01|1|1|1|0|0|0||||||0|1|0|0|0|0|||,2015-01-02|0|0|0|0|0|0|0|0|24|0|0|0|0|0|0|0|0|||" \
    "$(sqlite3 v1.db 'SELECT * FROM daily_summary ORDER BY day' |
    paste -sd,)"

# Version 4: its two ledger views as that gha-load made them, a corrupt
# hour beside the loaded one.
cp new.db v4.db
sqlite3 v4.db "DROP VIEW daily_summary; DROP VIEW daily_coverage;
DROP VIEW devs_more_than_one_commit_daily;
DROP VIEW devs_less_than_one_commit_daily; DROP VIEW dev_daily;
DROP VIEW actor_daily; DROP VIEW devs_owning_multiple_repos;
DROP TABLE bot_logins; ALTER TABLE agg_day DROP COLUMN bots;
CREATE VIEW dev_daily AS
SELECT day, actor_login, events, pushes, commits, commits_estimated
FROM agg_dev_day;
CREATE VIEW devs_more_than_one_commit_daily AS
SELECT day, actor_login, events, pushes, commits, commits_estimated
FROM dev_daily WHERE commits > 1;
CREATE VIEW devs_less_than_one_commit_daily AS
SELECT day, actor_login, events, pushes, commits, commits_estimated
FROM dev_daily WHERE commits < 1;
CREATE VIEW devs_owning_multiple_repos AS
SELECT a.actor_login AS actor_login, o.repos_owned AS repos_owned,
  coalesce(c.repos_created, 0) AS repos_created
FROM (SELECT h, owner_lc, count(*) AS repos_owned FROM agg_owner_repo
  GROUP BY h, owner_lc HAVING count(*) > 1) AS o
JOIN agg_actor AS a ON a.h = o.h AND a.actor_lc = o.owner_lc
LEFT JOIN (SELECT actor_login, count(*) AS repos_created FROM agg_created
  GROUP BY actor_login) AS c ON c.actor_login = a.actor_login;
DROP TABLE push_commits; ALTER TABLE agg_day DROP COLUMN pushes_archive;
ALTER TABLE agg_day DROP COLUMN pushes_git;
ALTER TABLE agg_day DROP COLUMN pushes_api;
ALTER TABLE agg_day DROP COLUMN pushes_rule;
ALTER TABLE agg_day DROP COLUMN pushes_bounded;
CREATE VIEW daily_coverage AS
SELECT day, sum(l) AS hours_loaded, sum(m) AS hours_missing,
  24 - sum(l) - sum(m) AS hours_pending, max(f) AS final
FROM (
  SELECT substr(hour, 1, 10) AS day,
    CASE WHEN status = 'loaded' THEN 1 ELSE 0 END AS l,
    CASE WHEN status = 'missing' THEN 1 ELSE 0 END AS m, 0 AS f
  FROM archive_hours
  UNION ALL
  SELECT day, 0 AS l, 0 AS m, final AS f FROM archive_days
) AS u
GROUP BY day;
CREATE VIEW daily_summary AS
SELECT day, sum(events) AS events, sum(developers) AS developers,
  sum(devs_gt1_commit) AS devs_gt1_commit,
  sum(devs_lt1_commit) AS devs_lt1_commit,
  sum(repos_gt10_members) AS repos_gt10_members,
  max(commits_estimated) AS commits_estimated,
  max(hours_loaded) AS hours_loaded,
  max(hours_missing) AS hours_missing,
  max(hours_pending) AS hours_pending, max(final) AS final
FROM (
  SELECT day, events, developers, devs_gt1_commit, devs_lt1_commit,
    repos_gt10_members, commits_estimated,
    NULL AS hours_loaded, NULL AS hours_missing,
    NULL AS hours_pending, NULL AS final
  FROM agg_day
  UNION ALL
  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,
    0 AS devs_lt1_commit, 0 AS repos_gt10_members,
    0 AS commits_estimated, hours_loaded, hours_missing,
    hours_pending, final
  FROM daily_coverage
) AS u
GROUP BY day;
INSERT INTO archive_hours (epoch, hour, status, loaded_at)
VALUES (1420074000, '2015-01-01-1', 'corrupt', '2015-01-02T00:00:00Z');
PRAGMA user_version = 4" || fail "making v4.db"
eq "v4.db: before" "2015-01-01|1|1|1|0|0|0|1|0|23|0" \
    "$(sqlite3 v4.db 'SELECT * FROM daily_summary')"
gha-load -Q v4.db >/dev/null || fail "-Q v4.db"
eq "v4.db: version" 9 "$(sqlite3 v4.db 'PRAGMA user_version')"
eq "v4.db: the corrupt hour apart" "2015-01-01|1|1|1|0|0|0|1|0|22|0|1|0|1|0|0|0|0|||" \
    "$(sqlite3 v4.db 'SELECT * FROM daily_summary')"
eq "v4.db: coverage" "2015-01-01|1|0|22|0|1|1" \
    "$(sqlite3 v4.db 'SELECT * FROM daily_coverage')"

# Opening again changes nothing (the migration runs once).
sqlite3 v2ledger.db .schema >before
gha-load -q v2ledger.db </dev/null || fail "reopen"
sqlite3 v2ledger.db .schema | cmp -s before - || fail "schema changed"
exit 0
