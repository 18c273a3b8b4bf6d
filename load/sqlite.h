/*
 * sqlite.h - the SQLite sink's own declarations, shared by its files:
 *   sqlite.c         the sink: open, put, flush, close; its batches
 *   sqlite_rows.c    a batch of records bound and inserted in one
 *                    transaction (the writer thread's work)
 *   sqlite_schema.c  the schema's SQL and its creation or migration
 *   sqlite_ledger.c  the hour ledger's rows stored and read
 *   rollup.c         the metric aggregates of the days loaded
 */
#ifndef GHA_SQLITE_H
#define GHA_SQLITE_H

#include <sqlite3.h>

#include "sink.h"
#include "worker.h"

/*
 * A batch: records whose tokens point into lines copied into chunks that
 * never move until the batch is written.  Chunks of the standard size are
 * kept for the next batch (no fresh pages to fault in each time); a chunk
 * made bigger for one long line is freed with its batch.
 */
struct chunk {
	char	*p;
	size_t	 cap;
};

struct batch {
	struct gha_rec	*recs;
	size_t		 n;
	struct chunk	*chunk;
	size_t		 nchunk, cur, used, bytes;
};

struct sink {
	sqlite3		*db;
	sqlite3_stmt	*ins;		/* one row */
	sqlite3_stmt	*insn;		/* NROWS rows */
	char		*path;
	int		 wait;		/* busy timeout, seconds */
	char		*scratch;	/* decoded strings */
	size_t		 scap;
	sqlite3_stmt	*mark;		/* a day into agg_dirty */
	int		 marked;	/* days marked by this load */
	int		 defer;		/* --defer-metrics: leave them marked */
	struct rollup_feed *feed;	/* the records put, for the roll-up */
	int		 dup;		/* a batch met a duplicate (writer) */
	size_t		 batch;		/* records per batch (--batch) */
	struct batch	 b[2], *fill;	/* put fills one, ... */
	struct worker	 w;		/* ... the writer stores the other */
};

/* sqlite.c: the connection. */
void	sq_dberr(struct sink *s, const char *what, char *err);
int	sq_run(struct sink *s, const char *sql, const char *what, char *err);
int	sq_exec(struct sink *s, const char *sql, char *err);
int	sq_query1(struct sink *s, const char *sql, long long *iv, char *tv,
	    size_t tn, char *err);

/* sqlite_rows.c: storing a batch. */
int	sq_prepare(struct sink *s, char *err);
int	sq_store(void *s, void *batch, struct load_stats *st, char *err);

/* sqlite_ledger.c */
int	sq_ledger_put(struct sink *s, const struct ledger_row *rows,
	    size_t n, char *err);
int	sq_ledger_get(struct sink *s, ledger_fn fn, void *arg, char *err);

/* sqlite_commits.c */
int	sq_commits_put(struct sink *s, const struct commit_row *rows,
	    size_t n, struct load_stats *st, char *err);

/*
 * sqlite_schema.c: the SQLite storage, at PRAGMA user_version
 * SCHEMA_VERSION, and the metric views; lists of statements ended by
 * NULL.
 */
#define SCHEMA_VERSION	9	/* 2: the hour ledger; 3: made at open,
				   daily_summary has the coverage; 4: the
				   views read rollup.c's aggregates; 5:
				   hours_corrupt; 6: bots left out; 7:
				   coverage by UTC hour; 8:
				   push_commits; 9: several sources */
extern const char *const schema_sqlite[];
extern const char *const schema_views[];
extern const char *const schema_ledger[];
extern const char *const schema_v4_drop[];
extern const char *const schema_v5_drop[];
extern const char *const schema_v6_drop[];
extern const char *const schema_v7_add[];
extern const char *const schema_v8_alter[];
extern const char *const schema_v9_add[];
extern const char schema_v4_mark[];
int	sq_schema(struct sink *s, char *err);

#endif
