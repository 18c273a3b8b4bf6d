/*
 * target.c - the one parser of a gha TARGET.
 *
 * A target is a ClickHouse server, http(s)://HOST[:PORT][/DATABASE], the
 * scheme in any case (RFC 3986 makes it case-insensitive), or else the
 * path of an SQLite file.  A ClickHouse cluster is named by the one query
 * parameter a URL may have, ?cluster=NAME (its name in the servers'
 * remote_servers), and several servers by HOST[:PORT] parts separated by
 * commas, as libpq's URLs do: http://h1:8123,h2:8123/gha?cluster=c is
 * two servers of cluster c, tried in turn when one stops answering.  Anything that is plainly meant as a server but
 * is not such a URL is refused here, because the alternative is worse:
 * taken as a path, "localhost:8123" would become a new, empty SQLite file
 * of that name and the load would "succeed".  So these are errors, each
 * saying what was expected:
 *   - another scheme (clickhouse://, tcp://): ClickHouse is reached over
 *     its HTTP interface only;
 *   - HOST:PORT without a scheme (an SQLite file of such a name is still
 *     reachable as ./HOST:PORT);
 *   - credentials (USER:PASSWORD@): a command line shows in ps(1), so the
 *     user and password come from GHA_CLICKHOUSE_USER and the file named
 *     by GHA_CLICKHOUSE_PASSWORD_FILE.  The part before the @ is never
 *     echoed;
 *   - a query other than cluster=NAME, or a fragment (the settings of a
 *     request are gha-load's);
 *   - a cluster name that is not an identifier, or more than
 *     GHA_TARGET_ENDMAX servers;
 *   - a database name that is not an identifier, [A-Za-z_][A-Za-z0-9_]*
 *     of at most 64 characters, as it goes into SQL unquoted;
 *   - a port that is not a number from 1 to 65535, a missing or
 *     malformed host.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gha.h"
#include "target.h"

#define WANT	"want http://HOST[:PORT][/DATABASE] or https://..."
#define CREDS	"credentials in the URL are not accepted; set " \
		"GHA_CLICKHOUSE_USER and GHA_CLICKHOUSE_PASSWORD_FILE"

/* Is s a name we let into SQL unquoted: [A-Za-z_][A-Za-z0-9_]*, <= 64? */
static int
ident(const char *s)
{
	size_t i;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_') ||
		    i >= GHA_TARGET_DBMAX)
			return 0;
	return 1;
}

/* The length of a URL scheme at the start of s ("" + "://"), else 0. */
static size_t
scheme_len(const char *s)
{
	size_t n;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	for (n = 1; isalnum((unsigned char)s[n]) || s[n] == '+' ||
	    s[n] == '-' || s[n] == '.'; n++)
		;
	return strncmp(s + n, "://", 3) == 0 ? n : 0;
}

/* Is s[0..n) a host: a name or IPv4 address, or [an IPv6 address]? */
static int
host_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > GHA_TARGET_HOSTMAX)
		return 0;
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return 0;
		for (i = 1; i < n - 1; i++)
			if (!isxdigit((unsigned char)s[i]) && s[i] != ':' &&
			    s[i] != '.')
				return 0;
		return 1;
	}
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/* The length of the host part of authority a[0..n): up to the port's ':'. */
static size_t
host_len(const char *a, size_t n)
{
	const char *c;

	if (n > 0 && a[0] == '[') {
		c = memchr(a, ']', n);
		return c != NULL ? (size_t)(c - a) + 1 : n;
	}
	c = memchr(a, ':', n);
	return c != NULL ? (size_t)(c - a) : n;
}

/* Is s[0..n) a port, 1 to 65535? */
static int
port_ok(const char *s, size_t n)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/*
 * Without a scheme: does s start like HOST:PORT (perhaps after USER@)?
 * 1 for HOST:PORT, 2 for one with credentials, else 0 (a path).
 */
static int
hostport_like(const char *s)
{
	size_t seg = strcspn(s, "/"), h;
	const char *at = NULL, *p;
	int creds = 0;

	for (p = s; p < s + seg; p++)
		if (*p == '@')
			at = p;
	if (at != NULL) {
		creds = 1;
		seg -= (size_t)(at + 1 - s);
		s = at + 1;
	}
	h = host_len(s, seg);
	if (h == seg || !host_ok(s, h) || !port_ok(s + h + 1, seg - h - 1))
		return 0;
	return creds ? 2 : 1;
}

