/*
 * rollup.c - the metric aggregates of an SQLite file, kept by gha-load.
 *
 * The metric views need each day's developers, each day's pushers per
 * repository and, over all days, the repositories under each owner name.
 * Computed at query time (GROUP BY and count(DISTINCT) over every event)
 * they cost SQLite's sorter 46 s of CPU for a 4.8 million-event day, and
 * again at every query.  So gha-load stores them (sqlite_schema.c, the agg_
 * tables) and the views read those.
 *
 * Which days.  Each load batch that stores a new event marks the event's day in
 * agg_dirty, in the batch's own transaction (sqlite_rows.c).  When the load
 * ends, and when a file is opened with days still marked (a load was killed
 * before it got there, or the file was made by a gha-load older than the
 * aggregates), each marked day is rolled up in one transaction of its own that
 * ends by clearing the mark.  So a crash anywhere leaves
 * the mark, never aggregates half made, and the next gha-load finishes
 * the job.
 *
 * Rolling up a day reads the day's rows of event_store once (a range of
 * the primary key) and recomputes from them, so the result does not
 * depend on how the day was loaded, in one piece or in many (a day that
 * holds just the rows of the load that ends takes the same tuples from
 * the records as they were read instead: rollup_spool.c):
 *   agg_dev_day    (day, developer): events, pushes, commits (a push's
 *                  count from the archive, else from push_commits, which
 *                  gha-load --commits fills, else 1), commits_estimated;
 *   agg_repo_day   (day, repository) with more than ten distinct pushers;
 *   agg_day        the day's events and the counts daily_summary shows,
 *                  its pushes by the source of their count among them;
 * and adds to three sets over all days (events are never removed, so
 * adding a day's members keeps them exact):
 *   agg_owner_repo (owner name lower-cased, repository);
 *   agg_actor      (login lower-cased, login);
 *   agg_created    (login, repository of a CreateEvent of a repository).
 * Lower-casing is ASCII only, as SQLite's lower() does.
 *
 * Bots (lib/bots.c: a login ending in [bot], or one of bot_logins, the
 * list sqlite_schema.c keeps there) are kept in agg_dev_day and agg_actor,
 * which the views filter, but are no members of a repository (not
 * counted when the members are: the tuples are made without the list), and
 * agg_day counts them apart (bots) from the developers; a changed list
 * marks every day, so these follow it.
 *
 * How, in bounded memory.  A day has about a million developers, more
 * than the 32 MB a tool may use.  So the day's rows become small keyed
 * tuples, spread by a hash of their key over NPART partitions, each held
 * in memory up to PART_BUF bytes and then appended to one unlinked
 * temporary file (in TMPDIR) as a chunk; each partition is then read back
 * a chunk at a time into a hash table of its distinct keys only (about
 * 1/NPART of the day's, however often a key repeats), and its results
 * are sorted by (h, key) before they are written.  h, the
 * leading column of those tables' keys, is that same 31-bit hash, and
 * partitions are taken in order of h, so every insert lands at the
 * right-hand edge of its table's B-tree and the writes are sequential.
 * The h of a lower-cased owner and of a lower-cased login are the same
 * function, so devs_owning_multiple_repos joins on (h, name).  h is part
 * of the file format: it must never change.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bots.h"
#include "rollup.h"
#include "rollup_int.h"

#define NMANY		32	/* rows stored by one many-row INSERT */

/* An aggregate in a partition's hash table; keys point into its tuples. */
struct agg {
	uint64_t	 hash;		/* of kind and both keys; 0: free */
	size_t		 off;		/* of the keys in rollup.keys */
	const char	*k1;		/* there, once all are in; k2 follows */
	uint32_t	 kind, h, n1, n2;
	int32_t		 events, pushes;
	int64_t		 commits;
	int		 est;
};

