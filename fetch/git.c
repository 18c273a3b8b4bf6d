/*
 * git.c - commit counts from a local bare clone (gha-fetch --commits).
 *
 * Each repository is cloned once into the cache, as
 * DIR/git/OWNER/NAME.git, with `git clone --bare --filter=tree:0`:
 * commits only, no trees or blobs, which is all that counting needs and a
 * small part of a repository's size.  A repository is fetched at most
 * once a run, the first time a push to it needs it; a commit the
 * branches no longer reach (a force push overwrote it) is asked for by
 * its SHA, which GitHub serves.  gc.auto is 0 in the clone, so a commit
 * fetched once stays, whatever later pushes do to the branches.
 *
 * The counts (the rules of commits.c):
 *   before..head      `git rev-list --count before..head`: the commits
 *                     new on the branch, for a force push too;
 *   new branch        before is 40 zeros: the commits reachable from head
 *                     and not from the default branch (`head ^HEAD`), or,
 *                     when the push made the default branch itself (a
 *                     repository's first push), every commit of head.
 * A commit this source cannot get (the repository or the commit gone, a
 * network failure: git does not say which) is CM_CANNOT, for the API to
 * answer when it is in --via, or the push stays for the next run.
 *
 * git runs with its arguments as an argv, never through a shell, without
 * a terminal prompt or a credential helper; its stderr goes to /dev/null
 * (the reason of a failure is its exit status and which step failed).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commits.h"

extern char **environ;

/* The repositories fetched in this run. */
static char **fetched;
static size_t nfetched, capfetched;

/*
 * Run git with args; its stdout, up to size - 1 bytes, into out (may be
 * NULL).  The exit status, or -1 when git could not be run.
 */
