/*
 * ch_schema.c - the tables and views of a ClickHouse database (gha-load).
 *
 * event_store holds the flat record (doc/design.md), one column a
 * key, in a ReplacingMergeTree partitioned by month and ordered by the
 * identity (created_at, id), so copies of an event always meet in one
 * partition and a merge keeps one.  The view `events` reads it with FINAL,
 * which de-duplicates at query time too, before any merge: the metrics'
 * per-day aggregates are computed from event_store FINAL (ch_rollup.c),
 * so counts are exact whatever the state of merges, and whatever
 * happened to a retried insert.  `events` has the columns of
 * SQLite's view of that name (day, repo_owner_lc included); created_at
 * stays a DateTime, which is what ClickHouse users filter on.
 *
 * The hour ledger (archive_hours, archive_days, daily_coverage) is made at
 * open with the rest, before daily_summary, which reads it.  ClickHouse
 * keeps no schema version: a view whose columns changed since an earlier
 * gha-load (changed[]) is dropped and created anew.
 *
 * Every statement goes through ch_ddl (ch_cluster.c), which runs it as it
 * is on one server and in its cluster form on a cluster: a table there is
 * replicated shards under a Distributed table of the same name, so the
 * views read the same names either way.
 *
 * The SQL works on 18.16 (Debian's server, the one the tests run) and on
 * current servers: no CTE, no CREATE OR REPLACE, no LowCardinality, no
 * settings a server may not know; JOINs spell ALL, which 18.16 requires,
 * and every joined subquery has an alias, which current servers require
 * (joined_subquery_requires_alias, on by default there; Code 206).
 * Bots (lib/bots.c: a login ending in [bot], or on the list) are left
 * out of the developer metrics as in SQLite: bot_logins holds the list in
 * effect, lower-cased, rewritten at open when it differs (sync_bots), and
 * the views filter by it at query time; actor_daily keeps every actor
 * with a column bot, and daily_summary counts the day's bots last.  A
 * database made before bot_logins has its metric views made anew.
 *
 * devs_owning_multiple_repos groups where DISTINCT would do: on 18.16 a
 * SELECT DISTINCT over a Distributed table (a cluster's events) that
 * filters by IN (SELECT ...) returns some rows more than once.
 *
 * The metric views mirror sqlite_schema.c's SQLite views column for
 * column; they are not shared text because ClickHouse scopes aliases over
 * the whole SELECT (sum(...) AS commits would shadow the column
 * commits), so each view renames its inputs in a subquery first.  They
 * read the per-day aggregates that ch_rollup.c keeps (its tables are made
 * before the views), not the events.
 */
#include <stdio.h>
#include <string.h>

#include "bots.h"
#include "clickhouse.h"

/* Column definitions shared by event_store and the temporary tables. */
static const char coldefs[] =
    "id String, type Nullable(String), created_at DateTime('UTC'), "
    "actor_id Nullable(Int64), actor_login Nullable(String), "
    "repo_id Nullable(Int64), repo_name Nullable(String), "
    "org_id Nullable(Int64), org_login Nullable(String), "
    "action Nullable(String), ref Nullable(String), "
    "ref_type Nullable(String), push_id Nullable(Int64), "
    "commits Nullable(Int64), distinct_commits Nullable(Int64), "
    "head Nullable(String), `before` Nullable(String), "
    "number Nullable(Int64), public Nullable(UInt8), src Nullable(String)";

/* Whether login c is a bot (lib/bots.c's rule, in ClickHouse's SQL). */
#define BOT(c)	"(endsWith(lower(" c "), '[bot]') OR lower(" c ") IN " \
		"(SELECT login FROM @.bot_logins))"

/*
 * The schema, in creation order, then ledger_schema[] and
 * summary_schema[].  "@" stands for the database name (a checked
 * identifier); "%C" for coldefs.  Views depend on earlier views.
 */
