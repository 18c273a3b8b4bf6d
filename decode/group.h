/*
 * group.h - the --status records of an hour's copies (group.c).
 */
#ifndef GROUP_H
#define GROUP_H

#include <stdint.h>

struct gha_status;

/* What one input gave, for its --status record. */
struct group_input {
	const char	*name, *state;
	char		*cached;	/* allocated; the group frees it */
	unsigned long long lines, records, rejected;
	int64_t		 first, last;
	int		 seen;		/* first and last are known */
};

void	group_open(struct gha_status *st, int pass);
int	group_enter(const char *name);
void	group_add(struct group_input *in);
void	group_end(void);

#endif /* GROUP_H */
