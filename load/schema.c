/*
 * schema.c - the database schema of gha-load, in one place.
 *
 * Two parts:
 *
 * schema_sqlite[] is the SQLite storage: the table event_store, keyed for
 * fast loading (see the comment at the top of sqlite.c for the key), and
 * the view `events`, which turns it back into the flat record of
 * DESIGN.md 3 (id and created_at as text) plus two derived columns the
 * metrics need: day (the UTC date of created_at, 'YYYY-MM-DD') and
 * repo_owner_lc (the owner part of repo_name, lower-cased; NULL when
 * repo_name has no owner).  Each event is stored once, so `events` needs
 * no de-duplication.  PRAGMA user_version holds SCHEMA_VERSION; a later
 * change adds a step to the migration in sqlite.c and bumps it.
 *
 * Version 2 added the hour ledger of the daily job (gha-load -H / -Q):
 * archive_hours, one row per archive hour with its status (loaded,
 * missing, corrupt, pending) and, when loaded, its counts; archive_days,
 * whether a day is final; and the view daily_coverage(day, hours_loaded,
 * hours_missing, hours_pending, final), pending being the day's other
 * hours of its 24.  They are schema_ledger[].
 *
 * Version 3 creates the ledger at open with the rest of the schema
 * (version 2 made it on first use, so its absence had to stand for "no
 * coverage known"; now an empty ledger says that), and daily_summary
 * gains the day's coverage from daily_coverage.  schema_v3_drop[] are the
 * views whose definition changed, dropped before the CREATE ... IF NOT
 * EXISTS when an older file is opened.  Every other statement is IF NOT
 * EXISTS, so a version 1 or 2 file gains what it lacks.
 *
 * schema_views[] are the metric views of DESIGN.md 4.  They read only
 * `events` and use only plain SQL that SQLite and ClickHouse (18.16 and
 * later) both accept: GROUP BY / HAVING, count(DISTINCT), CASE, coalesce,
 * lower, UNION ALL, subqueries in FROM, at most one JOIN per SELECT, no
 * CTE, no window function.  A ClickHouse sink can send them as they are
 * once it provides its own `events` (e.g. over a ReplacingMergeTree with
 * FINAL, day = toDate(created_at), repo_owner_lc =
 * lower(splitByChar('/', repo_name)[1])).
 *
 * Definitions (DESIGN.md 4): a developer is an actor_login; days are UTC.
 *   dev_daily: one row per (day, actor_login) with any event; pushes =
 *     PushEvents; commits = sum of the pushes' commits, a push whose
 *     commits is unknown (null) counting 1, a lower bound; and
 *     commits_estimated = 1 when any of that day's pushes was unknown.
 *   devs_more_than_one_commit_daily / devs_less_than_one_commit_daily:
 *     dev_daily rows with commits > 1 / commits < 1 (active, no commits).
 *   repos_more_than_ten_members_daily: per (day, repo_name), members =
 *     distinct actor_logins that pushed to it; rows with members > 10.
 *   devs_owning_multiple_repos: for every actor_login seen, repos_owned
 *     = distinct repo_name over all events whose owner part equals the
 *     login ignoring ASCII case, repos_created = distinct repo_name of the
 *     actor's CreateEvents with ref_type 'repository'; rows with
 *     repos_owned > 1.
 *   daily_summary: per day with any event or any row in the hour
 *     ledger: events (all events, with or without an actor), developers
 *     (rows of dev_daily), devs_gt1_commit, devs_lt1_commit,
 *     repos_gt10_members (rows of the three views above) and
 *     commits_estimated (1 when any dev_daily row of the day is), these
 *     seven as DESIGN.md 4 has them and 0 on a day without events; then
 *     hours_loaded, hours_missing, hours_pending and final, the day's row
 *     of daily_coverage, NULL when the ledger has none (a day loaded
 *     outside gha-daily and gha-backfill).  A day the ledger knows but
 *     that has no event (every hour missing, or still pending) is a row,
 *     so a reader tells a quiet day from a missing one.
 */
#include "sink.h"

