/*
 * fuzz_input - the plain/gzip line reader of lib/input.c.
 *
 * The reader is held against a reference that is obviously right because
 * it does everything at once: zlib inflates the whole file into memory
 * member after member, and the result is split on '\n'.  The reader must
 * hand out exactly those lines (GHA_IN_LONG for each one above maxline),
 * then GHA_IN_EOF, or GHA_IN_ERR after exactly the complete lines the
 * reference got before the damage; count lines and bytes as it does; and
 * gha_in_peek and gha_gz_check must agree with it too.
 *
 * The first five bytes of the input steer the run, the rest is data:
 *   0  mode, low 4 bits % 3: 0 the data is the file as it is, 1 the data
 *      gzipped in 1-4 members, 2 the same then damaged; bit 4:
 *      gha_in_peek first;
 *      bit 5: inflate in a thread of its own (gha_in_thread)
 *   1  the most bytes one read() returns (0: no limit), so that lines,
 *      gzip headers and members straddle reads
 *   2  maxline (0: the default)
 *   3  a fault: low 4 bits = which read() call fails (0: none), with
 *      EINTR (must be retried, invisibly) or, with bit 4, EIO
 *   4  members and kind of damage
 * The file goes through a temporary file and the reader's own read()
 * calls; read() is wrapped at link time (-Wl,--wrap=read) to inject the
 * short reads and faults, so lib/input.c needs no test hook.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "gha.h"
#include "fuzz.h"

#define MAXOUT	(8U << 20)	/* skip inputs that inflate beyond this */

/*
 * isa-l (make ISAL=1) checks damaged deflate data less strictly than
 * zlib: it may decode garbage past the point where zlib stops ("invalid
 * distance too far back").  Built with it, the reader must still agree
 * with zlib on good data, and on damaged data on the lines both have and
 * on ending in an error, but what it makes of the damage is its own.
 */
#ifdef GHA_ISAL
#define LOOSE	1
#else
#define LOOSE	0
#endif
#define MAXLINES 100000

ssize_t	__real_read(int, void *, size_t);
ssize_t	__wrap_read(int, void *, size_t);

static struct {
	int	 on;
	size_t	 chunk;		/* most bytes per call, 0: any */
	int	 calls;
	int	 failat;	/* call number that fails, 0: none */
	int	 failerr;
	int	 failed;	/* the fault happened */
} rd;

ssize_t
__wrap_read(int fd, void *p, size_t n)
{
	if (rd.on) {
		if (++rd.calls == rd.failat) {
			rd.failed = 1;
			errno = rd.failerr;
			return -1;
		}
		if (rd.chunk > 0 && n > rd.chunk)
			n = rd.chunk;
	}
	return __real_read(fd, p, n);
}

struct bytes {
	unsigned char	*p;
	size_t		 n, cap;
};

static void
add(struct bytes *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = gha_erealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* Append p[0..n) to b as one gzip member. */
static void
gzip_member(struct bytes *b, const unsigned char *p, size_t n)
{
	unsigned char out[4096];
	z_stream z;
	int r;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		fz_fail("deflateInit2");
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		r = deflate(&z, Z_FINISH);
		add(b, out, sizeof(out) - z.avail_out);
	} while (r == Z_OK);
	if (r != Z_STREAM_END)
		fz_fail("deflate: %d", r);
	deflateEnd(&z);
}

/*
 * The reference: decode file f whole into d.  Returns 0 when all of it is
 * good, -1 when it is damaged (d then holds what came out before), 1 when
 * it inflates to more than MAXOUT (not worth checking).
 */
