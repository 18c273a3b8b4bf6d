/*
 * fuzz_filter - gha-filter's predicate parser and matcher (filter/pred.c, filter/expr.c).
 *
 * The input is a command line and the lines it filters:
 *   byte 0: bit 0 = -i (case-insensitive globs and regexes);
 *   then, up to the first '\n', items separated by '\t', each a letter
 *   and its argument as gha-filter gets it: e EXPR (-e), t LIST / T LIST
 *   (-t / -T), a / o / r GLOBS (-a / -o / --repo), s WHEN / u WHEN
 *   (--since / --until), f LIST (--fields), b / B (-b / -B), d (--dedup);
 *   then the lines, one per '\n'.  (The letters of this format are its
 *   own: the corpus keeps them whatever gha-filter's options are called.)
 * Parsing must fail cleanly or succeed, never crash or leak.  On each line:
 *   - flt_match is -1 exactly when gha_json_validate refuses the line:
 *     a field list built from any dotted paths validates as a bare scan;
 *   - what flt_write prints is the line itself, or with --fields a JSON
 *     object jansson reads;
 *   - with d, flt_key gives the same hash twice;
 *   - for each -e FIELD OP VALUE, the six comparisons of FIELD and VALUE
 *     are consistent: != is not ==, <= is < or ==, >= is > or ==, at most
 *     one of <, ==, > holds; !~ is not ~.
 * Regular expressions with '{', back-references or more than four
 * repetitions, and globs with more than four '*', are left out: glibc's
 * matchers can take exponential time or memory on them, which is no bug
 * of ours (the user writes the pattern).
 */
#include <string.h>

#include <jansson.h>

#include "gha.h"
#include "filter.h"
#include "fuzz.h"

#define MAXITEMS	8

/* A regular expression glibc compiles and runs in reasonable time. */
static int
tame_re(const char *s)
{
	int reps = 0;

	for (; *s != '\0'; s++) {
		if (*s == '{' || *s == '\\')
			return 0;
		reps += *s == '*' || *s == '+' || *s == '?';
	}
	return reps <= 4;
}

/* Is this item one the matchers can run in reasonable time? */
static int
tame(const char *s)
{
	const char *p;
	int stars = 0;

	for (p = s; *p != '\0'; p++)
		stars += *p == '*';
	if (stars > 4)
		return 0;
	if (s[0] == 'e' && strchr(s, '~') != NULL && !tame_re(s))
		return 0;
	return 1;
}

/* Add one item to f; returns 0, or -1 when it was refused. */
static int
item(struct flt *f, const char *s, char *err)
{
	const char *arg = s + 1;

	switch (s[0]) {
	case 'e':
		return flt_expr(f, arg, err);
	case 't':
	case 'T':
		return flt_types(f, arg, s[0] == 'T', err);
	case 'a':
		return flt_globs(f, FLT_ACTOR, arg, err);
	case 'o':
		return flt_globs(f, FLT_ORG, arg, err);
	case 'r':
		return flt_globs(f, FLT_REPO, arg, err);
	case 's':
	case 'u':
		return flt_window(f, s[0] == 'u', arg, err);
	case 'f':
		return flt_project(f, arg, err);
	case 'b':
	case 'B':
		return flt_bots(f, s[0] == 'b', err);
	case 'd':
		flt_want_key(f);
		return 0;
	default:
		snprintf(err, GHA_ERRLEN, "no such item");
		return -1;
	}
}

/* One single-test filter "field OP value"; NULL when refused. */
static struct flt *
one(int icase, const char *field, size_t flen, const char *op,
    const char *value)
{
	char err[GHA_ERRLEN], *e;
	struct flt *f = flt_new(icase);
	size_t n = flen + strlen(op) + strlen(value) + 1;

	e = gha_emalloc(n);
	snprintf(e, n, "%.*s%s%s", (int)flen, field, op, value);
	if (flt_expr(f, e, err) != 0) {
		flt_free(f);
		f = NULL;
	} else
		flt_compile(f);
	free(e);
	return f;
}

