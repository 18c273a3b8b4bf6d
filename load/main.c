/*
 * gha-load - load flat records into a database.
 *
 * Reads flat records (as gha-decode writes them; doc/design.md) from stdin
 * or from the files named with -f, and stores them in TARGET: an SQLite
 * file (the default, $GHA_DB or ./gha.db) or a ClickHouse server at an
 * http(s):// URL.  The sink (sink.h), chosen by the form of TARGET,
 * creates the schema and the metric views when missing and stores each
 * batch of records in one transaction, ignoring records whose identity
 * (id, created_at) is already stored, so a crash leaves whole batches and
 * loading the same input twice changes nothing.  A line that is not a
 * valid record is reported as FILE:LINE, counted, optionally kept in a
 * reject file, and skipped; the records around it are loaded.  A summary
 * (read, inserted, duplicates, rejected) goes to stderr at the end.
 *
 * main() reads and parses; the sink (sinks.c picks it) batches the
 * records and stores them in a thread of its own, so the JSON scanning
 * and the database each get a core.  The hour ledger (-H, -Q) is
 * ledger.c's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gha.h"
#include "cli.h"
#include "commits.h"
#include "ledger.h"
#include "sink.h"
#include "target.h"

static struct {
	int		 quiet;		/* -q */
	size_t		 maxline;	/* -L */
	const char	*rejects;	/* -r */
	struct load_opts lo;		/* --batch, -C, -v, -w */
	struct gha_status *status;	/* --status */
} opt;

enum { OPT_BATCH = 256, OPT_STATUS, OPT_COMMITS, OPT_DEFER };

static const struct sink_ops *ops;
static struct sink *sink;
static const char *target;
static struct load_stats st;		/* read; rejected by main */
static struct load_stats wst;		/* the sink's counts (flush) */
static int dbfailed, badfiles;		/* dbfailed: the sink failed, werr */
static char werr[GHA_ERRLEN];
static struct gha_rejects rej;

/*
 * getopt's; gha_cli_estd reads it too, for -h and -V (lib/cli.c).  It
 * keeps the letters renamed[] refuses, so their arguments parse as before.
 */
static const char optstring[] = "b:C:f:HhL:PQqr:vw:";

static const struct gha_help help = {
	"usage: gha-load [-hqVv] [-C cafile] [-f file] [-L size] [-r file]\n"
	    "                [-w seconds] [--batch n] [--defer-metrics]\n"
	    "                [--status file] [target]\n"
	    "       gha-load -H | -Q [-C cafile] [-w seconds] [--defer-metrics]\n"
	    "                [target]\n"
	    "       gha-load -P [target]\n"
	    "       gha-load --commits [-q] [-C cafile] [-w seconds] [target]",
	"  -C cafile      CA certificates for an https:// target\n"
	    "  -f file        read records from file (plain or gzip; - is stdin)\n"
	    "  -H             store the hour ledger rows read from stdin\n"
	    "  -L size        the longest line accepted, 1K to 1G (default 16M)\n"
	    "  -P             print the parsed target as sh assignments; open nothing\n"
	    "  -Q             print the hour ledger as JSON lines\n"
	    "  -q             quiet: no bad lines, no summary\n"
	    "  -r file        write every rejected line to file (or --rejects file)\n"
	    "  -v             verbose: timings at the end\n"
	    "  -w seconds     wait up to seconds for a busy target, 0 to 86400 (60)\n"
	    "  --batch n      records per batch, 1 to 200000\n"
	    "  --commits      store the commit counts gha-fetch --commits resolved\n"
	    "  --defer-metrics  leave the days' metrics to a later gha-load\n"
	    "  --status file  append a JSON line of counts for each input to file\n"
	    "  target         an SQLite file ($GHA_DB, ./gha.db) or\n"
	    "                 http(s)://HOST[:PORT][/DATABASE] for ClickHouse\n"
	    "                 (HOST[:PORT],HOST[:PORT]... servers in turn;\n"
	    "                 ?cluster=NAME: into that cluster)\n"
};

/* Letters gha-load gave up so that each means one thing in every tool. */
static const struct gha_renamed renamed[] = {
	{ 'b', "--batch" }, { 0, NULL }
};


