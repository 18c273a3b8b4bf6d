/*
 * ch_rollup.c - the metric aggregates of a ClickHouse database, kept by
 * gha-load (SQLite's are rollup.c's).
 *
 * Computed at query time, the metric views read every event with FINAL:
 * 0.6-1.1 s for 1.2 million events on one 18.16 server, minutes for a
 * year of the archive.  So gha-load keeps, for every day with events, the
 * rows the views show, and the views read those (ch_schema.c):
 *   agg_by_day     one table for everything a day has, so that one
 *                  statement swaps all of it: kind 'dev' rows (a login's
 *                  events, pushes, commits, commits_estimated: every
 *                  actor, bots too, which the views filter), kind 'repo'
 *                  rows (a repository with more than ten pushers that are
 *                  not bots) and the kind 'day' row (the day's counts of
 *                  daily_summary, bots and pushes by the source of their
 *                  count among them), each with ver, the second its
 *                  recompute started from;
 *   agg_owner_repo, agg_actor, agg_created  sets over all days (owner
 *                  lower-cased and repository; login lower-cased and
 *                  login; login and repository it created), only ever
 *                  added to: events are never removed, so a day's members
 *                  added again change nothing, and the views count them
 *                  with uniqExact, which copies do not change.
 *
 * Recomputing a day.  The day's rows are computed from event_store FINAL
 * (each identity once, as `events` reads it; push_commits FINAL for the
 * resolved counts, bot_logins for the bots) into a staging table of the
 * pass, then ALTER TABLE agg_by_day REPLACE PARTITION swaps the day's
 * partition (PARTITION BY day) for the staged one.  REPLACE PARTITION is
 * one atomic step on 18.16 and on current servers: a reader sees the
 * day's old rows or its new ones, never part of either, and a query
 * already reading keeps the parts it started with.  But two swaps of one
 * day at once can leave both: each takes the range of parts it drops
 * before it locks the table, so the one that locks first adds parts the
 * other does not drop (measured on 18.16: between four loops of 300
 * swaps each, 3 to 12 reads saw two sets, and CI's test of two loaders
 * once ended with an actor's row twice).  So a pass counts the day's
 * kind 'day' rows (one a recompute) after its swap and swaps again while
 * there are more, and a day found holding more is due: a reader may see
 * two recomputes' rows only between two swaps at once and the next.
 * (Reading the newest recompute only would need a second read of
 * agg_by_day in every view, from parts taken at another moment, so a
 * swap between the two would hide the day.)  Partial work
 * (a killed load) stays in the staging table, which nobody reads.  The
 * other ways ClickHouse offers were measured against this and are not
 * exact while they work: a ReplacingMergeTree with a version column shows
 * a row of the old recompute beside one of the new (and keeps a repository
 * that fell to ten members), and mutations (ALTER ... DELETE / UPDATE)
 * are asynchronous and rewrite parts under the readers.
 *
 * Which days.  Before each attempt to store a batch of events, gha-load
 * marks the batch's days in agg_marks (kind 0, "begun"), and again once
 * the batch is stored (kind 1, "stored"), each row with the server's
 * now() and a token of the batch.  A stored mark written at second m
 * was written after its events were, so a recompute whose reads start
 * after second m ends sees them; a begun mark alone (the load was killed
 * or is storing) is taken to be at m + BEGUN_MAX, by when any insert it
 * stands for is over (chhttp.c's requests end within an hour).  A day is
 * due when one of its batches is at a second past its published ver,
 * and not in the future.  A pass takes ver = the server's now() - 1 at
 * its start (after waiting for the second of the newest mark to pass), so
 * that every mark at or before ver was written before its reads began.
 * Nothing is cleared: the published ver says what was seen.  Hence:
 *   - a load killed anywhere leaves its days due, and the next gha-load
 *     (any, even with no input) recomputes them: a crash never leaves a
 *     day half made, and no day is forgotten;
 *   - two loaders recomputing one day at once may swap in their results in
 *     either order (or both, until one swaps again); the older one's ver
 *     is then the published one, and the newer marks make the day due
 *     again: each pass asks again when it is done (up to ROUNDS times),
 *     so the last loader to end leaves the day exact, and a killed one
 *     leaves it due for the next;
 *   - --commits marks the days of the pushes it stored, and a changed list
 *     of bots marks every day (sync_bots in ch_schema.c).
 * The rows of one recompute are read by several statements: a batch
 * stored in the same day between them is marked after ver, so the day is
 * recomputed again.
 *
 * On a cluster (ch_cluster.c) every agg_ table is one replicated copy
 * whole on every node, not sharded: a repository's members on two shards
 * must not be counted twice, and the views then read local tables.  The
 * recompute reads the events through the Distributed tables (GLOBAL IN
 * where 18.16 denies an IN over one Distributed table inside a query
 * over another), stages on the node it talks to, in a plain local
 * MergeTree made there (REPLACE PARTITION from it into the replicated
 * agg_by_day is replicated through ZooKeeper: the other replicas fetch
 * the parts; tried on 18.16).  What the argument above needs of one
 * server holds for the nodes together:
 *   - marks and sets are written with insert_quorum = every node, so the
 *     due query on any node sees every mark acknowledged anywhere;
 *   - a pass, after its swaps, waits until every live replica of
 *     agg_by_day has applied its ZooKeeper log (ch_cluster_catch_up): a
 *     later check on any node, and a view read anywhere once the load
 *     ends, sees them.  A replica that was down catches up from the log,
 *     in order;
 *   - ver is taken SKEW seconds back, so marks stamped by the now() of
 *     another node whose clock is up to SKEW s off are ordered right;
 *   - a pass whose node stops answering is begun again on the next one,
 *     each day's staged rows dropped first: the marks stay due until a
 *     swap publishes a ver after them.  It has one staging table on each
 *     server it was begun on, used again when it comes back to one (a
 *     pass may go back and forth while a replica rejoins), each dropped
 *     there once the pass ends well (a server not in use asked once,
 *     briefly; still down, it keeps the table, to be dropped as stale).
 * The price: with a node down the aggregates cannot be written and the
 * load waits (-w) or stops, as the events do with a replica down.
 *
 * A database from before the aggregates (views over `events` only) is
 * migrated at open: its views that read events are dropped, to be made
 * anew over the aggregates, and every day of event_store is marked.
 *
 * What the SQL relies on, all of it on 18.16 and on current servers
 * (tests/clickhouse/current.sh replays every statement on ClickHouse 26):
 * ALTER TABLE ... REPLACE PARTITION n FROM t and DROP PARTITION n (n a
 * number, the partition key toYYYYMMDD(day)), CREATE TABLE t AS t2,
 * INSERT ... SELECT converting by position (a string into Enum8), FINAL,
 * ALL LEFT JOIN of aliased subqueries, UNION ALL of equally typed
 * branches, EXISTS TABLE, system.tables.metadata_modification_time, and
 * now() in seconds.  No mutations, no version columns, no settings.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clickhouse.h"
#include "ch_rollup_sql.h"

#define DAY		86400
#define BEGUN_MAX	7200	/* s: a begun mark's insert is over by then */
#define STAGE_AGE	(7 * DAY)	/* a killed pass's staging table */
#define ROUNDS		3	/* passes over the days due, at most */
#define SWAPS		3	/* swaps of one day in a pass, at most */
#define SKEW		2	/* s: nodes' clocks agree within (a cluster) */
#define SWITCHED	CH_SWITCHED	/* run: the server we talk to changed */
#define ANS_MAX		(4u << 20)	/* bytes of an answer run() keeps */
#define DROP_SECS	10	/* s: dropping one on the server it is on */

