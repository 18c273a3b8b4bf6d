/*
 * rollup_int.h - what rollup.c and rollup_spool.c share: a day's keyed
 * tuples spooled by partition (see the top of rollup.c for why).
 */
#ifndef GHA_ROLLUP_INT_H
#define GHA_ROLLUP_INT_H

#include <sys/types.h>

#include "gha.h"

#define NPART		256		/* partitions of a day's tuples */
#define PART_SHIFT	23		/* h (31 bits) >> 23: 0..255 */
#define PART_BUF	4096		/* a partition's tuples in memory */
#define DAY		86400

enum kind {
	K_DEV,		/* login (h: of it lower-cased); push, commits, est */
	K_OWNER,	/* owner lower-cased, repository */
	K_MEMBER,	/* repository, login (of a push, bots too) */
	K_CREATED,	/* login, repository */
};

/*
 * A tuple as spooled, unaligned: kind (1 byte), flags (1: a push, 2:
 * commits unknown), h, the two keys' lengths (4 bytes each), for K_DEV
 * the commits (8 bytes, 1 when unknown, 0 when not a push), then the keys.
 */
#define TUP_HEAD	14
#define F_PUSH		1
#define F_EST		2

/* Where the tuples of a partition spilled to the temporary file are. */
struct spchunk {
	off_t		 off;
	size_t		 len;
};

/* A day's tuples, and the counts made while spooling them. */
struct spool {
	struct gha_buf	 mem[NPART];	/* held in memory */
	struct gha_buf	 chunks[NPART];	/* struct spchunk, spilled */
	int		 fd;		/* -1 until the first spill */
	off_t		 end;
	struct gha_buf	 lc;		/* spool_lower()'s scratch */
	int64_t		 events;
	int64_t		 by[5];		/* pushes by the source of the count */
};

/* An event's columns as event_store holds them; a NULL string is null. */
struct spool_ev {
	const char	*type, *login, *repo, *rtype;
	size_t		 nt, nl, nr, nrt;
};

void		 spool_init(struct spool *);
void		 spool_reset(struct spool *);
void		 spool_free(struct spool *);
uint32_t	 spool_hash31(const char *, size_t);
const char	*spool_lower(struct spool *, const char *, size_t);
int		 spool_event(struct spool *, const struct spool_ev *, int,
		    int64_t, int);

struct rollup_feed;
struct spool	*rollup_feed_day(struct rollup_feed *, int64_t, int64_t *,
		    int *);

#endif
