/*
 * event.c - flatten one archive event into the flat record
 * (doc/design.md, "The flat record").
 *
 * The line is scanned once by gha_json_extract (lib/json.c), which checks
 * all of it and hands back token spans for the few keys we keep; the bulk
 * (commit lists, bodies, nested users) is validated and skipped.  Kept
 * strings are copied as their JSON tokens, escapes and all, which is valid
 * JSON by construction; integers likewise; only created_at is rewritten
 * (to UTC) and repo_name composed for the timeline era.
 *
 * Three shapes of event are recognised (doc/design.md, "The archive"):
 *   events (2015-, and the early-2012 variant): actor and repo objects;
 *   slim (2025-10-07-): the same with PushEvent payloads cut to
 *     {repository_id,push_id,ref,head,before}: commits stays null, since
 *     the archive no longer says; it is never guessed;
 *   timeline (2011-2014): actor is a login string (null for anonymous
 *     gists), repository{owner,name,id}, created_at with a Pacific offset,
 *     no id.  The id is then synthetic, see timeline_id().  Its
 *     organisation is repository.organization, a login without an id.
 * For a push, commits is payload.size, the true count (payload.commits[]
 * is capped at 20), and in the timeline era the number of payload.shas
 * when size is absent.  A flat record given back (actor_login or repo_name
 * at the top, no actor, repo or repository) is not an event, and is
 * refused rather than flattened into a record of nulls.
 */
#include <string.h>

#include "gha.h"
#include "event.h"

enum {
	S_ID, S_TYPE, S_CREATED, S_ACTOR, S_ACTOR_ID, S_ACTOR_LOGIN,
	S_REPO, S_REPO_ID, S_REPO_NAME, S_ORG_ID, S_ORG_LOGIN,
	S_ACTION, S_REF, S_REF_TYPE, S_PUSH_ID, S_SIZE, S_DISTINCT,
	S_HEAD, S_BEFORE, S_NUMBER, S_ISSUE_NUMBER, S_PR_NUMBER, S_SHAS,
	S_PUBLIC, S_REPOSITORY, S_RY_OWNER, S_RY_NAME, S_RY_ID, S_URL,
	S_RY_ORG, S_ISSUE, S_COMMENT_ID, S_FLAT, S_NSLOTS
};

static const struct gha_jfield actor_f[] = {
	{ "id", S_ACTOR_ID, NULL },
	{ "login", S_ACTOR_LOGIN, NULL },
	{ NULL, 0, NULL }
};
static const struct gha_jfield repo_f[] = {
	{ "id", S_REPO_ID, NULL },
	{ "name", S_REPO_NAME, NULL },
	{ NULL, 0, NULL }
};
static const struct gha_jfield org_f[] = {
	{ "id", S_ORG_ID, NULL },
	{ "login", S_ORG_LOGIN, NULL },
	{ NULL, 0, NULL }
};
static const struct gha_jfield issue_f[] = {
	{ "number", S_ISSUE_NUMBER, NULL },
	{ NULL, 0, NULL }
};
static const struct gha_jfield pr_f[] = {
	{ "number", S_PR_NUMBER, NULL },
	{ NULL, 0, NULL }
};
static const struct gha_jfield payload_f[] = {
	{ "action", S_ACTION, NULL },
	{ "ref", S_REF, NULL },
	{ "ref_type", S_REF_TYPE, NULL },
	{ "push_id", S_PUSH_ID, NULL },
	{ "size", S_SIZE, NULL },
	{ "distinct_size", S_DISTINCT, NULL },
	{ "head", S_HEAD, NULL },
	{ "before", S_BEFORE, NULL },
	{ "number", S_NUMBER, NULL },
	{ "issue", S_ISSUE, issue_f },
	{ "pull_request", -1, pr_f },
	{ "shas", S_SHAS, NULL },
	{ "comment_id", S_COMMENT_ID, NULL },
	{ NULL, 0, NULL }
};
static const struct gha_jfield repository_f[] = {
	{ "owner", S_RY_OWNER, NULL },
	{ "name", S_RY_NAME, NULL },
	{ "id", S_RY_ID, NULL },
	{ "organization", S_RY_ORG, NULL },
	{ NULL, 0, NULL }
};
static const struct gha_jfield event_f[] = {
	{ "id", S_ID, NULL },
	{ "type", S_TYPE, NULL },
	{ "created_at", S_CREATED, NULL },
	{ "actor", S_ACTOR, actor_f },
	{ "repo", S_REPO, repo_f },
	{ "org", -1, org_f },
	{ "payload", -1, payload_f },
	{ "public", S_PUBLIC, NULL },
	{ "repository", S_REPOSITORY, repository_f },
	{ "url", S_URL, NULL },
	/* Keys of a flat record that no archive event has at its top. */
	{ "actor_login", S_FLAT, NULL },
	{ "actor_id", S_FLAT, NULL },
	{ "repo_name", S_FLAT, NULL },
	{ "repo_id", S_FLAT, NULL },
	{ NULL, 0, NULL }
};

