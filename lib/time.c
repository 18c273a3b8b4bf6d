/*
 * time.c - timestamps and archive hour names, always UTC.
 *
 * The archive names an hour YYYY-MM-DD-H with the hour NOT zero-padded
 * (crawler strftime "%Y-%m-%d-%-k").  Event times are ISO 8601: "...Z" since
 * 2015, with a US-Pacific offset ("-07:00") in the 2011-2014 timeline era.
 * Everything is converted to seconds since the epoch with civil-calendar
 * arithmetic, never with the process's time zone.
 */
#include <string.h>

#include "gha.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
mdays(int y, unsigned m)
{
	static const unsigned char n[] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* Read exactly n digits at *s. */
static int
digits(const char **s, const char *end, int n, int *v)
{
	int x = 0;

	if (end - *s < n)
		return -1;
	while (n-- > 0) {
		if (**s < '0' || **s > '9')
			return -1;
		x = x * 10 + (*(*s)++ - '0');
	}
	*v = x;
	return 0;
}

/*
 * Parse an ISO 8601 time "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"
 * into seconds since the epoch.  '/' is accepted between the date parts
 * and ' ' before the time, as seen in hand-edited 2012 copies; the
 * fraction (at most 9 digits, so that every time fits in the 64-byte
 * buffers callers unescape created_at into) is dropped.  Returns 0, or -1
 * when it is not such a time.
 */
int
gha_time_parse(const char *s, size_t n, int64_t *epoch)
{
	const char *end = s + n, *frac;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	char sep;

	if (digits(&s, end, 4, &y) || s == end)
		return -1;
	sep = *s;
	if ((sep != '-' && sep != '/') || (s++, digits(&s, end, 2, &mo)) ||
	    s == end || *s++ != sep || digits(&s, end, 2, &d) || s == end ||
	    (*s != 'T' && *s != ' ') || (s++, digits(&s, end, 2, &h)) ||
	    s == end || *s++ != ':' || digits(&s, end, 2, &mi) || s == end ||
	    *s++ != ':' || digits(&s, end, 2, &sec))
		return -1;
	if (s < end && *s == '.') {
		frac = ++s;
		if (s == end || *s < '0' || *s > '9')
			return -1;
		while (s < end && *s >= '0' && *s <= '9')
			s++;
		if (s - frac > 9)
			return -1;
	}
	if (s < end && *s == 'Z')
		s++;
	else if (s < end && (*s == '+' || *s == '-')) {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, end, 2, &oh))
			return -1;
		if (s < end && *s == ':')
			s++;
		if (digits(&s, end, 2, &om) || oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (s != end || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	/* All fields are range-checked above: the int arithmetic is exact. */
	*epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - sign * (oh * 3600 + om * 60);
	return 0;
}

/* Format seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ". */
void
gha_time_format(int64_t t, char buf[21])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t r = t - days * 86400;
	unsigned m, d;
	int y;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	/*
	 * The fixed widths keep this within 20 characters and a NUL; every
	 * digit is 0-9 by construction, so the narrowing to char is exact.
	 */
	buf[0] = '0' + y / 1000; buf[1] = '0' + y / 100 % 10;
	buf[2] = '0' + y / 10 % 10; buf[3] = '0' + y % 10; buf[4] = '-';
	buf[5] = '0' + m / 10; buf[6] = '0' + m % 10; buf[7] = '-';
	buf[8] = '0' + d / 10; buf[9] = '0' + d % 10; buf[10] = 'T';
	buf[11] = '0' + (int)(r / 36000); buf[12] = '0' + (int)(r / 3600 % 10);
	buf[13] = ':';
	buf[14] = '0' + (int)(r % 3600 / 600); buf[15] = '0' + (int)(r / 60 % 10);
	buf[16] = ':';
	buf[17] = '0' + (int)(r % 60 / 10); buf[18] = '0' + (int)(r % 10);
	buf[19] = 'Z'; buf[20] = '\0';
}

/*
 * Parse an archive hour name "YYYY-MM-DD-H" (H from 0 to 23, not padded)
 * into the epoch second at which that UTC hour starts.
 */
int
gha_hour_parse(const char *s, size_t n, int64_t *hour)
{
	const char *end = s + n;
	int y, mo, d, h;

	if (digits(&s, end, 4, &y) || s == end || *s++ != '-' ||
	    digits(&s, end, 2, &mo) || s == end || *s++ != '-' ||
	    digits(&s, end, 2, &d) || s == end || *s++ != '-' || s == end)
		return -1;
	if (end - s == 1 && digits(&s, end, 1, &h) == 0)
		;
	else if (end - s == 2 && *s != '0' && digits(&s, end, 2, &h) == 0)
		;
	else
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) ||
	    h > 23)
		return -1;
	*hour = days_from_civil(y, mo, d) * 86400 + h * 3600;
	return 0;
}

