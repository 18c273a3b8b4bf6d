/*
 * fuzz_record - gha_rec_parse (lib/record.c) against jansson.
 *
 * gha_rec_parse is the door of gha-load: it must accept a line exactly
 * when jansson reads it as one object that has every key of the record
 * (gha_rec_cols), whose id is a non-empty string, whose created_at is a
 * string gha_time_parse takes, and whose other columns are null or of
 * their column's type.  A valid object that lacks keys must be refused as
 * a raw event exactly when it has actor, repo, repository or payload.
 * When it accepts, every token it hands back must be the value jansson
 * read (type and text) and created must be the time of created_at.  Any
 * disagreement aborts.
 */
#include <string.h>

#include <jansson.h>

#include "gha.h"
#include "fuzz.h"

/* Does jansson's value v have the column type want (or is it null)? */
static int
typeok(json_t *v, int want)
{
	if (v == NULL || json_is_null(v))
		return 1;
	switch (want) {
	case GHA_J_INT:
		return json_is_integer(v);
	case GHA_J_STRING:
		return json_is_string(v);
	default:
		return json_is_boolean(v);
	}
}

/* Does the token t hold the same value as jansson's v? */
static int
sameval(const struct gha_jtok *t, json_t *v)
{
	json_t *j;
	int same;

	if (v == NULL)
		return t->type == GHA_J_NONE;
	if ((j = json_loadb(t->p, t->n, JSON_DECODE_ANY, NULL)) == NULL)
		return 0;
	same = json_equal(j, v) && json_typeof(j) == json_typeof(v);
	json_decref(j);
	return same;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	char err[GHA_ERRLEN];
	const char *why = NULL;
	struct gha_rec r;
	json_error_t jerr;
	json_t *o, *v;
	int64_t t = 0;
	int i, rc, raw;

	err[0] = '\0';
	rc = gha_rec_parse(line, size, &r, err);
	if (rc > GHA_REC_OK || rc < GHA_REC_OTHER)
		fz_fail("gha_rec_parse returned %d", rc);
	if (rc != 0 && err[0] == '\0')
		fz_fail("gha_rec_parse failed without a message");

	/* The same judgement, made on jansson's tree. */
	o = json_loadb(line, size, 0, &jerr);
	if (o == NULL)
		why = jerr.text;
	else if (!json_is_object(o))
		why = "not an object";
	else if (memchr(line, '\0', size) != NULL)
		why = "a NUL byte (jansson may miss it, see fuzz_event.c)";
	for (i = 0; why == NULL && i < GHA_R_NFIELDS; i++)
		if (json_object_get(o, gha_rec_cols[i].name) == NULL) {
			why = "a key missing";
			raw = json_object_get(o, "actor") != NULL ||
			    json_object_get(o, "repo") != NULL ||
			    json_object_get(o, "repository") != NULL ||
			    json_object_get(o, "payload") != NULL;
			if ((rc == GHA_REC_EVENT) != raw)
				fz_fail("gha_rec_parse returned %d on a %s",
				    rc, raw ? "raw event" : "non-event");
		}
	for (i = 0; why == NULL && i < GHA_R_NFIELDS; i++)
		if (!typeok(json_object_get(o, gha_rec_cols[i].name),
		    gha_rec_cols[i].type))
			why = gha_rec_cols[i].name;
	if (why == NULL) {
		v = json_object_get(o, "id");
		if (!json_is_string(v) || json_string_length(v) == 0)
			why = "no id";
		v = json_object_get(o, "created_at");
		if (!json_is_string(v))
			why = "no created_at";
		else if (gha_time_parse(json_string_value(v),
		    json_string_length(v), &t) != 0)
			why = "created_at is not a time";
	}
	if ((rc == 0) != (why == NULL)) {
		fz_show("line", line, size);
		fz_fail("gha_rec_parse says %s (%s), jansson says %s",
		    rc == 0 ? "ok" : "bad", err, why ? why : "ok");
	}
	if (rc == 0) {
		for (i = 0; i < GHA_R_NFIELDS; i++)
			if (!sameval(&r.f[i],
			    json_object_get(o, gha_rec_cols[i].name)))
				fz_fail("field %s: token differs from jansson",
				    gha_rec_cols[i].name);
		if (r.created != t)
			fz_fail("created %lld, jansson's created_at gives %lld",
			    (long long)r.created, (long long)t);
		if (gha_rec_isnull(&r, GHA_R_ID) ||
		    gha_rec_isnull(&r, GHA_R_CREATED_AT))
			fz_fail("gha_rec_isnull on a required field");
	}
	json_decref(o);
	return 0;
}
