/*
 * input.h - the inside of the line reader, shared by input.c (reading
 * lines from a file or stdin) and gzcheck.c (checking gzip data fed in
 * pieces, as gha-fetch receives it).  Not installed, not for the tools.
 */
#ifndef GHA_INPUT_H
#define GHA_INPUT_H

#include <sys/types.h>

#include <pthread.h>
#include <zlib.h>
#ifdef GHA_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "gha.h"

#define RAWSIZE		(256U << 10)
#define BUFSIZE		(1U << 20)
#define NCHUNK		4
#define CHUNKSIZE	(256U << 10)

struct chunk {
	char	 data[CHUNKSIZE];
	size_t	 n, off;
	int	 status;		/* 1 data, 0 end, -1 error in err */
	char	 err[GHA_ERRLEN];
};

struct gha_in {
	int		 fd;
	int		 ownfd;
	char		*name;
	size_t		 maxline;
	int		 gz;		/* the data is gzip */
	int		 zinit;		/* z is initialised */
	int		 zend;		/* a member just ended */
	int		 raweof;	/* read() returned 0 */
	int		 eof;		/* no more decoded data */
	int		 skipping;	/* discarding an over-long line */
	int		 cutlast;	/* the last line had no '\n' */
	int		 zfail;		/* inflate_into owes zerr */
	ssize_t		 zout;		/* bytes step() wrote before failing */
	char		 zerr[GHA_ERRLEN];
	int		 failed;	/* the data is damaged: failerr */
	char		 failerr[GHA_ERRLEN];
	int		 threaded;	/* an inflate thread feeds ring */
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 ready, room;
	struct chunk	*ring;
	int		 head, nready, stop;
	z_stream	 z;		/* zlib; next_in/avail_in: raw cursor */
#ifdef GHA_ISAL
	struct inflate_state is;	/* isa-l's igzip, when built with it */
#endif
	unsigned char	*raw;
	char		*buf;
	size_t		 cap, start, end, scan;
	unsigned long long lineno, bytes;
	unsigned long long decoded, limit;	/* bytes decoded; 0: no limit */
	unsigned long long fed;		/* gha_gz_feed: raw bytes so far */
	int		 lastc;		/* ... and the last byte they made */
};

ssize_t	 in_xread(int fd, void *p, size_t n);
void	 in_seterr(char *err, const char *name, const char *what);
int	 in_gz_init(struct gha_in *in, char *err);
void	 in_restart(struct gha_in *in);
int	 in_member(struct gha_in *in, char *err);
ssize_t	 in_step(struct gha_in *in, char *dst, size_t cap, char *err);

#endif /* GHA_INPUT_H */
