/*
 * gha-load - load flat records into a database.
 *
 * Reads flat records (DESIGN.md 3, as gha-decode writes them) from stdin
 * or from the files named with -f, and stores them in TARGET: an SQLite
 * file (the default, $GHA_DB or ./gha.db) or a ClickHouse server at an
 * http(s):// URL.  The sink creates the schema and
 * the metric views when missing and stores each batch of records in one
 * transaction, ignoring records whose identity (id, created_at) is already
 * stored, so a crash leaves whole batches and loading the same input twice
 * changes nothing.  A line that is not a valid record is reported as
 * FILE:LINE, counted, optionally kept in a reject file, and skipped; the
 * records around it are loaded.  A summary (read, inserted, duplicates,
 * rejected) goes to stderr at the end.  Memory is bounded by the batch
 * (-b records, BATCH_BYTES of text) plus the longest line allowed (-L).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "gha.h"
#include "sink.h"

#define BATCH_BYTES	(32U << 20)	/* text held for one batch, at most */
#define CHUNK		(1U << 20)	/* lines are kept in chunks this big */
#define MAXREPORT	100		/* bad lines reported per file */

/*
 * The ClickHouse sink (load/clickhouse.c) is registered on this one line;
 * with NULL here an http(s):// TARGET is a clear error, not a stub.
 */
#define CLICKHOUSE_SINK	(&clickhouse_sink)

/* The sink for each form of TARGET, first match wins. */
static const struct {
	const char		*prefix;	/* NULL: anything */
	const struct sink_ops	*ops;		/* NULL: not in this build */
} sinks[] = {
	{ "http://", CLICKHOUSE_SINK },
	{ "https://", CLICKHOUSE_SINK },
	{ NULL, &sqlite_sink },
};

static struct {
	int		 quiet;		/* -q */
	size_t		 maxline;	/* -L */
	FILE		*rejects;	/* -r */
	const char	*rejects_name;
	struct load_opts lo;		/* -b, -w */
} opt;

/*
 * The batch being collected: records whose tokens point into lines copied
 * into chunks that never move until the batch is written.
 */
static struct {
	struct gha_rec	*recs;
	size_t		 n;
	char		**chunk;	/* nchunk chunks, the last one filling */
	size_t		 nchunk, used, cap, bytes;
} batch;

static const struct sink_ops *ops;
static struct sink *sink;
static const char *target;
static struct load_stats st;
static int dbfailed, badfiles;
static unsigned long long file_rejected;

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: gha-load [-hq] [-b records] [-f file] [-L size] "
	    "[-r rejects] [-w seconds] [target]\n");
	exit(status);
}

/* Write the batch to the sink; on failure remember it and stop loading. */
static void
flush(void)
{
	char err[GHA_ERRLEN];
	size_t i;

	if (batch.n > 0 && !dbfailed &&
	    ops->write(sink, batch.recs, batch.n, &st, err) != 0) {
		gha_warnx("%s", err);
		dbfailed = 1;
	}
	for (i = 0; i < batch.nchunk; i++)
		free(batch.chunk[i]);
	batch.nchunk = batch.n = batch.used = batch.cap = batch.bytes = 0;
}

/* A copy of line[0..n) that stays put until the next flush. */
static char *
keep(const char *line, size_t n)
{
	char *p;

	if (batch.used + n > batch.cap) {
		batch.chunk = erealloc(batch.chunk,
		    (batch.nchunk + 1) * sizeof(*batch.chunk));
		batch.cap = n > CHUNK ? n : CHUNK;
		batch.chunk[batch.nchunk++] = emalloc(batch.cap);
		batch.used = 0;
	}
	p = batch.chunk[batch.nchunk - 1] + batch.used;
	memcpy(p, line, n);
	batch.used += n;
	batch.bytes += n;
	return p;
}

/* Give back the last n bytes taken by keep(). */
static void
unkeep(size_t n)
{
	batch.used -= n;
	batch.bytes -= n;
}

/*
 * Report, count and keep aside one bad line.  At most MAXREPORT lines of
 * one file are reported one by one, the rest in one line at its end.
 */
static void
reject(struct gha_in *in, const char *line, size_t n, const char *why)
{
	st.rejected++;
	if (!opt.quiet && ++file_rejected <= MAXREPORT)
		gha_warnx("%s:%llu: %s", gha_in_name(in), gha_in_lineno(in),
		    why);
	if (opt.rejects != NULL && line != NULL) {
		fwrite(line, 1, n, opt.rejects);
		putc('\n', opt.rejects);
		if (ferror(opt.rejects))
			gha_die(GHA_EX_OUTPUT, "%s: write error: %s",
			    opt.rejects_name, strerror(errno));
	}
}

