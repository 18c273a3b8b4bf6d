/*
 * ch_rollup_sql.c - the SQL of ClickHouse's metric aggregates: their
 * tables, the statements that recompute a day and the query of the days
 * due.  What they mean, and why they are exact, is at the top of
 * ch_rollup.c, which expands their placeholders and runs them.
 */
#include <stddef.h>

#include "ch_rollup_sql.h"

/* Whether login c is a bot: the rule of ch_schema.c (lib/bots.c). */
#define BOT(c)	"(endsWith(lower(" c "), '[bot]') OR lower(" c ") IN " \
		"(SELECT login FROM @.bot_logins))"

/*
 * The tables, in the form of ch_schema.c's templates ("@" stands for the
 * database), one statement a table.
 */
const char *const ch_agg_tables[] = {
	"CREATE TABLE IF NOT EXISTS @.agg_owner_repo (owner_lc String, "
	"repo_name String) "
	"ENGINE = ReplacingMergeTree ORDER BY (owner_lc, repo_name)",

	"CREATE TABLE IF NOT EXISTS @.agg_actor (actor_lc String, "
	"actor_login String) "
	"ENGINE = ReplacingMergeTree ORDER BY (actor_lc, actor_login)",

	"CREATE TABLE IF NOT EXISTS @.agg_created (actor_login String, "
	"repo_name String) "
	"ENGINE = ReplacingMergeTree ORDER BY (actor_login, repo_name)",

	"CREATE TABLE IF NOT EXISTS @.agg_marks (day Date, token UInt64, "
	"kind UInt8, at DateTime DEFAULT now()) "
	"ENGINE = MergeTree ORDER BY (day, token)",

	/* Last: its absence tells a database of before (ch_rollup_schema). */
	"CREATE TABLE IF NOT EXISTS @.agg_by_day (day Date, "
	"kind Enum8('day' = 0, 'dev' = 1, 'repo' = 2), name String, "
	"ver UInt32, events UInt64, pushes UInt64, commits Int64, "
	"commits_estimated UInt8, members UInt64, developers UInt64, "
	"devs_gt1_commit UInt64, devs_lt1_commit UInt64, "
	"repos_gt10_members UInt64, bots UInt64, pushes_archive UInt64, "
	"pushes_git UInt64, pushes_api UInt64, pushes_rule UInt64, "
	"pushes_bounded UInt64) "
	"ENGINE = MergeTree PARTITION BY toYYYYMMDD(day) ORDER BY (kind, name)",
	NULL
};

/* The views of an older gha-load that read `events`, made anew. */
const char *const ch_agg_old_views[] = {
	"actor_daily", "repos_more_than_ten_members_daily",
	"devs_owning_multiple_repos", "daily_summary", NULL
};

/*
 * A day's events (%R) and the resolutions its slim pushes may have (%G:
 * GLOBAL on a cluster, where both tables are Distributed: 18.16 denies
 * an IN over one inside a query over the other, Code 288).
 */
#define EV	"@.event_store FINAL WHERE %R"
#define PC	"@.push_commits FINAL WHERE push_id %GIN (SELECT " \
		"assumeNotNull(push_id) FROM @.event_store WHERE %R AND " \
		"type = 'PushEvent' AND commits IS NULL AND push_id IS NOT NULL)"

/*
 * Recomputing one day: %S is the staging table, %D the day, %V ver, %N
 * the partition (YYYYMMDD).  The definitions are those of the views
 * before the aggregates (a push's count: the archive's, else
 * push_commits', else 1).
 */