/* Endpoint a[0..n) (HOST[:PORT]) of URL s into t's next one; 0, or -1. */
static int
endpoint(const char *s, const char *a, size_t n, struct gha_target *t,
    char *err)
{
	char base[sizeof(t->base)];
	struct gha_endpoint *e;
	size_t hlen;

	if (t->nend == GHA_TARGET_ENDMAX) {
		snprintf(err, GHA_ERRLEN, "%s: more than %d servers", s,
		    GHA_TARGET_ENDMAX);
		return -1;
	}
	if (n == 0) {
		snprintf(err, GHA_ERRLEN, "%s: URL has no host; %s", s, WANT);
		return -1;
	}
	hlen = host_len(a, n);
	if (!host_ok(a, hlen)) {
		snprintf(err, GHA_ERRLEN, "%s: not a host name or address: "
		    "%.*s", s, (int)hlen, a);
		return -1;
	}
	if (hlen < n && !port_ok(a + hlen + 1, n - hlen - 1)) {
		snprintf(err, GHA_ERRLEN, "%s: the port is not a number from "
		    "1 to 65535: %.*s", s, (int)(n - hlen - 1), a + hlen + 1);
		return -1;
	}
	e = &t->end[t->nend++];
	memcpy(e->host, a, hlen);
	e->host[hlen] = '\0';
	if (hlen < n) {
		memcpy(e->port, a + hlen + 1, n - hlen - 1);
		e->port[n - hlen - 1] = '\0';
	}
	snprintf(base, sizeof(base), "%s://%s%s%s", t->scheme, e->host,
	    e->port[0] != '\0' ? ":" : "", e->port);
	memcpy(e->base, base, sizeof(base));
	return 0;
}

/*
 * The query of URL s, q (after the '?'): nothing but cluster=NAME, NAME
 * an identifier, into t->cluster; 0, or -1 + err.
 */
static int
query(const char *s, const char *q, struct gha_target *t, char *err)
{
	if (strchr(q, '#') != NULL || strncmp(q, "cluster=", 8) != 0) {
		snprintf(err, GHA_ERRLEN, "%s: URL may not have a query or "
		    "fragment but ?cluster=NAME (settings are gha-load's); "
		    "%s", s, WANT);
		return -1;
	}
	q += 8;
	if (strlen(q) > GHA_TARGET_DBMAX || !ident(q)) {
		snprintf(err, GHA_ERRLEN, "%s: cluster name is not an "
		    "identifier ([A-Za-z_][A-Za-z0-9_]*, at most %d): %s", s,
		    GHA_TARGET_DBMAX, q);
		return -1;
	}
	snprintf(t->cluster, sizeof(t->cluster), "%s", q);
	return 0;
}

/* The ClickHouse URL s (scheme n bytes long) into t; 0, or -1 + err. */
static int
parse_url(const char *s, size_t n, struct gha_target *t, char *err)
{
	const char *auth = s + n + 3, *path, *end, *a, *comma;
	size_t alen, plen;

	t->kind = GHA_TARGET_CLICKHOUSE;
	snprintf(t->scheme, sizeof(t->scheme), "%s", n == 4 ? "http" :
	    "https");
	alen = strcspn(auth, "/?#");
	/* Before anything else: this part may hold a password. */
	if (memchr(auth, '@', alen) != NULL) {
		snprintf(err, GHA_ERRLEN, "%s", CREDS);
		return -1;
	}
	/* HOST[:PORT][,HOST[:PORT]...]: servers to try in turn. */
	for (a = auth;; a = comma + 1) {
		comma = memchr(a, ',', (size_t)(auth + alen - a));
		if (endpoint(s, a, comma != NULL ? (size_t)(comma - a) :
		    (size_t)(auth + alen - a), t, err) != 0)
			return -1;
		if (comma == NULL)
			break;
	}
	memcpy(t->host, t->end[0].host, sizeof(t->host));
	memcpy(t->port, t->end[0].port, sizeof(t->port));
	memcpy(t->base, t->end[0].base, sizeof(t->base));

	path = auth + alen;
	plen = strcspn(path, "?#");
	if (path[plen] == '#' || (path[plen] == '?' &&
	    query(s, path + plen + 1, t, err) != 0)) {
		if (path[plen] == '#')
			snprintf(err, GHA_ERRLEN, "%s: URL may not have a "
			    "query or fragment but ?cluster=NAME (settings "
			    "are gha-load's); %s", s, WANT);
		return -1;
	}
	end = path + plen;
	if (*path == '/')
		path++;
	if (end > path && end[-1] == '/')
		end--;
	plen = end > path ? (size_t)(end - path) : 0;
	if (plen == 0) {
		snprintf(t->db, sizeof(t->db), "gha");
		return 0;
	}
	if (plen > GHA_TARGET_DBMAX) {
		snprintf(err, GHA_ERRLEN, "%s: database name is longer than "
		    "%d characters", s, GHA_TARGET_DBMAX);
		return -1;
	}
	memcpy(t->db, path, plen);
	t->db[plen] = '\0';
	if (!ident(t->db)) {
		snprintf(err, GHA_ERRLEN, "%s: database name is not an "
		    "identifier ([A-Za-z_][A-Za-z0-9_]*): %s", s, t->db);
		return -1;
	}
	return 0;
}

