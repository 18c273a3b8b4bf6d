/*
 * gha-load - load flat records into a database.
 *
 * Reads flat records (DESIGN.md 3, as gha-decode writes them) from stdin
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
 * Two threads: main() reads and parses one batch while a writer thread
 * hands the previous one to the sink, so the JSON scanning and the
 * database each get a core.  Memory is bounded by the two batches (-b
 * records, BATCH_BYTES of text each) plus the longest line allowed (-L);
 * a sink that makes its own batches (sink.h) is handed slices instead
 * (its slice size, CHUNK of text each).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gha.h"
#include "cli.h"
#include "sink.h"
#include "target.h"

#define BATCH_BYTES	(32U << 20)	/* text held for one batch, at most */
#define CHUNK		(1U << 20)	/* lines are kept in chunks this big */

/*
 * The ClickHouse sink (load/clickhouse.c) is registered on this one line;
 * with NULL here an http(s):// TARGET is a clear error, not a stub.
 */
#define CLICKHOUSE_SINK	(&clickhouse_sink)

/* The sink for each kind of TARGET (lib/target.c tells them apart). */
static const struct {
	enum gha_target_kind	 kind;
	const struct sink_ops	*ops;		/* NULL: not in this build */
} sinks[] = {
	{ GHA_TARGET_CLICKHOUSE, CLICKHOUSE_SINK },
	{ GHA_TARGET_SQLITE, &sqlite_sink },
};

static struct {
	int		 quiet;		/* -q */
	size_t		 maxline;	/* -L */
	const char	*rejects;	/* -r */
	struct load_opts lo;		/* --batch, -C, -v, -w */
	struct gha_status *status;	/* --status */
} opt;

enum { OPT_BATCH = 256, OPT_STATUS };

/*
 * A batch: records whose tokens point into lines copied into chunks that
 * never move until the batch is written.  Chunks of the standard size are
 * kept for the next batch (no fresh pages to fault in each time); a chunk
 * made bigger for one long line is freed with its batch.
 */
struct chunk {
	char	*p;
	size_t	 cap;
};

struct batch {
	struct gha_rec	*recs;
	size_t		 n;
	struct chunk	*chunk;
	size_t		 nchunk, cur, used, bytes;
};

/*
 * Two batches: main() reads and parses into one while the writer thread
 * stores the other, so parsing and the database use both cores.  The
 * sink is only ever used by one thread at a time: opened and closed by
 * main() while the writer is not running, written by the writer, and the
 * mutex orders the hand-over.
 */
static struct batch batches[2], *fill = &batches[0];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct batch *pending;		/* handed over, not yet taken */
static int writing, finished;		/* the writer's state */
static int wfailed;			/* a write failed: werr */
static char werr[GHA_ERRLEN];
static struct load_stats wst;		/* the writer's counts */
static double wcpu;			/* the writer's CPU seconds */

static const struct sink_ops *ops;
static struct sink *sink;
static const char *target;
static struct load_stats st;
static size_t maxrecs, maxbytes;	/* a batch (or slice) is full */
static int dbfailed, badfiles;
static struct gha_rejects rej;

/*
 * getopt's; gha_cli_std reads it too, for -h and -V (lib/cli.c).  It
 * keeps the letters renamed[] refuses, so their arguments parse as before.
 */
static const char optstring[] = "b:C:f:HhL:PQqr:vw:";

static const struct gha_help help = {
	"usage: gha-load [-hqVv] [-C cafile] [-f file] [-L size] [-r file]\n"
	    "                [-w seconds] [--batch n] [--status file] [target]\n"
	    "       gha-load -H | -Q [-C cafile] [-w seconds] [target]\n"
	    "       gha-load -P [target]",
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
	    "  --status file  append a JSON line of counts for each input to file\n"
	    "  target         an SQLite file ($GHA_DB, ./gha.db) or\n"
	    "                 http(s)://HOST[:PORT][/DATABASE] for ClickHouse\n"
};

/* Letters gha-load gave up so that each means one thing in every tool. */
static const struct gha_renamed renamed[] = {
	{ 'b', "--batch" }, { 0, NULL }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "%s\n", help.synopsis);
	exit(status);
}

