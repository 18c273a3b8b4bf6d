/*
 * github.c - commit counts from the GitHub REST API (gha-fetch --commits).
 *
 * One request answers one push: GET /repos/OWNER/NAME/compare/B...H.
 * The count is its ahead_by, the commits reachable from H and not from
 * B, which for a fast-forward is total_commits too and for a force push
 * is the commits new on the branch (the ones that replaced the old tip's
 * are not counted twice, and the commits it dropped are not subtracted).
 * A new branch (B is 40 zeros) is compared with the repository's default
 * branch (GET /repos/OWNER/NAME, its default_branch, kept in the cache
 * with its ETag and asked again each run with If-None-Match: a 304 costs
 * no rate limit); a push that made the default branch itself is beyond
 * one request (CM_CANNOT: git counts it).  per_page=1 keeps the answer
 * small: the count does not need the commits' list.
 *
 * Requests go one at a time, as GitHub asks of API clients.  What the
 * answers mean:
 *   200            the count;
 *   301, 307       a renamed repository: followed (the new name's answer),
 *                  a chain of renames up to MAXHOPS hops, each hop a
 *                  request of the budget: a hop the budget cannot pay
 *                  for is not sent (CM_BUDGET), a longer chain fails;
 *   304            the cached default branch still holds;
 *   404, 422       the repository or a commit is gone (deleted, or never
 *                  on GitHub): CM_GONE, cached for good by commits.c;
 *   403, 429       with Retry-After, or x-ratelimit-remaining 0 and
 *                  x-ratelimit-reset: a secondary limit is waited out
 *                  (Retry-After seconds, at most MAXWAIT) and the request
 *                  tried again; the primary limit ends the run's
 *                  requests (CM_LIMIT), none is sent before the reset;
 *                  any other 403 fails the push;
 *   5xx, no answer retried up to --retries times, waiting --retry-wait
 *                  ms doubled each time; then CM_FAILED.
 * Every request, retries and hops included, counts against --budget.
 * The token, read from the file GHA_GITHUB_TOKEN_FILE names, is sent
 * only as the Authorization header (libcurl sends it to no other host on
 * a redirect) and never printed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "commits.h"

#define MAXBODY		(16UL << 20)
#define MAXWAIT		600
#define MAXHOPS		5L	/* redirects of one request: renames */

static CURL *h;
static long requests;
static long remaining = -1;	/* x-ratelimit-remaining, -1: not told */
static int64_t reset;		/* x-ratelimit-reset, epoch seconds */

struct answer {
	struct gha_buf	 body;
	long		 code;
	long		 retry_after;	/* -1: none */
	char		 etag[256];
};

long
cm_api_requests(void)
{
	return requests;
}

int64_t
cm_api_reset(void)
{
	return remaining == 0 ? reset : 0;
}

int
cm_api_start(const struct cm_opt *o, char *err)
{
	(void)o;
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, GHA_ERRLEN, "libcurl cannot start");
		return -1;
	}
	return 0;
}

void
cm_api_done(void)
{
	if (h != NULL)
		curl_easy_cleanup(h);
	h = NULL;
}

static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb;

	if (a->body.n + n > MAXBODY)
		return 0;
	gha_buf_add(&a->body, p, n);
	return n;
}

/* The value of header name: in line, or NULL; *len its length. */
static const char *
header(const char *line, size_t n, const char *name, size_t *len)
{
	size_t k = strlen(name);

	if (n <= k + 1 || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return NULL;
	line += k + 1;
	n -= k + 1;
	while (n > 0 && (*line == ' ' || *line == '\t'))
		line++, n--;
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n' ||
	    line[n - 1] == ' '))
		n--;
	*len = n;
	return line;
}

static long long
hnum(const char *v, size_t n)
{
	char buf[32];
	long long x;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return gha_strtonum(buf, 0, 1LL << 40, &x) == 0 ? x : -1;
}

