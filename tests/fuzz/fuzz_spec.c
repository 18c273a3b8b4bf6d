/*
 * fuzz_spec - gha-fetch's SPEC parser (fetch/spec.c) against a reference.
 *
 * The input is one SPEC (up to its first NUL, as argv gives it).  The
 * reference reads it the slow, obvious way: split at the first "..", and
 * take each side as "today", "yesterday", YYYY-MM-DD or YYYY-MM-DD-H (H
 * from 0 to 23, not zero-padded) with the calendar checked by libc's
 * timegm() and gmtime_r(), years from 1970.  The parser must accept
 * exactly what the reference accepts and give the same first and last
 * hour, the start of an hour each, first <= last; when it refuses it must
 * say why.  "now" is fixed, 2024-01-15T12:34:56Z.
 */
#include <string.h>
#include <time.h>

#include "gha.h"
#include "fetch.h"
#include "fuzz.h"

#define NOW	1705322096LL	/* 2024-01-15T12:34:56Z */

static int
alldigits(const char *s, size_t n)
{
	while (n-- > 0)
		if (*s < '0' || *s++ > '9')
			return 0;
	return 1;
}

/* A day YYYY-MM-DD at s (10 bytes): its first second, by libc. */
static int
ref_day(const char *s, int64_t *t)
{
	struct tm tm, back;
	time_t e;

	if (!alldigits(s, 4) || s[4] != '-' || !alldigits(s + 5, 2) ||
	    s[7] != '-' || !alldigits(s + 8, 2))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = (s[5] - '0') * 10 + s[6] - '0' - 1;
	tm.tm_mday = (s[8] - '0') * 10 + s[9] - '0';
	if (tm.tm_year < 70)
		return -1;
	back = tm;
	e = timegm(&back);
	/* timegm normalises 02-30 to 03-01: a date that moved is no date */
	if (back.tm_year != tm.tm_year || back.tm_mon != tm.tm_mon ||
	    back.tm_mday != tm.tm_mday)
		return -1;
	*t = (int64_t)e;
	return 0;
}

/* One side of a SPEC: its first and last hour. */
static int
ref_point(const char *s, size_t n, int64_t *first, int64_t *last)
{
	int64_t day;
	int h;

	if ((n == 5 && memcmp(s, "today", 5) == 0) ||
	    (n == 9 && memcmp(s, "yesterday", 9) == 0)) {
		day = NOW - NOW % 86400 - (n == 9 ? 86400 : 0);
		*first = day;
		*last = day + 23 * 3600;
		return 0;
	}
	if (n < 10 || ref_day(s, &day) != 0)
		return -1;
	if (n == 10) {
		*first = day;
		*last = day + 23 * 3600;
		return 0;
	}
	if (s[10] != '-' || n > 13 || !alldigits(s + 11, n - 11) ||
	    n == 11 || (n == 13 && s[11] == '0'))
		return -1;
	h = atoi(s + 11);
	if (h > 23)
		return -1;
	*first = *last = day + h * 3600;
	return 0;
}

static int
ref_spec(const char *s, int64_t *first, int64_t *last)
{
	const char *dots = strstr(s, "..");
	int64_t l1, f2;

	if (dots == NULL)
		return ref_point(s, strlen(s), first, last);
	if (ref_point(s, (size_t)(dots - s), first, &l1) != 0 ||
	    ref_point(dots + 2, strlen(dots + 2), &f2, last) != 0 ||
	    *last < *first)
		return -1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[GHA_ERRLEN], *s;
	int64_t f = 0, l = 0, rf = 0, rl = 0;
	int rc, ref;

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	err[0] = '\0';
	rc = fetch_spec_parse(s, NOW, &f, &l, err);
	ref = ref_spec(s, &rf, &rl);
	if ((rc == 0) != (ref == 0)) {
		fz_show("spec", s, strlen(s));
		fz_fail("fetch_spec_parse says %d (%s), the reference %d", rc,
		    err, ref);
	}
	if (rc != 0 && err[0] == '\0')
		fz_fail("refused without a message");
	if (rc == 0 && (f != rf || l != rl || f > l || f % 3600 != 0 ||
	    l % 3600 != 0)) {
		fz_show("spec", s, strlen(s));
		fz_fail("range [%lld, %lld], the reference [%lld, %lld]",
		    (long long)f, (long long)l, (long long)rf,
		    (long long)rl);
	}
	free(s);
	return 0;
}
