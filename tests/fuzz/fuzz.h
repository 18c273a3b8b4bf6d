/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share.
 *
 * A target finds a bug by dying: a sanitizer report, or fz_fail(), which
 * prints what disagreed and calls abort() so that libFuzzer keeps the
 * input as a crash file.  Nothing here is part of libgha.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_fail(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2), unused));

/* Report a disagreement and die so that libFuzzer saves the input. */
static void
fz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Print at most 300 bytes of p[0..n) for a report, escaped. */
static void __attribute__((unused))
fz_show(const char *what, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	fprintf(stderr, "fuzz: %s (%zu bytes): ", what, n);
	for (i = 0; i < n && i < 300; i++)
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			fputc(s[i], stderr);
		else
			fprintf(stderr, "\\x%02x", s[i]);
	fputs(i < n ? "...\n" : "\n", stderr);
}

#endif /* FUZZ_H */