static size_t
on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb, len;
	const char *v;
	long long x;

	/* A redirect's headers come first: only the last answer's count. */
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		a->retry_after = -1;
		a->etag[0] = '\0';
		a->body.n = 0;
	} else if ((v = header(p, n, "x-ratelimit-remaining", &len)) != NULL &&
	    (x = hnum(v, len)) >= 0)
		remaining = (long)x;
	else if ((v = header(p, n, "x-ratelimit-reset", &len)) != NULL &&
	    (x = hnum(v, len)) >= 0)
		reset = x;
	else if ((v = header(p, n, "retry-after", &len)) != NULL &&
	    (x = hnum(v, len)) >= 0)
		a->retry_after = (long)x;
	else if ((v = header(p, n, "etag", &len)) != NULL &&
	    len < sizeof(a->etag)) {
		memcpy(a->etag, v, len);
		a->etag[len] = '\0';
	}
	return n;
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * GET url (If-None-Match: inm when set) into a, retried as the top of
 * the file says; CM_COUNT when a holds a final answer (any status but the
 * retried ones), else CM_FAILED, CM_LIMIT or CM_BUDGET.
 */
static int
get(const struct cm_opt *o, const char *url, const char *inm,
    struct answer *a, char *err)
{
	struct curl_slist *hd = NULL;
	char line[600];
	CURLcode rc;
	long tries, wait = o->wait, hops, redirs;
	int ret = CM_FAILED;

	hd = curl_slist_append(hd, "Accept: application/vnd.github+json");
	hd = curl_slist_append(hd, "X-GitHub-Api-Version: 2022-11-28");
	if (o->token != NULL) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s",
		    o->token);
		hd = curl_slist_append(hd, line);
		explicit_bzero(line, sizeof(line));
	}
	if (inm != NULL && *inm != '\0') {
		snprintf(line, sizeof(line), "If-None-Match: %s", inm);
		hd = curl_slist_append(hd, line);
	}
	for (tries = 0;; tries++) {
		if (o->budget >= 0 && requests >= o->budget) {
			ret = CM_BUDGET;
			break;
		}
		if (remaining == 0 && (int64_t)time(NULL) < reset) {
			ret = CM_LIMIT;
			break;
		}
		curl_easy_reset(h);
		a->body.n = 0;
		a->code = 0;
		a->retry_after = -1;
		a->etag[0] = '\0';
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(h, CURLOPT_USERAGENT, o->ua);
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		/* Each hop is a request: within the budget too. */
		hops = MAXHOPS;
		if (o->budget >= 0 && o->budget - requests - 1 < hops)
			hops = o->budget - requests - 1;
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, hops);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->stall);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->stall);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 4 * o->stall);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
		requests++;
		rc = curl_easy_perform(h);
		if (curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirs) ==
		    CURLE_OK && redirs > 0)
			requests += redirs;
		if (rc == CURLE_TOO_MANY_REDIRECTS && hops < MAXHOPS) {
			snprintf(err, GHA_ERRLEN, "a rename's next hop is over "
			    "the budget");
			ret = CM_BUDGET;
			break;
		}
		if (rc == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->code);
		if (rc != CURLE_OK)
			snprintf(err, GHA_ERRLEN, "%s", curl_easy_strerror(rc));
		else if ((a->code == 403 || a->code == 429) &&
		    a->retry_after >= 0) {
			snprintf(err, GHA_ERRLEN, "HTTP %ld (secondary rate "
			    "limit)", a->code);
			if (tries < o->retries) {
				pause_ms((a->retry_after < MAXWAIT ?
				    a->retry_after : MAXWAIT) * 1000L);
				continue;
			}
			break;
		} else if ((a->code == 403 || a->code == 429) &&
		    remaining == 0) {
			snprintf(err, GHA_ERRLEN, "HTTP %ld (rate limit)",
			    a->code);
			ret = CM_LIMIT;
			break;
		} else if (a->code >= 500 || a->code == 429)
			snprintf(err, GHA_ERRLEN, "HTTP %ld", a->code);
		else {
			ret = CM_COUNT;
			break;
		}
		if (tries >= o->retries)
			break;
		pause_ms(wait);
		wait = wait < MAXWAIT * 500L ? 2 * wait : MAXWAIT * 1000L;
	}
	curl_slist_free_all(hd);
	return ret;
}

