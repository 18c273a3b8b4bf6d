/*
 * record.c - read a flat record (DESIGN.md 3) back from its NDJSON line.
 *
 * gha-filter and gha-load both start here, so "a record gha-load accepts"
 * means one thing: a JSON object whose id is a non-empty string, whose
 * created_at is a time, and whose other keys, where present and not null,
 * have the type of their column.  Unknown keys are allowed (a record may
 * carry more than DESIGN.md 3 lists) and ignored.
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

/* Is the field null (absent or JSON null)? */
int
gha_rec_isnull(const struct gha_rec *r, int field)
{
	return r->f[field].type == GHA_J_NONE || r->f[field].type == GHA_J_NULL;
}

/*
 * Parse the record on line[0..n) into r (tokens point into line).
 * Returns 0, or -1 with err naming the first problem.
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
		return -1;
	for (i = 0; i < GHA_R_NFIELDS; i++) {
		t = r->f[i].type;
		if (t == GHA_J_NONE || t == GHA_J_NULL)
			continue;
		if (gha_rec_cols[i].type == GHA_J_TRUE ?
		    (t != GHA_J_TRUE && t != GHA_J_FALSE) :
		    t != gha_rec_cols[i].type) {
			snprintf(err, GHA_ERRLEN, "\"%s\" is not %s",
			    gha_rec_cols[i].name,
			    gha_rec_cols[i].type == GHA_J_INT ? "an integer" :
			    gha_rec_cols[i].type == GHA_J_STRING ? "a string" :
			    "true or false");
			return -1;
		}
	}
	if (r->f[GHA_R_ID].type != GHA_J_STRING || r->f[GHA_R_ID].n <= 2) {
		snprintf(err, GHA_ERRLEN, "record has no \"id\"");
		return -1;
	}
	if (r->f[GHA_R_CREATED_AT].type != GHA_J_STRING) {
		snprintf(err, GHA_ERRLEN, "record has no \"created_at\"");
		return -1;
	}
	len = gha_json_unescape(&r->f[GHA_R_CREATED_AT], buf, sizeof(buf));
	if (gha_time_parse(buf, len, &r->created) != 0) {
		snprintf(err, GHA_ERRLEN, "\"created_at\" is not a time: %s",
		    buf);
		return -1;
	}
	return 0;
}