struct rollup {
	sqlite3		*db;
	const char	*path;
	sqlite3_stmt	*scan, *dev, *actor, *owner, *member, *created,
			*day, *delday, *undirty, *deldev, *delrepo, *dirty,
			*bots, *nrows, *anypc;
	struct rollup_feed *feed;	/* the load's records, or NULL */
	struct gha_bots	 botset;	/* bot_logins */
	char		 dayname[11];	/* the day being rolled up */
	int64_t		 developers, gt1, lt1, repos, est, nbots;
	struct spool	 sp;		/* the scan's */
	struct spool	*cur;		/* the day's: &sp, or the feed's */
	sqlite3_stmt	*devn, *actorn;	/* dev and actor, NMANY rows */
	const struct agg *pend[NMANY];	/* developers to store */
	size_t		 npend;
	sqlite3_stmt	*ownern;	/* owner, NMANY rows */
	const struct agg *opend[NMANY];	/* owners' repositories to store */
	size_t		 nopend;
	struct gha_buf	 lcs;		/* their logins lower-cased */
	struct gha_buf	 chunk;		/* a partition's spilled chunk */
	struct gha_buf	 keys;		/* its distinct keys */
	struct agg	*tab;		/* their aggregates, tcap slots */
	size_t		 tcap, count;
	struct agg	**sorted;	/* its aggregates in key order */
	size_t		 scap;
};

static int
dberr(struct rollup *r, const char *what, char *err)
{
	snprintf(err, GHA_ERRLEN, "%s: %s: %s", r->path, what,
	    sqlite3_errmsg(r->db));
	return -1;
}

/* The text of column i of the scan and its length; NULL when null. */
static const char *
col(sqlite3_stmt *st, int i, size_t *n)
{
	const char *p = (const char *)sqlite3_column_text(st, i);

	*n = (size_t)sqlite3_column_bytes(st, i);
	return p;
}

/*
 * A push's count: the archive's, else the one gha-load --commits stored
 * (the LEFT JOIN of the scan: a gone push has none), else 1 and unknown;
 * counted in the spool's by[] by where it came from.
 */
static void
source(struct rollup *r, int64_t *commits, int *unknown)
{
	const char *src;
	size_t n;

	if (sqlite3_column_type(r->scan, 3) != SQLITE_NULL) {
		*commits = sqlite3_column_int64(r->scan, 3);
		r->sp.by[0]++;
		return;
	}
	if (sqlite3_column_type(r->scan, 5) != SQLITE_NULL) {
		*commits = sqlite3_column_int64(r->scan, 5);
		src = col(r->scan, 6, &n);
		r->sp.by[src != NULL && n == 3 && memcmp(src, "git", 3) == 0 ?
		    1 : src != NULL && n == 3 && memcmp(src, "api", 3) == 0 ?
		    2 : 3]++;
		return;
	}
	*commits = 1;
	*unknown = 1;
	r->sp.by[4]++;
}

/* Read the day's events into tuples. */
static int
scan(struct rollup *r, int64_t day, char *err)
{
	struct spool_ev e;
	int rc, push, unknown;
	int64_t commits;

	sqlite3_bind_int64(r->scan, 1, day * DAY);
	sqlite3_bind_int64(r->scan, 2, day * DAY + DAY);
	while ((rc = sqlite3_step(r->scan)) == SQLITE_ROW) {
		e.type = col(r->scan, 0, &e.nt);
		e.login = col(r->scan, 1, &e.nl);
		e.repo = col(r->scan, 2, &e.nr);
		e.rtype = col(r->scan, 4, &e.nrt);
		push = e.type != NULL && e.nt == 9 &&
		    memcmp(e.type, "PushEvent", 9) == 0;
		unknown = 0;
		commits = 1;
		if (push)
			source(r, &commits, &unknown);
		if (spool_event(&r->sp, &e, push, commits, unknown) != 0) {
			snprintf(err, GHA_ERRLEN, "%s: rolling up %s: "
			    "temporary file: %s", r->path, r->dayname,
			    strerror(errno));
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		dberr(r, "rolling up: reading event_store", err);
		goto fail;
	}
	sqlite3_reset(r->scan);
	return 0;
fail:
	sqlite3_reset(r->scan);
	return -1;
}

/* Order of the aggregates: kind, h, then the keys as SQLite's BINARY. */
static int
keycmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	if (c != 0)
		return c;
	return na < nb ? -1 : na > nb;
}

static int
aggcmp(const void *pa, const void *pb)
{
	const struct agg *a = *(struct agg *const *)pa;
	const struct agg *b = *(struct agg *const *)pb;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	if ((c = keycmp(a->k1, a->n1, b->k1, b->n1)) != 0)
		return c;
	return keycmp(a->k1 + a->n1, a->n2, b->k1 + b->n1, b->n2);
}

