/*
 * ledger.c - the hour ledger of the daily job: gha-load -H and -Q.
 *
 * gha-daily and gha-backfill keep, beside the events, the status of every
 * archive hour they have handled (loaded, missing, corrupt, pending, with
 * its counts) and whether a day is final.  They hand gha-load those rows
 * as JSON lines on stdin (-H) and read them back the same way (-Q).  This
 * file is the part both sinks share: reading and checking the rows of -H,
 * storing all of them or, if any is bad, none; printing the rows of -Q.
 * Each sink's own SQL for the ledger is in a file of its own beside the
 * sink's other files (sqlite_ledger.c, ch_ledger.c), because it works on
 * the sink's private handle and nothing else of the sink, and the two
 * engines' ledgers have little in common: a table replaced row by row in
 * SQLite, ReplacingMergeTrees versioned by time in ClickHouse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "ledger.h"

/*
 * The hour ledger (-H, -Q): rows as gha-daily writes and reads them, one
 * JSON object a line:
 *   {"hour":"YYYY-MM-DD-H","status":S,"events":N,"bad_lines":N,
 *    "bytes":N,"sha256":HEX,"first":TIME,"last":TIME,"loaded_at":TIME}
 *   (counts, sha256, first and last may be null; -Q adds "utc", the
 *   first UTC hour the file covers, and "utc_hours", see ledger_utc;
 *   with several sources "union", the events of all the hour's copies
 *   together, and "id_gap", the ids none of them has, may be given)
 *   {"hour":"YYYY-MM-DD-H","source":NAME,"status":S,"events":N,
 *    "only":N,"bytes":N,"sha256":HEX}
 *   (one source's copy of the hour: its events and those no other
 *   source had; -Q adds "loaded_at")
 *   {"day":"YYYY-MM-DD","final":0|1}
 */
enum { L_HOUR, L_STATUS, L_EVENTS, L_BAD, L_BYTES, L_SHA, L_DAY, L_FINAL,
	L_FIRST, L_LAST, L_UNION, L_GAP, L_SOURCE, L_ONLY, L_N };
static const struct gha_jfield ledger_f[] = {
	{ "hour", L_HOUR, NULL }, { "status", L_STATUS, NULL },
	{ "events", L_EVENTS, NULL }, { "bad_lines", L_BAD, NULL },
	{ "bytes", L_BYTES, NULL }, { "sha256", L_SHA, NULL },
	{ "day", L_DAY, NULL }, { "final", L_FINAL, NULL },
	{ "first", L_FIRST, NULL }, { "last", L_LAST, NULL },
	{ "union", L_UNION, NULL }, { "id_gap", L_GAP, NULL },
	{ "source", L_SOURCE, NULL }, { "only", L_ONLY, NULL },
	{ NULL, 0, NULL }
};

/*
 * Which UTC hours an archive file holds (design.md, "The hour ledger").
 * Files of 2015 on are named by their UTC hour; since 2025-05-24 the name
 * is the UTC hour of the crawl, and coverage follows the name there too.
 * Names up to 2012-04-01 are UTC (the real 2012-04-01-0 holds 00:00Z to
 * 00:59Z); from 2012-04-02 to 2014-12-31 a name is the crawler's US-Pacific
 * local hour, US rules: PDT (UTC-7) from the second Sunday of March 2:00
 * to the first Sunday of November 2:00, PST (UTC-8) else (the real
 * 2012-06-14-15 holds 22:01Z to 23:01Z).  So the spring hour 2 names no
 * UTC hour (0 hours), and the autumn hour 1, appended to twice, names two.
 * Where the switch to Pacific names lay between 2012-04-01 and 2012-06-14
 * no sample says: for a 2011-2014 file whose events are known, the first
 * of them (plus half an hour, for the minute of spill) picks UTC or
 * Pacific instead of the date.
 */
#define H		3600
#define PACIFIC_FROM	1333324800	/* 2012-04-02 00:00 */
#define UTC_FROM	1420070400	/* 2015-01-01 00:00 */

