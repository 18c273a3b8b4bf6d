/*
 * pred.c - gha-filter's predicates and projection over one NDJSON object.
 *
 * Every predicate names the values it reads by dotted path ("type",
 * "payload.size", "actor.login").  The paths of all predicates, of the
 * projection and of the de-duplication key are merged into one tree and
 * turned into one gha_json_extract field list, so each line is scanned
 * once: the scan validates every byte and hands back token spans for the
 * paths named, which the predicates then test in place, copying only a
 * string that has escapes or must be NUL-terminated (regexec, fnmatch).
 *
 * Flat records and raw archive events are both accepted.  A flat key
 * (actor_login, repo_name, ...) that is absent from a line falls back to
 * the raw path holding the same value (actor.login, repo.name, ...; see
 * the table flat[] below and gha-filter(1)), so -a, -o, --repo, --fields
 * and -e work on either shape.  For timeline events (2011-2014) actor_login is
 * the "actor" string and repo_name is composed as repository.owner "/"
 * repository.name, as gha-decode does.
 *
 * The -e tests (FIELD OP VALUE) are parsed and compared in expr.c.
 */
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "bots.h"
#include "filter.h"
#include "pred.h"

/* -b, -B: the list of bots, read once, shared by every thread. */
static struct gha_bots bots;

/*
 * The flat keys that fall back to raw paths, in order of preference.
 * "actor" is the timeline era's login string (an object later: skipped).
 */
static const struct {
	const char	*flat;
	const char	*raw[3];
} flat[] = {
	{ "action", { "payload.action" } },
	{ "actor_id", { "actor.id" } },
	{ "actor_login", { "actor.login", "actor" } },
	{ "before", { "payload.before" } },
	{ "head", { "payload.head" } },
	{ "number", { "payload.number", "payload.issue.number",
	    "payload.pull_request.number" } },
	{ "org_id", { "org.id" } },
	{ "org_login", { "org.login", "repository.organization" } },
	{ "push_id", { "payload.push_id" } },
	{ "ref", { "payload.ref" } },
	{ "ref_type", { "payload.ref_type" } },
	{ "repo_id", { "repo.id", "repository.id" } },
	{ "repo_name", { "repo.name" } },
};

static const struct gha_jtok absent = { NULL, 0, GHA_J_NONE, 0, 0 };

struct flt *
flt_new(int icase)
{
	struct flt *f = gha_ecalloc(1, sizeof(*f));

	f->icase = icase;
	f->root.slot = -1;
	return f;
}

/* The slot of a dotted path, added to the tree when new; -1: bad path. */
static int
path_slot(struct flt *f, const char *path)
{
	struct node *parent = &f->root, *n;
	const char *p = path, *dot;
	size_t len;

	for (;;) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		if (len == 0)
			return -1;
		for (n = parent->kid; n != NULL; n = n->next)
			if (strlen(n->name) == len &&
			    memcmp(n->name, p, len) == 0)
				break;
		if (n == NULL) {
			n = gha_ecalloc(1, sizeof(*n));
			n->name = gha_emalloc(len + 1);
			memcpy(n->name, p, len);
			n->name[len] = '\0';
			n->slot = -1;
			n->next = parent->kid;
			parent->kid = n;
		}
		if (dot == NULL)
			break;
		parent = n;
		p = dot + 1;
	}
	if (n->slot < 0)
		n->slot = f->nslots++;
	return n->slot;
}

/* The reader of a named value (shared by every predicate naming it). */
static struct ref *
ref_get(struct flt *f, const char *name, char *err)
{
	struct ref *r;
	size_t i, k;

	for (i = 0; i < f->nrefs; i++)
		if (strcmp(f->refs[i]->name, name) == 0)
			return f->refs[i];
	r = gha_ecalloc(1, sizeof(*r));
	r->name = gha_estrdup(name);
	r->owner = r->rname = -1;
	if ((r->alt[r->nalt++] = path_slot(f, name)) < 0) {
		snprintf(err, GHA_ERRLEN, "bad field name: \"%s\"", name);
		free(r->name);
		free(r);
		return NULL;
	}
	for (i = 0; i < sizeof(flat) / sizeof(flat[0]); i++) {
		if (strcmp(flat[i].flat, name) != 0)
			continue;
		for (k = 0; k < 3 && flat[i].raw[k] != NULL; k++)
			r->alt[r->nalt++] = path_slot(f, flat[i].raw[k]);
		if (strcmp(name, "actor_login") == 0)
			r->scalar = 1;
		if (strcmp(name, "repo_name") == 0) {
			r->owner = path_slot(f, "repository.owner");
			r->rname = path_slot(f, "repository.name");
		}
	}
	f->refs = gha_erealloc(f->refs, (f->nrefs + 1) * sizeof(*f->refs));
	f->refs[f->nrefs++] = r;
	return r;
}

