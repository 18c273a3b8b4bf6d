/*
 * cli.h - the options every gha tool answers the same way.
 *
 * Part of the private library (gha.h says what that means).  -h and
 * --help print the usage and a line per option on stdout, -V and
 * --version the program's name and GHA_VERSION (config.mk's VERSION);
 * each exits 0.  gha_cli_estd runs before a tool's getopt loop, so a tool
 * adds or changes its own options, short or long, without touching these.
 */
#ifndef GHA_CLI_H
#define GHA_CLI_H

#include <getopt.h>

struct gha_help {
	const char	*synopsis;	/* "usage: ..." as in the man page */
	const char	*options;	/* a line per option, indented */
};

/*
 * A letter a tool no longer takes because another tool gives it another
 * meaning: it stays in the optstring (so its argument is read as before)
 * and is refused with its new spelling, never reread as something else.
 */
struct gha_renamed {
	int		 ch;		/* the old letter */
	const char	*now;		/* its spelling today: "--retries" */
};

void	gha_cli_estd(int argc, char *argv[], const char *optstring,
	    const struct option *longopts, const struct gha_help *help);
void	gha_cli_eusage(const struct gha_help *help, int status);
void	gha_cli_erenamed(int ch, const struct gha_renamed *renamed,
	    const struct gha_help *help);

#endif
