/*
 * gha.h - the private library shared by the gha tools.
 *
 * This header and libgha.a are NOT installed and have no stable interface:
 * they exist so that gha-fetch, gha-decode, gha-filter and gha-load share one
 * line reader, one JSON scanner, one time parser and one set of conventions.
 *
 * Rules: library functions never print and never
 * exit; they return an error value and fill an error buffer the caller
 * passes (char *err of GHA_ERRLEN bytes).  Only main() and the functions
 * with an e after their module prefix (gha_emalloc, gha_rej_eadd,
 * gha_each_eread) may print or exit, besides the message functions
 * themselves (gha_warnx, gha_die); running out of memory is the one
 * exception, as every allocation goes through gha_emalloc and friends,
 * which exit with GHA_EX_NOMEM.  Every symbol carries a module prefix.
 */
#ifndef GHA_H
#define GHA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#ifndef GHA_VERSION
#define GHA_VERSION "0.0.0"
#endif

#define GHA_ERRLEN	256

/*
 * Exit statuses: the one table of their names.  0-4 are shared by every
 * tool; each man page documents the ones its tool uses.  A tool's own
 * statuses are numbered from 10 up (two tools may reuse a number) and
 * carry the tool's name.  scripts/gha-common.sh gives the scripts the same
 * names for the same numbers (tests/daily/exit-names.sh checks that the
 * two agree), so no script compares a tool's status with a bare number.
 */
enum gha_exit {
	GHA_EX_OK = 0,		/* everything was read and written */
	GHA_EX_DATA = 1,	/* some input records were rejected */
	GHA_EX_USAGE = 2,	/* bad command line */
	GHA_EX_INPUT = 3,	/* an input file could not be read or is corrupt */
	GHA_EX_OUTPUT = 4,	/* output (stdout, database, server) failed */
	GHA_EX_NOMEM = 5,	/* out of memory */
	GHA_EX_FETCH_UNAVAIL = 10,	/* gha-fetch: hours not in the archive */
	GHA_EX_FETCH_FAILED = 11,	/* gha-fetch: hours failed after retries */
	GHA_EX_FILTER_DEDUP = 10,	/* gha-filter: --dedup table full */
};

