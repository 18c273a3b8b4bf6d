/*
 * fuzz_event - gha_event_flatten (decode/event.c) against jansson.
 *
 * The input is one line as gha-decode hands it to the decoder.  The same
 * bytes go to jansson (json_loadb, flags 0) and through the reference
 * decoder of tests/refdecode.c, which builds the flat record from jansson's
 * tree, independently of decode/event.c.  Any disagreement aborts:
 *   - the scanner rejects the line as JSON exactly when jansson does not
 *     read it as one object;
 *   - it rejects a valid object as "not an event" (or as a flat record,
 *     decoded already) exactly when the reference does;
 *   - an accepted event's record is one line, parses with jansson, and
 *     equals the reference record field for field (both are printed by
 *     jansson, compact and in key order, as tests/decode/differential.sh
 *     compares them);
 *   - gha_rec_parse (what gha-load reads) accepts it, with
 *     the same created_at.
 * refdecode.c is included, not copied, so there is one reference decoder;
 * its main() is renamed out of the way.
 */
#include <string.h>

#include "gha.h"
#include "event.h"
#include "fuzz.h"

int	refdecode_main(int, char *[]);
#define main refdecode_main
#include "../refdecode.c"
#undef main

static char *
dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s == NULL)
		fz_fail("json_dumps failed");
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gha_buf out;
	const char *line = (const char *)data;
	const char *src = size & 1 ? "2015-01-01-7" : NULL;
	char err[GHA_ERRLEN];
	json_error_t jerr;
	json_t *ev, *ref, *got;
	struct gha_rec rec;
	char *rs, *gs;
	int64_t t;
	int rc, isobj;

	out.n = 0;
	gha_buf_addc(&out, 'x');	/* must be left as it was on error */
	err[0] = '\0';
	rc = gha_event_flatten(line, size, src, &out, err);
	ev = json_loadb(line, size, 0, &jerr);
	/*
	 * A NUL byte is never valid JSON, but jansson 2.14 drops one that
	 * follows a number or a keyword ("1\0}"; akheron/jansson#331): the
	 * scanner must refuse every line with a NUL, whatever jansson says.
	 */
	isobj = ev != NULL && json_is_object(ev) &&
	    memchr(line, '\0', size) == NULL;

	if (rc != GHA_EV_OK && rc != GHA_EV_JSON && rc != GHA_EV_EVENT &&
	    rc != GHA_EV_FLAT)
		fz_fail("gha_event_flatten returned %d", rc);
	if (rc != GHA_EV_OK && (out.n != 1 || err[0] == '\0'))
		fz_fail("rejected (%d) without err, or out changed", rc);
	if ((rc == GHA_EV_JSON) == isobj) {
		fz_show("line", line, size);
		fz_fail("scanner says %s (%s), jansson says %s (%s)",
		    rc == GHA_EV_JSON ? "invalid" : "valid", err,
		    isobj ? "one object" : "not one object",
		    ev == NULL ? jerr.text : "not an object");
	}
	if (!isobj) {
		json_decref(ev);
		return 0;
	}

	ref = flatten(ev, src);
	json_decref(ev);
	if ((ref == NULL) != (rc == GHA_EV_EVENT || rc == GHA_EV_FLAT)) {
		fz_show("line", line, size);
		fz_fail("decoder says %s (%s), reference says %s",
		    rc == GHA_EV_OK ? "event" : "not an event", err,
		    ref == NULL ? "not an event" : "event");
	}
	if (ref == NULL)
		return 0;

	/* The record: "x" we put first, then one line ending in '\n'. */
	if (out.n < 3 || out.p[out.n - 1] != '\n' ||
	    memchr(out.p + 1, '\n', out.n - 2) != NULL) {
		fz_show("record", out.p + 1, out.n - 1);
		fz_fail("record is not one line ending in a newline");
	}
	if ((got = json_loadb(out.p + 1, out.n - 2, 0, &jerr)) == NULL) {
		fz_show("line", line, size);
		fz_show("record", out.p + 1, out.n - 2);
		fz_fail("record is not JSON: %s", jerr.text);
	}
	rs = dump(ref);
	gs = dump(got);
	if (strcmp(rs, gs) != 0) {
		fz_show("line", line, size);
		fz_show("decoder", gs, strlen(gs));
		fz_show("reference", rs, strlen(rs));
		fz_fail("records differ");
	}
	free(rs);
	free(gs);
	json_decref(ref);
	json_decref(got);

	if (gha_rec_parse(out.p + 1, out.n - 2, &rec, err) != 0) {
		fz_show("record", out.p + 1, out.n - 2);
		fz_fail("gha_rec_parse refuses the record: %s", err);
	}
	if (gha_time_parse(rec.f[GHA_R_CREATED_AT].p + 1, 20, &t) != 0 ||
	    t != rec.created || rec.f[GHA_R_CREATED_AT].n != 22)
		fz_fail("record's created_at is not YYYY-MM-DDTHH:MM:SSZ");
	return 0;
}
