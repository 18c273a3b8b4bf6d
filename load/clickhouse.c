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
 * The hour ledger (archive_hours, archive_days, daily_coverage) is made at
 * open with the rest, before daily_summary, which reads it.  ClickHouse
 * keeps no schema version: a view whose columns changed since an earlier
 * gha-load (changed[]) is dropped and created anew.
 *
 * The SQL works on 18.16 (Debian's server, the one the tests run) and on
 * current servers: no CTE, no CREATE OR REPLACE, no LowCardinality, no
 * settings a server may not know; JOINs spell ALL, which 18.16 requires,
 * and every joined subquery has an alias, which current servers require
 * (joined_subquery_requires_alias, on by default there; Code 206).
 * The metric views mirror schema.c's SQLite views column for column; they
 * are not shared text because ClickHouse scopes aliases over the whole
 * SELECT (sum(...) AS commits would shadow the column commits), so each
 * view renames its inputs in a subquery first.
 *
 * Loading a batch.  The sink makes its own batches (sink.h): main hands
 * it slices of parsed records, and each record becomes at once a row of
 * the batch being filled, in RowBinary (strings decoded, integers
 * binary): 18.16 spent about a third less CPU on it than on the same
 * rows as JSON.  The rows wait in an unlinked temporary file, memory
 * keeping only their identities: a batch of 100,000 rows, which costs
 * the server far less than three of 33,000 (fewer parts to write and
 * merge), then needs about 3 MB of memory, not its rows' 19 MB.  Records whose time a DateTime
 * cannot hold are rejected, and copies of an identity within the batch
 * dropped (a hash of (id, created_at)).  A batch is full at --batch records
 * or BODY_MAX bytes of rows; a sender thread then stores it while the
 * next one fills, so that parsing and the server work at once:
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
 * racing on the same events.  A permanent failure (the server's Code: N)
 * stops the load with nothing of the batch counted.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <zlib.h>

#include "gha.h"
#include "sink.h"
#include "chhttp.h"

#define CH_BATCH	100000	/* default records per batch */
#define CH_SLICE	512	/* records per write (sink.h) */
#define BODY_MAX	(64U << 20)	/* a batch's rows, at most (bytes) */
#define SPILL		(256U << 10)	/* rows kept before a write(2) */
/* A row's offset in its batch is a uint32_t: BODY_MAX + the longest row. */
#define DT_MAX		4294967295LL	/* DateTime is UInt32 seconds */

/*
 * A batch: its rows in RowBinary, the body of its INSERT as it will be
 * sent, in an unlinked temporary file (the last SPILL bytes or so still
 * in body); row i is bytes [off[i], off[i + 1]) of the file.  Memory
 * keeps what the probe needs: row i's id (decoded) is ids[idoff[i],
 * idoff[i + 1]), its time created[i]; a hash of the identities (slot: a
 * row's index + 1) drops copies as rows are added and finds the rows the
 * probe names.
 */
struct batch {
	int		 fd;		/* -1: no file yet */
	size_t		 len;		/* bytes in the file */
	struct gha_buf	 body;		/* the rows after those */
	struct gha_buf	 ids;
	uint32_t	*idoff;		/* n + 1 offsets */
	uint32_t	*off;		/* n + 1 offsets */
	uint32_t	*created;
	unsigned char	*skip;		/* stored already (this attempt) */
	size_t		 n, cap;
	uint32_t	*slot;
	size_t		 nslot;
	size_t		 nin;		/* records handed in */
	unsigned long long dups, rejected;
	int64_t		 lo, hi;	/* the rows' range of created */
};

/* Sending a batch's rows less the skipped ones, gzipped or not. */
struct send {
	const struct batch *b;
	size_t		 i, pos, end;	/* the run of rows being sent */
	z_stream	 z;
	int		 zinit, zerr, ioerr;
	char		 in[64 << 10];	/* read from the file, to deflate */
};

struct sink {
	struct ch_http	*h;
	char		 db[CH_IDENT_MAX + 1];
	size_t		 batch;		/* records per batch (--batch) */
	char		*tmp;		/* a string being decoded */
	size_t		 tmpcap;
	struct batch	 b[2], *fill;	/* write fills one, ... */
	/* ... the sender thread stores the other (todo), one at a time: */
	pthread_t	 tid;
	int		 started, quit, failed;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct batch	*todo;
	char		 ferr[GHA_ERRLEN];	/* why it failed */
	struct load_stats done;		/* stored, not yet reported */
	/* Used by the sender only, once started: */
	struct gha_buf	 sql;
	struct send	 send;
	struct batch	*cur;		/* the batch probed */
	struct gha_buf	 line, hex;
	unsigned long long matched;
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
 * The schema, in creation order, then ledger_schema[] and
 * summary_schema[].  "@" stands for the database name (a checked
 * identifier); "%C" for coldefs.  Views depend on earlier views.
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
	"FROM @.events WHERE actor_login IS NOT NULL) AS logins "
	"ALL INNER JOIN "
	"(SELECT assumeNotNull(repo_owner_lc) AS o, "
	"uniqExact(assumeNotNull(repo_name)) AS n "
	"FROM @.events WHERE repo_owner_lc IS NOT NULL "
	"GROUP BY o HAVING n > 1) AS owners USING o) AS owning "
	"ALL LEFT JOIN "
	"(SELECT assumeNotNull(actor_login) AS a, "
	"uniqExact(assumeNotNull(repo_name)) AS rc "
	"FROM @.events WHERE type = 'CreateEvent' AND ref_type = 'repository' "
	"AND actor_login IS NOT NULL AND repo_name IS NOT NULL "
	"GROUP BY a) AS creators USING a",

	NULL
};

/*
 * The hour ledger of the daily job (gha-load -H / -Q; SQLite's is in
 * schema.c): archive_hours and archive_days are ReplacingMergeTrees keyed
 * by hour and day whose version is the time of the write in nanoseconds,
 * read with FINAL, so the latest row of a key wins before any merge, and
 * a retried INSERT (the same rows, the same versions) changes nothing.
 * daily_coverage has SQLite's columns and rows (day a Date here, as in
 * the other views).  Created at open with the rest, as in SQLite, and
 * before daily_summary, which reads daily_coverage.
 */
static const char *const ledger_schema[] = {
	"CREATE TABLE IF NOT EXISTS @.archive_hours (hour String, "
	"status String, events Nullable(Int64), bad_lines Nullable(Int64), "
	"bytes Nullable(Int64), sha256 Nullable(String), "
	"loaded_at DateTime('UTC'), version UInt64) "
	"ENGINE = ReplacingMergeTree(version) ORDER BY hour",

	"CREATE TABLE IF NOT EXISTS @.archive_days (day String, final UInt8, "
	"version UInt64) "
	"ENGINE = ReplacingMergeTree(version) ORDER BY day",

	"CREATE VIEW IF NOT EXISTS @.daily_coverage AS "
	"SELECT toDate(d) AS day, sum(l) AS hours_loaded, "
	"sum(m) AS hours_missing, toInt64(24) - sum(l) - sum(m) - sum(c) "
	"AS hours_pending, max(f) AS final, sum(c) AS hours_corrupt "
	"FROM (SELECT substring(hour, 1, 10) AS d, "
	"toInt64(status = 'loaded') AS l, toInt64(status = 'missing') AS m, "
	"toInt64(status = 'corrupt') AS c, "
	"toUInt8(0) AS f FROM @.archive_hours FINAL "
	"UNION ALL "
	"SELECT day AS d, toInt64(0) AS l, toInt64(0) AS m, toInt64(0) AS c, "
	"final AS f FROM @.archive_days FINAL) "
	"GROUP BY d",
	NULL
};

/*
 * daily_summary, as SQLite's (schema.c): the seven columns of DESIGN.md 4,
 * 0 on a day the ledger knows without events, then the day's row of
 * daily_coverage, NULL where the ledger has none.  18.16's UNION ALL wants
 * every branch of one type, hence the casts: the coverage columns are
 * Nullable(Int64) (Nullable(UInt8) for final) in every branch, and max()
 * over them skips the NULLs of the other branches.  "%N" stands for them
 * in a branch without coverage.
 */
static const char *const summary_schema[] = {
	"CREATE VIEW IF NOT EXISTS @.daily_summary AS "
	"SELECT d AS day, sum(e) AS events, sum(dv) AS developers, "
	"sum(g1) AS devs_gt1_commit, sum(l1) AS devs_lt1_commit, "
	"sum(rp) AS repos_gt10_members, max(ce) AS commits_estimated, "
	"max(hl) AS hours_loaded, max(hm) AS hours_missing, "
	"max(hp) AS hours_pending, max(fi) AS final, "
	"max(hc) AS hours_corrupt "
	"FROM ("
	"SELECT day AS d, count() AS e, toUInt64(0) AS dv, toUInt64(0) AS g1, "
	"toUInt64(0) AS l1, toUInt64(0) AS rp, toUInt8(0) AS ce, %N "
	"FROM @.events GROUP BY day "
	"UNION ALL "
	"SELECT day AS d, toUInt64(0) AS e, count() AS dv, "
	"countIf(commits > 1) AS g1, countIf(commits < 1) AS l1, "
	"toUInt64(0) AS rp, max(commits_estimated) AS ce, %N "
	"FROM @.dev_daily GROUP BY day "
	"UNION ALL "
	"SELECT day AS d, toUInt64(0) AS e, toUInt64(0) AS dv, "
	"toUInt64(0) AS g1, toUInt64(0) AS l1, count() AS rp, "
	"toUInt8(0) AS ce, %N "
	"FROM @.repos_more_than_ten_members_daily GROUP BY day "
	"UNION ALL "
	"SELECT day AS d, toUInt64(0) AS e, toUInt64(0) AS dv, "
	"toUInt64(0) AS g1, toUInt64(0) AS l1, toUInt64(0) AS rp, "
	"toUInt8(0) AS ce, toNullable(toInt64(hours_loaded)) AS hl, "
	"toNullable(toInt64(hours_missing)) AS hm, "
	"toNullable(toInt64(hours_pending)) AS hp, "
	"toNullable(toUInt8(final)) AS fi, "
	"toNullable(toInt64(hours_corrupt)) AS hc "
	"FROM @.daily_coverage"
	") GROUP BY d",
	NULL
};

static const char nullcov[] =
    "CAST(NULL AS Nullable(Int64)) AS hl, "
    "CAST(NULL AS Nullable(Int64)) AS hm, "
    "CAST(NULL AS Nullable(Int64)) AS hp, "
    "CAST(NULL AS Nullable(UInt8)) AS fi, "
    "CAST(NULL AS Nullable(Int64)) AS hc";

/*
 * Views whose columns changed since an earlier gha-load, each with a
 * column only the current definition has.  ClickHouse keeps no schema
 * version and 18.16 has no CREATE OR REPLACE VIEW: a view that exists
 * without that column is dropped, then created anew.
 */
static const struct {
	const char	*view, *column;
} changed[] = {
	{ "daily_summary", "hours_loaded" },	/* the day's coverage */
	{ "daily_coverage", "hours_corrupt" },	/* corrupt hours apart */
	{ "daily_summary", "hours_corrupt" },
};

/* Expand "@" (the database), "%C" (coldefs), "%N" (nullcov) into b. */
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
		} else if (p[0] == '%' && p[1] == 'N') {
			gha_buf_adds(b, nullcov);
			p++;
		} else
			gha_buf_addc(b, *p);
	}
	gha_buf_addc(b, '\0');
}

