/*
 * sched.c - gha-fetch's scheduler: every hour of the plan from every
 * source, through a fixed window of hours and libcurl's multi interface,
 * and each hour's cache paths to stdout in time order.
 *
 * An hour has a leg for each source (in the order of preference the
 * command line gave), each with its own state, tries and backoff, and
 * each source has its own -j transfers, so a source that is slow, down,
 * or answers 404 or a damaged file never takes a transfer from another:
 * only the one output line of the hour waits until every leg is settled.
 * The paths are then written in the order of the sources, those legs
 * that have a file, so gha-decode reads an hour's copies one after the
 * other (decode/union.c counts them there).  Cached legs settle at once,
 * hours that have not ended too.  Memory stays constant whatever the
 * range: WINDOW hours are admitted and not yet printed at most, and
 * bodies go straight to disk.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"

#define WINDOW		512	/* hours admitted but not yet printed */
#define MAXWAIT		600	/* seconds: longest backoff or Retry-After */
#define PUBLISH_LAG	(2 * 3600)	/* a 404 younger than this: not yet */

/* One source's side of an hour. */
struct leg {
	int		 state;		/* enum fetch_state */
	int		 tries;		/* failed attempts so far */
	int		 requests;	/* attempts started */
	long		 code;		/* HTTP status of the last answer */
	int64_t		 due;		/* ms (monotonic) of the next try */
	char		*unproven;	/* --defer-check: the file to list */
};

struct hour {
	int64_t		 hour;
	int		 open;		/* legs not settled yet */
	struct leg	 leg[FETCH_MAXSRC];
};

/*
 * The state of a settled leg in the --status records (gha-fetch(1)):
 * what a script needs to know of it, in words that never change.
 */
static const char *const st_cached = "cached";	/* was in the cache */
static const char *const st_fetched = "fetched";	/* downloaded now */
static const char *const st_missing = "missing";	/* not in the archive */
static const char *const st_unpub = "unpublished";	/* not there yet */
static const char *const st_corrupt = "corrupt";	/* bad gzip, every try */
static const char *const st_failed = "failed";	/* anything else */

static struct fetch_run *R;

static struct hour ring[WINDOW];
static unsigned long long head, tail;	/* print from head, admit at tail */
static unsigned long long ndone, nunavail, nfailed, ncached;

static struct fetch_xfer *xfers;	/* jobs * nsrc of them */
static int nxfers;
static CURLM *multi;
static long running[FETCH_MAXSRC];

static volatile sig_atomic_t gotsig;
static int progress, progress_shown;
static int64_t t0;			/* ms at start */

#define now_ms	fetch_now_ms

