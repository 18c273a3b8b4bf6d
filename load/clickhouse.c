/*
 * clickhouse.c - the ClickHouse sink of gha-load (see sink.h): opening
 * the server's database, the batches of records, closing.  clickhouse.h
 * lists the sink's other files.
 *
 * TARGET is http(s)://HOST[:PORT][/DATABASE] (database "gha" by default),
 * perhaps several servers and ?cluster=NAME (ch_cluster.c);
 * chhttp.c speaks the HTTP interface, reads the credentials from the
 * environment and retries transient failures.
 *
 * Loading.  put turns each record at once into a row of the batch being
 * filled (ch_rows.c), in main()'s thread: a batch keeps rows, not parsed
 * records and their lines.  A batch is full at --batch records or BODY_MAX
 * bytes of rows; the sender thread (worker.c, ch_send.c) then stores it
 * while the next one fills, so that parsing and the server work at once,
 * and memory holds two batches of rows.  A batch is stored atomically and
 * counted once stored; a failed one stops the load, told by the next put.
 * The last flush, and every open, recompute the metrics of the days due
 * (ch_rollup.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clickhouse.h"

#define CH_BATCH	100000	/* default records per batch */

/* Hand the batch being filled to the sender and fill the other one. */
static int
handoff(struct sink *s, struct load_stats *st, char *err)
{
	if (ch_batch_spill(s->fill, err) != 0 ||
	    worker_give(&s->w, s->fill, st, err) != 0)
		return -1;
	s->fill = s->fill == &s->b[0] ? &s->b[1] : &s->b[0];
	ch_batch_reset(s->fill);
	return 0;
}

/*
 * Add record r to the batch being filled; hand it over when it holds -b
 * records or BODY_MAX bytes of rows.  The row is made from r's tokens:
 * the line is not kept.
 */
static int
ch_put(struct sink *s, const struct gha_rec *r, const char *line, size_t n,
    struct load_stats *st, char *err)
{
	(void)line;
	(void)n;
	if (worker_failed(&s->w))
		return worker_wait(&s->w, st, err);
	if (ch_batch_add(s, s->fill, r, err) != 0)
		return -1;
	if (s->fill->nin >= s->batch || s->fill->len + s->fill->body.n >=
	    BODY_MAX)
		return handoff(s, st, err);
	return 0;
}

/* Store the batch being filled, and wait until every batch is stored. */
static int
ch_flush(struct sink *s, int last, struct load_stats *st, char *err)
{
	unsigned long long days;
	double t;

	if (s->fill->nin > 0 && handoff(s, st, err) != 0)
		return -1;
	if (worker_wait(&s->w, st, err) != 0)
		return -1;
	if (!last)
		return 0;
	st->cpu += worker_stop(&s->w);
	/* The metrics of the days stored (and any others due). */
	if (s->defer)
		return 0;
	t = gha_clock(CLOCK_MONOTONIC);
	if (ch_rollup_run(s, &days, err) != 0)
		return -1;
	st->days += days;
	if (days > 0)
		st->days_s += gha_clock(CLOCK_MONOTONIC) - t;
	return 0;
}

static int
ch_close(struct sink *s, char *err)
{
	(void)err;
	if (s == NULL)
		return 0;
	worker_free(&s->w);
	ch_http_close(s->h);
	if (s->send.zinit)
		deflateEnd(&s->send.z);
	ch_batch_free(&s->b[0]);
	ch_batch_free(&s->b[1]);
	free(s->tmp);
	gha_buf_free(&s->sql);
	gha_buf_free(&s->line);
	gha_buf_free(&s->hex);
	gha_buf_free(&s->mark);
	free(s);
	return 0;
}

static struct sink *
ch_open(const char *target, const struct load_opts *o, char *err)
{
	unsigned long long days;
	struct sink *s;

	s = gha_ecalloc(1, sizeof(*s));
	if ((s->h = ch_http_open(target, o->wait, o->cafile, o->notice,
	    s->db, s->cluster, err)) == NULL) {
		free(s);
		return NULL;
	}
	s->batch = o->batch > 0 ? o->batch : CH_BATCH;
	s->fill = &s->b[0];
	s->b[0].fd = s->b[1].fd = -1;
	ch_batch_reset(&s->b[0]);
	ch_batch_reset(&s->b[1]);
	worker_init(&s->w, ch_store, s);
	s->defer = o->defer;
	/* Then the days a killed load or an older gha-load left due. */
	if (ch_cluster_open(s, o->wait, err) != 0 ||
	    ch_schema_make(s, err) != 0 ||
	    (!s->defer && ch_rollup_run(s, &days, err) != 0)) {
		ch_close(s, err);
		return NULL;
	}
	return s;
}

const struct sink_ops clickhouse_sink = {
	.name = "clickhouse",
	.refused = "created_at outside the range it can store",
	.open = ch_open,
	.put = ch_put,
	.flush = ch_flush,
	.close = ch_close,
	.ledger_put = ch_ledger_put,
	.ledger_get = ch_ledger_get,
	.commits_put = ch_commits_put,
};
