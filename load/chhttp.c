/*
 * chhttp.c - requests to ClickHouse's HTTP interface, over libcurl.
 *
 * The target is http(s)://HOST[:PORT][/DATABASE], as lib/target.c parses
 * it for every tool and script.  Credentials never come
 * from the URL (it sits in argv, where ps(1) shows it to everyone): the user
 * is GHA_CLICKHOUSE_USER, the password the first line of the file named by
 * GHA_CLICKHOUSE_PASSWORD_FILE, else GHA_CLICKHOUSE_PASSWORD.  Both travel
 * in X-ClickHouse-User / X-ClickHouse-Key headers, which every server from
 * 18.16 on reads.  https verifies the server's certificate and its name,
 * against the CA file given to ch_http_open (gha-load -C), else the one in
 * GHA_CLICKHOUSE_CAFILE when set, else the system's CA certificates.
 *
 * Failures fall in two kinds.  Transient: the connection was refused, cut
 * or timed out, or the server answered 5xx without blaming the request
 * (502/503/504, or a Code that means overload, a timeout or a network
 * fault).  Those are retried with exponential backoff (0.5 s doubling up
 * to 8 s) for as long as gha-load -w allows in all.  Everything else is
 * permanent and
 * reported with the first line of the server's answer, which starts with
 * "Code: N" on every version.  ClickHouse answers 500 to a parse error too,
 * so the status alone cannot tell a sick server from a bad request.
 *
 * A URL may name several servers (http://h1:8123,h2:8123/db): requests go
 * to the first until it fails transiently, then to the next, and so on
 * round; each switch is told to the notice callback, naming both (the
 * failure and the server taking over).  The caller retries as it does
 * after any transient failure, so a batch is probed again, on the new
 * server, before it is sent again.
 *
 * Request bodies are gzipped for a remote server and sent as they are to
 * one on a loopback address (127.0.0.0/8, ::1): compression saves the
 * network's time but costs ours, and loopback has no network to save
 * (ch_http_gzip).  GHA_CLICKHOUSE_GZIP=1 or 0 decides instead, for a
 * tunnel to a remote server or a LAN faster than gzip.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "gha.h"
#include "chhttp.h"
#include "target.h"

#define RESP_MAX	(4UL << 20)	/* we read little; cap what we keep */
#define IDLE_MS		10000	/* silence that is worth a notice */
#define REQ_MAX		3600	/* seconds a request may take */

struct ch_http {
	CURL			*curl;
	struct curl_slist	*hdrs;		/* auth; no Expect: 100 */
	struct curl_slist	*gzhdrs;	/* the same + gzip body */
	char			*base;		/* scheme://authority/ */
	char			*where;		/* scheme://authority for err */
	char			*bases[GHA_TARGET_ENDMAX];	/* every server's */
	char			*wheres[GHA_TARGET_ENDMAX];
	int			 nend, cur;	/* servers; the one in use */
	int			 switched;	/* told since the last success */
	char			*params;	/* sent with every request */
	char			*password;	/* to scrub from messages */
	long			 wait_ms;	/* retry budget (-w) */
	long long		 failed_at;	/* ms: the run of failures began; 0 */
	int			 gzip;		/* -1: unless on loopback */
	ch_notice		 notice;	/* NULL: tell nobody */
	long long		 idle_since;	/* ms: last byte either way */
	curl_off_t		 moved;		/* bytes up + down so far */
	int			 told_idle;	/* this request's notice sent */
};

/* Server codes that say "try again later", not "your request is wrong". */
static const int transient_codes[] = {
	159,	/* TIMEOUT_EXCEEDED */
	202,	/* TOO_MANY_SIMULTANEOUS_QUERIES */
	209,	/* SOCKET_TIMEOUT */
	225,	/* NO_ZOOKEEPER (also: its session expired) */
	210,	/* NETWORK_ERROR */
	241,	/* MEMORY_LIMIT_EXCEEDED */
	242,	/* TABLE_IS_READ_ONLY (replica lost its Keeper session) */
	252,	/* TOO_MANY_PARTS */
	285,	/* TOO_FEW_LIVE_REPLICAS */
	286,	/* UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE */
	319,	/* UNKNOWN_STATUS_OF_INSERT */
	425,	/* SYSTEM_ERROR */
	999,	/* KEEPER_EXCEPTION */
};

