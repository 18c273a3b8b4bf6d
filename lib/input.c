/*
 * input.c - a bounded line reader over plain or gzip data.
 *
 * One struct gha_in reads one file (or stdin).  The first bytes decide the
 * format: the gzip magic 1f 8b means a gzip stream, which may hold several
 * members one after another (as pigz and `cat a.gz b.gz` make them);
 * anything else is read as it is.  Decoded bytes go straight into the line
 * buffer, so a line is handed out as a pointer into that buffer with no
 * copy.  The buffer starts at 1 MiB and grows only while a line does not
 * fit, up to the caller's maxline; a longer line is skipped whole and
 * reported as GHA_IN_LONG, so memory stays bounded by the longest
 * acceptable line whatever the size of the input.
 *
 * Damage is an error, never silence: a gzip stream that ends early, fails
 * its CRC or length check, or is followed by bytes that are not another
 * member makes gha_in_getline return GHA_IN_ERR after every complete line
 * before the damage has been returned.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <zlib.h>
#ifdef GHA_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "gha.h"
#include "input.h"

/* read(2), again when a signal cut it short. */
ssize_t
in_xread(int fd, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

void
in_seterr(char *err, const char *name, const char *what)
{
	snprintf(err, GHA_ERRLEN, "%s: %s", name, what);
}

/* Read more raw (compressed) bytes behind whatever is unread. */
static int
rawfill(struct gha_in *in, char *err)
{
	ssize_t r;

	if (in->raweof)
		return 0;
	if (in->z.avail_in > 0)
		memmove(in->raw, in->z.next_in, in->z.avail_in);
	in->z.next_in = in->raw;
	r = in_xread(in->fd, in->raw + in->z.avail_in, RAWSIZE - in->z.avail_in);
	if (r < 0) {
		in_seterr(err, in->name, strerror(errno));
		return -1;
	}
	if (r == 0)
		in->raweof = 1;
	in->z.avail_in += (uInt)r;
	return r > 0;
}

#ifndef GHA_ISAL
/* Start a new gzip member. */
void
in_restart(struct gha_in *in)
{
	inflateReset(&in->z);
}

/*
 * One call of the inflater over the raw bytes at z.next_in into
 * dst[0..cap): the number of bytes written (maybe 0), or -1 with err set;
 * sets zend at the end of a member, after its CRC and length were checked.
 */
ssize_t
in_step(struct gha_in *in, char *dst, size_t cap, char *err)
{
	int zr;

	in->z.next_out = (unsigned char *)dst;
	in->z.avail_out = (uInt)cap;
	zr = inflate(&in->z, Z_NO_FLUSH);
	in->zout = (ssize_t)(cap - in->z.avail_out);
	switch (zr) {
	case Z_STREAM_END:
		in->zend = 1;
		break;
	case Z_OK:
	case Z_BUF_ERROR:
		break;
	case Z_MEM_ERROR:
		in_seterr(err, in->name, "out of memory in inflate");
		return -1;
	default:
		snprintf(err, GHA_ERRLEN, "%s: corrupt gzip data: %s",
		    in->name, in->z.msg ? in->z.msg : "unknown error");
		return -1;
	}
	return in->zout;
}
#else
/*
 * The same with isa-l's igzip (make ISAL=1): about 2.5 times zlib's speed
 * here, with the same checks (header, CRC-32 and length of every member).
 */
void
in_restart(struct gha_in *in)
{
	isal_inflate_reset(&in->is);
	in->is.crc_flag = ISAL_GZIP;
}

ssize_t
in_step(struct gha_in *in, char *dst, size_t cap, char *err)
{
	int r;

	in->is.next_in = in->z.next_in;
	in->is.avail_in = in->z.avail_in;
	in->is.next_out = (unsigned char *)dst;
	in->is.avail_out = (uint32_t)cap;
	r = isal_inflate(&in->is);
	in->z.next_in = in->is.next_in;
	in->z.avail_in = in->is.avail_in;
	in->zout = (ssize_t)(cap - in->is.avail_out);
	if (r < 0) {
		snprintf(err, GHA_ERRLEN, "%s: corrupt gzip data: %s",
		    in->name, r == ISAL_INCORRECT_CHECKSUM ?
		    "incorrect data check" : r == ISAL_INVALID_WRAPPER ?
		    "incorrect header check" : "invalid deflate data");
		return -1;
	}
	if (in->is.block_state == ISAL_BLOCK_FINISH)
		in->zend = 1;
	return in->zout;
}
#endif

/*
 * Between two gzip members (zend set): 1 when another member begins (the
 * inflater restarted for it), 0 when no byte is at hand after the one that
 * ended, -1 with err set when something else follows.  Not between
 * members: 1.
 */
int
in_member(struct gha_in *in, char *err)
{
	if (!in->zend)
		return 1;
	if (in->z.avail_in == 0)
		return 0;
	if (in->z.next_in[0] != 0x1f) {
		in_seterr(err, in->name, "trailing garbage after gzip data");
		return -1;
	}
	in_restart(in);
	in->zend = 0;
	return 1;
}

/*
 * Inflate into dst[0..cap): returns the number of bytes written, 0 at the
 * clean end of the gzip data, or -1 with err set.  Runs in the inflate
 * thread when there is one, so it touches only z, raw and the flags.
 */
static ssize_t
inflate_into(struct gha_in *in, char *dst, size_t cap, char *err)
{
	ssize_t r;
	int m;

	if (in->zfail) {
		memcpy(err, in->zerr, GHA_ERRLEN);
		return -1;
	}
	for (;;) {
		if (in->z.avail_in == 0 && rawfill(in, err) < 0)
			return -1;
		if ((m = in_member(in, err)) <= 0)
			return m;
		if (in->z.avail_in == 0) {
			in_seterr(err, in->name,
			    "unexpected end of gzip data (truncated file)");
			return -1;
		}
		r = in_step(in, dst, cap, in->zerr);
		if (r < 0) {
			/*
			 * What the inflater wrote before it found the damage
			 * comes out first, so no complete line before it is
			 * lost; the error follows at the next call.
			 */
			in->zfail = 1;
			if (in->zout > 0)
				return in->zout;
			memcpy(err, in->zerr, GHA_ERRLEN);
			return -1;
		}
		if (r > 0)
			return r;
		if (in->z.avail_in == 0 && in->raweof && !in->zend) {
			in_seterr(err, in->name,
			    "unexpected end of gzip data (truncated file)");
			return -1;
		}
	}
}

/*
 * The inflate thread: fills the ring of chunks ahead of the reader, so
 * that inflating (about half of gha-decode's time) runs on one core while
 * lines are parsed on another, as pigz does.  It stops at the end of the
 * data, at an error (passed on in the chunk) or when told to.
 */
static void *
inflater(void *arg)
{
	struct gha_in *in = arg;
	struct chunk *c;
	ssize_t r;

	for (;;) {
		pthread_mutex_lock(&in->mu);
		while (in->nready == NCHUNK && !in->stop)
			pthread_cond_wait(&in->room, &in->mu);
		if (in->stop) {
			pthread_mutex_unlock(&in->mu);
			return NULL;
		}
		c = &in->ring[(in->head + in->nready) % NCHUNK];
		pthread_mutex_unlock(&in->mu);

		r = inflate_into(in, c->data, CHUNKSIZE, c->err);
		c->n = r > 0 ? (size_t)r : 0;
		c->off = 0;
		c->status = r > 0 ? 1 : (int)r;

		pthread_mutex_lock(&in->mu);
		in->nready++;
		pthread_cond_signal(&in->ready);
		pthread_mutex_unlock(&in->mu);
		if (r <= 0)
			return NULL;
	}
}

/* Take bytes from the inflate thread's ring into buf[end..cap). */
static ssize_t
take(struct gha_in *in, char *err)
{
	struct chunk *c;
	size_t n;
	ssize_t r;

	pthread_mutex_lock(&in->mu);
	while (in->nready == 0)
		pthread_cond_wait(&in->ready, &in->mu);
	c = &in->ring[in->head];
	pthread_mutex_unlock(&in->mu);
	if (c->status <= 0) {
		if (c->status < 0)
			memcpy(err, c->err, GHA_ERRLEN);
		return c->status;
	}
	n = c->n - c->off;
	if (n > in->cap - in->end)
		n = in->cap - in->end;
	memcpy(in->buf + in->end, c->data + c->off, n);
	c->off += n;
	r = (ssize_t)n;
	if (c->off == c->n) {
		pthread_mutex_lock(&in->mu);
		in->head = (in->head + 1) % NCHUNK;
		in->nready--;
		pthread_cond_signal(&in->room);
		pthread_mutex_unlock(&in->mu);
	}
	return r;
}

/*
 * Append decoded bytes at buf[end..cap).  Returns the number of bytes
 * added, 0 at the clean end of the data, or -1 with err set.
 */
static ssize_t
fill(struct gha_in *in, char *err)
{
	ssize_t r;

	if (in->eof)
		return 0;
	if (in->failed) {
		memcpy(err, in->failerr, GHA_ERRLEN);
		return -1;
	}
	if (!in->gz)
		r = in_xread(in->fd, in->buf + in->end, in->cap - in->end);
	else if (in->threaded)
		r = take(in, err);
	else
		r = inflate_into(in, in->buf + in->end, in->cap - in->end, err);
	if (r < 0 && !in->gz)
		in_seterr(err, in->name, strerror(errno));
	if (r < 0) {
		/* Damage is final: later calls report it again. */
		in->failed = 1;
		memcpy(in->failerr, err, GHA_ERRLEN);
		return -1;
	}
	if (r == 0)
		in->eof = 1;
	if (in->limit > 0 && in->decoded + (unsigned long long)r > in->limit) {
		/* Keep what fits; the refusal comes at the next call. */
		snprintf(in->failerr, GHA_ERRLEN, "%s: data inflates past "
		    "the limit of %llu bytes (a gzip bomb?)", in->name,
		    in->limit);
		in->failed = 1;
		r = (ssize_t)(in->limit - in->decoded);
		if (r == 0) {
			memcpy(err, in->failerr, GHA_ERRLEN);
			return -1;
		}
	}
	in->decoded += (unsigned long long)r;
	in->end += (size_t)r;
	return r;
}

/*
 * Inflate in a thread of its own from now on (gzip input only; a no-op
 * for plain data).  Returns 0, or -1 when no thread could be started, in
 * which case reading simply goes on in this thread.
 */
int
gha_in_thread(struct gha_in *in)
{
	if (!in->gz || in->threaded)
		return 0;
	in->ring = gha_ecalloc(NCHUNK, sizeof(*in->ring));
	pthread_mutex_init(&in->mu, NULL);
	pthread_cond_init(&in->ready, NULL);
	pthread_cond_init(&in->room, NULL);
	if (pthread_create(&in->thread, NULL, inflater, in) != 0) {
		free(in->ring);
		in->ring = NULL;
		return -1;
	}
	in->threaded = 1;
	return 0;
}

/* Make in a gzip stream, its inflater ready (isa-l's where built in). */
int
in_gz_init(struct gha_in *in, char *err)
{
	in->gz = 1;
#ifdef GHA_ISAL
	isal_inflate_init(&in->is);
	in->is.crc_flag = ISAL_GZIP;
#endif
	if (inflateInit2(&in->z, 15 + 16) != Z_OK) {
		in_seterr(err, in->name, "cannot initialise zlib");
		return -1;
	}
	in->zinit = 1;
	return 0;
}

/*
 * Open fd for reading lines; name is used in messages.  The format is
 * detected from the first bytes.  maxline 0 means GHA_IN_MAXLINE.
 */
struct gha_in *
gha_in_fdopen(int fd, const char *name, size_t maxline, char *err)
{
	struct gha_in *in;

	in = gha_ecalloc(1, sizeof(*in));
	in->fd = fd;
	in->name = gha_estrdup(name);
	in->maxline = maxline ? maxline : GHA_IN_MAXLINE;
	in->raw = gha_emalloc(RAWSIZE);
	in->cap = BUFSIZE;
	in->buf = gha_emalloc(in->cap);
	in->z.next_in = in->raw;
	do {
		if (rawfill(in, err) < 0) {
			gha_in_close(in);
			return NULL;
		}
	} while (in->z.avail_in < 2 && !in->raweof);
	if (in->z.avail_in >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		if (in_gz_init(in, err) != 0) {
			gha_in_close(in);
			return NULL;
		}
	} else {
		memcpy(in->buf, in->raw, in->z.avail_in);
		in->end = in->decoded = in->z.avail_in;
		in->z.avail_in = 0;
		if (in->raweof)
			in->eof = 1;
	}
	return in;
}

/*
 * Open path ("-" or NULL: stdin, named <stdin>) for reading lines.  A
 * file whose name ends in .gz must hold gzip data: an empty one is as
 * damaged as gzip -t says it is (a download that stopped at 0 bytes), not
 * an hour without events.
 */
struct gha_in *
gha_in_open(const char *path, size_t maxline, char *err)
{
	struct gha_in *in;
	size_t n;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return gha_in_fdopen(0, "<stdin>", maxline, err);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		in_seterr(err, path, strerror(errno));
		return NULL;
	}
	if ((in = gha_in_fdopen(fd, path, maxline, err)) == NULL) {
		close(fd);
		return NULL;
	}
	in->ownfd = 1;
	/* A .gz file that is not gzip is damaged, not text to guess at. */
	n = strlen(path);
	if (!in->gz && n > 3 && strcmp(path + n - 3, ".gz") == 0) {
		in_seterr(err, path, in->end == 0 && in->eof ? "empty file, not "
		    "gzip data (unexpected end of file)" :
		    "not gzip data (bad gzip header)");
		gha_in_close(in);
		return NULL;
	}
	return in;
}

