/*
 * spec.c - gha-fetch's SPEC: which archive hours a word names.
 *
 * A SPEC is a day (2024-01-15: its 24 hours), an hour (2024-01-15-7, never
 * zero-padded, as the archive names it: 2024-01-15-07 is refused with the
 * archive's form in the message), "today" or "yesterday" (UTC days,
 * relative to the clock or GHA_NOW), or an inclusive range A..B of any two
 * of those: a range starts at the first hour of A and ends at the last
 * hour of B.  Anything else is refused, so a typo never fetches the wrong
 * month.
 */
#include <stdio.h>
#include <string.h>

#include "fetch.h"

/* One end of a SPEC: the first and last hour it covers. */
static int
point(const char *s, size_t n, int64_t now, int64_t *first, int64_t *last)
{
	char buf[16];
	int64_t day;

	if ((n == 5 && memcmp(s, "today", 5) == 0) ||
	    (n == 9 && memcmp(s, "yesterday", 9) == 0)) {
		day = now - ((now % 86400) + 86400) % 86400;
		if (n == 9)
			day -= 86400;
		*first = day;
		*last = day + 23 * 3600;
		return 0;
	}
	if (n == 10) {
		/* A day: its hour 0 must parse, and nothing else is there. */
		memcpy(buf, s, 10);
		memcpy(buf + 10, "-0", 2);
		if (gha_hour_parse(buf, 12, &day) != 0)
			return -1;
		*first = day;
		*last = day + 23 * 3600;
		return 0;
	}
	if (gha_hour_parse(s, n, first) != 0)
		return -1;
	*last = *first;
	return 0;
}

/*
 * Is s[0..n) an hour with a zero-padded hour (2015-01-01-07)?  Then put
 * the archive's form of it (2015-01-01-7) in buf, for the error.
 */
static int
padded(const char *s, size_t n, char buf[16])
{
	int64_t h;

	if (n != 13 || s[10] != '-' || s[11] != '0')
		return 0;
	memcpy(buf, s, 11);
	buf[11] = s[12];
	buf[12] = '\0';
	return gha_hour_parse(buf, 12, &h) == 0;
}

/* The error for the SPEC s whose part p[0..n) is no day or hour. */
static void
bad_point(const char *s, const char *p, size_t n, const char *what,
    char *err)
{
	char buf[16];

	if (padded(p, n, buf))
		snprintf(err, GHA_ERRLEN, "%s: the archive does not zero-pad "
		    "the hour: write %s", s, buf);
	else
		snprintf(err, GHA_ERRLEN, "%s: %s", s, what);
}

/*
 * Parse SPEC s into the inclusive range [*first, *last] of hour starts.
 * Returns 0, or -1 with err set.
 */
int
fetch_spec_parse(const char *s, int64_t now, int64_t *first, int64_t *last,
    char *err)
{
	static const char range[] = "a range is A..B where each of A and B "
	    "is a day, an hour, today or yesterday";
	const char *dots;
	int64_t f2, l1;

	if ((dots = strstr(s, "..")) == NULL) {
		if (point(s, strlen(s), now, first, last) == 0)
			return 0;
		bad_point(s, s, strlen(s), "not a day (YYYY-MM-DD), an hour "
		    "(YYYY-MM-DD-H), today, yesterday or a range A..B", err);
		return -1;
	}
	if (point(s, (size_t)(dots - s), now, first, &l1) != 0) {
		bad_point(s, s, (size_t)(dots - s), range, err);
		return -1;
	}
	if (point(dots + 2, strlen(dots + 2), now, &f2, last) != 0) {
		bad_point(s, dots + 2, strlen(dots + 2), range, err);
		return -1;
	}
	if (*last < *first) {
		snprintf(err, GHA_ERRLEN, "%s: the range ends before it "
		    "starts", s);
		return -1;
	}
	return 0;
}
