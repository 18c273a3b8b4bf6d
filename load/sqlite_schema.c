/*
 * sqlite_schema.c - the schema of an SQLite file, and its migration.
 *
 * Two parts of SQL, then the code that creates or migrates a file:
 *
 * schema_sqlite[] is the SQLite storage: the table event_store, keyed for
 * fast loading (see the comment at the top of sqlite.c for the key), and
 * the view `events`, which turns it back into the flat record of
 * DESIGN.md 3 (id and created_at as text) plus two derived columns the
 * metrics need: day (the UTC date of created_at, 'YYYY-MM-DD') and
 * repo_owner_lc (the owner part of repo_name, lower-cased; NULL when
 * repo_name has no owner).  Each event is stored once, so `events` needs
 * no de-duplication.  PRAGMA user_version holds SCHEMA_VERSION; a later
 * change adds a step to the migration below (sq_schema) and bumps it.
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
 * gains the day's coverage from daily_coverage.
 *
 * Version 5 counts a day's corrupt hours apart: daily_coverage and
 * daily_summary gain hours_corrupt (after final, so that a reader by
 * position of the older columns is not misled), and hours_pending no
 * longer counts them.  schema_v5_drop[] are those two views, dropped when
 * an older file is opened, to be created anew.
 *
 * Version 6 stores the commit counts of slim pushes that gha-fetch
 * --commits resolved (push_commits, keyed by (push_id, head), with the
 * source of each and the push's created_at, so that a resolution stored
 * after its day was rolled up marks that day again); the metrics use
 * them (rollup.c), agg_day and daily_summary gain the day's pushes by
 * the source of their count: pushes_archive, pushes_git, pushes_api,
 * pushes_rule (a deleted branch: 0) and pushes_bounded (still counted
 * as 1).  schema_v6_alter[] adds those columns to an older agg_day.
 *
 * Version 4 stores the metrics: the agg_ tables, which rollup.c fills for
 * every day a load stored events in (agg_dirty), so that the views read
 * about one row per developer-day instead of sorting every event at each
 * query (46 s of CPU for a 4.8 million-event day before; well under a
 * second now).  schema_v4_drop[] are the views whose definition changed
 * since version 2, dropped before the CREATE ... IF NOT EXISTS when an
 * older file is opened, and schema_v4_mark marks every day of an older
 * file for rollup.  Every other statement is IF NOT EXISTS, so an older
 * file gains what it lacks.
 *
 * schema_views[] are the metric views of DESIGN.md 4, over the agg_
 * tables.  They compute what version 3's views computed from `events`
 * (tests/load/v3-views.sql is that SQL, the oracle of
 * tests/load/rollup.sh); the definitions below are what both compute.
 * ClickHouse keeps its own views over `events` (ch_schema.c).
 *
 * Definitions (DESIGN.md 4): a developer is an actor_login; days are UTC.
 *   dev_daily: one row per (day, actor_login) with any event; pushes =
 *     PushEvents; commits = sum of the pushes' commits: the archive's,
 *     else the resolved count of push_commits, else 1, a lower bound;
 *     and commits_estimated = 1 when any of that day's pushes had
 *     neither.
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
 *     hours_loaded, hours_missing, hours_pending, final and hours_corrupt,
 *     the day's row of daily_coverage, NULL when the ledger has none (a day loaded
 *     outside gha-daily and gha-backfill).  A day the ledger knows but
 *     that has no event (every hour missing, or still pending) is a row,
 *     so a reader tells a quiet day from a missing one.
 */
#include <stdio.h>

