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
 *          DESIGN.md 4 when missing, and returns a handle (NULL + err);
 *   write  stores one batch atomically: after a crash either all of the
 *          batch is stored or none of it.  Records whose identity
 *          (id, created_at) is already stored are not stored again; the
 *          counts of inserted and duplicate records are added to *st;
 *   close  finishes and frees (0, or -1 + err).
 * Functions return 0 or -1 and fill err (GHA_ERRLEN); they never print
 * and never exit.  Passwords never appear in err.
 */
#ifndef GHA_SINK_H
#define GHA_SINK_H

#include "gha.h"

struct load_opts {
	size_t		 batch;		/* records per batch (transaction) */
	int		 verbose;
};

struct load_stats {
	unsigned long long read, inserted, duplicates, rejected;
};

struct sink;

struct sink_ops {
	const char	*name;
	struct sink	*(*open)(const char *target, const struct load_opts *o,
			    char *err);
	int		 (*write)(struct sink *s, const struct gha_rec *recs,
			    size_t n, struct load_stats *st, char *err);
	int		 (*close)(struct sink *s, char *err);
};

#endif