/* What one day's statements are expanded with. */
struct day {
	char		 date[11];	/* YYYY-MM-DD */
	char		 part[9];	/* YYYYMMDD */
	int64_t		 start;		/* epoch seconds */
	uint32_t	 ver;
	const char	*stage;		/* db.agg_stage_... */
};

/* A pass's staging tables, one on each server it was begun on. */
struct stages {
	struct {
		char		 name[CH_IDENT_MAX + 32];
		const char	*where;		/* ch_http_where's */
	}		 v[GHA_TARGET_ENDMAX];
	int		 n;
};

/* A token no other loader will make: the clock, the pid, urandom. */
static uint64_t
token(void)
{
	static uint64_t n;
	struct timespec ts;
	uint64_t v[4];
	int fd;

	clock_gettime(CLOCK_REALTIME, &ts);
	v[0] = (uint64_t)ts.tv_sec;
	v[1] = (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32;
	v[2] = ++n;
	v[3] = 0;
	if ((fd = open("/dev/urandom", O_RDONLY)) >= 0) {
		if (read(fd, &v[3], sizeof(v[3])) < 0)
			v[3] = 0;
		close(fd);
	}
	return gha_fnv1a(GHA_FNV1A_INIT, v, sizeof(v));
}

/*
 * Expand tmpl into b: "@" the database, and for a day d (may be NULL
 * when tmpl has none of them) %S %D %N %V %R; %Z the zero pushes, %X
 * BEGUN_MAX, %G "GLOBAL " on a cluster.
 */
static void
expand(struct gha_buf *b, const struct sink *s, const struct day *d,
    const char *tmpl)
{
	const char *p;

	b->n = 0;
	for (p = tmpl; *p != '\0'; p++) {
		if (*p == '@') {
			gha_buf_adds(b, s->db);
			continue;
		}
		if (*p != '%' || p[1] == '\0') {
			gha_buf_addc(b, *p);
			continue;
		}
		switch (*++p) {
		case 'S':
			gha_buf_adds(b, d->stage);
			break;
		case 'D':
			gha_buf_adds(b, d->date);
			break;
		case 'N':
			gha_buf_adds(b, d->part);
			break;
		case 'V':
			gha_buf_addint(b, d->ver);
			break;
		case 'R':
			gha_buf_adds(b, "created_at >= toDateTime(");
			gha_buf_addint(b, d->start);
			gha_buf_adds(b, ") AND created_at < toDateTime(");
			gha_buf_addint(b, d->start + DAY);
			gha_buf_addc(b, ')');
			break;
		case 'Z':
			gha_buf_adds(b, ch_agg_zeropushes);
			break;
		case 'X':
			gha_buf_addint(b, BEGUN_MAX);
			break;
		case 'G':
			if (s->cluster[0] != '\0')
				gha_buf_adds(b, "GLOBAL ");
			break;
		default:
			gha_buf_addc(b, '%');
			gha_buf_addc(b, *p);
		}
	}
	gha_buf_addc(b, '\0');
}

/*
 * Run sql, retrying transient failures; its answer, if any, in ans.
 * SWITCHED, not run again, when the retries went on to another server
 * (a pass's staging table is on the one it began on).
 */
static int
run(struct sink *s, const char *sql, struct gha_buf *ans, char *err)
{
	return ch_http_ask_here(s->h, sql, s->aggparams, ans, ANS_MAX, err);
}

/* The first number of the answer to sql. */
static int
ask_number(struct sink *s, const char *sql, unsigned long long *v, char *err)
{
	struct gha_buf ans = { NULL, 0, 0 };
	int rc;

	if ((rc = run(s, sql, &ans, err)) != 0)
		goto out;
	rc = -1;
	if (sscanf(ans.p, "%llu", v) != 1) {
		snprintf(err, GHA_ERRLEN, "%s: unexpected answer to %.40s...",
		    ch_http_where(s->h), sql);
		goto out;
	}
	rc = 0;
out:
	gha_buf_free(&ans);
	return rc;
}

/*
 * Make the aggregates' tables; a database made before them has its views
 * over `events` dropped (the CREATEs after make them anew) and every day
 * of event_store marked.
 */
int
ch_rollup_schema(struct sink *s, char *err)
{
	struct gha_buf q = { NULL, 0, 0 };
	unsigned long long have, events = 0;
	int i, rc = -1;

	expand(&q, s, NULL, "EXISTS TABLE @.agg_by_day FORMAT TabSeparated");
	if (ask_number(s, q.p, &have, err) != 0)
		goto out;
	if (!have) {
		expand(&q, s, NULL, "EXISTS TABLE @.event_store "
		    "FORMAT TabSeparated");
		if (ask_number(s, q.p, &events, err) != 0)
			goto out;
	}
	for (i = 0; events && ch_agg_old_views[i] != NULL; i++) {
		expand(&q, s, NULL, "DROP TABLE IF EXISTS @.");
		q.n--;
		gha_buf_adds(&q, ch_agg_old_views[i]);
		gha_buf_addc(&q, '\0');
		if (run(s, q.p, NULL, err) != 0)
			goto out;
	}
	for (i = 0; ch_agg_tables[i] != NULL; i++) {
		/*
		 * The days marked before agg_by_day is made, so that a
		 * migration killed before the end is done again.
		 */
		if (ch_agg_tables[i + 1] == NULL && events) {
			expand(&q, s, NULL, "INSERT INTO @.agg_marks (day, token, "
			    "kind) SELECT DISTINCT toDate(created_at), "
			    "toUInt64(");
			q.n--;
			gha_buf_addint(&q, (int64_t)(token() >> 1));
			gha_buf_adds(&q, "), toUInt8(1) FROM ");
			gha_buf_adds(&q, s->db);
			gha_buf_adds(&q, ".event_store");
			gha_buf_addc(&q, '\0');
			if (run(s, q.p, NULL, err) != 0)
				goto out;
		}
		expand(&q, s, NULL, ch_agg_tables[i]);
		if (ch_ddl(s, q.p, err) != 0)
			goto out;
	}
	rc = 0;
out:
	gha_buf_free(&q);
	return rc;
}

/* Mark every day that has aggregates (the bots changed). */
int
ch_rollup_mark_all(struct sink *s, char *err)
{
	struct gha_buf q = { NULL, 0, 0 };
	int rc;

	expand(&q, s, NULL, "INSERT INTO @.agg_marks (day, token, kind) "
	    "SELECT DISTINCT day, toUInt64(");
	q.n--;
	gha_buf_addint(&q, (int64_t)(token() >> 1));
	gha_buf_adds(&q, "), toUInt8(1) FROM ");
	gha_buf_adds(&q, s->db);
	gha_buf_adds(&q, ".agg_by_day WHERE kind = 'day'");
	gha_buf_addc(&q, '\0');
	rc = run(s, q.p, NULL, err);
	gha_buf_free(&q);
	return rc;
}

static int
cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Mark the days of times t[0..n) (epoch seconds), kind 0 (begun) or 1
 * (stored), under tok: one attempt, CH_OK, CH_TRANSIENT or CH_PERMANENT
 * (the caller retries, then calls ch_http_done).  q is a buffer of the
 * caller's.
 */
int
ch_rollup_mark(struct sink *s, struct gha_buf *q, const int64_t *t,
    size_t n, uint64_t tok, int kind, char *err)
{
	int64_t *days;
	char date[21];
	size_t i, k;
	int rc;

	if (n == 0)
		return CH_OK;
	days = gha_emalloc(n * sizeof(*days));
	for (i = 0; i < n; i++)
		days[i] = t[i] >= 0 ? t[i] / DAY : -((-t[i] + DAY - 1) / DAY);
	qsort(days, n, sizeof(*days), cmp_day);
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO ");
	gha_buf_adds(q, s->db);
	gha_buf_adds(q, ".agg_marks (day, token, kind) VALUES ");
	for (i = k = 0; i < n; i++) {
		if (i > 0 && days[i] == days[i - 1])
			continue;
		gha_time_format(days[i] * DAY, date);
		gha_buf_adds(q, k++ > 0 ? ", ('" : "('");
		gha_buf_add(q, date, 10);
		gha_buf_adds(q, "', ");
		gha_buf_addint(q, (int64_t)(tok >> 1));
		gha_buf_adds(q, kind ? ", 1)" : ", 0)");
	}
	gha_buf_addc(q, '\0');
	free(days);
	rc = ch_http_do(s->h, q->p, s->aggparams, NULL, NULL, NULL, err);
	return rc;
}

uint64_t
ch_rollup_token(void)
{
	return token();
}

/*
 * Recompute day d: its rows staged, then swapped in, and swapped in again
 * while the day holds another recompute's rows beside them (two swaps at
 * once, see the top of the file), up to SWAPS times; then the staged copy
 * dropped.  0, -1 or SWITCHED.
 */
static int
one_day(struct sink *s, struct gha_buf *q, const struct day *d, char *err)
{
	unsigned long long sets;
	int i, rc;

	for (i = 0; ch_agg_recompute[i] != NULL; i++) {
		expand(q, s, d, ch_agg_recompute[i]);
		if ((rc = run(s, q->p, NULL, err)) != 0)
			return rc;
	}
	for (i = 0; i < SWAPS; i++) {
		expand(q, s, d, ch_agg_swap);
		if ((rc = run(s, q->p, NULL, err)) != 0)
			return rc;
		expand(q, s, d, ch_agg_sets);
		if ((rc = ask_number(s, q->p, &sets, err)) != 0)
			return rc;
		if (sets <= 1)
			break;
	}
	expand(q, s, d, ch_agg_recompute[0]);
	return run(s, q->p, NULL, err);
}

/* Drop the staging tables of passes killed more than STAGE_AGE ago. */
static int
drop_stale(struct sink *s, struct gha_buf *q, char *err)
{
	struct gha_buf ans = { NULL, 0, 0 };
	char *p, *nl;
	int rc = -1;

	q->n = 0;
	gha_buf_adds(q, "SELECT name FROM system.tables WHERE database = '");
	gha_buf_adds(q, s->db);		/* an identifier */
	gha_buf_adds(q, "' AND startsWith(name, 'agg_stage_') AND "
	    "metadata_modification_time < now() - ");
	gha_buf_addint(q, STAGE_AGE);
	gha_buf_adds(q, " FORMAT TabSeparated");
	gha_buf_addc(q, '\0');
	if (run(s, q->p, &ans, err) != 0)
		goto out;
	for (p = ans.p; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		q->n = 0;
		gha_buf_adds(q, "DROP TABLE IF EXISTS ");
		gha_buf_adds(q, s->db);
		gha_buf_adds(q, ".");
		gha_buf_adds(q, p);	/* agg_stage_ and hex digits */
		gha_buf_addc(q, '\0');
		if (strspn(p + 10, "0123456789abcdef") == strlen(p + 10) &&
		    run(s, q->p, NULL, err) != 0)
			goto out;
	}
	rc = 0;
out:
	gha_buf_free(&ans);
	return rc;
}

/*
 * The days due into *list (day numbers, *n of them, *cap allocated), the
 * second of the newest mark among them in *newest, the server's now() in
 * *now.
 */
static int
due_days(struct sink *s, struct gha_buf *q, int64_t **list, size_t *n,
    size_t *cap, unsigned long long *newest, unsigned long long *now,
    char *err)
{
	struct gha_buf ans = { NULL, 0, 0 };
	unsigned dn, e;
	char *p;
	int rc;

	*n = 0;
	*newest = 0;
	expand(q, s, NULL, ch_agg_due);
	if ((rc = run(s, q->p, &ans, err)) != 0)
		goto out;
	rc = -1;
	for (p = ans.p; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (sscanf(p, "%u\t%u\t%llu", &dn, &e, now) != 3 ||
		    strchr(p, '\n') == NULL) {
			snprintf(err, GHA_ERRLEN, "%s: unexpected answer about "
			    "the days to recompute", ch_http_where(s->h));
			goto out;
		}
		if (*n == *cap) {
			*cap = *cap > 0 ? 2 * *cap : 64;
			*list = gha_erealloc(*list, *cap * sizeof(**list));
		}
		(*list)[(*n)++] = dn;
		if (e > *newest)
			*newest = e;
	}
	rc = 0;
out:
	gha_buf_free(&ans);
	return rc;
}

/*
 * The pass's staging table on the server in use, into d->stage: made
 * there (IF NOT EXISTS: it may be from an earlier attempt), named anew
 * when the pass has none there yet.  0, -1 or SWITCHED.
 */
static int
stage_here(struct sink *s, struct gha_buf *q, struct stages *st,
    struct day *d, char *err)
{
	const char *where = ch_http_where(s->h);
	int i;

	for (i = 0; i < st->n && strcmp(st->v[i].where, where) != 0; i++)
		;
	if (i == st->n) {	/* i < GHA_TARGET_ENDMAX: one a server */
		snprintf(st->v[i].name, sizeof(st->v[i].name),
		    "%s.agg_stage_%016llx", s->db,
		    (unsigned long long)token());
		st->v[i].where = where;
		st->n++;
	}
	d->stage = st->v[i].name;
	expand(q, s, d, "CREATE TABLE IF NOT EXISTS %S AS @.agg_by_day "
	    "ENGINE = MergeTree PARTITION BY toYYYYMMDD(day) "
	    "ORDER BY (kind, name)");
	return run(s, q->p, NULL, err);
}

/*
 * Recompute every day due (see the top of the file), with the staging
 * table of the server in use (stage_here); *days counts them.  Then ask
 * again: a day is still due when a loader recomputing it at the same
 * time swapped in its older result after ours, or a batch of it was
 * stored meanwhile.  At most ROUNDS.  0, -1 or SWITCHED.
 */
static int
rounds(struct sink *s, struct gha_buf *q, struct stages *st,
    unsigned long long *days, char *err)
{
	char t[21];
	unsigned long long now = 0, newest = 0;
	unsigned long long skew = s->cluster[0] != '\0' ? SKEW : 0;
	int64_t *list = NULL;
	size_t n = 0, cap = 0, i;
	struct day d;
	int rc = 0, round;

	memset(&d, 0, sizeof(d));	/* d.stage NULL until stage_here */
	for (round = 0; round < ROUNDS; round++) {
		if ((rc = due_days(s, q, &list, &n, &cap, &newest, &now,
		    err)) != 0 || n == 0)
			break;
		/*
		 * ver: a second every mark seen was written before, by the
		 * clock of any node.
		 */
		while (rc == 0 && now <= newest + skew) {
			usleep(200000);
			rc = ask_number(s, "SELECT toUInt32(now())", &now, err);
		}
		if (rc != 0)
			break;
		d.ver = (uint32_t)(now - 1 - skew);
		if (d.stage == NULL && (rc = stage_here(s, q, st, &d,
		    err)) != 0)
			break;
		for (i = 0; rc == 0 && i < n; i++) {
			d.start = list[i] * DAY;
			gha_time_format(d.start, t);
			memcpy(d.date, t, 10);
			memcpy(d.part, t, 4);
			memcpy(d.part + 4, t + 5, 2);
			memcpy(d.part + 6, t + 8, 2);
			if ((rc = one_day(s, q, &d, err)) == 0)
				(*days)++;
		}
		if (rc != 0 || (rc = ch_cluster_catch_up(s, "agg_by_day",
		    err)) != 0)
			break;
	}
	free(list);
	return rc;
}

/*
 * Drop the pass's staging tables, each on its server: the one in use's
 * as any statement (0, or -1 + err), the others' asked once each, for
 * DROP_SECS at most (one down or slow keeps its table, for drop_stale
 * there later).
 */
static int
drop_stages(struct sink *s, struct gha_buf *q, const struct stages *st,
    char *err)
{
	char why[GHA_ERRLEN];
	struct day d;
	int i, rc = 0;

	memset(&d, 0, sizeof(d));
	for (i = 0; i < st->n; i++) {
		d.stage = st->v[i].name;
		expand(q, s, &d, "DROP TABLE IF EXISTS %S");
		if (strcmp(st->v[i].where, ch_http_where(s->h)) == 0) {
			if (run(s, q->p, NULL, err) != 0)
				rc = -1;
		} else
			(void)ch_http_once_at(s->h, st->v[i].where, q->p,
			    DROP_SECS, why);
	}
	return rc;
}

/*
 * Recompute the days due.  A pass whose server stopped answering is
 * begun again on the one the retries went on to, with its staging table
 * there, for up to -w seconds after the first switch; its staging tables
 * are dropped at the end, whatever the outcome.
 */
int
ch_rollup_run(struct sink *s, unsigned long long *days, char *err)
{
	struct gha_buf q = { NULL, 0, 0 };
	char why[GHA_ERRLEN];
	struct stages st;
	time_t first = 0;
	int rc;

	*days = 0;
	st.n = 0;
	while ((rc = rounds(s, &q, &st, days, err)) == SWITCHED) {
		if (first == 0)
			first = time(NULL);
		else if (time(NULL) - first > s->wait) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && st.n == 0)
		rc = drop_stale(s, &q, err) != 0 ? -1 : 0;
	if (drop_stages(s, &q, &st, rc == 0 ? err : why) != 0)
		rc = -1;
	gha_buf_free(&q);
	return rc;
}
