/*
 * commits.h - gha-fetch --commits: the commit counts of slim pushes.
 *
 * commits.c reads the push records, orders them, keeps the results'
 * cache and writes the resolution records; git.c counts with a local
 * bare clone; github.c asks the compare endpoint of the GitHub REST API.
 * The rules every source follows are at the top of commits.c.
 */
#ifndef COMMITS_H
#define COMMITS_H

#include <stdint.h>

#include "gha.h"

#define CM_ZERO	"0000000000000000000000000000000000000000"

/* One push to resolve. */
struct cm_push {
	char		*repo;		/* owner/name */
	char		*login;		/* the actor, for the order */
	char		*ref;		/* refs/heads/..., or NULL */
	int64_t		 push_id;
	int64_t		 created;	/* epoch seconds */
	char		 before[41], head[41];
	int		 single;	/* the actor's only push that day */
	int		 done;		/* cached or resolved now */
};

/* What a source says of one push. */
enum cm_answer {
	CM_COUNT,	/* *n commits */
	CM_GONE,	/* the repository or the commits are gone: for good */
	CM_CANNOT,	/* this source cannot tell; another may */
	CM_FAILED,	/* failed after retries: try again next run */
	CM_LIMIT,	/* the rate limit: no more requests this run */
	CM_BUDGET,	/* the request budget is spent */
};

struct cm_opt {
	const char	*dir;		/* the cache folder */
	const char	*api;		/* API base URL, no trailing '/' */
	const char	*git;		/* git base URL, no trailing '/' */
	char		*token;		/* read from GHA_GITHUB_TOKEN_FILE */
	long		 budget;	/* API requests this run, -1: no cap */
	long		 retries, wait;	/* --retries, --retry-wait (ms) */
	long		 stall;		/* --timeout, seconds */
	int		 use_git, use_api;	/* --via */
	int		 quiet;
	const char	*ua;
};

/* git.c */
int	cm_git_count(const struct cm_opt *o, const struct cm_push *p,
	    int64_t *n, char *err);
void	cm_git_done(void);

/* github.c */
int	cm_api_start(const struct cm_opt *o, char *err);
int	cm_api_count(const struct cm_opt *o, const struct cm_push *p,
	    int64_t *n, char *err);
long	cm_api_requests(void);
int64_t	cm_api_reset(void);
void	cm_api_done(void);

/* commits.c: the mode, from main.c */
struct cm_scope {
	char		**globs;	/* --repo, fnmatch(3), any case */
	char		**orgs;		/* --org, the owner, any case */
	char		**names;	/* --repo-list's lines */
	size_t		 nglobs, norgs, nnames;
};

int	cm_setup(struct cm_opt *o, const char *via, char *err);
int	cm_scope_list(struct cm_scope *sc, const char *path, char *err);
int	cm_run(struct cm_opt *o, const struct cm_scope *sc,
	    struct gha_status *status);

int	cm_main(struct cm_opt *co, struct cm_scope *scope, const char *via,
	    const char *status_path);

#endif /* COMMITS_H */