/* Read the password: the first line of a file, or the environment. */
static char *
read_password(char *err)
{
	const char *path = getenv("GHA_CLICKHOUSE_PASSWORD_FILE");
	const char *env = getenv("GHA_CLICKHOUSE_PASSWORD");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;

	if (path == NULL || *path == '\0')
		return env != NULL && *env != '\0' ? gha_estrdup(env) : NULL;
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, GHA_ERRLEN, "%s: %s", path, strerror(errno));
		return NULL;
	}
	n = getline(&line, &cap, fp);
	fclose(fp);
	if (n < 0) {
		free(line);
		return gha_estrdup("");	/* empty file: empty password */
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* A header "name: value" in a new string. */
static char *
header(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 3;
	char *h = gha_emalloc(n);

	snprintf(h, n, "%s: %s", name, value);
	return h;
}

/* A monotonic clock in milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * libcurl's progress callback: a request that has moved no byte either
 * way for IDLE_MS (a server that accepted the connection and says
 * nothing, or a long query) is told once, so that a user is not left
 * guessing for up to REQ_MAX seconds.
 */
static int
progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct ch_http *h = arg;
	char msg[GHA_ERRLEN];
	long long t = now_ms();

	(void)dltotal;
	(void)ultotal;
	if (dlnow + ulnow != h->moved) {
		h->moved = dlnow + ulnow;
		h->idle_since = t;
	} else if (!h->told_idle && t - h->idle_since >= IDLE_MS &&
	    h->notice != NULL) {
		h->told_idle = 1;
		snprintf(msg, sizeof(msg), "%s: no answer for %d s; still "
		    "waiting (a request may take up to %d s)", h->where,
		    IDLE_MS / 1000, REQ_MAX);
		h->notice(msg);
	}
	return 0;
}

/*
 * Parse url (lib/target.c), fill db (CH_IDENT_MAX + 1 bytes) with the
 * database it names ("gha" by default), cluster (as long) with the
 * cluster it names ("" for none) and set up a connection that
 * retries transient failures for up to wait seconds, telling notice (when
 * not NULL) what it is waiting for; https trusts the CA certificates in
 * cafile when not NULL.  NULL + err on failure.
 */