static void
reject(struct gha_in *in, const char *line, size_t n, const char *why)
{
	gha_rej_eadd(&rej, gha_in_name(in), gha_in_lineno(in), line, n, why);
}

/*
 * Lines of the wrong kind (gha_rec_kind: a raw event, a projection, an
 * object of another shape) come by the file: zcat of an archive hour is
 * thousands of raw events.  The first KIND_SHOWN of each kind in a file
 * are reported one by one, the rest counted and summed up in one line at
 * the file's end; every one of them is still rejected and kept (-r).
 */
#define KIND_SHOWN	3

static const char *const kindsum[] = {
	"raw archive events (pipe them through gha-decode)",
	"projections, not whole flat records",
	"objects of another shape, not flat records",
};
static unsigned long long kinds[3];	/* this file's lines of each kind */

static void
wrong(struct gha_in *in, const char *line, size_t n, int kind,
    const char *why)
{
	int k = GHA_REC_EVENT - kind;

	if (++kinds[k] <= KIND_SHOWN)
		reject(in, line, n, why);
	else
		gha_rej_ekeep(&rej, line, n);
}

/* The file in ends: sum up the lines of a wrong kind not reported. */
static void
kinds_end(struct gha_in *in)
{
	int k;

	for (k = 0; k < 3; k++) {
		if (kinds[k] > KIND_SHOWN && !opt.quiet)
			gha_warnx("%s: %llu more lines not shown: %s",
			    gha_in_name(in), kinds[k] - KIND_SHOWN,
			    kindsum[k]);
		kinds[k] = 0;
	}
}

/* One line of the input, parsed and handed to the sink. */
static int
load_line(void *arg, struct gha_in *in, const char *line, size_t n)
{
	char err[GHA_ERRLEN];
	struct gha_rec rec;
	int r;

	(void)arg;
	r = gha_rec_parse(line, n, &rec, err);
	if (r != GHA_REC_OK) {
		if (r == GHA_REC_BAD)
			reject(in, line, n, err);
		else
			wrong(in, line, n, r, err);
	} else if (ops->put(sink, &rec, line, n, &wst, werr) != 0)
		dbfailed = 1;
	return dbfailed;	/* the target failed: read no more */
}

static void
load_end(void *arg, struct gha_in *in)
{
	(void)arg;
	kinds_end(in);
}

static void
load(struct gha_in *in)
{
	struct gha_each each = { &rej, opt.maxline, 1, 0, load_line, NULL,
	    load_end, NULL, 0 };

	if (gha_each_eread(in, &each) == GHA_EACH_DAMAGED)
		badfiles++;
	st.read += each.lines;
}

/*
 * --status: store every record of the input just read before it is
 * counted, so that its counts are its own.  Without --status inputs share
 * batches and nothing waits.
 */
static void
drain(struct load_stats *done)
{
	if (!dbfailed && ops->flush(sink, 0, &wst, werr) != 0)
		dbfailed = 1;
	*done = wst;
}

/*
 * The --status record of one input: state is "ok", "unreadable" (not
 * opened), "damaged" (a read error or corrupt gzip data part way) or
 * "stopped" (the target failed; error says why).
 */
static void
input_status(const char *name, const char *state, unsigned long long read,
    const struct load_stats *d, unsigned long long rejected)
{
	if (opt.status == NULL)
		return;
	gha_status_begin(opt.status);
	gha_status_str(opt.status, "input", name);
	gha_status_str(opt.status, "state", dbfailed ? "stopped" : state);
	gha_status_int(opt.status, "read", (int64_t)read);
	gha_status_int(opt.status, "inserted", (int64_t)d->inserted);
	gha_status_int(opt.status, "duplicates", (int64_t)d->duplicates);
	gha_status_int(opt.status, "rejected", (int64_t)(rejected +
	    d->rejected));
	gha_status_str(opt.status, "error", dbfailed ? werr : NULL);
	gha_status_eend(opt.status);
}

