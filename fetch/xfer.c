/*
 * xfer.c - one attempt at one archive hour: a libcurl easy handle that
 * streams the body into a temporary file in the cache folder, and the
 * verdict on the attempt once libcurl is done with it.
 *
 * The temporary file is ".NAME.json.gz.part" beside the final name.  It is
 * locked (flock) while a transfer writes it, so two gha-fetch runs sharing
 * a cache never write one file together: the second one downloads into a
 * private mkstemp file instead.  When a .part file is already there (a run
 * was killed, or the connection broke) the request asks only for the rest
 * with "Range: bytes=N-"; a 206 whose Content-Range starts elsewhere, or a
 * plain 200 (no Range support), starts the file over.  Only a body that
 * passes the gzip check - complete gzip, every member's CRC and length,
 * nothing after the last member, data ending in '\n' - is fsync'ed and
 * renamed to its final name, so the final name never holds anything else,
 * whatever kills the process and when.
 *
 * The check runs while the body arrives: the write callback hands every
 * piece it writes to a streaming inflate (gha_gz_feed), so the check
 * overlaps the download and the file is never read back for it.  Only
 * what the file held before this attempt (a resumed .part file's first
 * part, or a whole file answered 416) is read back, once, for the check
 * to catch up.  The inflated bytes are dropped: gha-decode inflates the
 * file again to decode it.  That second inflate (unless --defer-check,
 * below) is the price of a cache
 * that holds only proven files whoever reads them next, and of retrying
 * a damaged download here, at once, before anything downstream sees it;
 * leaving the proof to gha-decode would let the records before the damage
 * of a bad download flow into the database.  The ETag, when the server sends
 * one, goes to a ".NAME.json.gz.etag" file and the file's mtime is set to
 * Last-Modified, for -R to revalidate with.
 *
 * --defer-check leaves that inflate to the reader, for a pipeline whose
 * next stage inflates every byte anyway: a complete body is fsync'ed and
 * renamed to ".NAME.json.gz.unproven-XXXXXX", a name no other run will
 * ever write, and that name is what gha-fetch lists.  gha-decode knows the
 * form: it holds back the records of such a file until it has inflated it
 * whole and found it good, then renames it to NAME.json.gz and lets the
 * records go; a damaged one it removes, and none of its records leave it.
 * So the cache still only ever holds proven files, and a damaged download
 * still gives the database nothing, but each byte is inflated once.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"

unsigned long long fetch_bytes;

/* Forget the gzip check: the file starts over. */
static void
ck_reset(struct fetch_xfer *x)
{
	gha_in_close(x->ck);
	x->ck = NULL;
	x->ckfed = 0;
	x->ckbad = 0;
}

/*
 * Feed the check n bytes of the file at offset ckfed (p, or when NULL
 * read back from the file).  A failure is kept in ckerr, for commit().
 */
static void
ck_feed(struct fetch_xfer *x, const char *p, size_t n)
{
	char buf[64 << 10];
	size_t k;
	ssize_t r;

	if (x->ckbad)
		return;
	if (x->ck == NULL && (x->ck = gha_gz_start(x->part,
	    x->ckerr)) == NULL) {
		x->ckbad = 1;
		return;
	}
	while (n > 0 && !x->ckbad) {
		k = n;
		if (p == NULL) {
			k = n < sizeof(buf) ? n : sizeof(buf);
			if ((r = pread(x->fd, buf, k, (off_t)x->ckfed)) <= 0) {
				snprintf(x->ckerr, GHA_ERRLEN, "%s: %s", x->part,
				    r < 0 ? strerror(errno) : "shorter than "
				    "written");
				x->ckbad = 1;
				return;
			}
			k = (size_t)r;
		}
		if (gha_gz_feed(x->ck, p != NULL ? p : buf, k, x->ckerr) != 0)
			x->ckbad = 1;
		x->ckfed += k;
		n -= k;
		if (p != NULL)
			p += k;
	}
}

