/*
 * sqlite_rows.c - a batch of records into an SQLite file: the work of
 * the SQLite sink's writer thread.
 *
 * Each batch is one transaction started with BEGIN IMMEDIATE, and rows go
 * in through a prepared INSERT OR IGNORE of NROWS rows at a time (one
 * statement run for 64 rows costs about 15% fewer instructions than 64
 * runs), the last few one by one.  So a crash (kill -9 included) leaves
 * whole batches only, a duplicate is a row the insert ignored (counted
 * from sqlite3_total_changes), and a second loader into the same file
 * waits for the write lock (busy timeout of -w seconds) instead of
 * failing.  The id becomes the key's two columns as the top of sqlite.c
 * says.  Strings are bound straight from the input line when they hold no
 * escape (SQLITE_STATIC: the batch keeps the line until it is stored),
 * else decoded.  The days of a batch that stored events are marked in
 * agg_dirty in the same transaction, for rollup.c; a batch with a
 * duplicate tells the sink (s->dup), since then which of the records fed
 * to the roll-up were stored is unknown (rollup_spool.c).
 */
#include <stdlib.h>
#include <string.h>

#include "rollup.h"
#include "sqlite.h"

#define NROWS	64	/* rows of the many-row INSERT */

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

/* Prepare the INSERT of n rows. */
static int
prepare1(struct sink *s, int n, sqlite3_stmt **st, char *err)
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
		sq_dberr(s, "prepare", err);
		return -1;
	}
	return 0;
}

/* The statements of sq_store, prepared once at open. */
int
sq_prepare(struct sink *s, char *err)
{
	if (prepare1(s, 1, &s->ins, err) != 0 ||
	    prepare1(s, NROWS, &s->insn, err) != 0)
		return -1;
	if (sqlite3_prepare_v3(s->db, "INSERT OR IGNORE INTO agg_dirty "
	    "VALUES (?)", -1, SQLITE_PREPARE_PERSISTENT, &s->mark, NULL) !=
	    SQLITE_OK) {
		sq_dberr(s, "prepare", err);
		return -1;
	}
	return 0;
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

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Bind created, idk, idx for the id s[0..n) (the key: see sqlite.c). */
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
	int64_t v;
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
			gha_json_int(t, &v);
			rc = sqlite3_bind_int64(st, p, v);
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
			sq_dberr(s, "marking the day for the aggregates", err);
			return -1;
		}
	}
	s->marked = 1;
	return 0;
}

/*
 * The writer thread's work (worker.c): store batch b in one transaction,
 * its counts to *st.
 */
int
sq_store(void *arg, void *batch, struct load_stats *st, char *err)
{
	struct sink *s = arg;
	const struct batch *b = batch;
	const struct gha_rec *recs = b->recs;
	size_t n = b->n;
	sqlite3_stmt *st1;
	sqlite3_int64 before, stored;
	size_t i, j, rows;
	int rc;

	if (sq_exec(s, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	before = sqlite3_total_changes64(s->db);
	for (i = 0; i < n; i += rows) {
		rows = n - i >= NROWS ? NROWS : 1;
		st1 = rows == NROWS ? s->insn : s->ins;
		for (j = 0; j < rows; j++)
			if (bind_rec(s, st1, (int)j * NPARAM, &recs[i + j]) !=
			    SQLITE_OK) {
				sq_dberr(s, "bind", err);
				goto fail;
			}
		rc = sqlite3_step(st1);
		sqlite3_reset(st1);
		if (rc != SQLITE_DONE) {
			sq_dberr(s, "insert", err);
			goto fail;
		}
	}
	stored = sqlite3_total_changes64(s->db) - before;
	if (stored > 0 && mark(s, recs, n, err) != 0)
		goto fail;
	if (sq_exec(s, "COMMIT", err) != 0)
		goto fail;
	if ((size_t)stored < n)
		s->dup = 1;	/* which records were stored is unknown */
	st->inserted += (unsigned long long)stored;
	st->duplicates += n - (unsigned long long)stored;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