static void
load_path(const char *path)
{
	char err[GHA_ERRLEN];
	struct gha_in *in;
	struct load_stats w0, w1, d;
	unsigned long long read0 = st.read, rej0 = rej.total;
	int bad0 = badfiles;

	memset(&d, 0, sizeof(d));
	memset(&w0, 0, sizeof(w0));
	if (opt.status != NULL)
		w0 = wst;	/* all stored: drain() saw to it */
	if ((in = gha_in_open(path, opt.maxline, err)) == NULL) {
		gha_warnx("%s", err);
		badfiles++;
		input_status(path, "unreadable", 0, &d, 0);
		return;
	}
	load(in);
	if (opt.status != NULL) {
		drain(&w1);
		d.inserted = w1.inserted - w0.inserted;
		d.duplicates = w1.duplicates - w0.duplicates;
		d.rejected = w1.rejected - w0.rejected;
		input_status(gha_in_name(in), badfiles > bad0 ? "damaged" :
		    "ok", st.read - read0, &d, rej.total - rej0);
	}
	gha_in_close(in);
}

/* What the target keeps us waiting for: said as it happens. */
static void
notice(const char *msg)
{
	gha_warnx("%s", msg);
}

/*
 * -P: the target as lib/target.c parses it, as sh assignments for the
 * scripts to eval, so that they read a target exactly as gha-load does.
 */