/*
 * Hand out the next line (without its '\n') in *line and *len; the
 * pointer stays valid until the next call.  See enum GHA_IN_* in gha.h.
 */
int
gha_in_getline(struct gha_in *in, const char **line, size_t *len, char *err)
{
	char *nl;
	size_t limit = in->maxline + 1;
	ssize_t r;

	for (;;) {
		nl = in->scan < in->end ?
		    memchr(in->buf + in->scan, '\n', in->end - in->scan) : NULL;
		if (nl != NULL) {
			*line = in->buf + in->start;
			*len = (size_t)(nl - *line);
			in->bytes += *len + 1;
			in->start = in->scan = (size_t)(nl - in->buf) + 1;
			in->lineno++;
			if (in->skipping || *len > in->maxline) {
				in->skipping = 0;
				return GHA_IN_LONG;
			}
			return GHA_IN_LINE;
		}
		if (in->skipping || in->end - in->start > in->maxline) {
			/* Too long: drop what we have, keep dropping. */
			in->bytes += in->end - in->start;
			in->skipping = 1;
			in->start = in->end = 0;
		} else if (in->start > 0) {
			memmove(in->buf, in->buf + in->start,
			    in->end - in->start);
			in->end -= in->start;
			in->start = 0;
		}
		in->scan = in->end;
		if (in->end == in->cap && in->cap < limit) {
			in->cap = in->cap * 2 < limit ? in->cap * 2 : limit;
			in->buf = gha_erealloc(in->buf, in->cap);
		}
		if ((r = fill(in, err)) < 0)
			return GHA_IN_ERR;
		if (r == 0) {
			if (in->end == in->start && !in->skipping)
				return GHA_IN_EOF;
			/* A last line without '\n'. */
			in->cutlast = 1;
			*line = in->buf + in->start;
			*len = in->end - in->start;
			in->bytes += *len;
			in->start = in->end = in->scan = 0;
			in->lineno++;
			if (in->skipping) {
				in->skipping = 0;
				return GHA_IN_LONG;
			}
			return GHA_IN_LINE;
		}
	}
}