static const char *const schema[] = {
	"CREATE DATABASE IF NOT EXISTS @",

	"CREATE TABLE IF NOT EXISTS @.event_store (%C, "
	"loaded_at DateTime DEFAULT now()) "
	"ENGINE = ReplacingMergeTree "
	"PARTITION BY toYYYYMM(created_at) "
	"ORDER BY (created_at, id)",

	"CREATE VIEW IF NOT EXISTS @.events AS SELECT "
	"id, type, created_at, actor_id, actor_login, repo_id, repo_name, "
	"org_id, org_login, action, ref, ref_type, push_id, commits, "
	"distinct_commits, head, `before`, number, public, src, "
	"toDate(created_at) AS day, "
	"if(position(ifNull(repo_name, ''), '/') > 1, "
	"lower(substring(ifNull(repo_name, ''), 1, "
	"position(ifNull(repo_name, ''), '/') - 1)), NULL) AS repo_owner_lc "
	"FROM @.event_store FINAL",

	"CREATE TABLE IF NOT EXISTS @.bot_logins (login String) "
	"ENGINE = MergeTree ORDER BY login",

	"CREATE TABLE IF NOT EXISTS @.push_commits (push_id Int64, "
	"head String, repo_name String, created_at DateTime('UTC'), "
	"`before` String, commits Nullable(Int64), source String, "
	"state String, loaded_at DateTime DEFAULT now()) "
	"ENGINE = ReplacingMergeTree ORDER BY (push_id, head)",

	/* The rows of agg_by_day (ch_rollup.c); bots are told at query time. */
	"CREATE VIEW IF NOT EXISTS @.actor_daily AS "
	"SELECT day, name AS actor_login, events, pushes, commits, "
	"commits_estimated, toUInt8(" BOT("name") ") AS bot "
	"FROM @.agg_by_day WHERE kind = 'dev'",

	"CREATE VIEW IF NOT EXISTS @.dev_daily AS "
	"SELECT day, actor_login, events, pushes, commits, commits_estimated "
	"FROM @.actor_daily WHERE bot = 0",

	"CREATE VIEW IF NOT EXISTS @.devs_more_than_one_commit_daily AS "
	"SELECT day, actor_login, events, pushes, commits, commits_estimated "
	"FROM @.dev_daily WHERE commits > 1",

	"CREATE VIEW IF NOT EXISTS @.devs_less_than_one_commit_daily AS "
	"SELECT day, actor_login, events, pushes, commits, commits_estimated "
	"FROM @.dev_daily WHERE commits < 1",

	"CREATE VIEW IF NOT EXISTS @.repos_more_than_ten_members_daily AS "
	"SELECT day, name AS repo_name, members "
	"FROM @.agg_by_day WHERE kind = 'repo'",

	"CREATE VIEW IF NOT EXISTS @.devs_owning_multiple_repos AS "
	"SELECT a AS actor_login, n AS repos_owned, rc AS repos_created "
	"FROM (SELECT a, n FROM "
	"(SELECT a, o FROM (SELECT actor_login AS a, actor_lc AS o "
	"FROM @.agg_actor WHERE NOT " BOT("actor_login") ") AS la "
	"GROUP BY a, o) AS logins "
	"ALL INNER JOIN "
	"(SELECT owner_lc AS o, uniqExact(repo_name) AS n "
	"FROM @.agg_owner_repo GROUP BY o HAVING n > 1) AS owners "
	"USING o) AS owning "
	"ALL LEFT JOIN "
	"(SELECT actor_login AS a, uniqExact(repo_name) AS rc "
	"FROM @.agg_created GROUP BY a) AS creators USING a",

	NULL
};

/*
 * The hour ledger of the daily job (gha-load -H / -Q; SQLite's is in
 * sqlite_schema.c): archive_hours and archive_days are ReplacingMergeTrees
 * keyed by hour and day whose version is the time of the write in nanoseconds,
 * read with FINAL, so the latest row of a key wins before any merge, and a
 * retried INSERT (the same rows, the same versions) changes nothing.
 * daily_coverage has SQLite's columns and rows (day a Date here, as in the
 * other views).  Created at open with the rest, as in SQLite, and before
 * daily_summary, which reads daily_coverage.
 */