#include "sqlite.h"

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

	/* Version 4: the aggregates of rollup.c, and the days to redo. */
	"CREATE TABLE IF NOT EXISTS agg_dirty (\n"
	"  day INTEGER PRIMARY KEY       -- days since 1970-01-01 UTC\n"
	")",

	"CREATE TABLE IF NOT EXISTS agg_day (\n"
	"  day                TEXT PRIMARY KEY,\n"
	"  events             INTEGER NOT NULL,\n"
	"  developers         INTEGER NOT NULL,\n"
	"  devs_gt1_commit    INTEGER NOT NULL,\n"
	"  devs_lt1_commit    INTEGER NOT NULL,\n"
	"  repos_gt10_members INTEGER NOT NULL,\n"
	"  commits_estimated  INTEGER NOT NULL,\n"
	"  pushes_archive     INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_git         INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_api         INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_rule        INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_bounded     INTEGER NOT NULL DEFAULT 0\n"
	")",

	"CREATE TABLE IF NOT EXISTS agg_dev_day (\n"
	"  day               TEXT NOT NULL,\n"
	"  h                 INTEGER NOT NULL, -- of lower(actor_login)\n"
	"  actor_login       TEXT NOT NULL,\n"
	"  events            INTEGER NOT NULL,\n"
	"  pushes            INTEGER NOT NULL,\n"
	"  commits           INTEGER NOT NULL,\n"
	"  commits_estimated INTEGER NOT NULL,\n"
	"  PRIMARY KEY (day, h, actor_login)\n"
	") WITHOUT ROWID",

	"CREATE TABLE IF NOT EXISTS agg_repo_day (\n"
	"  day       TEXT NOT NULL,\n"
	"  repo_name TEXT NOT NULL,\n"
	"  members   INTEGER NOT NULL,          -- more than 10 only\n"
	"  PRIMARY KEY (day, repo_name)\n"
	") WITHOUT ROWID",

	"CREATE TABLE IF NOT EXISTS agg_owner_repo (\n"
	"  h         INTEGER NOT NULL,          -- of owner_lc\n"
	"  owner_lc  TEXT NOT NULL,\n"
	"  repo_name TEXT NOT NULL,\n"
	"  PRIMARY KEY (h, owner_lc, repo_name)\n"
	") WITHOUT ROWID",

	"CREATE TABLE IF NOT EXISTS agg_actor (\n"
	"  h           INTEGER NOT NULL,        -- of actor_lc\n"
	"  actor_lc    TEXT NOT NULL,\n"
	"  actor_login TEXT NOT NULL,\n"
	"  PRIMARY KEY (h, actor_lc, actor_login)\n"
	") WITHOUT ROWID",

	/* Version 6: the resolved counts of slim pushes (gha-load --commits). */
	"CREATE TABLE IF NOT EXISTS push_commits (\n"
	"  push_id     INTEGER NOT NULL,\n"
	"  head        TEXT NOT NULL,\n"
	"  repo_name   TEXT NOT NULL,\n"
	"  created     INTEGER NOT NULL,  -- the push's created_at, epoch s\n"
	"  before      TEXT NOT NULL,\n"
	"  commits     INTEGER,           -- NULL: gone, cannot be known\n"
	"  source      TEXT NOT NULL,     -- git, api or rule\n"
	"  state       TEXT NOT NULL,     -- resolved or gone\n"
	"  resolved_at TEXT NOT NULL,     -- when stored, UTC\n"
	"  PRIMARY KEY (push_id, head)\n"
	") WITHOUT ROWID",

	"CREATE TABLE IF NOT EXISTS agg_created (\n"
	"  actor_login TEXT NOT NULL,\n"
	"  repo_name   TEXT NOT NULL,\n"
	"  PRIMARY KEY (actor_login, repo_name)\n"
	") WITHOUT ROWID",

	NULL
};

