/*
 * commits.c - gha-fetch --commits: resolve the commit counts of slim
 * pushes.
 *
 * Since 2025-10-07 a PushEvent of the archive carries no count (the flat
 * record's commits is null), so the metrics count such a push as one
 * commit, a lower bound.  This mode reads push records (flat records, as
 * `gha-filter -t PushEvent -e 'commits == null'` writes them) on stdin
 * and writes, for each push it can settle, one resolution record:
 *
 *   {"repo_name":R,"push_id":N,"created_at":T,"before":SHA,"head":SHA,
 *    "commits":N|null,"source":"git"|"api"|"rule",
 *    "state":"resolved"|"gone"}
 *
 * which `gha-load --commits` stores beside the events.  A push's count
 * never changes, so every record written is also appended to the cache,
 * DIR/commits/YYYY-MM-DD.ndjson by the push's UTC day, and a later run
 * writes it again from there without asking anything: a killed run loses
 * nothing it has written, and no push is resolved twice.  One run at a
 * time holds DIR/commits/.lock; another waits for it.
 *
 * The rules (the same in git.c and github.c, each exact where it applies):
 *   fast-forward      the commits in before..head;
 *   force push        the same: the commits new on the branch (reachable
 *                     from head, not from the old tip);
 *   new branch        before is 40 zeros: the commits on head not on the
 *                     default branch; the first push of the default
 *                     branch itself: every commit of head (git only);
 *   deleted branch    head is 40 zeros: 0, by rule, asked of nobody;
 *   gone              the repository deleted, or a commit GitHub does not
 *                     know (404, 422): commits null, state "gone", cached
 *                     for good; the metrics keep counting it as 1;
 *   left              what is not settled this run (out of --repo,
 *                     --org and --repo-list, over --budget, the rate
 *                     limit, failures): no record, counted in the summary
 *                     and the --status record, tried again next run.
 * --via git,api asks the clone first and the API for what git cannot
 * tell; --via api (the default) asks only the API.
 *
 * Which first.  A developer with two pushes that day has at least two
 * commits whatever their counts, so the "more than one commit" metric
 * can be wrong only for a developer with exactly one push: those pushes
 * are resolved first, then the rest, each group in input order.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "commits.h"
#include "fetch.h"

#define MAXDAYS	64		/* open cache files of days at once */

static struct cm_push *pushes;
static size_t npushes, cappushes;
static size_t *byid;		/* hash of (push_id, head): index + 1 */
static size_t idcap;

static struct {
	unsigned long long bad, skipped, dups, cached, git, api, rule, gone;
	unsigned long long scope, budget, limit, failed;
} n;

static struct {
	int64_t	 day;
	int	 fd;
} days[MAXDAYS];
static int ndays;

static uint64_t
idhash(int64_t push_id, const char *head)
{
	return gha_fnv1a(gha_fnv1a(GHA_FNV1A_INIT, &push_id,
	    sizeof(push_id)), head, 40) | 1;
}

/* The index of the push (push_id, head), or -1; with add, add i. */
static long
lookup(int64_t push_id, const char *head, long add)
{
	uint64_t hh = idhash(push_id, head);
	size_t i, j;

	if (idcap == 0 || (add >= 0 && npushes * 2 >= idcap)) {
		size_t ocap = idcap, *old = byid;

		idcap = idcap ? 2 * idcap : 1024;
		byid = gha_ecalloc(idcap, sizeof(*byid));
		for (i = 0; i < ocap; i++) {
			struct cm_push *q;

			if (old[i] == 0)
				continue;
			q = &pushes[old[i] - 1];
			for (j = idhash(q->push_id, q->head) & (idcap - 1);
			    byid[j] != 0; j = (j + 1) & (idcap - 1))
				;
			byid[j] = old[i];
		}
		free(old);
	}
	for (i = hh & (idcap - 1); byid[i] != 0; i = (i + 1) & (idcap - 1)) {
		struct cm_push *q = &pushes[byid[i] - 1];

		if (q->push_id == push_id && memcmp(q->head, head, 40) == 0)
			return (long)(byid[i] - 1);
	}
	if (add >= 0)
		byid[i] = (size_t)add + 1;
	return -1;
}