/*
 * The hour ledger (-H, -Q): rows as gha-daily writes and reads them, one
 * JSON object a line:
 *   {"hour":"YYYY-MM-DD-H","status":S,"events":N,"bad_lines":N,
 *    "bytes":N,"sha256":HEX,"loaded_at":TIME}  (counts, sha256 may be null)
 *   {"day":"YYYY-MM-DD","final":0|1}
 */
enum { L_HOUR, L_STATUS, L_EVENTS, L_BAD, L_BYTES, L_SHA, L_DAY, L_FINAL,
	L_N };
static const struct gha_jfield ledger_f[] = {
	{ "hour", L_HOUR, NULL }, { "status", L_STATUS, NULL },
	{ "events", L_EVENTS, NULL }, { "bad_lines", L_BAD, NULL },
	{ "bytes", L_BYTES, NULL }, { "sha256", L_SHA, NULL },
	{ "day", L_DAY, NULL }, { "final", L_FINAL, NULL },
	{ NULL, 0, NULL }
};

static int
isnull(const struct gha_jtok *t)
{
	return t->type == GHA_J_NONE || t->type == GHA_J_NULL;
}

/* A count field: null (-1) or an integer >= 0; 0, or -1 + why. */
static int
ledger_count(const struct gha_jtok *t, const char *name, int64_t *v,
    char *why)
{
	*v = -1;
	if (isnull(t))
		return 0;
	if (gha_json_int(t, v) != 0 || *v < 0) {
		snprintf(why, GHA_ERRLEN, "%s: want a count or null", name);
		return -1;
	}
	return 0;
}

/* Parse one ledger line into r; 0, or -1 with why. */
static int
ledger_parse(const char *line, size_t n, struct ledger_row *r, char *why)
{
	static const char *const statuses[] = { "loaded", "missing",
	    "corrupt", "pending", NULL };
	struct gha_jtok t[L_N];
	char buf[80];
	size_t len, i;
	int64_t v;

	memset(r, 0, sizeof(*r));
	if (gha_json_extract(line, n, ledger_f, t, L_N, why) != 0)
		return -1;
	if (t[L_DAY].type == GHA_J_STRING && isnull(&t[L_HOUR])) {
		r->isday = 1;
		len = gha_json_unescape(&t[L_DAY], buf, sizeof(buf) - 3);
		memcpy(buf + len, "-0", 3);
		if (len != 10 || gha_hour_parse(buf, len + 2, &r->epoch) != 0) {
			snprintf(why, GHA_ERRLEN, "day: want YYYY-MM-DD");
			return -1;
		}
		if (gha_json_int(&t[L_FINAL], &v) != 0 || (v != 0 && v != 1)) {
			snprintf(why, GHA_ERRLEN, "final: want 0 or 1");
			return -1;
		}
		r->final = (int)v;
		return 0;
	}
	if (t[L_HOUR].type != GHA_J_STRING) {
		snprintf(why, GHA_ERRLEN, "want an \"hour\" or a \"day\" row");
		return -1;
	}
	len = gha_json_unescape(&t[L_HOUR], buf, sizeof(buf));
	if (gha_hour_parse(buf, len, &r->epoch) != 0) {
		snprintf(why, GHA_ERRLEN, "hour: want YYYY-MM-DD-H");
		return -1;
	}
	for (i = 0; statuses[i] != NULL; i++)
		if (gha_json_streq(&t[L_STATUS], statuses[i]))
			break;
	if (statuses[i] == NULL) {
		snprintf(why, GHA_ERRLEN, "status: want loaded, missing, "
		    "corrupt or pending");
		return -1;
	}
	snprintf(r->status, sizeof(r->status), "%s", statuses[i]);
	if (ledger_count(&t[L_EVENTS], "events", &r->events, why) != 0 ||
	    ledger_count(&t[L_BAD], "bad_lines", &r->bad_lines, why) != 0 ||
	    ledger_count(&t[L_BYTES], "bytes", &r->bytes, why) != 0)
		return -1;
	if (!isnull(&t[L_SHA])) {
		len = t[L_SHA].type == GHA_J_STRING && !t[L_SHA].esc ?
		    t[L_SHA].n - 2 : 0;
		for (i = 0; i < len && len == 64; i++)
			if (!strchr("0123456789abcdef", t[L_SHA].p[1 + i]))
				break;
		if (len != 64 || i != 64) {
			snprintf(why, GHA_ERRLEN, "sha256: want 64 lower-case "
			    "hex digits");
			return -1;
		}
		memcpy(r->sha256, t[L_SHA].p + 1, 64);
	}
	return 0;
}