const char *const schema_views[] = {
	"CREATE VIEW IF NOT EXISTS dev_daily AS\n"
	"SELECT day, actor_login, events, pushes, commits, commits_estimated\n"
	"FROM agg_dev_day",

	"CREATE VIEW IF NOT EXISTS devs_more_than_one_commit_daily AS\n"
	"SELECT day, actor_login, events, pushes, commits, commits_estimated\n"
	"FROM dev_daily\n"
	"WHERE commits > 1",

	"CREATE VIEW IF NOT EXISTS devs_less_than_one_commit_daily AS\n"
	"SELECT day, actor_login, events, pushes, commits, commits_estimated\n"
	"FROM dev_daily\n"
	"WHERE commits < 1",

	"CREATE VIEW IF NOT EXISTS repos_more_than_ten_members_daily AS\n"
	"SELECT day, repo_name, members\n"
	"FROM agg_repo_day\n"
	"WHERE members > 10",

	"CREATE VIEW IF NOT EXISTS devs_owning_multiple_repos AS\n"
	"SELECT a.actor_login AS actor_login, o.repos_owned AS repos_owned,\n"
	"  coalesce(c.repos_created, 0) AS repos_created\n"
	"FROM (\n"
	"  SELECT h, owner_lc, count(*) AS repos_owned\n"
	"  FROM agg_owner_repo\n"
	"  GROUP BY h, owner_lc\n"
	"  HAVING count(*) > 1\n"
	") AS o\n"
	"JOIN agg_actor AS a ON a.h = o.h AND a.actor_lc = o.owner_lc\n"
	"LEFT JOIN (\n"
	"  SELECT actor_login, count(*) AS repos_created\n"
	"  FROM agg_created\n"
	"  GROUP BY actor_login\n"
	") AS c ON c.actor_login = a.actor_login",

	"CREATE VIEW IF NOT EXISTS daily_summary AS\n"
	"SELECT day, sum(events) AS events, sum(developers) AS developers,\n"
	"  sum(devs_gt1_commit) AS devs_gt1_commit,\n"
	"  sum(devs_lt1_commit) AS devs_lt1_commit,\n"
	"  sum(repos_gt10_members) AS repos_gt10_members,\n"
	"  max(commits_estimated) AS commits_estimated,\n"
	"  max(hours_loaded) AS hours_loaded,\n"
	"  max(hours_missing) AS hours_missing,\n"
	"  max(hours_pending) AS hours_pending, max(final) AS final,\n"
	"  max(hours_corrupt) AS hours_corrupt,\n"
	"  sum(pushes_archive) AS pushes_archive,\n"
	"  sum(pushes_git) AS pushes_git, sum(pushes_api) AS pushes_api,\n"
	"  sum(pushes_rule) AS pushes_rule,\n"
	"  sum(pushes_bounded) AS pushes_bounded\n"
	"FROM (\n"
	"  SELECT day, events, developers, devs_gt1_commit, devs_lt1_commit,\n"
	"    repos_gt10_members, commits_estimated,\n"
	"    NULL AS hours_loaded, NULL AS hours_missing,\n"
	"    NULL AS hours_pending, NULL AS final, NULL AS hours_corrupt,\n"
	"    pushes_archive, pushes_git, pushes_api, pushes_rule,\n"
	"    pushes_bounded\n"
	"  FROM agg_day\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,\n"
	"    0 AS devs_lt1_commit, 0 AS repos_gt10_members,\n"
	"    0 AS commits_estimated, hours_loaded, hours_missing,\n"
	"    hours_pending, final, hours_corrupt,\n"
	"    0 AS pushes_archive, 0 AS pushes_git, 0 AS pushes_api,\n"
	"    0 AS pushes_rule, 0 AS pushes_bounded\n"
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
	"  24 - sum(l) - sum(m) - sum(c) AS hours_pending, max(f) AS final,\n"
	"  sum(c) AS hours_corrupt\n"
	"FROM (\n"
	"  SELECT substr(hour, 1, 10) AS day,\n"
	"    CASE WHEN status = 'loaded' THEN 1 ELSE 0 END AS l,\n"
	"    CASE WHEN status = 'missing' THEN 1 ELSE 0 END AS m,\n"
	"    CASE WHEN status = 'corrupt' THEN 1 ELSE 0 END AS c, 0 AS f\n"
	"  FROM archive_hours\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS l, 0 AS m, 0 AS c, final AS f FROM archive_days\n"
	") AS u\n"
	"GROUP BY day",
	NULL
};

