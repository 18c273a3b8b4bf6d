/*
 * ch_send.c - a batch of rows stored in ClickHouse: the work of the
 * ClickHouse sink's sender thread (gha-load).
 *
 * A batch is full at --batch records or BODY_MAX bytes of rows (clickhouse.c);
 * the sender thread (worker.c) then stores it while the next one fills,
 * so that parsing and the server work at once:
 *   1. probe: SELECT hex(id), toUInt32(created_at) of event_store within
 *      the batch's created_at range (a primary-key range; for input in
 *      time order, about the batch's own seconds) and skip the rows
 *      already stored, as the answer streams in;
 *   2. INSERT the rest straight into event_store, FORMAT RowBinary with
 *      an explicit column list, sent from the batch's rows as they are
 *      to a server on a loopback address, gzipped to any other (where
 *      the network, not our CPU, is the cost; chhttp.c).
 * One INSERT of fewer than a million rows is one block, stored whole or
 * not at all per partition.  Any transient failure redoes both steps:
 * the probe then sees whatever an earlier attempt did store, so a retry
 * never stores an event twice; the first probe's count is the one
 * reported.  FINAL in `events` covers what no probe can see: two loaders
 * racing on the same events.  Before each attempt and once the batch is
 * stored, its days are marked for ch_rollup.c.  A permanent failure (the
 * server's Code: N) stops the load with nothing of the batch counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "clickhouse.h"

/* The columns we send, in the record's order; `before` is quoted. */
static const char cols[] =
    "id, type, created_at, actor_id, actor_login, repo_id, repo_name, "
    "org_id, org_login, action, ref, ref_type, push_id, commits, "
    "distinct_commits, head, `before`, number, public, src";

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Split an answer that arrives in chunks into lines: line(arg, p, n) for
 * each whole one, a line cut between chunks gathered in carry first.
 * Stops at the first non-zero line() returns, and returns it.
 */
int
ch_each_line(struct gha_buf *carry, const char *p, size_t n,
    int (*line)(void *, const char *, size_t), void *arg)
{
	const char *nl;
	size_t k;
	int rc;

	while (n > 0) {
		if ((nl = memchr(p, '\n', n)) == NULL) {
			gha_buf_add(carry, p, n);
			return 0;
		}
		k = (size_t)(nl - p);
		if (carry->n > 0) {
			gha_buf_add(carry, p, k);
			rc = line(arg, carry->p, carry->n);
			carry->n = 0;
		} else
			rc = line(arg, p, k);
		if (rc != 0)
			return rc;
		p += k + 1;
		n -= k + 1;
	}
	return 0;
}

/* One line of the probe's answer, "HEX(id)\tepoch": skip that row. */
static int
probe_line(void *arg, const char *p, size_t n)
{
	struct sink *s = arg;
	const char *tab = memchr(p, '\t', n);
	struct batch *b = s->cur;
	size_t i, j;
	long long t;
	int hi, lo;

	if (tab == NULL || (tab - p) % 2 != 0)
		return -1;
	s->hex.n = 0;
	for (i = 0; p + i < tab; i += 2) {
		if ((hi = unhex(p[i])) < 0 || (lo = unhex(p[i + 1])) < 0)
			return -1;
		gha_buf_addc(&s->hex, hi << 4 | lo);
	}
	t = 0;
	for (i = (size_t)(tab - p) + 1; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' || t > DT_MAX)
			return -1;
		t = t * 10 + (p[i] - '0');
	}
	j = ch_lookup(b, s->hex.p != NULL ? s->hex.p : "", s->hex.n, t);
	if (b->slot[j] != 0 && !b->skip[b->slot[j] - 1]) {
		b->skip[b->slot[j] - 1] = 1;
		s->matched++;
	}
	return 0;
}

/* ch_writer for the probe: its answer, a line at a time. */
static int
probe_read(const char *p, size_t n, void *arg)
{
	struct sink *s = arg;

	return ch_each_line(&s->line, p, n, probe_line, s);
}

