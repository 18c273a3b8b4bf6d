/*
 * union.h - the copies of one archive hour from several sources, counted
 * by event identity (union.c).
 */
#ifndef UNION_H
#define UNION_H

#include <stddef.h>
#include <stdint.h>

#define UN_MAXCOPIES	32

/* An event's identity: its id (the number itself, or a hash) and time. */
struct un_key {
	uint64_t	 id;
	int64_t		 t;		/* created_at, epoch seconds */
	int		 num;		/* id is a decimal number, exactly */
};

/* What the union of an hour's copies says of copy k. */
struct un_count {
	long long	 distinct;	/* identities in copy k */
	long long	 only;		/* ... in no other copy */
	long long	 total;		/* identities in all copies */
	long long	 gap;		/* ids missing from the union, or -1 */
};

int	 un_key(const char *rec, size_t n, int64_t t, struct un_key *k);
void	 un_reset(int64_t hour);
void	 un_add(const struct un_key *k, int copy);
void	 un_drop(int copy);
void	 un_count(int copy, struct un_count *c);
void	 un_free(void);

#endif