/*
 * Migrating a file older than version 4: the views whose definition
 * changed (daily_summary in version 3 too) are dropped, to be created
 * anew; then, once the tables exist, every day with events is marked for
 * rollup.c.
 */
const char *const schema_v4_drop[] = {
	"DROP VIEW IF EXISTS dev_daily",
	"DROP VIEW IF EXISTS repos_more_than_ten_members_daily",
	"DROP VIEW IF EXISTS devs_owning_multiple_repos",
	"DROP VIEW IF EXISTS daily_summary",
	NULL
};

/* Migrating a file older than version 5: the views hours_corrupt joined. */
const char *const schema_v5_drop[] = {
	"DROP VIEW IF EXISTS daily_summary",
	"DROP VIEW IF EXISTS daily_coverage",
	NULL
};

/*
 * Migrating a file of version 4 or 5 to 6: agg_day gains the day's pushes
 * by where their count comes from, daily_summary shows them, and every
 * day is rolled up again (schema_v4_mark) to fill them.
 */
const char *const schema_v6_alter[] = {
	"ALTER TABLE agg_day ADD COLUMN pushes_archive INTEGER NOT NULL "
	"DEFAULT 0",
	"ALTER TABLE agg_day ADD COLUMN pushes_git INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE agg_day ADD COLUMN pushes_api INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE agg_day ADD COLUMN pushes_rule INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE agg_day ADD COLUMN pushes_bounded INTEGER NOT NULL "
	"DEFAULT 0",
	"DROP VIEW IF EXISTS daily_summary",
	NULL
};

const char schema_v4_mark[] =
	"INSERT OR IGNORE INTO agg_dirty\n"
	"SELECT DISTINCT CAST(strftime('%s', date(created, 'unixepoch'))\n"
	"  AS INTEGER) / 86400 FROM event_store";

/* The views gha-load makes: a table of one of these names is refused. */
static const char *const our_views[] = {
	"events", "dev_daily", "devs_more_than_one_commit_daily",
	"devs_less_than_one_commit_daily",
	"repos_more_than_ten_members_daily", "devs_owning_multiple_repos",
	"daily_coverage", "daily_summary", NULL
};

/*
 * Refuse a file where one of our views' names is held by something else
 * (IF NOT EXISTS would pass over it), or the ledger's tables' names by
 * views.  Before any migration, so a DROP VIEW never meets a table.
 */
static int
clashes(struct sink *s, char *err)
{
	struct gha_buf q = { NULL, 0, 0 };
	char names[160];
	int i, rc;

	gha_buf_adds(&q, "SELECT group_concat(name, ', ') FROM sqlite_master "
	    "WHERE type != 'view' AND name IN (");
	for (i = 0; our_views[i] != NULL; i++) {
		gha_buf_adds(&q, i > 0 ? ", '" : "'");
		gha_buf_adds(&q, our_views[i]);
		gha_buf_addc(&q, '\'');
	}
	gha_buf_adds(&q, ")");
	gha_buf_addc(&q, '\0');
	rc = sq_query1(s, q.p, NULL, names, sizeof(names), err);
	gha_buf_free(&q);
	if (rc != 0)
		return -1;
	if (names[0] != '\0') {
		snprintf(err, GHA_ERRLEN, "%s: not a view, where gha-load "
		    "needs its view: %s", s->path, names);
		return -1;
	}
	if (sq_query1(s, "SELECT group_concat(name, ', ') FROM sqlite_master "
	    "WHERE type = 'view' AND name IN ('archive_hours', "
	    "'archive_days')", NULL, names, sizeof(names), err) != 0)
		return -1;
	if (names[0] != '\0') {
		snprintf(err, GHA_ERRLEN, "%s: a view, where gha-load needs "
		    "its table: %s", s->path, names);
		return -1;
	}
	return 0;
}

