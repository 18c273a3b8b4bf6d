/*
 * types.c - the event types of every era of the archive, for -t and -T.
 *
 * A type is compared as it is written, so a misspelt one (pushevent,
 * Push, PushEvents) would select nothing and exit 0, which looks exactly
 * like an hour without such events.  So -t and -T accept only the types
 * some era of the archive has, and name the nearest for anything else.
 * The timeline era (2011-2014) has every type below but the review and
 * sponsorship ones; DownloadEvent, FollowEvent, ForkApplyEvent,
 * GistEvent and TeamAddEvent end with it; PullRequestReviewEvent starts
 * in August 2020.  A type newer than this list is still reached with
 * -e 'type == NewEvent', which takes any value.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gha.h"
#include "filter.h"

static const char *const known[] = {
	"CommitCommentEvent", "CreateEvent", "DeleteEvent",
	"DiscussionEvent", "DownloadEvent", "FollowEvent", "ForkApplyEvent",
	"ForkEvent", "GistEvent", "GollumEvent", "IssueCommentEvent",
	"IssuesEvent", "MemberEvent", "PublicEvent", "PullRequestEvent",
	"PullRequestReviewCommentEvent", "PullRequestReviewEvent",
	"PullRequestReviewThreadEvent", "PushEvent", "ReleaseEvent",
	"SponsorshipEvent", "TeamAddEvent", "WatchEvent",
};
#define NKNOWN	(sizeof(known) / sizeof(known[0]))

static int
lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Edit distance of a[0..an) and b, ignoring case; gives up above 40. */
static size_t
distance(const char *a, size_t an, const char *b)
{
	size_t row[41], i, j, prev, tmp, bn = strlen(b);

	if (an > 40 || bn > 40)
		return (size_t)-1;
	for (j = 0; j <= bn; j++)
		row[j] = j;
	for (i = 1; i <= an; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= bn; j++) {
			tmp = row[j];
			row[j] = prev + (lc(a[i - 1]) != lc(b[j - 1]));
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[bn];
}

/* The known type s[0..n) most likely meant, or NULL. */
static const char *
nearest(const char *s, size_t n)
{
	const char *best = NULL;
	size_t i, d, bestd = n / 3 > 3 ? n / 3 : 3;

	for (i = 0; i < NKNOWN; i++) {
		/* Push, push: PushEvent. */
		if (strlen(known[i]) == n + 5 &&
		    strncasecmp(known[i], s, n) == 0)
			return known[i];
	}
	for (i = 0; i < NKNOWN; i++) {
		d = distance(s, n, known[i]);
		if (d <= bestd && (best == NULL || d < bestd)) {
			best = known[i];
			bestd = d;
		}
	}
	return best;
}

/* 0 when s[0..n) is a type of some era, else -1 with err naming one. */
int
flt_type_check(const char *s, size_t n, char *err)
{
	const char *near;
	size_t i;

	for (i = 0; i < NKNOWN; i++)
		if (strlen(known[i]) == n && memcmp(known[i], s, n) == 0)
			return 0;
	if ((near = nearest(s, n)) != NULL)
		snprintf(err, GHA_ERRLEN, "no era of the archive has the event "
		    "type \"%.*s\"; did you mean %s?", (int)(n > 60 ? 60 : n),
		    s, near);
	else
		snprintf(err, GHA_ERRLEN, "no era of the archive has the event "
		    "type \"%.*s\" (types are as PushEvent; gha-filter(1) "
		    "lists them)", (int)(n > 60 ? 60 : n), s);
	return -1;
}