/* Start the member k of the record being built. */
static void
key(struct gha_buf *b, const char *k)
{
	if (b->p[b->n - 1] == '{')
		gha_buf_addc(b, '"');
	else
		gha_buf_add(b, ",\"", 2);
	gha_buf_adds(b, k);
	gha_buf_add(b, "\":", 2);
}

/* A string field: the token as it is, else null. */
static void
str(struct gha_buf *b, const char *k, const struct gha_jtok *t)
{
	key(b, k);
	if (t->type == GHA_J_STRING)
		gha_buf_add(b, t->p, t->n);
	else
		gha_buf_add(b, "null", 4);
}

/* An integer field: the token as it is, else null. */
static void
num(struct gha_buf *b, const char *k, const struct gha_jtok *t)
{
	key(b, k);
	if (t->type == GHA_J_INT)
		gha_buf_add(b, t->p, t->n);
	else
		gha_buf_add(b, "null", 4);
}

/* Hash a token's decoded value (strings unescaped), then a separator. */
static uint64_t
fnvtok(uint64_t h, const struct gha_jtok *t)
{
	char buf[1024];
	size_t n;

	if (t->type == GHA_J_STRING) {
		n = gha_json_unescape(t, buf, sizeof(buf));
		h = gha_fnv1a(h, buf, n);
	} else if (t->type == GHA_J_INT)
		h = gha_fnv1a(h, t->p, t->n);
	return gha_fnv1a(h, "\x1f", 1);
}

/*
 * The synthetic id of a timeline event: "tl-" and 16 hex digits of an
 * FNV-1a hash over fields that identify the event and that GH Archive did
 * not rewrite when it obfuscated e-mails in 2016: type, created_at (UTC),
 * actor, repository owner and name, url, and the payload's ref, head,
 * action, number, size, issue and comment_id.  No e-mail (actor_attributes,
 * payload.shas) goes in, so a copy downloaded years apart gives the same
 * id.  Documented in gha-decode(1).
 */
static void
timeline_id(struct gha_buf *b, const struct gha_jtok *s, const char *utc)
{
	static const int f[] = { S_TYPE, S_ACTOR, S_RY_OWNER, S_RY_NAME,
	    S_URL, S_REF, S_HEAD, S_ACTION, S_NUMBER, S_SIZE, S_ISSUE,
	    S_COMMENT_ID };
	static const char hex[] = "0123456789abcdef";
	uint64_t h = GHA_FNV1A_INIT;
	char id[20];
	size_t i;

	h = gha_fnv1a(h, utc, 20);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		h = fnvtok(h, &s[f[i]]);
	memcpy(id, "tl-", 3);
	for (i = 0; i < 16; i++)
		id[3 + i] = hex[(h >> (60 - 4 * i)) & 15];
	key(b, "id");
	gha_buf_addjstr(b, id, 19);
}

/*
 * Append the flat record of the event on line[0..n) to out, newline
 * included.  src is the archive hour it came from, or NULL.  Returns
 * GHA_EV_OK, or GHA_EV_JSON / GHA_EV_EVENT / GHA_EV_FLAT with err set and
 * out as it was.
 */
int
gha_event_flatten(const char *line, size_t n, const char *src,
    struct gha_buf *out, char *err)
{
	struct gha_jtok s[S_NSLOTS];
	char tbuf[64], utc[21];
	size_t tn;
	int64_t t;
	int timeline, push;

	if (gha_json_extract(line, n, event_f, s, S_NSLOTS, err) != 0)
		return GHA_EV_JSON;
	/*
	 * A flat record (gha-decode's own output, fed back) would pass for
	 * an event with no actor and no repo, and come out with its actor
	 * and repo null: refused, so that nothing downstream stores that.
	 */
	if (s[S_FLAT].type != GHA_J_NONE && s[S_ACTOR].type == GHA_J_NONE &&
	    s[S_REPO].type == GHA_J_NONE &&
	    s[S_REPOSITORY].type == GHA_J_NONE) {
		snprintf(err, GHA_ERRLEN, "not an archive event (already "
		    "decoded?)");
		return GHA_EV_FLAT;
	}
	timeline = s[S_ACTOR].type != GHA_J_OBJECT &&
	    s[S_REPO].type != GHA_J_OBJECT &&
	    (s[S_REPOSITORY].type == GHA_J_OBJECT ||
	    s[S_ACTOR].type == GHA_J_STRING || s[S_ACTOR].type == GHA_J_NULL);
	if (s[S_TYPE].type != GHA_J_STRING) {
		snprintf(err, GHA_ERRLEN, "event has no \"type\" string");
		return GHA_EV_EVENT;
	}
	if (s[S_CREATED].type != GHA_J_STRING) {
		snprintf(err, GHA_ERRLEN, "event has no \"created_at\" string");
		return GHA_EV_EVENT;
	}
	tn = gha_json_unescape(&s[S_CREATED], tbuf, sizeof(tbuf));
	if (gha_time_parse(tbuf, tn, &t) != 0 || t < 0 ||
	    t >= 253402300800LL) {
		snprintf(err, GHA_ERRLEN, "\"created_at\" is not a time: %s",
		    tbuf);
		return GHA_EV_EVENT;
	}
	gha_time_format(t, utc);
	/* An empty id keys nothing: gha_rec_parse would refuse the record. */
	if (!timeline && (s[S_ID].type != GHA_J_STRING || s[S_ID].n <= 2) &&
	    s[S_ID].type != GHA_J_INT) {
		snprintf(err, GHA_ERRLEN, "event has no \"id\"");
		return GHA_EV_EVENT;
	}
	push = gha_json_streq(&s[S_TYPE], "PushEvent");

