/*
 * plan.c - what gha-fetch is asked for: the SPECs' ranges of hours,
 * sorted and merged so that each hour comes once, walked in time order
 * (sched.c admits them into its window as slots free up); the sources
 * to fetch them from; and where the cache folders are.
 *
 * A source is a base URL in the archive's layout, given as URL or as
 * NAME=URL.  Its name, by default its URL's host (and port), is what the
 * --status records and the ledger call it and the name of its cache
 * folder: with one source the cache folder itself, as always; with
 * several, each has DIR/NAME, so no source's file ever stands in for
 * another's.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "fetch.h"

static int
cmp_range(const void *a, const void *b)
{
	const struct fetch_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Sort the ranges and merge overlapping or adjacent ones. */
void
fetch_plan_merge(struct fetch_plan *p)
{
	size_t i, n = 0;

	qsort(p->r, p->n, sizeof(*p->r), cmp_range);
	for (i = 0; i < p->n; i++) {
		if (n > 0 && p->r[i].first <= p->r[n - 1].last + 3600) {
			if (p->r[i].last > p->r[n - 1].last)
				p->r[n - 1].last = p->r[i].last;
		} else
			p->r[n++] = p->r[i];
	}
	p->n = n;
	p->total = 0;
	for (i = 0; i < n; i++)
		p->total += (unsigned long long)(p->r[i].last -
		    p->r[i].first) / 3600 + 1;
	p->i = 0;
	p->next = n > 0 ? p->r[0].first : 0;
}


/* The next hour of the SPEC ranges, or -1 when there is none. */
int
fetch_plan_next(struct fetch_plan *p, int64_t *h)
{
	if (p->i >= p->n)
		return -1;
	*h = p->next;
	if (p->next >= p->r[p->i].last) {
		if (++p->i < p->n)
			p->next = p->r[p->i].first;
	} else
		p->next += 3600;
	return 0;
}


/* mkdir -p */
int
fetch_mkdirs(const char *path)
{
	char *p = gha_estrdup(path), *s;
	int rc = 0;

	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		int end = *s == '\0';
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return rc;
}

/* The cache folder: -d, GHA_CACHE, $XDG_CACHE_HOME/gha, ~/.cache/gha. */
char *
fetch_cache_dir(const char *d)
{
	const char *e;
	char *p;
	size_t n;

	if (d == NULL && (e = getenv("GHA_CACHE")) != NULL && *e != '\0')
		d = e;
	if (d != NULL)
		p = gha_estrdup(d);
	else if ((e = getenv("XDG_CACHE_HOME")) != NULL && *e == '/') {
		p = fetch_path(e, "", "gha", "");
	} else if ((e = getenv("HOME")) != NULL && *e != '\0') {
		p = fetch_path(e, "", ".cache/gha", "");
	} else
		gha_die(GHA_EX_USAGE, "no cache folder: set -d, GHA_CACHE "
		    "or HOME");
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	if (strchr(p, '\n') != NULL)
		gha_die(GHA_EX_USAGE, "the cache folder's name has a newline");
	return p;
}

/* -n: the plan, one line per hour and source. */
void
fetch_plan_print(struct fetch_plan *p, const struct fetch_src *src,
    int nsrc, int64_t now)
{
	struct stat st;
	char name[16], *path;
	int64_t h;
	int k;

	while (fetch_plan_next(p, &h) == 0) {
		gha_hour_format(h, name);
		for (k = 0; k < nsrc; k++) {
			path = fetch_path(src[k].o.dir, "", name, ".json.gz");
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				printf("%s cached %s\n", name, path);
			else if (h + 3600 > now)
				printf("%s unpublished\n", name);
			else
				printf("%s fetch %s/%s.json.gz\n", name,
				    src[k].o.base, name);
			free(path);
		}
	}
}

static int
name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > FETCH_NAMELEN || s[0] == '.' ||
	    (n == 7 && memcmp(s, "commits", 7) == 0) ||
	    (n == 3 && memcmp(s, "git", 3) == 0))
		return 0;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

/*
 * Add the source arg, URL or NAME=URL, to src[*nsrc]; 0, or -1 with err
 * set.  The default name is the URL's host, and ":PORT" as "-PORT".
 */
int
fetch_source_add(struct fetch_src *src, int *nsrc, const char *arg,
    char *err)
{
	const char *eq = strchr(arg, '='), *url = arg, *host, *end;
	struct fetch_src *s;
	char *b;
	size_t n;
	int k;

	if (*nsrc == FETCH_MAXSRC) {
		snprintf(err, GHA_ERRLEN, "at most %d sources", FETCH_MAXSRC);
		return -1;
	}
	s = &src[*nsrc];
	memset(s, 0, sizeof(*s));
	if (eq != NULL && strcspn(arg, ":/") > (size_t)(eq - arg)) {
		if (!name_ok(arg, (size_t)(eq - arg)))
			goto badname;
		memcpy(s->name, arg, (size_t)(eq - arg));
		url = eq + 1;
	}
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, GHA_ERRLEN, "want URL or NAME=URL, the URL "
		    "http:// or https://: %s", arg);
		return -1;
	}
	if (url[strcspn(url, " \t\r\n")] != '\0') {
		snprintf(err, GHA_ERRLEN, "a URL holds no blank: %s", arg);
		return -1;
	}
	if (s->name[0] == '\0') {
		host = strstr(url, "//") + 2;
		end = host + strcspn(host, "/?#");
		n = (size_t)(end - host);
		if (n > FETCH_NAMELEN)
			n = FETCH_NAMELEN;
		memcpy(s->name, host, n);
		if ((b = strchr(s->name, ':')) != NULL)
			*b = '-';
		if (!name_ok(s->name, strlen(s->name))) {
			arg = s->name;
			goto badname;
		}
	}
	for (k = 0; k < *nsrc; k++)
		if (strcmp(src[k].name, s->name) == 0) {
			snprintf(err, GHA_ERRLEN, "two sources named %s (name "
			    "them: NAME=URL)", s->name);
			return -1;
		}
	b = gha_estrdup(url);
	for (n = strlen(b); n > 0 && b[n - 1] == '/'; n--)
		b[n - 1] = '\0';
	s->o.base = b;
	(*nsrc)++;
	return 0;
badname:
	snprintf(err, GHA_ERRLEN, "a source's name is 1 to %d letters, digits, "
	    "'.', '_' or '-', not first '.', not commits or git: %s",
	    FETCH_NAMELEN, arg);
	return -1;
}

/* Add the sources of a blank-separated list (GHA_BASE_URL). */
int
fetch_source_list(struct fetch_src *src, int *nsrc, const char *list,
    char *err)
{
	char *l = gha_estrdup(list), *w, *save = NULL;
	int rc = 0;

	for (w = strtok_r(l, " \t\r\n", &save); w != NULL && rc == 0;
	    w = strtok_r(NULL, " \t\r\n", &save))
		rc = fetch_source_add(src, nsrc, w, err);
	free(l);
	return rc;
}

/*
 * Each source's options: the shared ones, and its cache folder: the
 * shared folder with one source, its own DIR/NAME with several.
 */
void
fetch_source_dirs(struct fetch_src *src, int nsrc,
    const struct fetch_opt *shared)
{
	const char *base;
	int k;

	for (k = 0; k < nsrc; k++) {
		base = src[k].o.base;
		src[k].o = *shared;
		src[k].o.base = base;
		if (nsrc > 1)
			src[k].o.dir = fetch_path(shared->dir, "",
			    src[k].name, "");
	}
}
