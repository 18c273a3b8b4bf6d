/*
 * gha-filter - select and project NDJSON objects: flat records or events.
 *
 * Reads NDJSON (plain or gzip) from the files named on the command line,
 * or stdin, and writes the objects that pass every predicate given: event
 * type (-t, -T), actor (-a), organisation (-o) and repository (--repo)
 * globs, bots (-b, -B), a created_at window (--since, --until) and general
 * FIELD OP VALUE tests (-e).  --invert inverts the selection, --dedup
 * drops copies of an (id, created_at) already written, --fields projects
 * each object to chosen keys, -c prints only how many were selected.  Flat
 * records (gha-decode) and raw archive events both work: pred.c explains
 * how.  A line that is not a JSON object is reported as FILE:LINE,
 * counted, optionally kept in a reject file (--rejects), and skipped, as
 * in gha-decode; the exit status says so.  Lines are scanned by worker
 * threads (-j), their results taken in input order (see "batches" below).
 * Memory is bounded by the longest line allowed (-L) times the batches in
 * flight and, with --dedup, by the de-duplication table's limit (-M).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "cli.h"
#include "filter.h"
#include "pool.h"

#define MAXJOBS		GHA_POOL_MAXJOBS

#define FLUSH_AT	(256U << 10)

enum { OPT_DEDUP = 256, OPT_FIELDS, OPT_INVERT, OPT_REJECTS, OPT_REPO,
	OPT_SINCE, OPT_UNTIL };

static struct {
	int		 count;		/* -c */
	int		 dedup;		/* --dedup */
	int		 quiet;		/* -q */
	int		 unbuffered;	/* -u */
	int		 invert;	/* --invert */
	size_t		 maxline;	/* -L */
	size_t		 maxdedup;	/* -M */
	const char	*rejects;	/* --rejects */
} opt;

static struct {
	unsigned long long records, selected, dups, files,
	    badfiles;
} count;

/*
 * Lines go through in batches (lib/pool.c): the main thread reads a
 * batch, a worker thread scans and tests every line of it with its own
 * compiled predicates, and the main thread then takes the results in
 * input order, so de-duplication, the output and every message come out
 * exactly as one thread would make them.  The JSON scan is nearly all of
 * the work and each line is independent, so with J workers it runs on J
 * cores.  With -j 1 (or -u, where a record must not wait for a batch to
 * fill) the main thread does it all, one line at a time, with no copy.
 */
enum { R_REJECT = -2, R_LONG = -1, R_NO = 0, R_YES = 1 };

/* What process() makes of a batch's lines. */
struct fres {
	signed char	*res;		/* R_* */
	uint64_t	*key;		/* --dedup: hash of (id, created_at) */
	size_t		*at;		/* R_YES: output; R_REJECT: why */
	struct gha_buf	 out;		/* selected lines, as written */
	struct gha_buf	 why;		/* reasons for rejecting, NUL-ended */
};

static struct flt *flt[MAXJOBS];	/* one per worker; [0]: -j 1 */
static struct gha_pool *pool;		/* -j 2 and more */
static struct gha_batch single;		/* -j 1: the line being filtered */
static int jobs;
static struct dedup *seen;
static struct gha_buf out;
static struct gha_rejects rej;

/*
 * getopt's; gha_cli_estd reads it too, for -h and -V (lib/cli.c).  It
 * keeps the letters renamed[] refuses, so their arguments parse as before.
 */
static const char optstring[] = "+Bba:cde:f:hij:L:M:o:qR:r:T:t:uv";

