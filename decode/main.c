/*
 * gha-decode - GH Archive events to flat NDJSON records.
 *
 * Reads hourly archive files (gzip, possibly multi-member, or plain NDJSON)
 * named on the command line, or stdin, which may itself be gzip data, NDJSON
 * events, or a list of file paths one per line as gha-fetch prints them.
 * Every event of every era of the archive becomes one flat record (see
 * gha-decode(1)), written to stdout in input order.  A bad line is reported
 * as FILE:LINE, counted, optionally kept in a reject file, and skipped; the
 * records around it are still written.  A damaged gzip stream is an error
 * naming the file, after every record before the damage was written.
 * Lines are decoded by worker threads (-j, lib/pool.c), their records and
 * messages taken back in input order, exactly as one thread makes them.
 * Memory is bounded by the longest line allowed (-L) times the batches in
 * flight.
 *
 * Copies of one hour from several sources (gha-fetch lists them one
 * after the other) are counted by event identity for the --status
 * records (group.c): each copy's events, those only it had, their union
 * (union.c).
 *
 * gha-decode trusts no input: a file gha-fetch verified is inflated and
 * checked again, member by member, as any other.  A download gha-fetch
 * did not check (--defer-check) is proven here: its records are held back
 * until it has been read whole and found good, then it is renamed into
 * the cache and they go out; a damaged one gives no record and is removed
 * (held.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "cli.h"
#include "event.h"
#include "group.h"
#include "held.h"
#include "pool.h"
#include "union.h"

#define FLUSH_AT	(256U << 10)

static struct {
	int		 pass;		/* -p: original events, validated */
	int		 quiet;		/* -q */
	int		 unbuffered;	/* -u */
	int		 threads;	/* -j */
	unsigned long long maxbytes;	/* -S */
	size_t		 maxline;	/* -L */
	const char	*rejects;	/* -r */
	struct gha_status *status;	/* --status */
} opt;

enum { OPT_STATUS = 256 };

static struct {
	unsigned long long records, files, badfiles;
} count;

static struct gha_buf out;
static struct gha_rejects rej;
static FILE *ofp;		/* where records go: stdout, or held back */

static int
blank(const char *p, size_t n)
{
	while (n > 0 && strchr(" \t\r", *p) != NULL && *p != '\0') {
		p++;
		n--;
	}
	return n == 0;
}

/* getopt's; gha_cli_estd reads it too, for -h and -V (lib/cli.c). */
static const char optstring[] = "hj:L:pqr:S:u";

static const struct gha_help help = {
	"usage: gha-decode [-hpquV] [-j jobs] [-L size] [-r file] [-S size]\n"
	    "                  [--status file] [file ...]",
	"  -j jobs        threads decoding at once, 1 to 64 (default: the cores)\n"
	    "  -L size        the longest line accepted, 1K to 1G (default 16M)\n"
	    "  -p             pass valid events through as they are, not flattened\n"
	    "  -q             quiet: no rejected lines, no summary\n"
	    "  -r file        write every rejected line to file (or --rejects file)\n"
	    "  -S size        the most bytes one input may decode to (64G; 0: no limit)\n"
	    "  --status file  append a JSON line of counts for each input to file\n"
	    "  -u             flush the output after every record\n"
	    "  file           plain or gzip events, or a list of paths; - or none: stdin\n"
};


/* Records to where they go now: stdout, or held back (held.c). */
static void
put_out(struct gha_buf *b, int now)
{
	if (ofp == stdout)
		gha_buf_ewrite(b, stdout, now);
	else
		held_ewrite(ofp, b);
}

static void
flush(void)
{
	put_out(&out, opt.unbuffered);
}

/*
 * Decoding a line (work(), in a worker with -j 2 or more) makes records
 * and notes: the rejected lines and the flat records found, each with its
 * line, reported later in input order by emit() in the reading thread,
 * which also writes the records out.  With -j 1 the same two run one
 * after the other on each line, in place.
 */
enum { N_REJECT, N_FLAT, N_LONG };

struct note {
	int		 kind;
	size_t		 line;		/* in the batch */
	const char	*p;		/* the text kept (NULL: none) */
	size_t		 n;
	size_t		 why;		/* in why */
};

struct dres {
	struct gha_buf	*out;		/* the records: own, or out (-j 1) */
	struct gha_buf	 own;
	struct gha_buf	 why;		/* the reasons, NUL-ended */
	struct note	*note;
	size_t		 nnote, capnote;
	unsigned long long records;
	int64_t		 first, last;	/* the records' created_at span */
	int		 seen;		/* first and last are set */
	struct un_key	*keys;		/* the records' identities (--status) */
	size_t		 nkeys, capkeys;
};

