/*
 * status.c - the machine-readable status a tool writes with --status FILE.
 *
 * A script that drives the tools decides what to do from these records and
 * from the named exit statuses (enum gha_exit), never from the wording of
 * a message, which is for people and free to change.  The records are
 * NDJSON, one object a line, written as each thing they describe (an
 * archive hour, an input file) is done.  A line is built whole in a buffer
 * and handed to the kernel in one write(2) on a descriptor opened with
 * O_APPEND, with no stdio buffer in between: a tool killed at any moment
 * leaves only complete lines, and several tools may append to one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"

struct gha_status {
	int		 fd;
	char		*name;
	struct gha_buf	 b;
	int		 n;	/* members in the line so far */
};

/* Open (create, append to) path; NULL + err when it cannot be. */
struct gha_status *
gha_status_open(const char *path, char *err)
{
	struct gha_status *s;
	int fd;

	if (*path == '\0') {
		snprintf(err, GHA_ERRLEN, "--status: empty file name");
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (fd == -1) {
		snprintf(err, GHA_ERRLEN, "--status %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	s = gha_ecalloc(1, sizeof(*s));
	s->fd = fd;
	s->name = gha_estrdup(path);
	return s;
}

/* Start a record.  Every function is a no-op on a NULL status. */
void
gha_status_begin(struct gha_status *s)
{
	if (s == NULL)
		return;
	s->b.n = 0;
	s->n = 0;
	gha_buf_addc(&s->b, '{');
}

static void
key(struct gha_status *s, const char *k)
{
	if (s->n++ > 0)
		gha_buf_addc(&s->b, ',');
	gha_buf_addjstr(&s->b, k, strlen(k));
	gha_buf_addc(&s->b, ':');
}

/* A string member; v NULL: null. */
void
gha_status_str(struct gha_status *s, const char *k, const char *v)
{
	if (s == NULL)
		return;
	key(s, k);
	if (v == NULL)
		gha_buf_adds(&s->b, "null");
	else
		gha_buf_addjstr(&s->b, v, strlen(v));
}

/* An integer member; v below 0: null (a count not known). */
void
gha_status_int(struct gha_status *s, const char *k, int64_t v)
{
	if (s == NULL)
		return;
	key(s, k);
	if (v < 0)
		gha_buf_adds(&s->b, "null");
	else
		gha_buf_addint(&s->b, v);
}

/*
 * End the record and write it, in one write(2) unless the kernel takes
 * less (a pipe that is nearly full).  Exits when the write fails: a caller
 * that asked for the status must not be told less than happened.
 */
void
gha_status_eend(struct gha_status *s)
{
	ssize_t w;
	size_t off;

	if (s == NULL)
		return;
	gha_buf_add(&s->b, "}\n", 2);
	for (off = 0; off < s->b.n; off += (size_t)w) {
		w = write(s->fd, s->b.p + off, s->b.n - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0)
			gha_die(GHA_EX_OUTPUT, "--status %s: write error: %s",
			    s->name, strerror(w < 0 ? errno : EIO));
	}
	s->b.n = 0;
}

/* Close the file; exits when close reports a write that failed. */
void
gha_status_eclose(struct gha_status *s)
{
	if (s == NULL)
		return;
	if (close(s->fd) != 0)
		gha_die(GHA_EX_OUTPUT, "--status %s: %s", s->name,
		    strerror(errno));
	gha_buf_free(&s->b);
	free(s->name);
	free(s);
}