/* The value of r in the line last matched (type GHA_J_NONE: absent). */
static const struct gha_jtok *
ref_value(struct flt *f, struct ref *r)
{
	const struct gha_jtok *t, *o, *n;
	int i;

	for (i = 0; i < r->nalt; i++) {
		t = &f->slots[r->alt[i]];
		if (t->type == GHA_J_NONE)
			continue;
		if (r->scalar && i == r->nalt - 1 &&
		    (t->type == GHA_J_OBJECT || t->type == GHA_J_ARRAY))
			continue;
		return t;
	}
	if (r->owner < 0)
		return &absent;
	o = &f->slots[r->owner];
	n = &f->slots[r->rname];
	if (o->type != GHA_J_STRING || n->type != GHA_J_STRING)
		return &absent;
	/* Both bodies are valid JSON string contents: join them. */
	r->comp.n = 0;
	gha_buf_add(&r->comp, o->p, o->n - 1);
	gha_buf_addc(&r->comp, '/');
	gha_buf_add(&r->comp, n->p + 1, n->n - 1);
	r->ctok.p = r->comp.p;
	r->ctok.n = r->comp.n;
	r->ctok.type = GHA_J_STRING;
	r->ctok.esc = o->esc || n->esc;
	r->ctok.count = 0;
	return &r->ctok;
}

static char *
scratch(struct flt *f, size_t n)
{
	if (f->scap < n) {
		f->scap = n < 256 ? 256 : n;
		f->scratch = gha_erealloc(f->scratch, f->scap);
	}
	return f->scratch;
}

/*
 * The text of token t: a string's decoded contents, else the token as it
 * is.  With nul, the text is a NUL-terminated copy (valid until the next
 * call); without, it may point into the line.
 */
const char *
flt_text(struct flt *f, const struct gha_jtok *t, size_t *n, int nul)
{
	char *s;

	if (t->type == GHA_J_STRING) {
		if (!t->esc && !nul) {
			*n = t->n - 2;
			return t->p + 1;
		}
		s = scratch(f, t->n + 1);
		if (t->esc)
			*n = gha_json_unescape(t, s, t->n + 1);
		else {
			*n = t->n - 2;
			memcpy(s, t->p + 1, *n);
			s[*n] = '\0';
		}
		return s;
	}
	if (!nul) {
		*n = t->n;
		return t->p;
	}
	s = scratch(f, t->n + 1);
	memcpy(s, t->p, t->n);
	s[t->n] = '\0';
	*n = t->n;
	return s;
}