/* What decoding one line needs: where it goes, which line it is. */
struct dline {
	struct dres	*r;
	size_t		 line;
	const char	*src;		/* its archive hour, or NULL */
};

static struct gha_pool *pool;		/* -j 2 and more */
static char cur_src[16];		/* the input's hour ... */
static int has_src;			/* ... when its name gives one */
static int copy = -1;			/* its copy of the hour (--status) */

static void
note(struct dline *d, int kind, const char *line, size_t n, const char *why)
{
	struct dres *r = d->r;
	struct note *nt;

	if (r->nnote == r->capnote) {
		r->capnote = r->capnote ? 2 * r->capnote : 64;
		r->note = gha_erealloc(r->note, r->capnote * sizeof(*r->note));
	}
	nt = &r->note[r->nnote++];
	nt->kind = kind;
	nt->line = d->line;
	nt->p = line;
	nt->n = n;
	nt->why = r->why.n;
	gha_buf_adds(&r->why, why);
	gha_buf_addc(&r->why, '\0');
}

static void
reject(struct dline *d, const char *line, size_t n, const char *why)
{
	note(d, N_REJECT, line, n, why);
}

/*
 * Flat records given back to gha-decode come by the file, thousands of
 * them: the first FLAT_SHOWN of a file are reported one by one, the rest
 * counted (and kept, -r) and summed up in one line at the file's end.
 */
#define FLAT_SHOWN	3
static unsigned long long flats;	/* this file's flat records */

static void
flat(struct gha_in *in, unsigned long long lineno, const char *line,
    size_t n, const char *why)
{
	if (++flats <= FLAT_SHOWN)
		gha_rej_eadd(&rej, gha_in_name(in), lineno, line, n, why);
	else
		gha_rej_ekeep(&rej, line, n);
}

/*
 * The span of this file's records: the earliest and latest created_at
 * (UTC), for the --status record, from which gha-daily's ledger learns
 * which UTC hours an archive file really holds (a timeline file is named
 * by a Pacific hour).  Read back from the record just written: its keys
 * are id, type, created_at, and neither string can hold `,"`.
 */
static int64_t t_first, t_last;
static int t_seen;

/* Widen a span by t: the batch's (any thread) or the input's. */
static void
span_add(int64_t *first, int64_t *last, int *seen, int64_t t)
{
	if (!*seen || t < *first)
		*first = t;
	if (!*seen || t > *last)
		*last = t;
	*seen = 1;
}

static int64_t
span_note(struct dres *r, const char *rec, size_t n)
{
	static const char key[] = ",\"created_at\":\"";
	const char *p = rec, *end = rec + n;
	int64_t t;

	while ((p = memchr(p, ',', end - p)) != NULL &&
	    ((size_t)(end - p) < sizeof(key) - 1 + 20 ||
	    memcmp(p, key, sizeof(key) - 1) != 0))
		p++;
	if (p == NULL || gha_time_parse(p + sizeof(key) - 1, 20, &t) != 0)
		return -1;
	span_add(&r->first, &r->last, &r->seen, t);
	return t;
}

/* The record's identity, kept for the union of the hour's copies. */
static void
key_note(struct dres *r, const char *rec, size_t n, int64_t t)
{
	if (r->nkeys == r->capkeys) {
		r->capkeys = r->capkeys ? 2 * r->capkeys : 256;
		r->keys = gha_erealloc(r->keys, r->capkeys * sizeof(*r->keys));
	}
	if (t >= 0 && un_key(rec, n, t, &r->keys[r->nkeys]) == 0)
		r->nkeys++;
}

static void
flats_end(struct gha_in *in)
{
	if (flats > FLAT_SHOWN && !opt.quiet)
		gha_warnx("%s: %llu more lines not shown: flat records, "
		    "decoded already (gha-load reads them)", gha_in_name(in),
		    flats - FLAT_SHOWN);
	flats = 0;
}

/*
 * One object: flattened (or, with -p, validated and passed through).
 * Objects run together on one line ("}{", 2011-2012 files) are split: the
 * valid object at the front is kept and the rest is taken on its own.
 */
