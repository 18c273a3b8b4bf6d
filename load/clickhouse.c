/*
 * clickhouse.c - the ClickHouse sink of gha-load (see sink.h).
 *
 * TARGET is http(s)://HOST[:PORT][/DATABASE] (database "gha" by default);
 * chhttp.c speaks the HTTP interface, reads the credentials from the
 * environment and retries transient failures.
 *
 * Storage.  event_store holds the flat record (DESIGN.md 3), one column a
 * key, in a ReplacingMergeTree partitioned by month and ordered by the
 * identity (created_at, id), so copies of an event always meet in one
 * partition and a merge keeps one.  The view `events` reads it with FINAL,
 * which de-duplicates at query time too, before any merge: every metric
 * view reads `events`, so counts are exact whatever the state of merges,
 * and whatever happened to a retried insert.  `events` has the columns of
 * SQLite's view of that name (day, repo_owner_lc included); created_at
 * stays a DateTime, which is what ClickHouse users filter on.
 *
 * The SQL works on 18.16 (Debian's server, the one the tests run) and on
 * current servers: no CTE, no CREATE OR REPLACE, no LowCardinality, no
 * settings a server may not know; JOINs spell ALL, which 18.16 requires.
 * The metric views mirror schema.c's SQLite views column for column; they
 * are not shared text because ClickHouse scopes aliases over the whole
 * SELECT (sum(...) AS commits would shadow the column commits), so each
 * view renames its inputs in a subquery first.
 *
 * Loading a batch.  Records whose time a DateTime cannot hold are
 * rejected, and copies of an identity within the batch dropped, in C (a
 * hash of (id, created_at)).  The rest are re-serialised as JSONEachRow
 * (strings are copied as the validated JSON tokens they are, public
 * becomes 0/1, created_at is normalised) and deflated while libcurl sends
 * them, so the server parses one slice while we make the next.  Then:
 *   0. count the rows event_store holds in the batch's created_at range;
 *      none (a first load, the next hours of a daily job): INSERT the
 *      batch straight into event_store, and that is all;
 *   otherwise, in a server session of our own:
 *   1. INSERT the batch into a temporary Memory table `stage`;
 *   2. INSERT INTO `fresh` the rows of stage whose (id, created_at) is not
 *      in event_store within that range;
 *   3. count fresh (= inserted; the rest of the batch were duplicates);
 *   4. INSERT INTO event_store SELECT * FROM fresh.
 * Any transient failure redoes it all in a new session: step 0 or 2 then
 * sees whatever a half-finished earlier attempt did store, so a retry
 * never stores an event twice, and FINAL covers even two loaders racing
 * on the same events.  A permanent failure (the server's Code: N) stops
 * the load with nothing of the batch counted.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <zlib.h>

#include "gha.h"
#include "sink.h"
#include "chhttp.h"

#define CH_BATCH	50000	/* default records per batch */
#define DT_MAX		4294967295LL	/* DateTime is UInt32 seconds */

/*
 * The body of one INSERT, made while libcurl sends it: records serialised
 * a slice at a time and deflated (gzip, level 1) into libcurl's buffer.
 */
struct body {
	const struct gha_rec	*recs;
	const unsigned char	*skip;	/* recs[i] not sent when skip[i] */
	size_t			 n, i;
	struct gha_buf		 json;	/* the current slice */
	z_stream		 z;
	int			 zinit, done, zerr;
};

struct sink {
	struct ch_http	*h;
	char		 db[CH_IDENT_MAX + 1];
	struct gha_buf	 sql, out;
	struct body	 body;
	unsigned char	*skip;		/* per record of the batch */
	size_t		*slot;		/* hash of identities, 0 = free */
	size_t		 cap, nslot;
};

/* The columns we send, in the record's order; `before` is quoted. */
static const char cols[] =
    "id, type, created_at, actor_id, actor_login, repo_id, repo_name, "
    "org_id, org_login, action, ref, ref_type, push_id, commits, "
    "distinct_commits, head, `before`, number, public, src";

