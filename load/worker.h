/*
 * worker.h - a thread that stores the batches a sink hands it (worker.c).
 */
#ifndef GHA_WORKER_H
#define GHA_WORKER_H

#include <pthread.h>
#include <stdatomic.h>

#include "sink.h"

/* Store one batch; its counts go to *st.  0, or -1 + err. */
typedef int	(*worker_fn)(void *arg, void *batch, struct load_stats *st,
		    char *err);

struct worker {
	worker_fn	 store;
	void		*arg;
	pthread_t	 tid;
	int		 started, quit, failed;
	atomic_int	 broke;		/* failed, read without the lock */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	void		*todo;		/* handed over, being stored */
	char		 err[GHA_ERRLEN];	/* why it failed */
	struct load_stats done;		/* stored, not yet collected */
	double		 cpu;		/* the thread's CPU seconds, at exit */
};

void	worker_init(struct worker *w, worker_fn store, void *arg);
int	worker_give(struct worker *w, void *batch, struct load_stats *st,
	    char *err);
int	worker_wait(struct worker *w, struct load_stats *st, char *err);
int	worker_failed(struct worker *w);
double	worker_stop(struct worker *w);
void	worker_free(struct worker *w);

#endif
