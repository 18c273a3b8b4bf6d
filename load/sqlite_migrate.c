/*
 * sqlite_migrate.c - creating the schema of an SQLite file, or migrating
 * an older one to it (sq_schema), under the write lock: the statements of
 * each version's step (the history of the versions is at the top of
 * sqlite_schema.c, which holds the schema itself), the checks that the
 * names gha-load needs are its own, and the list of bots in effect.
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

/*
 * Migrating a file older than version 9 whose archive_hours lacks the
 * union's columns: added; daily_summary, which shows them, made anew.
 */
const char *const schema_v9_add[] = {
	"ALTER TABLE archive_hours ADD COLUMN union_events INTEGER",
	"ALTER TABLE archive_hours ADD COLUMN id_gap INTEGER",
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
	"daily_coverage", "daily_sources", "daily_union", "daily_summary", NULL
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
	    "'archive_days', 'archive_sources')", NULL, names, sizeof(names), err) != 0)
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
 * to fill them; 8 -> 9 adds archive_hours' union columns (schema_v9_add[])
 * and archive_sources.
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
	if (v > 0 && v < 9 && (sq_query1(s, "SELECT count(*) FROM "
	    "pragma_table_info('archive_hours') WHERE name = 'union_events'",
	    &has, NULL, 0, err) != 0 || sq_query1(s, "SELECT count(*) FROM "
	    "sqlite_master WHERE type = 'table' AND name = 'archive_hours'",
	    &old, NULL, 0, err) != 0))
		goto fail;
	if (v > 0 && v < 9)
		for (q = schema_v9_add + (old && !has ? 0 : 2); *q != NULL; q++)
			if (sq_run(s, *q, "migrating the schema to version 9",
			    err) != 0)
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