static void
object_out(struct dline *d, const char *p, size_t n)
{
	char err[GHA_ERRLEN];
	size_t span, at;
	int64_t t;
	int r;

	while (n > 0) {
		at = d->r->out->n;
		if (opt.pass)
			r = gha_json_validate(p, n, err) == 0 ? GHA_EV_OK :
			    GHA_EV_JSON;
		else
			r = gha_event_flatten(p, n, d->src, d->r->out, err);
		if (r == GHA_EV_OK) {
			if (!opt.pass && (t = span_note(d->r, d->r->out->p +
			    at, d->r->out->n - at)) >= 0 && opt.status != NULL)
				key_note(d->r, d->r->out->p + at,
				    d->r->out->n - at, t);
			if (opt.pass) {
				gha_buf_add(d->r->out, p, n);
				gha_buf_addc(d->r->out, '\n');
			}
			d->r->records++;
			return;
		}
		if (r == GHA_EV_FLAT) {
			note(d, N_FLAT, p, n, err);
			return;
		}
		span = r == GHA_EV_JSON ? gha_json_span(p, n) : 0;
		if (span == 0 || span == n || p[span] != '{') {
			reject(d, p, n, err);
			return;
		}
		object_out(d, p, span);
		p += span;
		n -= span;
	}
}

/*
 * One line.  Runs of NUL bytes (seen where the archive's files were
 * damaged, e.g. 2018-06-08-2) are not data: they are reported, and the
 * pieces between them are decoded on their own, so that an event that
 * starts after the damage on the same line is not lost with it.
 */
static void
line_out(struct dline *d, const char *line, size_t n)
{
	const char *p = line, *end = line + n, *nul;
	char why[GHA_ERRLEN];
	size_t nuls = 0;

	if ((nul = memchr(line, '\0', n)) == NULL) {
		object_out(d, line, n);
		return;
	}
	while (p < end) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL)
			nul = end;
		if (nul > p && !blank(p, (size_t)(nul - p)))
			object_out(d, p, (size_t)(nul - p));
		for (p = nul; p < end && *p == '\0'; p++)
			nuls++;
	}
	snprintf(why, sizeof(why), "%zu NUL bytes skipped", nuls);
	reject(d, NULL, 0, why);
}

/* Decode every line of b into its dres (any thread). */
static void
work(void *ctx, struct gha_batch *b)
{
	struct dline d = { b->priv, 0, has_src ? cur_src : NULL };
	size_t i;

	(void)ctx;
	d.r->nnote = d.r->why.n = 0;
	d.r->records = 0;
	d.r->seen = 0;
	d.r->nkeys = 0;
	if (d.r->out == &d.r->own)
		d.r->own.n = 0;
	for (i = 0; i < b->n; i++) {
		d.line = i;
		if (b->islong[i])
			note(&d, N_LONG, NULL, 0, "");
		else
			line_out(&d, b->base + b->off[i],
			    b->off[i + 1] - b->off[i] - 1);
	}
}

/* Give out b's records and notes, in input order (the reading thread). */
static void
emit(void *arg, struct gha_batch *b, struct gha_in *in)
{
	struct dres *r = b->priv;
	struct note *nt;
	size_t i;

	(void)arg;
	for (i = 0; i < r->nnote; i++) {
		nt = &r->note[i];
		switch (nt->kind) {
		case N_LONG:
			gha_rej_elong(&rej, gha_in_name(in),
			    b->lineno + nt->line, opt.maxline);
			break;
		case N_FLAT:
			flat(in, b->lineno + nt->line, nt->p, nt->n,
			    r->why.p + nt->why);
			break;
		default:
			gha_rej_eadd(&rej, gha_in_name(in),
			    b->lineno + nt->line, nt->p, nt->n,
			    r->why.p + nt->why);
		}
	}
	count.records += r->records;
	for (i = 0; i < r->nkeys && copy >= 0; i++)
		un_add(&r->keys[i], copy);
	if (r->seen) {
		span_add(&t_first, &t_last, &t_seen, r->first);
		span_add(&t_first, &t_last, &t_seen, r->last);
	}
	if (r->out != &out) {
		/* A batch's records, a few hundred KB: written as they are. */
		flush();
		put_out(&r->own, 0);
	} else if (out.n >= FLUSH_AT || opt.unbuffered)
		flush();
}

static void *
dres_new(void)
{
	struct dres *r = gha_ecalloc(1, sizeof(*r));

	r->out = &r->own;
	return r;
}

static void
dres_free(void *p)
{
	struct dres *r = p;

	if (r == NULL)
		return;
	gha_buf_free(&r->own);
	gha_buf_free(&r->why);
	free(r->note);
	free(r->keys);
	free(r);
}

