/*
 * chdbq - run SQL statements on chDB, the ClickHouse engine as a library
 * (libchdb.so), for the tests that check gha-load's SQL on a current
 * ClickHouse where only Debian's old server is packaged.
 *
 * usage: chdbq LIBCHDB DIR FILE...
 *
 * LIBCHDB is the path of libchdb.so (npm's chdb package ships it, in
 * @chdb/lib-linux-x64-gnu), opened with dlopen(3) so that building the
 * tests never needs it.  DIR holds the engine's data.  Each FILE is one
 * statement, its bytes as they are: an INSERT carries its rows after
 * "FORMAT NAME" and a newline, as a ClickHouse HTTP request's query then
 * body, and may hold NUL bytes (RowBinary); the rows are streamed to the
 * engine as a body would be.  The statements run in order on one
 * connection; the answer to FILE (TabSeparated unless the statement says
 * FORMAT) is written to FILE.out.  The first failure is reported as
 * "chdbq: FILE: the engine's message" and ends the run with status 1.
 * On success the last line on stderr is "N statements", and
 * "version V" says the engine's version first.
 *
 * The declarations below are the few of chdb.h (chdb-core's
 * programs/local/chdb.h, its stable C API) that we call.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chdb_result_ {
	void	*internal_data;
} chdb_result;
typedef struct chdb_connection_ {
	void	*internal_data;
} *chdb_connection;
typedef struct chdb_insert_stream_ {
	void	*internal_data;
} *chdb_insert_stream;

static chdb_connection *(*ch_connect)(int, char **);
static void (*ch_close)(chdb_connection *);
static chdb_result *(*ch_query_n)(chdb_connection, const char *, size_t,
    const char *, size_t);
static void (*ch_destroy)(chdb_result *);
static char *(*ch_buffer)(chdb_result *);
static size_t (*ch_length)(chdb_result *);
static const char *(*ch_error)(chdb_result *);
static chdb_insert_stream (*ch_insert)(chdb_connection, const char *,
    size_t, const char *, size_t);
static int (*ch_append)(chdb_insert_stream, const void *, size_t);
static chdb_result *(*ch_done)(chdb_insert_stream);
static const char *(*ch_insert_error)(chdb_insert_stream);
static void (*ch_insert_free)(chdb_insert_stream);

static void *
sym(void *lib, const char *name)
{
	void *p;

	if ((p = dlsym(lib, name)) == NULL) {
		fprintf(stderr, "chdbq: %s\n", dlerror());
		exit(1);
	}
	return p;
}

/* The whole of path, in memory; *len its size. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *fp;
	char *p = NULL;
	size_t cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(1);
	}
	*len = 0;
	do {
		if (cap - *len < 65536) {
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(p, cap)) == NULL) {
				perror("chdbq");
				exit(1);
			}
		}
		n = fread(p + *len, 1, cap - *len, fp);
		*len += n;
	} while (n > 0);
	if (ferror(fp)) {
		perror(path);
		exit(1);
	}
	fclose(fp);
	return p;
}

/*
 * An INSERT with rows: "INSERT ... FORMAT NAME\n" then the rows.  Those
 * go through the streaming insert, as an HTTP body would: chDB reads
 * inline rows of a long statement only in part (Code 33 after about a
 * megabyte of RowBinary in 26.7).  0 if sql is no such INSERT, 1 if it
 * was stored, -1 said.
 */
static int
insert(chdb_connection conn, const char *name, const char *sql, size_t len)
{
	chdb_insert_stream st;
	chdb_result *r;
	const char *nl, *f, *e;
	size_t at, n;
	int rc = 1;

	if (len < 12 || memcmp(sql, "INSERT INTO ", 12) != 0 ||
	    (nl = memchr(sql, '\n', len)) == NULL)
		return 0;
	for (f = nl; f > sql && f[-1] != ' '; f--)
		;
	if (f - sql < 8 || memcmp(f - 8, " FORMAT ", 8) != 0)
		return 0;
	st = ch_insert(conn, sql, (size_t)(f - 8 - sql), f,
	    (size_t)(nl - f));
	if ((e = ch_insert_error(st)) != NULL && *e != '\0') {
		fprintf(stderr, "chdbq: %s: %s\n", name, e);
		ch_insert_free(st);
		return -1;
	}
	for (at = (size_t)(nl + 1 - sql); at < len; at += n) {
		n = len - at < 65536 ? len - at : 65536;
		if (ch_append(st, sql + at, n) != 0)
			break;
	}
	r = ch_done(st);
	if ((e = ch_insert_error(st)) != NULL && *e != '\0')
		;
	else if (r != NULL)
		e = ch_error(r);
	if (e != NULL && *e != '\0') {
		fprintf(stderr, "chdbq: %s: %s\n", name, e);
		rc = -1;
	}
	if (r != NULL)
		ch_destroy(r);
	ch_insert_free(st);
	return rc;
}

