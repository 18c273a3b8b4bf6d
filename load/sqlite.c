/*
 * sqlite.c - the SQLite sink of gha-load (see sink.h for the contract):
 * opening the file, the batches of records, closing.  sqlite.h lists the
 * sink's other files.
 *
 * The key.  An event's identity is (id, created_at).  Kept as text, that
 * key makes SQLite compare strings and store them in the table and again
 * in an index; measured on this project's 2-core machine, 200k rows
 * went in at 219k rows/s that way against 396k for integers.  So created_at is stored as epoch seconds (created) and the id
 * as two columns, idk INTEGER and idx TEXT:
 *   - a decimal id in canonical form (digits only, no leading zero, at
 *     most INT64_MAX: every id of the 2015+ eras): idk = its value,
 *     idx = '';
 *   - a timeline id, "tl-" and 16 lower-case hex digits (the 64-bit
 *     FNV-1a hash of decode/event.c): idk = the hash read as a two's
 *     complement int64 (half of them negative), idx = 't';
 *   - any other id: idk = 0, idx = 'x' followed by the id.
 * This mapping is one-to-one ('', 't' and 'x...' never meet, and within each
 * form idk gives back the text), so two records are one event exactly when
 * (created, idk, idx) are equal: no hash collision merges two events and no
 * spelling splits one.  The view `events` (sqlite_schema.c) gives the text
 * back:  CAST(idk AS TEXT), 'tl-' || printf('%016x', idk), or substr(idx, 2).
 * The key (created, idk, idx) is the PRIMARY KEY of a
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
 * (sqlite_rows.c).  put copies each record's line into the batch being
 * filled, its tokens moved with it; a batch is full at --batch records or
 * BATCH_BYTES of lines, and the writer thread (worker.c) then stores it
 * while main() reads and parses the next one, so that the JSON scanning
 * and the database each get a core.  Memory is bounded by the two
 * batches plus the longest line allowed (-L).  synchronous=NORMAL: in WAL
 * mode a commit survives a crash of the process; only a power loss can
 * undo the last batches, never half of one.  The WAL is copied back into
 * the database (a checkpoint, with an fsync) every 64 MB rather than
 * SQLite's default 1000 pages, which is after every batch: pages written
 * again by the next batches (the tree's right edge) are copied once, and
 * the writer's CPU for 334k rows fell from ~0.95 s to ~0.75 s.  At the
 * end of a load (the last flush) the days it stored events in get their
 * metric aggregates (rollup.c), in the main thread, the writer stopped;
 * put feeds each record to them as well (rollup_spool.c), so that a day
 * new to the file need not be read back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rollup.h"
#include "sqlite.h"

#define SQ_BATCH	5000	/* default records per batch */
#define BATCH_BYTES	(32U << 20)	/* text held for one batch, at most */
#define CHUNK		(1U << 20)	/* lines are kept in chunks this big */

#define CACHE_KB	4096	/* page cache: the tree's edge is all it needs */
#define PAGE_SIZE	"16384"	/* rows of ~270 bytes: 4K pages held 14 */
#define CHECKPOINT	"4096"	/* pages of WAL (64 MB) between checkpoints */