/* The input has ended: what it gave, for its --status record. */
static void
status(const char *name, const char *state, unsigned long long lines,
    unsigned long long records, unsigned long long rejected, char *cached)
{
	struct group_input g = { name, state, cached, lines, records,
	    rejected, t_first, t_last, t_seen };

	group_add(&g);
	t_seen = 0;
	copy = -1;
}

/* The one batch of -j 1: each line decoded in place, straight to out. */
static struct gha_batch single;

/* One line of the input, decoded in this thread (gha_each's line()). */
static int
decode_line(void *arg, struct gha_in *in, const char *line, size_t n)
{
	gha_batch_one(&single, in, line, n);
	work(NULL, &single);
	emit(arg, &single, in);
	return 0;
}

/* The input has ended: its records out, its flat records summed up. */
static void
decode_end(void *arg, struct gha_in *in)
{
	(void)arg;
	flush();
	flats_end(in);
}

/*
 * An unproven download's end: good, it becomes final (the cache file,
 * returned) and its records are let go; damaged, they are dropped, its
 * identities leave the hour's union, and it is removed.
 */
static char *
unproven_end(struct gha_in *in, FILE *held, char *final, const char *state,
    unsigned long long *records)
{
	const char *name = gha_in_name(in);

	if (strcmp(state, "ok") == 0) {
		if (rename(name, final) != 0) {
			gha_warnx("%s: cannot rename it to %s: %s (its records "
			    "are good all the same)", name, final,
			    strerror(errno));
			free(final);
			final = NULL;
		}
		held_release(held);
		return final;
	}
	if (*records > 0 && !opt.quiet)
		gha_warnx("%s: an unproven download, damaged: none of its "
		    "%llu %s written; removed", name, *records,
		    gha_plural(*records, "record", "records"));
	count.records -= *records;
	*records = 0;
	if (copy >= 0)
		un_drop(copy);
	held_drop(held);
	unlink(name);
	free(final);
	return NULL;
}

/* Decode every line of one open input. */
static void
decode(struct gha_in *in)
{
	/* Long lines come to line() too, to be reported in input order. */
	struct gha_each each = { &rej, opt.maxline, 1, 1,
	    pool != NULL ? gha_pool_line : decode_line,
	    pool != NULL ? gha_pool_drain : NULL, decode_end, pool, 0 };
	const char *state = "ok";
	unsigned long long records0 = count.records, rejected0 = rej.total;
	char err[GHA_ERRLEN], *final, *cached = NULL;
	FILE *held = NULL;
	unsigned long long records;

	if ((final = gha_unproven_final(gha_in_name(in))) != NULL)
		ofp = held = held_open();
	else
		held_wait();
	has_src = gha_hour_from_path(gha_in_name(in), cur_src) == 0;
	copy = group_enter(gha_in_name(in));
	count.files++;
	if (gha_each_eread(in, &each) == GHA_EACH_DAMAGED)
		state = "damaged";
	else if (held != NULL && gha_in_whole(in, err) != 0) {
		gha_warnx("%s", err);
		state = "damaged";
	}
	if (strcmp(state, "ok") != 0)
		count.badfiles++;
	ofp = stdout;
	records = count.records - records0;
	if (held != NULL)
		cached = unproven_end(in, held, final, state, &records);
	status(gha_in_name(in), state, gha_in_lineno(in), records,
	    rej.total - rejected0, cached);
}

static void
decode_path(const char *path)
{
	char err[GHA_ERRLEN];
	struct gha_in *in;

	if ((in = gha_in_open(path, opt.maxline, err)) == NULL) {
		gha_warnx("%s", err);
		count.badfiles++;
		copy = group_enter(path);
		status(path, "unreadable", 0, 0, 0, NULL);
		return;
	}
	gha_in_limit(in, opt.maxbytes);
	if (opt.threads > 1)
		gha_in_thread(in);
	decode(in);
	gha_in_close(in);
}

/*
 * stdin holds either data (gzip, or NDJSON whose first non-blank byte is
 * '{', or '[' for a JSON array, which decode() refuses as not NDJSON) or
 * a list of paths, one per line, as gha-fetch prints them.
 */