static int
issha(const struct gha_jtok *t, char *out)
{
	size_t i;

	if (t->type != GHA_J_STRING || t->esc || t->n != 42)
		return 0;
	for (i = 0; i < 40; i++)
		if (!strchr("0123456789abcdef", t->p[1 + i]))
			return 0;
	memcpy(out, t->p + 1, 40);
	out[40] = '\0';
	return 1;
}

/* owner/name of GitHub's alphabet: safe as a path and in a URL. */
static int
isrepo(const char *s)
{
	const char *slash = strchr(s, '/');
	const char *p;

	if (slash == NULL || slash == s || slash[1] == '\0' || *s == '.' ||
	    slash[1] == '.' || strchr(slash + 1, '/') != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (p != slash && !isalnum((unsigned char)*p) &&
		    *p != '-' && *p != '_' && *p != '.')
			return 0;
	return 1;
}

static char *
jstr(const struct gha_jtok *t)
{
	char *s;
	size_t len;

	if (t->type != GHA_J_STRING)
		return NULL;
	s = gha_emalloc(t->n + 1);
	len = gha_json_unescape(t, s, t->n + 1);
	s[len] = '\0';
	return s;
}

/* One input line: a push to resolve, or skipped, or bad (reported). */
static void
add_line(struct gha_in *in, const char *line, size_t len)
{
	char err[GHA_ERRLEN];
	struct gha_rec r;
	struct cm_push p;
	const char *why = NULL;

	if (gha_rec_parse(line, len, &r, err) != GHA_REC_OK) {
		why = err;
		goto bad;
	}
	if (!gha_json_streq(&r.f[GHA_R_TYPE], "PushEvent") ||
	    !gha_rec_isnull(&r, GHA_R_COMMITS)) {
		n.skipped++;
		return;
	}
	memset(&p, 0, sizeof(p));
	if (gha_json_int(&r.f[GHA_R_PUSH_ID], &p.push_id) != 0 ||
	    !issha(&r.f[GHA_R_HEAD], p.head) ||
	    !issha(&r.f[GHA_R_BEFORE], p.before) ||
	    (p.repo = jstr(&r.f[GHA_R_REPO_NAME])) == NULL) {
		why = "a slim push needs push_id, head, before and repo_name";
		goto bad;
	}
	if (!isrepo(p.repo)) {		/* no such name on GitHub */
		free(p.repo);
		n.skipped++;
		return;
	}
	if (lookup(p.push_id, p.head, -1) >= 0) {
		free(p.repo);
		n.dups++;
		return;
	}
	p.login = jstr(&r.f[GHA_R_ACTOR_LOGIN]);
	p.ref = jstr(&r.f[GHA_R_REF]);
	p.created = r.created;
	if (npushes == cappushes) {
		cappushes = cappushes ? 2 * cappushes : 1024;
		pushes = gha_erealloc(pushes, cappushes * sizeof(*pushes));
	}
	pushes[npushes] = p;
	lookup(p.push_id, p.head, (long)npushes);
	npushes++;
	return;
bad:
	gha_warnx("%s:%llu: %s", gha_in_name(in), gha_in_lineno(in), why);
	n.bad++;
}

static int
read_input(void)
{
	char err[GHA_ERRLEN];
	struct gha_in *in;
	const char *line;
	size_t len;
	int r;

	if ((in = gha_in_open("-", 1U << 20, err)) == NULL)
		gha_die(GHA_EX_INPUT, "%s", err);
	while ((r = gha_in_getline(in, &line, &len, err)) != GHA_IN_EOF) {
		if (r == GHA_IN_ERR) {
			gha_warnx("%s", err);
			gha_in_close(in);
			return -1;
		}
		if (r == GHA_IN_LONG) {
			gha_warnx("%s:%llu: line too long", gha_in_name(in),
			    gha_in_lineno(in));
			n.bad++;
			continue;
		}
		if (len > 0)
			add_line(in, line, len);
	}
	gha_in_close(in);
	return 0;
}

/* Mark each push whose actor pushed once that day (UTC). */
static void
mark_single(void)
{
	struct slot {
		uint64_t h;
		size_t	 count;
	} *t;
	size_t cap = 1024, i, j;
	uint64_t hh;
	int64_t day;

	while (cap < 2 * npushes)
		cap *= 2;
	t = gha_ecalloc(cap, sizeof(*t));
	for (i = 0; i < npushes; i++) {
		if (pushes[i].login == NULL)
			continue;
		day = pushes[i].created / 86400;
		hh = gha_fnv1a(gha_fnv1a(GHA_FNV1A_INIT, &day, sizeof(day)),
		    pushes[i].login, strlen(pushes[i].login)) | 1;
		for (j = hh & (cap - 1); t[j].h != 0 && t[j].h != hh;
		    j = (j + 1) & (cap - 1))
			;
		t[j].h = hh;
		t[j].count++;
		pushes[i].single = (int)j;	/* the slot, for now */
	}
	for (i = 0; i < npushes; i++)
		pushes[i].single = pushes[i].login != NULL &&
		    t[pushes[i].single].count == 1;
	free(t);
}

/* The day's cache file, opened for appending. */
static int
day_fd(const struct cm_opt *o, int64_t created)
{
	char path[1200], t[21];
	int64_t day = created / 86400;
	int i;

	for (i = 0; i < ndays; i++)
		if (days[i].day == day)
			return days[i].fd;
	if (ndays == MAXDAYS) {
		close(days[0].fd);
		memmove(days, days + 1, (MAXDAYS - 1) * sizeof(days[0]));
		ndays--;
	}
	gha_time_format(day * 86400, t);
	snprintf(path, sizeof(path), "%s/commits/%.10s.ndjson", o->dir, t);
	days[ndays].day = day;
	days[ndays].fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (days[ndays].fd < 0)
		gha_die(GHA_EX_OUTPUT, "%s: %s", path, strerror(errno));
	return days[ndays++].fd;
}

/* Write a record to stdout, and (when new) to the cache. */
static void
emit(const struct cm_opt *o, const struct cm_push *p, int64_t commits,
    const char *source, const char *state, int cache)
{
	struct gha_buf b = { NULL, 0, 0 };
	char t[21];

	gha_buf_adds(&b, "{\"repo_name\":");
	gha_buf_addjstr(&b, p->repo, strlen(p->repo));
	gha_buf_adds(&b, ",\"push_id\":");
	gha_buf_addint(&b, p->push_id);
	gha_time_format(p->created, t);
	gha_buf_adds(&b, ",\"created_at\":");
	gha_buf_addjstr(&b, t, strlen(t));
	gha_buf_adds(&b, ",\"before\":\"");
	gha_buf_adds(&b, p->before);
	gha_buf_adds(&b, "\",\"head\":\"");
	gha_buf_adds(&b, p->head);
	gha_buf_adds(&b, "\",\"commits\":");
	if (commits < 0)
		gha_buf_adds(&b, "null");
	else
		gha_buf_addint(&b, commits);
	gha_buf_adds(&b, ",\"source\":\"");
	gha_buf_adds(&b, source);
	gha_buf_adds(&b, "\",\"state\":\"");
	gha_buf_adds(&b, state);
	gha_buf_adds(&b, "\"}\n");
	if (cache && write(day_fd(o, p->created), b.p, b.n) != (ssize_t)b.n)
		gha_die(GHA_EX_OUTPUT, "%s/commits: %s", o->dir,
		    strerror(errno));
	gha_buf_ewrite(&b, stdout, 1);
	gha_buf_free(&b);
}

/* The records cached for the input's days: written again, asked never. */
static void
read_cache(const struct cm_opt *o)
{
	enum { C_ID, C_HEAD, C_N };
	static const struct gha_jfield f[] = { { "push_id", C_ID, NULL },
	    { "head", C_HEAD, NULL }, { NULL, 0, NULL } };
	int64_t *seen = NULL, day, id;
	size_t nseen = 0, i, k, len;
	char path[1200], t[21], head[41], err[GHA_ERRLEN];
	struct gha_jtok tok[C_N];
	struct gha_in *in;
	const char *line;
	long j;
	int r;

	for (i = 0; i < npushes; i++) {
		day = pushes[i].created / 86400;
		for (k = 0; k < nseen && seen[k] != day; k++)
			;
		if (k < nseen)
			continue;
		seen = gha_erealloc(seen, (nseen + 1) * sizeof(*seen));
		seen[nseen++] = day;
		gha_time_format(day * 86400, t);
		snprintf(path, sizeof(path), "%s/commits/%.10s.ndjson",
		    o->dir, t);
		if (access(path, F_OK) != 0 ||
		    (in = gha_in_open(path, 1U << 16, err)) == NULL)
			continue;
		while ((r = gha_in_getline(in, &line, &len, err)) !=
		    GHA_IN_EOF && r != GHA_IN_ERR) {
			/* A line a killed run cut short is asked again. */
			if (r != GHA_IN_LINE || gha_json_extract(line, len, f,
			    tok, C_N, err) != 0 ||
			    gha_json_int(&tok[C_ID], &id) != 0 ||
			    !issha(&tok[C_HEAD], head) ||
			    (j = lookup(id, head, -1)) < 0 || pushes[j].done)
				continue;
			pushes[j].done = 1;
			n.cached++;
			fwrite(line, 1, len, stdout);
			putchar('\n');
		}
		gha_in_close(in);
	}
	free(seen);
	gha_efflush(stdout, "<stdout>");
}

/* fnmatch(3) ignoring ASCII case, as GitHub's names do. */
static int
match(const char *glob, const char *name)
{
	char *g = gha_estrdup(glob), *s = gha_estrdup(name), *p;
	int r;

	for (p = g; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	for (p = s; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	r = fnmatch(g, s, 0) == 0;
	free(g);
	free(s);
	return r;
}

static int
in_scope(const struct cm_scope *sc, const char *repo)
{
	size_t i, ol = strcspn(repo, "/");

	if (sc->nglobs + sc->norgs + sc->nnames == 0)
		return 1;
	for (i = 0; i < sc->nglobs; i++)
		if (match(sc->globs[i], repo))
			return 1;
	for (i = 0; i < sc->norgs; i++)
		if (strlen(sc->orgs[i]) == ol &&
		    strncasecmp(sc->orgs[i], repo, ol) == 0)
			return 1;
	for (i = 0; i < sc->nnames; i++)
		if (strcasecmp(sc->names[i], repo) == 0)
			return 1;
	return 0;
}

/* --repo-list: a file of owner/name lines ('#' comments). */
int
cm_scope_list(struct cm_scope *sc, const char *path, char *err)
{
	char line[512];
	unsigned long lineno = 0;
	size_t len;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, GHA_ERRLEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (!isrepo(line)) {
			snprintf(err, GHA_ERRLEN, "%s:%lu: not owner/name: %.100s",
			    path, lineno, line);
			fclose(fp);
			return -1;
		}
		sc->names = gha_erealloc(sc->names, (sc->nnames + 1) *
		    sizeof(*sc->names));
		sc->names[sc->nnames++] = gha_estrdup(line);
	}
	fclose(fp);
	return 0;
}

static int
bysingle(const void *a, const void *b)
{
	const struct cm_push *p = *(struct cm_push *const *)a;
	const struct cm_push *q = *(struct cm_push *const *)b;

	if (p->single != q->single)
		return p->single ? -1 : 1;
	return p < q ? -1 : p > q;
}

/* One push through the sources; the counter of how it ended. */
static void
resolve(struct cm_opt *o, struct cm_push *p, int *api_stop)
{
	char err[GHA_ERRLEN] = "";
	int64_t c = -1;
	int r = CM_CANNOT;

	if (strcmp(p->head, CM_ZERO) == 0) {
		emit(o, p, 0, "rule", "resolved", 1);
		n.rule++;
		return;
	}
	if (o->use_git && (r = cm_git_count(o, p, &c, err)) == CM_COUNT) {
		emit(o, p, c, "git", "resolved", 1);
		n.git++;
		return;
	}
	if (o->use_api && *api_stop == 0) {
		r = cm_api_count(o, p, &c, err);
		if (r == CM_LIMIT || r == CM_BUDGET)
			*api_stop = r;
	} else if (o->use_api)
		r = *api_stop;
	switch (r) {
	case CM_COUNT:
		emit(o, p, c, "api", "resolved", 1);
		n.api++;
		break;
	case CM_GONE:
		emit(o, p, -1, "api", "gone", 1);
		n.gone++;
		break;
	case CM_LIMIT:
		n.limit++;
		break;
	case CM_BUDGET:
		n.budget++;
		break;
	default:
		n.failed++;
		if (!o->quiet)
			gha_warnx("push %lld: %s", (long long)p->push_id, err);
	}
}

int
cm_run(struct cm_opt *o, const struct cm_scope *sc, struct gha_status *st)
{
	char path[1200], err[GHA_ERRLEN], t[21];
	struct cm_push **order;
	size_t i, singles = 0, single_left = 0;
	int lock, api_stop = 0;

	if (read_input() != 0)
		return GHA_EX_INPUT;
	snprintf(path, sizeof(path), "%s/commits", o->dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		gha_die(GHA_EX_OUTPUT, "%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/commits/.lock", o->dir);
	if ((lock = open(path, O_RDWR | O_CREAT, 0644)) < 0 ||
	    flock(lock, LOCK_EX) != 0)
		gha_die(GHA_EX_OUTPUT, "%s: %s", path, strerror(errno));
	mark_single();
	read_cache(o);
	if (o->use_api && cm_api_start(o, err) != 0)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	order = gha_emalloc((npushes + 1) * sizeof(*order));
	for (i = 0; i < npushes; i++)
		order[i] = &pushes[i];
	qsort(order, npushes, sizeof(*order), bysingle);
	for (i = 0; i < npushes; i++) {
		struct cm_push *p = order[i];
		unsigned long long before = n.scope + n.budget + n.limit +
		    n.failed;

		singles += p->single;
		if (p->done)
			continue;
		if (!in_scope(sc, p->repo))
			n.scope++;
		else if (!o->use_git && api_stop != 0 &&
		    strcmp(p->head, CM_ZERO) != 0)
			api_stop == CM_LIMIT ? n.limit++ : n.budget++;
		else
			resolve(o, p, &api_stop);
		single_left += p->single && n.scope + n.budget + n.limit +
		    n.failed > before;
	}
	free(order);
	cm_api_done();
	cm_git_done();
	for (i = 0; i < (size_t)ndays; i++)
		close(days[i].fd);
	close(lock);

	if (!o->quiet) {
		gha_warnx("commits: %zu %s: %llu cached, %llu by git, %llu by "
		    "the API, %llu by rule, %llu gone; %llu left (%llu out of "
		    "scope, %llu over the budget, %llu rate-limited, %llu "
		    "failed), %llu of them single pushes; %ld API %s",
		    npushes, gha_plural(npushes, "push", "pushes"), n.cached,
		    n.git, n.api, n.rule, n.gone, n.scope + n.budget +
		    n.limit + n.failed, n.scope, n.budget, n.limit, n.failed,
		    (unsigned long long)single_left, cm_api_requests(),
		    gha_plural((unsigned long long)cm_api_requests(),
		    "request", "requests"));
		if (n.limit > 0 && cm_api_reset() > 0) {
			gha_time_format(cm_api_reset(), t);
			gha_warnx("commits: the API's rate limit resets at %s",
			    t);
		}
	}
	gha_status_begin(st);
	gha_status_str(st, "mode", "commits");
	gha_status_int(st, "pushes", (int64_t)npushes);
	gha_status_int(st, "single", (int64_t)singles);
	gha_status_int(st, "cached", (int64_t)n.cached);
	gha_status_int(st, "git", (int64_t)n.git);
	gha_status_int(st, "api", (int64_t)n.api);
	gha_status_int(st, "rule", (int64_t)n.rule);
	gha_status_int(st, "gone", (int64_t)n.gone);
	gha_status_int(st, "left", (int64_t)(n.scope + n.budget + n.limit +
	    n.failed));
	gha_status_int(st, "left_single", (int64_t)single_left);
	gha_status_int(st, "out_of_scope", (int64_t)n.scope);
	gha_status_int(st, "over_budget", (int64_t)n.budget);
	gha_status_int(st, "rate_limited", (int64_t)n.limit);
	gha_status_int(st, "failed", (int64_t)n.failed);
	gha_status_int(st, "requests", cm_api_requests());
	gha_status_int(st, "skipped", (int64_t)n.skipped);
	gha_status_int(st, "bad", (int64_t)n.bad);
	gha_status_eend(st);
	for (i = 0; i < npushes; i++) {
		free(pushes[i].repo);
		free(pushes[i].login);
		free(pushes[i].ref);
	}
	free(pushes);
	free(byid);
	if (n.failed > 0)
		return GHA_EX_FETCH_FAILED;
	return n.bad > 0 ? GHA_EX_DATA : GHA_EX_OK;
}

/* A base URL from the environment, or def, without a trailing '/'. */
static const char *
base_url(const char *var, const char *def)
{
	const char *e = getenv(var);
	char *b;
	size_t len;

	b = gha_estrdup(e != NULL && *e != '\0' ? e : def);
	for (len = strlen(b); len > 0 && b[len - 1] == '/'; len--)
		b[len - 1] = '\0';
	return b;
}

/*
 * The token: the first line of the file GHA_GITHUB_TOKEN_FILE names, or
 * none (the API's anonymous limit).  Its value is never in a message.
 */
static int
read_token(struct cm_opt *o, char *err)
{
	const char *path = getenv("GHA_GITHUB_TOKEN_FILE");
	char buf[512];
	size_t len;
	FILE *fp;

	if (path == NULL || *path == '\0')
		return 0;
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, GHA_ERRLEN, "GHA_GITHUB_TOKEN_FILE: %s: %s",
		    path, strerror(errno));
		return -1;
	}
	if (fgets(buf, sizeof(buf), fp) == NULL)
		buf[0] = '\0';
	fclose(fp);
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	if (len == 0 || strspn(buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789_-.") != len) {
		explicit_bzero(buf, sizeof(buf));
		snprintf(err, GHA_ERRLEN, "GHA_GITHUB_TOKEN_FILE: %s: want a "
		    "token on the first line", path);
		return -1;
	}
	o->token = gha_estrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

/* --via and the environment; 0, or -1 with err. */
int
cm_setup(struct cm_opt *o, const char *via, char *err)
{
	if (via == NULL || strcmp(via, "api") == 0)
		o->use_api = 1;
	else if (strcmp(via, "git") == 0)
		o->use_git = 1;
	else if (strcmp(via, "git,api") == 0)
		o->use_git = o->use_api = 1;
	else {
		snprintf(err, GHA_ERRLEN, "--via: want api, git or git,api: "
		    "%s", via);
		return -1;
	}
	o->api = base_url("GHA_GITHUB_API", "https://api.github.com");
	o->git = base_url("GHA_GIT_URL", "https://github.com");
	return o->use_api ? read_token(o, err) : 0;
}

/*
 * gha-fetch --commits, once main() has read the options into co and
 * scope: set up, resolve what stdin asks, clean up; the exit status.
 */
int
cm_main(struct cm_opt *co, struct cm_scope *scope, const char *via,
    const char *status_path)
{
	struct gha_status *st = NULL;
	char err[GHA_ERRLEN];
	int r;

	if (cm_setup(co, via, err) != 0)
		gha_die(GHA_EX_USAGE, "%s", err);
	if (fetch_mkdirs(co->dir) != 0)
		gha_die(GHA_EX_OUTPUT, "%s: %s", co->dir, strerror(errno));
	if (status_path != NULL &&
	    (st = gha_status_open(status_path, err)) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s", err);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		gha_die(GHA_EX_OUTPUT, "libcurl cannot start");
	r = cm_run(co, scope, st);
	curl_global_cleanup();
	gha_status_eclose(st);
	gha_eclose_stdout();
	free(co->token);
	free((char *)co->api);
	free((char *)co->git);
	free((char *)co->dir);
	free(scope->globs);
	free(scope->orgs);
	return r;
}
