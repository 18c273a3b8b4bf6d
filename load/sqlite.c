/*
 * sqlite.c - the SQLite sink of gha-load (see sink.h for the contract).
 *
 * The key.  An event's identity is (id, created_at).  Kept as text, that
 * key makes SQLite compare strings and store them in the table and again
 * in an index; DESIGN.md 6 measured 219k rows/s for it against 396k for
 * integers.  So created_at is stored as epoch seconds (created) and the id
 * as two columns, idk INTEGER and idx TEXT:
 *   - a decimal id in canonical form (digits only, no leading zero, at
 *     most INT64_MAX: every id of the 2015+ eras): idk = its value,
 *     idx = '';
 *   - a timeline id, "tl-" and 16 lower-case hex digits (the 64-bit
 *     FNV-1a hash of decode/event.c): idk = the hash read as a two's
 *     complement int64 (half of them negative), idx = 't';
 *   - any other id: idk = 0, idx = 'x' followed by the id.
 * This mapping is one-to-one ('', 't' and 'x...' never meet, and within
 * each form idk gives back the text), so two records are one event
 * exactly when (created, idk, idx) are equal: no hash collision merges two
 * events and no spelling splits one.  The view `events` (schema.c) gives
 * the text back: CAST(idk AS TEXT), 'tl-' || printf('%016x', idk), or
 * substr(idx, 2).  The key (created, idk, idx) is the PRIMARY KEY of a
 * WITHOUT ROWID table, which is its own index: one B-tree written per row,
 * not a table and a unique index.  created leads because input arrives
 * roughly in time order in every era (tl- hashes would scatter), so new
 * rows land near the right edge of the tree and its pages stay in cache.
 * A WITHOUT ROWID table keeps whole rows in its interior pages too, so a
 * new file gets 16K pages (fan-out ~60, not ~14): measured 10-20% less CPU
 * than 4K pages for 334k rows.
 * There are no other indexes: the metric views aggregate whole days, and
 * an index would slow every load for queries that scan anyway.
 *
 * Loading.  The database is in WAL mode; each batch is one transaction
 * started with BEGIN IMMEDIATE, and rows go in through a prepared INSERT
 * OR IGNORE of NROWS rows at a time (one statement run for 64 rows costs
 * about 15% fewer instructions than 64 runs), the last few one by one.
 * So a crash (kill -9 included) leaves whole batches only, a duplicate is
 * a row the insert ignored (counted from sqlite3_total_changes), and a
 * second loader into the same file waits for the write lock (busy timeout
 * of -w seconds) instead of failing.  synchronous=NORMAL: in WAL mode a
 * commit survives a crash of the process; only a power loss can undo the
 * last batches, never half of one.  The WAL is copied back into the
 * database (a checkpoint, with an fsync) every 64 MB rather than SQLite's
 * default 1000 pages, which is after every batch: pages written again by
 * the next batches (the tree's right edge) are copied once, and the
 * writer's CPU for 334k rows fell from ~0.95 s to ~0.75 s.  Strings are
 * bound straight from the input line when they hold no escape
 * (SQLITE_STATIC), else decoded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rollup.h"
#include "sink.h"

#define CACHE_KB	4096	/* page cache: the tree's edge is all it needs */
#define PAGE_SIZE	"16384"	/* rows of ~270 bytes: 4K pages held 14 */
#define CHECKPOINT	"4096"	/* pages of WAL (64 MB) between checkpoints */

#define NROWS	64	/* rows of the many-row INSERT */

struct sink {
	sqlite3		*db;
	sqlite3_stmt	*ins;		/* one row */
	sqlite3_stmt	*insn;		/* NROWS rows */
	char		*path;
	int		 wait;		/* busy timeout, seconds */
	char		*scratch;	/* decoded strings */
	size_t		 scap;
	sqlite3_stmt	*mark;		/* a day into agg_dirty */
	int		 marked;	/* days marked by this load */
};