const char *const schema_sqlite[] = {
	"CREATE TABLE IF NOT EXISTS event_store (\n"
	"  created          INTEGER NOT NULL, -- created_at, epoch seconds\n"
	"  idk              INTEGER NOT NULL, -- id key, see sqlite.c\n"
	"  idx              TEXT NOT NULL,    -- id form, see sqlite.c\n"
	"  type             TEXT,\n"
	"  actor_id         INTEGER,\n"
	"  actor_login      TEXT,\n"
	"  repo_id          INTEGER,\n"
	"  repo_name        TEXT,\n"
	"  org_id           INTEGER,\n"
	"  org_login        TEXT,\n"
	"  action           TEXT,\n"
	"  ref              TEXT,\n"
	"  ref_type         TEXT,\n"
	"  push_id          INTEGER,\n"
	"  commits          INTEGER,\n"
	"  distinct_commits INTEGER,\n"
	"  head             TEXT,\n"
	"  before           TEXT,\n"
	"  number           INTEGER,\n"
	"  public           INTEGER,          -- 0 or 1\n"
	"  src              TEXT,\n"
	"  PRIMARY KEY (created, idk, idx)\n"
	") WITHOUT ROWID",

	"CREATE VIEW IF NOT EXISTS events AS SELECT\n"
	"  CASE idx WHEN '' THEN CAST(idk AS TEXT)\n"
	"    WHEN 't' THEN 'tl-' || printf('%016x', idk)\n"
	"    ELSE substr(idx, 2) END AS id,\n"
	"  type,\n"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', created, 'unixepoch') AS created_at,\n"
	"  actor_id, actor_login, repo_id, repo_name, org_id, org_login,\n"
	"  action, ref, ref_type, push_id, commits, distinct_commits,\n"
	"  head, before, number, public, src,\n"
	"  date(created, 'unixepoch') AS day,\n"
	"  CASE WHEN instr(repo_name, '/') > 1\n"
	"    THEN lower(substr(repo_name, 1, instr(repo_name, '/') - 1))\n"
	"    END AS repo_owner_lc\n"
	"FROM event_store",

	NULL
};

const char *const schema_views[] = {
	"CREATE VIEW IF NOT EXISTS dev_daily AS\n"
	"SELECT day, actor_login,\n"
	"  count(*) AS events,\n"
	"  sum(CASE WHEN type = 'PushEvent' THEN 1 ELSE 0 END) AS pushes,\n"
	"  sum(CASE WHEN type = 'PushEvent' THEN coalesce(commits, 1)\n"
	"    ELSE 0 END) AS commits,\n"
	"  max(CASE WHEN type = 'PushEvent' AND commits IS NULL THEN 1\n"
	"    ELSE 0 END) AS commits_estimated\n"
	"FROM events\n"
	"WHERE actor_login IS NOT NULL\n"
	"GROUP BY day, actor_login",

	"CREATE VIEW IF NOT EXISTS devs_more_than_one_commit_daily AS\n"
	"SELECT day, actor_login, events, pushes, commits, commits_estimated\n"
	"FROM dev_daily\n"
	"WHERE commits > 1",

	"CREATE VIEW IF NOT EXISTS devs_less_than_one_commit_daily AS\n"
	"SELECT day, actor_login, events, pushes, commits, commits_estimated\n"
	"FROM dev_daily\n"
	"WHERE commits < 1",

	"CREATE VIEW IF NOT EXISTS repos_more_than_ten_members_daily AS\n"
	"SELECT day, repo_name, count(DISTINCT actor_login) AS members\n"
	"FROM events\n"
	"WHERE type = 'PushEvent' AND repo_name IS NOT NULL\n"
	"  AND actor_login IS NOT NULL\n"
	"GROUP BY day, repo_name\n"
	"HAVING count(DISTINCT actor_login) > 10",

	"CREATE VIEW IF NOT EXISTS devs_owning_multiple_repos AS\n"
	"SELECT oa.actor_login AS actor_login, oa.repos_owned AS repos_owned,\n"
	"  coalesce(c.repos_created, 0) AS repos_created\n"
	"FROM (\n"
	"  SELECT a.actor_login AS actor_login, o.repos_owned AS repos_owned\n"
	"  FROM (\n"
	"    SELECT DISTINCT actor_login, lower(actor_login) AS owner_lc\n"
	"    FROM events\n"
	"    WHERE actor_login IS NOT NULL\n"
	"  ) AS a\n"
	"  JOIN (\n"
	"    SELECT repo_owner_lc AS owner_lc,\n"
	"      count(DISTINCT repo_name) AS repos_owned\n"
	"    FROM events\n"
	"    WHERE repo_owner_lc IS NOT NULL\n"
	"    GROUP BY repo_owner_lc\n"
	"    HAVING count(DISTINCT repo_name) > 1\n"
	"  ) AS o ON a.owner_lc = o.owner_lc\n"
	") AS oa\n"
	"LEFT JOIN (\n"
	"  SELECT actor_login, count(DISTINCT repo_name) AS repos_created\n"
	"  FROM events\n"
	"  WHERE type = 'CreateEvent' AND ref_type = 'repository'\n"
	"    AND actor_login IS NOT NULL\n"
	"  GROUP BY actor_login\n"
	") AS c ON oa.actor_login = c.actor_login",

	"CREATE VIEW IF NOT EXISTS daily_summary AS\n"
	"SELECT day, sum(events) AS events, sum(developers) AS developers,\n"
	"  sum(devs_gt1_commit) AS devs_gt1_commit,\n"
	"  sum(devs_lt1_commit) AS devs_lt1_commit,\n"
	"  sum(repos_gt10_members) AS repos_gt10_members,\n"
	"  max(commits_estimated) AS commits_estimated,\n"
	"  max(hours_loaded) AS hours_loaded,\n"
	"  max(hours_missing) AS hours_missing,\n"
	"  max(hours_pending) AS hours_pending, max(final) AS final\n"
	"FROM (\n"
	"  SELECT day, count(*) AS events, 0 AS developers,\n"
	"    0 AS devs_gt1_commit, 0 AS devs_lt1_commit,\n"
	"    0 AS repos_gt10_members, 0 AS commits_estimated,\n"
	"    NULL AS hours_loaded, NULL AS hours_missing,\n"
	"    NULL AS hours_pending, NULL AS final\n"
	"  FROM events\n"
	"  GROUP BY day\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS events, count(*) AS developers,\n"
	"    sum(CASE WHEN commits > 1 THEN 1 ELSE 0 END) AS devs_gt1_commit,\n"
	"    sum(CASE WHEN commits < 1 THEN 1 ELSE 0 END) AS devs_lt1_commit,\n"
	"    0 AS repos_gt10_members,\n"
	"    max(commits_estimated) AS commits_estimated,\n"
	"    NULL AS hours_loaded, NULL AS hours_missing,\n"
	"    NULL AS hours_pending, NULL AS final\n"
	"  FROM dev_daily\n"
	"  GROUP BY day\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,\n"
	"    0 AS devs_lt1_commit, count(*) AS repos_gt10_members,\n"
	"    0 AS commits_estimated,\n"
	"    NULL AS hours_loaded, NULL AS hours_missing,\n"
	"    NULL AS hours_pending, NULL AS final\n"
	"  FROM repos_more_than_ten_members_daily\n"
	"  GROUP BY day\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,\n"
	"    0 AS devs_lt1_commit, 0 AS repos_gt10_members,\n"
	"    0 AS commits_estimated, hours_loaded, hours_missing,\n"
	"    hours_pending, final\n"
	"  FROM daily_coverage\n"
	") AS u\n"
	"GROUP BY day",
	NULL
};