/* Make room for one more aggregate: at most 3/4 of the slots full. */
static void
tab_grow(struct rollup *r)
{
	struct agg *old = r->tab, *e;
	size_t ocap = r->tcap, i, j;

	if (r->tcap > 0 && r->count < r->tcap / 4 * 3)
		return;
	r->tcap = r->tcap > 0 ? r->tcap * 2 : 1024;
	r->tab = gha_ecalloc(r->tcap, sizeof(*r->tab));
	for (i = 0; i < ocap; i++) {
		if (old[i].hash == 0)
			continue;
		for (j = old[i].hash & (r->tcap - 1); r->tab[j].hash != 0;
		    j = (j + 1) & (r->tcap - 1))
			;
		e = &r->tab[j];
		*e = old[i];
	}
	free(old);
}

/*
 * The hash of a tuple's keys in the partition's table (not stored, unlike
 * h): eight bytes at a time, where FNV-1a takes one.
 */
static uint64_t
keyhash(uint64_t x, const char *p, size_t n)
{
	uint64_t w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		x = (x ^ w) * 0x9e3779b97f4a7c15ULL;
		x ^= x >> 29;
	}
	for (w = 0; n > 0; n--)
		w = w << 8 | (unsigned char)p[n - 1];
	x = (x ^ w) * 0xff51afd7ed558ccdULL;
	return x ^ x >> 32;
}

/*
 * Add the tuples in p[0..len) to the partition's aggregates.  A new key's
 * bytes are copied to r->keys, so only the distinct keys of a partition
 * are ever in memory, however often one repeats (an organisation's every
 * event names it).
 */
static void
tab_add(struct rollup *r, const char *p, size_t len)
{
	const char *end = p + len, *k1;
	struct agg *e;
	uint32_t kind, flags, h, n1, n2;
	uint64_t hash;
	int64_t commits;
	size_t i;

	for (; p < end; p = k1 + n1 + n2) {
		kind = (unsigned char)p[0];
		flags = (unsigned char)p[1];
		memcpy(&h, p + 2, 4);
		memcpy(&n1, p + 6, 4);
		memcpy(&n2, p + 10, 4);
		commits = 0;
		if (kind == K_DEV)
			memcpy(&commits, p + TUP_HEAD, 8);
		k1 = p + TUP_HEAD + (kind == K_DEV ? 8 : 0);
		hash = keyhash((uint64_t)kind << 32 | h, k1, n1 + n2);
		hash = (hash ^ n1) | 1;		/* 0 marks a free slot */
		tab_grow(r);
		for (i = hash & (r->tcap - 1);; i = (i + 1) & (r->tcap - 1)) {
			e = &r->tab[i];
			if (e->hash == 0) {
				e->hash = hash;
				e->kind = kind;
				e->h = h;
				e->off = r->keys.n;
				e->n1 = n1;
				e->n2 = n2;
				gha_buf_add(&r->keys, k1, n1 + n2);
				r->count++;
				break;
			}
			if (e->hash == hash && e->kind == kind &&
			    e->n1 == n1 && e->n2 == n2 &&
			    memcmp(r->keys.p + e->off, k1, n1 + n2) == 0)
				break;
		}
		e->events++;
		e->pushes += (flags & F_PUSH) != 0;
		e->commits += commits;
		e->est |= (flags & F_EST) != 0;
	}
}

/*
 * Aggregate partition p's tuples, spilled (read back a chunk at a time)
 * and held, into r->sorted[0..*n), in key order.
 */