/* Run each statement of list (templates for expand). */
static int
run_all(struct sink *s, const char *const *list, char *err)
{
	int i;

	for (i = 0; list[i] != NULL; i++) {
		expand(&s->sql, s, list[i]);
		if (ch_http_query(s->h, s->sql.p, err) != 0)
			return -1;
	}
	return 0;
}

/* ch_writer keeping a short answer. */
static int
keep_answer(const char *p, size_t n, void *arg)
{
	struct gha_buf *b = arg;

	if (b->n + n > 4096)
		return -1;
	gha_buf_add(b, p, n);
	return 0;
}

/*
 * Drop each view of changed[] that exists without its new column, for
 * the CREATE ... IF NOT EXISTS after it to make anew.  Two loaders doing
 * this at once both drop (IF EXISTS) and both create (IF NOT EXISTS); a
 * query of the view in between fails once, when the schema is upgraded.
 */
static int
migrate(struct sink *s, char *err)
{
	struct gha_buf ans = { NULL, 0, 0 };
	unsigned long ncol, has;
	size_t i;
	int rc, k;

	for (i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		s->sql.n = 0;
		gha_buf_adds(&s->sql, "SELECT count(), countIf(name = '");
		gha_buf_adds(&s->sql, changed[i].column);
		gha_buf_adds(&s->sql, "') FROM system.columns WHERE "
		    "database = '");
		gha_buf_adds(&s->sql, s->db);	/* an identifier */
		gha_buf_adds(&s->sql, "' AND table = '");
		gha_buf_adds(&s->sql, changed[i].view);
		gha_buf_adds(&s->sql, "' FORMAT TabSeparated");
		gha_buf_addc(&s->sql, '\0');
		for (k = 0;; k++) {
			ans.n = 0;
			rc = ch_http_do(s->h, s->sql.p, NULL, NULL,
			    keep_answer, &ans, err);
			if (rc == CH_OK)
				break;
			if (rc == CH_PERMANENT ||
			    ch_http_retry(s->h, k, err) != 0)
				goto fail;
		}
		ch_http_done(s->h);
		gha_buf_addc(&ans, '\0');
		if (sscanf(ans.p, "%lu\t%lu", &ncol, &has) != 2) {
			snprintf(err, GHA_ERRLEN, "%s: unexpected answer about "
			    "the columns of %s", ch_http_where(s->h),
			    changed[i].view);
			goto fail;
		}
		if (ncol == 0 || has > 0)
			continue;
		s->sql.n = 0;
		gha_buf_adds(&s->sql, "DROP TABLE IF EXISTS ");
		gha_buf_adds(&s->sql, s->db);
		gha_buf_addc(&s->sql, '.');
		gha_buf_adds(&s->sql, changed[i].view);
		gha_buf_addc(&s->sql, '\0');
		if (ch_http_query(s->h, s->sql.p, err) != 0)
			goto fail;
	}
	gha_buf_free(&ans);
	return 0;
fail:
	gha_buf_free(&ans);
	return -1;
}

