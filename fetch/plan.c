/*
 * plan.c - what gha-fetch is asked for: the SPECs' ranges of hours,
 * sorted and merged so that each hour comes once, walked in time order
 * (main.c admits them into its window as slots free up); and where the
 * cache folder is.
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

/* -n: the plan, one line per hour. */
void
fetch_plan_print(struct fetch_plan *p, const char *dir, const char *base,
    int64_t now)
{
	struct stat st;
	char name[16], *path;
	int64_t h;

	while (fetch_plan_next(p, &h) == 0) {
		gha_hour_format(h, name);
		path = fetch_path(dir, "", name, ".json.gz");
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			printf("%s cached %s\n", name, path);
		else if (h + 3600 > now)
			printf("%s unpublished\n", name);
		else
			printf("%s fetch %s/%s.json.gz\n", name, base, name);
		free(path);
	}
}
