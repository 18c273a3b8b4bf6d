/*
 * refdecode - the reference decoder the tests hold gha-decode against.
 *
 * gha-decode scans each line with its own validating scanner (lib/json.c)
 * and never builds a tree.  This program does the same job the slow,
 * obvious way: jansson parses every line whole (json_loadb, flags 0) and
 * the flat record is built from the DOM, following doc/design.md and
 * gha-decode(1) independently of decode/event.c.  The tests then require
 * both to accept and reject exactly the same lines and to produce the
 * same records (compared after both pass through jansson, see -n).
 *
 * usage: refdecode [-n] [-m seed] [-r rejects] [file ...]
 *   (default)  decode events to records, like gha-decode
 *   -n         normalise: parse each line with jansson, print it compact
 *              with keys in their order (to compare two record streams)
 *   -m seed    mutate: print each input line and 8 damaged variants of it
 *              (deterministic for a seed), for differential testing
 *   -r file    write the rejected lines to file (as gha-decode -r does)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "gha.h"

static FILE *rejects;
static unsigned long long nrej;

static json_t *
get(json_t *o, const char *k)
{
	return json_is_object(o) ? json_object_get(o, k) : NULL;
}

static json_t *
str_or_null(json_t *v)
{
	return json_is_string(v) ? json_incref(v) : json_null();
}

static json_t *
int_or_null(json_t *v)
{
	return json_is_integer(v) ? json_incref(v) : json_null();
}

/* The synthetic timeline id of gha-decode(1), from the DOM. */
static json_t *
timeline_id(json_t *ev, const char *utc)
{
	/* The fields hashed, in order: of the event, its repository or its
	 * payload. */
	static const struct {
		enum { EV, REPO, PAYLOAD } in;
		const char *key;
	} f[] = {
		{ EV, "type" }, { EV, "actor" }, { REPO, "owner" },
		{ REPO, "name" }, { EV, "url" }, { PAYLOAD, "ref" },
		{ PAYLOAD, "head" }, { PAYLOAD, "action" },
		{ PAYLOAD, "number" }, { PAYLOAD, "size" },
		{ PAYLOAD, "issue" }, { PAYLOAD, "comment_id" },
	};
	json_t *obj[3], *v;
	uint64_t h = GHA_FNV1A_INIT;
	char buf[32], id[20];
	size_t i, n;

	obj[EV] = ev;
	obj[REPO] = get(ev, "repository");
	obj[PAYLOAD] = get(ev, "payload");
	h = gha_fnv1a(h, utc, 20);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		v = get(obj[f[i].in], f[i].key);
		if (json_is_string(v)) {
			n = json_string_length(v);
			/* gha-decode hashes at most 1023 bytes of a string */
			h = gha_fnv1a(h, json_string_value(v), n < 1023 ? n : 1023);
		} else if (json_is_integer(v)) {
			n = (size_t)snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			h = gha_fnv1a(h, buf, n);
		}
		h = gha_fnv1a(h, "\x1f", 1);
	}
	snprintf(id, sizeof(id), "tl-%016llx", (unsigned long long)h);
	return json_string(id);
}

static void
reject(const char *line, size_t n)
{
	nrej++;
	if (rejects != NULL) {
		fwrite(line, 1, n, rejects);
		putc('\n', rejects);
	}
}