static void
decode_stdin(void)
{
	char err[GHA_ERRLEN], *path;
	struct gha_in *in;
	const char *line;
	size_t n;
	int c, r;

	if ((in = gha_in_open("-", opt.maxline, err)) == NULL) {
		gha_warnx("%s", err);
		count.badfiles++;
		return;
	}
	c = gha_in_peek(in, err);
	if (c == -2) {
		gha_warnx("%s", err);
		count.badfiles++;
	} else if (gha_in_isgzip(in) || c == '{' || c == '[' || c == -1) {
		gha_in_limit(in, opt.maxbytes);
		if (opt.threads > 1)
			gha_in_thread(in);
		decode(in);
	} else {
		while ((r = gha_in_getline(in, &line, &n, err)) != GHA_IN_EOF) {
			if (r == GHA_IN_ERR) {
				gha_warnx("%s", err);
				count.badfiles++;
				break;
			}
			if (r == GHA_IN_LONG || memchr(line, '\0', n)) {
				gha_warnx("<stdin>:%llu: not a file name",
				    gha_in_lineno(in));
				count.badfiles++;
				continue;
			}
			if (n == 0)
				continue;
			path = gha_emalloc(n + 1);
			memcpy(path, line, n);
			path[n] = '\0';
			decode_path(path);
			free(path);
		}
	}
	gha_in_close(in);
}

/*
 * The threads: with -j N above 1, gzip is inflated in a thread of its own
 * and lines are decoded by N workers (lib/pool.c), their results taken in
 * input order.  -u wants each record out as soon as its line is in, which
 * a batch waiting to fill would hold back: it decodes in this thread.
 */
static void
start(void)
{
	static const struct gha_pool_ops ops = { work, emit, dres_new,
	    dres_free, NULL };
	struct dres *r;

	if (opt.threads < 1)
		opt.threads = 1;
	if (opt.threads > GHA_POOL_MAXJOBS)
		opt.threads = GHA_POOL_MAXJOBS;
	gha_batch_init(&single);
	single.priv = r = dres_new();
	r->out = &out;
	if (opt.threads > 1 && !opt.unbuffered)
		pool = gha_pool_enew(opt.threads, NULL, &ops);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "rejects", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ NULL, 0, NULL, 0 }
	};
	char err[GHA_ERRLEN];
	const char *status_path = NULL;
	unsigned long long v;
	long long j;
	int ch, i;

	gha_setprogname(argv[0]);
	opt.maxline = 16U << 20;
	opt.maxbytes = GHA_IN_MAXBYTES;
	opt.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	gha_cli_estd(argc, argv, optstring, longopts, &help);
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j':
			if (gha_strtonum(optarg, 1, GHA_POOL_MAXJOBS,
			    &j) != 0) {
				gha_warnx("-j: want a number from 1 to %d: %s",
				    GHA_POOL_MAXJOBS, optarg);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			opt.threads = (int)j;
			break;
		case 'L':
			if (gha_parse_maxline(optarg, &opt.maxline, err) != 0) {
				gha_warnx("%s", err);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			break;
		case 'p':
			opt.pass = 1;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'r':
			opt.rejects = optarg;
			break;
		case 'S':
			if (gha_parse_size(optarg, &v) != 0 ||
			    v > (1ULL << 50)) {
				gha_warnx("-S: want a size up to 1P, 0 for no "
				    "limit: %s", optarg);
				gha_cli_eusage(&help, GHA_EX_USAGE);
			}
			opt.maxbytes = v;
			break;
		case 'u':
			opt.unbuffered = 1;
			break;
		case OPT_STATUS:
			status_path = optarg;
			break;
		default:
			gha_cli_eusage(&help, GHA_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (status_path != NULL &&
	    (opt.status = gha_status_open(status_path, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	gha_rej_eopen(&rej, opt.rejects, opt.quiet);
	ofp = stdout;
	group_open(opt.status, opt.pass);
	start();
	if (argc == 0)
		decode_stdin();
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			decode_stdin();
		else
			decode_path(argv[i]);
	}
	group_end();
	held_wait();
	un_free();
	gha_pool_free(pool);
	gha_batch_free(&single);
	dres_free(single.priv);
	gha_buf_free(&out);
	gha_rej_eclose(&rej);
	gha_eclose_stdout();
	gha_status_eclose(opt.status);
	if (!opt.quiet)
		gha_warnx("%llu %s, %llu rejected %s, %llu %s, "
		    "%llu damaged or unreadable", count.records,
		    gha_plural(count.records, "record", "records"), rej.total,
		    gha_plural(rej.total, "line", "lines"), count.files,
		    gha_plural(count.files, "file", "files"), count.badfiles);
	if (count.badfiles > 0)
		return GHA_EX_INPUT;
	return rej.total > 0 ? GHA_EX_DATA : GHA_EX_OK;
}
