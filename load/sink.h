/*
 * sink.h - where gha-load puts records.
 *
 * A sink is an interface, not an if: each kind of target (an SQLite file,
 * a ClickHouse server over HTTP) implements these few functions, and
 * sinks.c picks one by the kind of TARGET lib/target.c parsed.  main()
 * reads records and hands them over one by one; how they are batched,
 * which threads store them and what temporary files they wait in is the
 * sink's own business, behind open / put / flush / close.
 *
 * Contract for every implementation:
 *   open   creates the schema, the hour ledger and every metric view
 *          when missing (bringing an older schema up to date), and
 *          returns a handle (NULL + err); --batch records per batch is
 *          o->batch, 0 for the sink's default;
 *   put    takes one record, gha_rec_parse'd from line[0..n) (its tokens
 *          point into that line, which the caller keeps only until put
 *          returns).  The record is valid: id a non-empty string,
 *          created_at a time, every other field null or of its column's
 *          type (gha_rec_cols); strings are JSON tokens, quotes and
 *          escapes included, for the sink to decode.  The sink stores
 *          records in batches, each atomically: after a crash either all
 *          of a batch is stored or none of it.  Records whose identity
 *          (id, created_at) is already stored, or that appear earlier in
 *          the same batch, are not stored again.  put may add the counts
 *          of the batches stored so far to *st, as flush does; a failure
 *          to store a batch may be told by a later put (-1 + err, those
 *          counts added: the load stops);
 *   flush  stores every record put so far and waits until it is stored,
 *          adding the counts of inserted, duplicate and refused records
 *          (rejected; ops->refused says why) to *st, each counted once
 *          its batch is stored.  main calls it at the end of each input
 *          under --status (so that its counts are the input's) and once
 *          more at the end with last set, when every put succeeded; last
 *          ends the load: the sink's threads stop (their CPU seconds in
 *          st->cpu), and the SQLite sink computes the metric aggregates
 *          of the days the load stored events in (rollup.c), counted in
 *          st->days (st->days_fed of them from the records put, not
 *          read back), their time in st->days_s;
 *   close  frees everything (0, or -1 + err); s may be NULL.
 * commits_put stores n resolved pushes in one transaction, a push already
 * stored counted as a duplicate, and (SQLite) rolls up again the days of
 * the new ones.
 * Every sink keeps the hour ledger of the daily job (gha-load -H / -Q):
 * ledger_put stores n rows in one transaction; ledger_get calls fn for
 * every hour in time order, then every day, and stops when fn returns
 * non-zero.  They are called between open and close, with no put.
 * Functions return 0 or -1 and fill err (GHA_ERRLEN); they never print
 * and never exit.  Passwords never appear in err.
 *
 * The metric views read one relation, `events`, with the columns of the
 * flat record plus `day` (the UTC date of created_at) and
 * `repo_owner_lc` (the lower-cased owner part of repo_name), each event
 * once.  Only `events` itself is engine-specific.
 */
#ifndef GHA_SINK_H
#define GHA_SINK_H

#include "gha.h"
#include "target.h"

struct load_opts {
	size_t		 batch;		/* --batch records per batch; 0: default */
	int		 wait;		/* seconds to wait for a busy target */
	int		 verbose;
	const char	*cafile;	/* -C: CA certificates for https */
	int		 defer;		/* --defer-metrics: no rollup */
	void		(*notice)(const char *);	/* waits, for stderr */
};

struct load_stats {
	unsigned long long read, inserted, duplicates, rejected;
	unsigned long long days;	/* whose metrics flush recomputed */
	unsigned long long days_fed;	/* of them, from the records put */
	double		 days_s;	/* seconds that took */
	double		 cpu;		/* CPU seconds of the sink's threads */
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
	int64_t		 first, last;	/* its events' created_at; -1: null */
	int64_t		 utc;		/* the first UTC hour it covers */
	int		 utc_hours;	/* how many: 0, 1 or 2 (ledger_utc) */
	int64_t		 union_events;	/* the copies' union; -1: null */
	int64_t		 id_gap;	/* ids none of them has; -1: null */
	char		 source[33];	/* a source's row of the hour, or "" */
	int64_t		 only;		/* source: events no other had; -1 */
};
typedef int (*ledger_fn)(const struct ledger_row *, void *);

/*
 * A resolved push (gha-load --commits, from gha-fetch --commits): its
 * identity (push_id, head), and its count, -1 when gone.
 */
struct commit_row {
	int64_t		 push_id, created, commits;
	char		 head[41], before[41];
	char		 repo[256];
	char		 source[5];	/* git, api, rule */
	char		 state[9];	/* resolved, gone */
};

struct sink_ops {
	const char	*name;
	const char	*refused;	/* why records are refused, or NULL */
	struct sink	*(*open)(const char *target, const struct load_opts *o,
			    char *err);
	int		 (*put)(struct sink *s, const struct gha_rec *r,
			    const char *line, size_t n, struct load_stats *st,
			    char *err);
	int		 (*flush)(struct sink *s, int last,
			    struct load_stats *st, char *err);
	int		 (*close)(struct sink *s, char *err);
	int		 (*ledger_put)(struct sink *s,
			    const struct ledger_row *rows, size_t n, char *err);
	int		 (*ledger_get)(struct sink *s, ledger_fn fn, void *arg,
			    char *err);
	int		 (*commits_put)(struct sink *s,
			    const struct commit_row *rows, size_t n,
			    struct load_stats *st, char *err);
};

/*
 * sinks.c: the sink for target t run with options o, or NULL with err
 * and *status the exit status (GHA_EX_USAGE: o does not fit t).
 */
const struct sink_ops *sink_pick(const struct gha_target *t,
		    const struct load_opts *o, int *status, char *err);

#endif
