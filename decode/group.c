/*
 * group.c - the --status records of gha-decode, one per input.
 *
 * A record's state is "ok", "damaged" (a read error or corrupt gzip data
 * part way, or an unproven download that did not prove whole) or
 * "unreadable" (not opened); cached names the cache file an unproven
 * download became.
 *
 * The records of a group of copies of one hour (inputs one after the
 * other named by the same hour, at most UN_MAXCOPIES) are written when
 * the group ends, with the counts of the union (union.c): only then is it
 * known which events only one copy had.  And only after every record of
 * the group is out, held-back ones too (held.c), so that a status line
 * never runs ahead of the records it speaks of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "group.h"
#include "held.h"
#include "union.h"

struct pend {
	char		*name, *cached;
	const char	*state;
	unsigned long long lines, records, rejected;
	int64_t		 first, last;
	int		 seen;
};

static struct gha_status *status;	/* NULL: no --status */
static int pass;			/* -p: no union counts */
static struct pend group[UN_MAXCOPIES];
static int ncopy = 0;			/* inputs in the group */
static int64_t group_hour = -1;

void
group_open(struct gha_status *st, int passing)
{
	status = st;
	pass = passing;
}

static void
write_one(const struct pend *p, const struct un_count *c)
{
	char hour[16], first[21], last[21];

	gha_time_format(p->first, first);
	gha_time_format(p->last, last);
	gha_status_begin(status);
	gha_status_str(status, "file", p->name);
	gha_status_str(status, "hour", gha_hour_from_path(p->name,
	    hour) == 0 ? hour : NULL);
	gha_status_str(status, "state", p->state);
	gha_status_int(status, "lines", (int64_t)p->lines);
	gha_status_int(status, "records", (int64_t)p->records);
	gha_status_int(status, "rejected", (int64_t)p->rejected);
	gha_status_str(status, "first", p->seen ? first : NULL);
	gha_status_str(status, "last", p->seen ? last : NULL);
	gha_status_int(status, "copies", c != NULL ? ncopy : -1);
	gha_status_int(status, "distinct", c != NULL ? c->distinct : -1);
	gha_status_int(status, "only", c != NULL ? c->only : -1);
	gha_status_int(status, "union", c != NULL ? c->total : -1);
	gha_status_int(status, "id_gap", c != NULL ? c->gap : -1);
	gha_status_str(status, "cached", p->cached);
	gha_status_eend(status);
}

/* The group is complete: its records out (nothing without --status). */
void
group_end(void)
{
	struct un_count c;
	int k;

	if (status == NULL)
		return;
	held_wait();
	if (ncopy > 0)
		gha_efflush(stdout, "<stdout>");
	for (k = 0; k < ncopy; k++) {
		un_count(k, &c);
		write_one(&group[k], pass ? NULL : &c);
		free(group[k].name);
		free(group[k].cached);
	}
	ncopy = 0;
}

/*
 * An input begins: its copy number in its hour's group, for un_add() and
 * un_drop(); -1 without --status.  An input of another hour, or one no
 * hour names, ends the group before.
 */
int
group_enter(const char *name)
{
	char h[16];
	int64_t e = -1;

	if (status == NULL)
		return -1;
	if (gha_hour_from_path(name, h) != 0 ||
	    gha_hour_parse(h, strlen(h), &e) != 0)
		e = -1;
	if (e < 0 || e != group_hour || ncopy == UN_MAXCOPIES) {
		group_end();
		un_reset(e);
		group_hour = e;
	}
	return ncopy;
}

/* The input entered last has ended: what it gave, to be written. */
void
group_add(struct group_input *in)
{
	struct pend *p;

	if (status == NULL) {
		free(in->cached);
		return;
	}
	p = &group[ncopy++];
	p->name = gha_estrdup(in->name);
	p->cached = in->cached;
	p->state = in->state;
	p->lines = in->lines;
	p->records = in->records;
	p->rejected = in->rejected;
	p->first = in->first;
	p->last = in->last;
	p->seen = in->seen;
}