static const struct gha_help help = {
	"usage: gha-filter [-BbchiquV] [-a actors] [-e test] [-j jobs] [-L size]\n"
	    "                  [-M size] [-o orgs] [-T types] [-t types] [--dedup]\n"
	    "                  [--fields keys] [--invert] [--rejects file] [--repo repos]\n"
	    "                  [--since time] [--until time] [file ...]",
	"  -a actors      actor_login matches one of the comma-separated globs\n"
	    "  -B             drop bots (login ending in [bot], or in GHA_BOTS's list)\n"
	    "  -b             only bots\n"
	    "  -c             write only the number of selected objects\n"
	    "  -e test        FIELD OP VALUE, OP one of == != < <= > >= ~ !~\n"
	    "  -i             -a, -o, --repo globs and -e regular expressions ignore case\n"
	    "  -j jobs        scan with jobs threads at once, 1 to 64\n"
	    "  -L size        the longest line accepted, 1K to 1G (default 16M)\n"
	    "  -M size        the most memory the --dedup table may take, 1M to 1T (1G)\n"
	    "  -o orgs        org_login matches one of the comma-separated globs\n"
	    "  -q             quiet: no rejected lines, no summary\n"
	    "  -T types       the event type is none of these\n"
	    "  -t types       the event type is one of these (PushEvent, ...)\n"
	    "  -u             flush the output after every selected object\n"
	    "  --dedup        de-duplicate by (id, created_at)\n"
	    "  --fields keys  write just these comma-separated keys\n"
	    "  --invert       select what fails a predicate\n"
	    "  --rejects file\n"
	    "                 write every rejected line to file\n"
	    "  --repo repos   repo_name matches one of the comma-separated globs\n"
	    "  --since time   created_at at or after time (YYYY-MM-DD[THH:MM:SSZ])\n"
	    "  --until time   created_at before time\n"
};

/* Letters gha-filter gave up so that each means one thing in every tool. */
static const struct gha_renamed renamed[] = {
	{ 'd', "--dedup" }, { 'f', "--fields" }, { 'R', "--rejects" },
	{ 'r', "--repo" }, { 'v', "--invert" }, { 0, NULL }
};

/* The spelling of a predicate option, for messages. */
static const char *
optname(int ch)
{
	static char s[3] = "-?";

	switch (ch) {
	case OPT_REPO:
		return "--repo";
	case OPT_SINCE:
		return "--since";
	case OPT_UNTIL:
		return "--until";
	}
	s[1] = (char)ch;
	return s;
}


static void
flush(void)
{
	gha_buf_ewrite(&out, stdout, opt.unbuffered);
}

static void
reject(const char *name, unsigned long long lineno, const char *line,
    size_t n, const char *why)
{
	gha_rej_eadd(&rej, name, lineno, line, n, why);
}

static void *
fres_new(void)
{
	struct fres *r = gha_ecalloc(1, sizeof(*r));

	r->res = gha_emalloc(GHA_POOL_LINES * sizeof(*r->res));
	r->key = gha_emalloc(GHA_POOL_LINES * sizeof(*r->key));
	r->at = gha_emalloc(GHA_POOL_LINES * sizeof(*r->at));
	return r;
}

static void
fres_free(void *p)
{
	struct fres *r = p;

	if (r == NULL)
		return;
	free(r->res);
	free(r->key);
	free(r->at);
	gha_buf_free(&r->out);
	gha_buf_free(&r->why);
	free(r);
}

/* Scan and test every line of b with f (a worker's, or the main one). */
static void
process(void *ctx, struct gha_batch *b)
{
	struct flt *f = ctx;
	struct fres *r = b->priv;
	char err[GHA_ERRLEN];
	const char *line;
	size_t i, n;
	int m;

	r->out.n = r->why.n = 0;
	for (i = 0; i < b->n; i++) {
		if (b->islong[i]) {
			r->res[i] = R_LONG;
			continue;
		}
		line = b->base + b->off[i];
		n = b->off[i + 1] - b->off[i] - 1;	/* no '\n' */
		if ((m = flt_match(f, line, n, err)) < 0) {
			r->res[i] = R_REJECT;
			r->at[i] = r->why.n;
			gha_buf_adds(&r->why, err);
			gha_buf_addc(&r->why, '\0');
			continue;
		}
		r->res[i] = m != opt.invert ? R_YES : R_NO;
		if (r->res[i] != R_YES)
			continue;
		if (opt.dedup)
			r->key[i] = flt_key(f, line, n);
		r->at[i] = r->out.n;
		if (!opt.count)
			flt_write(f, line, n, &r->out);
	}
}