/* Format an hour's start as the archive names it, "YYYY-MM-DD-H". */
void
gha_hour_format(int64_t hour, char buf[16])
{
	char t[21];
	int h;

	gha_time_format(hour, t);
	h = (t[11] - '0') * 10 + (t[12] - '0');
	memcpy(buf, t, 10);
	buf[10] = '-';
	if (h >= 10) {
		buf[11] = t[11];
		buf[12] = t[12];
		buf[13] = '\0';
	} else {
		buf[11] = t[12];
		buf[12] = '\0';
	}
}

/*
 * An unproven download (gha-fetch --defer-check) is named
 * DIR/.YYYY-MM-DD-H.json.gz.unproven-XXXXXX (mkstemp's six characters):
 * its base name, with the hour's length in *hourlen, or NULL when path
 * is not one.
 */
static const char *
unproven_base(const char *path, size_t *hourlen)
{
	static const char suf[] = ".json.gz" GHA_UNPROVEN;
	const char *base = strrchr(path, '/'), *p;
	int64_t h;

	base = base ? base + 1 : path;
	if (base[0] != '.' || (p = strstr(base + 1, suf)) == NULL ||
	    strlen(p) != sizeof(suf) - 1 + 6 ||
	    gha_hour_parse(base + 1, (size_t)(p - base - 1), &h) != 0)
		return NULL;
	*hourlen = (size_t)(p - base - 1);
	return base;
}

/*
 * The cache name an unproven download takes once proven (the same folder,
 * YYYY-MM-DD-H.json.gz), allocated; NULL when path is not one.
 */
char *
gha_unproven_final(const char *path)
{
	const char *base;
	size_t dirlen, n;
	char *f;

	if ((base = unproven_base(path, &n)) == NULL)
		return NULL;
	dirlen = (size_t)(base - path);
	f = gha_emalloc(dirlen + n + sizeof(".json.gz"));
	memcpy(f, path, dirlen);
	memcpy(f + dirlen, base + 1, n);
	memcpy(f + dirlen + n, ".json.gz", sizeof(".json.gz"));
	return f;
}

/*
 * When the base name of path has the archive's form YYYY-MM-DD-H.json.gz
 * (or .json, or is an unproven download of such a file), write the hour
 * name to buf and return 0; else return -1.
 */
int
gha_hour_from_path(const char *path, char buf[16])
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n;
	int64_t h;

	if ((base = unproven_base(path, &n)) != NULL) {
		memcpy(buf, base + 1, n);
		buf[n] = '\0';
		return 0;
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if ((dot = strstr(base, ".json")) == NULL ||
	    (strcmp(dot, ".json.gz") != 0 && strcmp(dot, ".json") != 0))
		return -1;
	if (gha_hour_parse(base, (size_t)(dot - base), &h) != 0)
		return -1;
	memcpy(buf, base, (size_t)(dot - base));
	buf[dot - base] = '\0';
	return 0;
}
