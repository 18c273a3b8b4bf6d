/*
 * rollup.h - the metric aggregates of an SQLite file (rollup.c).
 */
#ifndef GHA_ROLLUP_H
#define GHA_ROLLUP_H

#include <sqlite3.h>

#include "gha.h"

/* The day number (days since 1970-01-01 UTC) of epoch seconds t. */
#define ROLLUP_DAY(t)	((t) >= 0 ? (t) / 86400 : -((-(t) + 86399) / 86400))

/*
 * The tuples of a load's records, fed as they are read, which a roll-up
 * uses instead of reading back a day that holds just those
 * (rollup_spool.c).
 */
struct rollup_feed;
struct rollup_feed *rollup_feed_new(void);
void	rollup_feed_rec(struct rollup_feed *f, const struct gha_rec *r);
void	rollup_feed_free(struct rollup_feed *f);

/*
 * Roll up every day marked in agg_dirty, each in a transaction of its
 * own, using feed (or NULL) where it holds a day's rows; *days is how
 * many, *fed (unless NULL) how many of them came from feed.  0, or -1
 * and err ("path: what: why").
 */
int	rollup_dirty(sqlite3 *db, const char *path, struct rollup_feed *feed,
	    int *days, int *fed, char *err);

#endif
