/*
 * expr.c - gha-filter's -e tests, FIELD OP VALUE: parsing the test, its
 * operand, and comparing a value with it.
 *
 * Numbers compare as numbers (integers exactly, else as doubles), strings
 * as byte strings, except that a string value that reads as a time
 * (gha_time_parse) compared with an operand that is a time or a date
 * compares as a time, so created_at < 2015-01-01T03:00:00Z and created_at
 * >= 2015-01-01 both mean what they say.  A value of another type than
 * the operand is unequal and unordered: only != is true.  ~ and !~ are
 * POSIX extended regular expressions (REG_ICASE with -i).
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "filter.h"
#include "pred.h"

/*
 * Read s (NUL-terminated) as a JSON-style number: an optional '-', a
 * digit, then digits, '.', 'e', 'E', '+', '-' only, all of it used.
 */
static int
readnum(const char *s, struct num *v)
{
	const char *p;
	char *end;

	p = *s == '-' ? s + 1 : s;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && strchr(".eE+-", *p) == NULL)
			return -1;
	errno = 0;
	v->i = strtoll(s, &end, 10);
	if (*end == '\0' && errno == 0) {
		v->isint = 1;
		v->d = (double)v->i;
		return 0;
	}
	errno = 0;
	v->d = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE)
		return -1;
	v->isint = 0;
	return 0;
}

static int
cmpnum(const struct num *a, const struct num *b)
{
	if (a->isint && b->isint)
		return a->i < b->i ? -1 : a->i > b->i;
	return a->d < b->d ? -1 : a->d > b->d ? 1 : a->d == b->d ? 0 : 2;
}

