/*
 * gzfloor - inflate gzip files and drop the bytes: the floor of any tool
 * that reads them, for bench/sec-30-e2e.sh.  It is the check gha-fetch
 * runs (lib/gzcheck.c: every member inflated, its CRC and length checked)
 * with nothing else, through the inflater the build chose (isa-l's igzip,
 * or zlib with ISAL=0).  Prints the bytes inflated; exits 1 when a file
 * is not good gzip.  Test and bench use only: never installed.
 *
 * usage: gzfloor file ...
 */
#include <stdio.h>

#include "gha.h"

int
main(int argc, char *argv[])
{
	char err[GHA_ERRLEN];
	unsigned long long n, total = 0;
	int i, rc = 0;

	gha_setprogname(argv[0]);
	for (i = 1; i < argc; i++) {
		if (gha_gz_check(argv[i], &n, err) != 0) {
			gha_warnx("%s", err);
			rc = 1;
			continue;
		}
		total += n;
	}
	printf("%llu\n", total);
	return rc;
}
