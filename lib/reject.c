/*
 * reject.c - the one way every tool reports bad input (doc/design.md, "Conventions every tool keeps").
 *
 * A bad line is reported on stderr as "prog: FILE:LINE: why", counted,
 * and kept, as it was read, in the reject file when the user asked for
 * one.  At most GHA_REJ_SHOWN lines of one input file are reported one by
 * one; the rest are summed up in one line when the file ends, so a file of
 * garbage cannot flood a terminal, while the count stays exact.
 *
 * Like gha_warnx these functions speak for the tool (they are its voice
 * for bad data, not library logic), and they exit when the reject file
 * cannot be written (hence the e in their names): silently losing the
 * rejected lines would break the promise that nothing vanishes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"

/* Open the reject file path (NULL: none) for r; quiet silences reports. */
void
gha_rej_eopen(struct gha_rejects *r, const char *path, int quiet)
{
	memset(r, 0, sizeof(*r));
	r->quiet = quiet;
	if (path == NULL)
		return;
	r->name = path;
	if ((r->fp = fopen(path, "w")) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s: %s", path, strerror(errno));
}

/* A new input file starts: its own count of reported lines. */
void
gha_rej_file(struct gha_rejects *r)
{
	r->infile = 0;
}

/*
 * Count one bad line and keep line[0..n) aside, without reporting it: for
 * a caller that sums such lines up itself (gha-load, a file of raw
 * events).  line may be NULL when there is nothing to keep.
 */
void
gha_rej_ekeep(struct gha_rejects *r, const char *line, size_t n)
{
	r->total++;
	if (r->fp != NULL && line != NULL) {
		fwrite(line, 1, n, r->fp);
		putc('\n', r->fp);
		if (ferror(r->fp))
			gha_die(GHA_EX_OUTPUT, "%s: write error: %s", r->name,
			    strerror(errno));
	}
}

/*
 * Report one bad line of file (line number lineno) and keep line[0..n)
 * aside; line may be NULL when there is nothing to keep (a line skipped
 * for its length, NUL bytes).
 */
void
gha_rej_eadd(struct gha_rejects *r, const char *file,
    unsigned long long lineno, const char *line, size_t n, const char *why)
{
	if (!r->quiet && ++r->infile <= GHA_REJ_SHOWN)
		gha_warnx("%s:%llu: %s", file, lineno, why);
	gha_rej_ekeep(r, line, n);
}

/*
 * Report line lineno of file, skipped whole for being longer than maxline
 * (the -L limit of every tool): there is nothing of it to keep.
 */
void
gha_rej_elong(struct gha_rejects *r, const char *file,
    unsigned long long lineno, size_t maxline)
{
	char why[GHA_ERRLEN];

	snprintf(why, sizeof(why), "line longer than %zu bytes (-L), skipped",
	    maxline);
	gha_rej_eadd(r, file, lineno, NULL, 0, why);
}

/* The input file ends: sum up the reports that were not shown. */
void
gha_rej_eendfile(struct gha_rejects *r, const char *file)
{
	if (!r->quiet && r->infile > GHA_REJ_SHOWN)
		gha_warnx("%s: %llu more rejected %s not shown", file,
		    r->infile - GHA_REJ_SHOWN, gha_plural(r->infile -
		    GHA_REJ_SHOWN, "line", "lines"));
	r->infile = 0;
}

/* Close the reject file; exit if any of it was lost. */
void
gha_rej_eclose(struct gha_rejects *r)
{
	if (r->fp != NULL && fclose(r->fp) == EOF)
		gha_die(GHA_EX_OUTPUT, "%s: write error: %s", r->name,
		    strerror(errno));
	r->fp = NULL;
}