/* The API path of a repository and its cache file of the default branch. */
static int
default_branch(const struct cm_opt *o, const char *repo, char *branch,
    size_t size, char *err)
{
	char url[1200], path[1200], etag[256] = "", cached[256] = "";
	struct gha_jfield f[] = { { "default_branch", 0, NULL },
	    { NULL, 0, NULL } };
	struct gha_jtok t[1];
	struct answer a;
	FILE *fp;
	size_t n;
	int r;

	snprintf(path, sizeof(path), "%s/commits/repos/%s", o->dir, repo);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(etag, sizeof(etag), fp) == NULL ||
		    fgets(cached, sizeof(cached), fp) == NULL)
			etag[0] = cached[0] = '\0';
		fclose(fp);
		etag[strcspn(etag, "\n")] = '\0';
		cached[strcspn(cached, "\n")] = '\0';
	}
	snprintf(url, sizeof(url), "%s/repos/%s", o->api, repo);
	memset(&a, 0, sizeof(a));
	r = get(o, url, cached[0] != '\0' ? etag : NULL, &a, err);
	if (r != CM_COUNT)
		goto out;
	if (a.code == 304 && cached[0] != '\0') {
		snprintf(branch, size, "%s", cached);
		goto out;
	}
	r = CM_FAILED;
	if (a.code == 404) {
		snprintf(err, GHA_ERRLEN, "%s: HTTP 404", repo);
		r = CM_GONE;
		goto out;
	}
	if (a.code != 200 || gha_json_extract(a.body.p, a.body.n, f, t, 1,
	    err) != 0 || t[0].type != GHA_J_STRING ||
	    (n = gha_json_unescape(&t[0], branch, size - 1)) == 0 ||
	    n >= size - 1 || strchr(branch, '\n') != NULL) {
		if (a.code != 200)
			snprintf(err, GHA_ERRLEN, "%s: HTTP %ld", repo, a.code);
		else
			snprintf(err, GHA_ERRLEN, "%s: no default_branch in "
			    "the answer", repo);
		goto out;
	}
	branch[n] = '\0';
	r = CM_COUNT;
	/* Kept for the next run's If-None-Match; a failure only costs that. */
	{
		char tmp[1300], *s;

		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		for (s = strchr(tmp + strlen(o->dir) + 1, '/'); s != NULL;
		    s = strchr(s + 1, '/')) {
			*s = '\0';
			mkdir(tmp, 0755);
			*s = '/';
		}
		if (a.etag[0] != '\0' && (fp = fopen(tmp, "w")) != NULL) {
			fprintf(fp, "%s\n%s\n", a.etag, branch);
			if (fclose(fp) == 0)
				rename(tmp, path);
			else
				unlink(tmp);
		}
	}
out:
	gha_buf_free(&a.body);
	return r;
}

int
cm_api_count(const struct cm_opt *o, const struct cm_push *p, int64_t *n,
    char *err)
{
	struct gha_jfield f[] = { { "ahead_by", 0, NULL },
	    { "total_commits", 1, NULL }, { NULL, 0, NULL } };
	struct gha_jtok t[2];
	char url[1400], base[300], why[GHA_ERRLEN];
	struct answer a;
	int r;

	if (strcmp(p->before, CM_ZERO) == 0) {
		r = default_branch(o, p->repo, base, sizeof(base), err);
		if (r != CM_COUNT)
			return r;
		if (p->ref != NULL && strncmp(p->ref, "refs/heads/", 11) == 0 &&
		    strcmp(p->ref + 11, base) == 0) {
			snprintf(err, GHA_ERRLEN, "%s: the first push of the "
			    "default branch", p->repo);
			return CM_CANNOT;
		}
		/* A branch name goes into the path escaped. */
		{
			char *e = curl_easy_escape(h, base, 0);

			snprintf(base, sizeof(base), "%s", e != NULL ? e : "");
			curl_free(e);
		}
	} else
		snprintf(base, sizeof(base), "%s", p->before);
	snprintf(url, sizeof(url), "%s/repos/%s/compare/%s...%s?per_page=1",
	    o->api, p->repo, base, p->head);
	memset(&a, 0, sizeof(a));
	if ((r = get(o, url, NULL, &a, err)) != CM_COUNT)
		goto out;
	if (a.code == 404 || a.code == 422) {
		snprintf(err, GHA_ERRLEN, "%s: HTTP %ld", p->repo, a.code);
		r = CM_GONE;
	} else if (a.code != 200) {
		snprintf(err, GHA_ERRLEN, "%s: HTTP %ld", p->repo, a.code);
		r = CM_FAILED;
	} else if (gha_json_extract(a.body.p, a.body.n, f, t, 2, why) != 0 ||
	    gha_json_int(&t[0], n) != 0 || *n < 0) {
		snprintf(err, GHA_ERRLEN, "%s: the compare answer has no "
		    "ahead_by", p->repo);
		r = CM_FAILED;
	}
out:
	gha_buf_free(&a.body);
	return r;
}