/*
 * The hour ledger (see the top of the file), created before schema_views[]:
 * daily_summary reads daily_coverage.
 */
const char *const schema_ledger[] = {
	"CREATE TABLE IF NOT EXISTS archive_hours (\n"
	"  epoch     INTEGER PRIMARY KEY, -- the hour's start, epoch seconds\n"
	"  hour      TEXT NOT NULL,       -- YYYY-MM-DD-H\n"
	"  status    TEXT NOT NULL,       -- loaded missing corrupt pending\n"
	"  events    INTEGER,\n"
	"  bad_lines INTEGER,\n"
	"  bytes     INTEGER,\n"
	"  sha256    TEXT,\n"
	"  loaded_at TEXT NOT NULL        -- when the row was stored, UTC\n"
	")",

	"CREATE TABLE IF NOT EXISTS archive_days (\n"
	"  day   TEXT PRIMARY KEY,        -- YYYY-MM-DD\n"
	"  final INTEGER NOT NULL         -- 0 or 1\n"
	")",

	"CREATE VIEW IF NOT EXISTS daily_coverage AS\n"
	"SELECT day, sum(l) AS hours_loaded, sum(m) AS hours_missing,\n"
	"  24 - sum(l) - sum(m) AS hours_pending, max(f) AS final\n"
	"FROM (\n"
	"  SELECT substr(hour, 1, 10) AS day,\n"
	"    CASE WHEN status = 'loaded' THEN 1 ELSE 0 END AS l,\n"
	"    CASE WHEN status = 'missing' THEN 1 ELSE 0 END AS m, 0 AS f\n"
	"  FROM archive_hours\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS l, 0 AS m, final AS f FROM archive_days\n"
	") AS u\n"
	"GROUP BY day",
	NULL
};

/* Views whose definition changed in version 3: dropped, then created. */
const char *const schema_v3_drop[] = {
	"DROP VIEW IF EXISTS daily_summary",
	NULL
};