struct ch_http *
ch_http_open(const char *url, int wait, const char *cafile,
    ch_notice notice, char *db, char *cluster, char *err)
{
	struct gha_target t;
	struct ch_http *h;
	const char *user, *gz;
	char *pw, *hv;
	FILE *fp;
	int i;

	if (gha_target_parse(url, &t, err) != 0)
		return NULL;
	if (t.kind != GHA_TARGET_CLICKHOUSE) {
		snprintf(err, GHA_ERRLEN, "%s: not an http(s):// URL", url);
		return NULL;
	}
	memcpy(db, t.db, sizeof(t.db));
	memcpy(cluster, t.cluster, sizeof(t.cluster));

	/*
	 * A CA file that cannot be read is named now, not as TLS trouble;
	 * plain http has no use for one (the environment may name one for
	 * every target of a job).
	 */
	if (cafile == NULL && (cafile = getenv("GHA_CLICKHOUSE_CAFILE")) !=
	    NULL && *cafile == '\0')
		cafile = NULL;
	if (strcmp(t.scheme, "http") == 0)
		cafile = NULL;
	if (cafile != NULL) {
		if ((fp = fopen(cafile, "r")) == NULL) {
			snprintf(err, GHA_ERRLEN, "CA file %s: %s", cafile,
			    strerror(errno));
			return NULL;
		}
		fclose(fp);
	}

	h = gha_ecalloc(1, sizeof(*h));
	for (i = 0; i < t.nend; i++) {
		h->wheres[i] = gha_estrdup(t.end[i].base);
		h->bases[i] = gha_emalloc(strlen(h->wheres[i]) + 2);
		sprintf(h->bases[i], "%s/", h->wheres[i]);
	}
	h->nend = t.nend;
	h->where = h->wheres[0];
	h->base = h->bases[0];

	h->wait_ms = wait * 1000L;
	h->notice = notice;
	h->gzip = -1;
	if ((gz = getenv("GHA_CLICKHOUSE_GZIP")) != NULL && *gz != '\0') {
		if (strcmp(gz, "0") != 0 && strcmp(gz, "1") != 0) {
			snprintf(err, GHA_ERRLEN, "GHA_CLICKHOUSE_GZIP: want 0 "
			    "or 1");
			goto fail;
		}
		h->gzip = gz[0] == '1';
	}

	user = getenv("GHA_CLICKHOUSE_USER");
	pw = read_password(err);
	if (pw == NULL && err[0] != '\0')
		goto fail;
	h->password = pw;
	h->hdrs = curl_slist_append(NULL, "Expect:");
	if (user != NULL && *user != '\0') {
		if (strpbrk(user, "\r\n") != NULL) {
			snprintf(err, GHA_ERRLEN, "GHA_CLICKHOUSE_USER holds "
			    "a line break");
			goto fail;
		}
		hv = header("X-ClickHouse-User", user);
		h->hdrs = curl_slist_append(h->hdrs, hv);
		free(hv);
	} else if (pw != NULL)
		h->hdrs = curl_slist_append(h->hdrs,
		    "X-ClickHouse-User: default");
	if (pw != NULL) {
		if (strpbrk(pw, "\r\n") != NULL) {
			snprintf(err, GHA_ERRLEN, "the password holds a line "
			    "break");
			goto fail;
		}
		hv = header("X-ClickHouse-Key", pw);
		h->hdrs = curl_slist_append(h->hdrs, hv);
		explicit_bzero(hv, strlen(hv));
		free(hv);
	}
	for (const struct curl_slist *l = h->hdrs; l != NULL; l = l->next)
		h->gzhdrs = curl_slist_append(h->gzhdrs, l->data);
	h->gzhdrs = curl_slist_append(h->gzhdrs, "Content-Encoding: gzip");
	if (h->hdrs == NULL || h->gzhdrs == NULL) {
		snprintf(err, GHA_ERRLEN, "out of memory");
		goto fail;
	}

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (h->curl = curl_easy_init()) == NULL) {
		snprintf(err, GHA_ERRLEN, "cannot initialise libcurl");
		goto fail;
	}
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, (long)REQ_MAX);
	curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, progress);
	curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, h);
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "gha-load/" GHA_VERSION);
	if (cafile != NULL)
		curl_easy_setopt(h->curl, CURLOPT_CAINFO, cafile);
	return h;
fail:
	ch_http_close(h);
	return NULL;
}

/*
 * Whether to gzip the next request body: GHA_CLICKHOUSE_GZIP when set,
 * else unless the last request went to a loopback address (the next one
 * reuses its connection; before any request, or after one that reached
 * no server, the answer is to compress).
 */