/* RowBinary: little-endian integers, lengths in unsigned LEB128. */
static unsigned char *
putle(unsigned char *p, uint64_t v, int size)
{
	int i;

	for (i = 0; i < size; i++)
		*p++ = (unsigned char)(v >> 8 * i);
	return p;
}

static unsigned char *
putlen(unsigned char *p, size_t v)
{
	for (; v >= 0x80; v >>= 7)
		*p++ = (unsigned char)(v | 0x80);
	*p++ = (unsigned char)v;
	return p;
}

/* A JSON string token as a RowBinary String: its bytes, decoded. */
static unsigned char *
putstr(struct sink *s, unsigned char *p, const struct gha_jtok *t)
{
	size_t n;

	if (!t->esc) {
		p = putlen(p, t->n - 2);
		memcpy(p, t->p + 1, t->n - 2);
		return p + t->n - 2;
	}
	n = gha_json_unescape(t, s->tmp, t->n);	/* no longer decoded */
	p = putlen(p, n);
	memcpy(p, s->tmp, n);
	return p + n;
}

/* A JSON integer token (valid, within int64: gha_rec_parse checked). */
static int64_t
tokint(const struct gha_jtok *t)
{
	uint64_t v = 0;
	size_t i = t->p[0] == '-';

	for (; i < t->n; i++)
		v = v * 10 + (uint64_t)(t->p[i] - '0');
	return (int64_t)(t->p[0] == '-' ? -v : v);
}

