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
 * Roll up every day marked in agg_dirty, each in a transaction of its
 * own; *days is how many.  0, or -1 and err ("path: what: why").
 */
int	rollup_dirty(sqlite3 *db, const char *path, int *days, char *err);

#endif
