/*
 * ch_ledger.c - the hour ledger in ClickHouse (see ledger.c).
 *
 * archive_hours, archive_days and archive_sources (ch_schema.c) are
 * ReplacingMergeTrees keyed by hour, day, and hour and source, whose
 * version is the time of the write in nanoseconds, read with FINAL: a
 * row stored again replaces the one before, before any merge, and a
 * retried INSERT (the same rows, the same versions) changes nothing.
 * Rows go in as JSONEachRow, and come back as TabSeparated lines to the
 * callback as they arrive; a read is retried only while no row has
 * reached the callback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clickhouse.h"

/* "YYYY-MM-DDTHH:MM:SSZ" as ClickHouse's DateTime text. */
static void
addtime(struct gha_buf *b, const char *iso)
{
	gha_buf_addc(b, '"');
	gha_buf_add(b, iso, 10);
	gha_buf_addc(b, ' ');
	gha_buf_add(b, iso + 11, 8);
	gha_buf_addc(b, '"');
}

static void
addnum(struct gha_buf *b, const char *key, long long v)
{
	gha_buf_adds(b, key);
	if (v >= 0)
		gha_buf_addint(b, v);
	else
		gha_buf_adds(b, "null");
}

/* A source's row of an hour, as JSONEachRow. */
static void
source_row(struct gha_buf *q, const struct ledger_row *r, const char *at,
    uint64_t version)
{
	char key[16];

	gha_hour_format(r->epoch, key);
	gha_buf_adds(q, "{\"hour\":");
	gha_buf_addjstr(q, key, strlen(key));
	gha_buf_adds(q, ",\"source\":");
	gha_buf_addjstr(q, r->source, strlen(r->source));
	gha_buf_adds(q, ",\"status\":");
	gha_buf_addjstr(q, r->status, strlen(r->status));
	addnum(q, ",\"events\":", r->events);
	addnum(q, ",\"only_events\":", r->only);
	addnum(q, ",\"bytes\":", r->bytes);
	gha_buf_adds(q, ",\"sha256\":");
	if (r->sha256[0] != '\0')
		gha_buf_addjstr(q, r->sha256, strlen(r->sha256));
	else
		gha_buf_adds(q, "null");
	gha_buf_adds(q, ",\"loaded_at\":");
	addtime(q, at);
	gha_buf_adds(q, ",\"version\":");
	gha_buf_addint(q, (int64_t)version);
	gha_buf_adds(q, "}\n");
}

int
ch_ledger_put(struct sink *s, const struct ledger_row *rows, size_t n,
    char *err)
{
	struct gha_buf *q = &s->sql;
	struct timespec ts;
	uint64_t version;
	char key[21], at[21];
	size_t i;
	int k;

	clock_gettime(CLOCK_REALTIME, &ts);
	version = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	gha_time_format((int64_t)ts.tv_sec, at);	/* loaded_at */
	for (k = 0; k < 3; k++) {
		q->n = 0;
		gha_buf_adds(q, "INSERT INTO ");
		gha_buf_adds(q, s->db);
		gha_buf_adds(q, k == 0 ? ".archive_hours (hour, status, "
		    "events, bad_lines, bytes, sha256, loaded_at, version, "
		    "first, last, utc, utc_hours, union_events, id_gap) " :
		    k == 1 ? ".archive_days (day, final, version) " :
		    ".archive_sources (hour, source, status, events, "
		    "only_events, bytes, sha256, loaded_at, version) ");
		gha_buf_adds(q, "FORMAT JSONEachRow\n");
		for (i = 0; i < n; i++) {
			if (rows[i].isday != (k == 1) ||
			    (rows[i].source[0] != '\0') != (k == 2))
				continue;
			if (k == 2) {
				source_row(q, &rows[i], at, version + i);
				continue;
			}
			if (k == 0)
				gha_hour_format(rows[i].epoch, key);
			else {
				gha_time_format(rows[i].epoch, key);
				key[10] = '\0';
			}
			gha_buf_adds(q, k == 0 ? "{\"hour\":" : "{\"day\":");
			gha_buf_addjstr(q, key, strlen(key));
			if (k == 0) {
				gha_buf_adds(q, ",\"status\":");
				gha_buf_addjstr(q, rows[i].status,
				    strlen(rows[i].status));
				addnum(q, ",\"events\":", rows[i].events);
				addnum(q, ",\"bad_lines\":", rows[i].bad_lines);
				addnum(q, ",\"bytes\":", rows[i].bytes);
				gha_buf_adds(q, ",\"sha256\":");
				if (rows[i].sha256[0] != '\0')
					gha_buf_addjstr(q, rows[i].sha256,
					    strlen(rows[i].sha256));
				else
					gha_buf_adds(q, "null");
				gha_buf_adds(q, ",\"loaded_at\":");
				addtime(q, at);
				addnum(q, ",\"first\":", rows[i].first);
				addnum(q, ",\"last\":", rows[i].last);
				gha_buf_adds(q, ",\"utc\":");
				gha_buf_addint(q, rows[i].utc);
				gha_buf_adds(q, ",\"utc_hours\":");
				gha_buf_addint(q, rows[i].utc_hours);
				addnum(q, ",\"union_events\":",
				    rows[i].union_events);
				addnum(q, ",\"id_gap\":", rows[i].id_gap);
			} else
				addnum(q, ",\"final\":", rows[i].final);
			gha_buf_adds(q, ",\"version\":");
			gha_buf_addint(q, (int64_t)(version + i));
			gha_buf_adds(q, "}\n");
		}
		gha_buf_addc(q, '\0');
		if (strchr(strchr(q->p, '\n'), '{') == NULL)
			continue;	/* no row of this kind */
		/* archive_sources is whole on every node of a cluster */
		if (ch_http_ask(s->h, q->p, k == 2 ? s->aggparams : NULL,
		    NULL, 0, err) != 0)
			return -1;
	}
	return 0;
}