/* Run sql (len bytes) and write its answer to fp; 0, or -1 said. */
static int
run(chdb_connection conn, const char *name, const char *sql, size_t len,
    FILE *fp)
{
	static const char fmt[] = "TabSeparated";
	chdb_result *r;
	const char *e;
	size_t n;
	int k;

	if ((k = insert(conn, name, sql, len)) != 0)
		return k < 0 ? -1 : 0;
	r = ch_query_n(conn, sql, len, fmt, sizeof(fmt) - 1);
	if (r == NULL) {
		fprintf(stderr, "chdbq: %s: no result\n", name);
		return -1;
	}
	if ((e = ch_error(r)) != NULL && *e != '\0') {
		fprintf(stderr, "chdbq: %s: %s\n", name, e);
		ch_destroy(r);
		return -1;
	}
	n = ch_length(r);
	if (fwrite(ch_buffer(r), 1, n, fp) != n) {
		fprintf(stderr, "chdbq: %s: cannot write the answer\n", name);
		ch_destroy(r);
		return -1;
	}
	ch_destroy(r);
	return 0;
}

int
main(int argc, char **argv)
{
	chdb_connection *conn;
	char *cargv[2], *sql, *out;
	FILE *fp;
	size_t len;
	void *lib;
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: chdbq LIBCHDB DIR FILE...\n");
		return 2;
	}
	if ((lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL)) == NULL) {
		fprintf(stderr, "chdbq: %s\n", dlerror());
		return 1;
	}
	ch_connect = (chdb_connection *(*)(int, char **))sym(lib,
	    "chdb_connect");
	ch_close = (void (*)(chdb_connection *))sym(lib, "chdb_close_conn");
	ch_query_n = (chdb_result *(*)(chdb_connection, const char *, size_t,
	    const char *, size_t))sym(lib, "chdb_query_n");
	ch_destroy = (void (*)(chdb_result *))sym(lib,
	    "chdb_destroy_query_result");
	ch_buffer = (char *(*)(chdb_result *))sym(lib, "chdb_result_buffer");
	ch_length = (size_t (*)(chdb_result *))sym(lib, "chdb_result_length");
	ch_error = (const char *(*)(chdb_result *))sym(lib,
	    "chdb_result_error");
	ch_insert = (chdb_insert_stream (*)(chdb_connection, const char *,
	    size_t, const char *, size_t))sym(lib, "chdb_stream_insert_n");
	ch_append = (int (*)(chdb_insert_stream, const void *, size_t))sym(lib,
	    "chdb_stream_append");
	ch_done = (chdb_result *(*)(chdb_insert_stream))sym(lib,
	    "chdb_stream_done");
	ch_insert_error = (const char *(*)(chdb_insert_stream))sym(lib,
	    "chdb_stream_insert_error");
	ch_insert_free = (void (*)(chdb_insert_stream))sym(lib,
	    "chdb_destroy_insert_stream");

	cargv[0] = "chdbq";
	if ((cargv[1] = malloc(strlen(argv[2]) + 8)) == NULL) {
		perror("chdbq");
		return 1;
	}
	sprintf(cargv[1], "--path=%s", argv[2]);
	if ((conn = ch_connect(2, cargv)) == NULL || *conn == NULL) {
		fprintf(stderr, "chdbq: cannot open the engine on %s\n",
		    argv[2]);
		return 1;
	}
	fputs("version ", stderr);
	if (run(*conn, "version()", "SELECT version()", 16, stderr) != 0)
		return 1;
	for (i = 3; i < argc; i++) {
		sql = slurp(argv[i], &len);
		if ((out = malloc(strlen(argv[i]) + 5)) == NULL) {
			perror("chdbq");
			return 1;
		}
		sprintf(out, "%s.out", argv[i]);
		if ((fp = fopen(out, "wb")) == NULL) {
			perror(out);
			return 1;
		}
		if (run(*conn, argv[i], sql, len, fp) != 0)
			return 1;
		if (fclose(fp) != 0) {
			perror(out);
			return 1;
		}
		free(out);
		free(sql);
	}
	fprintf(stderr, "%d statements\n", argc - 3);
	ch_close(conn);
	return 0;
}