static int
print_target(const struct gha_target *t)
{
	struct gha_buf b = { NULL, 0, 0 };

	gha_target_sh(t, &b);
	gha_buf_ewrite(&b, stdout, 0);
	gha_buf_free(&b);
	gha_eclose_stdout();
	return GHA_EX_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "commits", no_argument, NULL, OPT_COMMITS },
		{ "defer-metrics", no_argument, NULL, OPT_DEFER },
		{ "rejects", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ NULL, 0, NULL, 0 }
	};
	char err[GHA_ERRLEN];
	const char *status_path = NULL;
	struct gha_target tg;
	static const char **files;	/* static: still reachable at exit */
	double t0, rcpu;
	char metrics[64] = "";
	long long w;
	size_t nfiles = 0, i;
	int ch, r, lmode = 0, records_opt = 0;

	gha_setprogname(argv[0]);
	opt.maxline = 16U << 20;
	opt.lo.wait = 60;
	opt.lo.notice = notice;
	gha_cli_estd(argc, argv, optstring, longopts, &help);
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		gha_cli_erenamed(ch, renamed, &help);
		if (ch == OPT_BATCH || ch == OPT_STATUS ||
		    strchr("fLrv", ch) != NULL)
			records_opt = 2;	/* not with -H, -Q, --commits */
		else if (ch == 'q' && records_opt == 0)
			records_opt = 1;	/* not with -H, -Q */
		switch (ch) {
		case 'C':
			opt.lo.cafile = optarg;
			break;
		case 'f':
			files = gha_erealloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles++] = optarg;
			break;
		case 'H':
			lmode = lmode ? -1 : 'H';
			break;
		case 'L':
			if (gha_parse_maxline(optarg, &opt.maxline, err) != 0) {
				gha_warnx("%s", err);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			break;
		case 'P':
			lmode = lmode ? -1 : 'P';
			break;
		case 'Q':
			lmode = lmode ? -1 : 'Q';
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'r':
			opt.rejects = optarg;
			break;
		case 'v':
			opt.lo.verbose = 1;
			break;
		case 'w':
			if (gha_strtonum(optarg, 0, 86400, &w) != 0) {
				gha_warnx("-w: want 0 to 86400 seconds: %s",
				    optarg);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			opt.lo.wait = (int)w;
			break;
		case OPT_BATCH:
			if (gha_strtonum(optarg, 1, 200000, &w) != 0) {
				gha_warnx("--batch: want 1 to 200000 records: "
				    "%s", optarg);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			opt.lo.batch = (size_t)w;
			break;
		case OPT_STATUS:
			status_path = optarg;
			break;
		case OPT_COMMITS:
			lmode = lmode ? -1 : 'c';
			break;
		case OPT_DEFER:
			opt.lo.defer = 1;
			break;
		default:
			gha_cli_eusage(&help, GHA_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	/* --commits takes -q of the records' options, -H and -Q none. */
	if (argc > 1 || lmode == -1 || (lmode != 0 && lmode != 'c' &&
	    records_opt) || (lmode == 'c' && records_opt > 1))
		gha_cli_eusage(&help, GHA_EX_USAGE);

	if (argc == 1)
		target = argv[0];
	else if ((target = getenv("GHA_DB")) == NULL || *target == '\0')
		target = "./gha.db";
	if (gha_target_parse(target, &tg, err) != 0)
		gha_die(GHA_EX_USAGE, "%s", err);
	if (opt.lo.defer && lmode != 0 && lmode != 'H') {
		gha_warnx("--defer-metrics: for loading records or -H");
		gha_cli_eusage(&help, GHA_EX_USAGE);
	}
	if (lmode == 'P')
		return print_target(&tg);
	if ((ops = sink_pick(&tg, &opt.lo, &r, err)) == NULL) {
		gha_warnx("%s", err);
		if (r == GHA_EX_USAGE)
			gha_cli_eusage(&help, r);
		return r;
	}
	if (lmode != 0) {
		if ((sink = ops->open(target, &opt.lo, err)) == NULL)
			gha_die(GHA_EX_OUTPUT, "%s", err);
		if (lmode == 'c')
			return commits_run(ops, sink, opt.quiet);
		return ledger_run(ops, sink, lmode == 'H');
	}

	if (status_path != NULL &&
	    (opt.status = gha_status_open(status_path, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	gha_rej_eopen(&rej, opt.rejects, opt.quiet);
	t0 = gha_clock(CLOCK_MONOTONIC);
	if ((sink = ops->open(target, &opt.lo, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);

	if (nfiles == 0)
		load_path("-");
	for (i = 0; i < nfiles && !dbfailed; i++)
		load_path(files[i]);
	/* Before the last flush, which may have work of its own (rollup.c). */
	rcpu = gha_clock(CLOCK_THREAD_CPUTIME_ID);
	if (!dbfailed && ops->flush(sink, 1, &wst, werr) != 0)
		dbfailed = 1;
	if (dbfailed)
		gha_warnx("%s", werr);
	st.inserted = wst.inserted;
	st.duplicates = wst.duplicates;
	if (wst.rejected > 0) {
		/* Records the target itself cannot hold (a sink's limits). */
		gha_warnx("%llu %s refused by the target: %s", wst.rejected,
		    gha_plural(wst.rejected, "record", "records"),
		    ops->refused);
		rej.total += wst.rejected;
	}
	st.rejected = rej.total;
	if (ops->close(sink, err) != 0) {
		gha_warnx("%s", err);
		dbfailed = 1;
	}
	t0 = gha_clock(CLOCK_MONOTONIC) - t0;
	if (wst.days > 0)
		snprintf(metrics, sizeof(metrics), "; the metrics of %llu "
		    "day%s: %.2f s", wst.days, wst.days == 1 ? "" : "s",
		    wst.days_s);
	if (opt.lo.verbose)
		gha_warnx("%.2f s, %.0f records/s; CPU: reading %.2f s, "
		    "writing %.2f s%s", t0, t0 > 0 ? (double)st.read / t0 : 0,
		    rcpu, wst.cpu, metrics);
	if (opt.lo.verbose && wst.days > 0)
		gha_warnx("metrics: %llu of %llu day%s from the records as "
		    "read, %llu read back from the file", wst.days_fed,
		    wst.days, wst.days == 1 ? "" : "s",
		    wst.days - wst.days_fed);

	free(files);
	gha_rej_eclose(&rej);
	gha_status_eclose(opt.status);
	gha_eclose_stdout();
	if (!opt.quiet)
		gha_warnx("%llu read, %llu inserted, %llu %s, "
		    "%llu rejected%s", st.read, st.inserted, st.duplicates,
		    gha_plural(st.duplicates, "duplicate", "duplicates"),
		    st.rejected, dbfailed ? " (loading stopped: database "
		    "error)" : "");
	if (dbfailed)
		return GHA_EX_OUTPUT;
	if (badfiles > 0)
		return GHA_EX_INPUT;
	return rej.total > 0 ? GHA_EX_DATA : GHA_EX_OK;
}