/* Bring the check up to the file's first upto bytes, read back. */
static void
ck_catch_up(struct fetch_xfer *x, unsigned long long upto)
{
	if (x->ckfed < upto)
		ck_feed(x, NULL, (size_t)(upto - x->ckfed));
}

/* "dir/pre name suf", allocated. */
char *
fetch_path(const char *dir, const char *pre, const char *name,
    const char *suf)
{
	size_t n = strlen(dir) + strlen(pre) + strlen(name) + strlen(suf) + 2;
	char *p = gha_emalloc(n);

	snprintf(p, n, "%s/%s%s%s", dir, pre, name, suf);
	return p;
}

/* A monotonic clock in milliseconds. */
int64_t
fetch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * libcurl's progress callback, called about once a second even when no
 * byte comes: a transfer silent for the stall time is stopped.  (libcurl's
 * own LOW_SPEED_TIME averages over several seconds, so it stops a stalled
 * transfer only well after the time asked for.)
 */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct fetch_xfer *x = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (fetch_now_ms() - x->last > x->stall) {
		x->stalled = 1;
		return 1;
	}
	return 0;
}

/* The value of response header name of the last response, or NULL. */
static const char *
header(CURL *h, const char *name)
{
	struct curl_header *hd;

	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK)
		return NULL;
	return hd->value;
}

/*
 * libcurl's write callback.  The first call of an attempt decides where
 * the body goes: a 200 replaces whatever the file held, a 206 must
 * continue it exactly, anything else (an error page) is dropped.
 */
static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct fetch_xfer *x = arg;
	size_t len = size * nmemb, off;
	const char *cr;
	ssize_t w;

	if (!x->body) {
		x->body = 1;
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->code);
		if (x->code == 200) {
			if (x->offset > 0 && (ftruncate(x->fd, 0) != 0 ||
			    lseek(x->fd, 0, SEEK_SET) != 0)) {
				x->werr = errno;
				return 0;
			}
			x->offset = 0;
			x->keep = 1;
			ck_reset(x);
		} else if (x->code == 206) {
			cr = header(x->h, "Content-Range");
			if (cr == NULL || strncmp(cr, "bytes ", 6) != 0 ||
			    strtoll(cr + 6, NULL, 10) != (long long)x->offset) {
				x->badrange = 1;
				return 0;
			}
			x->keep = 1;
		}
	}
	if (!x->keep)
		return len;
	for (off = 0; off < len; off += (size_t)w) {
		if ((w = write(x->fd, p + off, len - off)) < 0) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			x->werr = errno;
			return 0;
		}
	}
	if (!x->defer) {
		ck_catch_up(x, (unsigned long long)x->offset + x->got);
		ck_feed(x, p, len);
	}
	x->got += len;
	x->last = fetch_now_ms();
	fetch_bytes += len;
	return len;
}

/*
 * Open (and lock) the temporary file; *offset gets what it already holds.
 * The inode check makes sure the locked file is still the one named .part:
 * a run that just renamed it to the final name must not be written into.
 */