/* Days since 1970-01-01 of y-m-d (the civil calendar, y >= 1970). */
static int64_t
days(int y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The n-th Sunday of month m of year y, as days since 1970-01-01. */
static int64_t
sunday(int y, int m, int n)
{
	int64_t d = days(y, m, 1);

	d += (7 - (d + 4) % 7) % 7;	/* 1970-01-01 was a Thursday */
	return d + 7 * (n - 1);
}

/* The UTC hours of Pacific local hour l (an epoch read as local). */
static void
pacific(int64_t l, int64_t *utc, int *n)
{
	int64_t y = 1970 + l / 31556952, on, off;

	while (days((int)y, 1, 1) * 86400 > l)
		y--;
	while (days((int)y + 1, 1, 1) * 86400 <= l)
		y++;
	on = sunday((int)y, 3, 2) * 86400 + 2 * H;
	off = sunday((int)y, 11, 1) * 86400 + 1 * H;
	*n = 1;
	if (l == on)
		*n = 0, *utc = l + 7 * H;
	else if (l > on && l < off)
		*utc = l + 7 * H;
	else if (l == off)
		*n = 2, *utc = l + 7 * H;
	else
		*utc = l + 8 * H;
}

void
ledger_utc(int64_t name, int64_t first, int64_t *utc, int *n)
{
	int64_t e = first >= 0 ? (first + H / 2) / H * H : -1;

	*utc = name;
	*n = 1;
	if (name >= UTC_FROM || e == name)
		return;
	if (name < PACIFIC_FROM && (e < 0 || (e - name != 7 * H &&
	    e - name != 8 * H)))
		return;
	pacific(name, utc, n);
}

static int
isnull(const struct gha_jtok *t)
{
	return t->type == GHA_J_NONE || t->type == GHA_J_NULL;
}

/* A time field: null (-1) or "YYYY-MM-DDTHH:MM:SSZ"; 0, or -1 + why. */
static int
ledger_time(const struct gha_jtok *t, const char *name, int64_t *v,
    char *why)
{
	char buf[32];
	size_t len;

	*v = -1;
	if (isnull(t))
		return 0;
	len = t->type == GHA_J_STRING ?
	    gha_json_unescape(t, buf, sizeof(buf)) : 0;
	if (len != 20 || gha_time_parse(buf, len, v) != 0 || *v < 0) {
		snprintf(why, GHA_ERRLEN, "%s: want YYYY-MM-DDTHH:MM:SSZ "
		    "or null", name);
		return -1;
	}
	return 0;
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

/* A source's name, as gha-fetch allows it: 1 to 32 of [A-Za-z0-9._-]. */
static int
source_name(const struct gha_jtok *t, char *name, char *why)
{
	size_t len = t->type == GHA_J_STRING && !t->esc ? t->n - 2 : 0, i;

	for (i = 0; i < len && len <= 32; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", t->p[1 + i]) || t->p[1 + i] == '\0')
			break;
	if (len == 0 || len > 32 || i != len || t->p[1] == '.') {
		snprintf(why, GHA_ERRLEN, "source: want a source's name");
		return -1;
	}
	memcpy(name, t->p + 1, len);
	name[len] = '\0';
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
	int k;
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
	if ((k = gha_json_oneof(&t[L_STATUS], statuses)) < 0) {
		snprintf(why, GHA_ERRLEN, "status: want loaded, missing, "
		    "corrupt or pending");
		return -1;
	}
	snprintf(r->status, sizeof(r->status), "%s", statuses[k]);
	if (!isnull(&t[L_SOURCE]) && source_name(&t[L_SOURCE], r->source,
	    why) != 0)
		return -1;
	if (ledger_count(&t[L_EVENTS], "events", &r->events, why) != 0 ||
	    ledger_count(&t[L_UNION], "union", &r->union_events, why) != 0 ||
	    ledger_count(&t[L_GAP], "id_gap", &r->id_gap, why) != 0 ||
	    ledger_count(&t[L_ONLY], "only", &r->only, why) != 0 ||
	    ledger_count(&t[L_BAD], "bad_lines", &r->bad_lines, why) != 0 ||
	    ledger_count(&t[L_BYTES], "bytes", &r->bytes, why) != 0 ||
	    ledger_time(&t[L_FIRST], "first", &r->first, why) != 0 ||
	    ledger_time(&t[L_LAST], "last", &r->last, why) != 0)
		return -1;
	if ((r->first < 0) != (r->last < 0) || r->first > r->last) {
		snprintf(why, GHA_ERRLEN, "first, last: want both or "
		    "neither, first not after last");
		return -1;
	}
	ledger_utc(r->epoch, r->first, &r->utc, &r->utc_hours);
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
put_rows(const struct sink_ops *ops, struct sink *sink)
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
			rows = gha_erealloc(rows, cap * sizeof(*rows));
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

static void
addtime(struct gha_buf *b, const char *key, int64_t t)
{
	char iso[21];

	gha_buf_adds(b, key);
	if (t < 0) {
		gha_buf_adds(b, "null");
		return;
	}
	gha_time_format(t, iso);
	gha_buf_addjstr(b, iso, 20);
}

static void
addcount(struct gha_buf *b, const char *key, int64_t v)
{
	gha_buf_adds(b, key);
	if (v < 0)
		gha_buf_adds(b, "null");
	else
		gha_buf_addint(b, v);
}

/* The rest of a source's row, after its status, events and the rest. */
static void
source_print(struct gha_buf *b, const struct ledger_row *r)
{
	gha_buf_adds(b, ",\"source\":");
	gha_buf_addjstr(b, r->source, strlen(r->source));
	addcount(b, ",\"only\":", r->only);
	gha_buf_adds(b, ",\"loaded_at\":");
	gha_buf_addjstr(b, r->loaded_at, strlen(r->loaded_at));
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
		if (r->source[0] != '\0') {
			source_print(b, r);
			goto end;
		}
		addtime(b, ",\"first\":", r->first);
		addtime(b, ",\"last\":", r->last);
		addtime(b, ",\"utc\":", r->utc);
		gha_buf_adds(b, ",\"utc_hours\":");
		gha_buf_addint(b, r->utc_hours);
		addcount(b, ",\"union\":", r->union_events);
		addcount(b, ",\"id_gap\":", r->id_gap);
		gha_buf_adds(b, ",\"loaded_at\":");
		gha_buf_addjstr(b, r->loaded_at, strlen(r->loaded_at));
	}
end:
	gha_buf_adds(b, "}\n");
	if (fwrite(b->p, 1, b->n, stdout) != b->n)
		gha_die(GHA_EX_OUTPUT, "<stdout>: write error: %s",
		    strerror(errno));
	return 0;
}

/* -H or -Q, on the open sink of ops, closed here; the exit status. */
int
ledger_run(const struct sink_ops *ops, struct sink *sink, int put)
{
	char err[GHA_ERRLEN];
	struct gha_buf b = { NULL, 0, 0 };
	int ret = GHA_EX_OK;

	if (put)
		ret = put_rows(ops, sink);
	else if (ops->ledger_get(sink, ledger_print, &b, err) != 0) {
		gha_warnx("%s", err);
		ret = GHA_EX_OUTPUT;
	}
	gha_buf_free(&b);
	if (ops->close(sink, err) != 0) {
		gha_warnx("%s", err);
		ret = GHA_EX_OUTPUT;
	}
	gha_eclose_stdout();
	return ret;
}