static void
clear_progress(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

/* A warning, silenced by -q. */
static void
warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
warn(const char *fmt, ...)
{
	va_list ap;

	if (R->quiet)
		return;
	clear_progress();
	va_start(ap, fmt);
	gha_vwarnx(fmt, ap);
	va_end(ap);
}

/* An error: always shown. */
static void
error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
error(const char *fmt, ...)
{
	va_list ap;

	clear_progress();
	va_start(ap, fmt);
	gha_vwarnx(fmt, ap);
	va_end(ap);
}

/* "HOUR", or with several sources "HOUR (NAME)", for messages. */
static const char *
who(const char *name, int k)
{
	static char buf[16 + FETCH_NAMELEN + 4];

	if (R->nsrc == 1)
		return name;
	snprintf(buf, sizeof(buf), "%s (%s)", name, R->src[k].name);
	return buf;
}

static void
human(double v, char *buf, size_t size)
{
	const char *u = "B";

	if (v >= 1e9) {
		v /= 1e9;
		u = "GB";
	} else if (v >= 1e6) {
		v /= 1e6;
		u = "MB";
	} else if (v >= 1e3) {
		v /= 1e3;
		u = "kB";
	}
	snprintf(buf, size, "%.1f %s", v, u);
}

/* "files done, bytes, rate, ETA" on stderr, at most twice a second. */
static void
show_progress(int force)
{
	static int64_t last;
	int64_t t = now_ms(), el = t - t0, eta;
	unsigned long long total = R->plan.total * (unsigned)R->nsrc;
	char b[32], r[32];

	if (!progress || (!force && t - last < 500))
		return;
	last = t;
	human((double)fetch_bytes, b, sizeof(b));
	human(el > 0 ? fetch_bytes * 1000.0 / el : 0, r, sizeof(r));
	fprintf(stderr, "\r\033[K%s: %llu/%llu %s, %s, %s/s", gha_progname,
	    ndone, total, R->nsrc > 1 ? "files" : gha_plural(total, "hour",
	    "hours"), b, r);
	if (ndone > ncached && ndone < total) {
		eta = el / 1000 * (int64_t)(total - ndone) /
		    (int64_t)(ndone - ncached);
		fprintf(stderr, ", ETA %lld:%02lld:%02lld", (long long)eta / 3600,
		    (long long)eta / 60 % 60, (long long)eta % 60);
	}
	fflush(stderr);
	progress_shown = 1;
}

static void
on_signal(int sig)
{
	gotsig = sig;
}

/* Remove every temporary file of a transfer in progress. */
static void
abort_all(void)
{
	int i;

	for (i = 0; i < nxfers; i++) {
		if (xfers[i].slot < 0)
			continue;
		curl_multi_remove_handle(multi, xfers[i].h);
		fetch_xfer_abort(&xfers[i]);
		fetch_xfer_free(&xfers[i]);
		xfers[i].slot = -1;
	}
}

/* A reader closed stdout: end quietly, tidily, and say so in the status. */
static void
stdout_gone(void)
{
	abort_all();
	clear_progress();
	_exit(GHA_EX_OUTPUT);
}

static void
out_failed(void)
{
	if (errno == EPIPE)
		stdout_gone();
	abort_all();
	gha_die(GHA_EX_OUTPUT, "<stdout>: write error: %s", strerror(errno));
}

/* --cat: the verified file's bytes to stdout. */
static int
cat_file(const char *path)
{
	char buf[65536];
	ssize_t n, w, off;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		for (off = 0; off < n; off += w) {
			if ((w = write(STDOUT_FILENO, buf + off, n - off)) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				out_failed();
			}
		}
	}
	close(fd);
	return 0;
}

/* An hour is settled: print its files, in the order of the sources. */
static void
emit(struct hour *hr)
{
	char name[16], *path;
	int k;

	gha_hour_format(hr->hour, name);
	for (k = 0; k < R->nsrc; k++) {
		if (hr->leg[k].state != FS_OK)
			continue;
		path = hr->leg[k].unproven != NULL ? hr->leg[k].unproven :
		    fetch_path(R->src[k].o.dir, "", name, ".json.gz");
		hr->leg[k].unproven = NULL;
		if (R->stream) {
			if (cat_file(path) != 0) {
				error("%s: %s", path, strerror(errno));
				nfailed++;
			}
		} else if (printf("%s\n", path) < 0 || fflush(stdout) == EOF)
			out_failed();
		free(path);
	}
}

/*
 * The --status record of leg k of an hour: it is settled as state says;
 * why is the reason of its last failed try (as on stderr, for people),
 * or NULL.
 */
static void
status(const struct hour *hr, int k, const char *state, const char *why)
{
	const struct leg *l = &hr->leg[k];
	const struct fetch_opt *o = &R->src[k].o;
	struct stat st;
	char name[16], *path, *url;
	int have;

	if (R->status == NULL)
		return;
	gha_hour_format(hr->hour, name);
	path = l->unproven != NULL ? gha_estrdup(l->unproven) :
	    fetch_path(o->dir, "", name, ".json.gz");
	url = fetch_path(o->base, "", name, ".json.gz");
	have = l->state == FS_OK && stat(path, &st) == 0;
	gha_status_begin(R->status);
	gha_status_str(R->status, "hour", name);
	gha_status_str(R->status, "source", R->src[k].name);
	gha_status_str(R->status, "state", state);
	gha_status_str(R->status, "path", have ? path : NULL);
	gha_status_int(R->status, "bytes", have ? (int64_t)st.st_size : -1);
	gha_status_int(R->status, "tries", l->requests);
	gha_status_int(R->status, "http", l->requests > 0 ? l->code : -1);
	gha_status_str(R->status, "url", url);
	gha_status_str(R->status, "error", why);
	gha_status_eend(R->status);
	free(path);
	free(url);
}