/* ASCII lower case in place: logins and repository names are ASCII. */
static void
lower(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

static int
globs(struct flt *f, const struct pred *p, const struct gha_jtok *t)
{
	const char *s;
	size_t i, n;

	if (t->type != GHA_J_STRING)
		return 0;
	s = flt_text(f, t, &n, 1);
	if (f->icase)
		lower(f->scratch, n);
	for (i = 0; i < p->npat; i++) {
		if (p->pat[i].literal) {
			if (n == p->pat[i].n && memcmp(s, p->pat[i].s, n) == 0)
				return 1;
		} else if (fnmatch(p->pat[i].s, s, p->fnflags) == 0)
			return 1;
	}
	return 0;
}

static int
types(struct flt *f, const struct pred *p, const struct gha_jtok *t)
{
	const char *s;
	size_t i, n;
	int in = 0;

	if (t->type == GHA_J_STRING) {
		s = flt_text(f, t, &n, 0);
		for (i = 0; i < p->npat && !in; i++)
			in = n == p->pat[i].n && memcmp(s, p->pat[i].s, n) == 0;
	}
	return p->negate ? !in : in;
}

static int
eval(struct flt *f, const struct pred *p)
{
	const struct gha_jtok *t = ref_value(f, p->ref);
	const char *s;
	size_t n;
	int64_t e;

	switch (p->kind) {
	case P_TYPES:
		return types(f, p, t);
	case P_GLOBS:
		return globs(f, p, t);
	case P_BOTS:
		if (t->type != GHA_J_STRING)
			return !p->want;
		s = flt_text(f, t, &n, 0);
		return gha_bots_is(&bots, s, n) == p->want;
	case P_SINCE:
	case P_UNTIL:
		if (t->type != GHA_J_STRING)
			return 0;
		s = flt_text(f, t, &n, 0);
		if (gha_time_parse(s, n, &e) != 0)
			return 0;
		return p->kind == P_SINCE ? e >= p->t : e < p->t;
	case P_TEST:
		return flt_test(f, p, t);
	}
	return 0;
}

struct pred *
flt_pred_add(struct flt *f, int kind, const char *name, char *err)
{
	struct ref *r;
	struct pred *p;

	if ((r = ref_get(f, name, err)) == NULL)
		return NULL;
	f->preds = gha_erealloc(f->preds, (f->npreds + 1) * sizeof(*f->preds));
	p = &f->preds[f->npreds++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->ref = r;
	return p;
}

/* Split a comma list into patterns; empty items are an error. */
static int
split(const char *list, struct pat **pat, size_t *npat, const char *what,
    char *err)
{
	const char *p = list, *c;
	size_t len;

	*pat = NULL;
	*npat = 0;
	for (;;) {
		c = strchr(p, ',');
		len = c ? (size_t)(c - p) : strlen(p);
		if (len == 0) {
			snprintf(err, GHA_ERRLEN, "empty %s in \"%s\"", what,
			    list);
			while (*npat > 0)
				free((*pat)[--*npat].s);
			free(*pat);
			*pat = NULL;
			return -1;
		}
		*pat = gha_erealloc(*pat, (*npat + 1) * sizeof(**pat));
		(*pat)[*npat].s = gha_emalloc(len + 1);
		memcpy((*pat)[*npat].s, p, len);
		(*pat)[*npat].s[len] = '\0';
		(*pat)[*npat].n = len;
		(*pat)[*npat].literal = strpbrk((*pat)[*npat].s, "*?[\\") ==
		    NULL;
		(*npat)++;
		if (c == NULL)
			return 0;
		p = c + 1;
	}
}

/* -t LIST, -T LIST: the event type is (not) one of LIST. */
int
flt_types(struct flt *f, const char *list, int negate, char *err)
{
	struct pred *p;
	size_t i;

	if (*list == '!') {
		negate = !negate;
		list++;
	}
	if ((p = flt_pred_add(f, P_TYPES, "type", err)) == NULL)
		return -1;
	p->negate = negate;
	if (split(list, &p->pat, &p->npat, "type", err) != 0)
		return -1;
	for (i = 0; i < p->npat; i++)	/* types.c */
		if (flt_type_check(p->pat[i].s, p->pat[i].n, err) != 0)
			return -1;
	return 0;
}

/* -a, -o, --repo: the login or repository name matches one of the globs. */
int
flt_globs(struct flt *f, int what, const char *list, char *err)
{
	static const char *const name[] = { "actor_login", "org_login",
	    "repo_name" };
	struct pred *p;
	size_t i;

	if ((p = flt_pred_add(f, P_GLOBS, name[what], err)) == NULL)
		return -1;
	/* In owner/name, '*' stays within one part, as in a path. */
	p->fnflags = what == FLT_REPO ? FNM_PATHNAME : 0;
	if (split(list, &p->pat, &p->npat, "pattern", err) != 0)
		return -1;
	/* -i: both sides in lower case (FNM_CASEFOLD is not POSIX). */
	for (i = 0; f->icase && i < p->npat; i++)
		lower(p->pat[i].s, p->pat[i].n);
	return 0;
}

/*
 * -b, -B: only bots (want 1) or no bots (want 0), by gha-load's rule
 * (lib/bots.c): a login ending in [bot] or on the list, read once.
 */
int
flt_bots(struct flt *f, int want, char *err)
{
	static int loaded;
	struct pred *p;

	if (!loaded) {
		if (gha_bots_load(&bots, err) != 0)
			return -1;
		loaded = 1;
	}
	if ((p = flt_pred_add(f, P_BOTS, "actor_login", err)) == NULL)
		return -1;
	p->want = want;
	return 0;
}

/*
 * A time given on the command line: YYYY-MM-DD (its first second),
 * YYYY-MM-DD-H (an archive hour), or an ISO 8601 time, UTC when it has
 * no zone.
 */
int
flt_parse_time(const char *s, int64_t *epoch)
{
	char buf[40];
	size_t n = strlen(s);

	if (n == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
		return gha_time_parse(buf, strlen(buf), epoch);
	}
	if (gha_hour_parse(s, n, epoch) == 0)
		return 0;
	if (gha_time_parse(s, n, epoch) == 0)
		return 0;
	if (n == 19) {
		snprintf(buf, sizeof(buf), "%sZ", s);
		return gha_time_parse(buf, n + 1, epoch);
	}
	return -1;
}

/* --since (created_at >= when), --until (created_at < when). */
int
flt_window(struct flt *f, int until, const char *when, char *err)
{
	struct pred *p;
	int64_t t;

	if (flt_parse_time(when, &t) != 0) {
		snprintf(err, GHA_ERRLEN, "not a date or time: %s", when);
		return -1;
	}
	if ((p = flt_pred_add(f, until ? P_UNTIL : P_SINCE, "created_at",
	    err)) == NULL)
		return -1;
	p->t = t;
	return 0;
}

/* --fields LIST: write objects of just these keys, in this order. */
int
flt_project(struct flt *f, const char *list, char *err)
{
	struct gha_buf b = { NULL, 0, 0 };
	struct pat *pat;
	struct ref *r;
	size_t i, n;
	int rc = 0;

	if (split(list, &pat, &n, "field", err) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if ((r = ref_get(f, pat[i].s, err)) == NULL) {
			rc = -1;
			break;
		}
		f->proj = gha_erealloc(f->proj, (f->nproj + 1) *
		    sizeof(*f->proj));
		f->projkey = gha_erealloc(f->projkey, (f->nproj + 1) *
		    sizeof(*f->projkey));
		/* The key is written: it must make valid JSON. */
		b.n = 0;
		gha_buf_addc(&b, '{');
		gha_buf_addjstr(&b, pat[i].s, pat[i].n);
		gha_buf_add(&b, ":0}", 3);
		if (gha_json_validate(b.p, b.n, err) != 0) {
			snprintf(err, GHA_ERRLEN, "not a UTF-8 key: \"%.100s\"",
			    pat[i].s);
			rc = -1;
			break;
		}
		b.n -= 2;	/* "{\"key\":" */
		gha_buf_addc(&b, '\0');
		f->proj[f->nproj] = r;
		f->projkey[f->nproj++] = gha_estrdup(b.p + 1);
	}
	gha_buf_free(&b);
	for (i = 0; i < n; i++)
		free(pat[i].s);
	free(pat);
	return rc;
}

/* --dedup: make (id, created_at) available to flt_key. */
void
flt_want_key(struct flt *f)
{
	char err[GHA_ERRLEN];

	f->id = ref_get(f, "id", err);
	f->created = ref_get(f, "created_at", err);
}

static struct gha_jfield *
build(const struct node *first)
{
	const struct node *n;
	struct gha_jfield *fl;
	size_t k = 0;

	for (n = first; n != NULL; n = n->next)
		k++;
	fl = gha_ecalloc(k + 1, sizeof(*fl));
	k = 0;
	for (n = first; n != NULL; n = n->next, k++) {
		fl[k].name = n->name;
		fl[k].slot = n->slot;
		fl[k].sub = n->kid ? build(n->kid) : NULL;
	}
	fl[k].name = NULL;
	return fl;
}

/* Turn the paths of every predicate into one field list. */
void
flt_compile(struct flt *f)
{
	f->fields = f->root.kid ? build(f->root.kid) : NULL;
	f->slots = gha_ecalloc(f->nslots ? (size_t)f->nslots : 1,
	    sizeof(*f->slots));
}

/*
 * Scan (and validate) the object on line[0..n) and test every predicate.
 * Returns 1 when all hold, 0 when one does not, -1 when the line is not
 * a valid JSON object (err says why).
 */
int
flt_match(struct flt *f, const char *line, size_t n, char *err)
{
	size_t i;

	if (gha_json_extract(line, n, f->fields, f->slots, f->nslots,
	    err) != 0)
		return -1;
	for (i = 0; i < f->npreds; i++)
		if (!eval(f, &f->preds[i]))
			return 0;
	return 1;
}

/* Append the line last matched, or its projection (--fields), to out. */
void
flt_write(struct flt *f, const char *line, size_t n, struct gha_buf *out)
{
	const struct gha_jtok *t;
	size_t i;

	if (f->nproj == 0) {
		gha_buf_add(out, line, n);
		gha_buf_addc(out, '\n');
		return;
	}
	gha_buf_addc(out, '{');
	for (i = 0; i < f->nproj; i++) {
		if (i > 0)
			gha_buf_addc(out, ',');
		gha_buf_adds(out, f->projkey[i]);
		t = ref_value(f, f->proj[i]);
		if (t->type == GHA_J_NONE)
			gha_buf_add(out, "null", 4);
		else
			gha_buf_add(out, t->p, t->n);
	}
	gha_buf_add(out, "}\n", 2);
}

/*
 * The identity of the line last matched, hashed: (id, created_at), the
 * id as text (string contents or integer digits), created_at as the
 * second it names when it is a time; a line without an id (raw timeline
 * events) is identified by all of its bytes.
 */
uint64_t
flt_key(struct flt *f, const char *line, size_t n)
{
	const struct gha_jtok *id = ref_value(f, f->id);
	const struct gha_jtok *ca = ref_value(f, f->created);
	uint64_t h = GHA_FNV1A_INIT;
	unsigned char sec[8];
	const char *s;
	size_t len;
	int64_t e;
	int i;

	if (id->type == GHA_J_NONE || id->type == GHA_J_NULL)
		h = gha_fnv1a(gha_fnv1a(h, "L", 1), line, n);
	else {
		s = flt_text(f, id, &len, 0);
		h = gha_fnv1a(gha_fnv1a(h, "I", 1), s, len);
		h = gha_fnv1a(h, "\x1f", 1);
		if (ca->type == GHA_J_STRING &&
		    (s = flt_text(f, ca, &len, 0), gha_time_parse(s, len, &e) ==
		    0)) {
			for (i = 0; i < 8; i++)
				sec[i] = (unsigned char)((uint64_t)e >> (8 * i));
			h = gha_fnv1a(gha_fnv1a(h, "T", 1), sec, 8);
		} else if (ca->type != GHA_J_NONE) {
			s = flt_text(f, ca, &len, 0);
			h = gha_fnv1a(gha_fnv1a(h, "S", 1), s, len);
		}
	}
	/* splitmix64's finaliser: every bit of h reaches the low bits. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static void
node_free(struct node *n)
{
	struct node *next;

	for (; n != NULL; n = next) {
		next = n->next;
		node_free(n->kid);
		free(n->name);
		free(n);
	}
}

static void
fields_free(struct gha_jfield *fl)
{
	size_t i;

	if (fl == NULL)
		return;
	for (i = 0; fl[i].name != NULL; i++)
		fields_free((struct gha_jfield *)fl[i].sub);
	free(fl);
}

void
flt_free(struct flt *f)
{
	struct pred *p;
	size_t i, k;

	if (f == NULL)
		return;
	for (i = 0; i < f->npreds; i++) {
		p = &f->preds[i];
		for (k = 0; k < p->npat; k++)
			free(p->pat[k].s);
		free(p->pat);
		if (p->kind == P_TEST && (p->op == OP_RE || p->op == OP_NRE))
			regfree(&p->v.re);
		free(p->v.s);
	}
	free(f->preds);
	for (i = 0; i < f->nrefs; i++) {
		gha_buf_free(&f->refs[i]->comp);
		free(f->refs[i]->name);
		free(f->refs[i]);
	}
	free(f->refs);
	for (i = 0; i < f->nproj; i++)
		free(f->projkey[i]);
	free(f->proj);
	free(f->projkey);
	fields_free(f->fields);
	node_free(f->root.kid);
	free(f->slots);
	free(f->scratch);
	free(f);
}