/* -H: store the ledger rows on stdin, all of them or, if any is bad, none. */
static int
ledger_put(void)
{
	char err[GHA_ERRLEN], why[GHA_ERRLEN];
	struct ledger_row *rows = NULL;
	struct gha_in *in;
	const char *line;
	size_t n, nrows = 0, cap = 0;
	unsigned long long bad = 0;
	int r, ret = GHA_EX_OK;

	if ((in = gha_in_open("-", 1U << 20, err)) == NULL)
		gha_die(GHA_EX_INPUT, "%s", err);
	while ((r = gha_in_getline(in, &line, &n, err)) != GHA_IN_EOF) {
		if (r == GHA_IN_ERR)
			gha_die(GHA_EX_INPUT, "%s", err);
		if (r == GHA_IN_LONG) {
			gha_warnx("%s:%llu: line too long", gha_in_name(in),
			    gha_in_lineno(in));
			bad++;
			continue;
		}
		if (n == 0)
			continue;
		if (nrows == cap) {
			cap = cap ? 2 * cap : 256;
			rows = erealloc(rows, cap * sizeof(*rows));
		}
		if (ledger_parse(line, n, &rows[nrows], why) != 0) {
			gha_warnx("%s:%llu: %s", gha_in_name(in),
			    gha_in_lineno(in), why);
			bad++;
			continue;
		}
		nrows++;
	}
	gha_in_close(in);
	if (bad > 0) {
		gha_warnx("%llu bad ledger line%s: nothing stored", bad,
		    bad == 1 ? "" : "s");
		ret = GHA_EX_DATA;
	} else if (nrows > 0 && ops->ledger_put(sink, rows, nrows, err) != 0) {
		gha_warnx("%s", err);
		ret = GHA_EX_OUTPUT;
	}
	free(rows);
	return ret;
}

/* -Q: print one ledger row. */
static int
ledger_print(const struct ledger_row *r, void *arg)
{
	struct gha_buf *b = arg;
	char name[21];

	b->n = 0;
	if (r->isday) {
		gha_time_format(r->epoch, name);
		gha_buf_adds(b, "{\"day\":");
		gha_buf_addjstr(b, name, 10);
		gha_buf_adds(b, ",\"final\":");
		gha_buf_addint(b, r->final);
	} else {
		gha_hour_format(r->epoch, name);
		gha_buf_adds(b, "{\"hour\":");
		gha_buf_addjstr(b, name, strlen(name));
		gha_buf_adds(b, ",\"status\":");
		gha_buf_addjstr(b, r->status, strlen(r->status));
		gha_buf_adds(b, ",\"events\":");
		r->events < 0 ? gha_buf_adds(b, "null") :
		    gha_buf_addint(b, r->events);
		gha_buf_adds(b, ",\"bad_lines\":");
		r->bad_lines < 0 ? gha_buf_adds(b, "null") :
		    gha_buf_addint(b, r->bad_lines);
		gha_buf_adds(b, ",\"bytes\":");
		r->bytes < 0 ? gha_buf_adds(b, "null") :
		    gha_buf_addint(b, r->bytes);
		gha_buf_adds(b, ",\"sha256\":");
		r->sha256[0] == '\0' ? gha_buf_adds(b, "null") :
		    gha_buf_addjstr(b, r->sha256, strlen(r->sha256));
		gha_buf_adds(b, ",\"loaded_at\":");
		gha_buf_addjstr(b, r->loaded_at, strlen(r->loaded_at));
	}
	gha_buf_adds(b, "}\n");
	if (fwrite(b->p, 1, b->n, stdout) != b->n)
		gha_die(GHA_EX_OUTPUT, "<stdout>: write error: %s",
		    strerror(errno));
	return 0;
}

/* -H or -Q, on an open sink; the exit status. */
static int
ledger(int put)
{
	char err[GHA_ERRLEN];
	struct gha_buf b = { NULL, 0, 0 };
	int ret = GHA_EX_OK;

	if (ops->ledger_put == NULL || ops->ledger_get == NULL) {
		gha_warnx("%s: this target has no hour ledger (%s sink)",
		    ops == &sqlite_sink ? target : "URL", ops->name);
		ret = GHA_EX_OUTPUT;
	} else if (put)
		ret = ledger_put();
	else if (ops->ledger_get(sink, ledger_print, &b, err) != 0) {
		gha_warnx("%s", err);
		ret = GHA_EX_OUTPUT;
	}
	gha_buf_free(&b);
	if (ops->close(sink, err) != 0) {
		gha_warnx("%s", err);
		ret = GHA_EX_OUTPUT;
	}
	gha_close_stdout();
	return ret;
}