/* Build the flat record of one event, or NULL to reject it. */
static json_t *
flatten(json_t *ev, const char *src)
{
	json_t *actor = get(ev, "actor"), *repo = get(ev, "repo");
	json_t *ry = get(ev, "repository"), *p = get(ev, "payload");
	json_t *org = get(ev, "org"), *type = get(ev, "type");
	json_t *ca = get(ev, "created_at"), *id = get(ev, "id"), *rec, *v;
	int timeline, push;
	int64_t t;
	char utc[21], buf[512];

	timeline = !json_is_object(actor) && !json_is_object(repo) &&
	    (json_is_object(ry) || json_is_string(actor) ||
	    json_is_null(actor));
	/* A flat record (decoded already): no actor, repo or repository,
	 * but a record's own actor_login, actor_id, repo_name or repo_id. */
	if (actor == NULL && repo == NULL && ry == NULL &&
	    (get(ev, "actor_login") != NULL || get(ev, "actor_id") != NULL ||
	    get(ev, "repo_name") != NULL || get(ev, "repo_id") != NULL))
		return NULL;
	if (!json_is_string(type) || !json_is_string(ca))
		return NULL;
	if (gha_time_parse(json_string_value(ca), json_string_length(ca),
	    &t) != 0 || t < 0 || t >= 253402300800LL)
		return NULL;
	gha_time_format(t, utc);
	if (!timeline && !(json_is_string(id) && json_string_length(id) > 0) &&
	    !json_is_integer(id))
		return NULL;
	push = strcmp(json_string_value(type), "PushEvent") == 0 &&
	    json_string_length(type) == 9;

	rec = json_object();
	if (timeline)
		json_object_set_new(rec, "id", timeline_id(ev, utc));
	else if (json_is_integer(id)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
		json_object_set_new(rec, "id", json_string(buf));
	} else
		json_object_set(rec, "id", id);
	json_object_set(rec, "type", type);
	json_object_set_new(rec, "created_at", json_string(utc));
	if (timeline) {
		json_object_set_new(rec, "actor_id", json_null());
		json_object_set_new(rec, "actor_login", str_or_null(actor));
		json_object_set_new(rec, "repo_id", int_or_null(get(ry, "id")));
		if (json_is_string(get(ry, "owner")) &&
		    json_is_string(get(ry, "name"))) {
			json_t *o = get(ry, "owner"), *nm = get(ry, "name");
			size_t on = json_string_length(o);
			size_t nn = json_string_length(nm);
			char *s = gha_emalloc(on + nn + 2);

			memcpy(s, json_string_value(o), on);
			s[on] = '/';
			memcpy(s + on + 1, json_string_value(nm), nn);
			json_object_set_new(rec, "repo_name",
			    json_stringn(s, on + nn + 1));
			free(s);
		} else
			json_object_set_new(rec, "repo_name", json_null());
	} else {
		json_object_set_new(rec, "actor_id",
		    int_or_null(get(actor, "id")));
		json_object_set_new(rec, "actor_login",
		    str_or_null(get(actor, "login")));
		json_object_set_new(rec, "repo_id", int_or_null(get(repo, "id")));
		json_object_set_new(rec, "repo_name",
		    str_or_null(get(repo, "name")));
	}
	json_object_set_new(rec, "org_id", int_or_null(get(org, "id")));
	if (timeline && !json_is_string(get(org, "login")))
		json_object_set_new(rec, "org_login",
		    str_or_null(get(ry, "organization")));
	else
		json_object_set_new(rec, "org_login",
		    str_or_null(get(org, "login")));
	json_object_set_new(rec, "action", str_or_null(get(p, "action")));
	json_object_set_new(rec, "ref", str_or_null(get(p, "ref")));
	json_object_set_new(rec, "ref_type", str_or_null(get(p, "ref_type")));
	json_object_set_new(rec, "push_id", int_or_null(get(p, "push_id")));
	v = get(p, "size");
	if (push && json_is_integer(v))
		json_object_set(rec, "commits", v);
	else if (push && timeline && json_is_array(get(p, "shas")))
		json_object_set_new(rec, "commits", json_integer(
		    (json_int_t)json_array_size(get(p, "shas"))));
	else
		json_object_set_new(rec, "commits", json_null());
	v = get(p, "distinct_size");
	json_object_set_new(rec, "distinct_commits",
	    push && json_is_integer(v) ? json_incref(v) : json_null());
	json_object_set_new(rec, "head", str_or_null(get(p, "head")));
	json_object_set_new(rec, "before", str_or_null(get(p, "before")));
	if (json_is_integer(get(p, "number")))
		v = get(p, "number");
	else if (json_is_integer(get(get(p, "issue"), "number")))
		v = get(get(p, "issue"), "number");
	else
		v = get(get(p, "pull_request"), "number");
	json_object_set_new(rec, "number", int_or_null(v));
	v = get(ev, "public");
	json_object_set_new(rec, "public",
	    json_is_boolean(v) ? json_incref(v) : json_null());
	json_object_set_new(rec, "src", src ? json_string(src) : json_null());
	return rec;
}