int
ch_http_gzip(const struct ch_http *h)
{
	struct in6_addr a6;
	struct in_addr a4;
	char *ip = NULL;

	if (h->gzip >= 0)
		return h->gzip;
	if (curl_easy_getinfo(h->curl, CURLINFO_PRIMARY_IP, &ip) != CURLE_OK ||
	    ip == NULL)
		return 1;
	if (strncmp(ip, "::ffff:", 7) == 0 && strchr(ip, '.') != NULL)
		ip += 7;	/* IPv4-mapped */
	if (inet_pton(AF_INET, ip, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) != 127;
	if (inet_pton(AF_INET6, ip, &a6) == 1)
		return !IN6_IS_ADDR_LOOPBACK(&a6);
	return 1;
}

/* Where we talk to, for messages: scheme://host:port, no credentials. */
const char *
ch_http_where(const struct ch_http *h)
{
	return h->where;
}

/*
 * A transient failure (err) of the server in use: with several servers,
 * the next one takes over, said to the notice callback as it happens.
 * Returns CH_TRANSIENT, for the caller to retry (on the new server).
 * While every server fails, only the first switch is told (ch_http_retry
 * tells the rest: the tries, then giving up).
 */
static int
failover(struct ch_http *h, const char *err)
{
	char msg[GHA_ERRLEN + 64];

	if (h->nend < 2)
		return CH_TRANSIENT;
	h->cur = (h->cur + 1) % h->nend;
	h->base = h->bases[h->cur];
	h->where = h->wheres[h->cur];
	if (h->notice != NULL && !h->switched) {
		h->switched = 1;
		snprintf(msg, sizeof(msg), "%s; going on through %s", err,
		    h->where);
		h->notice(msg);
	}
	return CH_TRANSIENT;
}

/*
 * Parameters ("a=b&c=d", escaped) sent with every request from now on,
 * before the request's own; NULL for none.
 */
void
ch_http_params(struct ch_http *h, const char *params)
{
	free(h->params);
	h->params = params != NULL ? gha_estrdup(params) : NULL;
}

/* Where the answer goes: wr while the status is 200, else err. */
struct sinkto {
	struct ch_http	*h;
	ch_writer	 wr;
	void		*wrarg;
	struct gha_buf	 err;	/* the answer to a failed request */
	int		 aborted;
};

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	struct sinkto *t = arg;
	size_t len = size * n;
	long status = 0;

	curl_easy_getinfo(t->h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200) {
		if (t->wr != NULL && t->wr(p, len, t->wrarg) != 0) {
			t->aborted = 1;
			return 0;	/* libcurl stops the transfer */
		}
	} else if (t->err.n < RESP_MAX)
		gha_buf_add(&t->err, p, len < RESP_MAX - t->err.n ? len :
		    RESP_MAX - t->err.n);
	return len;
}

/* Replace each copy of the password in s by "***" (in place). */
static void
scrub(const struct ch_http *h, char *s)
{
	size_t pl;
	char *p;

	if (h->password == NULL || (pl = strlen(h->password)) < 1)
		return;
	while ((p = strstr(s, h->password)) != NULL) {
		memcpy(p, "***", pl < 3 ? pl : 3);
		if (pl > 3)
			memmove(p + 3, p + pl, strlen(p + pl) + 1);
	}
}

/*
 * Turn the server's answer into a message: its first line, from "Code:"
 * on when there is one, without 18.16's ", e.what() = DB::Exception".
 * Returns the code, or -1 when the answer has none.
 */
static int
server_message(const struct ch_http *h, struct gha_buf *b, long status,
    char *err)
{
	char *p, *e;
	int code = -1;

	gha_buf_addc(b, '\0');
	b->n--;
	p = b->p != NULL ? b->p : "";
	if ((e = strstr(p, "Code: ")) != NULL) {
		p = e;
		code = (int)strtol(p + 6, NULL, 10);
	}
	p[strcspn(p, "\n")] = '\0';
	if ((e = strstr(p, ", e.what() = ")) != NULL)
		*e = '\0';
	if (*p == '\0')
		snprintf(err, GHA_ERRLEN, "%s: HTTP status %ld", h->where,
		    status);
	else {
		scrub(h, p);	/* before any truncation could cut it */
		snprintf(err, GHA_ERRLEN, "%s: %s", h->where, p);
	}
	return code;
}

/*
 * One request.  Without body, sql is the POST body; with it, sql goes in
 * the query parameter and the body is what body->rd produces as libcurl
 * sends it: body->len bytes (chunked when -1), gzip data when body->gzip
 * says so.  params are extra URL parameters
 * ("a=b&c=d", already escaped).  The answer to a successful request goes
 * to wr(.., wrarg) as it arrives (nowhere without wr); a failed one's
 * makes the message in err.  Returns CH_OK, CH_TRANSIENT or CH_PERMANENT.
 */