/* The bytes left of the run of rows being sent; the next run's after it. */
static size_t
run(struct send *t)
{
	const struct batch *b = t->b;
	size_t j;

	if (t->pos == t->end) {
		while (t->i < b->n && b->skip[t->i])
			t->i++;
		for (j = t->i; j < b->n && !b->skip[j]; j++)
			;
		t->pos = b->off[t->i];
		t->end = b->off[j];
		t->i = j;
	}
	return t->end - t->pos;
}

/* Up to n bytes of the run into buf; 0 at the end, -1 on an error. */
static ssize_t
get(struct send *t, char *buf, size_t n)
{
	ssize_t r;

	if ((n = n < run(t) ? n : run(t)) == 0)
		return 0;
	while ((r = pread(t->b->fd, buf, n, (off_t)t->pos)) <= 0) {
		if (r < 0 && errno == EINTR)
			continue;
		t->ioerr = r < 0 ? errno : EIO;	/* the file is short */
		return -1;
	}
	t->pos += (size_t)r;
	return r;
}

/* libcurl's read callback: the next bytes of the rows, 0 at the end. */
static size_t
send_plain(char *buf, size_t size, size_t nitems, void *arg)
{
	struct send *t = arg;
	size_t room = size * nitems, k = 0;
	ssize_t m;

	while (k < room && (m = get(t, buf + k, room - k)) != 0) {
		if (m < 0)
			return CURL_READFUNC_ABORT;
		k += (size_t)m;
	}
	return k;
}

/* The same, deflated (gzip, level 1). */
static size_t
send_gzip(char *buf, size_t size, size_t nitems, void *arg)
{
	struct send *t = arg;
	size_t room = size * nitems;
	ssize_t m;
	int rc;

	t->z.next_out = (Bytef *)buf;
	t->z.avail_out = (uInt)(room > (1U << 30) ? 1U << 30 : room);
	do {
		if (t->z.avail_in == 0) {
			if ((m = get(t, t->in, sizeof(t->in))) < 0)
				return CURL_READFUNC_ABORT;
			t->z.next_in = (Bytef *)t->in;
			t->z.avail_in = (uInt)m;
		}
		rc = deflate(&t->z, t->z.avail_in > 0 ? Z_NO_FLUSH : Z_FINISH);
		if (rc == Z_STREAM_END)
			break;
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			t->zerr = rc;
			return CURL_READFUNC_ABORT;
		}
	} while (t->z.avail_out > 0);
	return (size_t)((char *)t->z.next_out - buf);
}

/* INSERT the rows of b not marked in b->skip into table. */
static int
send_batch(struct sink *s, const char *table, struct batch *b, char *err)
{
	struct send *t = &s->send;
	struct gha_buf *q = &s->sql;
	struct ch_body body;
	size_t i;
	int rc;

	t->b = b;
	t->i = t->pos = t->end = 0;
	t->zerr = t->ioerr = 0;
	body.arg = t;
	body.gzip = ch_http_gzip(s->h);
	body.len = (long long)b->len;
	if (body.gzip) {
		body.rd = send_gzip;
		body.len = -1;
		/* Level 1: the server's work, not ours, should be the cost. */
		if (!t->zinit && deflateInit2(&t->z, 1, Z_DEFLATED, 15 + 16,
		    8, Z_DEFAULT_STRATEGY) != Z_OK) {
			snprintf(err, GHA_ERRLEN, "gzip: cannot initialise "
			    "zlib");
			return CH_PERMANENT;
		}
		t->zinit = 1;
		deflateReset(&t->z);
		t->z.avail_in = 0;
	} else {
		body.rd = send_plain;
		for (i = 0; i < b->n; i++)
			if (b->skip[i])
				body.len -= (long long)(b->off[i + 1] -
				    b->off[i]);
	}
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO ");
	gha_buf_adds(q, table);
	gha_buf_adds(q, " (");
	gha_buf_adds(q, cols);
	gha_buf_adds(q, ") FORMAT RowBinary");
	gha_buf_addc(q, '\0');
	rc = ch_http_do(s->h, q->p, NULL, &body, NULL, NULL, err);
	if (t->ioerr != 0) {
		snprintf(err, GHA_ERRLEN, "reading the temporary file: %s",
		    strerror(t->ioerr));
		return CH_PERMANENT;
	}
	if (t->zerr != 0) {
		snprintf(err, GHA_ERRLEN, "gzip: deflate failed (%d)",
		    t->zerr);
		return CH_PERMANENT;
	}
	return rc;
}

