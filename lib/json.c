/*
 * json.c - a validating JSON scanner that builds no tree.
 *
 * Why not jansson for every line: jansson builds a full DOM, about 70 MB/s
 * here, and an archive event is mostly bulk nobody keeps (commit lists,
 * pull request bodies, nested user objects).  This scanner walks the line
 * once, checks every byte of it against the grammar, and records only the
 * token spans of the keys the caller named; the values kept are then copied
 * or converted from those spans.  It allocates nothing.
 *
 * What it accepts is meant to be exactly what jansson 2.14's json_loadb()
 * (flags 0) accepts for a line holding one object, so that "valid" means
 * the same thing to gha-decode and to anyone checking with jansson:
 *   - strings: no raw control characters, valid UTF-8 (no overlongs, no
 *     surrogates, nothing above U+10FFFF), escapes \" \\ \/ \b \f \n \r
 *     \t \uXXXX with surrogate pairs matched and \u0000 refused;
 *   - numbers: RFC 8259 syntax; integers must fit in int64 and reals must
 *     be finite, as jansson refuses the others;
 *   - nesting: jansson counts every value, scalars included, and refuses a
 *     value deeper than 2048 (JSON_PARSER_MAX_DEPTH); so do we;
 *   - duplicate keys: the last one wins, as in jansson.
 * One deliberate difference: jansson 2.14 accepts a NUL byte right after a
 * number or a literal ({"a":1\0}, akheron/jansson#331); we refuse it, as
 * RFC 8259 does.  The differential tests never write such a line.
 * tests/refdecode.c checks this against jansson itself on the samples,
 * on generated hours and on randomly damaged lines.
 *
 * Deep nesting is skipped with an explicit stack, never recursion, so a
 * hostile line cannot overflow the C stack.  Recursion happens only along
 * the caller's field lists, which are a few levels deep.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"

#define MAXDEPTH	2048
#define MAXKEY		256

struct scan {
	const char	*base;	/* start of the line, for offsets */
	const char	*end;
	char		*err;
};

static const char *
fail(struct scan *s, const char *p, const char *what)
{
	if (p >= s->end)
		snprintf(s->err, GHA_ERRLEN,
		    "invalid JSON: %s at end of line", what);
	else
		snprintf(s->err, GHA_ERRLEN,
		    "invalid JSON: %s at byte %zu", what,
		    (size_t)(p - s->base) + 1);
	return NULL;
}

