/*
 * pred.h - the inside of gha-filter's predicates, shared by pred.c (the
 * paths, the scan, the predicates that select by list or time, the
 * projection and the identity) and expr.c (the -e tests: their parsing,
 * operands and comparisons).  Not for main.c, which sees filter.h only.
 */
#ifndef FILTER_PRED_H
#define FILTER_PRED_H

#include <regex.h>

#include "gha.h"
#include "filter.h"

/* A node in the tree of dotted paths the predicates read. */
struct node {
	char		*name;
	int		 slot;		/* -1: only a way to deeper keys */
	struct node	*kid;		/* first child */
	struct node	*next;		/* next sibling */
};

/*
 * How to read one named value: the slots of its paths, tried in order
 * while absent; for repo_name also the timeline's owner and name.
 */
struct ref {
	char		*name;
	int		 alt[4];
	int		 nalt;
	int		 scalar;	/* the last path may not be an object */
	int		 owner, rname;	/* timeline repository slots, or -1 */
	struct gha_buf	 comp;		/* composed "owner/name" token */
	struct gha_jtok	 ctok;
};

struct num {
	int		 isint;
	int64_t		 i;
	double		 d;
};

/* The right-hand side of a -e test. */
struct operand {
	int		 type;		/* GHA_J_NULL ... GHA_J_STRING */
	char		*s;		/* the string, NUL-terminated */
	size_t		 n;
	struct num	 num;		/* type GHA_J_INT or GHA_J_REAL */
	int		 istime;	/* a string that is a time or date */
	int64_t		 t;
	regex_t		 re;		/* OP_RE, OP_NRE */
};

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_RE, OP_NRE };

struct pat {
	char		*s;
	size_t		 n;
	int		 literal;	/* no glob characters: compare */
};

enum { P_TYPES, P_GLOBS, P_BOTS, P_SINCE, P_UNTIL, P_TEST };

struct pred {
	int		 kind;
	struct ref	*ref;
	int		 negate;	/* P_TYPES: not in the list */
	struct pat	*pat;		/* P_TYPES, P_GLOBS */
	size_t		 npat;
	int		 fnflags;	/* P_GLOBS */
	int		 want;		/* P_BOTS: 1 bots only, 0 no bots */
	int64_t		 t;		/* P_SINCE, P_UNTIL */
	enum op		 op;		/* P_TEST */
	struct operand	 v;
};

struct flt {
	int		 icase;
	struct node	 root;
	int		 nslots;
	struct gha_jtok	*slots;
	struct gha_jfield *fields;
	struct ref	**refs;
	size_t		 nrefs;
	struct pred	*preds;
	size_t		 npreds;
	struct ref	**proj;		/* --fields */
	char		**projkey;	/* "\"name\":" for each */
	size_t		 nproj;
	struct ref	*id, *created;	/* the de-duplication key */
	char		*scratch;	/* unescaped / NUL-terminated copies */
	size_t		 scap;
};

const char	*flt_text(struct flt *f, const struct gha_jtok *t, size_t *n,
		    int nul);
struct pred	*flt_pred_add(struct flt *f, int kind, const char *name,
		    char *err);
int		 flt_test(struct flt *f, const struct pred *p,
		    const struct gha_jtok *t);

#endif /* FILTER_PRED_H */
