/*
 * fetch.h - what the parts of gha-fetch share: the SPEC parser (spec.c),
 * the plan of hours and the sources (plan.c), one HTTP transfer into the
 * cache (xfer.c) and the scheduler of the transfers (sched.c); main.c
 * reads the command line.
 */
#ifndef FETCH_H
#define FETCH_H

#include <stdint.h>
#include <curl/curl.h>

#include "gha.h"

/* spec.c - SPEC to an inclusive range of hour starts (epoch seconds) */
int	 fetch_spec_parse(const char *s, int64_t now, int64_t *first,
	    int64_t *last, char *err);

/* Where an hour stands; the last three are final. */
enum fetch_state {
	FS_QUEUED,		/* waiting for a transfer (or its next try) */
	FS_RUNNING,		/* a transfer is on it */
	FS_OK,			/* verified file under its final name */
	FS_UNAVAIL,		/* 404 or not yet ended: no file */
	FS_FAILED,		/* retries or verification exhausted */
};

/* What the outcome of one attempt asks the scheduler to do. */
enum fetch_outcome {
	FO_OK,			/* verified and renamed (or 304: still good) */
	FO_UNAVAIL,		/* 404 / 410 */
	FO_RETRY,		/* transient: back off and try again */
	FO_FAILED,		/* permanent: give up on this hour */
};

struct fetch_opt {
	const char	*base;		/* base URL, no trailing '/' */
	const char	*dir;		/* cache folder */
	curl_off_t	 maxspeed;	/* bytes/s per transfer, 0: no cap */
	long		 stall;		/* seconds without a byte: failure */
	int		 revalidate;	/* -R */
	int		 defer;		/* --defer-check */
};

struct fetch_xfer {
	CURL		*h;
	int		 slot;		/* ring index of the hour */
	int		 src;		/* index of its source */
	int64_t		 hour;
	char		 name[16];	/* YYYY-MM-DD-H */
	char		*url, *final, *part, *etagpath;
	int		 fd;		/* the temporary file */
	int		 shared;	/* part is the resumable .part file */
	curl_off_t	 offset;	/* bytes already in part at start */
	int		 revalidating;	/* a conditional request */
	int		 body;		/* the body has started */
	int		 keep;		/* body goes to the file */
	int		 badrange;	/* 206 for another range */
	int		 werr;		/* errno of a failed write */
	long		 code;		/* HTTP status */
	unsigned long long got;		/* body bytes written this attempt */
	long		 retry_after;	/* seconds, from Retry-After */
	long		 stall;		/* ms without a byte: give up */
	int64_t		 last;		/* ms (monotonic) of the last byte */
	int		 stalled;	/* stopped for want of bytes */
	int		 corrupt;	/* the body failed verification */
	int		 committed;	/* a new body is in the cache */
	int		 defer;		/* --defer-check: no gzip check here */
	char		*unproven;	/* deferred: the body's name, for the
					   caller to take (free) */
	struct gha_in	*ck;		/* the gzip check, fed the body */
	unsigned long long ckfed;	/* bytes of the file it has seen */
	int		 ckbad;		/* it failed: ckerr */
	char		 ckerr[GHA_ERRLEN];
	struct curl_slist *hdrs;
	char		 cerr[CURL_ERROR_SIZE];
};

/* xfer.c */
int64_t	 fetch_now_ms(void);
extern unsigned long long fetch_bytes;	/* body bytes received, all hours */
char	*fetch_path(const char *dir, const char *pre, const char *name,
	    const char *suf);
int	 fetch_xfer_start(struct fetch_xfer *x, const struct fetch_opt *o,
	    const char *ua, char *err);
int	 fetch_xfer_finish(struct fetch_xfer *x, CURLcode rc, char *err);
void	 fetch_xfer_abort(struct fetch_xfer *x);
void	 fetch_xfer_free(struct fetch_xfer *x);

/* plan.c: the SPECs' hours, merged, in time order; the cache folder. */
struct fetch_range {
	int64_t		 first, last;	/* hours, epoch seconds, inclusive */
};

struct fetch_plan {
	struct fetch_range *r;		/* the ranges, merged */
	size_t		 n, i;		/* i: the range of the next hour */
	int64_t		 next;		/* the next hour */
	unsigned long long total;	/* hours over all ranges */
};

/*
 * A source: an archive in GH Archive's layout (BASE/YYYY-MM-DD-H.json.gz)
 * with a name and a cache folder of its own (plan.c, fetch_sources).
 */
#define FETCH_MAXSRC	8
#define FETCH_NAMELEN	32

struct fetch_src {
	char		 name[FETCH_NAMELEN + 1];
	struct fetch_opt o;		/* its base URL and cache folder */
};

void	 fetch_plan_merge(struct fetch_plan *p);
int	 fetch_plan_next(struct fetch_plan *p, int64_t *h);
void	 fetch_plan_print(struct fetch_plan *p, const struct fetch_src *src,
	    int nsrc, int64_t now);
char	*fetch_cache_dir(const char *d);
int	 fetch_mkdirs(const char *path);
int	 fetch_source_add(struct fetch_src *src, int *nsrc, const char *arg,
	    char *err);
int	 fetch_source_list(struct fetch_src *src, int *nsrc, const char *list,
	    char *err);
void	 fetch_source_dirs(struct fetch_src *src, int nsrc,
	    const struct fetch_opt *shared);

/* sched.c: what main.c asks of a run over the hours of a plan. */
struct fetch_run {
	int		 stream;	/* --cat */
	int		 quiet;		/* -q */
	long		 jobs;		/* -j, transfers at once per source */
	long		 retries;	/* --retries */
	long		 wait;		/* --retry-wait, ms */
	int64_t		 now;		/* wall clock or GHA_NOW, seconds */
	struct gha_status *status;	/* --status */
	const char	*ua;		/* the User-Agent */
	struct fetch_plan plan;		/* the hours asked for */
	struct fetch_src src[FETCH_MAXSRC];
	int		 nsrc;
};

int	 fetch_run(struct fetch_run *r);

#endif /* FETCH_H */
