/*
 * each.c - the one loop over the lines of an input that gha-decode,
 * gha-filter and gha-load share.
 *
 * Every tool reads an input the same way, and says the same things about
 * it: a line longer than the -L limit is rejected ("line longer than N
 * bytes (-L), skipped") and reading goes on; a read error or corrupt gzip
 * data ends the input, said once as "what (after line N)"; an input whose
 * first non-blank line opens a pretty-printed JSON document (one object
 * over many lines, gha_in_pretty) is refused in one message rather than
 * one per line of it.  The reports of bad lines are shared out by input
 * (gha_rej_file, gha_rej_eendfile), so a file of garbage is summed up in
 * a line at its end.  What a line means is the tool's business: the
 * driver hands each one to the tool's callback and returns how the input
 * ended, for the tool to count and to put in its --status record.
 *
 * Like reject.c it speaks for the tool on stderr (hence the e in its
 * name); it exits only where reject.c does.
 */
#include <stdlib.h>
#include <string.h>

#include "gha.h"

/* Spaces, tabs and carriage returns only (an empty line is blank). */
static int
blank(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		n--;
	}
	return n == 0;
}

/*
 * Read every line of in, handing each to e->line; returns GHA_EACH_OK
 * (read to the end), GHA_EACH_STOP (e->line asked to stop) or
 * GHA_EACH_DAMAGED (reported here).  e->lines counts the lines read,
 * whether handed on or rejected as too long.
 */
int
gha_each_eread(struct gha_in *in, struct gha_each *e)
{
	char err[GHA_ERRLEN];
	const char *line, *pretty = NULL;
	char *hold = NULL;
	size_t n;
	int r, ret = GHA_EACH_OK, started = !e->pretty;

	e->lines = 0;
	gha_rej_file(e->rej);
	for (;;) {
		r = gha_in_getline(in, &line, &n, err);
		if (r == GHA_IN_EOF)
			break;
		if (r == GHA_IN_ERR) {
			ret = GHA_EACH_DAMAGED;
			break;
		}
		if (r == GHA_IN_LONG) {
			e->lines++;
			if (e->passlong) {
				if (e->line(e->arg, in, NULL, 0) != 0) {
					ret = GHA_EACH_STOP;
					break;
				}
			} else
				gha_rej_elong(e->rej, gha_in_name(in),
				    gha_in_lineno(in), e->maxline);
			continue;
		}
		if (!started && !blank(line, n)) {
			started = 1;
			if ((pretty = gha_in_pretty(in, &line, n, &hold))) {
				free(hold);
				ret = GHA_EACH_DAMAGED;
				break;
			}
		}
		e->lines++;
		r = e->line(e->arg, in, line, n);
		free(hold);
		hold = NULL;
		if (r != 0) {
			ret = GHA_EACH_STOP;
			break;
		}
	}
	if (e->drain != NULL)
		e->drain(e->arg, in);
	if (pretty != NULL)
		gha_warnx("%s: %s", gha_in_name(in), pretty);
	else if (ret == GHA_EACH_DAMAGED)
		gha_warnx("%s (after line %llu)", err, gha_in_lineno(in));
	if (e->end != NULL)
		e->end(e->arg, in);
	gha_rej_eendfile(e->rej, gha_in_name(in));
	return ret;
}
