/*
 * commits.c - gha-load --commits: store resolved commit counts.
 *
 * gha-fetch --commits writes one resolution record for each slim push
 * (a PushEvent without a count) it settled:
 *
 *   {"repo_name":R,"push_id":N,"created_at":T,"before":SHA,"head":SHA,
 *    "commits":N|null,"source":"git"|"api"|"rule",
 *    "state":"resolved"|"gone"}
 *
 * This mode reads them from stdin, checks each (a bad line is reported
 * as FILE:LINE and skipped) and hands them to the sink in batches: each
 * sink keeps them in push_commits, keyed by (push_id, head), beside the
 * events, and the metrics take a push's count from there when the
 * archive has none.  A push's count never changes, so a record stored
 * again is a duplicate and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "commits.h"

#define BATCH	10000

enum { F_REPO, F_ID, F_AT, F_BEFORE, F_HEAD, F_COMMITS, F_SOURCE, F_STATE,
	F_N };
static const struct gha_jfield fields[] = {
	{ "repo_name", F_REPO, NULL }, { "push_id", F_ID, NULL },
	{ "created_at", F_AT, NULL }, { "before", F_BEFORE, NULL },
	{ "head", F_HEAD, NULL }, { "commits", F_COMMITS, NULL },
	{ "source", F_SOURCE, NULL }, { "state", F_STATE, NULL },
	{ NULL, 0, NULL }
};

static int
sha(const struct gha_jtok *t, char *out)
{
	size_t i;

	if (t->type != GHA_J_STRING || t->esc || t->n != 42)
		return -1;
	for (i = 0; i < 40; i++)
		if (!strchr("0123456789abcdef", t->p[1 + i]))
			return -1;
	memcpy(out, t->p + 1, 40);
	out[40] = '\0';
	return 0;
}

/* One record into r; 0, or -1 with why. */
static int
parse(const char *line, size_t n, struct commit_row *r, char *why)
{
	static const char *const sources[] = { "git", "api", "rule", NULL };
	struct gha_jtok t[F_N];
	char at[32];
	size_t len;
	int i;

	memset(r, 0, sizeof(*r));
	if (gha_json_extract(line, n, fields, t, F_N, why) != 0)
		return -1;
	if (t[F_REPO].type != GHA_J_STRING || t[F_REPO].n > 200 ||
	    (len = gha_json_unescape(&t[F_REPO], r->repo,
	    sizeof(r->repo) - 1)) == 0 || memchr(r->repo, '/', len) == NULL) {
		snprintf(why, GHA_ERRLEN, "repo_name: want owner/name");
		return -1;
	}
	r->repo[len] = '\0';
	if (gha_json_int(&t[F_ID], &r->push_id) != 0) {
		snprintf(why, GHA_ERRLEN, "push_id: want an integer");
		return -1;
	}
	if (t[F_AT].type != GHA_J_STRING || t[F_AT].n > sizeof(at) ||
	    (len = gha_json_unescape(&t[F_AT], at, sizeof(at))) == 0 ||
	    gha_time_parse(at, len, &r->created) != 0) {
		snprintf(why, GHA_ERRLEN, "created_at: want a time");
		return -1;
	}
	if (sha(&t[F_BEFORE], r->before) != 0 || sha(&t[F_HEAD], r->head) != 0) {
		snprintf(why, GHA_ERRLEN, "before, head: want 40 hex digits");
		return -1;
	}
	if ((i = gha_json_oneof(&t[F_SOURCE], sources)) < 0) {
		snprintf(why, GHA_ERRLEN, "source: want git, api or rule");
		return -1;
	}
	snprintf(r->source, sizeof(r->source), "%s", sources[i]);
	if (gha_json_streq(&t[F_STATE], "resolved")) {
		if (gha_json_int(&t[F_COMMITS], &r->commits) != 0 ||
		    r->commits < 0) {
			snprintf(why, GHA_ERRLEN, "commits: want a count");
			return -1;
		}
		strcpy(r->state, "resolved");
	} else if (gha_json_streq(&t[F_STATE], "gone") &&
	    t[F_COMMITS].type == GHA_J_NULL) {
		r->commits = -1;
		strcpy(r->state, "gone");
	} else {
		snprintf(why, GHA_ERRLEN, "state: want resolved with a count, "
		    "or gone with null");
		return -1;
	}
	return 0;
}

int
commits_run(const struct sink_ops *ops, struct sink *sink, int quiet)
{
	char err[GHA_ERRLEN], why[GHA_ERRLEN];
	struct commit_row *rows;
	struct load_stats st;
	struct gha_in *in;
	const char *line;
	size_t n, nrows = 0;
	unsigned long long bad = 0, read = 0;
	int r, ret = GHA_EX_OK, failed = 0;

	memset(&st, 0, sizeof(st));
	rows = gha_emalloc(BATCH * sizeof(*rows));
	if ((in = gha_in_open("-", 1U << 16, err)) == NULL)
		gha_die(GHA_EX_INPUT, "%s", err);
	while (!failed &&
	    (r = gha_in_getline(in, &line, &n, err)) != GHA_IN_EOF) {
		if (r == GHA_IN_ERR) {
			gha_warnx("%s", err);
			ret = GHA_EX_INPUT;
			break;
		}
		read++;
		if (r == GHA_IN_LONG || parse(line, n, &rows[nrows], why) != 0) {
			if (!quiet)
				gha_warnx("%s:%llu: %s", gha_in_name(in),
				    gha_in_lineno(in), r == GHA_IN_LONG ?
				    "line too long" : why);
			bad++;
			continue;
		}
		if (++nrows == BATCH) {
			if (ops->commits_put(sink, rows, nrows, &st, err) != 0)
				failed = 1;
			nrows = 0;
		}
	}
	gha_in_close(in);
	if (!failed && nrows > 0 &&
	    ops->commits_put(sink, rows, nrows, &st, err) != 0)
		failed = 1;
	free(rows);
	if (failed)
		gha_warnx("%s", err);
	if (ops->close(sink, err) != 0) {
		gha_warnx("%s", err);
		failed = 1;
	}
	if (!quiet)
		gha_warnx("commits: %llu read, %llu inserted, %llu %s, %llu "
		    "rejected", read, st.inserted, st.duplicates,
		    gha_plural(st.duplicates, "duplicate", "duplicates"), bad);
	gha_eclose_stdout();
	if (failed)
		return GHA_EX_OUTPUT;
	if (ret != GHA_EX_OK)
		return ret;
	return bad > 0 ? GHA_EX_DATA : GHA_EX_OK;
}