/*
 * Return the first byte of the data that is not white space, without
 * consuming anything: -1 for empty input, -2 on error (err set).
 */
int
gha_in_peek(struct gha_in *in, char *err)
{
	size_t i;
	ssize_t r;

	for (;;) {
		for (i = in->start; i < in->end; i++)
			if (strchr(" \t\r\n", in->buf[i]) == NULL)
				return (unsigned char)in->buf[i];
		if (in->end == in->cap)
			return '\n';
		if ((r = fill(in, err)) < 0)
			return -2;
		if (r == 0)
			return -1;
	}
}

/*
 * Is the input in, whose first non-blank line *line[0..n) was just read,
 * a pretty-printed JSON document rather than NDJSON?  It is when that
 * line opens one (gha_json_pretty) and more follows it; a lone '{' that
 * is all there is stays a bad line like any other.  Returns NULL or what
 * to say about the whole input.  Looking ahead may move the reader's
 * buffer, so *line is then pointed at a copy in *hold (the caller frees
 * it).
 */
const char *
gha_in_pretty(struct gha_in *in, const char **line, size_t n, char **hold)
{
	char err[GHA_ERRLEN];
	const char *why;

	*hold = NULL;
	if ((why = gha_json_pretty(*line, n)) == NULL)
		return NULL;
	*hold = gha_emalloc(n);
	memcpy(*hold, *line, n);
	*line = *hold;
	return gha_in_peek(in, err) >= 0 ? why : NULL;
}