static uint64_t rng;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Print line and 8 deterministic damaged variants of it. */
static void
mutate(const char *line, size_t n)
{
	static const char *bits[] = { "{", "}", "[", "]", "\"", ",", ":",
	    "\\", "\\u0000", "\\ud800", "\\udc00x", "\x80", "\xc0\xaf",
	    "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x01", "0", "-", "1e999",
	    "99999999999999999999", "01", "tru", "null", " ", "\t", "1.",
	    ".5", "\xff", "\xe2\x80\xa8", "\\x", "\\u12" };
	char *buf = gha_emalloc(n + 64);
	size_t i, pos, k, m;
	const char *b;

	fwrite(line, 1, n, stdout);
	putchar('\n');
	for (i = 0; i < 8; i++) {
		pos = n ? next() % n : 0;
		switch (next() % 4) {
		case 0:		/* insert a token */
			b = bits[next() % (sizeof(bits) / sizeof(bits[0]))];
			k = strlen(b);
			memcpy(buf, line, pos);
			memcpy(buf + pos, b, k);
			memcpy(buf + pos + k, line + pos, n - pos);
			m = n + k;
			break;
		case 1:		/* delete a byte */
			memcpy(buf, line, pos);
			m = n ? n - 1 : 0;
			if (n)
				memcpy(buf + pos, line + pos + 1, n - pos - 1);
			break;
		case 2:		/* cut off */
			memcpy(buf, line, pos);
			m = pos;
			break;
		default:	/* replace a byte */
			memcpy(buf, line, n);
			m = n;
			if (n)
				buf[pos] = "{}[]\",:\\0a \x80"[next() % 12];
			break;
		}
		for (k = 0; k < m; k++)
			if (buf[k] == '\n')
				buf[k] = ' ';
		fwrite(buf, 1, m, stdout);
		putchar('\n');
	}
	free(buf);
}

/* One object, or objects run together ("}{"), as gha-decode(1) says. */
static void
object(const char *p, size_t n, int mode, const char *src)
{
	json_error_t jerr;
	json_t *ev, *rec;
	size_t pos;
	char *s;

	while (n > 0) {
		ev = json_loadb(p, n, 0, &jerr);
		if (ev == NULL) {
			ev = json_loadb(p, n, JSON_DISABLE_EOF_CHECK, &jerr);
			pos = (size_t)jerr.position;
			if (ev != NULL && json_is_object(ev) && pos < n &&
			    p[pos] == '{') {
				json_decref(ev);
				object(p, pos, mode, src);
				p += pos;
				n -= pos;
				continue;
			}
			json_decref(ev);
			reject(p, n);
			return;
		}
		if (!json_is_object(ev)) {
			json_decref(ev);
			reject(p, n);
			return;
		}
		rec = mode == 'n' ? json_incref(ev) : flatten(ev, src);
		json_decref(ev);
		if (rec == NULL) {
			reject(p, n);
			return;
		}
		s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(rec);
		return;
	}
}

/* A line, split at runs of NUL bytes; blank pieces are ignored. */
static void
pieces(const char *line, size_t n, int mode, const char *src)
{
	const char *p = line, *end = line + n, *q;
	size_t k;

	if (memchr(line, '\0', n) == NULL) {
		object(line, n, mode, src);
		return;
	}
	while (p < end) {
		if ((q = memchr(p, '\0', (size_t)(end - p))) == NULL)
			q = end;
		for (k = 0; p + k < q && strchr(" \t\r", p[k]) != NULL; k++)
			;
		if (p + k < q)
			object(p, (size_t)(q - p), mode, src);
		for (p = q; p < end && *p == '\0'; p++)
			;
	}
	nrej++;
}

static int
run(const char *path, int mode)
{
	char err[GHA_ERRLEN], hour[16];
	const char *line, *src = NULL;
	struct gha_in *in;
	size_t n;
	int r;

	if ((in = gha_in_open(path, 1U << 30, err)) == NULL) {
		fprintf(stderr, "refdecode: %s\n", err);
		return -1;
	}
	if (gha_hour_from_path(gha_in_name(in), hour) == 0)
		src = hour;
	while ((r = gha_in_getline(in, &line, &n, err)) == GHA_IN_LINE) {
		if (mode == 'm') {
			mutate(line, n);
			continue;
		}
		pieces(line, n, mode, src);
	}
	gha_in_close(in);
	if (r != GHA_IN_EOF) {
		fprintf(stderr, "refdecode: %s\n", err);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int ch, mode = 'd', rc = 0, i;

	while ((ch = getopt(argc, argv, "m:nr:")) != -1) {
		switch (ch) {
		case 'm':
			mode = 'm';
			rng = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			mode = 'n';
			break;
		case 'r':
			if ((rejects = fopen(optarg, "w")) == NULL) {
				perror(optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: refdecode [-n] [-m seed] "
			    "[-r rejects] [file ...]\n");
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		rc |= run("-", mode);
	for (i = 0; i < argc; i++)
		rc |= run(argv[i], mode);
	if (rejects != NULL)
		fclose(rejects);
	if (fflush(stdout) != 0)
		return 4;
	return rc ? 3 : nrej ? 1 : 0;
}
