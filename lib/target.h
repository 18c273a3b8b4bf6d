/*
 * target.h - what a gha TARGET names: an SQLite file or a ClickHouse URL.
 *
 * Part of the private library (gha.h says what that means): not
 * installed, no stable interface.  gha-load parses its TARGET here, and
 * the scripts (gha-daily, gha-backfill, gha-report) ask gha-load -P to
 * parse theirs, so every tool reads a target the same way.
 */
#ifndef GHA_TARGET_H
#define GHA_TARGET_H

#define GHA_TARGET_DBMAX	64	/* longest ClickHouse database name */
#define GHA_TARGET_HOSTMAX	253	/* longest host (a DNS name's limit) */
#define GHA_TARGET_ENDMAX	8	/* servers in one URL, at most */

enum gha_target_kind {
	GHA_TARGET_SQLITE,
	GHA_TARGET_CLICKHOUSE,
};

/* One server of a ClickHouse URL. */
struct gha_endpoint {
	char		 host[GHA_TARGET_HOSTMAX + 1];	/* [v6] bracketed */
	char		 port[6];	/* "" when the URL has none */
	/* scheme://host[:port], no credentials, no slash at the end */
	char		 base[sizeof("https://") + GHA_TARGET_HOSTMAX + 7];
};

struct gha_target {
	enum gha_target_kind kind;
	const char	*file;		/* SQLite: the target as given */
	char		 scheme[6];	/* "http" or "https", lower case */
	char		 host[GHA_TARGET_HOSTMAX + 1];	/* [v6] bracketed */
	char		 port[6];	/* "" when the URL has none */
	char		 db[GHA_TARGET_DBMAX + 1];	/* "gha" by default */
	/* scheme://host[:port], no credentials, no slash at the end */
	char		 base[sizeof("https://") + GHA_TARGET_HOSTMAX + 7];
	/* host, port and base are end[0]'s; the others are tried in turn */
	struct gha_endpoint end[GHA_TARGET_ENDMAX];
	int		 nend;
	char		 cluster[GHA_TARGET_DBMAX + 1];	/* "": one server */
};

struct gha_buf;

int	gha_target_parse(const char *s, struct gha_target *t, char *err);
void	gha_target_sh(const struct gha_target *t, struct gha_buf *b);

#endif
