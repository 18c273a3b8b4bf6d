/*
 * sqlite_schema.c - the schema of an SQLite file, and its history.
 *
 * Two parts of SQL (sqlite_migrate.c has the code that creates or
 * migrates a file):
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
 * Version 9 keeps several sources of the archive: archive_hours gains
 * union_events (the events of all the hour's copies together, each once)
 * and id_gap (the ids between the union's lowest and highest that no
 * copy has, where an hour's ids are one sequence; decode/union.c); the
 * table archive_sources has one row per hour and source (its status, its
 * events, only_events: those no other source had), written only when
 * there are several; daily_sources sums them per UTC day and source, and
 * daily_union per day (sources, union_events, id_gap), which daily_summary
 * shows last.  schema_v9_add[] are the columns and the view made anew.
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
 *     so a reader tells a quiet day from a missing one.  Then bots: the
 *     day's distinct bot actors (developers + bots = distinct actors),
 *     the pushes by the source of their count, and last daily_union's
 *     sources, union_events and id_gap (NULL without them).
 *   repos_more_than_ten_members_daily and devs_owning_multiple_repos
 *     count developers only: members are pushers that are not bots, and
 *     a bot owns no repositories in the view.
 */
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
	"  sum(pushes_bounded) AS pushes_bounded,\n"
	"  max(sources) AS sources, max(union_events) AS union_events,\n"
	"  max(id_gap) AS id_gap\n"
	"FROM (\n"
	"  SELECT day, events, developers, devs_gt1_commit, devs_lt1_commit,\n"
	"    repos_gt10_members, commits_estimated,\n"
	"    NULL AS hours_loaded, NULL AS hours_missing,\n"
	"    NULL AS hours_pending, NULL AS final, NULL AS hours_corrupt,\n"
	"    bots,\n"
	"    pushes_archive, pushes_git, pushes_api, pushes_rule,\n"
	"    pushes_bounded, NULL AS sources, NULL AS union_events,\n"
	"    NULL AS id_gap\n"
	"  FROM agg_day\n"
	"  UNION ALL\n"
	"  SELECT day, 0 AS events, 0 AS developers, 0 AS devs_gt1_commit,\n"
	"    0 AS devs_lt1_commit, 0 AS repos_gt10_members,\n"
	"    0 AS commits_estimated, hours_loaded, hours_missing,\n"
	"    hours_pending, final, hours_corrupt, 0 AS bots,\n"
	"    0 AS pushes_archive, 0 AS pushes_git, 0 AS pushes_api,\n"
	"    0 AS pushes_rule, 0 AS pushes_bounded, NULL AS sources,\n"
	"    NULL AS union_events, NULL AS id_gap\n"
	"  FROM daily_coverage\n"
	"  UNION ALL\n"
	"  SELECT day, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0,\n"
	"    0, 0, 0, 0, 0, sources, union_events, id_gap\n"
	"  FROM daily_union\n"
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
	"  utc_hours INTEGER,             -- how many: 0, 1 or 2\n"
	"  union_events INTEGER,          -- its copies' events, each once\n"
	"  id_gap    INTEGER              -- ids none of them has\n"
	")",

	"CREATE TABLE IF NOT EXISTS archive_sources (\n"
	"  epoch       INTEGER NOT NULL,  -- the hour's start\n"
	"  hour        TEXT NOT NULL,\n"
	"  source      TEXT NOT NULL,     -- gha-fetch's name of it\n"
	"  status      TEXT NOT NULL,     -- loaded missing corrupt pending\n"
	"  events      INTEGER,           -- its copy's, each once\n"
	"  only_events INTEGER,           -- ... that no other source had\n"
	"  bytes       INTEGER,\n"
	"  sha256      TEXT,\n"
	"  loaded_at   TEXT NOT NULL,\n"
	"  PRIMARY KEY (epoch, source)\n"
	") WITHOUT ROWID",

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

	/* Per UTC day (of the hour's first UTC hour) and source. */
	"CREATE VIEW IF NOT EXISTS daily_sources AS\n"
	"SELECT date(coalesce(h.utc, s.epoch), 'unixepoch') AS day,\n"
	"  s.source AS source,\n"
	"  sum(s.status = 'loaded') AS hours_loaded,\n"
	"  sum(s.status = 'missing') AS hours_missing,\n"
	"  sum(s.status = 'corrupt') AS hours_corrupt,\n"
	"  sum(s.status = 'pending') AS hours_pending,\n"
	"  coalesce(sum(CASE WHEN s.status = 'loaded' THEN s.events END), 0)\n"
	"    AS events,\n"
	"  coalesce(sum(CASE WHEN s.status = 'loaded' THEN s.only_events\n"
	"    END), 0) AS only_events,\n"
	"  coalesce(sum(CASE WHEN s.status = 'loaded' THEN h.union_events\n"
	"    END), 0) AS union_events\n"
	"FROM archive_sources AS s\n"
	"LEFT JOIN archive_hours AS h ON h.epoch = s.epoch\n"
	"GROUP BY 1, 2",

	/*
	 * Per UTC day: the sources with a loaded copy (NULL with one source,
	 * which has no archive_sources rows), the hours' unions summed, and
	 * their id gaps summed when every loaded hour has one.
	 */
	"CREATE VIEW IF NOT EXISTS daily_union AS\n"
	"SELECT u.day AS day, c.sources AS sources,\n"
	"  u.union_events AS union_events, u.id_gap AS id_gap\n"
	"FROM (\n"
	"  SELECT date(utc, 'unixepoch') AS day,\n"
	"    sum(union_events) AS union_events,\n"
	"    CASE WHEN count(id_gap) = count(*) THEN sum(id_gap) END AS id_gap\n"
	"  FROM archive_hours\n"
	"  WHERE status = 'loaded' AND union_events IS NOT NULL\n"
	"  GROUP BY 1\n"
	") AS u\n"
	"LEFT JOIN (\n"
	"  SELECT day, count(*) AS sources FROM daily_sources\n"
	"  WHERE hours_loaded > 0 GROUP BY day\n"
	") AS c ON c.day = u.day",
	NULL
};