static void
settle(struct hour *hr, int k, int state, const char *word, const char *why)
{
	hr->leg[k].state = state;
	hr->open--;
	status(hr, k, word, why);
	ndone++;
	if (state == FS_UNAVAIL)
		nunavail++;
	else if (state == FS_FAILED)
		nfailed++;
}

/* Fill the window: cached legs settle at once, hours not ended too. */
static void
admit(void)
{
	struct hour *hr;
	struct stat st;
	char name[16], *path;
	int64_t h;
	int k, unpub;

	while (tail - head < WINDOW && fetch_plan_next(&R->plan, &h) == 0) {
		hr = &ring[tail++ % WINDOW];
		memset(hr, 0, sizeof(*hr));
		hr->hour = h;
		hr->open = R->nsrc;
		gha_hour_format(h, name);
		unpub = 0;
		for (k = 0; k < R->nsrc; k++) {
			path = fetch_path(R->src[k].o.dir, "", name,
			    ".json.gz");
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			    !R->src[k].o.revalidate) {
				ncached++;
				settle(hr, k, FS_OK, st_cached, NULL);
			} else if (h + 3600 > R->now) {
				settle(hr, k, FS_UNAVAIL, st_unpub, NULL);
				unpub = 1;
			} else
				hr->leg[k].state = FS_QUEUED;
			free(path);
		}
		if (unpub)
			warn("%s: not published yet (the hour has not ended)",
			    name);
	}
}

/* Start queued legs whose time has come, earliest first, jobs a source. */
static void
start(void)
{
	struct fetch_xfer *x;
	struct hour *hr;
	struct leg *l;
	char err[GHA_ERRLEN];
	unsigned long long i;
	int64_t t = now_ms();
	int j, k;

	for (i = head; i < tail; i++) {
		hr = &ring[i % WINDOW];
		for (k = 0; k < R->nsrc; k++) {
			l = &hr->leg[k];
			if (l->state != FS_QUEUED || l->due > t ||
			    running[k] >= R->jobs)
				continue;
			for (j = 0; xfers[j].slot >= 0; j++)
				;
			x = &xfers[j];
			x->slot = (int)(i % WINDOW);
			x->src = k;
			x->hour = hr->hour;
			gha_hour_format(hr->hour, x->name);
			l->requests++;
			if (fetch_xfer_start(x, &R->src[k].o, R->ua, err) != 0) {
				error("%s: %s", who(x->name, k), err);
				fetch_xfer_abort(x);
				fetch_xfer_free(x);
				x->slot = -1;
				l->requests--;		/* none went out */
				settle(hr, k, FS_FAILED, st_failed, err);
				continue;
			}
			curl_multi_add_handle(multi, x->h);
			l->state = FS_RUNNING;
			running[k]++;
		}
	}
}

/*
 * The delay before try number n (1, 2, ...): doubling, with jitter.  The
 * products (MAXWAIT * 1000 and the like) are small constants in int,
 * widened to int64_t only to be compared: no overflow to fear.
 */
static int64_t
backoff(int n, long retry_after)
{
	int64_t d = R->wait;
	int i;

	for (i = 1; i < n && d < MAXWAIT * 1000; i++)
		d *= 2;
	if (d > MAXWAIT * 1000)
		d = MAXWAIT * 1000;
	d = d / 2 + random() % (d / 2 + 1);
	if (retry_after > 0)
		d = retry_after > MAXWAIT ? MAXWAIT * 1000 :
		    (d > retry_after * 1000 ? d : retry_after * 1000);
	return d;
}