/* Column definitions shared by event_store and the temporary tables. */
static const char coldefs[] =
    "id String, type Nullable(String), created_at DateTime('UTC'), "
    "actor_id Nullable(Int64), actor_login Nullable(String), "
    "repo_id Nullable(Int64), repo_name Nullable(String), "
    "org_id Nullable(Int64), org_login Nullable(String), "
    "action Nullable(String), ref Nullable(String), "
    "ref_type Nullable(String), push_id Nullable(Int64), "
    "commits Nullable(Int64), distinct_commits Nullable(Int64), "
    "head Nullable(String), `before` Nullable(String), "
    "number Nullable(Int64), public Nullable(UInt8), src Nullable(String)";

/*
 * The schema, in creation order.  "@" stands for the database name (a
 * checked identifier); "%C" for coldefs.  Views depend on earlier views.
 */
static const char *const schema[] = {
	"CREATE DATABASE IF NOT EXISTS @",

	"CREATE TABLE IF NOT EXISTS @.event_store (%C, "
	"loaded_at DateTime DEFAULT now()) "
	"ENGINE = ReplacingMergeTree "
	"PARTITION BY toYYYYMM(created_at) "
	"ORDER BY (created_at, id)",

	"CREATE VIEW IF NOT EXISTS @.events AS SELECT "
	"id, type, created_at, actor_id, actor_login, repo_id, repo_name, "
	"org_id, org_login, action, ref, ref_type, push_id, commits, "
	"distinct_commits, head, `before`, number, public, src, "
	"toDate(created_at) AS day, "
	"if(position(ifNull(repo_name, ''), '/') > 1, "
	"lower(substring(ifNull(repo_name, ''), 1, "
	"position(ifNull(repo_name, ''), '/') - 1)), NULL) AS repo_owner_lc "
	"FROM @.event_store FINAL",

	"CREATE VIEW IF NOT EXISTS @.dev_daily AS "
	"SELECT d AS day, a AS actor_login, count() AS events, "
	"countIf(t = 'PushEvent') AS pushes, "
	"sumIf(ifNull(c, 1), t = 'PushEvent') AS commits, "
	"toUInt8(countIf(t = 'PushEvent' AND isNull(c)) > 0) "
	"AS commits_estimated "
	"FROM (SELECT day AS d, assumeNotNull(actor_login) AS a, "
	"ifNull(type, '') AS t, commits AS c "
	"FROM @.events WHERE actor_login IS NOT NULL) "
	"GROUP BY d, a",

	"CREATE VIEW IF NOT EXISTS @.devs_more_than_one_commit_daily AS "
	"SELECT day, actor_login, events, pushes, commits, commits_estimated "
	"FROM @.dev_daily WHERE commits > 1",

	"CREATE VIEW IF NOT EXISTS @.devs_less_than_one_commit_daily AS "
	"SELECT day, actor_login, events, pushes, commits, commits_estimated "
	"FROM @.dev_daily WHERE commits < 1",

	"CREATE VIEW IF NOT EXISTS @.repos_more_than_ten_members_daily AS "
	"SELECT d AS day, r AS repo_name, uniqExact(a) AS members "
	"FROM (SELECT day AS d, assumeNotNull(repo_name) AS r, "
	"assumeNotNull(actor_login) AS a FROM @.events "
	"WHERE type = 'PushEvent' AND repo_name IS NOT NULL "
	"AND actor_login IS NOT NULL) "
	"GROUP BY d, r HAVING members > 10",

	"CREATE VIEW IF NOT EXISTS @.devs_owning_multiple_repos AS "
	"SELECT a AS actor_login, n AS repos_owned, rc AS repos_created "
	"FROM (SELECT a, n FROM "
	"(SELECT DISTINCT assumeNotNull(actor_login) AS a, "
	"lower(assumeNotNull(actor_login)) AS o "
	"FROM @.events WHERE actor_login IS NOT NULL) "
	"ALL INNER JOIN "
	"(SELECT assumeNotNull(repo_owner_lc) AS o, "
	"uniqExact(assumeNotNull(repo_name)) AS n "
	"FROM @.events WHERE repo_owner_lc IS NOT NULL "
	"GROUP BY o HAVING n > 1) USING o) "
	"ALL LEFT JOIN "
	"(SELECT assumeNotNull(actor_login) AS a, "
	"uniqExact(assumeNotNull(repo_name)) AS rc "
	"FROM @.events WHERE type = 'CreateEvent' AND ref_type = 'repository' "
	"AND actor_login IS NOT NULL AND repo_name IS NOT NULL "
	"GROUP BY a) USING a",

	"CREATE VIEW IF NOT EXISTS @.daily_summary AS "
	"SELECT d AS day, sum(e) AS events, sum(dv) AS developers, "
	"sum(g1) AS devs_gt1_commit, sum(l1) AS devs_lt1_commit, "
	"sum(rp) AS repos_gt10_members, max(ce) AS commits_estimated "
	"FROM ("
	"SELECT day AS d, count() AS e, toUInt64(0) AS dv, toUInt64(0) AS g1, "
	"toUInt64(0) AS l1, toUInt64(0) AS rp, toUInt8(0) AS ce "
	"FROM @.events GROUP BY day "
	"UNION ALL "
	"SELECT day AS d, toUInt64(0) AS e, count() AS dv, "
	"countIf(commits > 1) AS g1, countIf(commits < 1) AS l1, "
	"toUInt64(0) AS rp, max(commits_estimated) AS ce "
	"FROM @.dev_daily GROUP BY day "
	"UNION ALL "
	"SELECT day AS d, toUInt64(0) AS e, toUInt64(0) AS dv, "
	"toUInt64(0) AS g1, toUInt64(0) AS l1, count() AS rp, "
	"toUInt8(0) AS ce "
	"FROM @.repos_more_than_ten_members_daily GROUP BY day"
	") GROUP BY d",
	NULL
};

