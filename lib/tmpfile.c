/*
 * tmpfile.c - unlinked temporary files, for data too big to keep in
 * memory.
 *
 * gha-load spills to them in two places: the rows of a ClickHouse batch
 * waiting to be sent, and the tuples of an SQLite day being rolled up.
 * The file is made in $TMPDIR (default /tmp) under the program's name and
 * unlinked at once: it has no name anyone else could open, and it is gone
 * when its descriptor is closed or the process dies, whatever way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"

/* The folder temporary files go into: $TMPDIR, or /tmp. */
const char *
gha_tmpdir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir == NULL || *dir == '\0' ? "/tmp" : dir;
}

/*
 * A new unlinked temporary file open for reading and writing, or -1 with
 * errno set and err = "PATH: why" (the name it tried).
 */
int
gha_tmpfd(char *err)
{
	char path[4096];
	int fd, e;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.XXXXXX", gha_tmpdir(),
	    gha_progname) >= sizeof(path)) {
		snprintf(err, GHA_ERRLEN, "%.200s...: %s", path,
		    strerror(ENAMETOOLONG));
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(path)) < 0) {
		e = errno;
		snprintf(err, GHA_ERRLEN, "%.200s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	unlink(path);	/* gone with us, whatever happens */
	return fd;
}
