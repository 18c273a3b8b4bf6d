/*
 * bots.c - which logins are machine accounts, for the metrics that count
 * people (gha-load's views) and for gha-filter -b/-B.
 *
 * A login is a bot when it ends in "[bot]" (a GitHub App; any case) or is
 * on the list: one login a line, "#" to the end of a line a comment,
 * compared ignoring ASCII case (logins are case-insensitive on GitHub;
 * SQLite's lower() and ClickHouse's lower() fold ASCII only, so the three
 * copies agree).  The list is scripts/bots, built in (bots-default.h is
 * made from it by the Makefile) and installed as share/gha/bots; the
 * environment variable GHA_BOTS names a file that replaces it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gha.h"
#include "bots.h"

static const char default_list[] =
#include "bots-default.h"
    ;

void
gha_bots_add(struct gha_bots *b, const char *s, size_t n)
{
	char *p;
	size_t i;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->v = gha_erealloc(b->v, b->cap * sizeof(*b->v));
	}
	p = gha_emalloc(n + 1);
	for (i = 0; i < n; i++)
		p[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i];
	p[n] = '\0';
	b->v[b->n++] = p;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop repeats: after the last gha_bots_add. */
void
gha_bots_done(struct gha_bots *b)
{
	size_t i, j;

	if (b->n == 0)
		return;
	qsort(b->v, b->n, sizeof(*b->v), cmp);
	for (i = j = 1; i < b->n; i++)
		if (strcmp(b->v[i], b->v[j - 1]) != 0)
			b->v[j++] = b->v[i];
		else
			free(b->v[i]);
	b->n = j;
}

/* Parse text (a list file's contents) into b; where names it. */
static int
parse(struct gha_bots *b, const char *text, size_t len, const char *where,
    char *err)
{
	const char *p = text, *end = text + len, *nl, *s, *e, *q;
	unsigned long line = 0;

	for (; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		e = memchr(p, '#', (size_t)(nl - p));
		if (e == NULL)
			e = nl;
		for (s = p; s < e && (*s == ' ' || *s == '\t' ||
		    *s == '\r'); s++)
			;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
		    e[-1] == '\r'))
			e--;
		if (s == e)
			continue;
		for (q = s; q < e; q++)
			if ((unsigned char)*q <= ' ' || *q == 0x7f) {
				snprintf(err, GHA_ERRLEN, "%s:%lu: not one "
				    "login: %.*s", where, line,
				    (int)(e - s > 60 ? 60 : e - s), s);
				return -1;
			}
		gha_bots_add(b, s, (size_t)(e - s));
	}
	gha_bots_done(b);
	return 0;
}

/*
 * Fill b with the list in effect: the file GHA_BOTS names, else the
 * built-in default.  0, or -1 and err ("FILE: why" or "FILE:LINE: why").
 */
int
gha_bots_load(struct gha_bots *b, char *err)
{
	const char *path = getenv("GHA_BOTS");
	struct gha_buf t = { NULL, 0, 0 };
	char chunk[8192];
	size_t n;
	FILE *f;
	int rc;

	memset(b, 0, sizeof(*b));
	if (path == NULL || path[0] == '\0') {
		snprintf(b->src, sizeof(b->src), "the built-in list");
		return parse(b, default_list, sizeof(default_list) - 1,
		    "built-in bots", err);
	}
	snprintf(b->src, sizeof(b->src), "%s", path);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, GHA_ERRLEN, "%s (GHA_BOTS): %s", path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		gha_buf_add(&t, chunk, n);
		if (t.n > (1u << 24)) {
			snprintf(err, GHA_ERRLEN, "%s (GHA_BOTS): longer than "
			    "16 MB", path);
			goto fail;
		}
	}
	if (ferror(f)) {
		snprintf(err, GHA_ERRLEN, "%s (GHA_BOTS): %s", path,
		    strerror(errno));
		goto fail;
	}
	fclose(f);
	rc = parse(b, t.p ? t.p : "", t.n, path, err);
	gha_buf_free(&t);
	return rc;
fail:
	fclose(f);
	gha_buf_free(&t);
	return -1;
}

/* Ends in "[bot]", in any case. */
static int
suffix(const char *s, size_t n)
{
	return n >= 5 && strncasecmp(s + n - 5, "[bot]", 5) == 0;
}

/* On the list (ignoring ASCII case). */
static int
listed(const struct gha_bots *b, const char *s, size_t n)
{
	size_t lo = 0, hi = b->n, mid, i;
	const char *v;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		v = b->v[mid];
		c = 0;
		for (i = 0; i < n && c == 0; i++) {
			int x = s[i] >= 'A' && s[i] <= 'Z' ?
			    s[i] - 'A' + 'a' : (unsigned char)s[i];
			c = x - (unsigned char)v[i];	/* v[i] '\0': c > 0 */
		}
		if (c == 0 && v[n] != '\0')
			c = -1;
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int
gha_bots_is(const struct gha_bots *b, const char *s, size_t n)
{
	return suffix(s, n) || listed(b, s, n);
}

void
gha_bots_free(struct gha_bots *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->v[i]);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}
