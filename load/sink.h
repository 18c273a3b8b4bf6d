/*
 * sink.h - where gha-load puts records.
 *
 * A sink is an interface, not an if: each kind of target (an SQLite file,
 * a ClickHouse server over HTTP) implements these few functions, and main
 * picks one by the form of TARGET (http:// or https:// is ClickHouse,
 * anything else a SQLite path).
 *
 * Contract for every implementation:
 *   open   creates the schema, the hour ledger and every metric view of
 *          DESIGN.md 4 when missing (bringing an older schema up to date),
 *          and returns a handle (NULL + err);
 *   write  stores one batch atomically: after a crash either all of the
 *          batch is stored or none of it.  Records whose identity
 *          (id, created_at) is already stored, or that appear earlier in
 *          the same batch, are not stored again; the counts of inserted
 *          and duplicate records are added to *st only once the batch is
 *          stored.  The records (gha_rec_parse'd: tokens point into
 *          lines the caller keeps until write returns) are valid: id a
 *          non-empty string, created_at a time, every other field null
 *          or of its column's type (gha_rec_cols); strings are JSON
 *          tokens, quotes and escapes included, for the sink to decode;
 *   close  finishes and frees (0, or -1 + err); s may be NULL.
 * A sink with a slice size makes its batches itself: write is handed
 * slices of at most that many records, which it copies (what it needs of
 * them) into batches of load_opts.batch records; a failure of a batch
 * may be told by a later write; flush stores what it holds.  A batch is
 * still stored atomically, and counted once stored.  So its memory need
 * not hold two batches of parsed records and their lines.  flush is
 * called once after the last write when every write succeeded (a sink
 * with a slice size also at the end of each input under --status, so its
 * counts are the input's); it is also where the
 * SQLite sink computes the metric aggregates of the days the load stored
 * events in (rollup.c), counted in st->days.
 * Functions return 0 or -1 and fill err (GHA_ERRLEN); they never print
 * and never exit.  Passwords never appear in err.
 *
 * The metric views read one relation, `events`, with the columns of the
 * flat record (DESIGN.md 3) plus `day` (the UTC date of created_at) and
 * `repo_owner_lc` (the lower-cased owner part of repo_name), each event
 * once.  Their SQL (load/schema.c) is plain enough to be used as is in
 * ClickHouse; only `events` itself is engine-specific.
 */
#ifndef GHA_SINK_H
#define GHA_SINK_H

#include "gha.h"

struct load_opts {
	size_t		 batch;		/* records per batch (transaction) */
	int		 wait;		/* seconds to wait for a busy target */
	int		 verbose;
	const char	*cafile;	/* -C: CA certificates for https */
	void		(*notice)(const char *);	/* waits, for stderr */
};

struct load_stats {
	unsigned long long read, inserted, duplicates, rejected;
	unsigned long long days;	/* whose metrics flush recomputed */
};

struct sink;

/*
 * A row of the hour ledger of the daily job (gha-load -H / -Q): an archive
 * hour's status, or a day's finality.  The latest row of an hour or a day
 * replaces the one before.
 */
struct ledger_row {
	int		 isday;		/* a day row: only epoch and final */
	int64_t		 epoch;		/* start of the hour, or of the day */
	int		 final;		/* day: 0 or 1 */
	char		 status[8];	/* loaded, missing, corrupt, pending */
	int64_t		 events, bad_lines, bytes;	/* -1: null */
	char		 sha256[65];	/* "": null */
	char		 loaded_at[21];	/* set by the sink when stored */
};
typedef int (*ledger_fn)(const struct ledger_row *, void *);

struct sink_ops {
	const char	*name;
	size_t		 batch;		/* default records per batch */
	struct sink	*(*open)(const char *target, const struct load_opts *o,
			    char *err);
	int		 (*write)(struct sink *s, const struct gha_rec *recs,
			    size_t n, struct load_stats *st, char *err);
	int		 (*close)(struct sink *s, char *err);
	/*
	 * The hour ledger; NULL in a sink without one.  ledger_put stores
	 * n rows in one transaction; ledger_get calls fn for every hour in
	 * time order, then every day, and stops when fn returns non-zero.
	 */
	int		 (*ledger_put)(struct sink *s,
			    const struct ledger_row *rows, size_t n, char *err);
	int		 (*ledger_get)(struct sink *s, ledger_fn fn, void *arg,
			    char *err);
	/* 0: write is handed whole batches; else as said above. */
	size_t		 slice;
	int		 (*flush)(struct sink *s, struct load_stats *st,
			    char *err);
};

extern const struct sink_ops sqlite_sink;	/* sqlite.c */
extern const struct sink_ops clickhouse_sink;	/* clickhouse.c */

/*
 * schema.c: the SQLite storage, at PRAGMA user_version SCHEMA_VERSION, and
 * the metric views of DESIGN.md 4; lists of statements ended by NULL.
 */
#define SCHEMA_VERSION	5	/* 2: the hour ledger; 3: made at open,
				   daily_summary has the coverage; 4: the
				   views read rollup.c's aggregates; 5:
				   hours_corrupt */
extern const char *const schema_sqlite[];
extern const char *const schema_views[];
extern const char *const schema_ledger[];
extern const char *const schema_v4_drop[];
extern const char *const schema_v5_drop[];
extern const char schema_v4_mark[];

#endif