/* err = "path: what: SQLite's message". */
void
sq_dberr(struct sink *s, const char *what, char *err)
{
	char busy[48] = "";

	if (s->db != NULL && (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY)
		snprintf(busy, sizeof(busy), " (waited %d s, see -w)",
		    s->wait);
	snprintf(err, GHA_ERRLEN, "%s: %s: %s%s", s->path, what,
	    s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory", busy);
}

/* Run sql; on failure err names what (the statement when NULL). */
int
sq_run(struct sink *s, const char *sql, const char *what, char *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	sq_dberr(s, what != NULL ? what : sql, err);
	return -1;
}

int
sq_exec(struct sink *s, const char *sql, char *err)
{
	return sq_run(s, sql, NULL, err);
}

/* The single integer or text value of a one-row query, or -1. */
int
sq_query1(struct sink *s, const char *sql, long long *iv, char *tv, size_t tn,
    char *err)
{
	sqlite3_stmt *st;
	const unsigned char *t;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sq_dberr(s, sql, err);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sq_dberr(s, sql, err);
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

static int sqlite_close(struct sink *, char *);

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
	s->defer = o->defer;
	s->batch = o->batch > 0 ? o->batch : SQ_BATCH;
	s->fill = &s->b[0];
	worker_init(&s->w, sq_store, s);
	/*
	 * No statistics of SQLite's allocations: keeping them takes a
	 * global mutex at every malloc and free, 2.5% of a roll-up's
	 * instructions.  Refused (and harmless) once SQLite is initialised.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	rc = sqlite3_open_v2(target, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		sq_dberr(s, "cannot open", err);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, o->wait > 0 ? o->wait * 1000 : 0);
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", CACHE_KB);
	/* Only a new file takes it: before its first table, and WAL. */
	if (sq_exec(s, "PRAGMA page_size = " PAGE_SIZE, err) != 0)
		goto fail;
	/*
	 * Switching a new file to WAL needs it to itself, and SQLite does
	 * not call the busy handler for that: when another loader is doing
	 * the same at this moment, try again, as long as -w allows.
	 */
	for (slept = 0; sq_query1(s, "PRAGMA journal_mode = WAL", NULL, mode,
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
	if (sq_exec(s, "PRAGMA synchronous = NORMAL", err) != 0 ||
	    sq_exec(s, "PRAGMA wal_autocheckpoint = " CHECKPOINT, err) != 0 ||
	    sq_exec(s, sql, err) != 0 || sq_schema(s, err) != 0)
		goto fail;
	/*
	 * Days a killed load or an older gha-load left without aggregates,
	 * or a load with --defer-metrics (unless this is one too).
	 */
	if (!o->defer &&
	    rollup_dirty(s->db, s->path, NULL, &days, NULL, err) != 0)
		goto fail;
	if (sq_prepare(s, err) != 0)
		goto fail;
	if (!o->defer)
		s->feed = rollup_feed_new();
	return s;
fail:
	sqlite_close(s, NULL);
	return NULL;
}

/* Empty a written batch, keeping its standard-size chunks. */
static void
reset(struct batch *b)
{
	size_t i, k = 0;

	for (i = 0; i < b->nchunk; i++) {
		if (b->chunk[i].cap == CHUNK)
			b->chunk[k++] = b->chunk[i];
		else
			free(b->chunk[i].p);
	}
	b->nchunk = k;
	b->n = b->cur = b->used = b->bytes = 0;
}

static void
batch_free(struct batch *b)
{
	reset(b);
	while (b->nchunk > 0)
		free(b->chunk[--b->nchunk].p);
	free(b->chunk);
	free(b->recs);
	memset(b, 0, sizeof(*b));
}

/* A copy of line[0..n) that stays put until its batch is written. */
static char *
keep(struct batch *b, const char *line, size_t n)
{
	struct chunk *c;
	char *p;

	while (b->cur < b->nchunk && b->chunk[b->cur].cap - b->used < n) {
		b->cur++;
		b->used = 0;
	}
	if (b->cur == b->nchunk) {
		b->chunk = gha_erealloc(b->chunk, (b->nchunk + 1) *
		    sizeof(*b->chunk));
		c = &b->chunk[b->nchunk++];
		c->cap = n > CHUNK ? n : CHUNK;
		c->p = gha_emalloc(c->cap);
		b->used = 0;
	}
	p = b->chunk[b->cur].p + b->used;
	memcpy(p, line, n);
	b->used += n;
	b->bytes += n;
	return p;
}

/*
 * Hand the batch being filled to the writer once it is done with the
 * previous one, and go on filling the other batch (which that wait made
 * idle).  After a failed write nothing more is handed over.
 */
static int
handoff(struct sink *s, struct load_stats *st, char *err)
{
	if (worker_give(&s->w, s->fill, st, err) != 0)
		return -1;
	s->fill = s->fill == &s->b[0] ? &s->b[1] : &s->b[0];
	reset(s->fill);
	return 0;
}

/* Add record r, parsed from line[0..n), to the batch being filled. */
static int
sqlite_put(struct sink *s, const struct gha_rec *r, const char *line,
    size_t n, struct load_stats *st, char *err)
{
	struct batch *b = s->fill;
	struct gha_rec *k;
	char *p;
	int i;

	if (b->recs == NULL)
		b->recs = gha_ecalloc(s->batch, sizeof(*b->recs));
	p = keep(b, line, n);
	k = &b->recs[b->n++];
	*k = *r;
	for (i = 0; i < GHA_R_NFIELDS; i++)
		k->f[i].p = p + (r->f[i].p - line);
	if (s->feed != NULL)
		rollup_feed_rec(s->feed, k);
	if (b->n == s->batch || b->bytes >= BATCH_BYTES)
		return handoff(s, st, err);
	return 0;
}

/*
 * Store what the batch being filled holds and wait until it is stored.
 * At the end of a load (last), the writer stopped, the aggregates of the
 * days it stored events in.  On failure, or when the load is killed
 * first, the days stay marked for the next gha-load.
 */
static int
sqlite_flush(struct sink *s, int last, struct load_stats *st, char *err)
{
	double t;
	int days, fed;

	if (s->fill->n > 0 && handoff(s, st, err) != 0)
		return -1;
	if (worker_wait(&s->w, st, err) != 0)
		return -1;
	if (!last)
		return 0;
	st->cpu += worker_stop(&s->w);
	batch_free(&s->b[0]);
	batch_free(&s->b[1]);
	if (!s->marked || s->defer)
		return 0;
	t = gha_clock(CLOCK_MONOTONIC);
	if (rollup_dirty(s->db, s->path, s->dup ? NULL : s->feed, &days,
	    &fed, err) != 0)
		return -1;
	s->marked = 0;
	rollup_feed_free(s->feed);	/* the load is over */
	s->feed = NULL;
	st->days += (unsigned long long)days;
	st->days_fed += (unsigned long long)fed;
	st->days_s += gha_clock(CLOCK_MONOTONIC) - t;
	return 0;
}

static int
sqlite_close(struct sink *s, char *err)
{
	int ret = 0;

	if (s == NULL)
		return 0;
	worker_free(&s->w);
	rollup_feed_free(s->feed);
	batch_free(&s->b[0]);
	batch_free(&s->b[1]);
	sqlite3_finalize(s->mark);
	sqlite3_finalize(s->ins);
	sqlite3_finalize(s->insn);
	if (s->db != NULL && sqlite3_close(s->db) != SQLITE_OK) {
		if (err != NULL)
			sq_dberr(s, "close", err);
		ret = -1;
	}
	free(s->scratch);
	free(s->path);
	free(s);
	return ret;
}

const struct sink_ops sqlite_sink = {
	.name = "sqlite",
	.open = sqlite_open,
	.put = sqlite_put,
	.flush = sqlite_flush,
	.close = sqlite_close,
	.ledger_put = sq_ledger_put,
	.ledger_get = sq_ledger_get,
	.commits_put = sq_commits_put,
};