static const char *const ledger_schema[] = {
	"CREATE TABLE IF NOT EXISTS @.archive_hours (hour String, "
	"status String, events Nullable(Int64), bad_lines Nullable(Int64), "
	"bytes Nullable(Int64), sha256 Nullable(String), "
	"loaded_at DateTime('UTC'), version UInt64, "
	"first Nullable(Int64), last Nullable(Int64), utc Int64, "
	"utc_hours UInt8, union_events Nullable(Int64), "
	"id_gap Nullable(Int64)) "
	"ENGINE = ReplacingMergeTree(version) ORDER BY hour",

	"CREATE TABLE IF NOT EXISTS @.archive_sources (hour String, "
	"source String, status String, events Nullable(Int64), "
	"only_events Nullable(Int64), bytes Nullable(Int64), "
	"sha256 Nullable(String), loaded_at DateTime('UTC'), version UInt64) "
	"ENGINE = ReplacingMergeTree(version) ORDER BY (hour, source)",

	"CREATE TABLE IF NOT EXISTS @.archive_days (day String, final UInt8, "
	"version UInt64) "
	"ENGINE = ReplacingMergeTree(version) ORDER BY day",

	"CREATE VIEW IF NOT EXISTS @.daily_coverage AS "
	"SELECT toDate(d) AS day, sum(l) AS hours_loaded, "
	"sum(m) AS hours_missing, toInt64(24) - sum(l) - sum(m) - sum(c) "
	"AS hours_pending, max(f) AS final, sum(c) AS hours_corrupt, "
	"sum(n) AS files_loaded "
	"FROM (SELECT toString(CAST(toUInt16(intDiv(t, 86400)) AS Date)) AS d, "
	"toInt64(r = 3) AS l, toInt64(r = 1) AS m, toInt64(r = 2) AS c, "
	"toUInt8(0) AS f, toInt64(0) AS n "
	"FROM (SELECT t, max(r) AS r FROM (SELECT uh + 3600 * k AS t, r "
	"FROM (SELECT utc AS uh, arrayJoin(range(utc_hours)) AS k, "
	"multiIf(status = 'loaded', 3, status = 'corrupt', 2, "
	"status = 'missing', 1, 0) AS r "
	"FROM @.archive_hours FINAL) AS w) AS x GROUP BY t) AS y "
	"UNION ALL "
	"SELECT day AS d, toInt64(0) AS l, toInt64(0) AS m, toInt64(0) AS c, "
	"final AS f, toInt64(0) AS n FROM @.archive_days FINAL "
	"UNION ALL "
	"SELECT toString(CAST(toUInt16(intDiv(utc, 86400)) AS Date)) AS d, "
	"toInt64(0) AS l, toInt64(0) AS m, toInt64(0) AS c, toUInt8(0) AS f, "
	"toInt64(1) AS n FROM @.archive_hours FINAL "
	"WHERE status = 'loaded' AND utc_hours > 0) "
	"GROUP BY d",

	"CREATE VIEW IF NOT EXISTS @.daily_sources AS "
	"SELECT toDate(d) AS day, source, "
	"toInt64(sum(st = 'loaded')) AS hours_loaded, "
	"toInt64(sum(st = 'missing')) AS hours_missing, "
	"toInt64(sum(st = 'corrupt')) AS hours_corrupt, "
	"toInt64(sum(st = 'pending')) AS hours_pending, "
	"toInt64(sum(if(st = 'loaded', ifNull(ev, 0), 0))) AS events, "
	"toInt64(sum(if(st = 'loaded', ifNull(oe, 0), 0))) AS only_events, "
	"toInt64(sum(if(st = 'loaded', ifNull(ue, 0), 0))) AS union_events "
	"FROM (SELECT hour, source, status AS st, events AS ev, "
	"only_events AS oe, "
	"toString(CAST(toUInt16(intDiv(ifNull(uh, toInt64(toUInt32(toDateTime("
	"concat(substring(hour, 1, 10), ' 00:00:00'), 'UTC'))) + 3600 * "
	"toInt64(substring(hour, 12, 2))), 86400)) AS Date)) AS d, ue "
	"FROM @.archive_sources FINAL "
	"ALL LEFT JOIN (SELECT hour, toNullable(utc) AS uh, "
	"union_events AS ue FROM @.archive_hours FINAL) AS h USING (hour)) "
	"AS s GROUP BY d, source",

	"CREATE VIEW IF NOT EXISTS @.daily_union AS "
	"SELECT day, sources, ue AS union_events, g AS id_gap FROM ("
	"SELECT toDate(toString(CAST(toUInt16(intDiv(utc, 86400)) AS Date))) "
	"AS day, toInt64(sum(union_events)) AS ue, "
	"if(count(id_gap) = count(), toNullable(toInt64(sum(id_gap))), "
	"CAST(NULL AS Nullable(Int64))) AS g "
	"FROM @.archive_hours FINAL "
	"WHERE status = 'loaded' AND isNotNull(union_events) GROUP BY day) "
	"AS u ALL LEFT JOIN (SELECT day, toNullable(toInt64(count())) "
	"AS sources FROM @.daily_sources WHERE hours_loaded > 0 GROUP BY day) "
	"AS c USING (day)",
	NULL
};

