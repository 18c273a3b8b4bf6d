/*
 * worker.c - the thread a sink stores its batches in.
 *
 * Both sinks fill one batch while a thread stores the previous one, so
 * that the JSON scanning of main() and the database each get a core: the
 * hand-over is this small queue of one.  worker_give waits until the
 * thread is done with the batch before, then hands it the next one; so
 * the sink always has the other batch to fill, and at most two are ever
 * held.  The thread starts at the first batch (gha-load -H never starts
 * one).  A failed batch stops it: nothing more is handed over, and the
 * next give or wait tells the failure.  The sink's handle is used by one
 * thread at a time: by the worker while it stores, by the sink's caller
 * otherwise (worker_wait makes sure), the mutex ordering the hand-over.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "worker.h"

void
worker_init(struct worker *w, worker_fn store, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->store = store;
	w->arg = arg;
	atomic_init(&w->broke, 0);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
}

/* The thread: store each batch handed over, one at a time. */
static void *
run(void *arg)
{
	struct worker *w = arg;
	struct load_stats st;
	char err[GHA_ERRLEN];
	void *b;
	int r;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->todo == NULL && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if ((b = w->todo) == NULL)
			break;
		pthread_mutex_unlock(&w->mu);
		memset(&st, 0, sizeof(st));
		r = w->store(w->arg, b, &st, err);
		pthread_mutex_lock(&w->mu);
		if (r != 0) {
			w->failed = 1;
			atomic_store_explicit(&w->broke, 1,
			    memory_order_relaxed);
			memcpy(w->err, err, sizeof(w->err));
		} else {
			w->done.inserted += st.inserted;
			w->done.duplicates += st.duplicates;
			w->done.rejected += st.rejected;
		}
		w->todo = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	w->cpu = gha_clock(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

/* Wait, holding the lock, until the thread stores nothing. */
static void
idle(struct worker *w)
{
	while (w->todo != NULL)
		pthread_cond_wait(&w->cv, &w->mu);
}

/* Move the counts of the batches stored since the last time to *st. */
static void
collect(struct worker *w, struct load_stats *st)
{
	st->inserted += w->done.inserted;
	st->duplicates += w->done.duplicates;
	st->rejected += w->done.rejected;
	memset(&w->done, 0, sizeof(w->done));
}

/*
 * With the lock held: wait until the thread is idle, add what it stored
 * to *st; -1 + err when a batch failed.
 */
static int
settle(struct worker *w, struct load_stats *st, char *err)
{
	idle(w);
	collect(w, st);
	if (w->failed) {
		memcpy(err, w->err, GHA_ERRLEN);
		return -1;
	}
	return 0;
}

/*
 * Hand batch to the thread once it is done with the one before (started
 * at the first call), and add the counts of those stored to *st.  -1 +
 * err when a batch failed: batch is not taken.
 */
int
worker_give(struct worker *w, void *batch, struct load_stats *st, char *err)
{
	int r = 0;

	if (!w->started) {
		if ((errno = pthread_create(&w->tid, NULL, run, w)) != 0) {
			snprintf(err, GHA_ERRLEN, "cannot start a thread: %s",
			    strerror(errno));
			return -1;
		}
		w->started = 1;
	}
	pthread_mutex_lock(&w->mu);
	if ((r = settle(w, st, err)) == 0) {
		w->todo = batch;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return r;
}

/*
 * Wait until every batch handed over is stored, and add the counts of
 * those stored since the last call to *st.  -1 + err when one failed.
 */
int
worker_wait(struct worker *w, struct load_stats *st, char *err)
{
	int r = 0;

	pthread_mutex_lock(&w->mu);
	r = settle(w, st, err);
	pthread_mutex_unlock(&w->mu);
	return r;
}

/* Has a batch failed?  Cheap enough to ask for every record. */
int
worker_failed(struct worker *w)
{
	return atomic_load_explicit(&w->broke, memory_order_relaxed);
}

/*
 * Stop the thread once it has stored what it was handed; its CPU
 * seconds (0 when it never started).
 */
double
worker_stop(struct worker *w)
{
	if (w->started) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->tid, NULL);
		w->started = 0;
	}
	return w->cpu;
}

void
worker_free(struct worker *w)
{
	worker_stop(w);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}