static int
ref_decode(const struct bytes *f, struct bytes *d)
{
	unsigned char out[16384];
	z_stream z;
	int r, rc = 0;

	if (f->n < 2 || f->p[0] != 0x1f || f->p[1] != 0x8b) {
		add(d, f->p, f->n);
		return 0;
	}
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		fz_fail("inflateInit2");
	z.next_in = f->p;
	z.avail_in = (uInt)f->n;
	for (;;) {
		z.next_out = out;
		z.avail_out = sizeof(out);
		r = inflate(&z, Z_NO_FLUSH);
		add(d, out, sizeof(out) - z.avail_out);
		if (d->n > MAXOUT) {
			rc = 1;
			break;
		}
		if (r == Z_STREAM_END) {
			if (z.avail_in == 0)
				break;
			inflateReset(&z);	/* another member, or junk */
			continue;
		}
		if (r == Z_OK)
			continue;
		if (r == Z_BUF_ERROR && z.avail_out == 0)
			continue;
		rc = -1;	/* corrupt, or input ended inside a member */
		break;
	}
	inflateEnd(&z);
	return rc;
}

static size_t
hash(const unsigned char *p, size_t n)
{
	size_t h = 2166136261U;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619U;
	return h;
}

/* Build the file the reader will see from the control bytes and data. */
static void
make_file(struct bytes *f, int mode, unsigned param, const unsigned char *p,
    size_t n)
{
	size_t m = 1 + (param & 3), i, a, b, pos;
	static const unsigned char junk[] = { 'x', 0x1f, 0x8b, 0x08, 0 };

	if (mode == 0) {
		add(f, p, n);
		return;
	}
	for (i = 0; i < m; i++) {
		a = n * i / m;
		b = n * (i + 1) / m;
		gzip_member(f, p + a, b - a);
	}
	if (mode == 1)
		return;
	pos = hash(p, n) % f->n;
	switch ((param >> 2) & 3) {
	case 0:		/* truncated */
		f->n = pos;
		break;
	case 1:		/* a byte changed */
		f->p[pos] ^= 1 + (param >> 4);
		break;
	case 2:		/* junk after the last member */
		add(f, junk, 1 + (param >> 4) % 4);
		break;
	default:	/* the start of a member, cut short */
		add(f, junk + 1, 1 + (param >> 4) % 4);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct bytes f = { 0 }, d = { 0 };
	struct gha_in *in;
	char err[GHA_ERRLEN];
	const char *line;
	size_t len, maxline, i, start, nl, nlines = 0, good;
	unsigned long long rawbytes;
	int mode, peek, ok, r, pk, want, faulty, loose;

	if (fd < 0) {
		FILE *tf = tmpfile();

		if (tf == NULL || (fd = dup(fileno(tf))) < 0)
			fz_fail("tmpfile: %s", strerror(errno));
		fclose(tf);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (size < 5)
		return 0;
	mode = (data[0] & 15) % 3;
	peek = data[0] & 0x10;
	rd.chunk = data[1];
	maxline = data[2];
	rd.failat = data[3] & 15;
	rd.failerr = data[3] & 0x10 ? EIO : EINTR;
	make_file(&f, mode, data[4], data + 5, size - 5);
	if ((ok = ref_decode(&f, &d)) == 1)
		goto out;
	ok = ok == 0;
	loose = LOOSE && !ok;

	if (ftruncate(fd, 0) != 0 || pwrite(fd, f.p, f.n, 0) != (ssize_t)f.n ||
	    lseek(fd, 0, SEEK_SET) != 0)
		fz_fail("cannot write the temporary file");
	rd.on = 1;
	rd.calls = rd.failed = 0;
	faulty = rd.failerr == EIO;	/* an EIO may come: less is known */
	err[0] = '\0';
	if ((in = gha_in_fdopen(fd, "fuzz", maxline, err)) == NULL) {
		if (!(faulty && rd.failed) || err[0] == '\0')
			fz_fail("gha_in_fdopen failed: %s", err);
		goto out;
	}
	if (!!gha_in_isgzip(in) != (f.n >= 2 && f.p[0] == 0x1f &&
	    f.p[1] == 0x8b))
		fz_fail("gzip detected wrongly");
	if (maxline == 0)
		maxline = GHA_IN_MAXLINE;
	if ((data[0] & 0x20) && gha_in_thread(in) != 0)
		fz_fail("gha_in_thread failed");

	if (peek) {
		/* Like the reader, count NUL bytes as white space. */
		pk = gha_in_peek(in, err);
		for (i = 0; i < d.n && strchr(" \t\r\n", d.p[i]) != NULL; i++)
			;
		want = i < d.n ? d.p[i] : -1;
		if (pk == -2) {
			if (ok && !(faulty && rd.failed))
				fz_fail("gha_in_peek failed: %s", err);
		} else if (pk == -1) {
			if (want != -1 || !ok)
				fz_fail("gha_in_peek says empty");
		} else if (pk != want && !(loose && want == -1) &&
		    !(pk == '\n' && d.n >= (1U << 20)))
			fz_fail("gha_in_peek gives %d, the data has %d",
			    pk, want);
	}

	/* Walk the reference's lines alongside the reader's. */
	start = 0;
	good = 0;		/* bytes of whole lines handed out */
	for (;;) {
		r = gha_in_getline(in, &line, &len, err);
		if (r == GHA_IN_EOF || r == GHA_IN_ERR)
			break;
		if (r != GHA_IN_LINE && r != GHA_IN_LONG)
			fz_fail("gha_in_getline returned %d", r);
		if (++nlines > MAXLINES)
			fz_fail("too many lines");
		if (loose && (start >= d.n ||
		    memchr(d.p + start, '\n', d.n - start) == NULL)) {
			start = d.n;	/* past zlib's last whole line */
			continue;
		}
		if (start >= d.n)
			fz_fail("a line the reference does not have");
		nl = start;
		while (nl < d.n && d.p[nl] != '\n')
			nl++;
		if (nl == d.n && !ok)
			fz_fail("a cut-off line of damaged data handed out");
		if ((nl - start > maxline) != (r == GHA_IN_LONG))
			fz_fail("line %zu: %d for a line of %zu bytes, "
			    "maxline %zu", nlines, r, nl - start, maxline);
		if (r == GHA_IN_LINE && (len != nl - start ||
		    (len > 0 && memcmp(line, d.p + start, len) != 0))) {
			fz_show("reader", line, len);
			fz_show("reference", d.p + start, nl - start);
			fz_fail("line %zu differs", nlines);
		}
		if (gha_in_lineno(in) != nlines)
			fz_fail("lineno %llu, expected %zu",
			    gha_in_lineno(in), nlines);
		start = nl < d.n ? nl + 1 : nl;
		good = start;
		if (gha_in_bytes(in) != good)
			fz_fail("bytes %llu after line %zu, expected %zu",
			    gha_in_bytes(in), nlines, good);
	}
	if (r == GHA_IN_EOF) {
		if (!ok)
			fz_fail("clean end of damaged data (%zu of %zu "
			    "bytes, %zu lines)", good, d.n, nlines);
		if (faulty && rd.failed)
			fz_fail("clean end after a read error");
		if (good != d.n)
			fz_fail("end after %zu of %zu bytes", good, d.n);
	} else {
		if (err[0] == '\0')
			fz_fail("GHA_IN_ERR without a message");
		if (ok && !(faulty && rd.failed))
			fz_fail("error on good data: %s", err);
		/* Every complete line before the damage came out. */
		if (!(faulty && rd.failed) && !loose && good < d.n &&
		    memchr(d.p + good, '\n', d.n - good) != NULL)
			fz_fail("error after %zu lines, before a complete "
			    "line: %s", nlines, err);
	}
	gha_in_close(in);

	/* gha_gz_check: one complete gzip stream ending in '\n'. */
	if (rd.failat == 0 || !faulty) {
		rd.calls = 0;
		want = f.n >= 2 && f.p[0] == 0x1f && f.p[1] == 0x8b && ok &&
		    d.n > 0 && d.p[d.n - 1] == '\n';
		rawbytes = 0;
		r = gha_gz_check(path, &rawbytes, err);
		if ((r == 0) != want)
			fz_fail("gha_gz_check says %d, expected %s (%s)", r,
			    want ? "good" : "bad", r ? err : "");
		if (r == 0 && rawbytes != d.n)
			fz_fail("gha_gz_check: %llu bytes, expected %zu",
			    rawbytes, d.n);
	}
out:
	rd.on = 0;
	free(f.p);
	free(d.p);
	return 0;
}