int
ch_http_do(struct ch_http *h, const char *sql, const char *params,
    const struct ch_body *body, ch_writer wr, void *wrarg, char *err)
{
	struct gha_buf url = { 0 };
	struct sinkto to = { h, wr, wrarg, { 0 }, 0 };
	char *q = NULL;
	long status = 0;
	CURLcode rc;
	size_t i;
	int code, ret;

	gha_buf_adds(&url, h->base);
	gha_buf_addc(&url, '?');
	if (h->params != NULL) {
		gha_buf_adds(&url, h->params);
		gha_buf_addc(&url, '&');
	}
	if (params != NULL && *params != '\0') {
		gha_buf_adds(&url, params);
		gha_buf_addc(&url, '&');
	}
	if (body != NULL) {
		q = curl_easy_escape(h->curl, sql, 0);
		gha_buf_adds(&url, "query=");
		gha_buf_adds(&url, q);
		curl_free(q);
	}
	gha_buf_addc(&url, '\0');

	curl_easy_setopt(h->curl, CURLOPT_URL, url.p);
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	if (body != NULL) {
		/* Streamed as it is made. */
		curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER,
		    body->gzip ? h->gzhdrs : h->hdrs);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)body->len);
		curl_easy_setopt(h->curl, CURLOPT_READFUNCTION, body->rd);
		curl_easy_setopt(h->curl, CURLOPT_READDATA, body->arg);
	} else {
		curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->hdrs);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, sql);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(sql));
	}
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &to);
	h->idle_since = now_ms();
	h->moved = 0;
	h->told_idle = 0;
	rc = curl_easy_perform(h->curl);
	gha_buf_free(&url);
	if (to.aborted) {
		snprintf(err, GHA_ERRLEN, "%s: unexpected answer to: %.60s",
		    h->where, sql);
		gha_buf_free(&to.err);
		return CH_PERMANENT;
	}
	if (rc != CURLE_OK) {
		snprintf(err, GHA_ERRLEN, "%s: %s", h->where,
		    curl_easy_strerror(rc));
		gha_buf_free(&to.err);
		switch (rc) {
		case CURLE_COULDNT_CONNECT:
		case CURLE_OPERATION_TIMEDOUT:
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_GOT_NOTHING:
		case CURLE_PARTIAL_FILE:
		/*
		 * A kept-alive connection found dead once the body was
		 * being sent (its server died): the caller makes the body
		 * anew on the next attempt.
		 */
		case CURLE_SEND_FAIL_REWIND:
			return failover(h, err);
		default:
			return CH_PERMANENT;
		}
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200) {
		gha_buf_free(&to.err);
		return CH_OK;
	}
	code = server_message(h, &to.err, status, err);
	gha_buf_free(&to.err);
	ret = CH_PERMANENT;
	if (status == 502 || status == 503 || status == 504)
		ret = CH_TRANSIENT;
	else if (status >= 500) {
		if (code < 0)
			ret = CH_TRANSIENT;
		for (i = 0; i < sizeof(transient_codes) /
		    sizeof(transient_codes[0]); i++)
			if (code == transient_codes[i])
				ret = CH_TRANSIENT;
	}
	return ret == CH_TRANSIENT ? failover(h, err) : ret;
}

/*
 * One attempt of sql on the server where names (an answer of
 * ch_http_where), whichever is in use, for at most secs seconds: no
 * retry, no switch, nothing told; the server in use stays the one it
 * was.  CH_OK, CH_TRANSIENT or CH_PERMANENT + err.
 */
int
ch_http_once_at(struct ch_http *h, const char *where, const char *sql,
    long secs, char *err)
{
	int i, cur = h->cur, nend = h->nend, rc;

	for (i = 0; i < nend && h->wheres[i] != where; i++)
		;
	if (i == nend) {
		snprintf(err, GHA_ERRLEN, "%s: not a server of the target",
		    where);
		return CH_PERMANENT;
	}
	h->cur = i;
	h->base = h->bases[i];
	h->where = h->wheres[i];
	h->nend = 1;		/* failover: no switch */
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, secs);
	rc = ch_http_do(h, sql, NULL, NULL, NULL, NULL, err);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, (long)REQ_MAX);
	h->nend = nend;
	h->cur = cur;
	h->base = h->bases[cur];
	h->where = h->wheres[cur];
	return rc;
}

/*
 * After the attempt-th (from 0) transient failure in a row: wait and
 * return 0 when the -w budget allows another try, else -1 with err saying
 * how often we tried.  The budget is time on the clock from the first
 * failure since the last success, the requests' own included: a request
 * that hangs until its timeout (an ON CLUSTER statement waiting for a
 * node) spends it as a sleep does.  The first retry of a run of failures
 * is told to the notice callback: what failed, where, and for how long we
 * will keep trying.
 */