/* Expand "@" (the database) and "%C" (coldefs) of tmpl into b. */
static void
expand(struct gha_buf *b, const struct sink *s, const char *tmpl)
{
	const char *p;

	b->n = 0;
	for (p = tmpl; *p != '\0'; p++) {
		if (*p == '@')
			gha_buf_adds(b, s->db);
		else if (p[0] == '%' && p[1] == 'C') {
			gha_buf_adds(b, coldefs);
			p++;
		} else
			gha_buf_addc(b, *p);
	}
	gha_buf_addc(b, '\0');
}

static struct sink *
ch_open(const char *target, const struct load_opts *o, char *err)
{
	struct sink *s;
	int i;

	s = ecalloc(1, sizeof(*s));
	if ((s->h = ch_http_open(target, o->wait, s->db, err)) == NULL) {
		free(s);
		return NULL;
	}
	for (i = 0; schema[i] != NULL; i++) {
		expand(&s->sql, s, schema[i]);
		if (ch_http_query(s->h, s->sql.p, NULL, err) != 0)
			goto fail;
	}
	return s;
fail:
	ch_http_close(s->h);
	gha_buf_free(&s->sql);
	free(s);
	return NULL;
}

/* Append the JSON value of field f of r, or null. */
static void
addval(struct gha_buf *b, const struct gha_rec *r, int f)
{
	const struct gha_jtok *t = &r->f[f];

	if (t->type == GHA_J_NONE || t->type == GHA_J_NULL)
		gha_buf_add(b, "null", 4);
	else if (t->type == GHA_J_TRUE)
		gha_buf_addc(b, '1');
	else if (t->type == GHA_J_FALSE)
		gha_buf_addc(b, '0');
	else
		gha_buf_add(b, t->p, t->n);	/* validated JSON */
}

