/*
 * gha-fetch - make sure GH Archive hours are in the local cache, verified,
 * and list them in time order.
 *
 * Each SPEC (a day, an hour, today, yesterday, or a range A..B) names
 * archive hours.  A cached file is trusted as it is; a missing one is
 * downloaded with up to -j parallel libcurl transfers, retried with
 * exponential backoff and jitter on transient failures, resumed with a
 * Range request after a break, verified as complete gzip NDJSON and only
 * then renamed into the cache (see xfer.c).  As soon as an hour and every
 * earlier one are settled, the hour's cache path (or with --cat its gzip
 * bytes) goes to stdout, so `gha-fetch 2024-01 | gha-decode` starts
 * decoding while later hours are still on the wire.  Hours the archive
 * does not have (404, or not ended yet) and hours that failed are reported
 * on stderr, skipped, and remembered in the exit status.
 *
 * Memory stays constant whatever the range: hours are taken from the
 * (merged, sorted) SPEC ranges through a fixed window of WINDOW slots, and
 * bodies go straight to disk.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commits.h"
#include "fetch.h"

#define DEFAULT_BASE	"https://data.gharchive.org"
#define WINDOW		512	/* hours admitted but not yet printed */
#define MAXJOBS		32
#define MAXWAIT		600	/* seconds: longest backoff or Retry-After */
#define PUBLISH_LAG	(2 * 3600)	/* a 404 younger than this: not yet */

struct hour {
	int64_t		 hour;
	int		 state;		/* enum fetch_state */
	int		 tries;		/* failed attempts so far */
	int		 requests;	/* attempts started */
	long		 code;		/* HTTP status of the last answer */
	int64_t		 due;		/* ms (monotonic) of the next try */
	char		*unproven;	/* --defer-check: the file to list */
};

/*
 * The state of a settled hour in the --status records (gha-fetch(1)):
 * what a script needs to know of it, in words that never change.
 */
static const char *const st_cached = "cached";	/* was in the cache */
static const char *const st_fetched = "fetched";	/* downloaded now */
static const char *const st_missing = "missing";	/* not in the archive */
static const char *const st_unpub = "unpublished";	/* not there yet */
static const char *const st_corrupt = "corrupt";	/* bad gzip, every try */
static const char *const st_failed = "failed";	/* anything else */

static struct {
	int		 stream;	/* --cat */
	int		 dryrun;	/* -n */
	int		 quiet;		/* -q */
	long		 jobs;		/* -j */
	long		 retries;	/* --retries */
	long		 wait;		/* --retry-wait, ms */
	unsigned long long rate;	/* --rate, bytes/s over all transfers */
	int		 progress;	/* stderr is a terminal */
	int64_t		 now;		/* wall clock or GHA_NOW, seconds */
	struct gha_status *status;	/* --status */
} opt;

enum { OPT_BASE_URL = 256, OPT_CAT, OPT_RATE, OPT_RETRIES, OPT_RETRY_WAIT,
	OPT_STATUS, OPT_TIMEOUT, OPT_COMMITS, OPT_VIA, OPT_BUDGET, OPT_REPO,
	OPT_ORG, OPT_REPO_LIST, OPT_DEFER };

static struct fetch_opt fo;
static char ua[128];

static struct fetch_plan plan;		/* the hours asked for */

static struct hour ring[WINDOW];
static unsigned long long head, tail;	/* print from head, admit at tail */
static unsigned long long ndone, nunavail, nfailed, ncached;

static struct fetch_xfer xfers[MAXJOBS];
static CURLM *multi;
static long running;

static volatile sig_atomic_t gotsig;
static int progress_shown;
static int64_t t0;			/* ms at start */

/*
 * getopt's; gha_cli_estd reads it too, for -h and -V (lib/cli.c).  It
 * keeps the letters renamed[] refuses, so their arguments parse as before.
 */
static const char optstring[] = "b:cd:hj:nqRr:T:u:w:";