/*
 * One record as a RowBinary row at the end of b, columns in cols[]
 * order: id a String, created_at a DateTime (UInt32), every other column
 * Nullable (a byte, 1 for NULL, else 0 and the value): strings decoded,
 * integers Int64, public a UInt8.  The record is valid (sink.h) and its
 * time within DateTime's.  A row is no longer than its tokens plus ten
 * bytes a column (a length, a NULL byte, or an integer).
 */
static void
addrow(struct sink *s, struct gha_buf *b, const struct gha_rec *r)
{
	const struct gha_jtok *t;
	unsigned char *p;
	size_t need = 0;
	int f;

	for (f = 0; f < GHA_R_NFIELDS; f++)
		need += (r->f[f].type != GHA_J_NONE ? r->f[f].n : 0) + 10;
	if (b->cap - b->n < need) {
		b->cap = b->cap > 0 ? b->cap : 4096;
		while (b->cap - b->n < need)
			b->cap *= 2;
		b->p = erealloc(b->p, b->cap);
	}
	if (s->tmpcap < need) {
		free(s->tmp);
		s->tmp = emalloc(need);
		s->tmpcap = need;
	}
	p = (unsigned char *)b->p + b->n;
	p = putstr(s, p, &r->f[GHA_R_ID]);
	for (f = 1; f < GHA_R_NFIELDS; f++) {
		t = &r->f[f];
		if (f == GHA_R_CREATED_AT)
			p = putle(p, (uint64_t)r->created, 4);
		else if (t->type == GHA_J_NONE || t->type == GHA_J_NULL)
			*p++ = 1;
		else {
			*p++ = 0;
			if (t->type == GHA_J_STRING)
				p = putstr(s, p, t);
			else if (t->type == GHA_J_INT)
				p = putle(p, (uint64_t)tokint(t), 8);
			else
				*p++ = t->type == GHA_J_TRUE;
		}
	}
	b->n = (size_t)((char *)p - b->p);
}

