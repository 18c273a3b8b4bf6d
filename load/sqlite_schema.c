/*
 * sqlite_schema.c - the schema of an SQLite file, and its migration.
 *
 * Two parts of SQL, then the code that creates or migrates a file:
 *
 * schema_sqlite[] is the SQLite storage: the table event_store, keyed for
 * fast loading (see the comment at the top of sqlite.c for the key), and
 * the view `events`, which turns it back into the flat record of
 * doc/design.md (id and created_at as text) plus two derived columns the
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
 * Version 6 leaves bots out of the developer metrics: a login ending in
 * "[bot]" (any case) or on the list of bots (lib/bots.c: scripts/bots or
 * the file GHA_BOTS names), which every open writes into bot_logins (one
 * lower-cased login a row) when it differs from what is there.  The views
 * filter by it, so they follow a changed list at once; the rollup reads
 * it too, for what a view cannot filter afterwards (a repository's
 * members are counted, not kept; the day's totals in agg_day), so a
 * changed list also marks every day for rollup.  actor_daily is the
 * rows of every actor, bots included, with a column bot; dev_daily is its
 * rows of people; agg_day gains bots, the day's distinct bot actors, and
 * daily_summary shows it last.  schema_v6_drop[] are the views that
 * changed.
 *
 * Version 7 counts coverage by UTC hour: archive_hours gains first and
 * last (the span of a loaded file's created_at) and utc, utc_hours (the
 * UTC hours the file holds, by ledger.c's ledger_utc: a 2012-2014 file is
 * named by a Pacific hour), and daily_coverage counts, per UTC day, the
 * UTC hours loaded, missing, corrupt and pending, each hour once under
 * the best status of the files holding it, and gains files_loaded.
 *
 * Version 8 stores the commit counts of slim pushes that gha-fetch
 * --commits resolved (push_commits, keyed by (push_id, head), with the
 * source of each and the push's created_at, so that a resolution stored
 * after its day was rolled up marks that day again); the metrics use
 * them (rollup.c), agg_day and daily_summary gain the day's pushes by
 * the source of their count: pushes_archive, pushes_git, pushes_api,
 * pushes_rule (a deleted branch: 0) and pushes_bounded (still counted
 * as 1).  schema_v8_alter[] adds those columns to an older agg_day.
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
 * schema_views[] are the metric views (doc/design.md, "The metrics"), over the agg_
 * tables.  They compute what version 3's views computed from `events`
 * (tests/load/v3-views.sql is that SQL, the oracle of
 * tests/load/rollup.sh); the definitions below are what both compute.
 * ClickHouse keeps its own views over `events` (ch_schema.c).
 *
 * Definitions: a developer is an actor_login that is not a
 * bot (BOT below, the rule of lib/bots.c); days are UTC.
 *   actor_daily: dev_daily's columns for every actor_login, bots too,
 *     and bot, 1 for a bot.
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
 *     seven as doc/design.md has them and 0 on a day without events; then
 *     hours_loaded, hours_missing, hours_pending, final and hours_corrupt,
 *     the day's row of daily_coverage, NULL when the ledger has none (a day loaded
 *     outside gha-daily and gha-backfill).  A day the ledger knows but
 *     that has no event (every hour missing, or still pending) is a row,
 *     so a reader tells a quiet day from a missing one.  Last, bots: the
 *     day's distinct bot actors (developers + bots = distinct actors).
 *   repos_more_than_ten_members_daily and devs_owning_multiple_repos
 *     count developers only: members are pushers that are not bots, and
 *     a bot owns no repositories in the view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bots.h"
#include "sqlite.h"
#include "ledger.h"

/* Version 7: the UTC hours of the rows an older file has, by the rule. */
static int
fill_utc(struct sink *s, char *err)
{
	sqlite3_stmt *q = NULL, *u = NULL;
	int64_t utc;
	int n, rc;

	if (sqlite3_prepare_v2(s->db, "SELECT epoch FROM archive_hours "
	    "WHERE utc_hours IS NULL", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE archive_hours SET utc = ?, "
	    "utc_hours = ? WHERE epoch = ?", -1, &u, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ledger_utc(sqlite3_column_int64(q, 0), -1, &utc, &n);
		sqlite3_bind_int64(u, 1, utc);
		sqlite3_bind_int(u, 2, n);
		sqlite3_bind_int64(u, 3, sqlite3_column_int64(q, 0));
		if (sqlite3_step(u) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(u);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	return 0;
fail:
	sq_dberr(s, "migrating the schema to version 7", err);
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	return -1;
}

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
	"  bots               INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_archive     INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_git         INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_api         INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_rule        INTEGER NOT NULL DEFAULT 0,\n"
	"  pushes_bounded     INTEGER NOT NULL DEFAULT 0\n"
	")",

	/* Version 6: the list of bots in effect, lower-cased. */
	"CREATE TABLE IF NOT EXISTS bot_logins (\n"
	"  login TEXT PRIMARY KEY\n"
	") WITHOUT ROWID",

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

/* Whether actor_login is a bot (lib/bots.c's rule, in SQL). */
#define BOT(c)	"(" c " LIKE '%[bot]' OR lower(" c ") IN " \
		"(SELECT login FROM bot_logins))"

const char *const schema_views[] = {
	"CREATE VIEW IF NOT EXISTS actor_daily AS\n"
	"SELECT day, actor_login, events, pushes, commits, commits_estimated,\n"
	"  CASE WHEN " BOT("actor_login") " THEN 1 ELSE 0 END AS bot\n"
	"FROM agg_dev_day",

	"CREATE VIEW IF NOT EXISTS dev_daily AS\n"
	"SELECT day, actor_login, events, pushes, commits, commits_estimated\n"
	"FROM actor_daily\n"
	"WHERE bot = 0",

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
	") AS c ON c.actor_login = a.actor_login\n"
	"WHERE NOT " BOT("a.actor_login"),

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
	"  sum(bots) AS bots,\n"
	"  sum(pushes_archive) AS pushes_archive,\n"
	"  sum(pushes_git) AS pushes_git, sum(pushes_api) AS pushes_api,\n"
	"  sum(pushes_rule) AS pushes_rule,\n"
	"  sum(pushes_bounded) AS pushes_bounded\n"
	"FROM (\n"
	"  SELECT day, events, developers, devs_gt1_commit, devs_lt1_commit,\n"
	"    repos_gt10_members, commits_estimated,\n"
	"    NULL AS hours_loaded, NULL AS hours_missing,\n"
	"    NULL AS hours_pending, NULL AS final, NULL AS hours_corrupt,\n"
	"    bots,\n"
	"    pushes_archive, pushes_git, pushes_api, pushes_rule,\n"
	"    pushes_bounded\n"
	"  FROM agg_day\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,\n"
	"    0 AS devs_lt1_commit, 0 AS repos_gt10_members,\n"
	"    0 AS commits_estimated, hours_loaded, hours_missing,\n"
	"    hours_pending, final, hours_corrupt, 0 AS bots,\n"
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
	"  loaded_at TEXT NOT NULL,       -- when the row was stored, UTC\n"
	"  first     TEXT,                -- its events' created_at span\n"
	"  last      TEXT,\n"
	"  utc       INTEGER,             -- the first UTC hour it holds\n"
	"  utc_hours INTEGER              -- how many: 0, 1 or 2\n"
	")",

	"CREATE TABLE IF NOT EXISTS archive_days (\n"
	"  day   TEXT PRIMARY KEY,        -- YYYY-MM-DD\n"
	"  final INTEGER NOT NULL         -- 0 or 1\n"
	")",

	/*
	 * Each UTC hour counts once, under the best status of the files
	 * that hold it (loaded, corrupt, missing; pending is the rest).
	 */
	"CREATE VIEW IF NOT EXISTS daily_coverage AS\n"
	"SELECT day, sum(l) AS hours_loaded, sum(m) AS hours_missing,\n"
	"  24 - sum(l) - sum(m) - sum(c) AS hours_pending, max(f) AS final,\n"
	"  sum(c) AS hours_corrupt, sum(n) AS files_loaded\n"
	"FROM (\n"
	"  SELECT date(t, 'unixepoch') AS day,\n"
	"    CASE WHEN r = 3 THEN 1 ELSE 0 END AS l,\n"
	"    CASE WHEN r = 1 THEN 1 ELSE 0 END AS m,\n"
	"    CASE WHEN r = 2 THEN 1 ELSE 0 END AS c, 0 AS f, 0 AS n\n"
	"  FROM (\n"
	"    SELECT t, max(r) AS r FROM (\n"
	"      SELECT utc + 3600 * k.k AS t,\n"
	"        CASE status WHEN 'loaded' THEN 3 WHEN 'corrupt' THEN 2\n"
	"          WHEN 'missing' THEN 1 ELSE 0 END AS r\n"
	"      FROM archive_hours\n"
	"      JOIN (SELECT 0 AS k UNION ALL SELECT 1) AS k\n"
	"        ON k.k < utc_hours\n"
	"    ) AS x\n"
	"    GROUP BY t\n"
	"  ) AS y\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS l, 0 AS m, 0 AS c, final AS f, 0 AS n\n"
	"  FROM archive_days\n"
	"  UNION ALL\n"
	"  SELECT date(utc, 'unixepoch') AS day, 0 AS l, 0 AS m, 0 AS c,\n"
	"    0 AS f, 1 AS n\n"
	"  FROM archive_hours WHERE status = 'loaded' AND utc_hours > 0\n"
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

/* Migrating a file older than version 6: the views that leave bots out. */
const char *const schema_v6_drop[] = {
	"DROP VIEW IF EXISTS devs_more_than_one_commit_daily",
	"DROP VIEW IF EXISTS devs_less_than_one_commit_daily",
	"DROP VIEW IF EXISTS dev_daily",
	"DROP VIEW IF EXISTS devs_owning_multiple_repos",
	"DROP VIEW IF EXISTS daily_summary",
	NULL
};

/*
 * Migrating a file older than version 7: archive_hours gains the UTC
 * hours each file holds (sq_schema fills them for the rows it has, by
 * the rule of ledger_utc), and daily_coverage counts by them.
 */
const char *const schema_v7_add[] = {
	"ALTER TABLE archive_hours ADD COLUMN first TEXT",
	"ALTER TABLE archive_hours ADD COLUMN last TEXT",
	"ALTER TABLE archive_hours ADD COLUMN utc INTEGER",
	"ALTER TABLE archive_hours ADD COLUMN utc_hours INTEGER",
	"DROP VIEW IF EXISTS daily_summary",
	"DROP VIEW IF EXISTS daily_coverage",
	NULL
};

/*
 * Migrating a file of version 4 to 7 to 8: agg_day gains the day's pushes
 * by where their count comes from, daily_summary shows them, and every
 * day is rolled up again (schema_v4_mark) to fill them.
 */
const char *const schema_v8_alter[] = {
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
	"events", "actor_daily", "dev_daily", "devs_more_than_one_commit_daily",
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
 * Make bot_logins the list in effect (lib/bots.c), when it is not: then
 * every day is marked for rollup, whose members and totals depend on it.
 */
static int
sync_bots(struct sink *s, char *err)
{
	struct gha_bots b;
	struct gha_buf want = { NULL, 0, 0 };
	sqlite3_stmt *st = NULL;
	char *have = NULL;
	size_t i;
	int rc = -1;

	if (gha_bots_load(&b, err) != 0)
		return -1;
	for (i = 0; i < b.n; i++) {
		if (i > 0)
			gha_buf_addc(&want, '\n');
		gha_buf_adds(&want, b.v[i]);
	}
	gha_buf_addc(&want, '\0');
	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(group_concat(login, "
	    "char(10)), '') FROM (SELECT login FROM bot_logins ORDER BY "
	    "login)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, GHA_ERRLEN, "%s: reading bot_logins: %s",
		    s->path, sqlite3_errmsg(s->db));
		goto out;
	}
	have = gha_estrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	st = NULL;
	if (strcmp(have, want.p) == 0) {
		rc = 0;
		goto out;
	}
	if (sq_run(s, "DELETE FROM bot_logins", "storing the bots", err) != 0)
		goto out;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO bot_logins VALUES (?)", -1,
	    &st, NULL) != SQLITE_OK) {
		snprintf(err, GHA_ERRLEN, "%s: storing the bots: %s",
		    s->path, sqlite3_errmsg(s->db));
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		sqlite3_bind_text(st, 1, b.v[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			snprintf(err, GHA_ERRLEN, "%s: storing the bots: %s",
			    s->path, sqlite3_errmsg(s->db));
			goto out;
		}
		sqlite3_reset(st);
	}
	rc = sq_run(s, schema_v4_mark, "marking the days for the new bots",
	    err);
out:
	sqlite3_finalize(st);
	free(have);
	gha_buf_free(&want);
	gha_bots_free(&b);
	return rc;
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
 * ledger's views in schema_v5_drop[], dropped here too; 5 -> 6 left bots
 * out (schema_v6_drop[], agg_day.bots, every day marked for rollup); 6 ->
 * 7 adds the UTC hours to archive_hours and fills them (schema_v7_add,
 * fill_utc); 4 to 7 -> 8 adds agg_day's columns of pushes by source
 * (schema_v8_alter[]) and every day of an older file is rolled up again
 * to fill them.
 */
int
sq_schema(struct sink *s, char *err)
{
	const char *const *q;
	char sql[64];
	long long v, hours, old, has = 0;

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
	if (v > 0 && v < 7) {
		/* A version 2 file may have no ledger yet; hours: it
		 * lacks the columns. */
		if (sq_query1(s, "SELECT count(*) FROM "
		    "pragma_table_info('archive_hours') WHERE name = 'utc'",
		    &hours, NULL, 0, err) != 0 || sq_query1(s, "SELECT "
		    "count(*) FROM sqlite_master WHERE type = 'table' AND "
		    "name = 'archive_hours'", &old, NULL, 0, err) != 0)
			goto fail;
		hours = old && !hours;
		for (q = schema_v7_add + (hours ? 0 : 4); *q != NULL; q++)
			if (sq_run(s, *q, "migrating the schema to version 7",
			    err) != 0)
				goto fail;
		if (old && fill_utc(s, err) != 0)
			goto fail;
	}
	for (q = schema_sqlite; *q != NULL; q++)
		if (sq_run(s, *q, "creating the schema", err) != 0)
			goto fail;
	if (v > 0 && v < 6)
		for (q = schema_v6_drop; *q != NULL; q++)
			if (sq_run(s, *q, "migrating the schema to version 6",
			    err) != 0)
				goto fail;
	if (v >= 4 && v < 6 && sq_run(s, "ALTER TABLE agg_day ADD COLUMN "
	    "bots INTEGER NOT NULL DEFAULT 0",
	    "migrating the schema to version 6", err) != 0)
		goto fail;
	if (v >= 4 && v < 8 && sq_query1(s, "SELECT count(*) FROM "
	    "pragma_table_info('agg_day') WHERE name = 'pushes_archive'",
	    &has, NULL, 0, err) != 0)
		goto fail;
	if (v >= 4 && v < 8 && has == 0)
		for (q = schema_v8_alter; *q != NULL; q++)
			if (sq_run(s, *q, "migrating the schema to version 8",
			    err) != 0)
				goto fail;
	if (v > 0 && v < 8 && sq_run(s, schema_v4_mark,
	    "migrating the schema", err) != 0)
		goto fail;
	if (sync_bots(s, err) != 0)
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