	gha_buf_addc(out, '{');
	if (timeline)
		timeline_id(out, s, utc);
	else if (s[S_ID].type == GHA_J_INT) {
		key(out, "id");
		gha_buf_addjstr(out, s[S_ID].p, s[S_ID].n);
	} else
		str(out, "id", &s[S_ID]);
	str(out, "type", &s[S_TYPE]);
	key(out, "created_at");
	gha_buf_addjstr(out, utc, 20);
	if (timeline) {
		key(out, "actor_id");
		gha_buf_add(out, "null", 4);
		str(out, "actor_login", &s[S_ACTOR]);
		num(out, "repo_id", &s[S_RY_ID]);
		key(out, "repo_name");
		if (s[S_RY_OWNER].type == GHA_J_STRING &&
		    s[S_RY_NAME].type == GHA_J_STRING) {
			/* Token bodies are valid JSON string contents. */
			gha_buf_add(out, s[S_RY_OWNER].p, s[S_RY_OWNER].n - 1);
			gha_buf_addc(out, '/');
			gha_buf_add(out, s[S_RY_NAME].p + 1,
			    s[S_RY_NAME].n - 1);
		} else
			gha_buf_add(out, "null", 4);
	} else {
		num(out, "actor_id", &s[S_ACTOR_ID]);
		str(out, "actor_login", &s[S_ACTOR_LOGIN]);
		num(out, "repo_id", &s[S_REPO_ID]);
		str(out, "repo_name", &s[S_REPO_NAME]);
	}
	num(out, "org_id", &s[S_ORG_ID]);
	/* A timeline event names its organisation (a login, no id) in
	 * repository.organization; an org object, where one is, wins. */
	str(out, "org_login", timeline && s[S_ORG_LOGIN].type != GHA_J_STRING ?
	    &s[S_RY_ORG] : &s[S_ORG_LOGIN]);
	str(out, "action", &s[S_ACTION]);
	str(out, "ref", &s[S_REF]);
	str(out, "ref_type", &s[S_REF_TYPE]);
	num(out, "push_id", &s[S_PUSH_ID]);
	key(out, "commits");
	if (push && s[S_SIZE].type == GHA_J_INT)
		gha_buf_add(out, s[S_SIZE].p, s[S_SIZE].n);
	else if (push && timeline && s[S_SHAS].type == GHA_J_ARRAY)
		gha_buf_addint(out, (int64_t)s[S_SHAS].count);
	else
		gha_buf_add(out, "null", 4);
	key(out, "distinct_commits");
	if (push && s[S_DISTINCT].type == GHA_J_INT)
		gha_buf_add(out, s[S_DISTINCT].p, s[S_DISTINCT].n);
	else
		gha_buf_add(out, "null", 4);
	str(out, "head", &s[S_HEAD]);
	str(out, "before", &s[S_BEFORE]);
	key(out, "number");
	if (s[S_NUMBER].type == GHA_J_INT)
		gha_buf_add(out, s[S_NUMBER].p, s[S_NUMBER].n);
	else if (s[S_ISSUE_NUMBER].type == GHA_J_INT)
		gha_buf_add(out, s[S_ISSUE_NUMBER].p, s[S_ISSUE_NUMBER].n);
	else if (s[S_PR_NUMBER].type == GHA_J_INT)
		gha_buf_add(out, s[S_PR_NUMBER].p, s[S_PR_NUMBER].n);
	else
		gha_buf_add(out, "null", 4);
	key(out, "public");
	if (s[S_PUBLIC].type == GHA_J_TRUE || s[S_PUBLIC].type == GHA_J_FALSE)
		gha_buf_add(out, s[S_PUBLIC].p, s[S_PUBLIC].n);
	else
		gha_buf_add(out, "null", 4);
	key(out, "src");
	if (src != NULL)
		gha_buf_addjstr(out, src, strlen(src));
	else
		gha_buf_add(out, "null", 4);
	gha_buf_add(out, "}\n", 2);
	return GHA_EV_OK;
}
