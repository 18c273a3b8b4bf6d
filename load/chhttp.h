/*
 * chhttp.h - a small client for ClickHouse's HTTP interface (gha-load).
 *
 * One statement per request (ClickHouse takes no multi-statements over
 * HTTP), settings in URL parameters (18.16 has no INSERT ... SETTINGS),
 * credentials in the X-ClickHouse-User/-Key headers only.  Transient
 * failures are reported as such for the caller to retry with backoff
 * (ch_http_retry); everything else carries the server's "Code: N" line
 * in err.  No
 * function prints or exits (waits are told to a callback), and the
 * password never reaches err.
 */
#ifndef GHA_CHHTTP_H
#define GHA_CHHTTP_H

#include "gha.h"

#define CH_IDENT_MAX	64	/* longest database name (GHA_TARGET_DBMAX) */

struct ch_http;

/* Outcome of one attempt, for the caller's own retry loop. */
enum {
	CH_OK = 0,
	CH_TRANSIENT = -1,	/* worth retrying: refused, timeout, some 5xx */
	CH_PERMANENT = -2,	/* the server said no: bad SQL, auth, types */
};

/* Told, from any thread, what a connection is waiting for. */
typedef void	(*ch_notice)(const char *msg);
struct ch_http	*ch_http_open(const char *url, int wait,
		    const char *cafile, ch_notice notice, char *db,
		    char *cluster, char *err);
void		 ch_http_params(struct ch_http *h, const char *params);
/* A body producer, as libcurl's CURLOPT_READFUNCTION. */
typedef size_t	(*ch_reader)(char *buf, size_t size, size_t nitems,
		    void *arg);
/* A request body made as it is sent. */
struct ch_body {
	ch_reader	 rd;
	void		*arg;
	int		 gzip;	/* rd makes gzip data */
	long long	 len;	/* bytes rd makes; -1: unknown (chunked) */
};
/* An answer consumer: 0 to go on, -1 to abort the request. */
typedef int	(*ch_writer)(const char *p, size_t n, void *arg);
int		 ch_http_do(struct ch_http *h, const char *sql,
		    const char *params, const struct ch_body *body,
		    ch_writer wr, void *wrarg, char *err);
int		 ch_http_gzip(const struct ch_http *h);
int		 ch_http_retry(struct ch_http *h, int attempt, char *err);
void		 ch_http_done(struct ch_http *h);
int		 ch_http_query(struct ch_http *h, const char *sql, char *err);
int		 ch_http_ask(struct ch_http *h, const char *sql,
		    const char *params, struct gha_buf *ans, size_t max,
		    char *err);
int		 ch_http_ask_here(struct ch_http *h, const char *sql,
		    const char *params, struct gha_buf *ans, size_t max,
		    char *err);
#define CH_SWITCHED	(-3)	/* ch_http_ask_here: the server changed */
int		 ch_http_once_at(struct ch_http *h, const char *where,
		    const char *sql, long secs, char *err);
const char	*ch_http_where(const struct ch_http *h);
void		 ch_http_close(struct ch_http *h);

#endif
