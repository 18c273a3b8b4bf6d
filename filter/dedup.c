/*
 * dedup.c - a set of 64-bit hashes for gha-filter --dedup.
 *
 * De-duplication by (id, created_at) must remember every record it has
 * let through, so its memory grows with the number of distinct records.
 * To keep that small we store only a 64-bit hash of the pair (flt_key)
 * in an open-addressing table of uint64_t with linear probing: 8 bytes a
 * slot, at most 3/4 full, doubled when it gets there, so 10.7 to 21.3
 * bytes per distinct record (and the old table beside the new one while
 * doubling).  The table never grows past the limit the caller sets
 * (gha-filter -M): dedup_add then fails and the caller stops.
 *
 * The price of storing hashes is that two different records whose hashes
 * are equal count as duplicates and the second is dropped.  With a good
 * 64-bit hash the expected number of such false duplicates among n
 * distinct records is about n^2 / 2^65: 7e-7 for a busy day (5 million
 * records), 6e-4 for a month (150 million).  gha-filter(1) says so.
 */
#include <stdlib.h>
#include <string.h>

#include "filter.h"

struct dedup {
	uint64_t	*tab;		/* 0 marks an empty slot */
	size_t		 cap;		/* a power of two */
	size_t		 n;
	size_t		 limit;		/* bytes: old + new table at most */
};

#define INITCAP	(1U << 16)

struct dedup *
dedup_new(size_t limit)
{
	struct dedup *d = gha_ecalloc(1, sizeof(*d));

	d->limit = limit;
	d->cap = INITCAP;
	d->tab = gha_ecalloc(d->cap, sizeof(*d->tab));
	return d;
}

static void
put(uint64_t *tab, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (tab[i] != 0)
		i = (i + 1) & (cap - 1);
	tab[i] = h;
}

/*
 * Add the hash h.  Returns 1 when it is new, 0 when it was already
 * there, -1 when the table is full and may not grow (h not added).
 */
int
dedup_add(struct dedup *d, uint64_t h)
{
	uint64_t *tab;
	size_t i, cap;

	if (h == 0)
		h = 1;
	for (i = (size_t)h & (d->cap - 1); d->tab[i] != 0;
	    i = (i + 1) & (d->cap - 1))
		if (d->tab[i] == h)
			return 0;
	if (d->n + 1 > d->cap / 4 * 3) {
		cap = d->cap * 2;
		if ((d->cap + cap) * sizeof(*tab) > d->limit)
			return -1;
		tab = gha_ecalloc(cap, sizeof(*tab));
		for (i = 0; i < d->cap; i++)
			if (d->tab[i] != 0)
				put(tab, cap, d->tab[i]);
		free(d->tab);
		d->tab = tab;
		d->cap = cap;
	}
	put(d->tab, d->cap, h);
	d->n++;
	return 1;
}

/* The memory the table takes now. */
size_t
dedup_bytes(const struct dedup *d)
{
	return d->cap * sizeof(*d->tab);
}

void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->tab);
	free(d);
}