/* Serialise one record as a JSONEachRow line, keys in cols[] order. */
static void
addrec(struct gha_buf *b, const struct gha_rec *r)
{
	char ts[21];
	int f;

	gha_time_format(r->created, ts);
	for (f = 0; f < GHA_R_NFIELDS; f++) {
		gha_buf_addc(b, f == 0 ? '{' : ',');
		gha_buf_addc(b, '"');
		gha_buf_adds(b, gha_rec_cols[f].name);
		gha_buf_add(b, "\":", 2);
		if (f == GHA_R_CREATED_AT) {
			gha_buf_addc(b, '"');
			gha_buf_adds(b, ts);
			gha_buf_addc(b, '"');
		} else
			addval(b, r, f);
	}
	gha_buf_add(b, "}\n", 2);
}

/* Start (or restart, for a retry) the body over the batch. */
static int
body_start(struct body *b, const struct gha_rec *recs,
    const unsigned char *skip, size_t n, char *err)
{
	if (b->zinit)
		deflateEnd(&b->z);
	b->zinit = 0;
	memset(&b->z, 0, sizeof(b->z));
	/* Level 1: the server's parse, not our deflate, should be the cost. */
	if (deflateInit2(&b->z, 1, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		snprintf(err, GHA_ERRLEN, "gzip: cannot initialise zlib");
		return -1;
	}
	b->zinit = 1;
	b->recs = recs;
	b->skip = skip;
	b->n = n;
	b->i = 0;
	b->json.n = 0;
	b->done = b->zerr = 0;
	return 0;
}

/* libcurl's read callback: the next bytes of gzip data, 0 at the end. */
static size_t
body_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct body *b = arg;
	size_t room = size * nitems;
	int rc, flush;

	if (b->done)
		return 0;
	b->z.next_out = (Bytef *)buf;
	b->z.avail_out = (uInt)(room > (1U << 30) ? 1U << 30 : room);
	for (;;) {
		if (b->z.avail_in == 0 && b->i < b->n) {
			b->json.n = 0;
			while (b->i < b->n && b->json.n < (64U << 10)) {
				if (!b->skip[b->i])
					addrec(&b->json, &b->recs[b->i]);
				b->i++;
			}
			b->z.next_in = (Bytef *)b->json.p;
			b->z.avail_in = (uInt)b->json.n;
		}
		flush = b->i < b->n ? Z_NO_FLUSH : Z_FINISH;
		rc = deflate(&b->z, flush);
		if (rc == Z_STREAM_END) {
			b->done = 1;
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			b->zerr = rc;
			return CURL_READFUNC_ABORT;
		}
		if (b->z.avail_out == 0)
			break;
	}
	return (size_t)((char *)b->z.next_out - buf);
}

/* Run one statement of a batch (no retry here: the batch retries). */
static int
run(struct sink *s, const char *sql, struct gha_buf *out, char *err)
{
	return ch_http_do(s->h, sql, NULL, NULL, NULL, out, err);
}

/* Send the batch as the body of INSERT INTO table. */
static int
send_batch(struct sink *s, const char *table, const struct gha_rec *recs,
    size_t n, char *err)
{
	struct gha_buf *q = &s->sql;
	int rc;

	if (body_start(&s->body, recs, s->skip, n, err) != 0)
		return CH_PERMANENT;
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO ");
	gha_buf_adds(q, table);
	gha_buf_adds(q, " (");
	gha_buf_adds(q, cols);
	gha_buf_adds(q, ") FORMAT JSONEachRow");
	gha_buf_addc(q, '\0');
	rc = ch_http_do(s->h, q->p, "date_time_input_format=best_effort",
	    body_read, &s->body, NULL, err);
	if (s->body.zerr != 0) {
		snprintf(err, GHA_ERRLEN, "gzip: deflate failed (%d)",
		    s->body.zerr);
		return CH_PERMANENT;
	}
	return rc;
}