/*
 * Parse the target s into t (t->file points into s); 0, or -1 with err
 * saying what was expected.  err never holds what precedes an '@'.
 */
int
gha_target_parse(const char *s, struct gha_target *t, char *err)
{
	size_t n;

	memset(t, 0, sizeof(*t));
	err[0] = '\0';
	if (*s == '\0') {
		snprintf(err, GHA_ERRLEN, "empty target: want an SQLite file "
		    "or http(s)://HOST[:PORT][/DATABASE]");
		return -1;
	}
	if ((n = scheme_len(s)) > 0) {
		if ((n == 4 && strncasecmp(s, "http", 4) == 0) ||
		    (n == 5 && strncasecmp(s, "https", 5) == 0))
			return parse_url(s, n, t, err);
		if (memchr(s + n + 3, '@', strcspn(s + n + 3, "/?#")) != NULL)
			snprintf(err, GHA_ERRLEN, "unknown scheme %.*s://, and "
			    "%s", (int)n, s, CREDS);
		else
			snprintf(err, GHA_ERRLEN, "%s: unknown scheme %.*s://; "
			    "ClickHouse is reached over HTTP (port 8123 by "
			    "default): %s", s, (int)n, s, WANT);
		return -1;
	}
	switch (hostport_like(s)) {
	case 1:
		snprintf(err, GHA_ERRLEN, "%s: HOST:PORT without a scheme; "
		    "for ClickHouse write http://%s, for an SQLite file of "
		    "that name ./%s", s, s, s);
		return -1;
	case 2:
		snprintf(err, GHA_ERRLEN, "HOST:PORT without a scheme, and %s",
		    CREDS);
		return -1;
	}
	t->kind = GHA_TARGET_SQLITE;
	t->file = s;
	return 0;
}

/* name='s' for sh, s in single quotes, into b. */
static void
shquote(struct gha_buf *b, const char *name, const char *s)
{
	gha_buf_adds(b, "target_");
	gha_buf_adds(b, name);
	gha_buf_adds(b, "='");
	for (; *s != '\0'; s++)
		if (*s == '\'')
			gha_buf_adds(b, "'\\''");
		else
			gha_buf_addc(b, *s);
	gha_buf_adds(b, "'\n");
}

/*
 * The target t as sh assignments (target_kind=..., one a line) appended
 * to b: gha-load -P prints them for the scripts to eval, so that they
 * read a target exactly as gha-load does.
 */
void
gha_target_sh(const struct gha_target *t, struct gha_buf *b)
{
	if (t->kind == GHA_TARGET_SQLITE) {
		shquote(b, "kind", "sqlite");
		shquote(b, "file", t->file);
	} else {
		shquote(b, "kind", "clickhouse");
		shquote(b, "scheme", t->scheme);
		shquote(b, "host", t->host);
		shquote(b, "port", t->port);
		shquote(b, "database", t->db);
		shquote(b, "base", t->base);
		if (t->cluster[0] != '\0')
			shquote(b, "cluster", t->cluster);
		if (t->nend > 1) {
			struct gha_buf e = { NULL, 0, 0 };
			int i;

			for (i = 0; i < t->nend; i++) {
				if (i > 0)
					gha_buf_addc(&e, ' ');
				gha_buf_adds(&e, t->end[i].base);
			}
			gha_buf_addc(&e, '\0');
			shquote(b, "endpoints", e.p);
			gha_buf_free(&e);
		}
	}
}