/*
 * Each view can be read: preparing "SELECT * FROM view" checks that the
 * tables and columns under it are there, so a file holding someone
 * else's archive_hours, say, is refused at open, not at the first report.
 */
static int
views_ok(struct sink *s, char *err)
{
	sqlite3_stmt *st;
	char sql[96];
	int i;

	for (i = 0; our_views[i] != NULL; i++) {
		snprintf(sql, sizeof(sql), "SELECT * FROM %s", our_views[i]);
		if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) !=
		    SQLITE_OK) {
			snprintf(err, GHA_ERRLEN, "%s: view %s cannot be "
			    "read: %s", s->path, our_views[i],
			    sqlite3_errmsg(s->db));
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

/*
 * Create or migrate the schema under the write lock, so that two loaders
 * opening a new file at once create it once.  Version 0 is a file without
 * our schema (new, or someone else's tables beside which ours go).
 * Migrations: 1 -> 2 added the ledger and 2 -> 3 made it part of every
 * file, both by the IF NOT EXISTS statements below; 2 -> 3 and 3 -> 4
 * changed the views in schema_v4_drop[], dropped here to be created anew,
 * and 3 -> 4 added the aggregates, which every day of an older file then
 * needs (schema_v4_mark; sqlite.c's open rolls them up); 4 -> 5 changed the
 * ledger's views in schema_v5_drop[], dropped here too; 4 or 5 -> 6 adds
 * agg_day's columns of pushes by source (schema_v6_alter[]) and every day
 * of an older file is rolled up again to fill them.
 */
int
sq_schema(struct sink *s, char *err)
{
	const char *const *q;
	char sql[64];
	long long v, has = 0;

	if (sq_exec(s, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	if (sq_query1(s, "PRAGMA user_version", &v, NULL, 0, err) != 0)
		goto fail;
	if (v > SCHEMA_VERSION) {
		snprintf(err, GHA_ERRLEN, "%s: schema version %lld is newer "
		    "than this gha-load's (%d)", s->path, v, SCHEMA_VERSION);
		goto fail;
	}
	if (clashes(s, err) != 0)
		goto fail;
	if (v > 0 && v < 4)
		for (q = schema_v4_drop; *q != NULL; q++)
			if (sq_run(s, *q, "migrating the schema to version 4",
			    err) != 0)
				goto fail;
	if (v > 0 && v < 5)
		for (q = schema_v5_drop; *q != NULL; q++)
			if (sq_run(s, *q, "migrating the schema to version 5",
			    err) != 0)
				goto fail;
	if (v >= 4 && v < 6 && sq_query1(s, "SELECT count(*) FROM "
	    "pragma_table_info('agg_day') WHERE name = 'pushes_archive'",
	    &has, NULL, 0, err) != 0)
		goto fail;
	if (v >= 4 && v < 6 && has == 0)
		for (q = schema_v6_alter; *q != NULL; q++)
			if (sq_run(s, *q, "migrating the schema to version 6",
			    err) != 0)
				goto fail;
	for (q = schema_sqlite; *q != NULL; q++)
		if (sq_run(s, *q, "creating the schema", err) != 0)
			goto fail;
	if (v > 0 && v < 6 && sq_run(s, schema_v4_mark,
	    "migrating the schema to version 4", err) != 0)
		goto fail;
	for (q = schema_ledger; *q != NULL; q++)
		if (sq_run(s, *q, "creating the hour ledger", err) != 0)
			goto fail;
	for (q = schema_views; *q != NULL; q++)
		if (sq_run(s, *q, "creating the views", err) != 0)
			goto fail;
	if (views_ok(s, err) != 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (sq_exec(s, sql, err) != 0 || sq_exec(s, "COMMIT", err) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