static int
open_part(struct fetch_xfer *x, const char *dir, char *err)
{
	struct stat a, b;
	char *tmpl;
	int i;

	for (i = 0; i < 5; i++) {
		if ((x->fd = open(x->part, O_RDWR | O_CREAT | O_CLOEXEC,
		    0644)) == -1) {
			snprintf(err, GHA_ERRLEN, "%s: %s", x->part,
			    strerror(errno));
			return -1;
		}
		if (flock(x->fd, LOCK_EX | LOCK_NB) != 0)
			break;
		if (fstat(x->fd, &a) == 0 && stat(x->part, &b) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			x->shared = 1;
			return 0;
		}
		close(x->fd);
	}
	/* Someone else is on this hour: a private file, never resumed. */
	close(x->fd);
	tmpl = fetch_path(dir, ".", x->name, ".json.gz.XXXXXX");
	if ((x->fd = mkstemp(tmpl)) == -1) {
		snprintf(err, GHA_ERRLEN, "%s: %s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	fcntl(x->fd, F_SETFD, FD_CLOEXEC);
	free(x->part);
	x->part = tmpl;
	x->shared = 0;
	return 0;
}

/* Read the saved ETag of the cached file into buf; 0 when there is one. */
static int
read_etag(const char *path, char *buf, size_t size)
{
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, size - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] != '\0' ? 0 : -1;
}

/*
 * Set up x (whose name and hour the caller set) for one attempt and return
 * 0, or -1 with err set when the cache cannot take the file.
 */
int
fetch_xfer_start(struct fetch_xfer *x, const struct fetch_opt *o,
    const char *ua, char *err)
{
	struct stat st;
	char range[32], etag[512], hdr[600];
	size_t n;

	n = strlen(o->base) + strlen(x->name) + 10;
	x->url = gha_emalloc(n);
	snprintf(x->url, n, "%s/%s.json.gz", o->base, x->name);
	x->final = fetch_path(o->dir, "", x->name, ".json.gz");
	x->part = fetch_path(o->dir, ".", x->name, ".json.gz.part");
	x->etagpath = fetch_path(o->dir, ".", x->name, ".json.gz.etag");
	x->body = x->keep = x->badrange = x->werr = x->stalled = 0;
	x->corrupt = x->committed = 0;
	x->defer = o->defer;
	x->unproven = o->defer ? fetch_path(o->dir, ".", x->name,
	    ".json.gz" GHA_UNPROVEN "XXXXXX") : NULL;
	ck_reset(x);
	x->stall = o->stall * 1000;
	x->last = fetch_now_ms();
	x->code = 0;
	x->got = 0;
	x->retry_after = -1;
	x->cerr[0] = '\0';
	x->hdrs = NULL;
	x->fd = -1;

	x->revalidating = o->revalidate && stat(x->final, &st) == 0 &&
	    S_ISREG(st.st_mode);
	if (open_part(x, o->dir, err) != 0)
		return -1;
	if (x->revalidating && ftruncate(x->fd, 0) != 0) {
		snprintf(err, GHA_ERRLEN, "%s: %s", x->part, strerror(errno));
		return -1;
	}
	if (fstat(x->fd, &st) != 0 || lseek(x->fd, st.st_size, SEEK_SET) < 0) {
		snprintf(err, GHA_ERRLEN, "%s: %s", x->part, strerror(errno));
		return -1;
	}
	x->offset = st.st_size;

	curl_easy_reset(x->h);
	curl_easy_setopt(x->h, CURLOPT_URL, x->url);
	curl_easy_setopt(x->h, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->cerr);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(x->h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT, o->stall);
	curl_easy_setopt(x->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(x->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(x->h, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(x->h, CURLOPT_FILETIME, 1L);
	if (o->maxspeed > 0)
		curl_easy_setopt(x->h, CURLOPT_MAX_RECV_SPEED_LARGE,
		    o->maxspeed);
	if (x->revalidating) {
		stat(x->final, &st);
		curl_easy_setopt(x->h, CURLOPT_TIMECONDITION,
		    (long)CURL_TIMECOND_IFMODSINCE);
		curl_easy_setopt(x->h, CURLOPT_TIMEVALUE_LARGE,
		    (curl_off_t)st.st_mtime);
		if (read_etag(x->etagpath, etag, sizeof(etag)) == 0) {
			snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
			x->hdrs = curl_slist_append(NULL, hdr);
			curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->hdrs);
		}
	} else if (x->offset > 0) {
		snprintf(range, sizeof(range), "%lld-",
		    (long long)x->offset);
		curl_easy_setopt(x->h, CURLOPT_RANGE, range);
	}
	return 0;
}

/*
 * Close the temporary file; remove it too when it is no use later: when
 * asked, when empty, or when private (only .part files are resumed).
 */
static void
drop(struct fetch_xfer *x, int remove)
{
	struct stat st;

	if (x->fd != -1) {
		if (fstat(x->fd, &st) == 0 && st.st_size == 0)
			remove = 1;
		close(x->fd);
	}
	x->fd = -1;
	if (remove || !x->shared)
		unlink(x->part);
}

/* Errors that a later try may not meet. */
static int
transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
		return 1;
	default:
		return 0;
	}
}

/* Keep the new ETag beside the file, or forget an old one. */
static void
save_etag(struct fetch_xfer *x)
{
	const char *etag = header(x->h, "ETag");
	char *tmp;
	FILE *fp;

	if (etag == NULL || *etag == '\0' || strlen(etag) > 500) {
		unlink(x->etagpath);
		return;
	}
	tmp = gha_emalloc(strlen(x->etagpath) + 5);
	snprintf(tmp, strlen(x->etagpath) + 5, "%s.tmp", x->etagpath);
	if ((fp = fopen(tmp, "w")) != NULL) {
		fprintf(fp, "%s\n", etag);
		if (fclose(fp) == 0 && rename(tmp, x->etagpath) == 0) {
			free(tmp);
			return;
		}
	}
	unlink(tmp);
	unlink(x->etagpath);
	free(tmp);
}

/* Set the file's mtime to the server's Last-Modified, when it sent one. */
static void
set_mtime(struct fetch_xfer *x)
{
	struct timespec ts[2];
	curl_off_t ft = -1;

	if (curl_easy_getinfo(x->h, CURLINFO_FILETIME_T, &ft) == CURLE_OK &&
	    ft >= 0) {
		ts[0].tv_sec = 0;
		ts[0].tv_nsec = UTIME_NOW;
		ts[1].tv_sec = (time_t)ft;
		ts[1].tv_nsec = 0;
		futimens(x->fd, ts);
	}
}

/*
 * --defer-check: the complete, fsync'ed body under a name of its own for
 * the reader to prove (see the top of the file).  mkstemp makes the name;
 * the rename replaces that empty file.  The ETag of the cached copy is no
 * longer known (the new body may not be kept): -R falls back on the mtime.
 */
static int
defer(struct fetch_xfer *x, char *err)
{
	int fd;

	set_mtime(x);
	if ((fd = mkstemp(x->unproven)) == -1 ||
	    rename(x->part, x->unproven) != 0) {
		snprintf(err, GHA_ERRLEN, "%s: %s", x->unproven,
		    strerror(errno));
		if (fd != -1)
			unlink(x->unproven);
		drop(x, 1);
		return FO_FAILED;
	}
	close(fd);
	unlink(x->etagpath);
	close(x->fd);		/* releases the lock only now */
	x->fd = -1;
	x->committed = 1;
	return FO_OK;
}

/* Verify the complete body and give it its final name. */
static int
commit(struct fetch_xfer *x, char *err)
{
	char why[GHA_ERRLEN];

	if (fsync(x->fd) != 0) {
		snprintf(err, GHA_ERRLEN, "%s: %s", x->part, strerror(errno));
		drop(x, 1);
		return FO_FAILED;
	}
	if (x->defer)
		return defer(x, err);
	/* The check has seen the body; what was there before, not yet. */
	ck_catch_up(x, (unsigned long long)x->offset + x->got);
	if (x->ck == NULL && !x->ckbad &&
	    (x->ck = gha_gz_start(x->part, x->ckerr)) == NULL)
		x->ckbad = 1;
	if (x->ckbad)
		memcpy(why, x->ckerr, GHA_ERRLEN);
	else {
		if (gha_gz_finish(x->ck, NULL, why) != 0)
			x->ckbad = 1;
		x->ck = NULL;		/* gha_gz_finish freed it */
	}
	if (x->ckbad) {
		ck_reset(x);
		snprintf(err, GHA_ERRLEN, "refused (HTTP %ld, %llu %s): %.180s",
		    x->code, (unsigned long long)x->offset + x->got,
		    gha_plural(x->offset + x->got, "byte", "bytes"), why);
		x->corrupt = 1;
		drop(x, 1);
		return FO_RETRY;
	}
	set_mtime(x);
	if (rename(x->part, x->final) != 0) {
		snprintf(err, GHA_ERRLEN, "%s: %s", x->final, strerror(errno));
		drop(x, 1);
		return FO_FAILED;
	}
	save_etag(x);
	close(x->fd);		/* releases the lock only now */
	x->fd = -1;
	x->committed = 1;
	return FO_OK;
}

/*
 * The verdict on an attempt libcurl finished with rc: an enum
 * fetch_outcome, with err saying why when it is not FO_OK (and for an
 * FO_OK worth a warning).
 */
int
fetch_xfer_finish(struct fetch_xfer *x, CURLcode rc, char *err)
{
	curl_off_t ra;

	err[0] = '\0';
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->code);
	if (curl_easy_getinfo(x->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
	    ra > 0)
		x->retry_after = ra > 86400 ? 86400 : (long)ra;
	if (x->werr) {
		snprintf(err, GHA_ERRLEN, "%s: %s", x->part,
		    strerror(x->werr));
		drop(x, 1);
		return FO_FAILED;
	}
	if (x->badrange) {
		snprintf(err, GHA_ERRLEN, "the server answered the Range "
		    "request with another range; starting over");
		drop(x, 1);
		return FO_RETRY;
	}
	if (x->stalled) {
		snprintf(err, GHA_ERRLEN, "no data for %ld s (stalled) after "
		    "%llu %s", x->stall / 1000,
		    (unsigned long long)x->offset + x->got,
		    gha_plural(x->offset + x->got, "byte", "bytes"));
		drop(x, 0);
		return FO_RETRY;
	}
	if (rc != CURLE_OK) {
		/* "after 0 bytes" would only be noise: no answer came. */
		if (x->offset + x->got == 0)
			snprintf(err, GHA_ERRLEN, "%.200s",
			    x->cerr[0] ? x->cerr : curl_easy_strerror(rc));
		else
			snprintf(err, GHA_ERRLEN, "%.200s after %llu %s",
			    x->cerr[0] ? x->cerr : curl_easy_strerror(rc),
			    (unsigned long long)x->offset + x->got,
			    gha_plural(x->offset + x->got, "byte", "bytes"));
		drop(x, 0);	/* keep what came, for a Range request */
		return transient(rc) ? FO_RETRY : FO_FAILED;
	}
	switch (x->code) {
	case 200:
	case 206:
		return commit(x, err);
	case 416:
		/* Asked for the rest of a file we may already hold whole. */
		if (x->offset > 0 && !x->revalidating)
			return commit(x, err);
		break;
	case 304:
		drop(x, 1);
		if (x->revalidating)
			return FO_OK;
		break;
	case 404:
	case 410:
		drop(x, 1);
		if (x->revalidating) {
			snprintf(err, GHA_ERRLEN, "the server no longer has "
			    "it (HTTP %ld); keeping the cached copy", x->code);
			return FO_OK;
		}
		return FO_UNAVAIL;
	case 408:
	case 425:
	case 429:
		snprintf(err, GHA_ERRLEN, "HTTP %ld", x->code);
		drop(x, 0);
		return FO_RETRY;
	default:
		if (x->code >= 500 && x->code <= 599) {
			snprintf(err, GHA_ERRLEN, "HTTP %ld", x->code);
			drop(x, 0);
			return FO_RETRY;
		}
		break;
	}
	snprintf(err, GHA_ERRLEN, "HTTP %ld from %s", x->code, x->url);
	drop(x, 1);
	return FO_FAILED;
}

/* Stop an attempt for good (interrupt): its temporary file goes too. */
void
fetch_xfer_abort(struct fetch_xfer *x)
{
	if (x->part != NULL)
		drop(x, 1);
}

/* Free what fetch_xfer_start allocated (not the easy handle). */
void
fetch_xfer_free(struct fetch_xfer *x)
{
	if (x->fd != -1)
		close(x->fd);
	x->fd = -1;
	free(x->url);
	free(x->final);
	free(x->part);
	free(x->etagpath);
	free(x->unproven);
	x->url = x->final = x->part = x->etagpath = x->unproven = NULL;
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	ck_reset(x);
}