/* The id of row i: its bytes and length. */
static const char *
rowid(const struct batch *b, size_t i, size_t *len)
{
	*len = b->idoff[i + 1] - b->idoff[i];
	return b->ids.p + b->idoff[i];
}

/* FNV-1a of an identity: the id's bytes (decoded) and created. */
static size_t
idhash(const char *id, size_t n, int64_t created)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)created;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)id[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;		/* mix the high bits into the low ones */
	h *= 0xff51afd7ed558ccdULL;
	return (size_t)(h ^ h >> 33);
}

/*
 * The slot of identity (id[0..n), created) in b's hash: the one holding
 * it, or the free one where it would go.
 */
static size_t
lookup(const struct batch *b, const char *id, size_t n, int64_t created)
{
	const char *p;
	size_t j, i, len;

	for (j = idhash(id, n, created) & (b->nslot - 1); b->slot[j] != 0;
	    j = (j + 1) & (b->nslot - 1)) {
		i = b->slot[j] - 1;
		if (b->created[i] != created)
			continue;
		p = rowid(b, i, &len);
		if (len == n && memcmp(p, id, n) == 0)
			break;
	}
	return j;
}

/* Make the hash twice as big (at least 1024 slots) and fill it again. */
static void
rehash(struct batch *b)
{
	const char *p;
	size_t i, len;

	free(b->slot);
	b->nslot = b->nslot > 0 ? 2 * b->nslot : 1024;
	b->slot = ecalloc(b->nslot, sizeof(*b->slot));
	for (i = 0; i < b->n; i++) {
		p = rowid(b, i, &len);
		b->slot[lookup(b, p, len, b->created[i])] = (uint32_t)(i + 1);
	}
}

/* Empty b for the next batch. */
static void
batch_reset(struct batch *b)
{
	b->len = b->body.n = b->ids.n = 0;
	b->n = b->nin = 0;
	b->dups = b->rejected = 0;
	b->lo = DT_MAX;
	b->hi = 0;
	if (b->slot != NULL)
		memset(b->slot, 0, b->nslot * sizeof(*b->slot));
}