static const struct gha_help help = {
	"usage: gha-fetch [-hnqRV] [-d dir] [-j jobs] [--base-url url] [--cat]\n"
	    "                 [--defer-check] [--rate rate] [--retries n]\n"
	    "                 [--retry-wait ms]"
	    "                 [--status file] [--timeout secs] spec ...\n"
	    "       gha-fetch --commits [-q] [-d dir] [--budget n] [--org login]\n"
	    "                 [--repo repos] [--repo-list file] [--retries n]\n"
	    "                 [--retry-wait ms] [--status file] [--timeout secs]\n"
	    "                 [--via list]",
	"  -d dir         the cache folder (made when missing)\n"
	    "  -j jobs        transfer up to jobs hours at once, 1 to 32 (default 4)\n"
	    "  -n             dry run: print the plan, fetch nothing\n"
	    "  -q             quiet: no warnings\n"
	    "  -R             revalidate cached hours with the server\n"
	    "  --budget n     --commits: send at most n API requests, 0 to 10^9\n"
	    "  --base-url url\n"
	    "                 the archive's base URL (GHA_BASE_URL, data.gharchive.org)\n"
	    "  --cat          write the verified gzip bytes of each hour, not the paths\n"
	    "  --commits      resolve the commit counts of the slim pushes on stdin\n"
	    "  --defer-check  leave the gzip check of downloads to gha-decode\n"
	    "  --org login    --commits: resolve pushes to the owner login's repos\n"
	    "  --rate rate    cap the download rate, bytes a second (K, M, G; >= 1K)\n"
	    "  --repo repos   --commits: only comma-separated globs of repo_name\n"
	    "  --repo-list file\n"
	    "                 --commits: resolve pushes to the repositories in file\n"
	    "  --retries n    retry a failed hour up to n times, 0 to 100 (5)\n"
	    "  --retry-wait ms\n"
	    "                 wait about ms before the first retry, 1 to 600000 (1000)\n"
	    "  --status file  append a JSON line of each hour's state to file\n"
	    "  --timeout secs\n"
	    "                 stop a transfer silent for secs, 1 to 3600 (60)\n"
	    "  --via list     --commits: ask api, git, or git then api (api)\n"
	    "  spec           YYYY-MM-DD, YYYY-MM-DD-H, today, yesterday or A..B\n"
};

/* Letters gha-fetch gave up so that each means one thing in every tool. */
static const struct gha_renamed renamed[] = {
	{ 'b', "--rate" }, { 'c', "--cat" }, { 'r', "--retries" },
	{ 'T', "--timeout" }, { 'u', "--base-url" }, { 'w', "--retry-wait" },
	{ 0, NULL }
};


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

	if (opt.quiet)
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

