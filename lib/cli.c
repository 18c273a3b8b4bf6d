/*
 * cli.c - -h/--help and -V/--version, the same in every tool.
 *
 * They are looked for before the tool's own getopt loop, reading argv the
 * way getopt will (the tool's optstring and long options say which
 * options take an argument, so "-r -h" is a rejects file named -h, not a
 * request for help), and stop at "--", or at the first operand when the
 * optstring starts with '+'.  This is the one place a gha tool prints its
 * version.  Like gha_die, gha_cli_estd exits: it is main()'s helper.
 *
 * A letter means one thing in every gha tool (the table is in
 * doc/design.md); a letter a tool gave up for that is refused by
 * gha_cli_erenamed with the option that replaced it, so an old command
 * line stops with a pointer instead of doing something else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "cli.h"

/* Print the usage and the options. */
static void
help_print(FILE *fp, const struct gha_help *help)
{
	fputs(help->synopsis, fp);
	fputs("\n", fp);
	fputs(help->options, fp);
	fputs("  -h, --help     print this help and exit\n"
	    "  -V, --version  print the version and exit\n", fp);
}

static void
answer(const struct gha_help *help, int version)
{
	if (version)
		printf("%s %s\n", gha_progname, GHA_VERSION);
	else
		help_print(stdout, help);
	gha_eclose_stdout();
	exit(GHA_EX_OK);
}

/* Does the long option arg (after "--") take the next argv as its value? */
static int
long_takes_next(const char *arg, const struct option *lo)
{
	size_t n = strcspn(arg, "=");

	if (lo == NULL || arg[n] == '=')
		return 0;
	for (; lo->name != NULL; lo++)
		if (strlen(lo->name) == n && strncmp(lo->name, arg, n) == 0)
			return lo->has_arg == required_argument;
	return 0;
}

/*
 * Exit 0 after answering -h, --help, -V or --version when argv holds one
 * as an option; return otherwise, for getopt to read argv as usual.
 */
void
gha_cli_estd(int argc, char *argv[], const char *optstring,
    const struct option *longopts, const struct gha_help *help)
{
	const char *a, *p;
	int i, inorder = optstring[0] == '+';

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			return;
		if (a[0] != '-' || a[1] == '\0') {
			if (inorder)
				return;
			continue;
		}
		if (a[1] == '-') {
			if (strcmp(a, "--help") == 0)
				answer(help, 0);
			if (strcmp(a, "--version") == 0)
				answer(help, 1);
			if (long_takes_next(a + 2, longopts))
				i++;
			continue;
		}
		for (a++; *a != '\0'; a++) {
			if (*a == 'h' || *a == 'V')
				answer(help, *a == 'V');
			if (*a == ':' || (p = strchr(optstring, *a)) == NULL ||
			    p[1] != ':')
				continue;
			if (a[1] == '\0')
				i++;	/* the argument is the next argv */
			break;
		}
	}
}

/*
 * Exit 2 with the new spelling when ch is one of the renamed letters (a
 * table ending in { 0, NULL }); return otherwise.  Called first thing for
 * every option getopt returns.
 */
void
gha_cli_erenamed(int ch, const struct gha_renamed *renamed,
    const struct gha_help *help)
{
	for (; renamed->ch != 0; renamed++) {
		if (renamed->ch != ch)
			continue;
		gha_warnx("-%c is now %s", ch, renamed->now);
		gha_cli_eusage(help, GHA_EX_USAGE);
	}
}

/* Bad usage: the synopsis on stderr, exit status (GHA_EX_USAGE mostly). */
void
gha_cli_eusage(const struct gha_help *help, int status)
{
	fprintf(stderr, "%s\n", help->synopsis);
	exit(status);
}
