/*
 * union.c - how the copies of one archive hour overlap.
 *
 * gha-fetch with several sources lists an hour's copies one after the
 * other; gha-decode reads each and, for its --status records, counts by
 * event identity (id, created_at) how many events each copy had, how many
 * only it had, and how many all of them had together, the union that
 * gha-load stores (it keeps one event per identity).  The identities of
 * the hour are kept in an open-addressing table with a bit for each copy
 * that had them, cleared when the next hour begins: memory is an hour's
 * events, some 24 bytes each.  A decimal id is kept as its number, so
 * the counts are exact; any other id (the timeline's "tl-" ids) by a
 * 64-bit hash, which two ids of the same second share by chance only.
 *
 * Where an hour's ids are one sequence, the ids between its lowest and
 * highest that no copy has bound the events none captured: GitHub numbered
 * its events in one sequence until 2025-10-08, when the ids restarted (and
 * since differ by event type); before 2015 events had no id.  The gap is
 * the span of the union's ids less the union's size, for hours named from
 * 2015-01-01-0 to 2025-10-07-23 whose ids are all decimal; else unknown.
 * It is an upper bound: ids of private events are never public, and
 * since 2025-05-24 an hour's file holds what was crawled in it, so some
 * of the ids between are in the files of the hours before and after.
 */
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "union.h"

#define GAP_FROM	1420070400	/* 2015-01-01 00:00Z */
#define GAP_UNTIL	1759881600	/* 2025-10-08 00:00Z: ids restarted */

struct slot {
	uint64_t	 id;
	int64_t		 t;
	uint32_t	 mask;		/* the copies that have it; 0: empty */
	int		 num;
};

static struct slot *tab;
static size_t cap, used;
static int64_t cur_hour = -1;
static uint32_t dropped;		/* copies that gave nothing (un_drop) */

/* The identity of a flat record, whose first key is "id"; 0 or -1. */
int
un_key(const char *rec, size_t n, int64_t t, struct un_key *k)
{
	static const char key[] = "{\"id\":\"";
	const char *p, *end = rec + n;
	uint64_t h = 14695981039346656037ULL, v = 0;
	int num = 1;

	if (n < sizeof(key) || memcmp(rec, key, sizeof(key) - 1) != 0)
		return -1;
	for (p = rec + sizeof(key) - 1; p < end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			num = 0;
		else
			v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == end || p == rec + sizeof(key) - 1)
		return -1;
	k->num = num;
	k->id = num ? v : h;
	k->t = t;
	return 0;
}

/* Forget the last hour's identities: hour (epoch, or -1) begins. */
void
un_reset(int64_t hour)
{
	if (used > 0)
		memset(tab, 0, cap * sizeof(*tab));
	used = 0;
	dropped = 0;
	cur_hour = hour;
}

static size_t
slot_of(uint64_t id, int64_t t, size_t mask)
{
	uint64_t x = id * 0x9e3779b97f4a7c15ULL ^ (uint64_t)t *
	    0xc2b2ae3d27d4eb4fULL;

	return (size_t)(x ^ x >> 29) & mask;
}

static void
grow(void)
{
	struct slot *old = tab;
	size_t i, j, n = cap;

	cap = cap ? 2 * cap : 4096;
	tab = gha_ecalloc(cap, sizeof(*tab));
	for (i = 0; i < n; i++) {
		if (old[i].mask == 0)
			continue;
		for (j = slot_of(old[i].id, old[i].t, cap - 1); tab[j].mask;
		    j = (j + 1) & (cap - 1))
			;
		tab[j] = old[i];
	}
	free(old);
}

/* Copy copy (0 to UN_MAXCOPIES - 1) of the hour has k. */
void
un_add(const struct un_key *k, int copy)
{
	size_t j;

	if (2 * (used + 1) > cap)
		grow();
	for (j = slot_of(k->id, k->t, cap - 1); tab[j].mask != 0;
	    j = (j + 1) & (cap - 1))
		if (tab[j].id == k->id && tab[j].t == k->t &&
		    tab[j].num == k->num) {
			tab[j].mask |= 1U << copy;
			return;
		}
	tab[j].id = k->id;
	tab[j].t = k->t;
	tab[j].num = k->num;
	tab[j].mask = 1U << copy;
	used++;
}

/*
 * Copy copy gave no record after all (an unproven download found
 * damaged, decode/held.c): its identities leave the union.
 */
void
un_drop(int copy)
{
	dropped |= 1U << copy;
}

/* The counts of copy of the hour. */
void
un_count(int copy, struct un_count *c)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	uint32_t bit = 1U << copy;
	size_t i;
	int seq = cur_hour >= GAP_FROM && cur_hour < GAP_UNTIL;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < cap; i++) {
		uint32_t m = tab[i].mask & ~dropped;

		if (m == 0)
			continue;
		c->total++;
		c->distinct += (m & bit) != 0;
		c->only += m == bit;
		if (!tab[i].num)
			seq = 0;
		if (tab[i].id < lo)
			lo = tab[i].id;
		if (tab[i].id > hi)
			hi = tab[i].id;
	}
	c->gap = -1;
	if (seq && c->total > 0 && hi - lo + 1 >= (uint64_t)c->total)
		c->gap = (long long)(hi - lo + 1 - (uint64_t)c->total);
}

void
un_free(void)
{
	free(tab);
	tab = NULL;
	cap = used = 0;
}
