/*
 * ch_rows.c - the rows of a ClickHouse batch (gha-load).
 *
 * Each record put becomes at once a row of the batch being filled, in
 * RowBinary (strings decoded, integers binary): 18.16 spent about a third
 * less CPU on it than on the same rows as JSON.  The rows wait in an
 * unlinked temporary file (gha_tmpfd), memory keeping only their
 * identities: a batch of 100,000 rows, which costs the server far less
 * than three of 33,000 (fewer parts to write and merge), then needs about
 * 3 MB of memory, not its rows' 19 MB.  Records whose time a DateTime
 * cannot hold are rejected, and copies of an identity within the batch
 * dropped (a hash of (id, created_at)).  The same hash finds the rows
 * the probe of ch_send.c names as stored already.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clickhouse.h"

#define SPILL		(256U << 10)	/* rows kept before a write(2) */

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
	int64_t v;
	int f;

	for (f = 0; f < GHA_R_NFIELDS; f++)
		need += (r->f[f].type != GHA_J_NONE ? r->f[f].n : 0) + 10;
	if (b->cap - b->n < need) {
		b->cap = b->cap > 0 ? b->cap : 4096;
		while (b->cap - b->n < need)
			b->cap *= 2;
		b->p = gha_erealloc(b->p, b->cap);
	}
	if (s->tmpcap < need) {
		free(s->tmp);
		s->tmp = gha_emalloc(need);
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
			else if (t->type == GHA_J_INT) {
				gha_json_int(t, &v);
				p = putle(p, (uint64_t)v, 8);
			}
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
size_t
ch_lookup(const struct batch *b, const char *id, size_t n, int64_t created)
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
	b->slot = gha_ecalloc(b->nslot, sizeof(*b->slot));
	for (i = 0; i < b->n; i++) {
		p = rowid(b, i, &len);
		b->slot[ch_lookup(b, p, len, b->created[i])] = (uint32_t)(i + 1);
	}
}

/* Empty b for the next batch. */
void
ch_batch_reset(struct batch *b)
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
int
ch_batch_spill(struct batch *b, char *err)
{
	size_t k;
	ssize_t w;

	if (b->body.n == 0)
		return 0;
	if (b->fd < 0 && (b->fd = gha_tmpfd(err)) < 0)
		return -1;
	for (k = 0; k < b->body.n; k += (size_t)w)
		if ((w = pwrite(b->fd, b->body.p + k, b->body.n - k,
		    (off_t)(b->len + k))) < 0) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			snprintf(err, GHA_ERRLEN, "temporary file in %.200s: "
			    "%s", gha_tmpdir(), strerror(errno));
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
int
ch_batch_add(struct sink *s, struct batch *b, const struct gha_rec *r,
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
		b->off = gha_erealloc(b->off, b->cap * sizeof(*b->off));
		b->idoff = gha_erealloc(b->idoff, b->cap * sizeof(*b->idoff));
		b->created = gha_erealloc(b->created, b->cap *
		    sizeof(*b->created));
		b->skip = gha_erealloc(b->skip, b->cap);
	}
	if (2 * (b->n + 1) > b->nslot)
		rehash(b);
	/* The id, decoded, then the identity looked up. */
	b->idoff[b->n] = (uint32_t)b->ids.n;
	if (b->ids.cap - b->ids.n < t->n) {
		b->ids.cap = b->ids.cap > 0 ? b->ids.cap : 4096;
		while (b->ids.cap - b->ids.n < t->n)
			b->ids.cap *= 2;
		b->ids.p = gha_erealloc(b->ids.p, b->ids.cap);
	}
	len = gha_json_unescape(t, b->ids.p + b->ids.n, t->n);
	j = ch_lookup(b, b->ids.p + b->ids.n, len, r->created);
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
	return b->body.n >= SPILL ? ch_batch_spill(b, err) : 0;
}

void
ch_batch_free(struct batch *b)
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