/* Empty a written batch, keeping its standard-size chunks. */
static void
reset(struct batch *b)
{
	size_t i, k = 0;

	for (i = 0; i < b->nchunk; i++) {
		if (b->chunk[i].cap == CHUNK)
			b->chunk[k++] = b->chunk[i];
		else
			free(b->chunk[i].p);
	}
	b->nchunk = k;
	b->n = b->cur = b->used = b->bytes = 0;
}

/* Seconds on the clock c, for -v. */
static double
cputime(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
writer(void *arg)
{
	struct batch *b;
	char err[GHA_ERRLEN];
	int r;

	(void)arg;
	pthread_mutex_lock(&mu);
	for (;;) {
		while (pending == NULL && !finished)
			pthread_cond_wait(&cv, &mu);
		if ((b = pending) == NULL)
			break;
		pending = NULL;
		writing = 1;
		pthread_mutex_unlock(&mu);
		r = ops->write(sink, b->recs, b->n, &wst, err);
		pthread_mutex_lock(&mu);
		if (r != 0 && !wfailed) {
			wfailed = 1;
			memcpy(werr, err, sizeof(werr));
		}
		reset(b);
		writing = 0;
		pthread_cond_broadcast(&cv);
	}
	pthread_mutex_unlock(&mu);
	wcpu = cputime(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

/*
 * Hand the batch being filled to the writer once it is done with the
 * previous one, and go on filling the other batch (which that wait made
 * empty).  After a failed write nothing more is handed over.
 */
static void
flush(void)
{
	pthread_mutex_lock(&mu);
	while (pending != NULL || writing)
		pthread_cond_wait(&cv, &mu);
	if (wfailed)
		dbfailed = 1;
	else if (fill->n > 0) {
		pending = fill;
		pthread_cond_broadcast(&cv);
		fill = fill == &batches[0] ? &batches[1] : &batches[0];
	}
	if (dbfailed)
		reset(fill);
	pthread_mutex_unlock(&mu);
}

/* A copy of line[0..n) that stays put until its batch is written. */
static char *
keep(struct batch *b, const char *line, size_t n)
{
	struct chunk *c;
	char *p;

	while (b->cur < b->nchunk && b->chunk[b->cur].cap - b->used < n) {
		b->cur++;
		b->used = 0;
	}
	if (b->cur == b->nchunk) {
		b->chunk = erealloc(b->chunk, (b->nchunk + 1) *
		    sizeof(*b->chunk));
		c = &b->chunk[b->nchunk++];
		c->cap = n > CHUNK ? n : CHUNK;
		c->p = emalloc(c->cap);
		b->used = 0;
	}
	p = b->chunk[b->cur].p + b->used;
	memcpy(p, line, n);
	b->used += n;
	b->bytes += n;
	return p;
}

/* Give back the last n bytes taken by keep(). */
static void
unkeep(struct batch *b, size_t n)
{
	b->used -= n;
	b->bytes -= n;
}

static void
reject(struct gha_in *in, const char *line, size_t n, const char *why)
{
	gha_rej_add(&rej, gha_in_name(in), gha_in_lineno(in), line, n, why);
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
		gha_rej_keep(&rej, line, n);
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

static int
blank(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		n--;
	}
	return n == 0;
}

static void
load(struct gha_in *in)
{
	char err[GHA_ERRLEN], why[GHA_ERRLEN];
	const char *line, *pretty;
	char *p, *hold = NULL;
	size_t n;
	int r, started = 0;

	gha_rej_file(&rej);
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
		if (!started && !blank(line, n)) {
			started = 1;
			if ((pretty = gha_in_pretty(in, &line, n, &hold))) {
				/* One message, not one per line of it. */
				gha_warnx("%s: %s", gha_in_name(in), pretty);
				st.read--;
				badfiles++;
				free(hold);
				break;
			}
		}
		p = keep(fill, line, n);
		free(hold);
		hold = NULL;
		r = gha_rec_parse(p, n, &fill->recs[fill->n], err);
		if (r != GHA_REC_OK) {
			unkeep(fill, n);
			if (r == GHA_REC_BAD)
				reject(in, line, n, err);
			else
				wrong(in, line, n, r, err);
			continue;
		}
		if (++fill->n == maxrecs || fill->bytes >= maxbytes)
			flush();
	}
	kinds_end(in);
	gha_rej_endfile(&rej, gha_in_name(in));
}

/*
 * --status: store every record of the input just read before it is
 * counted, so that its counts are its own: the batch being filled goes to
 * the writer, and a sink that makes its own batches stores what it holds
 * (the writer being idle, main may use the sink).  Without --status
 * inputs share batches and nothing waits.
 */
static void
drain(struct load_stats *done)
{
	char err[GHA_ERRLEN];

	flush();
	pthread_mutex_lock(&mu);
	while (pending != NULL || writing)
		pthread_cond_wait(&cv, &mu);
	if (!wfailed && ops->slice > 0 && ops->flush != NULL &&
	    ops->flush(sink, &wst, err) != 0) {
		wfailed = 1;
		memcpy(werr, err, sizeof(werr));
	}
	if (wfailed)
		dbfailed = 1;
	*done = wst;
	pthread_mutex_unlock(&mu);
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
	gha_status_end(opt.status);
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
		w0 = wst;	/* the writer is idle: drain() saw to it */
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

/* The sink for TARGET, or exit with a clear error. */
static const struct sink_ops *
pick(const struct gha_target *t)
{
	size_t i;

	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++) {
		if (sinks[i].kind != t->kind)
			continue;
		if (sinks[i].ops == NULL)
			gha_die(GHA_EX_OUTPUT, "%s: this gha-load was built "
			    "without a ClickHouse sink", t->base);
		return sinks[i].ops;
	}
	gha_die(GHA_EX_USAGE, "no sink for this target");
}

/* s in single quotes for sh, as -P prints it. */
static void
shquote(const char *name, const char *s)
{
	printf("target_%s='", name);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	fputs("'\n", stdout);
}

/*
 * -P: the target as lib/target.c parses it, as sh assignments for the
 * scripts to eval, so that they read a target exactly as gha-load does.
 */
static int
print_target(const struct gha_target *t)
{
	if (t->kind == GHA_TARGET_SQLITE) {
		shquote("kind", "sqlite");
		shquote("file", t->file);
	} else {
		shquote("kind", "clickhouse");
		shquote("scheme", t->scheme);
		shquote("host", t->host);
		shquote("port", t->port);
		shquote("database", t->db);
		shquote("base", t->base);
	}
	gha_close_stdout();
	return GHA_EX_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "rejects", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ NULL, 0, NULL, 0 }
	};
	char err[GHA_ERRLEN];
	const char *status_path = NULL;
	struct gha_target tg;
	static const char **files;	/* static: still reachable at exit */
	pthread_t tid;
	double t0, tf, rcpu;
	char metrics[64] = "";
	long long w;
	size_t nfiles = 0, i;
	int ch, lmode = 0, records_opt = 0;

	gha_setprogname(argv[0]);
	opt.maxline = 16U << 20;
	opt.lo.wait = 60;
	opt.lo.notice = notice;
	gha_cli_std(argc, argv, optstring, longopts, &help);
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		gha_cli_renamed(ch, renamed, &help);
		if (ch == OPT_BATCH || ch == OPT_STATUS ||
		    strchr("fLqrv", ch) != NULL)
			records_opt = 1;	/* not with -H, -Q */
		switch (ch) {
		case 'C':
			opt.lo.cafile = optarg;
			break;
		case 'f':
			files = erealloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles++] = optarg;
			break;
		case 'H':
			lmode = lmode ? -1 : 'H';
			break;
		case 'L':
			if (gha_parse_maxline(optarg, &opt.maxline, err) != 0) {
				gha_warnx("%s", err);
				usage(stderr, GHA_EX_USAGE);
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
				usage(stderr, GHA_EX_USAGE);
			}
			opt.lo.wait = (int)w;
			break;
		case OPT_BATCH:
			if (gha_strtonum(optarg, 1, 200000, &w) != 0) {
				gha_warnx("--batch: want 1 to 200000 records: "
				    "%s", optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			opt.lo.batch = (size_t)w;
			break;
		case OPT_STATUS:
			status_path = optarg;
			break;
		default:
			usage(stderr, GHA_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || lmode == -1 || (lmode != 0 && records_opt))
		usage(stderr, GHA_EX_USAGE);

	if (argc == 1)
		target = argv[0];
	else if ((target = getenv("GHA_DB")) == NULL || *target == '\0')
		target = "./gha.db";
	if (gha_target_parse(target, &tg, err) != 0)
		gha_die(GHA_EX_USAGE, "%s", err);
	if (lmode == 'P')
		return print_target(&tg);
	ops = pick(&tg);
	if (opt.lo.cafile != NULL && strcmp(tg.scheme, "https") != 0) {
		/* Not silently ignored: a CA file means TLS was meant. */
		gha_warnx("-C: a CA file is for an https:// target only");
		usage(stderr, GHA_EX_USAGE);
	}
	if (lmode != 0) {
		if ((sink = ops->open(target, &opt.lo, err)) == NULL)
			gha_die(GHA_EX_OUTPUT, "%s", err);
		return ledger(lmode == 'H');
	}
	if (opt.lo.batch == 0)
		opt.lo.batch = ops->batch;
	maxrecs = opt.lo.batch;
	maxbytes = BATCH_BYTES;
	if (ops->slice > 0 && ops->slice < maxrecs) {
		maxrecs = ops->slice;
		maxbytes = CHUNK;
	}
	for (i = 0; i < 2; i++)
		batches[i].recs = ecalloc(maxrecs, sizeof(*batches[i].recs));

	if (status_path != NULL &&
	    (opt.status = gha_status_open(status_path, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	gha_rej_open(&rej, opt.rejects, opt.quiet);
	t0 = cputime(CLOCK_MONOTONIC);
	if ((sink = ops->open(target, &opt.lo, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	if ((errno = pthread_create(&tid, NULL, writer, NULL)) != 0)
		gha_die(GHA_EX_OUTPUT, "cannot start a thread: %s",
		    strerror(errno));

	if (nfiles == 0)
		load_path("-");
	for (i = 0; i < nfiles && !dbfailed; i++)
		load_path(files[i]);
	flush();
	pthread_mutex_lock(&mu);
	finished = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(tid, NULL);
	/* Before flush, which may have work of its own (rollup.c). */
	for (i = 0; i < 2; i++) {
		reset(&batches[i]);
		while (batches[i].nchunk > 0)
			free(batches[i].chunk[--batches[i].nchunk].p);
		free(batches[i].chunk);
		free(batches[i].recs);
		memset(&batches[i], 0, sizeof(batches[i]));
	}
	rcpu = cputime(CLOCK_THREAD_CPUTIME_ID);
	tf = cputime(CLOCK_MONOTONIC);
	if (!wfailed && ops->flush != NULL &&
	    ops->flush(sink, &wst, werr) != 0)
		wfailed = 1;
	tf = cputime(CLOCK_MONOTONIC) - tf;
	if (wfailed) {
		gha_warnx("%s", werr);
		dbfailed = 1;
	}
	st.inserted = wst.inserted;
	st.duplicates = wst.duplicates;
	if (wst.rejected > 0) {
		/* Records the target itself cannot hold (a sink's limits). */
		gha_warnx("%llu %s refused by the target: created_at "
		    "outside the range it can store", wst.rejected,
		    gha_plural(wst.rejected, "record", "records"));
		rej.total += wst.rejected;
	}
	st.rejected = rej.total;
	if (ops->close(sink, err) != 0) {
		gha_warnx("%s", err);
		dbfailed = 1;
	}
	t0 = cputime(CLOCK_MONOTONIC) - t0;
	if (wst.days > 0)
		snprintf(metrics, sizeof(metrics), "; the metrics of %llu "
		    "day%s: %.2f s", wst.days, wst.days == 1 ? "" : "s", tf);
	if (opt.lo.verbose)
		gha_warnx("%.2f s, %.0f records/s; CPU: reading %.2f s, "
		    "writing %.2f s%s", t0, t0 > 0 ? (double)st.read / t0 : 0,
		    rcpu, wcpu, metrics);

	free(files);
	gha_rej_close(&rej);
	gha_status_close(opt.status);
	gha_close_stdout();
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
