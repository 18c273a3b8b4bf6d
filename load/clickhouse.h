/*
 * clickhouse.h - the ClickHouse sink's own declarations, shared by its
 * files:
 *   clickhouse.c  the sink: open, put, flush, close; its two batches
 *   ch_schema.c   the tables and views, made or brought up to date at open
 *   ch_cluster.c  the schema's statements in their form for a cluster
 *   ch_rows.c     records as RowBinary rows of a batch, in its temporary
 *                 file, copies of an identity dropped
 *   ch_send.c     a batch stored: the probe, the INSERT, the retries (the
 *                 work of the sender thread)
 *   ch_ledger.c   the hour ledger's rows stored and read
 *   ch_rollup.c   the metric aggregates: days marked, recomputed
 *   chhttp.c      ClickHouse's HTTP interface
 */
#ifndef GHA_CLICKHOUSE_H
#define GHA_CLICKHOUSE_H

#include <zlib.h>

#include "chhttp.h"
#include "sink.h"
#include "worker.h"

#define BODY_MAX	(64U << 20)	/* a batch's rows, at most (bytes) */
/* A row's offset in its batch is a uint32_t: BODY_MAX + the longest row. */
#define DT_MAX		4294967295LL	/* DateTime is UInt32 seconds */

/*
 * A batch: its rows in RowBinary, the body of its INSERT as it will be
 * sent, in an unlinked temporary file (the last SPILL bytes or so still
 * in body); row i is bytes [off[i], off[i + 1]) of the file.  Memory
 * keeps what the probe needs: row i's id (decoded) is ids[idoff[i],
 * idoff[i + 1]), its time created[i]; a hash of the identities (slot: a
 * row's index + 1) drops copies as rows are added and finds the rows the
 * probe names.
 */
struct batch {
	int		 fd;		/* -1: no file yet */
	size_t		 len;		/* bytes in the file */
	struct gha_buf	 body;		/* the rows after those */
	struct gha_buf	 ids;
	uint32_t	*idoff;		/* n + 1 offsets */
	uint32_t	*off;		/* n + 1 offsets */
	uint32_t	*created;
	unsigned char	*skip;		/* stored already (this attempt) */
	size_t		 n, cap;
	uint32_t	*slot;
	size_t		 nslot;
	size_t		 nin;		/* records handed in */
	unsigned long long dups, rejected;
	int64_t		 lo, hi;	/* the rows' range of created */
};

/* Sending a batch's rows less the skipped ones, gzipped or not. */
struct send {
	const struct batch *b;
	size_t		 i, pos, end;	/* the run of rows being sent */
	z_stream	 z;
	int		 zinit, zerr, ioerr;
	char		 in[64 << 10];	/* read from the file, to deflate */
};

struct sink {
	struct ch_http	*h;
	char		 db[CH_IDENT_MAX + 1];
	char		 cluster[CH_IDENT_MAX + 1];	/* "": one server */
	char		 aggparams[128];	/* ch_rollup.c's writes */
	int		 wait;		/* -w, seconds */
	int		 defer;		/* --defer-metrics: no recompute */
	size_t		 batch;		/* records per batch (--batch) */
	char		*tmp;		/* a string being decoded */
	size_t		 tmpcap;
	struct batch	 b[2], *fill;	/* put fills one, ... */
	struct worker	 w;		/* ... the sender stores the other */
	/* Used by the sender only while it stores, else by open, -H, -Q: */
	struct gha_buf	 sql;
	struct send	 send;
	struct batch	*cur;		/* the batch probed */
	struct gha_buf	 line, hex;
	struct gha_buf	 mark;		/* the sender's marks (ch_rollup.c) */
	unsigned long long matched;
};

/* ch_cluster.c */
int	ch_ddl(struct sink *s, const char *sql, char *err);
int	ch_cluster_open(struct sink *s, int wait, char *err);
int	ch_cluster_catch_up(struct sink *s, const char *table, char *err);

/* ch_schema.c */
int	ch_schema_make(struct sink *s, char *err);

/* ch_rows.c */
void	ch_batch_reset(struct batch *b);
int	ch_batch_add(struct sink *s, struct batch *b, const struct gha_rec *r,
	    char *err);
int	ch_batch_spill(struct batch *b, char *err);
void	ch_batch_free(struct batch *b);
size_t	ch_lookup(const struct batch *b, const char *id, size_t n,
	    int64_t created);

/* ch_send.c */
int	ch_each_line(struct gha_buf *carry, const char *p, size_t n,
	    int (*line)(void *, const char *, size_t), void *arg);
int	ch_store(void *s, void *batch, struct load_stats *st, char *err);

/* ch_ledger.c */
int	ch_ledger_put(struct sink *s, const struct ledger_row *rows, size_t n,
	    char *err);
int	ch_ledger_get(struct sink *s, ledger_fn cb, void *arg, char *err);

/* ch_rollup.c */
int	ch_rollup_schema(struct sink *s, char *err);
int	ch_rollup_mark_all(struct sink *s, char *err);
int	ch_rollup_mark(struct sink *s, struct gha_buf *q, const int64_t *t,
	    size_t n, uint64_t tok, int kind, char *err);
uint64_t ch_rollup_token(void);
int	ch_rollup_run(struct sink *s, unsigned long long *days, char *err);

/* ch_commits.c */
int	ch_commits_put(struct sink *s, const struct commit_row *rows,
	    size_t n, struct load_stats *st, char *err);

#endif