/* Write the rows in b->body to b's file (made at the first call). */
static int
spill(struct batch *b, char *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	size_t k;
	ssize_t w;

	if (b->body.n == 0)
		return 0;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (b->fd < 0) {
		snprintf(path, sizeof(path), "%s/gha-load.XXXXXX", dir);
		if ((b->fd = mkstemp(path)) < 0) {
			snprintf(err, GHA_ERRLEN, "%.200s: %s", path,
			    strerror(errno));
			return -1;
		}
		unlink(path);	/* gone with us, whatever happens */
	}
	for (k = 0; k < b->body.n; k += (size_t)w)
		if ((w = pwrite(b->fd, b->body.p + k, b->body.n - k,
		    (off_t)(b->len + k))) < 0) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			snprintf(err, GHA_ERRLEN, "temporary file in %.200s: "
			    "%s", dir, strerror(errno));
			return -1;
		}
	b->len += b->body.n;
	b->body.n = 0;
	return 0;
}

/*
 * Add record r to batch b: refused when DateTime cannot hold its time,
 * dropped when its identity is in b already, else a new row.  -1 + err
 * when the temporary file cannot take it.
 */
static int
batch_add(struct sink *s, struct batch *b, const struct gha_rec *r,
    char *err)
{
	const struct gha_jtok *t = &r->f[GHA_R_ID];
	size_t j, len;

	b->nin++;
	if (r->created < 0 || r->created > DT_MAX) {
		b->rejected++;
		return 0;
	}
	if (b->n + 2 > b->cap) {
		b->cap = b->cap > 0 ? 2 * b->cap : 1024;
		b->off = erealloc(b->off, b->cap * sizeof(*b->off));
		b->idoff = erealloc(b->idoff, b->cap * sizeof(*b->idoff));
		b->created = erealloc(b->created, b->cap *
		    sizeof(*b->created));
		b->skip = erealloc(b->skip, b->cap);
	}
	if (2 * (b->n + 1) > b->nslot)
		rehash(b);
	/* The id, decoded, then the identity looked up. */
	b->idoff[b->n] = (uint32_t)b->ids.n;
	if (b->ids.cap - b->ids.n < t->n) {
		b->ids.cap = b->ids.cap > 0 ? b->ids.cap : 4096;
		while (b->ids.cap - b->ids.n < t->n)
			b->ids.cap *= 2;
		b->ids.p = erealloc(b->ids.p, b->ids.cap);
	}
	len = gha_json_unescape(t, b->ids.p + b->ids.n, t->n);
	j = lookup(b, b->ids.p + b->ids.n, len, r->created);
	if (b->slot[j] != 0) {
		b->dups++;	/* a copy: its id forgotten */
		return 0;
	}
	b->ids.n += len;
	b->off[b->n] = (uint32_t)(b->len + b->body.n);
	addrow(s, &b->body, r);
	b->slot[j] = (uint32_t)(b->n + 1);
	b->created[b->n++] = (uint32_t)r->created;
	b->off[b->n] = (uint32_t)(b->len + b->body.n);
	b->idoff[b->n] = (uint32_t)b->ids.n;
	if (r->created < b->lo)
		b->lo = r->created;
	if (r->created > b->hi)
		b->hi = r->created;
	return b->body.n >= SPILL ? spill(b, err) : 0;
}