int
ch_http_retry(struct ch_http *h, int attempt, char *err)
{
	struct timespec ts;
	char tmp[GHA_ERRLEN];
	long long now = now_ms(), left;
	long ms;

	if (h->failed_at == 0)
		h->failed_at = now;
	left = h->wait_ms - (now - h->failed_at);
	/* 0.5 s, 1 s, 2 s, 4 s, then 8 s a try. */
	ms = attempt < 4 ? 500L << attempt : 8000;
	if (left <= 0) {
		if (attempt > 0) {
			snprintf(tmp, sizeof(tmp), "%s (gave up after %d "
			    "tries)", err, attempt + 1);
			memcpy(err, tmp, GHA_ERRLEN);
		}
		return -1;
	}
	if (attempt == 0 && h->notice != NULL) {
		snprintf(tmp, sizeof(tmp), "%s; trying again for up to %lld s "
		    "(-w)", err, (left + 999) / 1000);
		h->notice(tmp);
	}
	if (ms > left)
		ms = (long)left;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return 0;
}

/* A unit of work succeeded: the next failure gets the whole -w budget. */
void
ch_http_done(struct ch_http *h)
{
	h->failed_at = 0;
	h->switched = 0;
}

/* An answer kept whole, up to its max (ch_http_ask). */
struct kept {
	struct gha_buf	*b;
	size_t		 max;
};

static int
keep(const char *p, size_t n, void *arg)
{
	struct kept *k = arg;

	if (k->b->n + n > k->max)
		return -1;
	gha_buf_add(k->b, p, n);
	return 0;
}

/*
 * Run one statement that is safe to repeat, retrying transient failures
 * (see ch_http_ask); with here, on the server in use only: CH_SWITCHED,
 * not run again, once the retries went on to another.
 */
static int
ask(struct ch_http *h, const char *sql, const char *params,
    struct gha_buf *ans, size_t max, int here, char *err)
{
	struct kept k = { ans, max };
	const char *where = h->where;
	int attempt, rc;

	for (attempt = 0;; attempt++) {
		if (ans != NULL)
			ans->n = 0;
		rc = ch_http_do(h, sql, params, NULL, ans != NULL ? keep : NULL,
		    ans != NULL ? &k : NULL, err);
		if (rc == CH_OK)
			break;
		if (rc == CH_PERMANENT || ch_http_retry(h, attempt, err) != 0)
			return -1;
		if (here && h->where != where)
			return CH_SWITCHED;
	}
	ch_http_done(h);
	if (ans != NULL) {
		gha_buf_addc(ans, '\0');
		ans->n--;
	}
	return 0;
}

/*
 * Run one statement that is safe to repeat (DDL with IF [NOT] EXISTS, a
 * SELECT), with params (or NULL) as ch_http_do's, retrying transient
 * failures, on whichever server answers; its answer, when ans is not
 * NULL, in ans (at most max bytes, else an error; a NUL after them, not
 * counted in ans->n).  0, or -1 + err.
 */
int
ch_http_ask(struct ch_http *h, const char *sql, const char *params,
    struct gha_buf *ans, size_t max, char *err)
{
	return ask(h, sql, params, ans, max, 0, err);
}

/*
 * The same on the server in use only, for work that lives there (a
 * table made on it): CH_SWITCHED, not run again, when the retries went
 * on to another server.
 */
int
ch_http_ask_here(struct ch_http *h, const char *sql, const char *params,
    struct gha_buf *ans, size_t max, char *err)
{
	return ask(h, sql, params, ans, max, 1, err);
}

int
ch_http_query(struct ch_http *h, const char *sql, char *err)
{
	return ch_http_ask(h, sql, NULL, NULL, 0, err);
}

void
ch_http_close(struct ch_http *h)
{
	int i;

	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->hdrs);
	curl_slist_free_all(h->gzhdrs);
	if (h->password != NULL) {
		explicit_bzero(h->password, strlen(h->password));
		free(h->password);
	}
	for (i = 0; i < h->nend; i++) {
		free(h->bases[i]);
		free(h->wheres[i]);
	}
	free(h->params);
	free(h);
}