/* SELECT count() ...: the number, or -1 and *rc when the request failed. */
static long long
count(struct sink *s, const char *sql, int *rc, char *err)
{
	s->out.n = 0;
	if ((*rc = run(s, sql, &s->out, err)) != CH_OK)
		return -1;
	gha_buf_addc(&s->out, '\0');
	return strtoll(s->out.p, NULL, 10);
}

/*
 * One attempt at storing the batch (created_at within [lo, hi]); see the
 * top comment.  *empty is set when the range held nothing, *fresh to the
 * count of new records once known.  CH_OK, CH_TRANSIENT or CH_PERMANENT.
 */
static int
attempt(struct sink *s, const struct gha_rec *recs, size_t n, int64_t lo,
    int64_t hi, int *empty, long long *fresh, char *err)
{
	struct gha_buf *q = &s->sql;
	char range[128], table[CH_IDENT_MAX + 16];
	long long c;
	int rc;

	snprintf(range, sizeof(range), " WHERE created_at >= toDateTime(%lld) "
	    "AND created_at <= toDateTime(%lld)", (long long)lo,
	    (long long)hi);
	snprintf(table, sizeof(table), "%s.event_store", s->db);

	/* Nothing stored in the batch's time range: insert straight. */
	q->n = 0;
	gha_buf_adds(q, "SELECT count() FROM ");
	gha_buf_adds(q, table);
	gha_buf_adds(q, range);
	gha_buf_addc(q, '\0');
	if ((c = count(s, q->p, &rc, err)) < 0)
		return rc;
	if (c == 0) {
		*empty = 1;
		return send_batch(s, table, recs, n, err);
	}

#define RUN(sql) do {							\
		if ((rc = run(s, (sql), NULL, err)) != CH_OK)		\
			return rc;					\
	} while (0)

	expand(q, s, "CREATE TEMPORARY TABLE IF NOT EXISTS stage (%C) "
	    "ENGINE = Memory");
	RUN(q->p);
	expand(q, s, "CREATE TEMPORARY TABLE IF NOT EXISTS fresh (%C) "
	    "ENGINE = Memory");
	RUN(q->p);
	RUN("TRUNCATE TABLE stage");
	RUN("TRUNCATE TABLE fresh");

	/* 1. The batch, into stage. */
	if ((rc = send_batch(s, "stage", recs, n, err)) != CH_OK)
		return rc;

	/* 2. What event_store lacks (the batch has no identity twice). */
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO fresh SELECT ");
	gha_buf_adds(q, cols);
	gha_buf_adds(q, " FROM stage WHERE (id, created_at) NOT IN "
	    "(SELECT id, created_at FROM ");
	gha_buf_adds(q, table);
	gha_buf_adds(q, range);
	gha_buf_addc(q, ')');
	gha_buf_addc(q, '\0');
	RUN(q->p);

	/* 3. How many that is. */
	if ((*fresh = count(s, "SELECT count() FROM fresh", &rc, err)) < 0)
		return rc;

	/* 4. Store them. */
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO ");
	gha_buf_adds(q, table);
	gha_buf_adds(q, " (");
	gha_buf_adds(q, cols);
	gha_buf_adds(q, ") SELECT ");
	gha_buf_adds(q, cols);
	gha_buf_adds(q, " FROM fresh");
	gha_buf_addc(q, '\0');
	RUN(q->p);

	/* Give the memory back now, not when the session times out. */
	RUN("TRUNCATE TABLE stage");
	RUN("TRUNCATE TABLE fresh");
#undef RUN
	return CH_OK;
}

/* FNV-1a of a record's identity: the id token's bytes and created. */
static size_t
idhash(const struct gha_rec *r)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)r->created;
	size_t i;

	for (i = 0; i < r->f[GHA_R_ID].n; i++) {
		h ^= (unsigned char)r->f[GHA_R_ID].p[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ h >> 29);
}