/*
 * One attempt at storing batch b: ask which of its identities event_store
 * holds in its time range, mark those in b->skip and count them in
 * s->matched, then insert the rest.  CH_OK, CH_TRANSIENT or CH_PERMANENT;
 * *probed is set once the probe has answered.
 */
static int
attempt(struct sink *s, struct batch *b, int *probed, char *err)
{
	char table[CH_IDENT_MAX + 16];
	struct gha_buf *q = &s->sql;
	char range[160];
	int rc;

	memset(b->skip, 0, b->n);
	s->cur = b;
	s->matched = 0;
	s->line.n = 0;
	snprintf(table, sizeof(table), "%s.event_store", s->db);
	snprintf(range, sizeof(range), " WHERE created_at >= toDateTime(%lld) "
	    "AND created_at <= toDateTime(%lld) FORMAT TabSeparated",
	    (long long)b->lo, (long long)b->hi);
	q->n = 0;
	gha_buf_adds(q, "SELECT hex(id), toUInt32(created_at) FROM ");
	gha_buf_adds(q, table);
	gha_buf_adds(q, range);
	gha_buf_addc(q, '\0');
	if ((rc = ch_http_do(s->h, q->p, NULL, NULL, probe_read, s,
	    err)) != CH_OK)
		return rc;
	if (s->line.n > 0 && probe_line(s, s->line.p, s->line.n) != 0) {
		snprintf(err, GHA_ERRLEN, "%s: unexpected answer to the "
		    "probe of stored events", ch_http_where(s->h));
		return CH_PERMANENT;
	}
	*probed = 1;
	if (s->matched == b->n)
		return CH_OK;		/* all stored already */
	return send_batch(s, table, b, err);
}

/*
 * The sender thread's work (worker.c): store batch b, retrying transient
 * failures; its counts go to *st.
 */
int
ch_store(void *arg, void *batch, struct load_stats *st, char *err)
{
	struct sink *s = arg;
	struct batch *b = batch;
	unsigned long long inserted = 0;
	int64_t *days = NULL;
	uint64_t tok;
	size_t i;
	int rc, k, probed = 0;

	if (b->n > 0) {
		/* The batch's days, marked before and after (ch_rollup.c). */
		tok = ch_rollup_token();
		days = gha_emalloc(b->n * sizeof(*days));
		for (i = 0; i < b->n; i++)
			days[i] = b->created[i];
		for (k = 0;; k++) {
			rc = ch_rollup_mark(s, &s->mark, days, b->n, tok, 0,
			    err);
			if (rc == CH_OK)
				rc = attempt(s, b, &probed, err);
			/*
			 * The first probe is the truth: a later one finds
			 * more when an earlier attempt stored the batch, or
			 * part of it, and then failed.
			 */
			if (probed == 1) {
				inserted = b->n - s->matched;
				probed = 2;
			}
			if (rc == CH_OK)
				break;
			if (rc == CH_PERMANENT ||
			    ch_http_retry(s->h, k, err) != 0)
				goto fail;
		}
		ch_http_done(s->h);
		for (k = 0; (rc = ch_rollup_mark(s, &s->mark, days, b->n, tok,
		    1, err)) != CH_OK; k++)
			if (rc == CH_PERMANENT ||
			    ch_http_retry(s->h, k, err) != 0)
				goto fail;
		ch_http_done(s->h);
		free(days);
	}
	st->inserted += inserted;
	st->duplicates += b->dups + (b->n - inserted);
	st->rejected += b->rejected;
	return 0;
fail:
	free(days);
	return -1;
}