const char *const ch_agg_recompute[] = {
	/*
	 * What a pass broken off in the middle of the day left; once the
	 * day is swapped in, its staged copy.
	 */
	"ALTER TABLE %S DROP PARTITION %N",

	"INSERT INTO %S (day, kind, name, ver, events, pushes, commits, "
	"commits_estimated) "
	"SELECT toDate('%D'), 'dev', a, %V, count(), "
	"countIf(t = 'PushEvent'), sumIf(ifNull(c, 1), t = 'PushEvent'), "
	"toUInt8(countIf(t = 'PushEvent' AND isNull(c)) > 0) "
	"FROM (SELECT a, t, if(isNull(c0) AND rk = 1, rc, c0) AS c "
	"FROM (SELECT assumeNotNull(actor_login) AS a, "
	"ifNull(type, '') AS t, commits AS c0, "
	"ifNull(push_id, toInt64(0)) AS pid, ifNull(head, '') AS hd "
	"FROM " EV " AND actor_login IS NOT NULL) AS ev "
	"ALL LEFT JOIN (SELECT push_id AS pid, head AS hd, commits AS rc, "
	"toUInt8(1) AS rk FROM " PC ") AS pc USING (pid, hd)) "
	"GROUP BY a",

	"INSERT INTO %S (day, kind, name, ver, members) "
	"SELECT toDate('%D'), 'repo', r, %V, uniqExact(a) AS m "
	"FROM (SELECT assumeNotNull(repo_name) AS r, "
	"assumeNotNull(actor_login) AS a FROM " EV " AND type = 'PushEvent' "
	"AND repo_name IS NOT NULL AND actor_login IS NOT NULL) "
	"WHERE NOT " BOT("a") " GROUP BY r HAVING m > 10",

	/* The day's row, from the events and the rows above. */
	"INSERT INTO %S (day, kind, name, ver, events, developers, "
	"devs_gt1_commit, devs_lt1_commit, repos_gt10_members, "
	"commits_estimated, bots, pushes_archive, pushes_git, pushes_api, "
	"pushes_rule, pushes_bounded) "
	"SELECT toDate('%D'), 'day', '', %V, sum(e), sum(dv), sum(g1), "
	"sum(l1), sum(rp), max(ce), sum(bt), sum(pa), sum(pg), sum(pp), "
	"sum(pr), sum(pb) FROM ("
	"SELECT count() AS e, toUInt64(0) AS dv, toUInt64(0) AS g1, "
	"toUInt64(0) AS l1, toUInt64(0) AS rp, toUInt8(0) AS ce, "
	"toUInt64(0) AS bt, %Z FROM " EV " "
	"UNION ALL "
	"SELECT toUInt64(0) AS e, countIf(NOT b) AS dv, "
	"countIf(NOT b AND c > 1) AS g1, countIf(NOT b AND c < 1) AS l1, "
	"toUInt64(0) AS rp, toUInt8(maxIf(x, NOT b)) AS ce, "
	"countIf(b) AS bt, %Z "
	"FROM (SELECT commits AS c, commits_estimated AS x, "
	"toUInt8(" BOT("name") ") AS b FROM %S "
	"WHERE day = toDate('%D') AND kind = 'dev') "
	"UNION ALL "
	"SELECT toUInt64(0) AS e, toUInt64(0) AS dv, toUInt64(0) AS g1, "
	"toUInt64(0) AS l1, count() AS rp, toUInt8(0) AS ce, "
	"toUInt64(0) AS bt, %Z FROM %S "
	"WHERE day = toDate('%D') AND kind = 'repo' "
	"UNION ALL "
	"SELECT toUInt64(0) AS e, toUInt64(0) AS dv, toUInt64(0) AS g1, "
	"toUInt64(0) AS l1, toUInt64(0) AS rp, toUInt8(0) AS ce, "
	"toUInt64(0) AS bt, countIf(isNotNull(c0)) AS pa, "
	"countIf(isNull(c0) AND rk = 1 AND isNotNull(rc) AND rs = 'git') "
	"AS pg, "
	"countIf(isNull(c0) AND rk = 1 AND isNotNull(rc) AND rs = 'api') "
	"AS pp, "
	"countIf(isNull(c0) AND rk = 1 AND isNotNull(rc) AND rs = 'rule') "
	"AS pr, "
	"countIf(isNull(c0) AND NOT (rk = 1 AND isNotNull(rc))) AS pb "
	"FROM (SELECT commits AS c0, ifNull(push_id, toInt64(0)) AS pid, "
	"ifNull(head, '') AS hd FROM " EV " AND type = 'PushEvent') AS ev "
	"ALL LEFT JOIN (SELECT push_id AS pid, head AS hd, commits AS rc, "
	"source AS rs, toUInt8(1) AS rk FROM " PC ") AS pc USING (pid, hd))",

	/* The sets, added to. */
	"INSERT INTO @.agg_actor SELECT DISTINCT lower(a), a "
	"FROM (SELECT assumeNotNull(actor_login) AS a FROM " EV " "
	"AND actor_login IS NOT NULL)",

	"INSERT INTO @.agg_owner_repo SELECT DISTINCT "
	"lower(substring(r, 1, position(r, '/') - 1)), r "
	"FROM (SELECT assumeNotNull(repo_name) AS r FROM " EV " "
	"AND repo_name IS NOT NULL) WHERE position(r, '/') > 1",

	"INSERT INTO @.agg_created SELECT DISTINCT a, r "
	"FROM (SELECT assumeNotNull(actor_login) AS a, "
	"assumeNotNull(repo_name) AS r FROM " EV " "
	"AND type = 'CreateEvent' AND ref_type = 'repository' "
	"AND actor_login IS NOT NULL AND repo_name IS NOT NULL)",

	NULL
};

/* Then the swap, and the staged copy dropped (the first statement). */
const char ch_agg_swap[] =
    "ALTER TABLE @.agg_by_day REPLACE PARTITION %N FROM %S";

const char ch_agg_zeropushes[] =
    "toUInt64(0) AS pa, toUInt64(0) AS pg, toUInt64(0) AS pp, "
    "toUInt64(0) AS pr, toUInt64(0) AS pb";

/*
 * The days due, each with the second of its newest mark, and the
 * server's now(): "day-number \t second \t now" lines.  A day is due
 * when a mark is later than its ver, or when it holds more than one
 * recompute's rows (more than one kind 'day' row: two swaps at once, see
 * ch_rollup.c).
 */
const char ch_agg_due[] =
    "SELECT toUInt16(d), e, toUInt32(now()) FROM ("
    "SELECT day AS d, max(eff) AS e FROM ("
    "SELECT day, token, if(max(kind) = 1, maxIf(toUInt32(at), kind = 1), "
    "toUInt32(max(at)) + %X) AS eff FROM @.agg_marks GROUP BY day, token) "
    "WHERE eff <= toUInt32(now()) GROUP BY day) AS m "
    "ALL LEFT JOIN (SELECT day AS d, max(ver) AS p, count() AS nd "
    "FROM @.agg_by_day WHERE kind = 'day' GROUP BY day) AS a USING d "
    "WHERE e > p OR nd > 1 ORDER BY d FORMAT TabSeparated";

/* The recomputes whose rows day %D holds (one, but see ch_rollup.c). */
const char ch_agg_sets[] =
    "SELECT count() FROM @.agg_by_day WHERE day = toDate('%D') AND "
    "kind = 'day' FORMAT TabSeparated";