/*
 * daily_summary, as SQLite's (sqlite_schema.c), daily_union's columns last
 * ("%U" their NULLs in the other branches): the seven metric
 * columns, 0 on a day the ledger knows without events, then the day's row of
 * daily_coverage, NULL where the ledger has none.  18.16's UNION ALL wants
 * every branch of one type, hence the casts: the coverage columns are
 * Nullable(Int64)  (Nullable(UInt8) for final) in every branch, and max() over
 * them skips the NULLs of the other branches. "%N" stands for them in a branch
 * without coverage.
 */
static const char *const summary_schema[] = {
	"CREATE VIEW IF NOT EXISTS @.daily_summary AS "
	"SELECT d AS day, sum(e) AS events, sum(dv) AS developers, "
	"sum(g1) AS devs_gt1_commit, sum(l1) AS devs_lt1_commit, "
	"sum(rp) AS repos_gt10_members, max(ce) AS commits_estimated, "
	"max(hl) AS hours_loaded, max(hm) AS hours_missing, "
	"max(hp) AS hours_pending, max(fi) AS final, "
	"max(hc) AS hours_corrupt, sum(bt) AS bots, sum(pa) AS pushes_archive, "
	"sum(pg) AS pushes_git, sum(pp) AS pushes_api, "
	"sum(pr) AS pushes_rule, sum(pb) AS pushes_bounded, "
	"max(sr) AS sources, max(ue) AS union_events, max(ig) AS id_gap "
	"FROM ("
	"SELECT day AS d, events AS e, developers AS dv, "
	"devs_gt1_commit AS g1, devs_lt1_commit AS l1, "
	"repos_gt10_members AS rp, commits_estimated AS ce, %N, "
	"bots AS bt, pushes_archive AS pa, pushes_git AS pg, "
	"pushes_api AS pp, pushes_rule AS pr, pushes_bounded AS pb, %U "
	"FROM @.agg_by_day WHERE kind = 'day' AND events > 0 "
	"UNION ALL "
	"SELECT day AS d, toUInt64(0) AS e, toUInt64(0) AS dv, "
	"toUInt64(0) AS g1, toUInt64(0) AS l1, toUInt64(0) AS rp, "
	"toUInt8(0) AS ce, toNullable(toInt64(hours_loaded)) AS hl, "
	"toNullable(toInt64(hours_missing)) AS hm, "
	"toNullable(toInt64(hours_pending)) AS hp, "
	"toNullable(toUInt8(final)) AS fi, "
	"toNullable(toInt64(hours_corrupt)) AS hc, toUInt64(0) AS bt, %P, %U "
	"FROM @.daily_coverage"
	" UNION ALL "
	"SELECT day AS d, toUInt64(0) AS e, toUInt64(0) AS dv, "
	"toUInt64(0) AS g1, toUInt64(0) AS l1, toUInt64(0) AS rp, "
	"toUInt8(0) AS ce, %N, toUInt64(0) AS bt, %P, "
	"if(ifNull(sources, 0) = 0, CAST(NULL AS Nullable(Int64)), "
	"toNullable(toInt64(ifNull(sources, 0)))) AS sr, "
	"toNullable(toInt64(union_events)) AS ue, "
	"if(isNull(id_gap), CAST(NULL AS Nullable(Int64)), "
	"toNullable(toInt64(ifNull(id_gap, 0)))) AS ig "
	"FROM @.daily_union"
	") GROUP BY d",
	NULL
};