static void
batch_free(struct batch *b)
{
	if (b->fd >= 0)
		close(b->fd);
	gha_buf_free(&b->body);
	gha_buf_free(&b->ids);
	free(b->idoff);
	free(b->off);
	free(b->created);
	free(b->skip);
	free(b->slot);
}

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
static int
each_line(struct gha_buf *carry, const char *p, size_t n,
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
	j = lookup(b, s->hex.p != NULL ? s->hex.p : "", s->hex.n, t);
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

	return each_line(&s->line, p, n, probe_line, s);
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

/* Store batch b, retrying transient failures; its counts go to *st. */
static int
store(struct sink *s, struct batch *b, struct load_stats *st, char *err)
{
	unsigned long long inserted = 0;
	int rc, k, probed = 0;

	if (b->n > 0) {
		for (k = 0;; k++) {
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
				return -1;
		}
		ch_http_done(s->h);
	}
	st->inserted += inserted;
	st->duplicates += b->dups + (b->n - inserted);
	st->rejected += b->rejected;
	return 0;
}

/* The sender thread: store each batch handed over, one at a time. */
static void *
sender(void *arg)
{
	struct sink *s = arg;
	struct load_stats st;
	struct batch *b;
	char err[GHA_ERRLEN];
	int r;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (s->todo == NULL && !s->quit)
			pthread_cond_wait(&s->cv, &s->mu);
		if ((b = s->todo) == NULL)
			break;
		pthread_mutex_unlock(&s->mu);
		memset(&st, 0, sizeof(st));
		r = store(s, b, &st, err);
		pthread_mutex_lock(&s->mu);
		if (r != 0) {
			s->failed = 1;
			memcpy(s->ferr, err, sizeof(s->ferr));
		} else {
			s->done.inserted += st.inserted;
			s->done.duplicates += st.duplicates;
			s->done.rejected += st.rejected;
		}
		s->todo = NULL;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/*
 * Add the counts of the batches stored since the last call to *st; with
 * wait, once the sender is idle.  -1 + err when a batch failed.
 */
static int
report(struct sink *s, int wait, struct load_stats *st, char *err)
{
	int r = 0;

	pthread_mutex_lock(&s->mu);
	while (wait && s->todo != NULL)
		pthread_cond_wait(&s->cv, &s->mu);
	st->inserted += s->done.inserted;
	st->duplicates += s->done.duplicates;
	st->rejected += s->done.rejected;
	memset(&s->done, 0, sizeof(s->done));
	if (s->failed) {
		memcpy(err, s->ferr, GHA_ERRLEN);
		r = -1;
	}
	pthread_mutex_unlock(&s->mu);
	return r;
}

/* Hand the batch being filled to the sender and fill the other one. */
static int
handoff(struct sink *s, struct load_stats *st, char *err)
{
	if (report(s, 1, st, err) != 0 || spill(s->fill, err) != 0)
		return -1;
	if (!s->started) {
		if ((errno = pthread_create(&s->tid, NULL, sender, s)) != 0) {
			snprintf(err, GHA_ERRLEN, "cannot start a thread: %s",
			    strerror(errno));
			return -1;
		}
		s->started = 1;
	}
	pthread_mutex_lock(&s->mu);
	s->todo = s->fill;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	s->fill = s->fill == &s->b[0] ? &s->b[1] : &s->b[0];
	batch_reset(s->fill);
	return 0;
}

/*
 * Add the records to the batch being filled; hand it over when it holds
 * --batch records or BODY_MAX bytes of rows.  The sender stores it while the
 * next one fills, so reading and the server work at once, and memory
 * holds two batches of rows, not of parsed records and their lines.
 */
static int
ch_write(struct sink *s, const struct gha_rec *recs, size_t n,
    struct load_stats *st, char *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (batch_add(s, s->fill, &recs[i], err) != 0)
			return -1;
		if ((s->fill->nin >= s->batch || s->fill->len +
		    s->fill->body.n >= BODY_MAX) && handoff(s, st, err) != 0)
			return -1;
	}
	return report(s, 0, st, err);
}

/* Store the batch being filled, and wait until every batch is stored. */
static int
ch_flush(struct sink *s, struct load_stats *st, char *err)
{
	if (s->fill->nin > 0 && handoff(s, st, err) != 0)
		return -1;
	return report(s, 1, st, err);
}

static int
ch_close(struct sink *s, char *err)
{
	(void)err;
	if (s == NULL)
		return 0;
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->quit = 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->tid, NULL);
	}
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	ch_http_close(s->h);
	if (s->send.zinit)
		deflateEnd(&s->send.z);
	batch_free(&s->b[0]);
	batch_free(&s->b[1]);
	free(s->tmp);
	gha_buf_free(&s->sql);
	gha_buf_free(&s->line);
	gha_buf_free(&s->hex);
	free(s);
	return 0;
}

