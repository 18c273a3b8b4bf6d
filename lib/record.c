/*
 * record.c - read a flat record back from its NDJSON line.
 *
 * This is gha-load's door, so "a record gha-load accepts" means one
 * thing: a JSON object with every key of the flat record (gha_rec_cols,
 * the keys gha-decode writes), whose id is a non-empty string, whose
 * created_at is a time, and whose other keys are null or have the type of
 * their column.  Unknown keys are allowed (a record may carry more) and
 * ignored.
 *
 * Why every key, when absent could simply mean null: a line that lacks
 * keys is nearly always not a record at all.  A raw archive event has an
 * id and a created_at too; taken as a record with the rest null, it would
 * be stored as an empty event, and the real record of the same event,
 * loaded next, would then be a "duplicate" and lost.  So a line of the
 * wrong kind is refused, and told apart for the message: a raw event of
 * any era (it has actor, repo, repository or payload), a projection
 * (gha-filter --fields: only keys of the record, not all of them), or an
 * object of another shape.  (gha-filter reads raw events and projections
 * too, but with its own field lists, not through here.)
 */
#include <string.h>

#include "gha.h"

const struct gha_rec_col gha_rec_cols[GHA_R_NFIELDS] = {
	{ "id", GHA_J_STRING },
	{ "type", GHA_J_STRING },
	{ "created_at", GHA_J_STRING },
	{ "actor_id", GHA_J_INT },
	{ "actor_login", GHA_J_STRING },
	{ "repo_id", GHA_J_INT },
	{ "repo_name", GHA_J_STRING },
	{ "org_id", GHA_J_INT },
	{ "org_login", GHA_J_STRING },
	{ "action", GHA_J_STRING },
	{ "ref", GHA_J_STRING },
	{ "ref_type", GHA_J_STRING },
	{ "push_id", GHA_J_INT },
	{ "commits", GHA_J_INT },
	{ "distinct_commits", GHA_J_INT },
	{ "head", GHA_J_STRING },
	{ "before", GHA_J_STRING },
	{ "number", GHA_J_INT },
	{ "public", GHA_J_TRUE },
	{ "src", GHA_J_STRING },
};

static struct gha_jfield fields[GHA_R_NFIELDS + 1];

static void
init(void)
{
	int i;

	for (i = 0; i < GHA_R_NFIELDS; i++) {
		fields[i].name = gha_rec_cols[i].name;
		fields[i].slot = i;
		fields[i].sub = NULL;
	}
	fields[GHA_R_NFIELDS].name = NULL;
}

/* Is the field null?  (A parsed record has every key; absent counts too.) */
int
gha_rec_isnull(const struct gha_rec *r, int field)
{
	return r->f[field].type == GHA_J_NONE || r->f[field].type == GHA_J_NULL;
}

/* The keys that only an archive event has, at its top level. */
static const struct gha_jfield event_keys[] = {
	{ "actor", 0, NULL }, { "repo", 0, NULL },
	{ "repository", 0, NULL }, { "payload", 0, NULL },
	{ NULL, 0, NULL }
};

/*
 * The valid JSON object on line[0..n) lacks keys of the record (those of
 * r that are GHA_J_NONE): say what it looks like instead.
 */
static int
wrongkind(const char *line, size_t n, const struct gha_rec *r, char *err)
{
	struct gha_jtok ev;
	long members;
	int i, have = 0, miss = -1;

	if (gha_json_extract(line, n, event_keys, &ev, 1, err) == 0 &&
	    ev.type != GHA_J_NONE) {
		snprintf(err, GHA_ERRLEN, "not a flat record (a raw archive "
		    "event? pipe it through gha-decode)");
		return GHA_REC_EVENT;
	}
	for (i = 0; i < GHA_R_NFIELDS; i++)
		if (r->f[i].type != GHA_J_NONE)
			have++;
		else if (miss < 0)
			miss = i;
	members = gha_json_members(line, n);
	if (members == 0) {
		snprintf(err, GHA_ERRLEN, "not a flat record (an empty "
		    "object)");
		return GHA_REC_OTHER;
	}
	if (have > 0 && members == have) {
		if (GHA_R_NFIELDS - have == 1)
			snprintf(err, GHA_ERRLEN, "not a flat record (a "
			    "projection? it lacks the key \"%s\")",
			    gha_rec_cols[miss].name);
		else
			snprintf(err, GHA_ERRLEN, "not a flat record (a "
			    "projection? it lacks the key \"%s\" and %d "
			    "more)", gha_rec_cols[miss].name,
			    GHA_R_NFIELDS - have - 1);
		return GHA_REC_PART;
	}
	snprintf(err, GHA_ERRLEN, "not a flat record (an object of another "
	    "shape: %d of the record's %d keys and %ld other%s)", have,
	    GHA_R_NFIELDS, members - have, members - have == 1 ? "" : "s");
	return GHA_REC_OTHER;
}

/*
 * Parse the record on line[0..n) into r (tokens point into line).
 * Returns GHA_REC_OK (0), or one of the other enum gha_rec_kind values
 * with err naming the first problem.
 */
int
gha_rec_parse(const char *line, size_t n, struct gha_rec *r, char *err)
{
	char buf[64];
	size_t len;
	int i, t;

	if (fields[0].name == NULL)
		init();
	if (gha_json_extract(line, n, fields, r->f, GHA_R_NFIELDS, err) != 0)
		return GHA_REC_BAD;
	for (i = 0; i < GHA_R_NFIELDS; i++)
		if (r->f[i].type == GHA_J_NONE)
			return wrongkind(line, n, r, err);
	for (i = 0; i < GHA_R_NFIELDS; i++) {
		t = r->f[i].type;
		if (t == GHA_J_NULL)
			continue;
		if (gha_rec_cols[i].type == GHA_J_TRUE ?
		    (t != GHA_J_TRUE && t != GHA_J_FALSE) :
		    t != gha_rec_cols[i].type) {
			snprintf(err, GHA_ERRLEN, "\"%s\" is not %s",
			    gha_rec_cols[i].name,
			    gha_rec_cols[i].type == GHA_J_INT ? "an integer" :
			    gha_rec_cols[i].type == GHA_J_STRING ? "a string" :
			    "true or false");
			return GHA_REC_BAD;
		}
	}
	if (r->f[GHA_R_ID].type != GHA_J_STRING || r->f[GHA_R_ID].n <= 2) {
		snprintf(err, GHA_ERRLEN, "record has no \"id\"");
		return GHA_REC_BAD;
	}
	if (r->f[GHA_R_CREATED_AT].type != GHA_J_STRING) {
		snprintf(err, GHA_ERRLEN, "record has no \"created_at\"");
		return GHA_REC_BAD;
	}
	len = gha_json_unescape(&r->f[GHA_R_CREATED_AT], buf, sizeof(buf));
	if (gha_time_parse(buf, len, &r->created) != 0) {
		snprintf(err, GHA_ERRLEN, "\"created_at\" is not a time: %s",
		    buf);
		return GHA_REC_BAD;
	}
	return GHA_REC_OK;
}