static int
git(char *const args[], char *out, size_t size)
{
	posix_spawn_file_actions_t fa;
	char buf[256];
	pid_t pid;
	ssize_t r;
	size_t n = 0;
	int pfd[2], st;

	if (pipe(pfd) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	st = posix_spawnp(&pid, "git", &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (st != 0) {
		close(pfd[0]);
		return -1;
	}
	while ((r = read(pfd[0], buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out != NULL && n + (size_t)r < size) {
			memcpy(out + n, buf, (size_t)r);
			n += (size_t)r;
		}
	}
	close(pfd[0]);
	if (out != NULL)
		out[n] = '\0';
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* mkdir -p of the folder that holds path. */
static void
mkparents(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
}

static int
was_fetched(const char *repo)
{
	size_t i;

	for (i = 0; i < nfetched; i++)
		if (strcmp(fetched[i], repo) == 0)
			return 1;
	if (nfetched == capfetched) {
		capfetched = capfetched ? 2 * capfetched : 64;
		fetched = gha_erealloc(fetched, capfetched * sizeof(*fetched));
	}
	fetched[nfetched++] = gha_estrdup(repo);
	return 0;
}

/*
 * The clone of p's repository at path, made or brought up to date once
 * this run; 0, or -1 with err.
 */
static int
ready(const struct cm_opt *o, const char *repo, const char *path,
    char *err)
{
	char url[1024], tmp[1100], stall[64];
	struct stat sb;

	if (was_fetched(repo))
		return stat(path, &sb) == 0 ? 0 : -1;
	snprintf(url, sizeof(url), "%s/%s.git", o->git, repo);
	snprintf(stall, sizeof(stall), "http.lowSpeedTime=%ld", o->stall);
	if (stat(path, &sb) != 0) {
		char *const clone[] = { "git", "-c", "credential.helper=",
		    "-c", "http.lowSpeedLimit=1", "-c", stall, "clone",
		    "--bare", "--quiet", "--filter=tree:0", url, tmp, NULL };
		char *const conf[] = { "git", "-C", tmp, "config", "gc.auto",
		    "0", NULL };
		char cmd[] = "rm";

		snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
		mkparents(tmp);
		if (git(clone, NULL, 0) != 0 || git(conf, NULL, 0) != 0 ||
		    rename(tmp, path) != 0) {
			char *const rm[] = { cmd, "-rf", tmp, NULL };
			pid_t pid;
			int st;

			if (posix_spawnp(&pid, "rm", NULL, NULL, rm,
			    environ) == 0)
				waitpid(pid, &st, 0);
			snprintf(err, GHA_ERRLEN, "%s: git clone failed", repo);
			return -1;
		}
		return 0;
	} else {
		char *const fetch[] = { "git", "-c", "credential.helper=",
		    "-c", "http.lowSpeedLimit=1", "-c", stall, "-C",
		    (char *)path, "fetch", "--quiet", "--filter=tree:0",
		    "origin", "+refs/heads/*:refs/heads/*", NULL };

		if (git(fetch, NULL, 0) != 0) {
			snprintf(err, GHA_ERRLEN, "%s: git fetch failed", repo);
			return -1;
		}
	}
	return 0;
}

/* sha is a commit in the clone, fetched by its SHA when it was not. */
static int
have(const char *path, const char *sha)
{
	char obj[64];
	char *const test[] = { "git", "-C", (char *)path, "cat-file", "-e",
	    obj, NULL };
	char *const fetch[] = { "git", "-c", "credential.helper=", "-C",
	    (char *)path, "fetch", "--quiet", "--filter=tree:0", "origin",
	    (char *)sha, NULL };

	snprintf(obj, sizeof(obj), "%s^{commit}", sha);
	if (git(test, NULL, 0) == 0)
		return 1;
	return git(fetch, NULL, 0) == 0 && git(test, NULL, 0) == 0;
}

/* A count git printed; 0, or -1. */
static int
count(char *const args[], int64_t *n)
{
	char out[64], *end;
	long long v;

	if (git(args, out, sizeof(out)) != 0)
		return -1;
	errno = 0;
	v = strtoll(out, &end, 10);
	if (errno != 0 || end == out || (*end != '\n' && *end != '\0') ||
	    v < 0)
		return -1;
	*n = v;
	return 0;
}

int
cm_git_count(const struct cm_opt *o, const struct cm_push *p, int64_t *n,
    char *err)
{
	char path[1024], range[96], head[80], def[256];
	char *const rl[] = { "git", "-C", path, "rev-list", "--count", range,
	    NULL };
	char *const rl2[] = { "git", "-C", path, "rev-list", "--count",
	    (char *)p->head, head, NULL };
	char *const sym[] = { "git", "-C", path, "symbolic-ref", "HEAD",
	    NULL };
	size_t len;

	snprintf(path, sizeof(path), "%s/git/%s.git", o->dir, p->repo);
	if (ready(o, p->repo, path, err) != 0)
		return CM_CANNOT;
	if (!have(path, p->head)) {
		snprintf(err, GHA_ERRLEN, "%s: head %s not in the clone",
		    p->repo, p->head);
		return CM_CANNOT;
	}
	if (strcmp(p->before, CM_ZERO) != 0) {
		if (!have(path, p->before)) {
			snprintf(err, GHA_ERRLEN, "%s: before %s not in the "
			    "clone", p->repo, p->before);
			return CM_CANNOT;
		}
		snprintf(range, sizeof(range), "%s..%s", p->before, p->head);
		if (count(rl, n) != 0)
			goto fail;
		return CM_COUNT;
	}
	/* A new branch: the default branch itself, or beside it. */
	if (git(sym, def, sizeof(def)) != 0)
		goto fail;
	len = strcspn(def, "\n");
	def[len] = '\0';
	if (p->ref != NULL && strcmp(p->ref, def) == 0) {
		snprintf(range, sizeof(range), "%s", p->head);
		if (count(rl, n) != 0)
			goto fail;
		return CM_COUNT;
	}
	snprintf(head, sizeof(head), "^HEAD");
	if (count(rl2, n) != 0)
		goto fail;
	return CM_COUNT;
fail:
	snprintf(err, GHA_ERRLEN, "%s: git rev-list failed", p->repo);
	return CM_CANNOT;
}

void
cm_git_done(void)
{
	size_t i;

	for (i = 0; i < nfetched; i++)
		free(fetched[i]);
	free(fetched);
	fetched = NULL;
	nfetched = capfetched = 0;
}