static const char zeropushes[] =
    "toUInt64(0) AS pa, toUInt64(0) AS pg, toUInt64(0) AS pp, "
    "toUInt64(0) AS pr, toUInt64(0) AS pb";

static const char nullcov[] =
    "CAST(NULL AS Nullable(Int64)) AS hl, "
    "CAST(NULL AS Nullable(Int64)) AS hm, "
    "CAST(NULL AS Nullable(Int64)) AS hp, "
    "CAST(NULL AS Nullable(UInt8)) AS fi, "
    "CAST(NULL AS Nullable(Int64)) AS hc";

/*
 * Views whose columns changed since an earlier gha-load, each with a
 * column only the current definition has, and the view to drop.
 * ClickHouse keeps no schema version and 18.16 has no CREATE OR REPLACE
 * VIEW: a view that exists without that column is dropped, then created
 * anew.
 */
static const struct {
	const char	*view, *column, *drop;
} changed[] = {
	/*
	 * Resolved counts (push_commits): actor_daily's columns stay, its
	 * definition does not, so daily_summary's new column tells; first,
	 * while daily_summary is there to be asked.
	 */
	{ "daily_summary", "pushes_bounded", "actor_daily" },
	{ "daily_summary", "hours_loaded", "daily_summary" },	/* coverage */
	{ "daily_coverage", "hours_corrupt", "daily_coverage" },
	{ "daily_summary", "hours_corrupt", "daily_summary" },
	{ "daily_summary", "bots", "daily_summary" },	/* bots apart */
	{ "daily_coverage", "files_loaded", "daily_coverage" },	/* UTC */
	{ "daily_summary", "pushes_bounded", "daily_summary" },
	{ "daily_summary", "id_gap", "daily_summary" },	/* sources */
};

/* The views that changed when bots were left out (before bot_logins). */
static const char *const botless[] = {
	"devs_more_than_one_commit_daily", "devs_less_than_one_commit_daily",
	"dev_daily", "repos_more_than_ten_members_daily",
	"devs_owning_multiple_repos", "daily_summary", NULL
};

/*
 * Columns added to tables since an earlier gha-load, in order (18.16 has
 * no ADD COLUMN IF NOT EXISTS: system.columns says which are there):
 * archive_hours' UTC hours of its files (rows of before are counted by
 * the hour of their name until stored again), then version 9's, an
 * hour's copies together.
 */
static const struct {
	const char	*table, *column, *type;
} grown[] = {
	{ "archive_hours", "first", "Nullable(Int64)" },
	{ "archive_hours", "last", "Nullable(Int64)" },
	{ "archive_hours", "utc", "Int64 DEFAULT "
	    "toInt64(toUInt32(toDateTime(concat(substring(hour, 1, 10), "
	    "' 00:00:00'), 'UTC'))) + 3600 * toInt64(substring(hour, 12, 2))" },
	{ "archive_hours", "utc_hours", "UInt8 DEFAULT 1" },
	{ "archive_hours", "union_events", "Nullable(Int64)" },
	{ "archive_hours", "id_gap", "Nullable(Int64)" },
};

static const char nullunion[] =
    "CAST(NULL AS Nullable(Int64)) AS sr, "
    "CAST(NULL AS Nullable(Int64)) AS ue, "
    "CAST(NULL AS Nullable(Int64)) AS ig";

/*
 * Expand "@" (the database), "%C" (coldefs), "%N" (nullcov), "%P"
 * (zeropushes) and "%U" (nullunion) into b.
 */
static void
expand(struct gha_buf *b, const struct sink *s, const char *tmpl)
{
	const char *p;

	b->n = 0;
	for (p = tmpl; *p != '\0'; p++) {
		if (*p == '@')
			gha_buf_adds(b, s->db);
		else if (p[0] == '%' && p[1] == 'C') {
			gha_buf_adds(b, coldefs);
			p++;
		} else if (p[0] == '%' && p[1] == 'P') {
			gha_buf_adds(b, zeropushes);
			p++;
		} else if (p[0] == '%' && p[1] == 'U') {
			gha_buf_adds(b, nullunion);
			p++;
		} else if (p[0] == '%' && p[1] == 'N') {
			gha_buf_adds(b, nullcov);
			p++;
		} else
			gha_buf_addc(b, *p);
	}
	gha_buf_addc(b, '\0');
}

