/*
 * pool.c - lines in batches through worker threads, results in input
 * order: what gha-decode and gha-filter use to parse on every core.
 *
 * The reading thread copies lines into a batch (the reader's buffer moves
 * under it), up to BATCH_LINES lines or BATCH_BYTES bytes, and hands the
 * full batch to the workers; any worker takes it and runs the tool's
 * work() over it, filling the batch's results; the reading thread takes
 * the batches back strictly in the order they were read and gives each to
 * the tool's emit(), so that everything that depends on order (counting,
 * de-duplication, the output, every message) happens in one thread,
 * exactly as it would with no worker at all.  Each line is independent
 * and parsing it is nearly all of the work, so J workers use J cores.
 *
 * At most two batches more than there are workers are in flight (one
 * being filled, one done and waiting for its turn, at least four): when
 * they all are, reading waits for the oldest one, so memory is bounded by
 * that many batches whatever the size of the input (a batch holds one
 * line at least, so the bound is the longest line allowed times the
 * batches, plus what work() makes of them).
 *
 * A tool that runs with one thread (-j 1) makes no pool: it puts each
 * line in a batch of its own without copying it (gha_batch_one) and calls
 * its work() and emit() itself, so one code path serves both.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "pool.h"

#define BATCH_LINES	GHA_POOL_LINES
#define BATCH_BYTES	(1U << 20)

struct gha_pool {
	pthread_mutex_t	 lock;
	pthread_cond_t	 work, done;
	struct gha_batch *b;
	unsigned long	 nbatch;	/* batches in flight at most */
	struct gha_batch *filling;	/* the batch being read into */
	unsigned long	 head;		/* batches handed out so far */
	unsigned long	 take;		/* batches taken by workers */
	unsigned long	 tail;		/* batches given to emit() */
	int		 quit;
	int		 jobs;
	pthread_t	 thread[GHA_POOL_MAXJOBS];
	void		*ctx[GHA_POOL_MAXJOBS];
	struct gha_pool_ops ops;
};

struct worker {
	struct gha_pool	*pool;
	void		*ctx;
};

/* Make room in b for BATCH_LINES lines. */
void
gha_batch_init(struct gha_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->off = gha_emalloc((BATCH_LINES + 1) * sizeof(*b->off));
	b->islong = gha_emalloc(BATCH_LINES);
}

void
gha_batch_free(struct gha_batch *b)
{
	free(b->buf);
	free(b->off);
	free(b->islong);
	b->buf = NULL;
	b->off = NULL;
	b->islong = NULL;
}

/* b holds just this line (NULL: a long one), not copied. */
void
gha_batch_one(struct gha_batch *b, struct gha_in *in, const char *line,
    size_t n)
{
	b->n = 1;
	b->base = line != NULL ? line : "";
	b->off[0] = 0;
	b->off[1] = line != NULL ? n + 1 : 0;
	b->islong[0] = line == NULL;
	b->lineno = gha_in_lineno(in);
}

static void *
work(void *arg)
{
	struct gha_pool *p = ((struct worker *)arg)->pool;
	void *ctx = ((struct worker *)arg)->ctx;
	struct gha_batch *b;

	free(arg);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->take == p->head && !p->quit)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->take == p->head)
			break;
		b = &p->b[p->take++ % p->nbatch];
		pthread_mutex_unlock(&p->lock);
		p->ops.work(ctx, b);
		pthread_mutex_lock(&p->lock);
		b->done = 1;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/*
 * Start jobs workers, worker i with ctx[i] (ctx may be NULL).  A thread
 * that cannot be started is fatal, as running out of memory is.
 */
struct gha_pool *
gha_pool_enew(int jobs, void **ctx, const struct gha_pool_ops *ops)
{
	struct gha_pool *p;
	struct worker *w;
	int i;

	if (jobs < 1 || jobs > GHA_POOL_MAXJOBS)
		gha_die(GHA_EX_USAGE, "%d threads: want 1 to %d", jobs,
		    GHA_POOL_MAXJOBS);
	p = gha_ecalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->ops = *ops;
	p->nbatch = jobs + 2 > 4 ? (unsigned long)jobs + 2 : 4;
	p->b = gha_ecalloc(p->nbatch, sizeof(*p->b));
	for (i = 0; i < (int)p->nbatch; i++) {
		gha_batch_init(&p->b[i]);
		p->b[i].priv = ops->newpriv != NULL ? ops->newpriv() : NULL;
	}
	for (i = 0; i < jobs; i++) {
		w = gha_emalloc(sizeof(*w));
		w->pool = p;
		w->ctx = ctx != NULL ? ctx[i] : NULL;
		if ((errno = pthread_create(&p->thread[i], NULL, work,
		    w)) != 0)
			gha_die(GHA_EX_NOMEM, "cannot start a thread: %s",
			    strerror(errno));
		p->jobs++;
	}
	return p;
}

/* Wait for the oldest batch in flight and give it to emit(). */
static void
drain_one(struct gha_pool *p, struct gha_in *in)
{
	struct gha_batch *b = &p->b[p->tail % p->nbatch];

	pthread_mutex_lock(&p->lock);
	while (!b->done)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
	p->ops.emit(p->ops.arg, b, in);
	p->tail++;
}

/* Hand the batch just filled to the workers. */
static void
submit(struct gha_pool *p)
{
	struct gha_batch *b = p->filling;

	b->base = b->buf;
	b->done = 0;
	pthread_mutex_lock(&p->lock);
	p->head++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
	p->filling = NULL;
}

/* Copy one line (NULL: a long one, skipped) into the batch. */
static void
add(struct gha_batch *b, const char *line, size_t n)
{
	size_t need;

	b->islong[b->n] = line == NULL;
	if (line != NULL) {
		if ((need = b->len + n + 1) > b->cap) {
			b->cap = need > 2 * b->cap ? need : 2 * b->cap;
			b->buf = gha_erealloc(b->buf, b->cap);
		}
		memcpy(b->buf + b->len, line, n);
		b->buf[b->len + n] = '\n';
		b->len += n + 1;
	}
	b->off[++b->n] = b->len;
}

/*
 * One line of in (NULL: a long one) into the batch being filled, which
 * goes to the workers when full.  A gha_each line() callback, pool its
 * arg; it never asks to stop.
 */
int
gha_pool_line(void *pool, struct gha_in *in, const char *line, size_t n)
{
	struct gha_pool *p = pool;
	struct gha_batch *b = p->filling;

	if (b == NULL) {
		if (p->head - p->tail == p->nbatch)
			drain_one(p, in);
		b = p->filling = &p->b[p->head % p->nbatch];
		b->n = b->len = 0;
		b->off[0] = 0;
		b->lineno = gha_in_lineno(in);
	}
	add(b, line, n);
	if (b->n == BATCH_LINES || b->len >= BATCH_BYTES)
		submit(p);
	return 0;
}

/* The input is read: its last batch to the workers, every result out. */
void
gha_pool_drain(void *pool, struct gha_in *in)
{
	struct gha_pool *p = pool;

	if (p->filling != NULL)
		submit(p);
	while (p->tail != p->head)
		drain_one(p, in);
}

/* Stop the workers (every batch drained) and free everything. */
void
gha_pool_free(struct gha_pool *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->jobs; i++)
		pthread_join(p->thread[i], NULL);
	for (i = 0; i < (int)p->nbatch; i++) {
		if (p->ops.freepriv != NULL)
			p->ops.freepriv(p->b[i].priv);
		gha_batch_free(&p->b[i]);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p->b);
	free(p);
}