static int
aggregate(struct rollup *r, int p, size_t *n, char *err)
{
	struct spool *sp = r->cur;
	struct spchunk c;
	size_t i, done;
	ssize_t got = 0;

	/*
	 * Free the slots the partition before used (all in r->sorted), not
	 * the whole table, which is as big as the largest partition's.
	 */
	for (i = 0; i < r->count; i++)
		memset(r->sorted[i], 0, sizeof(*r->sorted[i]));
	r->count = 0;
	r->keys.n = 0;
	for (i = 0; i < sp->chunks[p].n; i += sizeof(c)) {
		memcpy(&c, sp->chunks[p].p + i, sizeof(c));
		r->chunk.n = 0;
		if (r->chunk.cap < c.len) {
			r->chunk.p = gha_erealloc(r->chunk.p, c.len);
			r->chunk.cap = c.len;
		}
		for (done = 0; done < c.len; done += (size_t)got) {
			got = pread(sp->fd, r->chunk.p + done, c.len - done,
			    c.off + (off_t)done);
			if (got < 0 && errno == EINTR)
				got = 0;
			else if (got <= 0)
				goto fail;
		}
		tab_add(r, r->chunk.p, c.len);
	}
	sp->chunks[p].n = 0;
	tab_add(r, sp->mem[p].p, sp->mem[p].n);
	sp->mem[p].n = 0;
	if (r->scap < r->count) {
		free(r->sorted);
		r->sorted = gha_emalloc(r->count * sizeof(*r->sorted));
		r->scap = r->count;
	}
	for (i = 0, *n = 0; i < r->tcap; i++)
		if (r->tab[i].hash != 0) {
			r->tab[i].k1 = r->keys.p + r->tab[i].off;
			r->sorted[(*n)++] = &r->tab[i];
		}
	if (*n > 1)
		qsort(r->sorted, *n, sizeof(*r->sorted), aggcmp);
	return 0;
fail:
	if (r->tcap > 0)	/* its slots are not all in r->sorted */
		memset(r->tab, 0, r->tcap * sizeof(*r->tab));
	r->count = 0;
	snprintf(err, GHA_ERRLEN, "%s: rolling up %s: temporary file: %s",
	    r->path, r->dayname, got < 0 ? strerror(errno) :
	    "shorter than written");
	return -1;
}

static int
step(struct rollup *r, sqlite3_stmt *st, char *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : dberr(r, "rolling up", err);
}

static void
text(sqlite3_stmt *st, int i, const char *p, size_t n)
{
	sqlite3_bind_text(st, i, p, (int)n, SQLITE_STATIC);
}

/*
 * Bind developer e's day to the parameters after base of st (agg_dev_day),
 * or, with lc its login lower-cased, the login (agg_actor).
 */
static void
bind_dev(struct rollup *r, sqlite3_stmt *st, int base, const struct agg *e)
{
	text(st, base + 1, r->dayname, 10);
	sqlite3_bind_int64(st, base + 2, e->h);
	text(st, base + 3, e->k1, e->n1);
	sqlite3_bind_int64(st, base + 4, e->events);
	sqlite3_bind_int64(st, base + 5, e->pushes);
	sqlite3_bind_int64(st, base + 6, e->commits);
	sqlite3_bind_int(st, base + 7, e->est);
}

static void
bind_actor(sqlite3_stmt *st, int base, const struct agg *e, const char *lc)
{
	sqlite3_bind_int64(st, base + 1, e->h);
	text(st, base + 2, lc, e->n1);
	text(st, base + 3, e->k1, e->n1);
}

/*
 * Store the developers held in r->pend: NMANY at a time in one statement
 * of NMANY rows (about a fifth fewer instructions than row by row), the
 * rest one by one.
 */
static int
flush_devs(struct rollup *r, char *err)
{
	size_t i, n = r->npend, tot = 0;
	char *lc;
	int many = n == NMANY;

	for (i = 0; i < n; i++)
		tot += r->pend[i]->n1;
	if (r->lcs.cap < tot + 1) {
		r->lcs.p = gha_erealloc(r->lcs.p, tot + 1);
		r->lcs.cap = tot + 1;
	}
	for (i = 0; i < n; i++) {
		bind_dev(r, many ? r->devn : r->dev, many ? (int)i * 7 : 0,
		    r->pend[i]);
		if (!many && step(r, r->dev, err) != 0)
			return -1;
	}
	if (many && step(r, r->devn, err) != 0)
		return -1;
	for (i = 0, lc = r->lcs.p; i < n; lc += r->pend[i++]->n1) {
		memcpy(lc, spool_lower(&r->sp, r->pend[i]->k1,
		    r->pend[i]->n1), r->pend[i]->n1);
		bind_actor(many ? r->actorn : r->actor, many ? (int)i * 3 : 0,
		    r->pend[i], lc);
		if (!many && step(r, r->actor, err) != 0)
			return -1;
	}
	if (many && step(r, r->actorn, err) != 0)
		return -1;
	r->npend = 0;
	return 0;
}