/* Take the results of b in input order: count, de-duplicate, write. */
static void
emit(void *arg, struct gha_batch *b, struct gha_in *in)
{
	struct fres *r = b->priv;
	const char *line, *name = gha_in_name(in);
	size_t i, end, k;
	int m;

	(void)arg;
	for (i = 0; i < b->n; i++) {
		line = b->base + b->off[i];
		switch (r->res[i]) {
		case R_LONG:
			gha_rej_elong(&rej, name, b->lineno + i, opt.maxline);
			continue;
		case R_REJECT:
			reject(name, b->lineno + i, line,
			    b->off[i + 1] - b->off[i] - 1, r->why.p + r->at[i]);
			continue;
		case R_NO:
			count.records++;
			continue;
		}
		count.records++;
		if (opt.dedup) {
			m = dedup_add(seen, r->key[i]);
			if (m < 0) {
				flush();
				gha_die(GHA_EX_FILTER_DEDUP, "%s:%llu: --dedup: more "
				    "than %llu distinct records, the most "
				    "that -M %zu bytes holds", name,
				    b->lineno + i, count.selected,
				    opt.maxdedup);
			}
			if (m == 0) {
				count.dups++;
				continue;
			}
		}
		count.selected++;
		if (opt.count)
			continue;
		/* This line's output runs to the next selected line's. */
		for (k = i + 1; k < b->n && r->res[k] != R_YES; k++)
			;
		end = k < b->n ? r->at[k] : r->out.n;
		gha_buf_add(&out, r->out.p + r->at[i], end - r->at[i]);
		if (out.n >= FLUSH_AT || opt.unbuffered)
			flush();
	}
}

/* One line, filtered in this thread with no copy (-j 1). */
static int
one_line(void *arg, struct gha_in *in, const char *line, size_t n)
{
	gha_batch_one(&single, in, line, n);
	process(flt[0], &single);
	emit(arg, &single, in);
	return 0;
}

static void
filter_end(void *arg, struct gha_in *in)
{
	(void)arg;
	(void)in;
	flush();
}

static void
filter_path(const char *path)
{
	/* Long lines are rejected in input order by emit(), not there. */
	struct gha_each each = { &rej, opt.maxline, 1, 1,
	    pool != NULL ? gha_pool_line : one_line,
	    pool != NULL ? gha_pool_drain : NULL, filter_end, pool, 0 };
	char err[GHA_ERRLEN];
	struct gha_in *in;

	if ((in = gha_in_open(path, opt.maxline, err)) == NULL) {
		gha_warnx("%s", err);
		count.badfiles++;
		return;
	}
	count.files++;
	if (gha_each_eread(in, &each) == GHA_EACH_DAMAGED)
		count.badfiles++;
	gha_in_close(in);
}

/* A predicate option, kept until -i is known. */
struct popt {
	int		 ch;
	const char	*arg;
};

/*
 * Compile the predicates; each worker gets its own copy, as a struct flt
 * holds the tokens of the line it last matched.
 */
