/*
 * out.c - a growable byte buffer for building output records.
 *
 * Records are assembled in a gha_buf and written with one fwrite, so a
 * record is never half written to a pipe by this code's own doing.
 */
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
		b->p = erealloc(b->p, cap);
		b->cap = cap;
	}
}

void
gha_buf_add(struct gha_buf *b, const void *p, size_t n)
{
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