/* libcurl is done with x: settle or requeue its leg. */
static void
done(struct fetch_xfer *x, CURLcode rc)
{
	struct hour *hr = &ring[x->slot];
	int k = x->src;
	struct leg *l = &hr->leg[k];
	const char *w;
	char err[GHA_ERRLEN];
	int64_t d;
	int r;

	curl_multi_remove_handle(multi, x->h);
	running[k]--;
	r = fetch_xfer_finish(x, rc, err);
	l->code = x->code;
	w = who(x->name, k);
	switch (r) {
	case FO_OK:
		if (x->committed && x->unproven != NULL) {
			l->unproven = x->unproven;
			x->unproven = NULL;
		}
		if (err[0] != '\0')
			warn("%s: %s", w, err);
		settle(hr, k, FS_OK, x->committed ? st_fetched : st_cached,
		    NULL);
		break;
	case FO_UNAVAIL:
		if (hr->hour + 3600 + PUBLISH_LAG > R->now) {
			warn("%s: not published yet (HTTP %ld)", w, x->code);
			settle(hr, k, FS_UNAVAIL, st_unpub, NULL);
		} else {
			warn("%s: missing from the archive (HTTP %ld)", w,
			    x->code);
			settle(hr, k, FS_UNAVAIL, st_missing, NULL);
		}
		break;
	case FO_RETRY:
		if (++l->tries > R->retries) {
			error("%s: %s; giving up after %d %s", w, err,
			    l->tries, gha_plural((unsigned)l->tries, "try",
			    "tries"));
			settle(hr, k, FS_FAILED, x->corrupt ? st_corrupt :
			    st_failed, err);
			break;
		}
		d = backoff(l->tries, x->retry_after);
		warn("%s: %s; try %d of %ld in %.1f s", w, err,
		    l->tries + 1, R->retries + 1, d / 1000.0);
		l->state = FS_QUEUED;
		l->due = now_ms() + d;
		break;
	default:
		error("%s: %s", w, err);
		settle(hr, k, FS_FAILED, st_failed, err);
		break;
	}
	fetch_xfer_free(x);
	x->slot = -1;
}

/* The poll timeout: soon enough for the next due try and for signals. */
static long
poll_ms(void)
{
	unsigned long long i;
	int64_t t = now_ms(), d = 250;
	struct leg *l;
	int k;

	for (i = head; i < tail; i++)
		for (k = 0; k < R->nsrc; k++) {
			l = &ring[i % WINDOW].leg[k];
			if (l->state == FS_QUEUED && l->due - t < d)
				d = l->due - t;
		}
	return d < 0 ? 0 : (long)d;
}

static void
loop(void)
{
	struct fetch_xfer *x;
	CURLMsg *m;
	int still, q;

	for (;;) {
		if (gotsig) {
			abort_all();
			clear_progress();
			signal(gotsig, SIG_DFL);
			raise(gotsig);
			_exit(128 + gotsig);
		}
		admit();
		start();
		while (head < tail && ring[head % WINDOW].open == 0)
			emit(&ring[head++ % WINDOW]);
		if (head == tail && R->plan.i >= R->plan.n)
			break;
		curl_multi_perform(multi, &still);
		while ((m = curl_multi_info_read(multi, &q)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			done(x, m->data.result);
		}
		show_progress(0);
		curl_multi_poll(multi, NULL, 0, (int)poll_ms(), NULL);
	}
	show_progress(1);
	if (progress_shown) {
		fputc('\n', stderr);
		progress_shown = 0;
	}
}

/* Fetch and list every hour of r's plan; the exit status. */
int
fetch_run(struct fetch_run *r)
{
	struct sigaction sa;
	int i;

	R = r;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (multi = curl_multi_init()) == NULL)
		gha_die(GHA_EX_OUTPUT, "libcurl cannot start");
	nxfers = (int)r->jobs * r->nsrc;
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)nxfers);
	xfers = gha_ecalloc((size_t)nxfers, sizeof(*xfers));
	for (i = 0; i < nxfers; i++) {
		if ((xfers[i].h = curl_easy_init()) == NULL)
			gha_die(GHA_EX_OUTPUT, "libcurl cannot start");
		xfers[i].slot = -1;
		xfers[i].fd = -1;
	}
	progress = isatty(STDERR_FILENO) && !r->quiet;
	t0 = now_ms();

	loop();

	for (i = 0; i < nxfers; i++)
		curl_easy_cleanup(xfers[i].h);
	free(xfers);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	if (nfailed > 0)
		return GHA_EX_FETCH_FAILED;
	return nunavail > 0 ? GHA_EX_FETCH_UNAVAIL : GHA_EX_OK;
}