/* util.c - program name, messages, allocation that cannot fail */
extern const char *gha_progname;
void	 gha_setprogname(const char *argv0);
void	 gha_warnx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	 gha_vwarnx(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0)));
void	 gha_die(int status, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	*gha_emalloc(size_t n);
void	*gha_ecalloc(size_t nmemb, size_t size);
void	*gha_erealloc(void *p, size_t n);
char	*gha_estrdup(const char *s);
double	 gha_clock(clockid_t c);
const char *gha_plural(unsigned long long n, const char *one,
	    const char *many);
int	 gha_strtonum(const char *s, long long min, long long max,
	    long long *out);
int	 gha_parse_size(const char *s, unsigned long long *out);
int	 gha_parse_maxline(const char *s, size_t *out, char *err);
void	 gha_efflush(FILE *fp, const char *name);
void	 gha_eclose_stdout(void);

/* time.c - archive hour names and timestamps, all UTC */
int	 gha_time_parse(const char *s, size_t n, int64_t *epoch);
void	 gha_time_format(int64_t epoch, char buf[21]);
int	 gha_hour_parse(const char *s, size_t n, int64_t *hour_epoch);
void	 gha_hour_format(int64_t hour_epoch, char buf[16]);
int	 gha_hour_from_path(const char *path, char buf[16]);
#define GHA_UNPROVEN	".unproven-"	/* .HOUR.json.gz.unproven-XXXXXX */
char	*gha_unproven_final(const char *path);

/*
 * input.c - a line reader over plain or gzip (multi-member) data.
 *
 * Memory is bounded by the longest line (at most maxline bytes) plus a
 * fixed buffer whatever the size of the input.  Lines are split on '\n'
 * only (U+2028 inside strings is data).  gha_in_getline returns:
 */
enum {
	GHA_IN_LINE = 1,	/* *line, *len hold the next line, no '\n' */
	GHA_IN_EOF = 0,		/* clean end of input */
	GHA_IN_ERR = -1,	/* read error or corrupt/truncated gzip: err */
	GHA_IN_LONG = -2,	/* a line above maxline was skipped whole */
};
#define GHA_IN_MAXLINE	(64UL << 20)	/* default limit on one line */
#define GHA_IN_MAXBYTES	(64ULL << 30)	/* default limit on one input */

struct gha_in;
struct gha_in	*gha_in_open(const char *path, size_t maxline, char *err);
struct gha_in	*gha_in_fdopen(int fd, const char *name, size_t maxline,
		    char *err);
int		 gha_in_getline(struct gha_in *in, const char **line,
		    size_t *len, char *err);
int		 gha_in_peek(struct gha_in *in, char *err);
const char	*gha_in_pretty(struct gha_in *in, const char **line, size_t n,
		    char **hold);
int		 gha_in_thread(struct gha_in *in);
void		 gha_in_limit(struct gha_in *in, unsigned long long limit);
int		 gha_in_isgzip(const struct gha_in *in);
int		 gha_in_whole(const struct gha_in *in, char *err);
unsigned long long gha_in_lineno(const struct gha_in *in);
unsigned long long gha_in_bytes(const struct gha_in *in);
const char	*gha_in_name(const struct gha_in *in);
void		 gha_in_close(struct gha_in *in);
int		 gha_gz_check(const char *path, unsigned long long *rawbytes,
		    char *err);
struct gha_in	*gha_gz_start(const char *name, char *err);
int		 gha_gz_feed(struct gha_in *in, const void *p, size_t n,
		    char *err);
int		 gha_gz_finish(struct gha_in *in, unsigned long long *rawbytes,
		    char *err);

/*
 * json.c - a validating JSON scanner that builds no tree.
 *
 * It accepts exactly what jansson's json_loadb() accepts for one object
 * (RFC 8259, UTF-8 checked, no NUL escapes, 2048 levels of nesting,
 * integers within int64, finite reals), so a line that it rejects is one
 * jansson rejects and vice versa; tests/refdecode proves it against
 * jansson.  Values of interest are returned as token spans into the line;
 * everything else is checked and skipped without allocation.
 */
enum gha_jtype {
	GHA_J_NONE = 0,		/* key absent */
	GHA_J_NULL, GHA_J_FALSE, GHA_J_TRUE,
	GHA_J_INT, GHA_J_REAL, GHA_J_STRING,
	GHA_J_OBJECT, GHA_J_ARRAY,
};

struct gha_jtok {
	const char	*p;	/* first byte of the token (quote included) */
	size_t		 n;	/* its length */
	int		 type;	/* enum gha_jtype */
	int		 esc;	/* a string with backslash escapes */
	size_t		 count;	/* elements of an array / members of object */
};

/*
 * A field list for gha_json_extract: each field names a key; slot >= 0
 * stores the last value seen under that key; sub, when set, is a field
 * list (ended by a NULL name) to descend into when the value is an object.
 */
struct gha_jfield {
	const char		*name;
	int			 slot;
	const struct gha_jfield	*sub;
};

int	 gha_json_extract(const char *p, size_t n,
	    const struct gha_jfield *fields, struct gha_jtok *slots,
	    int nslots, char *err);
int	 gha_json_validate(const char *p, size_t n, char *err);
size_t	 gha_json_span(const char *p, size_t n);
long	 gha_json_members(const char *p, size_t n);
const char *gha_json_pretty(const char *p, size_t n);
size_t	 gha_json_unescape(const struct gha_jtok *t, char *buf,
	    size_t size);
int	 gha_json_streq(const struct gha_jtok *t, const char *s);
int	 gha_json_oneof(const struct gha_jtok *t, const char *const *words);
int	 gha_json_int(const struct gha_jtok *t, int64_t *v);

/*
 * record.c - the flat record, as gha-decode writes it and gha-load reads
 * it.  gha_rec_parse checks the line, that every key is there, the type
 * of every field, and converts created_at.  A line of the wrong kind (a
 * raw event, a projection, another shape) gets its own answer, so that
 * gha-load can say what it was and sum up a whole file of them.
 */
enum gha_rec_kind {
	GHA_REC_OK = 0,
	GHA_REC_BAD = -1,	/* not JSON, or a value that is wrong */
	GHA_REC_EVENT = -2,	/* a raw archive event: not decoded */
	GHA_REC_PART = -3,	/* a projection: some keys of the record */
	GHA_REC_OTHER = -4,	/* an object of another shape, or {} */
};

enum gha_rec_field {
	GHA_R_ID, GHA_R_TYPE, GHA_R_CREATED_AT, GHA_R_ACTOR_ID,
	GHA_R_ACTOR_LOGIN, GHA_R_REPO_ID, GHA_R_REPO_NAME, GHA_R_ORG_ID,
	GHA_R_ORG_LOGIN, GHA_R_ACTION, GHA_R_REF, GHA_R_REF_TYPE,
	GHA_R_PUSH_ID, GHA_R_COMMITS, GHA_R_DISTINCT_COMMITS, GHA_R_HEAD,
	GHA_R_BEFORE, GHA_R_NUMBER, GHA_R_PUBLIC, GHA_R_SRC, GHA_R_NFIELDS
};

struct gha_rec_col {
	const char	*name;
	int		 type;	/* GHA_J_STRING, GHA_J_INT or GHA_J_TRUE (bool) */
};
extern const struct gha_rec_col gha_rec_cols[GHA_R_NFIELDS];

struct gha_rec {
	struct gha_jtok	 f[GHA_R_NFIELDS];	/* GHA_J_NONE/NULL: null */
	int64_t		 created;		/* created_at, epoch seconds */
};

int	 gha_rec_parse(const char *line, size_t n, struct gha_rec *r,
	    char *err);
int	 gha_rec_isnull(const struct gha_rec *r, int field);

/* reject.c - reporting, counting and keeping aside bad input lines */
#define GHA_REJ_SHOWN	100	/* lines of one file reported one by one */

struct gha_rejects {
	FILE			*fp;	/* the reject file, or NULL */
	const char		*name;
	int			 quiet;
	unsigned long long	 total;	/* lines rejected in all */
	unsigned long long	 infile;	/* ... in the current file */
};

void	 gha_rej_eopen(struct gha_rejects *r, const char *path, int quiet);
void	 gha_rej_file(struct gha_rejects *r);
void	 gha_rej_eadd(struct gha_rejects *r, const char *file,
	    unsigned long long lineno, const char *line, size_t n,
	    const char *why);
void	 gha_rej_ekeep(struct gha_rejects *r, const char *line, size_t n);
void	 gha_rej_eendfile(struct gha_rejects *r, const char *file);
void	 gha_rej_elong(struct gha_rejects *r, const char *file,
	    unsigned long long lineno, size_t maxline);
void	 gha_rej_eclose(struct gha_rejects *r);

/*
 * each.c - the one loop over an input's lines: long lines, damage and
 * pretty-printed JSON handled and reported the same way in every tool.
 */
enum {
	GHA_EACH_OK = 0,	/* read to its end */
	GHA_EACH_STOP,		/* line() asked to stop */
	GHA_EACH_DAMAGED,	/* a read error, corrupt gzip, not NDJSON */
};

struct gha_each {
	struct gha_rejects *rej;
	size_t	 maxline;	/* -L, for the message on a long line */
	int	 pretty;	/* refuse a pretty-printed JSON document */
	int	 passlong;	/* hand long lines to line(), as NULL, 0 */
	/* One line, without its '\n'; non-zero: stop reading. */
	int	(*line)(void *arg, struct gha_in *in, const char *p,
		    size_t n);
	/* Reading is over: results held back are given out (optional). */
	void	(*drain)(void *arg, struct gha_in *in);
	/* After the message about damage, before the reject summary. */
	void	(*end)(void *arg, struct gha_in *in);
	void	*arg;
	unsigned long long lines;	/* out: lines read, long ones too */
};

int	 gha_each_eread(struct gha_in *in, struct gha_each *e);

/*
 * status.c - --status FILE: NDJSON records for the scripts, one a line,
 * each written whole with one write(2) as soon as it is complete.
 */
struct gha_status;
struct gha_status *gha_status_open(const char *path, char *err);
void	 gha_status_begin(struct gha_status *s);
void	 gha_status_str(struct gha_status *s, const char *k, const char *v);
void	 gha_status_int(struct gha_status *s, const char *k, int64_t v);
void	 gha_status_eend(struct gha_status *s);
void	 gha_status_eclose(struct gha_status *s);

/* out.c - buffered output with a checked close */
struct gha_buf {
	char	*p;
	size_t	 n, cap;
};
void	 gha_buf_add(struct gha_buf *b, const void *p, size_t n);
void	 gha_buf_adds(struct gha_buf *b, const char *s);
void	 gha_buf_addc(struct gha_buf *b, int c);
void	 gha_buf_addjstr(struct gha_buf *b, const char *s, size_t n);
void	 gha_buf_addint(struct gha_buf *b, int64_t v);
void	 gha_buf_free(struct gha_buf *b);
void	 gha_buf_ewrite(struct gha_buf *b, FILE *fp, int flush);
uint64_t gha_fnv1a(uint64_t h, const void *p, size_t n);
#define GHA_FNV1A_INIT	0xcbf29ce484222325ULL

/* tmpfile.c - unlinked temporary files in $TMPDIR (default /tmp) */
const char *gha_tmpdir(void);
int	 gha_tmpfd(char *err);

#endif /* GHA_H */
