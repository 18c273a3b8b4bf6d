/*
 * util.c - messages, allocation that cannot fail, number parsing.
 *
 * The gha_e* helpers here exit, and gha_die() does (sbase's
 * emalloc/eprintf): running out of memory is not an error a tool can
 * recover from, so every caller would only exit anyway.  It has a status
 * of its own, GHA_EX_NOMEM, so that a script can tell a machine short of
 * memory from bad input or a failed write, and try again later.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"

const char *gha_progname = "gha";

/* Remember the program's name (its basename) for messages. */
void
gha_setprogname(const char *argv0)
{
	const char *s;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	s = strrchr(argv0, '/');
	gha_progname = s ? s + 1 : argv0;
}

/*
 * Every message is one line: control characters that came from the
 * outside (a file name or SPEC holding a newline, say) are shown escaped,
 * so they can neither split a message nor forge a line in a log.
 */
void
gha_vwarnx(const char *fmt, va_list ap)
{
	char buf[1024];
	const unsigned char *p;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "%s: ", gha_progname);
	for (p = (const unsigned char *)buf; *p != '\0'; p++) {
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\t')
			fputs("\\t", stderr);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
}

/* Print "prog: message" on stderr. */
void
gha_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gha_vwarnx(fmt, ap);
	va_end(ap);
}

/* Print "prog: message" on stderr and exit with status. */
void
gha_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gha_vwarnx(fmt, ap);
	va_end(ap);
	exit(status);
}

/* Out of memory, wanting n bytes: the one message and status for it. */
static void
nomem(size_t n)
{
	gha_die(GHA_EX_NOMEM, "out of memory (%zu bytes wanted)", n);
}

/* malloc, exiting with GHA_EX_NOMEM when it fails. */
void *
gha_emalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		nomem(n);
	return p;
}

/* calloc, exiting with GHA_EX_NOMEM when it fails or nmemb*size overflows. */
void *
gha_ecalloc(size_t nmemb, size_t size)
{
	void *p;

	if ((p = calloc(nmemb ? nmemb : 1, size ? size : 1)) == NULL)
		nomem(size != 0 && nmemb > SIZE_MAX / size ? SIZE_MAX :
		    nmemb * size);
	return p;
}

/* realloc, exiting with GHA_EX_NOMEM when it fails (p is then lost). */
void *
gha_erealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		nomem(n);
	return p;
}

char *
gha_estrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(gha_emalloc(n), s, n);
}

/*
 * Parse a whole decimal number within [min, max] (OpenBSD strtonum, but
 * returning 0 on success and -1 on any error).
 */
int
gha_strtonum(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Parse a size such as 16M, 512K, 1G or 4096 (bytes). */
int
gha_parse_size(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v, mul = 1;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (*end != '\0' || (v != 0 && mul > ULLONG_MAX / v))
		return -1;
	*out = v * mul;
	return 0;
}

/*
 * Parse the -L argument every tool shares: the longest line accepted,
 * from 1K to 1G.  Returns 0, or -1 with err saying what is wanted.
 */
int
gha_parse_maxline(const char *s, size_t *out, char *err)
{
	unsigned long long v;

	if (gha_parse_size(s, &v) != 0 || v < 1024 || v > (1ULL << 30)) {
		snprintf(err, GHA_ERRLEN, "-L: want a size from 1K to 1G: %s",
		    s);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/* Flush a stream and exit loudly if any write to it was lost. */
void
gha_efflush(FILE *fp, const char *name)
{
	if (fflush(fp) == EOF || ferror(fp))
		gha_die(GHA_EX_OUTPUT, "%s: write error: %s", name,
		    strerror(errno ? errno : EIO));
}

/*
 * Close stdout at exit and fail loudly when a write was lost: a full disk
 * must never look like success (sbase, jq).
 */
void
gha_eclose_stdout(void)
{
	if (ferror(stdout) || fclose(stdout) == EOF)
		gha_die(GHA_EX_OUTPUT, "<stdout>: write error: %s",
		    strerror(errno ? errno : EIO));
}

/* one or many, as n is 1 or not: "1 file", "2 files" in messages. */
const char *
gha_plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Clock c in seconds (0 if it cannot be read): wall time or CPU time. */
double
gha_clock(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
