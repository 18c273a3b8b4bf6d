/*
 * filter.h - gha-filter's predicates, projection and de-duplication set.
 *
 * pred.c compiles the command line's predicates into one gha_json_extract
 * field list, so that each input line is scanned (and validated) exactly
 * once, then tests the token spans it hands back.  dedup.c is a compact
 * set of 64-bit hashes of (id, created_at).  Neither prints nor exits;
 * errors come back in an err buffer of GHA_ERRLEN bytes.
 */
#ifndef FILTER_H
#define FILTER_H

#include <stdint.h>

#include "gha.h"

/* What a glob list (-a, -o, -r) is matched against. */
enum { FLT_ACTOR, FLT_ORG, FLT_REPO };

struct flt;

struct flt	*flt_new(int icase);
int		 flt_types(struct flt *f, const char *list, int negate,
		    char *err);
int		 flt_globs(struct flt *f, int what, const char *list,
		    char *err);
int		 flt_bots(struct flt *f, int want, char *err);
int		 flt_window(struct flt *f, int until, const char *when,
		    char *err);
int		 flt_expr(struct flt *f, const char *expr, char *err);
int		 flt_type_check(const char *s, size_t n, char *err);
int		 flt_project(struct flt *f, const char *list, char *err);
void		 flt_want_key(struct flt *f);
void		 flt_compile(struct flt *f);
int		 flt_match(struct flt *f, const char *line, size_t n,
		    char *err);
void		 flt_write(struct flt *f, const char *line, size_t n,
		    struct gha_buf *out);
uint64_t	 flt_key(struct flt *f, const char *line, size_t n);
void		 flt_free(struct flt *f);

int		 flt_parse_time(const char *s, int64_t *epoch);

struct dedup;

struct dedup	*dedup_new(size_t limit);
int		 dedup_add(struct dedup *d, uint64_t h);
size_t		 dedup_bytes(const struct dedup *d);
void		 dedup_free(struct dedup *d);

#endif /* FILTER_H */