static const char *
ws(const char *p, const char *end)
{
	/* Most calls find none: one test says so. */
	while (p < end && (unsigned char)*p <= ' ' && (*p == ' ' ||
	    *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int
hex4(const char *p, unsigned *v)
{
	unsigned x = 0;
	int i;

	for (i = 0; i < 4; i++) {
		x <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			x |= (unsigned)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			x |= (unsigned)(p[i] - 'a' + 10);
		else if (p[i] >= 'A' && p[i] <= 'F')
			x |= (unsigned)(p[i] - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/* Length of the valid UTF-8 sequence at p (0 when invalid). */
static size_t
utf8len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0], cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if ((size_t)(end - p) < n)
		return 0;
	cp = c & (0xff >> (n + 1));
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* High bits set in the bytes of x that may be zero. */
static inline uint64_t
haszero(uint64_t x)
{
	return (x - 0x0101010101010101ULL) & ~x;
}

/* Scan the string whose opening quote is at p; return the byte after. */
static const char *
string(struct scan *s, const char *p, struct gha_jtok *t)
{
	const char *start = p, *end = s->end;
	unsigned u, u2;
	size_t n;
	int esc = 0;

	p++;
	for (;;) {
		/*
		 * The common case, printable ASCII, eight bytes at a time: a
		 * word passes when none of its bytes is below 0x20, a quote, a
		 * backslash or above 0x7f.  The bit tricks may flag bytes
		 * that are fine, but only above one that is not (a borrow
		 * runs upwards only): so on a little-endian machine the lowest
		 * flag is where the byte loop below would stop, and the words
		 * of short strings need no byte loop.
		 */
		while (end - p >= 8) {
			uint64_t v, m;

			memcpy(&v, p, 8);
			m = ((v - 0x2020202020202020ULL) & ~v) | v |
			    haszero(v ^ 0x2222222222222222ULL) |
			    haszero(v ^ 0x5c5c5c5c5c5c5c5cULL);
			if ((m &= 0x8080808080808080ULL) != 0) {
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				p += __builtin_ctzll(m) >> 3;
#endif
				break;
			}
			p += 8;
		}
		while (p < end && (unsigned char)*p >= 0x20 &&
		    (unsigned char)*p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p >= end)
			return fail(s, p, "unterminated string");
		if (*p == '"')
			break;
		if (*p == '\\') {
			esc = 1;
			if (++p >= end)
				return fail(s, p, "unterminated string");
			switch (*p) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p++;
				continue;
			case 'u':
				break;
			default:
				return fail(s, p, "invalid escape");
			}
			if (end - p < 5 || hex4(p + 1, &u) != 0)
				return fail(s, p, "invalid \\u escape");
			p += 5;
			if (u == 0)
				return fail(s, p, "\\u0000 is not allowed");
			if (u >= 0xdc00 && u <= 0xdfff)
				return fail(s, p, "lone low surrogate");
			if (u >= 0xd800 && u <= 0xdbff) {
				if (end - p < 6 || p[0] != '\\' ||
				    p[1] != 'u' || hex4(p + 2, &u2) != 0 ||
				    u2 < 0xdc00 || u2 > 0xdfff)
					return fail(s, p, "lone high surrogate");
				p += 6;
			}
			continue;
		}
		if ((unsigned char)*p < 0x20)
			return fail(s, p, "control character in string");
		if ((n = utf8len((const unsigned char *)p,
		    (const unsigned char *)end)) == 0)
			return fail(s, p, "invalid UTF-8");
		p += n;
	}
	p++;
	if (t != NULL) {
		t->p = start;
		t->n = (size_t)(p - start);
		t->type = GHA_J_STRING;
		t->esc = esc;
		t->count = 0;
	}
	return p;
}

static int
isdigitc(char c)
{
	return c >= '0' && c <= '9';
}

/* Scan a number at p as jansson's lexer does; return the byte after. */
static const char *
number(struct scan *s, const char *p, struct gha_jtok *t)
{
	const char *start = p, *end = s->end;
	char buf[64], *e;
	int real = 0;
	size_t n;

	if (p < end && *p == '-')
		p++;
	if (p >= end || !isdigitc(*p))
		return fail(s, p, "invalid number");
	if (*p == '0')
		p++;
	else
		while (p < end && isdigitc(*p))
			p++;
	if (p < end && *p == '.') {
		real = 1;
		if (++p >= end || !isdigitc(*p))
			return fail(s, p, "invalid number");
		while (p < end && isdigitc(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !isdigitc(*p))
			return fail(s, p, "invalid number");
		while (p < end && isdigitc(*p))
			p++;
	}
	n = (size_t)(p - start);
	if (!real) {
		/* Up to 18 digits always fits in int64. */
		if (n > 18 + (*start == '-')) {
			if (n >= sizeof(buf))
				return fail(s, start, "integer out of range");
			memcpy(buf, start, n);
			buf[n] = '\0';
			errno = 0;
			(void)strtoll(buf, &e, 10);
			if (errno == ERANGE)
				return fail(s, start, "integer out of range");
		}
	} else {
		/* Reals must be finite; long ones are rare, copy them. */
		char *tmp = n < sizeof(buf) ? buf : gha_emalloc(n + 1);
		double d;

		memcpy(tmp, start, n);
		tmp[n] = '\0';
		errno = 0;
		d = strtod(tmp, &e);
		if (tmp != buf)
			free(tmp);
		if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
			return fail(s, start, "real number out of range");
	}
	if (t != NULL) {
		t->p = start;
		t->n = n;
		t->type = real ? GHA_J_REAL : GHA_J_INT;
		t->esc = 0;
		t->count = 0;
	}
	return p;
}

static const char *
literal(struct scan *s, const char *p, struct gha_jtok *t)
{
	static const struct { const char *w; size_t n; int type; } lit[] = {
		{ "null", 4, GHA_J_NULL },
		{ "false", 5, GHA_J_FALSE },
		{ "true", 4, GHA_J_TRUE },
	};
	size_t i;

	/* Only the one its first letter names can match. */
	i = p < s->end && *p == 'n' ? 0 : p < s->end && *p == 'f' ? 1 : 2;
	if ((size_t)(s->end - p) >= lit[i].n &&
	    memcmp(p, lit[i].w, lit[i].n) == 0) {
		if (t != NULL) {
			t->p = p;
			t->n = lit[i].n;
			t->type = lit[i].type;
			t->esc = 0;
			t->count = 0;
		}
		return p + lit[i].n;
	}
	return fail(s, p, "invalid token");
}

/*
 * Scan and check one value of any kind at p, whose nesting depth (as
 * jansson counts it) is depth.  Containers are walked with an explicit
 * stack.  t, when not NULL, gets the value's span and, for a container,
 * the number of its members or elements.
 */
static const char *
value(struct scan *s, const char *p, int depth, struct gha_jtok *t)
{
	unsigned char stk[MAXDEPTH];
	const char *start = p, *end = s->end;
	size_t sp = 0, count = 0;
	int type = GHA_J_NONE;

next:
	if (depth + (int)sp > MAXDEPTH)
		return fail(s, p, "maximum parsing depth reached");
	if (p >= end)
		return fail(s, p, "value expected");
	switch (*p) {
	case '"':
		p = string(s, p, sp == 0 ? t : NULL);
		break;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		p = number(s, p, sp == 0 ? t : NULL);
		break;
	case 'n': case 'f': case 't':
		p = literal(s, p, sp == 0 ? t : NULL);
		break;
	case '{':
	case '[':
		if (sp == 0)
			type = *p == '{' ? GHA_J_OBJECT : GHA_J_ARRAY;
		stk[sp++] = (unsigned char)*p;
		p = ws(p + 1, end);
		if (p < end && *p == (stk[sp - 1] == '{' ? '}' : ']')) {
			p++;
			sp--;
			break;
		}
		if (sp == 1)
			count = 1;
		if (stk[sp - 1] == '{')
			goto key;
		goto next;
	default:
		return fail(s, p, "value expected");
	}
	if (p == NULL)
		return NULL;
after:
	if (sp == 0) {
		if (t != NULL && type != GHA_J_NONE) {
			t->p = start;
			t->n = (size_t)(p - start);
			t->type = type;
			t->esc = 0;
			t->count = count;
		}
		return p;
	}
	p = ws(p, end);
	if (p < end && *p == ',') {
		p = ws(p + 1, end);
		if (sp == 1)
			count++;
		if (stk[sp - 1] == '{')
			goto key;
		goto next;
	}
	if (p < end && *p == (stk[sp - 1] == '{' ? '}' : ']')) {
		p++;
		sp--;
		goto after;
	}
	return fail(s, p, stk[sp - 1] == '{' ? "',' or '}' expected" :
	    "',' or ']' expected");
key:
	if (p >= end || *p != '"')
		return fail(s, p, "string or '}' expected");
	if ((p = string(s, p, NULL)) == NULL)
		return NULL;
	p = ws(p, end);
	if (p >= end || *p != ':')
		return fail(s, p, "':' expected");
	p = ws(p + 1, end);
	goto next;
}

/*
 * Forget every slot of a field list and the lists below it.  (Recursion
 * here and in object() follows the caller's field lists, a few levels
 * deep, never the input's nesting, which value() walks with its own
 * stack: clang-tidy's misc-no-recursion is answered by that.)
 */
static void
clear(const struct gha_jfield *f, struct gha_jtok *slots)
{
	for (; f != NULL && f->name != NULL; f++) {
		if (f->slot >= 0)
			slots[f->slot].type = GHA_J_NONE;
		clear(f->sub, slots);
	}
}

/*
 * The entry of the field list f named by key, or NULL.  The entry after
 * the last one matched (hint) is tried first: objects written by a
 * program, flat records above all, give their keys in one order, so it
 * is nearly always the one.
 */
static const struct gha_jfield *
match(const struct gha_jfield *f, const struct gha_jfield *hint,
    const struct gha_jtok *key)
{
	char buf[MAXKEY];
	const char *k = key->p + 1;
	size_t n = key->n - 2;

	if (f == NULL || n == 0)
		return NULL;
	if (key->esc) {
		n = gha_json_unescape(key, buf, sizeof(buf));
		k = buf;
	}
	if (hint->name != NULL && hint->name[0] == k[0] &&
	    strlen(hint->name) == n && memcmp(hint->name, k, n) == 0)
		return hint;
	for (; f->name != NULL; f++)
		if (f->name[0] == k[0] && strlen(f->name) == n &&
		    memcmp(f->name, k, n) == 0)
			return f;
	return NULL;
}

/*
 * Scan the object at p (depth as jansson counts it), recording the keys
 * of the field list f and descending into those that have a sub list.
 */
static const char *
object(struct scan *s, const char *p, int depth,
    const struct gha_jfield *f, struct gha_jtok *slots)
{
	const struct gha_jfield *m, *hint = f;
	struct gha_jtok key, tok;
	const char *end = s->end;

	p = ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p >= end || *p != '"')
			return fail(s, p, "string or '}' expected");
		if ((p = string(s, p, &key)) == NULL)
			return NULL;
		p = ws(p, end);
		if (p >= end || *p != ':')
			return fail(s, p, "':' expected");
		p = ws(p + 1, end);
		if ((m = match(f, hint, &key)) == NULL) {
			if ((p = value(s, p, depth + 1, NULL)) == NULL)
				return NULL;
		} else {
			clear(m->sub, slots);
			if (m->sub != NULL && p < end && *p == '{' &&
			    depth + 1 <= MAXDEPTH) {
				tok.p = p;
				if ((p = object(s, p, depth + 1, m->sub,
				    slots)) == NULL)
					return NULL;
				tok.n = (size_t)(p - tok.p);
				tok.type = GHA_J_OBJECT;
				tok.esc = 0;
				tok.count = 0;
			} else if ((p = value(s, p, depth + 1, &tok)) == NULL)
				return NULL;
			if (m->slot >= 0)
				slots[m->slot] = tok;
			hint = m + 1;
		}
		p = ws(p, end);
		if (p < end && *p == ',') {
			p = ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			break;
		return fail(s, p, "',' or '}' expected");
	}
	return p + 1;
}

/*
 * Check that p[0..n) is exactly one JSON object (white space around it
 * allowed) and fill slots[0..nslots) with the last value seen under each
 * key of the field list (type GHA_J_NONE where absent).  Returns 0, or -1
 * with err saying what is wrong and where.
 */
int
gha_json_extract(const char *p, size_t n, const struct gha_jfield *fields,
    struct gha_jtok *slots, int nslots, char *err)
{
	struct scan s = { p, p + n, err };
	int i;

	for (i = 0; i < nslots; i++)
		slots[i].type = GHA_J_NONE;
	p = ws(p, s.end);
	if (p >= s.end || *p != '{') {
		fail(&s, p, "not an object");
		return -1;
	}
	if ((p = object(&s, p, 1, fields, slots)) == NULL)
		return -1;
	p = ws(p, s.end);
	if (p != s.end) {
		fail(&s, p, "end of line expected");
		return -1;
	}
	return 0;
}

/*
 * The length of the valid JSON object at the start of p[0..n) (white
 * space before it included), or 0 when there is none.  Used to split
 * objects run together on one line ("}{", seen in 2011-2012 files).
 */
size_t
gha_json_span(const char *p, size_t n)
{
	char err[GHA_ERRLEN];
	struct scan s = { p, p + n, err };
	const char *q;

	q = ws(p, s.end);
	if (q >= s.end || *q != '{' || (q = value(&s, q, 1, NULL)) == NULL)
		return 0;
	return (size_t)(q - p);
}

/*
 * The number of members of the object p[0..n), or -1 when the line is
 * not one valid object.  gha-load uses it to tell a projection (only keys
 * of the flat record) from an object of another shape.
 */
long
gha_json_members(const char *p, size_t n)
{
	char err[GHA_ERRLEN];
	struct scan s = { p, p + n, err };
	struct gha_jtok t;
	const char *q;

	q = ws(p, s.end);
	if (q >= s.end || *q != '{' || (q = value(&s, q, 1, &t)) == NULL ||
	    ws(q, s.end) != s.end)
		return -1;
	return (long)t.count;
}

/*
 * Does the first line p[0..n) of an input open a JSON text spread over
 * many lines: is it, white space aside, a lone '{' or '['?  That is how
 * every pretty-printer (jq, python -m json.tool, JSON.stringify) starts a
 * document, and never a line of NDJSON.  Or is it the start of an SQLite
 * file, gha-load's own database given back?  Returns NULL, or what to tell
 * the user, once for the whole input, instead of each of its lines.
 */
const char *
gha_json_pretty(const char *p, size_t n)
{
	const char *end = p + n;

	/* The easiest file to give by mistake: the database itself. */
	if (n >= 15 && memcmp(p, "SQLite format 3", 15) == 0)
		return "not NDJSON: an SQLite database (gha-report and "
		    "sqlite3 read it)";
	p = ws(p, end);
	if (p == end || (*p != '{' && *p != '[') || ws(p + 1, end) != end)
		return NULL;
	return *p == '{' ? "not NDJSON: one object per line (pretty-printed "
	    "JSON? jq -c . makes NDJSON of it)" : "not NDJSON: one object "
	    "per line (a JSON array? jq -c '.[]' makes NDJSON of it)";
}

/* Check that p[0..n) is exactly one JSON object. */
int
gha_json_validate(const char *p, size_t n, char *err)
{
	return gha_json_extract(p, n, NULL, NULL, 0, err);
}

static size_t
put8(char *buf, size_t i, size_t size, unsigned cp)
{
	unsigned char u[4];
	size_t n, k;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	for (k = 0; k < n && i + 1 < size; k++)
		buf[i++] = (char)u[k];
	return i;
}

/*
 * Decode the (already validated) string token t into buf as UTF-8, NUL
 * terminated, truncated to size - 1 bytes.  Returns the length written.
 */
size_t
gha_json_unescape(const struct gha_jtok *t, char *buf, size_t size)
{
	const char *p = t->p + 1, *end = t->p + t->n - 1;
	unsigned u, u2;
	size_t i = 0;

	if (size == 0)
		return 0;
	while (p < end && i + 1 < size) {
		if (*p != '\\') {
			buf[i++] = *p++;
			continue;
		}
		p++;
		switch (*p++) {
		case 'b': buf[i++] = '\b'; break;
		case 'f': buf[i++] = '\f'; break;
		case 'n': buf[i++] = '\n'; break;
		case 'r': buf[i++] = '\r'; break;
		case 't': buf[i++] = '\t'; break;
		case 'u':
			if (hex4(p, &u) != 0)
				goto out;
			p += 4;
			if (u >= 0xd800 && u <= 0xdbff && end - p >= 6 &&
			    hex4(p + 2, &u2) == 0) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (u2 - 0xdc00);
				p += 6;
			}
			i = put8(buf, i, size, u);
			break;
		default:
			buf[i++] = p[-1];
			break;
		}
	}
out:
	buf[i] = '\0';
	return i;
}

/* Is t a string equal to s? */
int
gha_json_streq(const struct gha_jtok *t, const char *s)
{
	char buf[MAXKEY];
	size_t n = strlen(s);

	if (t->type != GHA_J_STRING)
		return 0;
	if (!t->esc)
		return t->n == n + 2 && memcmp(t->p + 1, s, n) == 0;
	if (n + 1 >= sizeof(buf))
		return 0;
	return gha_json_unescape(t, buf, sizeof(buf)) == n &&
	    memcmp(buf, s, n) == 0;
}

/* The index of the string t in words (ended by NULL), or -1. */
int
gha_json_oneof(const struct gha_jtok *t, const char *const *words)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (gha_json_streq(t, words[i]))
			return i;
	return -1;
}

/*
 * The value of an integer token; -1 when t is not an integer.  The
 * scanner has checked its syntax (-?[0-9]+) and that it fits in int64,
 * so the digits are summed as they are: the sinks call this for every
 * integer of every record.
 */
int
gha_json_int(const struct gha_jtok *t, int64_t *v)
{
	uint64_t u = 0;
	size_t i;

	if (t->type != GHA_J_INT || t->n == 0)
		return -1;
	for (i = t->p[0] == '-'; i < t->n; i++)
		u = u * 10 + (uint64_t)(t->p[i] - '0');
	*v = (int64_t)(t->p[0] == '-' ? 0 - u : u);
	return 0;
}
