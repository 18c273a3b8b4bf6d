/*
 * out.c - a growable byte buffer for building output records.
 *
 * Records are assembled in a gha_buf and written with one fwrite, so a
 * record is never half written to a pipe by this code's own doing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"

static void
grow(struct gha_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;

	while (cap - b->n < need)
		cap *= 2;
	if (cap != b->cap) {
		b->p = gha_erealloc(b->p, cap);
		b->cap = cap;
	}
}

void
gha_buf_add(struct gha_buf *b, const void *p, size_t n)
{
	if (n == 0)		/* p may be NULL: memcpy must not see it */
		return;
	if (b->cap - b->n < n)
		grow(b, n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

void
gha_buf_adds(struct gha_buf *b, const char *s)
{
	gha_buf_add(b, s, strlen(s));
}

void
gha_buf_addc(struct gha_buf *b, int c)
{
	if (b->cap == b->n)
		grow(b, 1);
	b->p[b->n++] = (char)c;
}

/* Append s[0..n) as a JSON string literal, quotes included. */
void
gha_buf_addjstr(struct gha_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	unsigned char c;

	gha_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			gha_buf_addc(b, '\\');
			gha_buf_addc(b, c);
		} else if (c < 0x20) {
			gha_buf_add(b, "\\u00", 4);
			gha_buf_addc(b, hex[c >> 4]);
			gha_buf_addc(b, hex[c & 15]);
		} else
			gha_buf_addc(b, c);
	}
	gha_buf_addc(b, '"');
}

/* Append a decimal integer. */
void
gha_buf_addint(struct gha_buf *b, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);

	gha_buf_add(b, tmp, (size_t)n);
}

void
gha_buf_free(struct gha_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/*
 * Write b to fp (stdout) and empty it; with flush, flush fp too (-u).
 * Exits when a write fails: a lost record must never look like success.
 */
void
gha_buf_ewrite(struct gha_buf *b, FILE *fp, int flush)
{
	if (b->n > 0 && fwrite(b->p, 1, b->n, fp) != b->n)
		gha_die(GHA_EX_OUTPUT, "<stdout>: write error: %s",
		    strerror(errno));
	b->n = 0;
	if (flush)
		gha_efflush(fp, "<stdout>");
}

/*
 * FNV-1a, 64 bits, continuing from h (GHA_FNV1A_INIT to start): small,
 * fast, and fixed forever, since gha-decode's synthetic ids depend on it.
 */
uint64_t
gha_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n-- > 0) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
