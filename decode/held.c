/*
 * held.c - the records of an unproven download, held back until it is
 * proven.
 *
 * gha-fetch --defer-check leaves the gzip check of what it downloads to
 * gha-decode, which inflates every byte anyway: such a file comes as
 * DIR/.YYYY-MM-DD-H.json.gz.unproven-XXXXXX.  Its records go to an
 * unlinked temporary file (lib/tmpfile.c, in $TMPDIR) instead of stdout.
 * When the whole file proved good (gha_in_whole), main.c renames it into
 * the cache and a thread of its own copies the held records to stdout
 * while the next input is decoded (its status record waits for the copy):
 * the next stage waits one file, not one file per file.  A damaged
 * download gives nothing: its held records are dropped with the
 * temporary file.  At most one copy runs at a time, and nothing else is
 * written to stdout or to the status file while it does (held_wait), so
 * records and status records keep the input's order.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "held.h"

static struct {
	pthread_t	 thread;
	int		 running;
	FILE		*fp;
} rel;

/* A new place to hold records in: an unlinked temporary file. */
FILE *
held_open(void)
{
	char err[GHA_ERRLEN];
	FILE *fp;
	int fd;

	if ((fd = gha_tmpfd(err)) < 0)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	if ((fp = fdopen(fd, "w+")) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s/%s.*: %s", gha_tmpdir(),
		    gha_progname, strerror(errno));
	return fp;
}

/* Append b's bytes to fp, a file held_open made, and empty b. */
void
held_ewrite(FILE *fp, struct gha_buf *b)
{
	if (b->n > 0 && fwrite(b->p, 1, b->n, fp) != b->n)
		gha_die(GHA_EX_OUTPUT, "%s/%s.*: write error: %s",
		    gha_tmpdir(), gha_progname, strerror(errno));
	b->n = 0;
}

static void
held_efflush(FILE *fp)
{
	if (fflush(fp) != 0 || ferror(fp))
		gha_die(GHA_EX_OUTPUT, "%s/%s.*: write error: %s",
		    gha_tmpdir(), gha_progname, strerror(errno));
}

/* The copying thread: the held records to stdout. */
static void *
copier(void *unused)
{
	static char buf[256 << 10];
	size_t n;

	(void)unused;
	while ((n = fread(buf, 1, sizeof(buf), rel.fp)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			gha_die(GHA_EX_OUTPUT, "<stdout>: write error: %s",
			    strerror(errno));
	if (ferror(rel.fp))
		gha_die(GHA_EX_OUTPUT, "%s/%s.*: read error: %s",
		    gha_tmpdir(), gha_progname, strerror(errno));
	gha_efflush(stdout, "<stdout>");
	fclose(rel.fp);
	return NULL;
}

/* Wait for the copy in progress, if any. */
void
held_wait(void)
{
	if (!rel.running)
		return;
	pthread_join(rel.thread, NULL);
	rel.running = 0;
}

/*
 * The file proved good: copy what fp holds to stdout after everything
 * written before, in a thread when one starts, else here.
 */
void
held_release(FILE *fp)
{
	held_efflush(fp);
	rewind(fp);
	held_wait();
	gha_efflush(stdout, "<stdout>");
	rel.fp = fp;
	if (pthread_create(&rel.thread, NULL, copier, NULL) == 0)
		rel.running = 1;
	else
		copier(NULL);
}

/* The file was damaged: what fp holds goes nowhere. */
void
held_drop(FILE *fp)
{
	fclose(fp);
}