/* Run each statement of list (templates for expand). */
static int
run_all(struct sink *s, const char *const *list, char *err)
{
	int i;

	for (i = 0; list[i] != NULL; i++) {
		expand(&s->sql, s, list[i]);
		if (ch_ddl(s, s->sql.p, err) != 0)
			return -1;
	}
	return 0;
}

/* Run a SELECT, retrying transient failures; its answer in ans. */
static int
ask(struct sink *s, const char *sql, struct gha_buf *ans, char *err)
{
	return ch_http_ask(s->h, sql, NULL, ans, 1u << 20, err);
}

/* Drop the view name of the database, if it exists. */
static int
drop_view(struct sink *s, const char *name, char *err)
{
	s->sql.n = 0;
	gha_buf_adds(&s->sql, "DROP TABLE IF EXISTS ");
	gha_buf_adds(&s->sql, s->db);
	gha_buf_addc(&s->sql, '.');
	gha_buf_adds(&s->sql, name);
	gha_buf_addc(&s->sql, '\0');
	return ch_ddl(s, s->sql.p, err);
}

/*
 * A database from before bot_logins: its views that count bots as
 * developers are dropped, for the CREATEs after to make anew.
 */
static int
migrate_bots(struct sink *s, char *err)
{
	struct gha_buf ans = { NULL, 0, 0 };
	int i;

	expand(&s->sql, s, "EXISTS TABLE @.bot_logins FORMAT TabSeparated");
	if (ask(s, s->sql.p, &ans, err) != 0)
		goto fail;
	if (ans.p[0] == '0')
		for (i = 0; botless[i] != NULL; i++)
			if (drop_view(s, botless[i], err) != 0)
				goto fail;
	gha_buf_free(&ans);
	return 0;
fail:
	gha_buf_free(&ans);
	return -1;
}

/*
 * Make bot_logins the list in effect (lib/bots.c), when it is not.  A
 * query between the TRUNCATE and the INSERT sees no list (only the [bot]
 * rule); two loaders doing this at once both insert, which changes
 * nothing the views see (they ask IN), nor what the next one compares
 * (DISTINCT).
 */
static int
sync_bots(struct sink *s, char *err)
{
	struct gha_bots b;
	struct gha_buf want = { NULL, 0, 0 }, ans = { NULL, 0, 0 };
	const char *p;
	size_t i;
	int rc = -1;

	if (gha_bots_load(&b, err) != 0)
		return -1;
	for (i = 0; i < b.n; i++) {
		gha_buf_adds(&want, b.v[i]);
		gha_buf_addc(&want, '\n');
	}
	gha_buf_addc(&want, '\0');
	expand(&s->sql, s, "SELECT DISTINCT login FROM @.bot_logins "
	    "ORDER BY login FORMAT TabSeparated");
	if (ask(s, s->sql.p, &ans, err) != 0)
		goto out;
	if (strcmp(ans.p, want.p) == 0) {
		rc = 0;
		goto out;
	}
	expand(&s->sql, s, "TRUNCATE TABLE @.bot_logins");
	if (ch_ddl(s, s->sql.p, err) != 0)
		goto out;
	if (b.n > 0) {
		expand(&s->sql, s, "INSERT INTO @.bot_logins VALUES ");
		s->sql.n--;
		for (i = 0; i < b.n; i++) {
			gha_buf_adds(&s->sql, i > 0 ? ", ('" : "('");
			for (p = b.v[i]; *p != '\0'; p++) {
				if (*p == '\'' || *p == '\\')
					gha_buf_addc(&s->sql, '\\');
				gha_buf_addc(&s->sql, *p);
			}
			gha_buf_adds(&s->sql, "')");
		}
		gha_buf_addc(&s->sql, '\0');
		if (ch_http_query(s->h, s->sql.p, err) != 0)
			goto out;
	}
	/* Members and the days' counts follow the list (ch_rollup.c). */
	if (ch_rollup_mark_all(s, err) != 0)
		goto out;
	rc = 0;
out:
	gha_buf_free(&want);
	gha_buf_free(&ans);
	gha_bots_free(&b);
	return rc;
}