/* Columns of the INSERT, in parameter order after created, idk, idx. */
static const int cols[] = {
	GHA_R_TYPE, GHA_R_ACTOR_ID, GHA_R_ACTOR_LOGIN, GHA_R_REPO_ID,
	GHA_R_REPO_NAME, GHA_R_ORG_ID, GHA_R_ORG_LOGIN, GHA_R_ACTION, GHA_R_REF,
	GHA_R_REF_TYPE, GHA_R_PUSH_ID, GHA_R_COMMITS, GHA_R_DISTINCT_COMMITS,
	GHA_R_HEAD, GHA_R_BEFORE, GHA_R_NUMBER, GHA_R_PUBLIC, GHA_R_SRC,
};
#define NCOLS	(sizeof(cols) / sizeof(cols[0]))

#define NPARAM	(3 + (int)NCOLS)	/* parameters of one row */
static const char insert_sql[] =
	"INSERT OR IGNORE INTO event_store (created, idk, idx, type, "
	"actor_id, actor_login, repo_id, repo_name, org_id, org_login, "
	"action, ref, ref_type, push_id, commits, distinct_commits, head, "
	"before, number, public, src) VALUES ";
static const char row_sql[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

/* err = "path: what: SQLite's message". */
static void
dberr(struct sink *s, const char *what, char *err)
{
	char busy[48] = "";

	if (s->db != NULL && (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY)
		snprintf(busy, sizeof(busy), " (waited %d s, see -w)",
		    s->wait);
	snprintf(err, GHA_ERRLEN, "%s: %s: %s%s", s->path, what,
	    s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory", busy);
}

/* Run sql; on failure err names what (the statement when NULL). */
static int
run(struct sink *s, const char *sql, const char *what, char *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	dberr(s, what != NULL ? what : sql, err);
	return -1;
}

static int
exec(struct sink *s, const char *sql, char *err)
{
	return run(s, sql, NULL, err);
}

/* The single integer or text value of a one-row query, or -1. */
static int
query1(struct sink *s, const char *sql, long long *iv, char *tv, size_t tn,
    char *err)
{
	sqlite3_stmt *st;
	const unsigned char *t;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		dberr(s, sql, err);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		dberr(s, sql, err);
		sqlite3_finalize(st);
		return -1;
	}
	if (iv != NULL)
		*iv = sqlite3_column_int64(st, 0);
	if (tv != NULL) {
		t = sqlite3_column_text(st, 0);
		snprintf(tv, tn, "%s", t != NULL ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	return 0;
}

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
	rc = query1(s, q.p, NULL, names, sizeof(names), err);
	gha_buf_free(&q);
	if (rc != 0)
		return -1;
	if (names[0] != '\0') {
		snprintf(err, GHA_ERRLEN, "%s: not a view, where gha-load "
		    "needs its view: %s", s->path, names);
		return -1;
	}
	if (query1(s, "SELECT group_concat(name, ', ') FROM sqlite_master "
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
 * needs (schema_v4_mark; sqlite_open rolls them up); 4 -> 5 changed the
 * ledger's views in schema_v5_drop[], dropped here too.
 */
static int
schema(struct sink *s, char *err)
{
	const char *const *q;
	char sql[64];
	long long v;

	if (exec(s, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	if (query1(s, "PRAGMA user_version", &v, NULL, 0, err) != 0)
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
			if (run(s, *q, "migrating the schema to version 4",
			    err) != 0)
				goto fail;
	if (v > 0 && v < 5)
		for (q = schema_v5_drop; *q != NULL; q++)
			if (run(s, *q, "migrating the schema to version 5",
			    err) != 0)
				goto fail;
	for (q = schema_sqlite; *q != NULL; q++)
		if (run(s, *q, "creating the schema", err) != 0)
			goto fail;
	if (v > 0 && v < 4 && run(s, schema_v4_mark,
	    "migrating the schema to version 4", err) != 0)
		goto fail;
	for (q = schema_ledger; *q != NULL; q++)
		if (run(s, *q, "creating the hour ledger", err) != 0)
			goto fail;
	for (q = schema_views; *q != NULL; q++)
		if (run(s, *q, "creating the views", err) != 0)
			goto fail;
	if (views_ok(s, err) != 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (exec(s, sql, err) != 0 || exec(s, "COMMIT", err) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int sqlite_close(struct sink *, char *);

/* Prepare the INSERT of n rows. */
static int
prepare(struct sink *s, int n, sqlite3_stmt **st, char *err)
{
	struct gha_buf b = { NULL, 0, 0 };
	int i, rc;

	gha_buf_adds(&b, insert_sql);
	for (i = 0; i < n; i++) {
		if (i > 0)
			gha_buf_addc(&b, ',');
		gha_buf_adds(&b, row_sql);
	}
	rc = sqlite3_prepare_v3(s->db, b.p, (int)b.n,
	    SQLITE_PREPARE_PERSISTENT, st, NULL);
	gha_buf_free(&b);
	if (rc != SQLITE_OK) {
		dberr(s, "prepare", err);
		return -1;
	}
	return 0;
}

/*
 * The file, and its folder, which the -wal and -shm files of WAL mode go
 * into, can be written: else "permission denied" (or "read-only file
 * system") naming the one that cannot, before SQLite opens anything, so
 * that a failed open leaves no -wal or -shm file behind it.
 */
static int
writable(const char *path, char *err)
{
	const char *slash;
	char *dir;
	int bad;

	if (access(path, W_OK) != 0 && errno != ENOENT) {
		snprintf(err, GHA_ERRLEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	slash = strrchr(path, '/');
	if (slash == NULL)
		dir = gha_estrdup(".");
	else if (slash == path)
		dir = gha_estrdup("/");
	else {
		dir = gha_estrdup(path);
		dir[slash - path] = '\0';
	}
	bad = access(dir, W_OK | X_OK) != 0 && errno != ENOENT;
	if (bad)
		snprintf(err, GHA_ERRLEN, "%s: folder %s: %s (the database's "
		    "-wal and -shm files go beside it)", path, dir,
		    strerror(errno));
	free(dir);
	return bad ? -1 : 0;
}

static struct sink *
sqlite_open(const char *target, const struct load_opts *o, char *err)
{
	struct sink *s;
	char mode[16], sql[64];
	long slept;
	int days, rc;

	if (writable(target, err) != 0)
		return NULL;
	s = gha_ecalloc(1, sizeof(*s));
	s->path = gha_estrdup(target);
	s->wait = o->wait;
	rc = sqlite3_open_v2(target, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		dberr(s, "cannot open", err);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, o->wait > 0 ? o->wait * 1000 : 0);
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", CACHE_KB);
	/* Only a new file takes it: before its first table, and WAL. */
	if (exec(s, "PRAGMA page_size = " PAGE_SIZE, err) != 0)
		goto fail;
	/*
	 * Switching a new file to WAL needs it to itself, and SQLite does
	 * not call the busy handler for that: when another loader is doing
	 * the same at this moment, try again, as long as -w allows.
	 */
	for (slept = 0; query1(s, "PRAGMA journal_mode = WAL", NULL, mode,
	    sizeof(mode), err) != 0; slept += 20) {
		if ((sqlite3_errcode(s->db) & 0xff) != SQLITE_BUSY ||
		    slept >= (long)o->wait * 1000)
			goto fail;
		sqlite3_sleep(20);
	}
	if (strcmp(mode, "wal") != 0) {
		snprintf(err, GHA_ERRLEN, "%s: cannot use WAL mode "
		    "(journal mode is %s)", target, mode);
		goto fail;
	}
	if (exec(s, "PRAGMA synchronous = NORMAL", err) != 0 ||
	    exec(s, "PRAGMA wal_autocheckpoint = " CHECKPOINT, err) != 0 ||
	    exec(s, sql, err) != 0 || schema(s, err) != 0)
		goto fail;
	/* Days a killed load or an older gha-load left without aggregates. */
	if (rollup_dirty(s->db, s->path, &days, err) != 0)
		goto fail;
	if (prepare(s, 1, &s->ins, err) != 0 ||
	    prepare(s, NROWS, &s->insn, err) != 0)
		goto fail;
	if (sqlite3_prepare_v3(s->db, "INSERT OR IGNORE INTO agg_dirty "
	    "VALUES (?)", -1, SQLITE_PREPARE_PERSISTENT, &s->mark, NULL) !=
	    SQLITE_OK) {
		dberr(s, "prepare", err);
		goto fail;
	}
	return s;
fail:
	sqlite_close(s, NULL);
	return NULL;
}

/* Room for n bytes in the scratch buffer. */
static char *
scratch(struct sink *s, size_t n)
{
	if (s->scap < n) {
		s->scap = n < 4096 ? 4096 : n;
		free(s->scratch);
		s->scratch = gha_emalloc(s->scap);
	}
	return s->scratch;
}

/* The value of an integer token (checked by the scanner: -?[0-9]+). */
static int64_t
tokint(const struct gha_jtok *t)
{
	const char *p = t->p, *e = t->p + t->n;
	uint64_t v = 0;
	int neg = 0;

	if (p < e && *p == '-') {
		neg = 1;
		p++;
	}
	while (p < e)
		v = v * 10 + (uint64_t)(*p++ - '0');
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Bind created, idk, idx for the id s[0..n) (see the top of the file). */
static int
bind_id(struct sink *sk, sqlite3_stmt *st, int base, const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;
	int h;
	char *x;

	if (n >= 1 && n <= 19 && (s[0] != '0' || n == 1)) {
		for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			v = v * 10 + (uint64_t)(s[i] - '0');
		if (i == n && v <= INT64_MAX) {
			sqlite3_bind_int64(st, base + 2, (sqlite3_int64)v);
			return sqlite3_bind_text(st, base + 3, "", 0,
			    SQLITE_STATIC);
		}
	}
	if (n == 19 && memcmp(s, "tl-", 3) == 0) {
		for (i = 3; i < n && (h = hexval(s[i])) >= 0; i++)
			v = v << 4 | (uint64_t)h;
		if (i == n) {
			sqlite3_bind_int64(st, base + 2, (sqlite3_int64)v);
			return sqlite3_bind_text(st, base + 3, "t", 1,
			    SQLITE_STATIC);
		}
	}
	x = scratch(sk, n + 1);
	x[0] = 'x';
	memcpy(x + 1, s, n);
	sqlite3_bind_int64(st, base + 2, 0);
	return sqlite3_bind_text(st, base + 3, x, (int)n + 1,
	    SQLITE_TRANSIENT);
}

/* Bind the string token t to parameter i. */
static int
bind_str(struct sink *s, sqlite3_stmt *st, int i, const struct gha_jtok *t)
{
	size_t n;
	char *b;

	if (!t->esc)
		return sqlite3_bind_text(st, i, t->p + 1, (int)t->n - 2,
		    SQLITE_STATIC);
	b = scratch(s, t->n + 1);
	n = gha_json_unescape(t, b, t->n + 1);
	return sqlite3_bind_text(st, i, b, (int)n, SQLITE_TRANSIENT);
}

/* Bind the record r to the parameters after base of st. */
static int
bind_rec(struct sink *s, sqlite3_stmt *st, int base, const struct gha_rec *r)
{
	const struct gha_jtok *t;
	char idbuf[64], *id;
	size_t i, n;
	int p, rc;

	sqlite3_bind_int64(st, base + 1, r->created);
	t = &r->f[GHA_R_ID];
	if (!t->esc)
		rc = bind_id(s, st, base, t->p + 1, t->n - 2);
	else {
		id = t->n + 1 <= sizeof(idbuf) ? idbuf : gha_emalloc(t->n + 1);
		n = gha_json_unescape(t, id, t->n + 1);
		rc = bind_id(s, st, base, id, n);
		if (id != idbuf)
			free(id);
	}
	for (i = 0; i < NCOLS && rc == SQLITE_OK; i++) {
		t = &r->f[cols[i]];
		p = base + (int)i + 4;
		switch (t->type) {
		case GHA_J_STRING:
			rc = bind_str(s, st, p, t);
			break;
		case GHA_J_INT:
			rc = sqlite3_bind_int64(st, p, tokint(t));
			break;
		case GHA_J_TRUE:
		case GHA_J_FALSE:
			rc = sqlite3_bind_int(st, p, t->type == GHA_J_TRUE);
			break;
		default:
			rc = sqlite3_bind_null(st, p);
			break;
		}
	}
	return rc;
}

static void
bind_count(sqlite3_stmt *st, int i, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/*
 * Mark the days of a batch that stored events for rollup.c, in the
 * batch's transaction.  Every day of the batch: a day whose records were
 * all duplicates is rolled up again for nothing, and rarely.
 */
static int
mark(struct sink *s, const struct gha_rec *recs, size_t n, char *err)
{
	int64_t day, last = 0;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		day = ROLLUP_DAY(recs[i].created);
		if (i > 0 && day == last)
			continue;
		last = day;
		sqlite3_bind_int64(s->mark, 1, day);
		rc = sqlite3_step(s->mark);
		sqlite3_reset(s->mark);
		if (rc != SQLITE_DONE) {
			dberr(s, "marking the day for the aggregates", err);
			return -1;
		}
	}
	s->marked = 1;
	return 0;
}

static int
sqlite_write(struct sink *s, const struct gha_rec *recs, size_t n,
    struct load_stats *st, char *err)
{
	sqlite3_stmt *st1;
	sqlite3_int64 before, stored;
	size_t i, j, rows;
	int rc;

	if (exec(s, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	before = sqlite3_total_changes64(s->db);
	for (i = 0; i < n; i += rows) {
		rows = n - i >= NROWS ? NROWS : 1;
		st1 = rows == NROWS ? s->insn : s->ins;
		for (j = 0; j < rows; j++)
			if (bind_rec(s, st1, (int)j * NPARAM, &recs[i + j]) !=
			    SQLITE_OK) {
				dberr(s, "bind", err);
				goto fail;
			}
		rc = sqlite3_step(st1);
		sqlite3_reset(st1);
		if (rc != SQLITE_DONE) {
			dberr(s, "insert", err);
			goto fail;
		}
	}
	stored = sqlite3_total_changes64(s->db) - before;
	if (stored > 0 && mark(s, recs, n, err) != 0)
		goto fail;
	if (exec(s, "COMMIT", err) != 0)
		goto fail;
	st->inserted += (unsigned long long)stored;
	st->duplicates += n - (unsigned long long)stored;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * The end of a load: the aggregates of the days it stored events in.  On
 * failure, or when the load is killed first, the days stay marked for the
 * next gha-load.
 */
static int
sqlite_flush(struct sink *s, struct load_stats *st, char *err)
{
	int days;

	if (!s->marked)
		return 0;
	if (rollup_dirty(s->db, s->path, &days, err) != 0)
		return -1;
	s->marked = 0;
	st->days += (unsigned long long)days;
	return 0;
}

static int
sqlite_close(struct sink *s, char *err)
{
	int ret = 0;

	if (s == NULL)
		return 0;
	sqlite3_finalize(s->mark);
	sqlite3_finalize(s->ins);
	sqlite3_finalize(s->insn);
	if (s->db != NULL && sqlite3_close(s->db) != SQLITE_OK) {
		if (err != NULL)
			dberr(s, "close", err);
		ret = -1;
	}
	free(s->scratch);
	free(s->path);
	free(s);
	return ret;
}

/* Store ledger rows, one transaction; loaded_at is the time of storing. */
static int
sqlite_ledger_put(struct sink *s, const struct ledger_row *rows, size_t n,
    char *err)
{
	static const char hsql[] = "INSERT OR REPLACE INTO archive_hours "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
	static const char dsql[] = "INSERT OR REPLACE INTO archive_days "
	    "VALUES (date(?, 'unixepoch'), ?)";
	const struct ledger_row *r;
	sqlite3_stmt *h = NULL, *d = NULL, *st;
	char name[16];
	size_t i;
	int rc = SQLITE_OK;

	if (sqlite3_prepare_v2(s->db, hsql, -1, &h, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, dsql, -1, &d, NULL) != SQLITE_OK) {
		dberr(s, "ledger", err);
		goto fail;
	}
	if (exec(s, "BEGIN IMMEDIATE", err) != 0)
		goto fail;
	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		r = &rows[i];
		st = r->isday ? d : h;
		sqlite3_bind_int64(st, 1, r->epoch);
		if (r->isday)
			sqlite3_bind_int(st, 2, r->final);
		else {
			gha_hour_format(r->epoch, name);
			sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, r->status, -1, SQLITE_STATIC);
			bind_count(st, 4, r->events);
			bind_count(st, 5, r->bad_lines);
			bind_count(st, 6, r->bytes);
			if (r->sha256[0] != '\0')
				sqlite3_bind_text(st, 7, r->sha256, -1,
				    SQLITE_STATIC);
			else
				sqlite3_bind_null(st, 7);
		}
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(st);
	}
	if (rc != SQLITE_OK) {
		dberr(s, "ledger", err);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	if (exec(s, "COMMIT", err) != 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	sqlite3_finalize(h);
	sqlite3_finalize(d);
	return 0;
fail:
	sqlite3_finalize(h);
	sqlite3_finalize(d);
	return -1;
}

/* A count column: -1 is null. */
static int64_t
count_col(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, i);
}

/* Every hour in time order, then every day. */
static int
sqlite_ledger_get(struct sink *s, ledger_fn fn, void *arg, char *err)
{
	static const char *const sql[] = {
		"SELECT epoch, status, events, bad_lines, bytes, sha256, "
		"loaded_at FROM archive_hours ORDER BY epoch",
		"SELECT CAST(strftime('%s', day) AS INTEGER), final "
		"FROM archive_days ORDER BY day",
	};
	struct ledger_row r;
	sqlite3_stmt *st;
	const unsigned char *t;
	int i, rc;

	for (i = 0; i < 2; i++) {
		if (sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) !=
		    SQLITE_OK) {
			dberr(s, "ledger", err);
			return -1;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			memset(&r, 0, sizeof(r));
			r.isday = i;
			r.epoch = sqlite3_column_int64(st, 0);
			if (i == 1)
				r.final = sqlite3_column_int(st, 1);
			else {
				t = sqlite3_column_text(st, 1);
				snprintf(r.status, sizeof(r.status), "%s",
				    t != NULL ? (const char *)t : "");
				r.events = count_col(st, 2);
				r.bad_lines = count_col(st, 3);
				r.bytes = count_col(st, 4);
				t = sqlite3_column_text(st, 5);
				snprintf(r.sha256, sizeof(r.sha256), "%s",
				    t != NULL ? (const char *)t : "");
				t = sqlite3_column_text(st, 6);
				snprintf(r.loaded_at, sizeof(r.loaded_at), "%s",
				    t != NULL ? (const char *)t : "");
			}
			if (fn(&r, arg) != 0)
				break;
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			dberr(s, "ledger", err);
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

const struct sink_ops sqlite_sink = {
	.name = "sqlite",
	.batch = 5000,
	.open = sqlite_open,
	.write = sqlite_write,
	.close = sqlite_close,
	.ledger_put = sqlite_ledger_put,
	.ledger_get = sqlite_ledger_get,
	.flush = sqlite_flush,
};