/*
 * Mark in s->skip the records not to send: a time DateTime cannot hold
 * (counted in *rejected) or an identity seen earlier in the batch (in
 * *dups).  Returns the number to send; [*lo, *hi] is their time range.
 */
static size_t
mark(struct sink *s, const struct gha_rec *recs, size_t n,
    unsigned long long *rejected, unsigned long long *dups, int64_t *lo,
    int64_t *hi)
{
	const struct gha_rec *r, *o;
	size_t i, j, sent = 0;

	if (n > s->cap) {
		s->skip = erealloc(s->skip, n);
		s->cap = n;
	}
	if (s->nslot < 2 * n) {
		free(s->slot);
		s->nslot = 16;
		while (s->nslot < 2 * n)
			s->nslot *= 2;
		s->slot = emalloc(s->nslot * sizeof(*s->slot));
	}
	memset(s->slot, 0, s->nslot * sizeof(*s->slot));
	*lo = DT_MAX;
	*hi = 0;
	for (i = 0; i < n; i++) {
		r = &recs[i];
		s->skip[i] = 1;
		if (r->created < 0 || r->created > DT_MAX) {
			(*rejected)++;
			continue;
		}
		for (j = idhash(r) & (s->nslot - 1); s->slot[j] != 0;
		    j = (j + 1) & (s->nslot - 1)) {
			o = &recs[s->slot[j] - 1];
			if (o->created == r->created &&
			    o->f[GHA_R_ID].n == r->f[GHA_R_ID].n &&
			    memcmp(o->f[GHA_R_ID].p, r->f[GHA_R_ID].p,
			    r->f[GHA_R_ID].n) == 0)
				break;
		}
		if (s->slot[j] != 0) {
			(*dups)++;
			continue;
		}
		s->slot[j] = i + 1;
		s->skip[i] = 0;
		sent++;
		if (r->created < *lo)
			*lo = r->created;
		if (r->created > *hi)
			*hi = r->created;
	}
	return sent;
}

static int
ch_write(struct sink *s, const struct gha_rec *recs, size_t n,
    struct load_stats *st, char *err)
{
	unsigned long long rejected = 0, dups = 0, inserted = 0;
	long long fresh, first = -1;
	int64_t lo, hi;
	size_t sent;
	int rc, k, empty = 0;

	sent = mark(s, recs, n, &rejected, &dups, &lo, &hi);
	if (sent > 0) {
		ch_http_session(s->h, 0);
		for (k = 0;; k++) {
			fresh = -1;
			rc = attempt(s, recs, n, lo, hi, &empty, &fresh, err);
			/*
			 * The first count is the truth: a later attempt finds
			 * fewer when an earlier one stored part of the batch
			 * and then failed.
			 */
			if (first < 0)
				first = fresh;
			if (rc == CH_OK)
				break;
			ch_http_session(s->h, 1);
			if (rc == CH_PERMANENT ||
			    ch_http_retry(s->h, k, err) != 0)
				return -1;
		}
		ch_http_done(s->h);
		/* An empty range once means every record was new. */
		inserted = empty ? sent : (unsigned long long)first;
	}
	st->inserted += inserted;
	st->duplicates += dups + (sent - inserted);
	st->rejected += rejected;
	return 0;
}

static int
ch_close(struct sink *s, char *err)
{
	(void)err;
	if (s == NULL)
		return 0;
	ch_http_close(s->h);
	if (s->body.zinit)
		deflateEnd(&s->body.z);
	gha_buf_free(&s->body.json);
	gha_buf_free(&s->sql);
	gha_buf_free(&s->out);
	free(s->skip);
	free(s->slot);
	free(s);
	return 0;
}

const struct sink_ops clickhouse_sink = {
	"clickhouse", CH_BATCH, ch_open, ch_write, ch_close
};
