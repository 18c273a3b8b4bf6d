/*
 * pool.h - lines in batches through worker threads, their results taken
 * back in input order.  Part of the private library (gha.h says what that
 * means); pool.c says how it works.
 */
#ifndef GHA_POOL_H
#define GHA_POOL_H

#include <stddef.h>

#include "gha.h"

#define GHA_POOL_MAXJOBS	64
#define GHA_POOL_LINES		4096	/* the most lines in a batch */

/*
 * A batch of consecutive lines of one input.  Line i is
 * base[off[i] .. off[i + 1] - 1), a '\n' after it; a line that was too
 * long has no text (off[i + 1] == off[i]) and islong[i] set.  priv holds
 * what the tool's work() makes of the lines, for its emit() to give out.
 */
struct gha_batch {
	char		*buf;		/* the lines, copied */
	size_t		 len, cap;
	const char	*base;		/* buf, or a line not copied */
	size_t		 n;		/* lines */
	size_t		*off;
	unsigned char	*islong;
	unsigned long long lineno;	/* of line 0 */
	void		*priv;
	int		 done;
};

struct gha_pool_ops {
	/* In a worker, with that worker's ctx: make b's results. */
	void	(*work)(void *ctx, struct gha_batch *b);
	/* In the reading thread, batch after batch in input order. */
	void	(*emit)(void *arg, struct gha_batch *b, struct gha_in *in);
	void	*(*newpriv)(void);	/* a batch's priv, or NULL */
	void	(*freepriv)(void *priv);
	void	*arg;
};

struct gha_pool;
struct gha_pool	*gha_pool_enew(int jobs, void **ctx,
		    const struct gha_pool_ops *ops);
int		 gha_pool_line(void *pool, struct gha_in *in, const char *line,
		    size_t n);
void		 gha_pool_drain(void *pool, struct gha_in *in);
void		 gha_pool_free(struct gha_pool *p);

void		 gha_batch_init(struct gha_batch *b);
void		 gha_batch_one(struct gha_batch *b, struct gha_in *in,
		    const char *line, size_t n);
void		 gha_batch_free(struct gha_batch *b);

#endif