static struct sink *
ch_open(const char *target, const struct load_opts *o, char *err)
{
	struct sink *s;

	s = ecalloc(1, sizeof(*s));
	if ((s->h = ch_http_open(target, o->wait, o->cafile, o->notice,
	    s->db, err)) == NULL) {
		free(s);
		return NULL;
	}
	s->batch = o->batch;
	s->fill = &s->b[0];
	s->b[0].fd = s->b[1].fd = -1;
	batch_reset(&s->b[0]);
	batch_reset(&s->b[1]);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (run_all(s, schema, err) != 0 ||
	    run_all(s, ledger_schema, err) != 0 ||
	    migrate(s, err) != 0 ||
	    run_all(s, summary_schema, err) != 0)
		goto fail;
	return s;
fail:
	ch_close(s, err);
	return NULL;
}

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

static int
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
	for (k = 0; k < 2; k++) {
		q->n = 0;
		gha_buf_adds(q, "INSERT INTO ");
		gha_buf_adds(q, s->db);
		gha_buf_adds(q, k == 0 ? ".archive_hours (hour, status, "
		    "events, bad_lines, bytes, sha256, loaded_at, version) " :
		    ".archive_days (day, final, version) ");
		gha_buf_adds(q, "FORMAT JSONEachRow\n");
		for (i = 0; i < n; i++) {
			if (rows[i].isday != k)
				continue;
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
			} else
				addnum(q, ",\"final\":", rows[i].final);
			gha_buf_adds(q, ",\"version\":");
			gha_buf_addint(q, (int64_t)(version + i));
			gha_buf_adds(q, "}\n");
		}
		gha_buf_addc(q, '\0');
		if (strchr(strchr(q->p, '\n'), '{') == NULL)
			continue;	/* no row of this kind */
		if (ch_http_query(s->h, q->p, err) != 0)
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

static int
ledger_line(struct ledger_read *rd, const char *p, size_t n)
{
	struct ledger_row r;
	const char *f[8];
	size_t len[8], i, k = 0;
	char num[24], key[16];
	long long v[3];
	int64_t t;

	f[0] = p;
	for (i = 0; i < n && k < 8; i++)
		if (p[i] == '\t') {
			len[k] = (size_t)(p + i - f[k]);
			if (++k < 8)
				f[k] = p + i + 1;
		}
	if (k >= 8)
		return -1;
	len[k] = (size_t)(p + n - f[k]);
	if (k != (rd->isday ? 1 : 6))
		return -1;
	memset(&r, 0, sizeof(r));
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
		each_line(&rd->line, p, n, ledger_each, rd);
	return 0;
}

static int
ch_ledger_get(struct sink *s, ledger_fn cb, void *arg, char *err)
{
	struct ledger_read rd;
	struct gha_buf *q = &s->sql;
	int k, attempt, rc;

	memset(&rd, 0, sizeof(rd));
	rd.cb = cb;
	rd.arg = arg;
	for (k = 0; k < 2 && !rd.stop; k++) {
		q->n = 0;
		gha_buf_adds(q, k == 0 ? "SELECT hour, status, events, "
		    "bad_lines, bytes, sha256, toUInt32(loaded_at) FROM " :
		    "SELECT day, final FROM ");
		gha_buf_adds(q, s->db);
		gha_buf_adds(q, k == 0 ? ".archive_hours FINAL ORDER BY "
		    "toDate(substring(hour, 1, 10)), "
		    "toUInt8(substring(hour, 12, 2)) FORMAT TabSeparated" :
		    ".archive_days FINAL ORDER BY day FORMAT TabSeparated");
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

const struct sink_ops clickhouse_sink = {
	"clickhouse", CH_BATCH, ch_open, ch_write, ch_close,
	ch_ledger_put, ch_ledger_get, CH_SLICE, ch_flush
};