static int
cmpstr(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/*
 * Compare the value t with the operand v: -1, 0, 1 as t is below, equal
 * to or above v; 2 when they are unequal and unordered.
 */
static int
compare(struct flt *f, const struct operand *v, const struct gha_jtok *t)
{
	int tt = t->type == GHA_J_NONE ? GHA_J_NULL : t->type;
	struct num a;
	const char *s;
	size_t n;
	int64_t e;

	if (v->type == GHA_J_NULL)
		return tt == GHA_J_NULL ? 0 : 2;
	if (v->type == GHA_J_TRUE || v->type == GHA_J_FALSE)
		return tt == v->type ? 0 : 2;
	if (tt != GHA_J_INT && tt != GHA_J_REAL && tt != GHA_J_STRING)
		return 2;
	s = flt_text(f, t, &n, 1);
	if (v->type == GHA_J_INT || v->type == GHA_J_REAL) {
		if (readnum(s, &a) != 0)
			return 2;
		return cmpnum(&a, &v->num);
	}
	if (tt != GHA_J_STRING)
		return 2;
	if (v->istime && gha_time_parse(s, n, &e) == 0)
		return e < v->t ? -1 : e > v->t;
	return cmpstr(s, n, v->s, v->n);
}

int
flt_test(struct flt *f, const struct pred *p, const struct gha_jtok *t)
{
	const char *s;
	size_t n;
	int c;

	if (p->op == OP_RE || p->op == OP_NRE) {
		c = 0;
		if (t->type != GHA_J_NONE && t->type != GHA_J_NULL) {
			s = flt_text(f, t, &n, 1);
			c = regexec(&p->v.re, s, 0, NULL, 0) == 0;
		}
		return p->op == OP_RE ? c : !c;
	}
	c = compare(f, &p->v, t);
	switch (p->op) {
	case OP_EQ:
		return c == 0;
	case OP_NE:
		return c != 0;
	case OP_LT:
		return c == -1;
	case OP_LE:
		return c == -1 || c == 0;
	case OP_GT:
		return c == 1;
	case OP_GE:
		return c == 1 || c == 0;
	default:
		return 0;
	}
}

/* Parse the operand of a comparison: JSON scalar, else bare text. */
static void
operand(struct operand *v, const char *s)
{
	static const struct gha_jfield vf[] = { { "v", 0, NULL },
	    { NULL, 0, NULL } };
	char err[GHA_ERRLEN], *obj;
	struct gha_jtok t;
	size_t n = strlen(s);

	obj = gha_emalloc(n + 8);
	snprintf(obj, n + 8, "{\"v\":%s}", s);
	if (gha_json_extract(obj, strlen(obj), vf, &t, 1, err) != 0 ||
	    t.type == GHA_J_OBJECT || t.type == GHA_J_ARRAY) {
		v->type = GHA_J_STRING;
		v->s = gha_estrdup(s);
		v->n = n;
	} else if (t.type == GHA_J_STRING) {
		v->type = GHA_J_STRING;
		v->s = gha_emalloc(t.n + 1);
		v->n = gha_json_unescape(&t, v->s, t.n + 1);
	} else {
		v->type = t.type;
		v->s = gha_estrdup(s);
		v->n = n;
		if ((t.type == GHA_J_INT || t.type == GHA_J_REAL) &&
		    readnum(v->s, &v->num) != 0)
			v->type = GHA_J_STRING;
	}
	free(obj);
	if (v->type == GHA_J_STRING && flt_parse_time(v->s, &v->t) == 0)
		v->istime = 1;
}

/* -e 'FIELD OP VALUE'. */
int
flt_expr(struct flt *f, const char *expr, char *err)
{
	static const struct { const char *s; enum op op; } ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE },
		{ ">=", OP_GE }, { "!~", OP_NRE }, { "<", OP_LT },
		{ ">", OP_GT }, { "~", OP_RE },
	};
	const char *p = expr, *q;
	struct pred *pr;
	char *name, msg[GHA_ERRLEN];
	size_t i, len;
	int rc;

	while (isspace((unsigned char)*p))
		p++;
	for (q = p; *q != '\0' && !isspace((unsigned char)*q) &&
	    strchr("=!<>~", *q) == NULL; q++)
		;
	len = (size_t)(q - p);
	while (isspace((unsigned char)*q))
		q++;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(q, ops[i].s, strlen(ops[i].s)) == 0)
			break;
	/* Each complaint names the column where the expression went wrong. */
	if (len == 0) {
		snprintf(err, GHA_ERRLEN, "%.80s: column %zu: want a field "
		    "name first (FIELD OP VALUE)", expr, (size_t)(p - expr) + 1);
		return -1;
	}
	if (i == sizeof(ops) / sizeof(ops[0])) {
		snprintf(err, GHA_ERRLEN, "%.80s: column %zu: want an operator "
		    "after %.*s: == != < <= > >= ~ !~", expr,
		    (size_t)(q - expr) + 1, (int)(len > 40 ? 40 : len), p);
		return -1;
	}
	q += strlen(ops[i].s);
	while (isspace((unsigned char)*q))
		q++;
	if (*q == '\0') {
		snprintf(err, GHA_ERRLEN, "%.80s: column %zu: no value (use "
		    "\"\" for the empty string)", expr, (size_t)(q - expr) + 1);
		return -1;
	}
	/*
	 * "type === X" or "size <> 3" would compare with "= X" or "> 3"
	 * and select nothing: a value that starts like an operator must be
	 * a JSON string, as in == "=x".
	 */
	if (strchr("=!<>~", *q) != NULL) {
		snprintf(err, GHA_ERRLEN, "%.80s: column %zu: a value does not "
		    "start with '%c' (one operator: == != < <= > >= ~ !~; "
		    "such a value as a JSON string, or [%c] in a regular "
		    "expression)", expr,
		    (size_t)(q - expr) + 1, *q, *q);
		return -1;
	}
	name = gha_emalloc(len + 1);
	memcpy(name, p, len);
	name[len] = '\0';
	pr = flt_pred_add(f, P_TEST, name, err);
	free(name);
	if (pr == NULL)
		return -1;
	pr->op = ops[i].op;
	if (pr->op == OP_RE || pr->op == OP_NRE) {
		rc = regcomp(&pr->v.re, q, REG_EXTENDED | REG_NOSUB |
		    (f->icase ? REG_ICASE : 0));
		if (rc != 0) {
			regerror(rc, &pr->v.re, msg, sizeof(msg));
			snprintf(err, GHA_ERRLEN, "bad regular expression "
			    "\"%.100s\": %.100s", q, msg);
			pr->op = OP_EQ;	/* nothing to regfree */
			return -1;
		}
		return 0;
	}
	operand(&pr->v, q);
	return 0;
}

