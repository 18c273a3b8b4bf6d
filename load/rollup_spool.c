/*
 * rollup_spool.c - a day's events as the keyed tuples rollup.c
 * aggregates, spooled by partition; and the feed, the same tuples built
 * from the records of a load as they are read.
 *
 * The feed.  Rolling up a day reads back every row of it (rollup.c), a
 * third of the roll-up's CPU for a day new to the file, whose rows are
 * exactly the ones the load just stored.  So the reading thread spools
 * the tuples of each record of up to FEED_DAYS days as it puts them in a
 * batch (on the core the JSON scanning leaves idle half the time), and
 * the roll-up uses them instead of the scan only when they are provably
 * the day's rows: no batch of the load met a duplicate (sqlite_rows.c
 * tells), so every record fed was stored, and, in the roll-up's own
 * transaction, the day holds as many rows as were fed, so nothing else
 * is there (events are never removed).  A day with rows before the load,
 * or that another loader added to, or any duplicate, is scanned as
 * before.  A push without the archive's count is counted as push_commits
 * says during a scan; the feed counts it as unknown, so it is used only
 * while push_commits is empty.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rollup.h"
#include "rollup_int.h"

#define FEED_DAYS	2	/* days a load feeds (past midnight) */

void
spool_init(struct spool *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
}

/* Forget what an earlier day left, the temporary file's space included. */
void
spool_reset(struct spool *sp)
{
	int i;

	for (i = 0; i < NPART; i++)
		sp->mem[i].n = sp->chunks[i].n = 0;
	if (sp->fd >= 0 && ftruncate(sp->fd, 0) != 0) {
		close(sp->fd);		/* the next spill makes another */
		sp->fd = -1;
	}
	sp->end = 0;
	sp->events = 0;
	memset(sp->by, 0, sizeof(sp->by));
}

void
spool_free(struct spool *sp)
{
	int i;

	for (i = 0; i < NPART; i++) {
		gha_buf_free(&sp->mem[i]);
		gha_buf_free(&sp->chunks[i]);
	}
	if (sp->fd >= 0)
		close(sp->fd);
	gha_buf_free(&sp->lc);
	spool_init(sp);
}

/* The 31-bit h of a name: FNV-1a, then a finaliser for the high bits. */
uint32_t
spool_hash31(const char *p, size_t n)
{
	uint64_t x = gha_fnv1a(GHA_FNV1A_INIT, p, n);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)(x >> 33);
}

/*
 * s[0..n) lower-cased (ASCII only, as SQLite's lower()), in sp's scratch
 * buffer: valid until the next call.
 */
const char *
spool_lower(struct spool *sp, const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return "";
	sp->lc.n = 0;
	gha_buf_add(&sp->lc, s, n);
	for (i = 0; i < n; i++)
		if (sp->lc.p[i] >= 'A' && sp->lc.p[i] <= 'Z')
			sp->lc.p[i] += 'a' - 'A';
	return sp->lc.p;
}

/* Append partition p's tuples held in memory to the temporary file. */
static int
spill(struct spool *sp, int p)
{
	char why[GHA_ERRLEN];
	struct spchunk c;
	ssize_t w;
	size_t done;

	if (sp->fd < 0 && (sp->fd = gha_tmpfd(why)) < 0)
		return -1;
	for (done = 0; done < sp->mem[p].n; done += (size_t)w)
		if ((w = pwrite(sp->fd, sp->mem[p].p + done,
		    sp->mem[p].n - done, sp->end + (off_t)done)) < 0) {
			if (errno != EINTR)
				return -1;
			w = 0;
		}
	c.off = sp->end;
	c.len = sp->mem[p].n;
	gha_buf_add(&sp->chunks[p], &c, sizeof(c));
	sp->end += (off_t)c.len;
	sp->mem[p].n = 0;
	return 0;
}

/* Spool one tuple (see TUP_HEAD) into the partition of h. */
static int
put(struct spool *sp, enum kind kind, uint32_t h, const char *k1,
    size_t n1, const char *k2, size_t n2, int flags, int64_t commits)
{
	int p = (int)(h >> PART_SHIFT);
	struct gha_buf *m = &sp->mem[p];
	unsigned char head[TUP_HEAD + 8];
	uint32_t u;
	size_t hn = TUP_HEAD;

	if (m->n > 0 && m->n + TUP_HEAD + 8 + n1 + n2 > PART_BUF &&
	    spill(sp, p) != 0)
		return -1;
	head[0] = (unsigned char)kind;
	head[1] = (unsigned char)flags;
	memcpy(head + 2, &h, 4);
	u = (uint32_t)n1;
	memcpy(head + 6, &u, 4);
	u = (uint32_t)n2;
	memcpy(head + 10, &u, 4);
	if (kind == K_DEV) {
		memcpy(head + TUP_HEAD, &commits, sizeof(commits));
		hn += 8;
	}
	gha_buf_add(m, head, hn);
	gha_buf_add(m, k1, n1);
	if (n2 > 0)
		gha_buf_add(m, k2, n2);
	return 0;
}

/*
 * Spool the tuples of one event: push tells a PushEvent, whose count is
 * commits (unknown: 1 and not known).  -1 (errno) when the temporary
 * file fails.
 */