/* Store the owners' repositories held in r->opend, as flush_devs. */
static int
flush_owners(struct rollup *r, char *err)
{
	sqlite3_stmt *st = r->nopend == NMANY ? r->ownern : r->owner;
	const struct agg *e;
	size_t i;
	int base;

	for (i = 0; i < r->nopend; i++) {
		e = r->opend[i];
		base = st == r->ownern ? (int)i * 3 : 0;
		sqlite3_bind_int64(st, base + 1, e->h);
		text(st, base + 2, e->k1, e->n1);
		text(st, base + 3, e->k1 + e->n1, e->n2);
		if (st == r->owner && step(r, st, err) != 0)
			return -1;
	}
	if (st == r->ownern && step(r, st, err) != 0)
		return -1;
	r->nopend = 0;
	return 0;
}

/* Count a developer's day, to be stored with its login among all. */
static int
emit_dev(struct rollup *r, const struct agg *e, char *err)
{
	if (gha_bots_is(&r->botset, e->k1, e->n1))
		r->nbots++;
	else {
		r->developers++;
		r->gt1 += e->commits > 1;
		r->lt1 += e->commits < 1;
		r->est |= e->est;
	}
	r->pend[r->npend++] = e;
	return r->npend == NMANY ? flush_devs(r, err) : 0;
}

/* Write one partition's aggregates r->sorted[0..n), in key order. */
static int
emit(struct rollup *r, size_t n, char *err)
{
	const struct agg *e;
	size_t i, j;
	int64_t members;

	for (i = 0; i < n; i++) {
		e = r->sorted[i];
		switch (e->kind) {
		case K_DEV:
			if (emit_dev(r, e, err) != 0)
				return -1;
			break;
		case K_OWNER:
			r->opend[r->nopend++] = e;
			if (r->nopend == NMANY && flush_owners(r, err) != 0)
				return -1;
			break;
		case K_MEMBER:
			/*
			 * In key order, a repository's pushers are together;
			 * bots are no members.
			 */
			members = 0;
			for (j = i; j < n && r->sorted[j]->kind == K_MEMBER &&
			    r->sorted[j]->n1 == e->n1 &&
			    memcmp(r->sorted[j]->k1, e->k1, e->n1) == 0; j++)
				members += !gha_bots_is(&r->botset,
				    r->sorted[j]->k1 + e->n1,
				    r->sorted[j]->n2);
			i = j - 1;
			if (members <= 10)
				break;
			r->repos++;
			text(r->member, 1, r->dayname, 10);
			text(r->member, 2, e->k1, e->n1);
			sqlite3_bind_int64(r->member, 3, members);
			if (step(r, r->member, err) != 0)
				return -1;
			break;
		case K_CREATED:
			text(r->created, 1, e->k1, e->n1);
			text(r->created, 2, e->k1 + e->n1, e->n2);
			if (step(r, r->created, err) != 0)
				return -1;
			break;
		}
	}
	/* before the keys are reused */
	return flush_devs(r, err) != 0 ? -1 : flush_owners(r, err);
}

/*
 * The spool of the day to aggregate, in *sp: the feed's when it holds
 * exactly the day's rows (see rollup_spool.c), else r->sp, to be filled
 * by the scan.  In the roll-up's transaction, so no loader adds rows
 * between the count and the aggregates.
 */
static int
feed(struct rollup *r, int64_t day, struct spool **sp, char *err)
{
	struct spool *f;
	int64_t n;
	int unknown, rc;

	*sp = &r->sp;
	if ((f = rollup_feed_day(r->feed, day, &n, &unknown)) == NULL)
		return 0;
	if (unknown) {
		rc = sqlite3_step(r->anypc);
		sqlite3_reset(r->anypc);
		if (rc == SQLITE_ROW)
			return 0;
		if (rc != SQLITE_DONE)
			return dberr(r, "rolling up: reading push_commits", err);
	}
	sqlite3_bind_int64(r->nrows, 1, day * DAY);
	sqlite3_bind_int64(r->nrows, 2, day * DAY + DAY);
	rc = sqlite3_step(r->nrows);
	if (rc == SQLITE_ROW && sqlite3_column_int64(r->nrows, 0) == n)
		*sp = f;
	sqlite3_reset(r->nrows);
	if (rc != SQLITE_ROW)
		return dberr(r, "rolling up: counting event_store", err);
	return 0;
}