static struct flt *
compile(const struct popt *po, size_t npo, int icase, const char *fields)
{
	struct flt *f;
	char err[GHA_ERRLEN];
	size_t i;
	int rc = 0;

	f = flt_new(icase);
	for (i = 0; i < npo && rc == 0; i++) {
		switch (po[i].ch) {
		case 'B':
		case 'b':
			rc = flt_bots(f, po[i].ch == 'b', err);
			break;
		case 'a':
			rc = flt_globs(f, FLT_ACTOR, po[i].arg, err);
			break;
		case 'e':
			rc = flt_expr(f, po[i].arg, err);
			break;
		case 'o':
			rc = flt_globs(f, FLT_ORG, po[i].arg, err);
			break;
		case OPT_REPO:
			rc = flt_globs(f, FLT_REPO, po[i].arg, err);
			break;
		case 'T':
		case 't':
			rc = flt_types(f, po[i].arg, po[i].ch == 'T', err);
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			rc = flt_window(f, po[i].ch == OPT_UNTIL,
			    po[i].arg, err);
			break;
		}
	}
	if (rc != 0) {
		gha_warnx("%s: %s", optname(po[i - 1].ch), err);
		gha_cli_eusage(&help, GHA_EX_USAGE);
	}
	if (fields != NULL && flt_project(f, fields, err) != 0) {
		gha_warnx("--fields: %s", err);
		gha_cli_eusage(&help, GHA_EX_USAGE);
	}
	if (opt.dedup)
		flt_want_key(f);
	flt_compile(f);
	return f;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dedup", no_argument, NULL, OPT_DEDUP },
		{ "fields", required_argument, NULL, OPT_FIELDS },
		{ "invert", no_argument, NULL, OPT_INVERT },
		{ "rejects", required_argument, NULL, OPT_REJECTS },
		{ "repo", required_argument, NULL, OPT_REPO },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ NULL, 0, NULL, 0 },
	};
	char err[GHA_ERRLEN];
	unsigned long long v;
	long long ll;
	static struct popt *po;	/* static: a root for LeakSanitizer at exit */
	static const struct gha_pool_ops ops = { process, emit, fres_new,
	    fres_free, NULL };
	const char *fields = NULL;
	size_t npo = 0;
	int bots = 0, ch, i, icase = 0;

	gha_setprogname(argv[0]);
	opt.maxline = 16U << 20;
	opt.maxdedup = 1U << 30;
	po = gha_ecalloc((size_t)argc, sizeof(*po));
	gha_cli_estd(argc, argv, optstring, longopts, &help);
	while ((ch = getopt_long(argc, argv, optstring,
	    longopts, NULL)) != -1) {
		gha_cli_erenamed(ch, renamed, &help);
		switch (ch) {
		case 'B':
		case 'b':
			if (bots != 0 && bots != ch) {
				gha_warnx("-b and -B exclude each other");
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			bots = ch;
			po[npo].ch = ch;
			po[npo++].arg = optarg;
			break;
		case 'a':
		case 'e':
		case 'o':
		case 'T':
		case 't':
		case OPT_REPO:
		case OPT_SINCE:
		case OPT_UNTIL:
			po[npo].ch = ch;
			po[npo++].arg = optarg;
			break;
		case 'c':
			opt.count = 1;
			break;
		case 'i':
			icase = 1;
			break;
		case 'j':
			if (gha_strtonum(optarg, 1, MAXJOBS, &ll) != 0) {
				gha_warnx("-j: want a number from 1 to %d: %s",
				    MAXJOBS, optarg);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			jobs = (int)ll;
			break;
		case 'L':
			if (gha_parse_maxline(optarg, &opt.maxline, err) != 0) {
				gha_warnx("%s", err);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			break;
		case 'M':
			if (gha_parse_size(optarg, &v) != 0 ||
			    v < (1ULL << 20) || v > (1ULL << 40) ||
			    v > SIZE_MAX) {
				gha_warnx("-M: want a size from 1M to 1T: %s",
				    optarg);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			opt.maxdedup = (size_t)v;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'u':
			opt.unbuffered = 1;
			break;
		case OPT_DEDUP:
			opt.dedup = 1;
			break;
		case OPT_FIELDS:
			if (fields != NULL) {
				gha_warnx("--fields: given twice");
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			fields = optarg;
			break;
		case OPT_INVERT:
			opt.invert = 1;
			break;
		case OPT_REJECTS:
			opt.rejects = optarg;
			break;
		default:
			gha_cli_eusage(&help, GHA_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	/*
	 * One worker per core by default.  -u wants each record out as soon
	 * as its line is in, which a batch waiting to fill would hold back.
	 */
	if (opt.unbuffered)
		jobs = 1;
	else if (jobs == 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	if (jobs > MAXJOBS)
		jobs = MAXJOBS;
	for (i = 0; i < jobs; i++)
		flt[i] = compile(po, npo, icase, fields);
	free(po);
	gha_batch_init(&single);
	single.priv = fres_new();
	if (jobs > 1)
		pool = gha_pool_enew(jobs, (void **)flt, &ops);
	if (opt.dedup)
		seen = dedup_new(opt.maxdedup);
	gha_rej_eopen(&rej, opt.rejects, opt.quiet);
	if (argc == 0)
		filter_path("-");
	for (i = 0; i < argc; i++)
		filter_path(argv[i]);
	if (opt.count)
		printf("%llu\n", count.selected);
	gha_pool_free(pool);
	fres_free(single.priv);
	gha_batch_free(&single);
	for (i = 0; i < jobs; i++)
		flt_free(flt[i]);
	gha_buf_free(&out);
	dedup_free(seen);
	gha_rej_eclose(&rej);
	gha_eclose_stdout();
	if (!opt.quiet)
		gha_warnx("%llu %s, %llu selected, %llu %s, "
		    "%llu rejected %s, %llu %s, %llu damaged or "
		    "unreadable", count.records,
		    gha_plural(count.records, "record", "records"),
		    count.selected, count.dups,
		    gha_plural(count.dups, "duplicate", "duplicates"),
		    rej.total, gha_plural(rej.total, "line", "lines"),
		    count.files, gha_plural(count.files, "file", "files"),
		    count.badfiles);
	if (count.badfiles > 0)
		return GHA_EX_INPUT;
	return rej.total > 0 ? GHA_EX_DATA : GHA_EX_OK;
}