static void
load(struct gha_in *in)
{
	char err[GHA_ERRLEN], why[GHA_ERRLEN];
	const char *line;
	char *p;
	size_t n;
	int r;

	file_rejected = 0;
	while (!dbfailed) {
		r = gha_in_getline(in, &line, &n, err);
		if (r == GHA_IN_EOF)
			break;
		if (r == GHA_IN_ERR) {
			gha_warnx("%s (after line %llu)", err,
			    gha_in_lineno(in));
			badfiles++;
			break;
		}
		st.read++;
		if (r == GHA_IN_LONG) {
			snprintf(why, sizeof(why), "line longer than %zu "
			    "bytes (-L), skipped", opt.maxline);
			reject(in, NULL, 0, why);
			continue;
		}
		p = keep(line, n);
		if (gha_rec_parse(p, n, &batch.recs[batch.n], err) != 0) {
			unkeep(n);
			reject(in, line, n, err);
			continue;
		}
		if (++batch.n == opt.lo.batch || batch.bytes >= BATCH_BYTES)
			flush();
	}
	if (!opt.quiet && file_rejected > MAXREPORT)
		gha_warnx("%s: %llu more rejected lines not shown",
		    gha_in_name(in), file_rejected - MAXREPORT);
}

static void
load_path(const char *path)
{
	char err[GHA_ERRLEN];
	struct gha_in *in;

	if ((in = gha_in_open(path, opt.maxline, err)) == NULL) {
		gha_warnx("%s", err);
		badfiles++;
		return;
	}
	load(in);
	gha_in_close(in);
}

/* The sink for TARGET, or exit with a clear error. */
static const struct sink_ops *
pick(const char *t)
{
	size_t i, n;

	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++) {
		if (sinks[i].prefix != NULL) {
			n = strlen(sinks[i].prefix);
			if (strncasecmp(t, sinks[i].prefix, n) != 0)
				continue;
		}
		if (sinks[i].ops == NULL)
			/* The URL is not shown: it may hold a password. */
			gha_die(GHA_EX_OUTPUT, "%s...: this gha-load was "
			    "built without a ClickHouse sink", sinks[i].prefix);
		return sinks[i].ops;
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	char err[GHA_ERRLEN];
	const char **files = NULL;
	unsigned long long v;
	long long w;
	size_t nfiles = 0, i;
	int ch;

	gha_setprogname(argv[0]);
	opt.maxline = 16U << 20;
	opt.lo.wait = 60;
	while ((ch = getopt(argc, argv, "b:f:hL:qr:w:")) != -1) {
		switch (ch) {
		case 'b':
			if (gha_strtonum(optarg, 1, 1000000, &w) != 0) {
				gha_warnx("-b: want 1 to 1000000 records: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			opt.lo.batch = (size_t)w;
			break;
		case 'f':
			files = erealloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles++] = optarg;
			break;
		case 'h':
			usage(stdout, GHA_EX_OK);
			break;
		case 'L':
			if (gha_parse_size(optarg, &v) != 0 || v < 1024 ||
			    v > (1ULL << 30)) {
				gha_warnx("-L: want a size from 1K to 1G: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			opt.maxline = (size_t)v;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'r':
			opt.rejects_name = optarg;
			break;
		case 'w':
			if (gha_strtonum(optarg, 0, 86400, &w) != 0) {
				gha_warnx("-w: want 0 to 86400 seconds: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			opt.lo.wait = (int)w;
			break;
		default:
			usage(stderr, GHA_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, GHA_EX_USAGE);

	if (argc == 1)
		target = argv[0];
	else if ((target = getenv("GHA_DB")) == NULL || *target == '\0')
		target = "./gha.db";
	if (*target == '\0')
		gha_die(GHA_EX_USAGE, "empty target");
	ops = pick(target);
	if (opt.lo.batch == 0)
		opt.lo.batch = ops->batch;
	batch.recs = ecalloc(opt.lo.batch, sizeof(*batch.recs));

	if (opt.rejects_name != NULL &&
	    (opt.rejects = fopen(opt.rejects_name, "w")) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s: %s", opt.rejects_name,
		    strerror(errno));
	if ((sink = ops->open(target, &opt.lo, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);

	if (nfiles == 0)
		load_path("-");
	for (i = 0; i < nfiles && !dbfailed; i++)
		load_path(files[i]);
	flush();
	if (ops->close(sink, err) != 0) {
		gha_warnx("%s", err);
		dbfailed = 1;
	}

	free(batch.recs);
	free(batch.chunk);
	free(files);
	if (opt.rejects != NULL && fclose(opt.rejects) == EOF)
		gha_die(GHA_EX_OUTPUT, "%s: write error: %s",
		    opt.rejects_name, strerror(errno));
	gha_close_stdout();
	if (!opt.quiet)
		gha_warnx("%llu read, %llu inserted, %llu duplicates, "
		    "%llu rejected%s", st.read, st.inserted, st.duplicates,
		    st.rejected, dbfailed ? " (loading stopped: database "
		    "error)" : "");
	if (dbfailed)
		return GHA_EX_OUTPUT;
	if (badfiles > 0)
		return GHA_EX_INPUT;
	return st.rejected > 0 ? GHA_EX_DATA : GHA_EX_OK;
}