/* Recompute one day (epoch day number) in one transaction. */
static int
rollup_day(struct rollup *r, int64_t day, char *err)
{
	char t[21];
	size_t n;
	int p;

	spool_reset(&r->sp);
	gha_time_format(day * DAY, t);
	memcpy(r->dayname, t, 10);
	r->dayname[10] = '\0';
	r->developers = r->gt1 = r->lt1 = r->repos = r->est = 0;
	r->nbots = 0;
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return dberr(r, "rolling up", err);
	if (feed(r, day, &r->cur, err) != 0)
		goto fail;
	if (r->cur == &r->sp && scan(r, day, err) != 0)
		goto fail;
	text(r->deldev, 1, r->dayname, 10);
	text(r->delrepo, 1, r->dayname, 10);
	if (step(r, r->deldev, err) != 0 || step(r, r->delrepo, err) != 0)
		goto fail;
	for (p = 0; p < NPART; p++) {
		if (aggregate(r, p, &n, err) != 0)
			goto fail;
		if (emit(r, n, err) != 0)
			goto fail;
	}
	/* A day whose events are all gone (by hand) has no row. */
	if (r->cur->events == 0) {
		text(r->delday, 1, r->dayname, 10);
		if (step(r, r->delday, err) != 0)
			goto fail;
	}
	text(r->day, 1, r->dayname, 10);
	sqlite3_bind_int64(r->day, 2, r->cur->events);
	sqlite3_bind_int64(r->day, 3, r->developers);
	sqlite3_bind_int64(r->day, 4, r->gt1);
	sqlite3_bind_int64(r->day, 5, r->lt1);
	sqlite3_bind_int64(r->day, 6, r->repos);
	sqlite3_bind_int64(r->day, 7, r->est);
	sqlite3_bind_int64(r->day, 8, r->nbots);
	for (p = 0; p < 5; p++)
		sqlite3_bind_int64(r->day, 9 + p, r->cur->by[p]);
	sqlite3_bind_int64(r->undirty, 1, day);
	if ((r->cur->events > 0 && step(r, r->day, err) != 0) ||
	    step(r, r->undirty, err) != 0)
		goto fail;
	if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		dberr(r, "rolling up", err);
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* The statements, each prepared into the member of struct rollup at off. */
static const struct {
	size_t		 off;
	const char	*sql;
} stmts[] = {
#define S(f, sql)	{ offsetof(struct rollup, f), sql }
	S(scan, "SELECT e.type, e.actor_login, e.repo_name, e.commits, "
	    "e.ref_type, p.commits, p.source FROM event_store AS e "
	    "LEFT JOIN push_commits AS p ON e.commits IS NULL AND "
	    "p.push_id = e.push_id AND p.head = e.head "
	    "WHERE e.created >= ? AND e.created < ?"),
	S(dev, "INSERT INTO agg_dev_day VALUES (?, ?, ?, ?, ?, ?, ?)"),
	S(actor, "INSERT OR IGNORE INTO agg_actor VALUES (?, ?, ?)"),
	S(owner, "INSERT OR IGNORE INTO agg_owner_repo VALUES (?, ?, ?)"),
	S(member, "INSERT INTO agg_repo_day VALUES (?, ?, ?)"),
	S(created, "INSERT OR IGNORE INTO agg_created VALUES (?, ?)"),
	S(day, "INSERT OR REPLACE INTO agg_day (day, events, developers, "
	    "devs_gt1_commit, devs_lt1_commit, repos_gt10_members, "
	    "commits_estimated, bots, pushes_archive, pushes_git, pushes_api, "
	    "pushes_rule, pushes_bounded) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
	S(delday, "DELETE FROM agg_day WHERE day = ?"),
	S(undirty, "DELETE FROM agg_dirty WHERE day = ?"),
	S(deldev, "DELETE FROM agg_dev_day WHERE day = ?"),
	S(delrepo, "DELETE FROM agg_repo_day WHERE day = ?"),
	S(dirty, "SELECT day FROM agg_dirty ORDER BY day LIMIT 1"),
	S(bots, "SELECT login FROM bot_logins"),
	S(nrows, "SELECT count(*) FROM event_store "
	    "WHERE created >= ? AND created < ?"),
	S(anypc, "SELECT 1 FROM push_commits LIMIT 1"),
#undef S
};
#define NSTMT	(sizeof(stmts) / sizeof(stmts[0]))

static sqlite3_stmt **
stmt(struct rollup *r, size_t i)
{
	return (sqlite3_stmt **)(void *)((char *)r + stmts[i].off);
}

static void
rollup_free(struct rollup *r)
{
	size_t i;

	for (i = 0; i < NSTMT; i++)
		sqlite3_finalize(*stmt(r, i));
	sqlite3_finalize(r->devn);
	sqlite3_finalize(r->ownern);
	sqlite3_finalize(r->actorn);
	spool_free(&r->sp);
	gha_buf_free(&r->lcs);
	gha_bots_free(&r->botset);
	gha_buf_free(&r->chunk);
	gha_buf_free(&r->keys);
	free(r->tab);
	free(r->sorted);
}

/* Prepare in *st the INSERT head of NMANY rows like row. */
static int
prepare_many(struct rollup *r, const char *head, const char *row,
    sqlite3_stmt **st, char *err)
{
	struct gha_buf b = { NULL, 0, 0 };
	int i, rc;

	gha_buf_adds(&b, head);
	for (i = 0; i < NMANY; i++) {
		if (i > 0)
			gha_buf_addc(&b, ',');
		gha_buf_adds(&b, row);
	}
	rc = sqlite3_prepare_v2(r->db, b.p, (int)b.n, st, NULL);
	gha_buf_free(&b);
	return rc == SQLITE_OK ? 0 : dberr(r, "rolling up", err);
}

int
rollup_dirty(sqlite3 *db, const char *path, struct rollup_feed *feed,
    int *days, int *fed, char *err)
{
	struct rollup r;
	size_t i;
	int rc, ret = -1;

	memset(&r, 0, sizeof(r));
	spool_init(&r.sp);
	r.feed = feed;
	r.db = db;
	r.path = path;
	*days = 0;
	if (fed != NULL)
		*fed = 0;
	for (i = 0; i < NSTMT; i++)
		if (sqlite3_prepare_v2(db, stmts[i].sql, -1, stmt(&r, i),
		    NULL) != SQLITE_OK) {
			dberr(&r, "rolling up", err);
			goto out;
		}
	if (prepare_many(&r, "INSERT INTO agg_dev_day VALUES ",
	    "(?,?,?,?,?,?,?)", &r.devn, err) != 0 ||
	    prepare_many(&r, "INSERT OR IGNORE INTO agg_actor VALUES ",
	    "(?,?,?)", &r.actorn, err) != 0 ||
	    prepare_many(&r, "INSERT OR IGNORE INTO agg_owner_repo VALUES ",
	    "(?,?,?)", &r.ownern, err) != 0)
		goto out;
	while ((rc = sqlite3_step(r.bots)) == SQLITE_ROW)
		gha_bots_add(&r.botset,
		    (const char *)sqlite3_column_text(r.bots, 0),
		    (size_t)sqlite3_column_bytes(r.bots, 0));
	if (rc != SQLITE_DONE) {
		dberr(&r, "reading bot_logins", err);
		goto out;
	}
	gha_bots_done(&r.botset);
	/* One day at a time: another loader may be rolling up too. */
	while ((rc = sqlite3_step(r.dirty)) == SQLITE_ROW) {
		int64_t day = sqlite3_column_int64(r.dirty, 0);

		sqlite3_reset(r.dirty);
		if (rollup_day(&r, day, err) != 0)
			goto out;
		(*days)++;
		if (fed != NULL && r.cur != &r.sp)
			(*fed)++;
	}
	if (rc != SQLITE_DONE) {
		dberr(&r, "rolling up", err);
		goto out;
	}
	ret = 0;
out:
	rollup_free(&r);
	return ret;
}