/*
 * The names of table's columns into ans, a line each (none: no such
 * table).  0, or -1 + err.
 */
static int
columns_of(struct sink *s, const char *table, struct gha_buf *ans,
    char *err)
{
	s->sql.n = 0;
	gha_buf_adds(&s->sql, "SELECT name FROM system.columns WHERE "
	    "database = '");
	gha_buf_adds(&s->sql, s->db);	/* an identifier */
	gha_buf_adds(&s->sql, "' AND table = '");
	gha_buf_adds(&s->sql, table);
	gha_buf_adds(&s->sql, "' FORMAT TabSeparated");
	gha_buf_addc(&s->sql, '\0');
	return ask(s, s->sql.p, ans, err);
}

/* Whether name is a line of list. */
static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/*
 * Drop each view of changed[] that exists without its new column, for
 * the CREATE ... IF NOT EXISTS after it to make anew, and add each column
 * of grown[] that its table lacks.  Two loaders doing this at once both
 * drop (IF EXISTS) and both create (IF NOT EXISTS); a query of the view
 * in between fails once, when the schema is upgraded; an ADD COLUMN that
 * fails because the other added the column first is done.
 */
static int
migrate(struct sink *s, char *err)
{
	const size_t nchanged = sizeof(changed) / sizeof(changed[0]);
	const size_t ngrown = sizeof(grown) / sizeof(grown[0]);
	struct gha_buf ans = { NULL, 0, 0 };
	char why[GHA_ERRLEN];
	size_t i;

	for (i = 0; i < nchanged; i++)
		if (columns_of(s, changed[i].view, &ans, err) != 0 ||
		    (ans.p[0] != '\0' && !listed(ans.p, changed[i].column) &&
		    drop_view(s, changed[i].drop, err) != 0))
			goto fail;
	for (i = 0; i < ngrown; i++) {
		if ((i == 0 || strcmp(grown[i].table, grown[i - 1].table) != 0)
		    && columns_of(s, grown[i].table, &ans, err) != 0)
			goto fail;
		if (ans.p[0] == '\0' || listed(ans.p, grown[i].column))
			continue;
		s->sql.n = 0;
		gha_buf_adds(&s->sql, "ALTER TABLE ");
		gha_buf_adds(&s->sql, s->db);
		gha_buf_addc(&s->sql, '.');
		gha_buf_adds(&s->sql, grown[i].table);
		gha_buf_adds(&s->sql, " ADD COLUMN ");
		gha_buf_adds(&s->sql, grown[i].column);
		gha_buf_addc(&s->sql, ' ');
		gha_buf_adds(&s->sql, grown[i].type);
		gha_buf_addc(&s->sql, '\0');
		if (ch_ddl(s, s->sql.p, err) == 0)
			continue;
		/* Another loader may have added it meanwhile. */
		if (columns_of(s, grown[i].table, &ans, why) != 0 ||
		    !listed(ans.p, grown[i].column))
			goto fail;
	}
	gha_buf_free(&ans);
	return 0;
fail:
	gha_buf_free(&ans);
	return -1;
}

/*
 * Make what is missing of the schema, in creation order, and bring an
 * older one up to date: the changed views dropped first (the CREATEs
 * after make them anew), the ledger before daily_summary, which reads it.
 */
int
ch_schema_make(struct sink *s, char *err)
{
	expand(&s->sql, s, schema[0]);		/* the database */
	if (ch_ddl(s, s->sql.p, err) != 0 ||
	    migrate_bots(s, err) != 0 ||
	    migrate(s, err) != 0 ||
	    ch_rollup_schema(s, err) != 0 ||	/* before the views */
	    run_all(s, schema, err) != 0 ||
	    sync_bots(s, err) != 0 ||
	    run_all(s, ledger_schema, err) != 0 ||
	    run_all(s, summary_schema, err) != 0)
		return -1;
	return 0;
}