/* Reading the ledger: TSV lines to the callback as they arrive. */
struct ledger_read {
	struct gha_buf	 line;
	ledger_fn	 cb;
	void		*arg;
	int		 isday, bad, stop;
	unsigned long	 delivered;	/* rows given to cb */
};

/* Copy TSV field f (no escapes in our values), "" for \N. */
static void
tsvfield(const char *p, size_t n, char *buf, size_t size)
{
	if (n == 2 && p[0] == '\\' && p[1] == 'N')
		n = 0;
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

/* A count field: -1 for \N. */
static int64_t
tsvcount(const char *p, size_t n)
{
	char num[24];

	tsvfield(p, n, num, sizeof(num));
	return num[0] == '\0' ? -1 : strtoll(num, NULL, 10);
}

/* hour, source, status, events, only_events, bytes, sha256, loaded_at */
static int
source_line(struct ledger_read *rd, struct ledger_row *r, const char **f,
    const size_t *len)
{
	char key[16];

	tsvfield(f[0], len[0], key, sizeof(key));
	if (gha_hour_parse(key, strlen(key), &r->epoch) != 0)
		return -1;
	tsvfield(f[1], len[1], r->source, sizeof(r->source));
	tsvfield(f[2], len[2], r->status, sizeof(r->status));
	r->events = tsvcount(f[3], len[3]);
	r->only = tsvcount(f[4], len[4]);
	r->bytes = tsvcount(f[5], len[5]);
	tsvfield(f[6], len[6], r->sha256, sizeof(r->sha256));
	gha_time_format(tsvcount(f[7], len[7]), r->loaded_at);
	rd->delivered++;
	if (rd->cb(r, rd->arg) != 0)
		rd->stop = 1;
	return 0;
}

static int
ledger_line(struct ledger_read *rd, const char *p, size_t n)
{
	struct ledger_row r;
	const char *f[14];
	size_t len[14], i, k = 0;
	char num[24], key[16];
	long long v[3];
	int64_t t;

	f[0] = p;
	for (i = 0; i < n && k < 14; i++)
		if (p[i] == '\t') {
			len[k] = (size_t)(p + i - f[k]);
			if (++k < 14)
				f[k] = p + i + 1;
		}
	if (k >= 14)
		return -1;
	len[k] = (size_t)(p + n - f[k]);
	if (k != (rd->isday == 1 ? 1 : rd->isday == 2 ? 7 : 12))
		return -1;
	memset(&r, 0, sizeof(r));
	r.union_events = r.id_gap = r.only = r.bad_lines = -1;
	if (rd->isday == 2)
		return source_line(rd, &r, f, len);
	r.isday = rd->isday;
	tsvfield(f[0], len[0], key, sizeof(key));
	if (rd->isday) {
		if (strlen(key) != 10)
			return -1;
		memcpy(key + 10, "-0", 3);
	}
	if (gha_hour_parse(key, strlen(key), &r.epoch) != 0)
		return -1;
	if (rd->isday)
		r.final = len[1] == 1 && f[1][0] == '1';
	else {
		tsvfield(f[1], len[1], r.status, sizeof(r.status));
		for (i = 0; i < 3; i++) {
			tsvfield(f[2 + i], len[2 + i], num, sizeof(num));
			v[i] = num[0] == '\0' ? -1 : strtoll(num, NULL, 10);
		}
		r.events = v[0];
		r.bad_lines = v[1];
		r.bytes = v[2];
		tsvfield(f[5], len[5], r.sha256, sizeof(r.sha256));
		tsvfield(f[6], len[6], num, sizeof(num));
		t = strtoll(num, NULL, 10);
		gha_time_format(t, r.loaded_at);
		for (i = 0; i < 4; i++) {
			tsvfield(f[7 + i], len[7 + i], num, sizeof(num));
			t = num[0] == '\0' ? -1 : strtoll(num, NULL, 10);
			if (i == 0)
				r.first = t;
			else if (i == 1)
				r.last = t;
			else if (i == 2)
				r.utc = t;
			else
				r.utc_hours = (int)t;
		}
		for (i = 0; i < 2; i++) {
			tsvfield(f[11 + i], len[11 + i], num, sizeof(num));
			t = num[0] == '\0' ? -1 : strtoll(num, NULL, 10);
			*(i == 0 ? &r.union_events : &r.id_gap) = t;
		}
	}
	rd->delivered++;
	if (rd->cb(&r, rd->arg) != 0)
		rd->stop = 1;
	return 0;
}

/* A line of the ledger's answer; a bad one is remembered, not fatal. */
static int
ledger_each(void *arg, const char *p, size_t n)
{
	struct ledger_read *rd = arg;

	if (ledger_line(rd, p, n) != 0)
		rd->bad = 1;
	return rd->stop;
}

/* ch_writer for the ledger: its answer, a line at a time, until cb stops. */
static int
ledger_chunk(const char *p, size_t n, void *arg)
{
	struct ledger_read *rd = arg;

	if (!rd->stop)
		ch_each_line(&rd->line, p, n, ledger_each, rd);
	return 0;
}

int
ch_ledger_get(struct sink *s, ledger_fn cb, void *arg, char *err)
{
	struct ledger_read rd;
	struct gha_buf *q = &s->sql;
	int k, attempt, rc;

	memset(&rd, 0, sizeof(rd));
	rd.cb = cb;
	rd.arg = arg;
	for (k = 0; k < 3 && !rd.stop; k++) {
		q->n = 0;
		/*
		 * archive_hours FINAL in a subquery: on 18.16 a Distributed
		 * table's FINAL sorted by an expression fails on 2 shards
		 * or more (Code 8, no column version).
		 */
		gha_buf_adds(q, k == 0 ? "SELECT hour, status, events, "
		    "bad_lines, bytes, sha256, toUInt32(loaded_at), first, "
		    "last, utc, utc_hours, union_events, id_gap FROM (SELECT "
		    "* FROM " :
		    k == 1 ? "SELECT day, final FROM " :
		    "SELECT hour, source, status, events, only_events, bytes, "
		    "sha256, toUInt32(loaded_at) FROM ");
		gha_buf_adds(q, s->db);
		gha_buf_adds(q, k == 0 ? ".archive_hours FINAL) ORDER BY "
		    "toDate(substring(hour, 1, 10)), "
		    "toUInt8(substring(hour, 12, 2)) FORMAT TabSeparated" :
		    k == 1 ?
		    ".archive_days FINAL ORDER BY day FORMAT TabSeparated" :
		    ".archive_sources FINAL ORDER BY "
		    "toDate(substring(hour, 1, 10)), "
		    "toUInt8(substring(hour, 12, 2)), source "
		    "FORMAT TabSeparated");
		gha_buf_addc(q, '\0');
		rd.isday = k;
		/* Retried only while no row has reached cb. */
		for (attempt = 0;; attempt++) {
			rd.line.n = 0;
			rc = ch_http_do(s->h, q->p, NULL, NULL,
			    ledger_chunk, &rd, err);
			if (rc == CH_OK)
				break;
			if (rc == CH_PERMANENT || rd.delivered > 0 ||
			    ch_http_retry(s->h, attempt, err) != 0) {
				gha_buf_free(&rd.line);
				return -1;
			}
		}
		ch_http_done(s->h);
		if (rd.bad || rd.line.n > 0) {
			snprintf(err, GHA_ERRLEN, "%s: unexpected answer to "
			    "the ledger query", ch_http_where(s->h));
			gha_buf_free(&rd.line);
			return -1;
		}
	}
	gha_buf_free(&rd.line);
	return 0;
}
