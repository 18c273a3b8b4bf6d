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
 * Loading a batch.  The records are re-serialised as JSONEachRow (strings
 * are copied as the validated JSON tokens they are; public becomes 0/1;
 * created_at is normalised), gzipped once, and then, in a server session
 * of our own:
 *   1. INSERT the batch into a temporary Memory table `stage`;
 *   2. INSERT INTO `fresh` the rows of stage whose (id, created_at) is not
 *      in event_store within the batch's time range, one per identity;
 *   3. count fresh (= inserted; the rest of the batch were duplicates);
 *   4. INSERT INTO event_store SELECT * FROM fresh.
 * Any transient failure redoes all four in a new session: step 2 then
 * leaves out whatever a half-finished earlier attempt did store, so a
 * retry never stores an event twice, and FINAL covers even two loaders
 * racing on the same events.  A permanent failure (the server's Code: N)
 * stops the load with nothing of the batch counted.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "gha.h"
#include "sink.h"
#include "chhttp.h"

#define CH_BATCH	50000	/* default records per batch */
#define DT_MAX		4294967295LL	/* DateTime is UInt32 seconds */

struct sink {
	struct ch_http	*h;
	char		 db[CH_IDENT_MAX + 1];
	struct gha_buf	 json, gz, sql, out;
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

/* gzip in[0..n) into out.  0, or -1 + err. */
static int
gzip_buf(struct gha_buf *out, const void *in, size_t n, char *err)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	/* Level 1: the server's parse, not our deflate, should be the cost. */
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		snprintf(err, GHA_ERRLEN, "gzip: cannot initialise zlib");
		return -1;
	}
	out->n = 0;
	if (out->cap < deflateBound(&z, n)) {
		out->p = erealloc(out->p, deflateBound(&z, n));
		out->cap = deflateBound(&z, n);
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->p;
	z.avail_out = (uInt)out->cap;
	rc = deflate(&z, Z_FINISH);
	out->n = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		snprintf(err, GHA_ERRLEN, "gzip: deflate failed (%d)", rc);
		return -1;
	}
	return 0;
}

/*
 * One attempt at steps 1-4 of the top comment over s->gz (a gzipped batch
 * with created_at in [lo, hi]).  *fresh gets the count of step 3 when the
 * attempt gets that far (else it is left alone).
 * Returns CH_OK, CH_TRANSIENT or CH_PERMANENT.
 */
static int
attempt(struct sink *s, int64_t lo, int64_t hi, unsigned long long *fresh,
    char *err)
{
	struct gha_buf *q = &s->sql;
	char tmp[256];
	int rc;

#define RUN(sql) do {							\
		if ((rc = ch_http_do(s->h, (sql), NULL, NULL, 0, NULL,	\
		    err)) != CH_OK)					\
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
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO stage (");
	gha_buf_adds(q, cols);
	gha_buf_adds(q, ") FORMAT JSONEachRow");
	gha_buf_addc(q, '\0');
	if ((rc = ch_http_do(s->h, q->p, "date_time_input_format=best_effort",
	    s->gz.p, s->gz.n, NULL, err)) != CH_OK)
		return rc;

	/* 2. What event_store lacks, once per identity. */
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO fresh SELECT ");
	gha_buf_adds(q, cols);
	gha_buf_adds(q, " FROM stage WHERE (id, created_at) NOT IN "
	    "(SELECT id, created_at FROM ");
	gha_buf_adds(q, s->db);
	snprintf(tmp, sizeof(tmp), ".event_store WHERE created_at >= "
	    "toDateTime(%lld) AND created_at <= toDateTime(%lld)) "
	    "LIMIT 1 BY id, created_at", (long long)lo, (long long)hi);
	gha_buf_adds(q, tmp);
	gha_buf_addc(q, '\0');
	RUN(q->p);

	/* 3. How many that is. */
	s->out.n = 0;
	if ((rc = ch_http_do(s->h, "SELECT count() FROM fresh", NULL, NULL, 0,
	    &s->out, err)) != CH_OK)
		return rc;
	gha_buf_addc(&s->out, '\0');
	*fresh = strtoull(s->out.p, NULL, 10);

	/* 4. Store them. */
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO ");
	gha_buf_adds(q, s->db);
	gha_buf_adds(q, ".event_store (");
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

static int
ch_write(struct sink *s, const struct gha_rec *recs, size_t n,
    struct load_stats *st, char *err)
{
	unsigned long long fresh, first = 0, rejected = 0;
	const unsigned long long unset = (unsigned long long)-1;
	int64_t lo = DT_MAX, hi = 0;
	size_t i, sent = 0;
	int rc, k, counted = 0;

	s->json.n = 0;
	for (i = 0; i < n; i++) {
		/* DateTime cannot hold it; the server would fail the batch. */
		if (recs[i].created < 0 || recs[i].created > DT_MAX) {
			rejected++;
			continue;
		}
		if (recs[i].created < lo)
			lo = recs[i].created;
		if (recs[i].created > hi)
			hi = recs[i].created;
		addrec(&s->json, &recs[i]);
		sent++;
	}
	if (sent == 0) {
		st->rejected += rejected;
		return 0;
	}
	if (gzip_buf(&s->gz, s->json.p, s->json.n, err) != 0)
		return -1;

	ch_http_session(s->h, 0);
	for (k = 0;; k++) {
		fresh = unset;
		rc = attempt(s, lo, hi, &fresh, err);
		/*
		 * The first count is the truth: a later attempt finds fewer
		 * when an earlier one stored part of the batch and failed.
		 */
		if (!counted && fresh != unset) {
			first = fresh;
			counted = 1;
		}
		if (rc == CH_OK)
			break;
		ch_http_session(s->h, 1);
		if (rc == CH_PERMANENT || ch_http_retry(s->h, k, err) != 0)
			return -1;
	}
	ch_http_done(s->h);
	st->inserted += first;
	st->duplicates += sent - first;
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
	gha_buf_free(&s->json);
	gha_buf_free(&s->gz);
	gha_buf_free(&s->sql);
	gha_buf_free(&s->out);
	free(s);
	return 0;
}

const struct sink_ops clickhouse_sink = {
	"clickhouse", CH_BATCH, ch_open, ch_write, ch_close
};
