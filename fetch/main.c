/*
 * gha-fetch - make sure GH Archive hours are in the local cache, verified,
 * and list them in time order.
 *
 * Each SPEC (a day, an hour, today, yesterday, or a range A..B) names
 * archive hours; each --base-url (repeatable, in order of preference, or
 * GHA_BASE_URL's list) a source to fetch them from (plan.c).  A cached
 * file is trusted as it is; a missing one is downloaded with up to -j
 * parallel libcurl transfers a source, retried with exponential backoff
 * and jitter on transient failures, resumed with a Range request after a
 * break, verified as complete gzip NDJSON and only then renamed into the
 * source's cache folder (see xfer.c).  As soon as an hour and every
 * earlier one are settled, the hour's cache paths, one a source that has
 * it (or with --cat their gzip bytes), go to stdout, so `gha-fetch 2024-01
 * | gha-decode` starts decoding while later hours are still on the wire
 * (sched.c).  Hours a source does not have (404, or not ended yet) and
 * hours that failed are reported on stderr, skipped, and remembered in the
 * exit status.  This file reads the command line.
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
#define MAXJOBS		32

static struct {
	int		 dryrun;	/* -n */
	unsigned long long rate;	/* --rate, bytes/s over all transfers */
} opt;

enum { OPT_BASE_URL = 256, OPT_CAT, OPT_RATE, OPT_RETRIES, OPT_RETRY_WAIT,
	OPT_STATUS, OPT_TIMEOUT, OPT_COMMITS, OPT_VIA, OPT_BUDGET, OPT_REPO,
	OPT_ORG, OPT_REPO_LIST, OPT_DEFER };

static struct fetch_opt fo;		/* what every source shares */
static struct fetch_run run;
static char ua[128];


/*
 * getopt's; gha_cli_estd reads it too, for -h and -V (lib/cli.c).  It
 * keeps the letters renamed[] refuses, so their arguments parse as before.
 */
static const char optstring[] = "b:cd:hj:nqRr:T:u:w:";

static const struct gha_help help = {
	"usage: gha-fetch [-hnqRV] [-d dir] [-j jobs] [--base-url url] [--cat]\n"
	    "                 [--defer-check] [--rate rate] [--retries n]\n"
	    "                 [--retry-wait ms] [--status file] [--timeout secs]\n"
	    "                 spec ...\n"
	    "       gha-fetch --commits [-q] [-d dir] [--budget n] [--org login]\n"
	    "                 [--repo repos] [--repo-list file] [--retries n]\n"
	    "                 [--retry-wait ms] [--status file] [--timeout secs]\n"
	    "                 [--via list]",
	"  -d dir         the cache folder (made when missing)\n"
	    "  -j jobs        transfer up to jobs hours at once a source, 1 to 32 (4)\n"
	    "  -n             dry run: print the plan, fetch nothing\n"
	    "  -q             quiet: no warnings\n"
	    "  -R             revalidate cached hours with the server\n"
	    "  --budget n     --commits: send at most n API requests, 0 to 10^9\n"
	    "  --base-url url\n"
	    "                 a source, url or name=url; repeat it, preferred first\n"
	    "                 (GHA_BASE_URL's list, data.gharchive.org)\n"
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
	co->retries = run.retries;
	co->wait = run.wait;
	co->stall = fo.stall;
	co->quiet = run.quiet;
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
	const char *dir = NULL, *e, *status_path = NULL;
	char err[GHA_ERRLEN], *b;
	int ch, i, st, commits = 0, spec_opt = 0, commits_opt = 0;
	struct cm_scope scope;
	struct cm_opt co;
	const char *via = NULL;

	gha_setprogname(argv[0]);
	run.jobs = 4;
	run.retries = 5;
	run.wait = 1000;
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
			run.jobs = num(optarg, "-j", 1, MAXJOBS);
			break;
		case 'n':
			opt.dryrun = 1;
			break;
		case 'q':
			run.quiet = 1;
			break;
		case 'R':
			fo.revalidate = 1;
			break;
		case OPT_BASE_URL:
			if (fetch_source_add(run.src, &run.nsrc, optarg,
			    err) != 0) {
				gha_warnx("--base-url: %s", err);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			break;
		case OPT_CAT:
			run.stream = 1;
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
			run.retries = num(optarg, "--retries", 0, 100);
			break;
		case OPT_RETRY_WAIT:
			run.wait = num(optarg, "--retry-wait", 1, 600000);
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
	if (fo.defer && run.stream) {
		gha_warnx("--cat writes verified bytes: not with --defer-check");
		gha_cli_eusage(&help, GHA_EX_USAGE);
	}

	run.now = time(NULL);
	if ((e = getenv("GHA_NOW")) != NULL && *e != '\0' &&
	    gha_time_parse(e, strlen(e), &run.now) != 0)
		gha_die(GHA_EX_USAGE, "GHA_NOW: not an ISO-8601 time such as "
		    "2024-01-15T10:00:00Z: %s", e);
	run.plan.r = gha_ecalloc((size_t)argc, sizeof(*run.plan.r));
	for (i = 0; i < argc; i++) {
		if (fetch_spec_parse(argv[i], run.now, &run.plan.r[i].first,
		    &run.plan.r[i].last, err) != 0) {
			gha_warnx("%s", err);
			gha_cli_eusage(&help, GHA_EX_USAGE);
		}
	}
	run.plan.n = (size_t)argc;
	fetch_plan_merge(&run.plan);

	/* The sources: --base-url, else GHA_BASE_URL's list, else one. */
	if (run.nsrc == 0 && (e = getenv("GHA_BASE_URL")) != NULL &&
	    *e != '\0' && fetch_source_list(run.src, &run.nsrc, e, err) != 0)
		gha_die(GHA_EX_USAGE, "GHA_BASE_URL: %s", err);
	if (run.nsrc == 0 && fetch_source_add(run.src, &run.nsrc,
	    DEFAULT_BASE, err) != 0)
		gha_die(GHA_EX_USAGE, "%s", err);
	fo.dir = fetch_cache_dir(dir);
	if (opt.rate > 0)
		fo.maxspeed = (curl_off_t)(opt.rate / (unsigned long)run.jobs /
		    (unsigned long)run.nsrc);
	fetch_source_dirs(run.src, run.nsrc, &fo);

	if (opt.dryrun) {
		fetch_plan_print(&run.plan, run.src, run.nsrc, run.now);
		gha_eclose_stdout();
		return GHA_EX_OK;
	}

	for (i = 0; i < run.nsrc; i++) {
		e = run.src[i].o.dir;
		if (fetch_mkdirs(e) != 0 || access(e, W_OK) != 0)
			gha_die(GHA_EX_OUTPUT, "%s: %s", e, strerror(errno));
	}
	if (status_path != NULL &&
	    (run.status = gha_status_open(status_path, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	snprintf(ua, sizeof(ua), "gha-fetch/%s libcurl/%s", GHA_VERSION,
	    curl_version_info(CURLVERSION_NOW)->version);
	run.ua = ua;
	srandom((unsigned)(time(NULL) ^ getpid()));

	st = fetch_run(&run);

	free(run.plan.r);
	for (i = 0; i < run.nsrc; i++) {
		free((char *)run.src[i].o.base);
		if (run.src[i].o.dir != fo.dir)
			free((char *)run.src[i].o.dir);
	}
	free((char *)fo.dir);
	gha_status_eclose(run.status);
	gha_eclose_stdout();
	return st;
}
