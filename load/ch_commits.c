/*
 * ch_commits.c - resolved commit counts in ClickHouse (gha-load
 * --commits, see commits.c).
 *
 * push_commits (ch_schema.c) is a ReplacingMergeTree ordered by
 * (push_id, head), read FINAL by the views, so a push stored twice
 * counts once whatever the state of merges.  Before the rows go in, a
 * probe reads back which of them are stored already: those are counted
 * as duplicates and not sent again, as the events are (ch_send.c).
 * The pushes' days are marked and recomputed (ch_rollup.c), stored now
 * or before (a killed run's rerun finds its rows stored).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickhouse.h"

#define MAXANSWER	(4UL << 20)

/* Is "push_id\thead" a line of the probe's answer a? */
static int
stored(const struct gha_buf *a, const struct commit_row *r)
{
	char key[64];
	const char *p, *end = a->p + a->n;
	size_t k;

	k = (size_t)snprintf(key, sizeof(key), "%lld\t%s",
	    (long long)r->push_id, r->head);
	for (p = a->p; p != NULL && p < end; p = memchr(p, '\n', end - p),
	    p = p != NULL ? p + 1 : NULL)
		if ((size_t)(end - p) >= k && memcmp(p, key, k) == 0 &&
		    (p + k == end || p[k] == '\n'))
			return 1;
	return 0;
}

/* Mark the days of t[0..n), retrying transient failures. */
static int
mark(struct sink *s, const int64_t *t, size_t n, uint64_t tok, int kind,
    char *err)
{
	int k, rc;

	for (k = 0; (rc = ch_rollup_mark(s, &s->mark, t, n, tok, kind,
	    err)) != CH_OK; k++)
		if (rc == CH_PERMANENT || ch_http_retry(s->h, k, err) != 0)
			return -1;
	ch_http_done(s->h);
	return 0;
}

int
ch_commits_put(struct sink *s, const struct commit_row *rows, size_t n,
    struct load_stats *st, char *err)
{
	struct gha_buf *q = &s->sql, ans = { NULL, 0, 0 };
	unsigned long long nd;
	int64_t *days;
	uint64_t tok;
	char t[21];
	size_t i, sent = 0;

	q->n = 0;
	gha_buf_adds(q, "SELECT push_id, head FROM ");
	gha_buf_adds(q, s->db);
	gha_buf_adds(q, ".push_commits WHERE (push_id, head) IN (");
	for (i = 0; i < n; i++) {
		gha_buf_adds(q, i > 0 ? ", (" : "(");
		gha_buf_addint(q, rows[i].push_id);
		gha_buf_adds(q, ", '");
		gha_buf_adds(q, rows[i].head);	/* hex digits */
		gha_buf_adds(q, "')");
	}
	gha_buf_adds(q, ") FORMAT TabSeparated");
	gha_buf_addc(q, '\0');
	if (ch_http_ask(s->h, q->p, NULL, &ans, MAXANSWER, err) != 0) {
		gha_buf_free(&ans);
		return -1;
	}
	q->n = 0;
	gha_buf_adds(q, "INSERT INTO ");
	gha_buf_adds(q, s->db);
	gha_buf_adds(q, ".push_commits (push_id, head, repo_name, "
	    "created_at, `before`, commits, source, state) "
	    "FORMAT JSONEachRow\n");
	for (i = 0; i < n; i++) {
		if (stored(&ans, &rows[i]))
			continue;
		sent++;
		gha_buf_adds(q, "{\"push_id\":");
		gha_buf_addint(q, rows[i].push_id);
		gha_buf_adds(q, ",\"head\":\"");
		gha_buf_adds(q, rows[i].head);
		gha_buf_adds(q, "\",\"repo_name\":");
		gha_buf_addjstr(q, rows[i].repo, strlen(rows[i].repo));
		gha_time_format(rows[i].created, t);
		gha_buf_adds(q, ",\"created_at\":\"");
		gha_buf_add(q, t, 10);
		gha_buf_addc(q, ' ');
		gha_buf_add(q, t + 11, 8);
		gha_buf_adds(q, "\",\"before\":\"");
		gha_buf_adds(q, rows[i].before);
		gha_buf_adds(q, "\",\"commits\":");
		if (rows[i].commits < 0)
			gha_buf_adds(q, "null");
		else
			gha_buf_addint(q, rows[i].commits);
		gha_buf_adds(q, ",\"source\":\"");
		gha_buf_adds(q, rows[i].source);
		gha_buf_adds(q, "\",\"state\":\"");
		gha_buf_adds(q, rows[i].state);
		gha_buf_adds(q, "\"}\n");
	}
	gha_buf_addc(q, '\0');
	gha_buf_free(&ans);
	/* The days of the pushes, marked before and after (ch_rollup.c). */
	tok = ch_rollup_token();
	days = gha_emalloc(n * sizeof(*days));
	for (i = 0; i < n; i++)
		days[i] = rows[i].created;
	if (mark(s, days, n, tok, 0, err) != 0 ||
	    (sent > 0 && ch_http_query(s->h, q->p, err) != 0) ||
	    mark(s, days, n, tok, 1, err) != 0 ||
	    ch_rollup_run(s, &nd, err) != 0) {
		free(days);
		return -1;
	}
	free(days);
	st->inserted += sent;
	st->duplicates += n - sent;
	st->days += nd;
	return 0;
}