int
spool_event(struct spool *sp, const struct spool_ev *e, int push,
    int64_t commits, int unknown)
{
	const char *slash, *owner;
	size_t no;

	sp->events++;
	if (e->login != NULL) {
		if (put(sp, K_DEV, spool_hash31(spool_lower(sp, e->login,
		    e->nl), e->nl), e->login, e->nl, "", 0,
		    push ? F_PUSH | (unknown ? F_EST : 0) : 0,
		    push ? commits : 0) != 0)
			return -1;
		if (push && e->repo != NULL &&
		    put(sp, K_MEMBER, spool_hash31(e->repo, e->nr), e->repo,
		    e->nr, e->login, e->nl, 0, 0) != 0)
			return -1;
		if (e->repo != NULL && e->type != NULL && e->nt == 11 &&
		    memcmp(e->type, "CreateEvent", 11) == 0 &&
		    e->rtype != NULL && e->nrt == 10 &&
		    memcmp(e->rtype, "repository", 10) == 0 &&
		    put(sp, K_CREATED, spool_hash31(e->login, e->nl), e->login,
		    e->nl, e->repo, e->nr, 0, 0) != 0)
			return -1;
	}
	if (e->repo != NULL && (slash = memchr(e->repo, '/', e->nr)) != NULL &&
	    slash > e->repo) {
		no = (size_t)(slash - e->repo);
		owner = spool_lower(sp, e->repo, no);
		if (put(sp, K_OWNER, spool_hash31(owner, no), owner, no,
		    e->repo, e->nr, 0, 0) != 0)
			return -1;
	}
	return 0;
}

struct feed_day {
	int64_t		 day;
	int		 bad;		/* not fed whole: scan it */
	int		 unknown;	/* a push without the archive's count */
	struct spool	 sp;
};

struct rollup_feed {
	struct feed_day	 d[FEED_DAYS];
	int		 ndays;
	struct gha_buf	 s[4];		/* unescaped strings */
};

struct rollup_feed *
rollup_feed_new(void)
{
	struct rollup_feed *f = gha_ecalloc(1, sizeof(*f));
	int i;

	for (i = 0; i < FEED_DAYS; i++)
		spool_init(&f->d[i].sp);
	return f;
}

void
rollup_feed_free(struct rollup_feed *f)
{
	int i;

	if (f == NULL)
		return;
	for (i = 0; i < FEED_DAYS; i++)
		spool_free(&f->d[i].sp);
	for (i = 0; i < 4; i++)
		gha_buf_free(&f->s[i]);
	free(f);
}

/*
 * Token t as the text event_store holds for it (*p NULL for null); 0, or
 * -1 for a token of a type that column never gets from a record.
 */
static int
feed_str(struct gha_buf *b, const struct gha_jtok *t, const char **p,
    size_t *n)
{
	if (t->type == GHA_J_NONE || t->type == GHA_J_NULL) {
		*p = NULL;
		*n = 0;
		return 0;
	}
	if (t->type != GHA_J_STRING || t->n < 2)
		return -1;
	if (!t->esc) {
		*p = t->p + 1;
		*n = t->n - 2;
		return 0;
	}
	if (b->cap < t->n + 1) {
		b->p = gha_erealloc(b->p, t->n + 1);
		b->cap = t->n + 1;
	}
	*n = gha_json_unescape(t, b->p, t->n + 1);
	*p = b->p;
	return 0;
}

/* Feed record r, put in a batch of the load (see the top of the file). */
void
rollup_feed_rec(struct rollup_feed *f, const struct gha_rec *r)
{
	const struct gha_jtok *c = &r->f[GHA_R_COMMITS];
	int64_t day = ROLLUP_DAY(r->created), commits = 1;
	struct feed_day *d = NULL;
	struct spool_ev e;
	int i, push, unknown = 0;

	for (i = f->ndays - 1; i >= 0; i--)
		if (f->d[i].day == day) {
			d = &f->d[i];
			break;
		}
	if (d == NULL) {
		if (f->ndays == FEED_DAYS)
			return;		/* not fed: scanned */
		d = &f->d[f->ndays++];
		d->day = day;
	}
	if (d->bad)
		return;
	if (feed_str(&f->s[0], &r->f[GHA_R_TYPE], &e.type, &e.nt) != 0 ||
	    feed_str(&f->s[1], &r->f[GHA_R_ACTOR_LOGIN], &e.login,
	    &e.nl) != 0 ||
	    feed_str(&f->s[2], &r->f[GHA_R_REPO_NAME], &e.repo, &e.nr) != 0 ||
	    feed_str(&f->s[3], &r->f[GHA_R_REF_TYPE], &e.rtype, &e.nrt) != 0)
		goto bad;
	push = e.type != NULL && e.nt == 9 &&
	    memcmp(e.type, "PushEvent", 9) == 0;
	if (push) {
		if (c->type == GHA_J_INT) {
			gha_json_int(c, &commits);
			d->sp.by[0]++;
		} else if (c->type == GHA_J_NONE || c->type == GHA_J_NULL) {
			unknown = d->unknown = 1;
			d->sp.by[4]++;
		} else
			goto bad;
	}
	if (spool_event(&d->sp, &e, push, commits, unknown) == 0)
		return;
bad:
	d->bad = 1;
	spool_reset(&d->sp);
}

/*
 * The spool of day, when it was fed whole: *n its events and *unknown
 * whether a push had no count of the archive's.  NULL when not.
 */
struct spool *
rollup_feed_day(struct rollup_feed *f, int64_t day, int64_t *n, int *unknown)
{
	int i;

	if (f == NULL)
		return NULL;
	for (i = 0; i < f->ndays; i++)
		if (f->d[i].day == day && !f->d[i].bad) {
			*n = f->d[i].sp.events;
			*unknown = f->d[i].unknown;
			return &f->d[i].sp;
		}
	return NULL;
}