/* "hours done, bytes, rate, ETA" on stderr, at most twice a second. */
static void
progress(int force)
{
	static int64_t last;
	int64_t t = now_ms(), el = t - t0, eta;
	char b[32], r[32];

	if (!opt.progress || (!force && t - last < 500))
		return;
	last = t;
	human((double)fetch_bytes, b, sizeof(b));
	human(el > 0 ? fetch_bytes * 1000.0 / el : 0, r, sizeof(r));
	fprintf(stderr, "\r\033[K%s: %llu/%llu %s, %s, %s/s", gha_progname,
	    ndone, plan.total, gha_plural(plan.total, "hour", "hours"), b, r);
	if (ndone > ncached && ndone < plan.total) {
		eta = el / 1000 * (int64_t)(plan.total - ndone) /
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

	for (i = 0; i < opt.jobs; i++) {
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

/* An hour is settled: print it (when it has a file) and move on. */
static void
emit(struct hour *hr)
{
	char name[16], *path;

	if (hr->state != FS_OK)
		return;
	gha_hour_format(hr->hour, name);
	path = hr->unproven != NULL ? hr->unproven :
	    fetch_path(fo.dir, "", name, ".json.gz");
	if (opt.stream) {
		if (cat_file(path) != 0) {
			error("%s: %s", path, strerror(errno));
			nfailed++;
		}
	} else if (printf("%s\n", path) < 0 || fflush(stdout) == EOF)
		out_failed();
	free(path);
	hr->unproven = NULL;
}

/*
 * The hour's --status record: it is settled as state says; why is the
 * reason of its last failed try (as on stderr, for people), or NULL.
 */
static void
status(const struct hour *hr, const char *state, const char *why)
{
	struct stat st;
	char name[16], *path, *url;
	int have;

	if (opt.status == NULL)
		return;
	gha_hour_format(hr->hour, name);
	path = fetch_path(fo.dir, "", name, ".json.gz");
	if (hr->unproven != NULL) {
		free(path);
		path = gha_estrdup(hr->unproven);
	}
	url = fetch_path(fo.base, "", name, ".json.gz");
	have = hr->state == FS_OK && stat(path, &st) == 0;
	gha_status_begin(opt.status);
	gha_status_str(opt.status, "hour", name);
	gha_status_str(opt.status, "state", state);
	gha_status_str(opt.status, "path", have ? path : NULL);
	gha_status_int(opt.status, "bytes", have ? (int64_t)st.st_size : -1);
	gha_status_int(opt.status, "tries", hr->requests);
	gha_status_int(opt.status, "http", hr->requests > 0 ? hr->code : -1);
	gha_status_str(opt.status, "url", url);
	gha_status_str(opt.status, "error", why);
	gha_status_eend(opt.status);
	free(path);
	free(url);
}

static void
settle(struct hour *hr, int state, const char *word, const char *why)
{
	hr->state = state;
	status(hr, word, why);
	ndone++;
	if (state == FS_UNAVAIL)
		nunavail++;
	else if (state == FS_FAILED)
		nfailed++;
}

/* Fill the window: cached hours settle at once, future ones too. */
static void
admit(void)
{
	struct hour *hr;
	struct stat st;
	char name[16], *path;
	int64_t h;

	while (tail - head < WINDOW && fetch_plan_next(&plan, &h) == 0) {
		hr = &ring[tail++ % WINDOW];
		memset(hr, 0, sizeof(*hr));
		hr->hour = h;
		gha_hour_format(h, name);
		path = fetch_path(fo.dir, "", name, ".json.gz");
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    !fo.revalidate) {
			ncached++;
			settle(hr, FS_OK, st_cached, NULL);
		} else if (h + 3600 > opt.now) {
			warn("%s: not published yet (the hour has not ended)",
			    name);
			settle(hr, FS_UNAVAIL, st_unpub, NULL);
		} else
			hr->state = FS_QUEUED;
		free(path);
	}
}

/* Start queued hours whose time has come, earliest first. */
static void
start(void)
{
	struct fetch_xfer *x;
	struct hour *hr;
	char err[GHA_ERRLEN];
	unsigned long long i;
	int64_t t = now_ms();
	int j;

	for (i = head; i < tail && running < opt.jobs; i++) {
		hr = &ring[i % WINDOW];
		if (hr->state != FS_QUEUED || hr->due > t)
			continue;
		for (j = 0; xfers[j].slot >= 0; j++)
			;
		x = &xfers[j];
		x->slot = (int)(i % WINDOW);
		x->hour = hr->hour;
		gha_hour_format(hr->hour, x->name);
		hr->requests++;
		if (fetch_xfer_start(x, &fo, ua, err) != 0) {
			error("%s: %s", x->name, err);
			fetch_xfer_abort(x);
			fetch_xfer_free(x);
			x->slot = -1;
			hr->requests--;		/* none went out */
			settle(hr, FS_FAILED, st_failed, err);
			continue;
		}
		curl_multi_add_handle(multi, x->h);
		hr->state = FS_RUNNING;
		running++;
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
	int64_t d = opt.wait;
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

/* libcurl is done with x: settle or requeue its hour. */
static void
done(struct fetch_xfer *x, CURLcode rc)
{
	struct hour *hr = &ring[x->slot];
	char err[GHA_ERRLEN];
	int64_t d;
	int r;

	curl_multi_remove_handle(multi, x->h);
	running--;
	r = fetch_xfer_finish(x, rc, err);
	hr->code = x->code;
	switch (r) {
	case FO_OK:
		if (x->committed && x->unproven != NULL) {
			hr->unproven = x->unproven;
			x->unproven = NULL;
		}
		if (err[0] != '\0')
			warn("%s: %s", x->name, err);
		settle(hr, FS_OK, x->committed ? st_fetched : st_cached,
		    NULL);
		break;
	case FO_UNAVAIL:
		if (hr->hour + 3600 + PUBLISH_LAG > opt.now) {
			warn("%s: not published yet (HTTP %ld)", x->name,
			    x->code);
			settle(hr, FS_UNAVAIL, st_unpub, NULL);
		} else {
			warn("%s: missing from the archive (HTTP %ld)",
			    x->name, x->code);
			settle(hr, FS_UNAVAIL, st_missing, NULL);
		}
		break;
	case FO_RETRY:
		if (++hr->tries > opt.retries) {
			error("%s: %s; giving up after %d %s", x->name, err,
			    hr->tries, gha_plural((unsigned)hr->tries, "try",
			    "tries"));
			settle(hr, FS_FAILED, x->corrupt ? st_corrupt :
			    st_failed, err);
			break;
		}
		d = backoff(hr->tries, x->retry_after);
		warn("%s: %s; try %d of %ld in %.1f s", x->name, err,
		    hr->tries + 1, opt.retries + 1, d / 1000.0);
		hr->state = FS_QUEUED;
		hr->due = now_ms() + d;
		break;
	default:
		error("%s: %s", x->name, err);
		settle(hr, FS_FAILED, st_failed, err);
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
	struct hour *hr;

	for (i = head; i < tail; i++) {
		hr = &ring[i % WINDOW];
		if (hr->state == FS_QUEUED && hr->due - t < d)
			d = hr->due - t;
	}
	return d < 0 ? 0 : (long)d;
}

static void
run(void)
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
		while (head < tail && ring[head % WINDOW].state >= FS_OK)
			emit(&ring[head++ % WINDOW]);
		if (head == tail && plan.i >= plan.n)
			break;
		curl_multi_perform(multi, &still);
		while ((m = curl_multi_info_read(multi, &q)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			done(x, m->data.result);
		}
		progress(0);
		curl_multi_poll(multi, NULL, 0, (int)poll_ms(), NULL);
	}
	progress(1);
	if (progress_shown) {
		fputc('\n', stderr);
		progress_shown = 0;
	}
}

static long
num(const char *s, const char *name, long min, long max)
{
	long long v;

	if (gha_strtonum(s, min, max, &v) != 0) {
		gha_warnx("%s: want a number from %ld to %ld: %s", name, min,
		    max, s);
		gha_cli_eusage(&help, GHA_EX_USAGE);
	}
	return (long)v;
}

/* --commits (commits.c): no spec, none of the hours' own options. */
static int
commits_main(struct cm_opt *co, struct cm_scope *scope, const char *via,
    const char *dir, const char *status_path, int nspecs, int spec_opt)
{
	if (nspecs > 0 || spec_opt)
		gha_cli_eusage(&help, GHA_EX_USAGE);
	co->dir = fetch_cache_dir(dir);
	co->retries = opt.retries;
	co->wait = opt.wait;
	co->stall = fo.stall;
	co->quiet = opt.quiet;
	snprintf(ua, sizeof(ua), "gha-fetch/%s libcurl/%s", GHA_VERSION,
	    curl_version_info(CURLVERSION_NOW)->version);
	co->ua = ua;
	return cm_main(co, scope, via, status_path);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "base-url", required_argument, NULL, OPT_BASE_URL },
		{ "cat", no_argument, NULL, OPT_CAT },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "retry-wait", required_argument, NULL, OPT_RETRY_WAIT },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "commits", no_argument, NULL, OPT_COMMITS },
		{ "via", required_argument, NULL, OPT_VIA },
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "repo", required_argument, NULL, OPT_REPO },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "repo-list", required_argument, NULL, OPT_REPO_LIST },
		{ "defer-check", no_argument, NULL, OPT_DEFER },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction sa;
	const char *dir = NULL, *base = NULL, *e, *status_path = NULL;
	char err[GHA_ERRLEN], *b;
	int ch, i, commits = 0, spec_opt = 0, commits_opt = 0;
	struct cm_scope scope;
	struct cm_opt co;
	const char *via = NULL;

	gha_setprogname(argv[0]);
	opt.jobs = 4;
	opt.retries = 5;
	opt.wait = 1000;
	fo.stall = 60;
	memset(&scope, 0, sizeof(scope));
	memset(&co, 0, sizeof(co));
	co.budget = -1;
	gha_cli_estd(argc, argv, optstring, longopts, &help);
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		gha_cli_erenamed(ch, renamed, &help);
		if (strchr("jnR", ch) != NULL || ch == OPT_BASE_URL ||
		    ch == OPT_CAT || ch == OPT_RATE || ch == OPT_DEFER)
			spec_opt = 1;		/* not with --commits */
		if (ch >= OPT_VIA && ch <= OPT_REPO_LIST)
			commits_opt = 1;	/* only with --commits */
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'j':
			opt.jobs = num(optarg, "-j", 1, MAXJOBS);
			break;
		case 'n':
			opt.dryrun = 1;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'R':
			fo.revalidate = 1;
			break;
		case OPT_BASE_URL:
			base = optarg;
			break;
		case OPT_CAT:
			opt.stream = 1;
			break;
		case OPT_DEFER:
			fo.defer = 1;
			break;
		case OPT_RATE:
			if (gha_parse_size(optarg, &opt.rate) != 0 ||
			    opt.rate < 1024) {
				gha_warnx("--rate: want a rate of at least 1K "
				    "bytes/s: %s", optarg);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			break;
		case OPT_RETRIES:
			opt.retries = num(optarg, "--retries", 0, 100);
			break;
		case OPT_RETRY_WAIT:
			opt.wait = num(optarg, "--retry-wait", 1, 600000);
			break;
		case OPT_STATUS:
			status_path = optarg;
			break;
		case OPT_TIMEOUT:
			fo.stall = num(optarg, "--timeout", 1, 3600);
			break;
		case OPT_COMMITS:
			commits = 1;
			break;
		case OPT_VIA:
			via = optarg;
			break;
		case OPT_BUDGET:
			co.budget = num(optarg, "--budget", 0, 1000000000);
			break;
		case OPT_REPO:
			for (b = strtok(optarg, ","); b != NULL;
			    b = strtok(NULL, ",")) {
				scope.globs = gha_erealloc(scope.globs,
				    (scope.nglobs + 1) * sizeof(*scope.globs));
				scope.globs[scope.nglobs++] = b;
			}
			break;
		case OPT_ORG:
			scope.orgs = gha_erealloc(scope.orgs,
			    (scope.norgs + 1) * sizeof(*scope.orgs));
			scope.orgs[scope.norgs++] = optarg;
			break;
		case OPT_REPO_LIST:
			if (cm_scope_list(&scope, optarg, err) != 0)
				gha_die(GHA_EX_USAGE, "--repo-list %s", err);
			break;
		default:
			gha_cli_eusage(&help, GHA_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (commits)
		return commits_main(&co, &scope, via, dir, status_path, argc,
		    spec_opt);
	if (argc == 0 || commits_opt)
		gha_cli_eusage(&help, GHA_EX_USAGE);
	if (fo.defer && opt.stream) {
		gha_warnx("--cat writes verified bytes: not with --defer-check");
		gha_cli_eusage(&help, GHA_EX_USAGE);
	}

	opt.now = time(NULL);
	if ((e = getenv("GHA_NOW")) != NULL && *e != '\0' &&
	    gha_time_parse(e, strlen(e), &opt.now) != 0)
		gha_die(GHA_EX_USAGE, "GHA_NOW: not an ISO-8601 time such as "
		    "2024-01-15T10:00:00Z: %s", e);
	plan.r = gha_ecalloc((size_t)argc, sizeof(*plan.r));
	for (i = 0; i < argc; i++) {
		if (fetch_spec_parse(argv[i], opt.now, &plan.r[i].first,
		    &plan.r[i].last, err) != 0) {
			gha_warnx("%s", err);
			gha_cli_eusage(&help, GHA_EX_USAGE);
		}
	}
	plan.n = (size_t)argc;
	fetch_plan_merge(&plan);

	if (base == NULL && (e = getenv("GHA_BASE_URL")) != NULL && *e != '\0')
		base = e;
	b = gha_estrdup(base != NULL ? base : DEFAULT_BASE);
	for (i = (int)strlen(b); i > 0 && b[i - 1] == '/'; i--)
		b[i - 1] = '\0';
	fo.base = b;
	fo.dir = fetch_cache_dir(dir);
	if (opt.rate > 0)
		fo.maxspeed = (curl_off_t)(opt.rate / (unsigned long)opt.jobs);

	if (opt.dryrun) {
		fetch_plan_print(&plan, fo.dir, fo.base, opt.now);
		gha_eclose_stdout();
		return GHA_EX_OK;
	}

	if (fetch_mkdirs(fo.dir) != 0)
		gha_die(GHA_EX_OUTPUT, "%s: %s", fo.dir, strerror(errno));
	if (access(fo.dir, W_OK) != 0)
		gha_die(GHA_EX_OUTPUT, "%s: %s", fo.dir, strerror(errno));
	if (status_path != NULL &&
	    (opt.status = gha_status_open(status_path, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);

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
	snprintf(ua, sizeof(ua), "gha-fetch/%s libcurl/%s", GHA_VERSION,
	    curl_version_info(CURLVERSION_NOW)->version);
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, opt.jobs);
	for (i = 0; i < opt.jobs; i++) {
		if ((xfers[i].h = curl_easy_init()) == NULL)
			gha_die(GHA_EX_OUTPUT, "libcurl cannot start");
		xfers[i].slot = -1;
		xfers[i].fd = -1;
	}
	srandom((unsigned)(time(NULL) ^ getpid()));
	opt.progress = isatty(STDERR_FILENO) && !opt.quiet;
	t0 = now_ms();

	run();

	for (i = 0; i < opt.jobs; i++)
		curl_easy_cleanup(xfers[i].h);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	free(plan.r);
	free(b);
	free((char *)fo.dir);
	gha_status_eclose(opt.status);
	gha_eclose_stdout();
	if (nfailed > 0)
		return GHA_EX_FETCH_FAILED;
	return nunavail > 0 ? GHA_EX_FETCH_UNAVAIL : GHA_EX_OK;
}