/*
 * Refuse data that decodes to more than limit bytes (0: no limit): a
 * small gzip file can inflate to any size, and a reader must be able to
 * say no before it has spent hours on one.  Damage like any other.
 */
void
gha_in_limit(struct gha_in *in, unsigned long long limit)
{
	in->limit = limit;
}

/*
 * After the last line was read: 0 when the data proved whole by the same
 * rules as gha_gz_check (gzip that ended cleanly after its last member,
 * not empty, its last line ended by '\n'), else -1 with err saying why.
 * gha-decode proves unchecked downloads (gha-fetch --defer-check) so.
 */
int
gha_in_whole(const struct gha_in *in, char *err)
{
	if (in->failed)
		memcpy(err, in->failerr, GHA_ERRLEN);
	else if (!in->gz)
		in_seterr(err, in->name, "not gzip data");
	else if (!in->eof)
		in_seterr(err, in->name, "not read to its end");
	else if (in->decoded == 0)
		in_seterr(err, in->name, "empty gzip data");
	else if (in->cutlast)
		in_seterr(err, in->name, "last line is cut off (no final newline)");
	else
		return 0;
	return -1;
}

int
gha_in_isgzip(const struct gha_in *in)
{
	return in->gz;
}

/* The number of the line last handed out (1 for the first). */
unsigned long long
gha_in_lineno(const struct gha_in *in)
{
	return in->lineno;
}

/* Decoded bytes handed out so far, newlines included. */
unsigned long long
gha_in_bytes(const struct gha_in *in)
{
	return in->bytes;
}

const char *
gha_in_name(const struct gha_in *in)
{
	return in->name;
}

void
gha_in_close(struct gha_in *in)
{
	if (in == NULL)
		return;
	if (in->threaded) {
		pthread_mutex_lock(&in->mu);
		in->stop = 1;
		pthread_cond_signal(&in->room);
		pthread_mutex_unlock(&in->mu);
		pthread_join(in->thread, NULL);
		pthread_mutex_destroy(&in->mu);
		pthread_cond_destroy(&in->ready);
		pthread_cond_destroy(&in->room);
		free(in->ring);
	}
	if (in->zinit)
		inflateEnd(&in->z);
	if (in->ownfd)
		close(in->fd);
	free(in->raw);
	free(in->buf);
	free(in->name);
	free(in);
}

