/*
 * bots.h - which logins are machine accounts (bots.c).
 */
#ifndef GHA_BOTS_H
#define GHA_BOTS_H

#include <stddef.h>

/* A set of lower-cased logins, sorted, without repeats. */
struct gha_bots {
	char	**v;
	size_t	  n, cap;
	char	  src[256];	/* where it came from, for messages */
};

int	 gha_bots_load(struct gha_bots *b, char *err);
void	 gha_bots_add(struct gha_bots *b, const char *s, size_t n);
void	 gha_bots_done(struct gha_bots *b);
int	 gha_bots_is(const struct gha_bots *b, const char *s, size_t n);
void	 gha_bots_free(struct gha_bots *b);

#endif
