/*
 * fuzz_time - the time and archive-hour helpers of lib/time.c.
 *
 * The input is used three ways:
 *   - as a string for gha_time_parse and gha_hour_parse: what they accept
 *     must mean what libc's timegm() says the same fields mean (an
 *     independent calendar), hour names must be canonical (formatting the
 *     result gives the input back), and nothing may read past the end;
 *   - as a path for gha_hour_from_path: a name it finds is a valid hour
 *     that is in the path;
 *   - its first 8 bytes as a time: gha_time_format and gha_hour_format of
 *     any time from 1970 to 9999 must parse back to the same second.
 * The string is copied to a buffer of exactly its size, so that ASan
 * catches a read one byte too far.
 */
#include <string.h>
#include <time.h>

#include "gha.h"
#include "fuzz.h"

#define T_MAX	253402300800LL		/* 10000-01-01T00:00:00Z */

/* Parse n digits at s (known to be digits). */
static int
num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* The epoch of the civil time y-mo-d h:mi:s UTC, by libc. */
static int64_t
ref_epoch(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

/* A time gha_time_parse accepted: check it against timegm(). */
static void
check_time(const char *s, size_t n, int64_t t)
{
	int64_t want, off = 0;
	const char *z = s + n;

	if (n < 20)
		fz_fail("time of %zu bytes accepted", n);
	want = ref_epoch(num(s, 4), num(s + 5, 2), num(s + 8, 2),
	    num(s + 11, 2), num(s + 14, 2), num(s + 17, 2));
	if (z[-1] != 'Z') {
		/* ...+HH:MM or ...+HHMM */
		off = num(z - 2, 2) * 60 + num(z - (z[-3] == ':' ? 5 : 4),
		    2) * 3600;
		if (z[-(z[-3] == ':' ? 6 : 5)] == '-')
			off = -off;
	}
	want -= off;
	if (t != want) {
		fz_show("time", s, n);
		fz_fail("gha_time_parse gives %lld, timegm %lld",
		    (long long)t, (long long)want);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *path, tb[21], hb[16], name[16];
	int64_t t, h;
	uint64_t u = 0;
	size_t i;

	s = malloc(size ? size : 1);
	memcpy(s, data, size);
	if (gha_time_parse(s, size, &t) == 0)
		check_time(s, size, t);
	if (gha_hour_parse(s, size, &h) == 0) {
		if (h < 0 || h % 3600 != 0)
			fz_fail("hour %lld is not an hour start",
			    (long long)h);
		gha_hour_format(h, hb);
		if (strlen(hb) != size || memcmp(hb, s, size) != 0) {
			fz_show("hour", s, size);
			fz_fail("hour name is not canonical: formats as %s",
			    hb);
		}
	}
	free(s);

	/* As a path (up to the first NUL). */
	path = malloc(size + 1);
	memcpy(path, data, size);
	path[size] = '\0';
	if (gha_hour_from_path(path, name) == 0) {
		if (gha_hour_parse(name, strlen(name), &h) != 0 ||
		    strstr(path, name) == NULL)
			fz_fail("gha_hour_from_path found %s in %s", name,
			    path);
	}
	free(path);

	/* Its first bytes as a time between 1970 and 9999. */
	for (i = 0; i < 8 && i < size; i++)
		u = u << 8 | data[i];
	t = (int64_t)(u % (uint64_t)T_MAX);
	gha_time_format(t, tb);
	if (strlen(tb) != 20 || gha_time_parse(tb, 20, &h) != 0 || h != t)
		fz_fail("%lld formats as %s, which does not parse back",
		    (long long)t, tb);
	t -= t % 3600;
	gha_hour_format(t, hb);
	if (gha_hour_parse(hb, strlen(hb), &h) != 0 || h != t)
		fz_fail("hour %lld formats as %s, which does not parse back",
		    (long long)t, hb);
	path = malloc(strlen(hb) + 16);
	sprintf(path, "d/%s.json%s", hb, (t / 3600) & 1 ? "" : ".gz");
	if (gha_hour_from_path(path, name) != 0 || strcmp(name, hb) != 0)
		fz_fail("gha_hour_from_path misses the hour in %s", path);
	free(path);
	return 0;
}
