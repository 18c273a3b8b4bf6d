/*
 * sinks.c - which sink serves a TARGET.
 *
 * The sinks are registered in the table below, by the kind of target
 * lib/target.c tells apart, so that main() names none of them.  A sink
 * left out of a build is NULL in its entry: a target of its kind is then
 * a clear error, not a stub.  The options that only make sense for some
 * targets are checked here too, before anything is opened.
 */
#include <stdio.h>
#include <string.h>

#include "sink.h"

extern const struct sink_ops sqlite_sink;	/* sqlite.c */
extern const struct sink_ops clickhouse_sink;	/* clickhouse.c */

static const struct {
	enum gha_target_kind	 kind;
	const char		*what;		/* for the error without it */
	const struct sink_ops	*ops;		/* NULL: not in this build */
} sinks[] = {
	{ GHA_TARGET_CLICKHOUSE, "a ClickHouse sink", &clickhouse_sink },
	{ GHA_TARGET_SQLITE, "an SQLite sink", &sqlite_sink },
};

const struct sink_ops *
sink_pick(const struct gha_target *t, const struct load_opts *o, int *status,
    char *err)
{
	size_t i;

	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++) {
		if (sinks[i].kind != t->kind)
			continue;
		if (sinks[i].ops == NULL) {
			snprintf(err, GHA_ERRLEN, "%.200s: this gha-load was built "
			    "without %s", t->kind == GHA_TARGET_SQLITE ?
			    t->file : t->base, sinks[i].what);
			*status = GHA_EX_OUTPUT;
			return NULL;
		}
		if (o->cafile != NULL && strcmp(t->scheme, "https") != 0) {
			/* Not silently ignored: a CA file means TLS was meant. */
			snprintf(err, GHA_ERRLEN, "-C: a CA file is for an "
			    "https:// target only");
			*status = GHA_EX_USAGE;
			return NULL;
		}
		return sinks[i].ops;
	}
	snprintf(err, GHA_ERRLEN, "no sink for this target");
	*status = GHA_EX_USAGE;
	return NULL;
}