/* The six comparisons and the two regex tests of one -e on line. */
static void
laws(int icase, const char *expr, const char *line, size_t n)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">",
	    ">=", "~", "!~" };
	const char *p = expr, *q, *v;
	struct flt *f[8];
	char err[GHA_ERRLEN];
	int m[8], i, k;
	size_t flen;

	/* Split as flt_expr does: FIELD, OP, VALUE. */
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	for (q = p; *q != '\0' && strchr("=!<>~ \t\n\v\f\r", *q) == NULL; q++)
		;
	flen = (size_t)(q - p);
	for (v = q; *v != '\0' && strchr("=!<>~ \t\n\v\f\r", *v) != NULL; v++)
		;
	if (flen == 0 || *v == '\0')
		return;
	for (i = 0; i < 8; i++) {
		f[i] = i < 6 || tame_re(v) ?
		    one(icase, p, flen, ops[i], v) : NULL;
		m[i] = f[i] ? flt_match(f[i], line, n, err) : -2;
	}
	for (i = 0; i < 6; i++)
		if ((f[i] == NULL) != (f[0] == NULL))
			fz_fail("%.*s: only some comparisons parse",
			    (int)flen, p);
	if (f[0] != NULL && m[0] >= 0) {
		k = m[2] + m[0] + m[4];
		if (m[1] != !m[0] || m[3] != (m[2] || m[0]) ||
		    m[5] != (m[4] || m[0]) || k > 1) {
			fz_show("line", line, n);
			fz_fail("%.*s ... %s: == %d != %d < %d <= %d > %d "
			    ">= %d", (int)flen, p, v, m[0], m[1], m[2], m[3],
			    m[4], m[5]);
		}
	}
	if (f[6] != NULL && f[7] != NULL && m[6] >= 0 && m[7] != !m[6]) {
		fz_show("line", line, n);
		fz_fail("%.*s ~ %s is %d, !~ is %d", (int)flen, p, v, m[6],
		    m[7]);
	}
	for (i = 0; i < 8; i++)
		flt_free(f[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *items[MAXITEMS], *p, *nl, *line, *end;
	char err[GHA_ERRLEN];
	struct gha_buf out = { NULL, 0, 0 };
	struct flt *f;
	json_t *j;
	size_t n, i, nitems = 0;
	int icase, m, v, proj = 0, key = 0;

	if (size < 1)
		return 0;
	icase = data[0] & 1;
	buf = gha_emalloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	end = buf + size - 1;
	if ((nl = memchr(buf, '\n', size - 1)) == NULL)
		nl = end;
	*nl = '\0';
	if (memchr(buf, '\0', (size_t)(nl - buf)) != NULL)
		goto out;	/* argv strings have no NUL */
	for (p = buf; nitems < MAXITEMS; p++) {
		items[nitems++] = p;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p = '\0';
	}
	for (i = 0; i < nitems; i++)
		if (!tame(items[i]))
			goto out;

	f = flt_new(icase);
	for (i = 0; i < nitems; i++) {
		err[0] = '\0';
		if (item(f, items[i], err) != 0) {
			if (err[0] == '\0')
				fz_fail("item %s refused without a message",
				    items[i]);
			flt_free(f);
			goto out;
		}
		proj |= items[i][0] == 'f';
		key |= items[i][0] == 'd';
	}
	flt_compile(f);

	for (line = nl < end ? nl + 1 : end; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		n = (size_t)(nl - line);
		m = flt_match(f, line, n, err);
		v = gha_json_validate(line, n, err);
		if (m < -1 || m > 1 || (m == -1) != (v != 0)) {
			fz_show("line", line, n);
			fz_fail("flt_match %d, gha_json_validate %d", m, v);
		}
		if (m == 1) {
			out.n = 0;
			flt_write(f, line, n, &out);
			if (!proj && (out.n != n + 1 ||
			    memcmp(out.p, line, n) != 0))
				fz_fail("flt_write changed the line");
			if (proj && ((j = json_loadb(out.p, out.n - 1, 0,
			    NULL)) == NULL || !json_is_object(j))) {
				fz_show("line", line, n);
				fz_show("projection", out.p, out.n);
				fz_fail("the projection is not a JSON object");
			} else if (proj)
				json_decref(j);
			if (key && flt_key(f, line, n) != flt_key(f, line, n))
				fz_fail("flt_key differs on the same line");
		}
		for (i = 0; m >= 0 && i < nitems; i++)
			if (items[i][0] == 'e')
				laws(icase, items[i] + 1, line, n);
		if (nl == end)
			break;
	}
	flt_free(f);
out:
	gha_buf_free(&out);
	free(buf);
	return 0;
}
