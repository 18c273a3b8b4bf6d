/*
 * gzcheck.c - check gzip data as it arrives: gha_gz_start, then
 * gha_gz_feed with each piece, then gha_gz_finish for the verdict (every
 * member inflated, its CRC and length right, a final newline); and
 * gha_gz_check, the same over a whole file.  gha-fetch feeds the bytes of
 * a download as they come, so a file is proven by the time it has arrived
 * and is never read back.  It is the line reader's inflater (input.c)
 * without the lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "input.h"

/*
 * A gzip checker fed the bytes of a file as they arrive (gha-fetch feeds
 * it from its transfer's write callback, so that the check overlaps the
 * download and the file is never read back): gha_gz_feed each piece in
 * order, then gha_gz_finish says whether it all was one complete gzip
 * stream (every member's CRC and length checked, nothing after the last
 * member) whose data ends in '\n', as gha_gz_check does for a file.  The
 * inflated bytes go to a scratch buffer and are dropped; memory is that
 * buffer and the inflater's state, whatever the size of the file.
 */
struct gha_in *
gha_gz_start(const char *name, char *err)
{
	struct gha_in *in;

	in = gha_ecalloc(1, sizeof(*in));
	in->fd = -1;
	in->name = gha_estrdup(name);
	in->cap = RAWSIZE;
	in->buf = gha_emalloc(in->cap);
	in->limit = GHA_IN_MAXBYTES;	/* a served gzip bomb */
	if (in_gz_init(in, err) != 0) {
		gha_in_close(in);
		return NULL;
	}
	return in;
}

static int
gz_fail(struct gha_in *in, char *err)
{
	in->failed = 1;
	memcpy(in->failerr, err, GHA_ERRLEN);
	return -1;
}

/* The next n raw bytes of the file: 0, or -1 with err set (for good). */
int
gha_gz_feed(struct gha_in *in, const void *p, size_t n, char *err)
{
	const unsigned char *s = p;
	unsigned long long i;
	ssize_t r;

	if (in->failed) {
		memcpy(err, in->failerr, GHA_ERRLEN);
		return -1;
	}
	for (i = in->fed; i < 2 && i - in->fed < n; i++)
		if (s[i - in->fed] != (i == 0 ? 0x1f : 0x8b)) {
			in_seterr(err, in->name, "not gzip data");
			return gz_fail(in, err);
		}
	in->fed += n;
	in->z.next_in = (unsigned char *)(uintptr_t)s;
	in->z.avail_in = (uInt)n;
	for (;;) {
		switch (in_member(in, err)) {
		case 0:
			return 0;
		case -1:
			return gz_fail(in, err);
		}
		if ((r = in_step(in, in->buf, in->cap, err)) < 0)
			return gz_fail(in, err);
		if (r > 0)
			in->lastc = (unsigned char)in->buf[r - 1];
		in->decoded += (unsigned long long)r;
		if (in->decoded > in->limit) {
			snprintf(err, GHA_ERRLEN, "%s: data inflates past the "
			    "limit of %llu bytes (a gzip bomb?)", in->name,
			    in->limit);
			return gz_fail(in, err);
		}
		/* Done with this piece once it is in and nothing is held. */
		if (in->z.avail_in == 0 && (size_t)r < in->cap)
			return 0;
	}
}

/*
 * Every byte of the file was fed: 0 when it is good (*rawbytes, when not
 * NULL, gets its decoded size), or -1 with err set.  Frees in.
 */
int
gha_gz_finish(struct gha_in *in, unsigned long long *rawbytes, char *err)
{
	int rc = -1;

	if (in->failed)
		memcpy(err, in->failerr, GHA_ERRLEN);
	else if (in->fed == 0)
		in_seterr(err, in->name, "empty file, not gzip data "
		    "(unexpected end of file)");
	else if (in->fed < 2)
		in_seterr(err, in->name, "not gzip data");
	else if (!in->zend)
		in_seterr(err, in->name,
		    "unexpected end of gzip data (truncated file)");
	else if (in->decoded == 0)
		in_seterr(err, in->name, "empty gzip data");
	else if (in->lastc != '\n')
		in_seterr(err, in->name, "last line is cut off (no final newline)");
	else
		rc = 0;
	if (rc == 0 && rawbytes != NULL)
		*rawbytes = in->decoded;
	gha_in_close(in);
	return rc;
}

/*
 * Verify that path is one complete gzip stream (every member's CRC and
 * length checked, nothing after the last member) whose data ends in '\n':
 * the checker above, fed the file.  *rawbytes gets the decoded size.
 * Returns 0, or -1 with err set.
 */
int
gha_gz_check(const char *path, unsigned long long *rawbytes, char *err)
{
	struct gha_in *ck;
	unsigned char *raw;
	ssize_t r;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		in_seterr(err, path, strerror(errno));
		return -1;
	}
	if ((ck = gha_gz_start(path, err)) == NULL) {
		close(fd);
		return -1;
	}
	raw = gha_emalloc(RAWSIZE);
	while (rc == 0 && (r = in_xread(fd, raw, RAWSIZE)) != 0) {
		if (r < 0) {
			in_seterr(err, path, strerror(errno));
			rc = -1;
		} else
			rc = gha_gz_feed(ck, raw, (size_t)r, err);
	}
	free(raw);
	close(fd);
	if (rc != 0) {
		gha_in_close(ck);
		return -1;
	}
	return gha_gz_finish(ck, rawbytes, err);
}
