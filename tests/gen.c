/*
 * gha-gen - a deterministic generator of realistic GH Archive hours.
 *
 * A test and benchmark tool, never installed.  It writes N events of one
 * archive era, one JSON object per line, plain or gzip, so that tests and
 * bench/run.sh can exercise the tools on hours as big as the real ones
 * (a 2024 hour is ~250k events, ~1 GB raw) without downloading them.  The
 * same seed and options always give the same bytes: every random choice
 * comes from one splitmix64 stream, per-actor and per-repo properties are
 * pure functions of (seed, index), and the gzip header carries no time.
 *
 * Shapes (doc/design.md, "The archive"):
 *   2015  events era: actor{id,login,gravatar_id,url,avatar_url},
 *         repo{id,name,url}, optional org, PushEvent payload
 *         {push_id,size,distinct_size,ref,head,before,commits[]} with
 *         commits[] capped at 20 while size is the true count.
 *   2024  the same era later: display_login, node_id, repository_id in
 *         pushes, fuller PR/issue/review payloads with longer bodies.
 *   2026  slim: PushEvent payload {repository_id,push_id,ref,head,before},
 *         PR payload {action,number,pull_request{url,id,number,head,base}},
 *         CreateEvent/DeleteEvent with full_ref, ForkEvent with action.
 *
 * Calibration (measured with python over the real samples in $SAMPLES):
 *   2015: the five complete hours 2015-01-01-{1,3,4,5,12}, 33,427 events,
 *     2,180 bytes a line on average.  Type mix in % and mean line bytes:
 *     Push 55.84/1218, Watch 10.87/457, Create 10.59/540, IssueComment
 *     6.71/4784, Issues 4.05/3075, PullRequest 3.78/15288, Fork 3.36/5228,
 *     Gollum 1.36/710, Delete 1.28/511, PRReviewComment 0.80/18892,
 *     CommitComment 0.61/1869, Release 0.43/2746, Member 0.19/1306,
 *     Public 0.13/423.  Push size: 0 in 0.5%, 1 in 81.7%, 2 in 8.5%,
 *     3 in 3.0%, 4 in 1.3%, above 20 in 1.6% (max 1000, mean 4.95);
 *     distinct_size == size in 95%.  25% of events carry an org; in 60%
 *     the repo owner is the actor.  Actors: 401 events for the busiest
 *     of 12,984, 7,011 seen once; repos: 401 for the busiest of 14,980.
 *   2024: no 2024 hour is in the samples; the 456 events of 2019-2021 in
 *     go-faster-gha/sample.small.json give the mix and sizes, which match
 *     the known hour (250k events, ~1 GB raw, ~4 KB an event): Push
 *     57.2/1175, Create 12.7/576, PullRequest 8.6/19624, Watch 5.5/507,
 *     IssueComment 4.6/7584, Fork 2.9/6038, PRReview 2.6/19342, Issues
 *     1.8/3927, Delete 1.5/591, PRReviewComment 1.3/22075, Release
 *     0.7/2542, Public/Gollum/Member 0.2 each; 3,874 bytes on average.
 *   2026: azaidrahman-azaidsani/all_versions_union.ndjson, 647 slim
 *     events (one actor): Push 81.8/615, PullRequest 7.1/979, Watch
 *     4.3/506, Create 3.9/629, Delete 2.5/571, Fork 0.3/6072, Issues
 *     0.2/6552; 663 bytes on average.  1.3% of the push share is given
 *     to other types so that every decode path is exercised.
 *
 * Actors and repos are drawn log-uniformly (Zipf-like, P(k) ~ 1/(k+q))
 * from pools that grow with N, so that a few actors and repos are busy
 * and most appear once; pushes, creates and deletes mostly go to the
 * actor's own repos (an actor owns 1 to 6), the rest to shared repos,
 * most of them owned by organisations, so that the metric views (devs
 * with more than one commit, repos with more than ten members, devs
 * owning several repos) have rows.
 *
 * Text (bodies, commit messages) is cut at word boundaries out of a 1 MB
 * corpus built at start-up that already holds JSON escapes (\n, \", \\,
 * \u00e9, surrogate pairs) and raw UTF-8, so copying a slice is a
 * memcpy and the result is valid JSON whatever the cut.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "gha.h"

enum shape { S2015, S2024, S2026 };

enum etype {
	T_PUSH, T_CREATE, T_DELETE, T_WATCH, T_FORK, T_ISSUES,
	T_ISSUECOMMENT, T_PR, T_PRREVIEW, T_PRRC, T_COMMITCOMMENT,
	T_RELEASE, T_GOLLUM, T_MEMBER, T_PUBLIC, T_NTYPES
};

static const char *const tname[T_NTYPES] = {
	"PushEvent", "CreateEvent", "DeleteEvent", "WatchEvent", "ForkEvent",
	"IssuesEvent", "IssueCommentEvent", "PullRequestEvent",
	"PullRequestReviewEvent", "PullRequestReviewCommentEvent",
	"CommitCommentEvent", "ReleaseEvent", "GollumEvent", "MemberEvent",
	"PublicEvent"
};

/* Type mix per shape in events per 10,000 (see the calibration above). */
static const int mix[3][T_NTYPES] = {
	/* Push Creat Del Watch Fork Iss ICom PR PRRv PRRC CC Rel Gol Mem Pub */
	{ 5584, 1059, 128, 1087, 336, 405, 671, 378, 0, 80, 61, 43, 136, 19,
	    13 },
	{ 5710, 1270, 150, 550, 290, 180, 460, 860, 260, 130, 10, 70, 20, 20,
	    20 },
	{ 8050, 390, 250, 430, 30, 40, 50, 710, 20, 10, 5, 5, 5, 3, 2 },
};

/* Defaults per shape: a real hour's size, and an hour of that era. */
static const long long defcount[3] = { 7000, 250000, 170000 };
static const char *const defhour[3] = {
	"2015-01-01-15", "2024-01-15-12", "2026-02-18-6"
};

/*
 * Event ids grow with the hour, as the archive's do, so that hours made
 * with -H are different events: each hour of the 200 from the era's
 * default on (counted modulo 200) has ids of its own, 10.5M wide, room for
 * 250,000 events at the mean step of 21 (see main).  The default hour
 * starts at the era's base.
 */
#define IDS_AN_HOUR	10500000LL

/* ID ranges of the era: event ids, push ids, actor ids, repo ids. */
static const int64_t idbase[3] = {
	2489580000LL, 34900000000LL, 8550000000LL };
static const int64_t pushbase[3] = {
	536800000LL, 16400000000LL, 30846000000LL };
static const int64_t maxactor[3] = { 10300000, 155000000, 250000000 };
static const int64_t maxrepo[3] = { 28900000, 742000000, 1230000000 };

static int64_t	 firstid(void);

static struct {
	enum shape	 shape;
	long long	 count;
	uint64_t	 seed;
	int64_t		 hour;
	char		 hourname[16];
	int		 gzip;		/* -z */
	int		 level;		/* -l */
	unsigned long long bigline;	/* -B */
	double		 dirty;		/* -D */
	const char	*out;		/* -o */
} opt;

/* Pools, sized from N. */
static uint64_t nactors, norgs, nshared;

/* ---- random numbers ---- */

struct rng {
	uint64_t	s;
};

static inline uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* splitmix64: fast, and good enough for test data. */
static inline uint64_t
rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, n), n < 2^32. */
static inline uint32_t
below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * n) >> 32);
}

static inline double
unif(struct rng *r)
{
	return (double)(rnd(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* A property of index i that depends on the seed only. */
static inline uint64_t
hash2(uint64_t i, uint64_t salt)
{
	return mix64(opt.seed * 0x9e3779b97f4a7c15ULL ^ mix64(i + salt));
}

/* Zipf-like rank in [0, n): P(k) ~ 1/(k + q), drawn log-uniformly. */
static uint64_t
zipf(struct rng *r, uint64_t n, double q)
{
	double x = q * exp(unif(r) * log((n + q) / q)) - q;
	uint64_t k = (uint64_t)x;

	return k < n ? k : n - 1;
}

/* ---- output buffer ---- */

struct ob {
	char	*p;
	size_t	 n, cap;
};

static struct ob ob;

static void
reserve(struct ob *b, size_t need)
{
	if (b->cap - b->n >= need)
		return;
	while (b->cap - b->n < need)
		b->cap = b->cap ? b->cap * 2 : 1 << 20;
	b->p = gha_erealloc(b->p, b->cap);
}

static inline void
put(struct ob *b, const char *s, size_t n)
{
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

#define PUTS(b, lit)	put((b), "" lit, sizeof(lit) - 1)	/* literals only */

static inline void
putstr(struct ob *b, const char *s)
{
	put(b, s, strlen(s));
}

static inline void
putc_(struct ob *b, int c)
{
	b->p[b->n++] = (char)c;
}

static void
putint(struct ob *b, int64_t v)
{
	char t[24];
	int i = 0;
	uint64_t u;

	if (v < 0) {
		putc_(b, '-');
		u = -(uint64_t)v;
	} else
		u = (uint64_t)v;
	do
		t[i++] = '0' + u % 10;
	while ((u /= 10) != 0);
	while (i > 0)
		putc_(b, t[--i]);
}

static void
puthex(struct ob *b, struct rng *r, int n)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if ((i & 15) == 0)
			v = rnd(r);
		putc_(b, hex[v & 15]);
		v >>= 4;
	}
}

/* A quoted 40-digit SHA. */
static void
putsha(struct ob *b, struct rng *r)
{
	putc_(b, '"');
	puthex(b, r, 40);
	putc_(b, '"');
}

static void
puttime(struct ob *b, int64_t t)
{
	char buf[21];

	gha_time_format(t, buf);
	putc_(b, '"');
	put(b, buf, 20);
	putc_(b, '"');
}

/* The node_id of the later eras: ,"node_id":"PREFIX and N hex digits". */
static void
putnodeid(struct ob *b, struct rng *r, const char *prefix, int n)
{
	if (opt.shape == S2015)
		return;
	PUTS(b, ",\"node_id\":\"");
	putstr(b, prefix);
	puthex(b, r, n);
	putc_(b, '"');
}

/* S as a JSON string, or null where S is NULL. */
static void
putqstr(struct ob *b, const char *s)
{
	if (s == NULL) {
		PUTS(b, "null");
		return;
	}
	putc_(b, '"');
	putstr(b, s);
	putc_(b, '"');
}

/* ---- the text corpus ---- */

#define CORPUS	(1U << 20)
static char *corpus;
static size_t corpus_n;

static const char *const words[] = {
	"the", "a", "to", "of", "and", "in", "is", "for", "this", "it",
	"that", "on", "with", "be", "not", "we", "when", "if", "should",
	"fix", "add", "update", "remove", "bump", "refactor", "test", "tests",
	"build", "error", "bug", "issue", "support", "version", "release",
	"merge", "branch", "pull", "request", "from", "into", "main",
	"master", "dependency", "dependencies", "config", "docs", "readme",
	"function", "method", "class", "file", "files", "code", "null",
	"return", "value", "type", "types", "option", "options", "default",
	"user", "users", "api", "endpoint", "server", "client", "request",
	"response", "cache", "memory", "leak", "crash", "thread", "async",
	"performance", "faster", "slow", "timeout", "retry", "logging",
	"warning", "deprecated", "migration", "schema", "database", "query",
	"index", "handler", "callback", "promise", "module", "package",
	"import", "export", "component", "render", "layout", "style", "css",
	"html", "javascript", "typescript", "python", "rust", "golang",
	"docker", "kubernetes", "workflow", "action", "actions", "ci",
	"pipeline", "lint", "format", "typo", "comment", "comments", "review",
	"approve", "changes", "looks", "good", "me", "thanks", "please",
	"could", "would", "you", "I", "think", "maybe", "also", "here",
	"there", "now", "still", "again", "after", "before", "because",
	"works", "working", "broken", "failing", "passes", "expected",
	"actual", "behavior", "steps", "reproduce", "environment", "OS",
	"Linux", "macOS", "Windows", "node", "npm", "yarn", "pip", "cargo",
	"go.mod", "package.json", "Cargo.toml", "requirements.txt", "v1.2.3",
	"v0.21.1", "2.0.0-beta.1", "#123", "#4567", "@octocat", "`null`",
	"`undefined`", "`foo()`", "**Note**", "_italic_", "->", "=>", "::",
	"1.", "2.", "-", "*", "(see", "above)", "e.g.", "i.e.", "etc.",
	"https://github.com/octo-org/octo-repo/issues/42",
	"https://docs.github.com/en/actions", "<details>", "</details>",
	"<summary>Changelog</summary>", "<p>", "</p>", "<code>", "</code>",
	"<a", "href=\\\"https://example.com/a?b=c&d=e\\\">link</a>",
	"\\\"quoted\\\"", "C:\\\\Users\\\\dev", "caf\\u00e9", "na\\u00efve",
	"\\u2014", "\\ud83d\\ude80", "\\t", "a\\/b", "café", "naïve", "über",
	"日本語", "中文", "테스트", "Привет", "🦞", "🚀", "✅", "👍",
};
#define NWORDS	(sizeof(words) / sizeof(words[0]))

/*
 * Build the corpus: words from the list and made-up words, with line
 * breaks (as \n escapes), so that slices look and compress like prose.
 */
static void
corpus_init(void)
{
	static const char *const syl[] = {
		"ka", "lo", "mi", "ver", "tan", "po", "rel", "sen", "du",
		"xi", "gor", "ba", "fen", "ul", "tra", "ne", "qui", "sto",
	};
	struct rng r = { opt.seed ^ 0x636f72707573ULL };
	size_t cap = CORPUS + 4096;
	int k, j;

	corpus = gha_emalloc(cap);
	corpus_n = 0;
	while (corpus_n < CORPUS) {
		char w[64];
		size_t n = 0;

		if (below(&r, 4) == 0) {
			k = 2 + below(&r, 3);
			for (j = 0; j < k; j++) {
				const char *s = syl[below(&r, 18)];
				memcpy(w + n, s, strlen(s));
				n += strlen(s);
			}
		} else {
			const char *s = words[below(&r, NWORDS)];
			n = strlen(s);
			memcpy(w, s, n);
		}
		memcpy(corpus + corpus_n, w, n);
		corpus_n += n;
		switch (below(&r, 40)) {
		case 0:
			memcpy(corpus + corpus_n, ".\\n\\n", 5);
			corpus_n += 5;
			break;
		case 1:
			memcpy(corpus + corpus_n, "\\r\\n", 4);
			corpus_n += 4;
			break;
		case 2: case 3:
			corpus[corpus_n++] = ',';
			break;
		case 4:
			corpus[corpus_n++] = '.';
			break;
		}
		corpus[corpus_n++] = ' ';
	}
}

/*
 * Copy about n bytes of corpus text, cut after a space so that no escape
 * or UTF-8 sequence is split.
 */
static void
puttext(struct ob *b, struct rng *r, size_t n)
{
	const char *s, *e, *end = corpus + corpus_n;

	if (n > CORPUS / 2)
		n = CORPUS / 2;
	s = corpus + below(r, (uint32_t)(corpus_n - n - 256));
	if ((s = memchr(s, ' ', (size_t)(end - s))) == NULL)
		s = corpus;
	else
		s++;
	e = s + n;
	if ((e = memchr(e, ' ', (size_t)(end - e))) == NULL)
		e = end - 1;
	put(b, s, (size_t)(e - s));
}

/* A text length: log-normal-ish around mean, within [lo, hi]. */
static size_t
textlen(struct rng *r, double mean, size_t lo, size_t hi)
{
	double u = unif(r) + unif(r) + unif(r);	/* 0..3, mode 1.5 */
	size_t n = (size_t)(mean * exp((u - 1.5) * 1.2) / 1.27);

	return n < lo ? lo : n > hi ? hi : n;
}

/* ---- actors, orgs and repos: pure functions of (seed, index) ---- */

static const char *const syl[] = {
	"al", "an", "ar", "be", "bo", "ca", "chi", "da", "de", "el", "en",
	"fa", "ga", "ha", "il", "jo", "ka", "ke", "li", "lo", "ma", "mi",
	"mo", "na", "ni", "no", "pa", "pe", "ra", "ri", "ro", "sa", "se",
	"si", "ta", "te", "to", "va", "vi", "wa", "xu", "ya", "yo", "ze",
};
static const char *const rwords[] = {
	"dotfiles", "api", "web", "app", "site", "blog", "bot", "cli",
	"core", "docs", "demo", "test", "lab", "kit", "utils", "server",
	"client", "sdk", "lib", "engine", "game", "notes", "config",
	"scripts", "tools", "ui", "data", "ml", "infra", "homework",
	"portfolio", "react", "go", "rust", "py", "learning", "course",
	"project", "backend", "frontend", "mobile", "android", "ios",
	"plugin", "theme", "parser", "compiler", "kernel", "db", "sync",
};
#define NSYL	(sizeof(syl) / sizeof(syl[0]))
#define NRW	(sizeof(rwords) / sizeof(rwords[0]))

static const char *const bots[] = {
	"github-actions[bot]", "dependabot[bot]", "renovate[bot]",
};
#define NBOTS	3

struct who {
	char		 login[48];
	int64_t		 id;
	int		 bot;
	int		 org;
};

/* login of actor or org i: syllables from a hash, then i in base 36. */
static void
mklogin(char *buf, uint64_t i, uint64_t salt)
{
	uint64_t h = hash2(i, salt);
	size_t n = 0;
	int k = 2 + (int)(h % 3), j;

	h /= 3;
	for (j = 0; j < k; j++) {
		const char *s = syl[h % NSYL];
		h /= NSYL;
		memcpy(buf + n, s, strlen(s));
		n += strlen(s);
	}
	if (h % 10 == 0)
		buf[0] -= 'a' - 'A';
	if (h % 7 == 0)
		buf[n++] = '-';
	do {
		buf[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[i % 36];
		i /= 36;
	} while (i != 0);
	buf[n] = '\0';
}

static void
actor(struct who *w, uint64_t i)
{
	w->org = 0;
	w->bot = 0;
	if (opt.shape != S2015 && i < NBOTS) {
		strcpy(w->login, bots[i]);
		w->id = 41898282 + (int64_t)i * 7800051;
		w->bot = 1;
		return;
	}
	mklogin(w->login, i, 0x61);
	w->id = 1 + (int64_t)(hash2(i, 0x1d) % (uint64_t)maxactor[opt.shape]);
}

static void
org(struct who *w, uint64_t i)
{
	mklogin(w->login, i, 0x6f);
	w->id = 1 + (int64_t)(hash2(i, 0x2d) % (uint64_t)maxactor[opt.shape]);
	w->bot = 0;
	w->org = 1;
}

struct repo {
	struct who	 owner;
	char		 name[64];
	char		 full[128];
	int64_t		 id;
};

static void
repo_name(struct repo *rp, uint64_t h, unsigned j)
{
	size_t n;

	n = (size_t)snprintf(rp->name, sizeof(rp->name), "%s%s%s",
	    rwords[h % NRW], h / NRW % 3 ? "-" : "", h / NRW % 3 ?
	    rwords[h / NRW / 3 % NRW] : "");
	if (j > 0)
		snprintf(rp->name + n, sizeof(rp->name) - n, "%u", j);
	snprintf(rp->full, sizeof(rp->full), "%s/%s", rp->owner.login,
	    rp->name);
}

/* Repo j of actor a (an actor owns 1 to 6). */
static void
own_repo(struct repo *rp, uint64_t a, struct rng *r)
{
	uint64_t h = hash2(a, 0x3d);
	unsigned nown = 1 + (unsigned)(h % 100 < 55 ? 0 : h % 100 < 80 ? 1 :
	    2 + h % 4);
	unsigned j = below(r, nown);

	actor(&rp->owner, a);
	h = hash2(a * 8 + j, 0x4d);
	repo_name(rp, h, j);
	rp->id = 1 + (int64_t)(hash2(a * 8 + j, 0x5d) %
	    (uint64_t)maxrepo[opt.shape]);
}

/* Shared repo k: mostly owned by an organisation. */
static void
shared_repo(struct repo *rp, uint64_t k)
{
	uint64_t h = hash2(k, 0x6d);

	if (h % 10 < 7)
		org(&rp->owner, h / 10 % norgs);
	else
		actor(&rp->owner, h / 10 % (nactors / 4 + 1) + NBOTS);
	repo_name(rp, hash2(k, 0x7d), (unsigned)(k / (NRW * 3)));
	rp->id = 1 + (int64_t)(hash2(k, 0x8d) % (uint64_t)maxrepo[opt.shape]);
}

/* ---- JSON pieces ---- */

struct ev {
	struct rng	*r;
	enum etype	 type;
	int64_t		 id, t;
	struct who	 actor;
	struct repo	 repo;
};

static void
user_obj(struct ob *b, struct rng *r, const struct who *w)
{
	static const char *const uk[][2] = {
		{ "followers", "/followers" },
		{ "following", "/following{/other_user}" },
		{ "gists", "/gists{/gist_id}" },
		{ "starred", "/starred{/owner}{/repo}" },
		{ "subscriptions", "/subscriptions" },
		{ "organizations", "/orgs" },
		{ "repos", "/repos" },
		{ "events", "/events{/privacy}" },
		{ "received_events", "/received_events" },
	};
	char l[64];
	size_t i;

	/* Bot logins appear %-escaped in their URLs. */
	if (w->bot) {
		size_t n = strlen(w->login) - 5;
		memcpy(l, w->login, n);
		memcpy(l + n, "%5Bbot%5D", 10);
	} else
		strcpy(l, w->login);
	PUTS(b, "{\"login\":\"");
	putstr(b, w->login);
	PUTS(b, "\",\"id\":");
	putint(b, w->id);
	putnodeid(b, r, "MDQ6VXNlcj", 12);
	PUTS(b, ",\"avatar_url\":\"https://avatars.githubusercontent.com/u/");
	putint(b, w->id);
	PUTS(b, "?v=4\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/users/");
	putstr(b, l);
	PUTS(b, "\",\"html_url\":\"https://github.com/");
	putstr(b, l);
	putc_(b, '"');
	for (i = 0; i < sizeof(uk) / sizeof(uk[0]); i++) {
		PUTS(b, ",\"");
		putstr(b, uk[i][0]);
		PUTS(b, "_url\":\"https://api.github.com/users/");
		putstr(b, l);
		putstr(b, uk[i][1]);
		putc_(b, '"');
	}
	PUTS(b, ",\"type\":\"");
	putstr(b, w->bot ? "Bot" : w->org ? "Organization" : "User");
	PUTS(b, "\",\"site_admin\":false}");
}

/* The repository object of forks and PR heads/bases: ~100 fields. */
static void
repo_obj(struct ob *b, struct rng *r, const struct repo *rp, int64_t t)
{
	static const char *const u[] = {
		"forks", "keys{/key_id}", "collaborators{/collaborator}",
		"teams", "hooks", "issues/events{/number}", "events",
		"assignees{/user}", "branches{/branch}", "tags",
		"git/blobs{/sha}", "git/tags{/sha}", "git/refs{/sha}",
		"git/trees{/sha}", "statuses/{sha}", "languages",
		"stargazers", "contributors", "subscribers", "subscription",
		"commits{/sha}", "git/commits{/sha}", "comments{/number}",
		"issues/comments{/number}", "contents/{+path}",
		"compare/{base}...{head}", "merges",
		"{archive_format}{/ref}", "downloads", "issues{/number}",
		"pulls{/number}", "milestones{/number}",
		"notifications{?since,all,participating}", "labels{/name}",
		"releases{/id}", "deployments",
	};
	static const char *const k[] = {
		"forks", "keys", "collaborators", "teams", "hooks",
		"issue_events", "events", "assignees", "branches", "tags",
		"blobs", "git_tags", "git_refs", "trees", "statuses",
		"languages", "stargazers", "contributors", "subscribers",
		"subscription", "commits", "git_commits", "comments",
		"issue_comment", "contents", "compare", "merges", "archive",
		"downloads", "issues", "pulls", "milestones", "notifications",
		"labels", "releases", "deployments",
	};
	static const char *const lang[] = {
		"JavaScript", "Python", "Java", "Go", "TypeScript", "C++",
		"Ruby", "PHP", "C#", "C", "Shell", "Rust", "null",
	};
	size_t i;
	int64_t stars = (int64_t)(exp(unif(r) * 9) - 1);
	const char *lg = lang[below(r, 13)];

	PUTS(b, "{\"id\":");
	putint(b, rp->id);
	putnodeid(b, r, "MDEwOlJlcG9zaXRvcn", 14);
	PUTS(b, ",\"name\":\"");
	putstr(b, rp->name);
	PUTS(b, "\",\"full_name\":\"");
	putstr(b, rp->full);
	PUTS(b, "\",\"private\":false,\"owner\":");
	user_obj(b, r, &rp->owner);
	PUTS(b, ",\"html_url\":\"https://github.com/");
	putstr(b, rp->full);
	PUTS(b, "\",\"description\":\"");
	puttext(b, r, textlen(r, 50, 10, 200));
	PUTS(b, "\",\"fork\":false,\"url\":\"https://api.github.com/repos/");
	putstr(b, rp->full);
	putc_(b, '"');
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		PUTS(b, ",\"");
		putstr(b, k[i]);
		PUTS(b, "_url\":\"https://api.github.com/repos/");
		putstr(b, rp->full);
		putc_(b, '/');
		putstr(b, u[i]);
		putc_(b, '"');
	}
	PUTS(b, ",\"created_at\":");
	puttime(b, t - 86400 - below(r, 86400 * 1000));
	PUTS(b, ",\"updated_at\":");
	puttime(b, t - below(r, 86400 * 30));
	PUTS(b, ",\"pushed_at\":");
	puttime(b, t - below(r, 3600));
	PUTS(b, ",\"git_url\":\"git://github.com/");
	putstr(b, rp->full);
	PUTS(b, ".git\",\"ssh_url\":\"git@github.com:");
	putstr(b, rp->full);
	PUTS(b, ".git\",\"clone_url\":\"https://github.com/");
	putstr(b, rp->full);
	PUTS(b, ".git\",\"svn_url\":\"https://github.com/");
	putstr(b, rp->full);
	PUTS(b, "\",\"homepage\":null,\"size\":");
	putint(b, below(r, 100000));
	PUTS(b, ",\"stargazers_count\":");
	putint(b, stars);
	PUTS(b, ",\"watchers_count\":");
	putint(b, stars);
	PUTS(b, ",\"language\":");
	putqstr(b, strcmp(lg, "null") == 0 ? NULL : lg);
	PUTS(b, ",\"has_issues\":true,\"has_projects\":true,"
	    "\"has_downloads\":true,\"has_wiki\":true,\"has_pages\":false,"
	    "\"forks_count\":");
	putint(b, stars / 8);
	PUTS(b, ",\"mirror_url\":null,\"archived\":false,\"disabled\":false,"
	    "\"open_issues_count\":");
	putint(b, below(r, 200));
	if (opt.shape != S2015)
		PUTS(b, ",\"license\":{\"key\":\"mit\",\"name\":\"MIT License\","
		    "\"spdx_id\":\"MIT\",\"url\":\"https://api.github.com/"
		    "licenses/mit\",\"node_id\":\"MDc6TGljZW5zZTEz\"},"
		    "\"allow_forking\":true,\"is_template\":false,"
		    "\"web_commit_signoff_required\":false,\"topics\":[],"
		    "\"visibility\":\"public\"");
	PUTS(b, ",\"forks\":");
	putint(b, stars / 8);
	PUTS(b, ",\"open_issues\":");
	putint(b, below(r, 200));
	PUTS(b, ",\"watchers\":");
	putint(b, stars);
	PUTS(b, ",\"default_branch\":\"");
	putstr(b, opt.shape == S2015 ? "master" : "main");
	PUTS(b, "\"}");
}

static void
labels(struct ob *b, struct rng *r, const struct repo *rp)
{
	static const char *const lb[] = {
		"bug", "enhancement", "question", "documentation",
		"dependencies", "good first issue", "help wanted", "wontfix",
	};
	unsigned i, n = below(r, 4);

	PUTS(b, "\"labels\":[");
	for (i = 0; i < n; i++) {
		const char *l = lb[below(r, 8)];
		if (i > 0)
			putc_(b, ',');
		PUTS(b, "{");
		if (opt.shape != S2015) {
			PUTS(b, "\"id\":");
			putint(b, 1000000000 + below(r, 2000000000));
			PUTS(b, ",\"node_id\":\"LA_kwDO");
			puthex(b, r, 16);
			PUTS(b, "\",");
		}
		PUTS(b, "\"url\":\"https://api.github.com/repos/");
		putstr(b, rp->full);
		PUTS(b, "/labels/");
		putstr(b, l);
		PUTS(b, "\",\"name\":\"");
		putstr(b, l);
		PUTS(b, "\",\"color\":\"");
		puthex(b, r, 6);
		PUTS(b, "\"}");
	}
	putc_(b, ']');
}

static void
reactions(struct ob *b, const char *url)
{
	if (opt.shape == S2015)
		return;
	PUTS(b, ",\"reactions\":{\"url\":\"");
	putstr(b, url);
	PUTS(b, "/reactions\",\"total_count\":0,\"+1\":0,\"-1\":0,"
	    "\"laugh\":0,\"hooray\":0,\"confused\":0,\"heart\":0,"
	    "\"rocket\":0,\"eyes\":0}");
}

static void
issue_obj(struct ob *b, struct ev *e, int64_t num, int pr, double body)
{
	struct rng *r = e->r;
	char url[256];

	snprintf(url, sizeof(url), "https://api.github.com/repos/%s/issues/%lld",
	    e->repo.full, (long long)num);
	PUTS(b, "{\"url\":\"");
	putstr(b, url);
	if (opt.shape != S2015) {
		PUTS(b, "\",\"repository_url\":\"https://api.github.com/repos/");
		putstr(b, e->repo.full);
	}
	PUTS(b, "\",\"labels_url\":\"");
	putstr(b, url);
	PUTS(b, "/labels{/name}\",\"comments_url\":\"");
	putstr(b, url);
	PUTS(b, "/comments\",\"events_url\":\"");
	putstr(b, url);
	PUTS(b, "/events\",\"html_url\":\"https://github.com/");
	putstr(b, e->repo.full);
	putstr(b, pr ? "/pull/" : "/issues/");
	putint(b, num);
	PUTS(b, "\",\"id\":");
	putint(b, 50000000 + below(r, 2000000000));
	putnodeid(b, r, "I_kwDO", 16);
	PUTS(b, ",\"number\":");
	putint(b, num);
	PUTS(b, ",\"title\":\"");
	puttext(b, r, textlen(r, 45, 5, 250));
	PUTS(b, "\",\"user\":");
	user_obj(b, r, &e->actor);
	putc_(b, ',');
	labels(b, r, &e->repo);
	PUTS(b, ",\"state\":\"open\",\"locked\":false,\"assignee\":null,");
	if (opt.shape != S2015)
		PUTS(b, "\"assignees\":[],");
	PUTS(b, "\"milestone\":null,\"comments\":");
	putint(b, below(r, 30));
	PUTS(b, ",\"created_at\":");
	puttime(b, e->t - below(r, 86400 * 60));
	PUTS(b, ",\"updated_at\":");
	puttime(b, e->t);
	PUTS(b, ",\"closed_at\":null,");
	if (opt.shape != S2015)
		PUTS(b, "\"author_association\":\"CONTRIBUTOR\","
		    "\"active_lock_reason\":null,");
	if (pr) {
		PUTS(b, "\"pull_request\":{\"url\":\"https://api.github.com/repos/");
		putstr(b, e->repo.full);
		PUTS(b, "/pulls/");
		putint(b, num);
		PUTS(b, "\",\"html_url\":\"https://github.com/");
		putstr(b, e->repo.full);
		PUTS(b, "/pull/");
		putint(b, num);
		PUTS(b, "\",\"diff_url\":null,\"patch_url\":null},");
	}
	PUTS(b, "\"body\":\"");
	puttext(b, r, textlen(r, body, 0, 16000));
	putc_(b, '"');
	reactions(b, url);
	if (opt.shape != S2015)
		PUTS(b, ",\"timeline_url\":\"https://api.github.com/repos/x/y/"
		    "issues/1/timeline\",\"performed_via_github_app\":null,"
		    "\"state_reason\":null");
	putc_(b, '}');
}

static void
pr_obj(struct ob *b, struct ev *e, int64_t num, double body)
{
	static const char *const lk[] = {
		"self", "html", "issue", "comments", "review_comments",
		"review_comment", "commits", "statuses",
	};
	struct rng *r = e->r;
	char url[256];
	size_t i;
	int merged = below(r, 3) == 0;

	snprintf(url, sizeof(url), "https://api.github.com/repos/%s/pulls/%lld",
	    e->repo.full, (long long)num);
	PUTS(b, "{\"url\":\"");
	putstr(b, url);
	PUTS(b, "\",\"id\":");
	putint(b, 20000000 + below(r, 2000000000));
	putnodeid(b, r, "PR_kwDO", 16);
	PUTS(b, ",\"html_url\":\"https://github.com/");
	putstr(b, e->repo.full);
	PUTS(b, "/pull/");
	putint(b, num);
	PUTS(b, "\",\"diff_url\":\"https://github.com/");
	putstr(b, e->repo.full);
	PUTS(b, "/pull/");
	putint(b, num);
	PUTS(b, ".diff\",\"patch_url\":\"https://github.com/");
	putstr(b, e->repo.full);
	PUTS(b, "/pull/");
	putint(b, num);
	PUTS(b, ".patch\",\"issue_url\":\"https://api.github.com/repos/");
	putstr(b, e->repo.full);
	PUTS(b, "/issues/");
	putint(b, num);
	PUTS(b, "\",\"number\":");
	putint(b, num);
	PUTS(b, ",\"state\":\"open\",\"locked\":false,\"title\":\"");
	puttext(b, r, textlen(r, 45, 5, 250));
	PUTS(b, "\",\"user\":");
	user_obj(b, r, &e->actor);
	PUTS(b, ",\"body\":\"");
	puttext(b, r, textlen(r, body, 0, 16000));
	PUTS(b, "\",\"created_at\":");
	puttime(b, e->t - below(r, 86400 * 10));
	PUTS(b, ",\"updated_at\":");
	puttime(b, e->t);
	PUTS(b, ",\"closed_at\":null,\"merged_at\":null,"
	    "\"merge_commit_sha\":");
	putsha(b, r);
	PUTS(b, ",\"assignee\":null,\"assignees\":[],"
	    "\"requested_reviewers\":[],\"requested_teams\":[],");
	labels(b, r, &e->repo);
	PUTS(b, ",\"milestone\":null,");
	if (opt.shape != S2015)
		PUTS(b, "\"draft\":false,");
	PUTS(b, "\"commits_url\":\"");
	putstr(b, url);
	PUTS(b, "/commits\",\"review_comments_url\":\"");
	putstr(b, url);
	PUTS(b, "/comments\",\"review_comment_url\":\"https://api.github.com/repos/");
	putstr(b, e->repo.full);
	PUTS(b, "/pulls/comments{/number}\",\"comments_url\":\""
	    "https://api.github.com/repos/");
	putstr(b, e->repo.full);
	PUTS(b, "/issues/");
	putint(b, num);
	PUTS(b, "/comments\",\"statuses_url\":\"https://api.github.com/repos/");
	putstr(b, e->repo.full);
	PUTS(b, "/statuses/");
	puthex(b, r, 40);
	for (i = 0; i < 2; i++) {
		putstr(b, i == 0 ? "\",\"head\":{\"label\":\"" :
		    ",\"base\":{\"label\":\"");
		putstr(b, e->repo.owner.login);
		putstr(b, i == 0 ? ":feature\",\"ref\":\"feature\",\"sha\":" :
		    ":main\",\"ref\":\"main\",\"sha\":");
		putsha(b, r);
		PUTS(b, ",\"user\":");
		user_obj(b, r, &e->repo.owner);
		PUTS(b, ",\"repo\":");
		repo_obj(b, r, &e->repo, e->t);
		putc_(b, '}');
	}
	PUTS(b, ",\"_links\":{");
	for (i = 0; i < sizeof(lk) / sizeof(lk[0]); i++) {
		if (i > 0)
			putc_(b, ',');
		putc_(b, '"');
		putstr(b, lk[i]);
		PUTS(b, "\":{\"href\":\"");
		putstr(b, url);
		putc_(b, '/');
		putstr(b, lk[i]);
		PUTS(b, "\"}");
	}
	PUTS(b, "},");
	if (opt.shape != S2015)
		PUTS(b, "\"author_association\":\"CONTRIBUTOR\","
		    "\"auto_merge\":null,\"active_lock_reason\":null,");
	PUTS(b, "\"merged\":");
	putstr(b, merged ? "true" : "false");
	PUTS(b, ",\"mergeable\":null,\"rebaseable\":null,"
	    "\"mergeable_state\":\"unknown\",\"merged_by\":null,"
	    "\"comments\":");
	putint(b, below(r, 20));
	PUTS(b, ",\"review_comments\":");
	putint(b, below(r, 20));
	PUTS(b, ",\"maintainer_can_modify\":false,\"commits\":");
	putint(b, 1 + below(r, 12));
	PUTS(b, ",\"additions\":");
	putint(b, below(r, 2000));
	PUTS(b, ",\"deletions\":");
	putint(b, below(r, 800));
	PUTS(b, ",\"changed_files\":");
	putint(b, 1 + below(r, 40));
	putc_(b, '}');
}

/* The cut-down PR of the slim era: {url,id,number,head,base}. */
static void
pr_slim(struct ob *b, struct ev *e, int64_t num)
{
	struct rng *r = e->r;
	int i;

	PUTS(b, "{\"url\":\"https://api.github.com/repos/");
	putstr(b, e->repo.full);
	PUTS(b, "/pulls/");
	putint(b, num);
	PUTS(b, "\",\"id\":");
	putint(b, 3000000000LL + below(r, 500000000));
	PUTS(b, ",\"number\":");
	putint(b, num);
	for (i = 0; i < 2; i++) {
		putstr(b, i == 0 ? ",\"head\":{\"ref\":\"" : ",\"base\":{\"ref\":\"");
		if (i == 0) {
			putstr(b, e->actor.login);
			PUTS(b, "/patch-");
			putint(b, below(r, 100));
		} else
			PUTS(b, "main");
		PUTS(b, "\",\"sha\":");
		putsha(b, r);
		PUTS(b, ",\"repo\":{\"id\":");
		putint(b, e->repo.id);
		PUTS(b, ",\"url\":\"https://api.github.com/repos/");
		putstr(b, e->repo.full);
		PUTS(b, "\",\"name\":\"");
		putstr(b, e->repo.name);
		PUTS(b, "\"}}");
	}
	putc_(b, '}');
}

/* The pull request of the era: cut down in 2026, whole before. */
static void
pr_era(struct ob *b, struct ev *e, int64_t num, double body)
{
	if (opt.shape == S2026)
		pr_slim(b, e, num);
	else
		pr_obj(b, e, num, body);
}

static void
comment_obj(struct ob *b, struct ev *e, const char *kind, int64_t num,
    double body)
{
	struct rng *r = e->r;
	int64_t cid = 68000000 + below(r, 2000000000);

	PUTS(b, "{\"url\":\"https://api.github.com/repos/");
	putstr(b, e->repo.full);
	putc_(b, '/');
	putstr(b, kind);
	PUTS(b, "/comments/");
	putint(b, cid);
	PUTS(b, "\",\"html_url\":\"https://github.com/");
	putstr(b, e->repo.full);
	PUTS(b, "/issues/");
	putint(b, num);
	PUTS(b, "#issuecomment-");
	putint(b, cid);
	PUTS(b, "\",\"issue_url\":\"https://api.github.com/repos/");
	putstr(b, e->repo.full);
	PUTS(b, "/issues/");
	putint(b, num);
	PUTS(b, "\",\"id\":");
	putint(b, cid);
	putnodeid(b, r, "IC_kwDO", 16);
	PUTS(b, ",\"user\":");
	user_obj(b, r, &e->actor);
	PUTS(b, ",\"created_at\":");
	puttime(b, e->t);
	PUTS(b, ",\"updated_at\":");
	puttime(b, e->t);
	if (opt.shape != S2015)
		PUTS(b, ",\"author_association\":\"MEMBER\"");
	PUTS(b, ",\"body\":\"");
	puttext(b, r, textlen(r, body, 1, 16000));
	putc_(b, '"');
	reactions(b, "https://api.github.com/repos/x/y/issues/comments/1");
	putc_(b, '}');
}

/* ---- payloads ---- */

static const char *const branches[] = {
	"master", "main", "gh-pages", "develop", "dev", "feature/login",
	"fix/typo", "patch-1", "release/v2", "dependabot/npm_and_yarn/axios-0.21.1",
};

/* Commits in a push, as 2015 shows them (see the calibration above). */
static int64_t
pushsize(struct rng *r)
{
	double u = unif(r);

	if (u < 0.005)
		return 0;
	if (u < 0.822)
		return 1;
	if (u < 0.907)
		return 2;
	if (u < 0.937)
		return 3;
	if (u < 0.950)
		return 4;
	/* Pareto tail from 5: P(> 20 | >= 5) = 0.32, capped at 1000. */
	u = 5 * pow(1 - unif(r), -1 / 0.82);
	return u > 1000 ? 1000 : (int64_t)u;
}

static void
commit(struct ob *b, struct ev *e, size_t msglen)
{
	struct rng *r = e->r;
	uint64_t h = hash2((uint64_t)e->actor.id, 0x9d);

	PUTS(b, "{\"sha\":");
	putsha(b, r);
	PUTS(b, ",\"author\":{\"email\":\"");
	puthex(b, r, 40);
	putstr(b, h % 3 ? "@gmail.com\",\"name\":\"" :
	    "@users.noreply.github.com\",\"name\":\"");
	putstr(b, e->actor.login);
	PUTS(b, "\"},\"message\":\"");
	/* A huge message (-B) is many slices, the corpus being 1 MB. */
	for (; msglen > CORPUS / 4; msglen -= CORPUS / 4) {
		puttext(b, r, CORPUS / 4);
		PUTS(b, "\\n");
	}
	puttext(b, r, msglen);
	PUTS(b, "\",\"distinct\":true,\"url\":\"https://api.github.com/repos/");
	putstr(b, e->repo.full);
	PUTS(b, "/commits/");
	puthex(b, r, 40);
	PUTS(b, "\"}");
}

static void
p_push(struct ob *b, struct ev *e, size_t bigmsg)
{
	struct rng *r = e->r;
	int64_t size = bigmsg ? 1 : pushsize(r), i;
	int64_t shown = size < 20 ? size : 20;
	const char *br = branches[zipf(r, 10, 1)];

	putc_(b, '{');
	if (opt.shape != S2015) {
		PUTS(b, "\"repository_id\":");
		putint(b, e->repo.id);
		putc_(b, ',');
	}
	PUTS(b, "\"push_id\":");
	putint(b, pushbase[opt.shape] + (e->id - idbase[opt.shape]) / 2);
	if (opt.shape != S2026) {
		PUTS(b, ",\"size\":");
		putint(b, size);
		PUTS(b, ",\"distinct_size\":");
		putint(b, below(r, 20) ? size : below(r, (uint32_t)size + 1));
	}
	PUTS(b, ",\"ref\":\"refs/heads/");
	putstr(b, br);
	PUTS(b, "\",\"head\":");
	putsha(b, r);
	PUTS(b, ",\"before\":");
	putsha(b, r);
	if (opt.shape != S2026) {
		PUTS(b, ",\"commits\":[");
		for (i = 0; i < shown; i++) {
			if (i > 0)
				putc_(b, ',');
			commit(b, e, bigmsg ? bigmsg : textlen(r,
			    opt.shape == S2015 ? 45 : 60, 3, 4000));
		}
		putc_(b, ']');
	}
	putc_(b, '}');
}

static void
p_create(struct ob *b, struct ev *e, int del)
{
	struct rng *r = e->r;
	unsigned k = below(r, 100);
	const char *rt = del ? (k < 85 ? "branch" : "tag") :
	    k < 55 ? "branch" : k < 80 ? "repository" : "tag";
	const char *br = branches[1 + below(r, 9)];
	char tag[32];

	if (strcmp(rt, "tag") == 0) {
		snprintf(tag, sizeof(tag), "v%u.%u.%u", below(r, 5),
		    below(r, 20), below(r, 10));
		br = tag;
	}
	PUTS(b, "{\"ref\":");
	putqstr(b, strcmp(rt, "repository") == 0 ? NULL : br);
	PUTS(b, ",\"ref_type\":\"");
	putstr(b, rt);
	putc_(b, '"');
	if (opt.shape == S2026) {
		PUTS(b, ",\"full_ref\":");
		if (strcmp(rt, "repository") == 0)
			PUTS(b, "null");
		else {
			putstr(b, strcmp(rt, "tag") == 0 ? "\"refs/tags/" :
			    "\"refs/heads/");
			putstr(b, br);
			putc_(b, '"');
		}
	}
	if (!del) {
		PUTS(b, ",\"master_branch\":\"");
		putstr(b, opt.shape == S2015 ? "master" : "main");
		PUTS(b, "\",\"description\":");
		if (below(r, 3) == 0)
			PUTS(b, "null");
		else {
			putc_(b, '"');
			puttext(b, r, textlen(r, 40, 5, 300));
			putc_(b, '"');
		}
	}
	PUTS(b, ",\"pusher_type\":\"user\"}");
}

static void
p_payload(struct ob *b, struct ev *e)
{
	static const char *const iact[] = { "opened", "closed", "reopened" };
	static const char *const pact[] = {
		"opened", "closed", "reopened", "synchronize" };
	static const char *const sact[] = { "opened", "merged", "closed" };
	struct rng *r = e->r;
	int64_t num = 1 + (int64_t)zipf(r, 5000, 20);
	int big = opt.shape != S2015;

	switch (e->type) {
	case T_PUSH:
		p_push(b, e, 0);
		break;
	case T_CREATE:
		p_create(b, e, 0);
		break;
	case T_DELETE:
		p_create(b, e, 1);
		break;
	case T_WATCH:
		PUTS(b, "{\"action\":\"started\"}");
		break;
	case T_FORK:
		putstr(b, opt.shape == S2026 ? "{\"action\":\"forked\","
		    "\"forkee\":" : "{\"forkee\":");
		{
			struct repo fk = e->repo;

			fk.owner = e->actor;
			snprintf(fk.full, sizeof(fk.full), "%s/%s",
			    e->actor.login, fk.name);
			fk.id = e->repo.id + 1 + below(r, 1000000);
			repo_obj(b, r, &fk, e->t);
		}
		putc_(b, '}');
		break;
	case T_ISSUES:
		PUTS(b, "{\"action\":\"");
		putstr(b, iact[below(r, 3)]);
		PUTS(b, "\",\"issue\":");
		issue_obj(b, e, num, 0, big ? 1300 : 700);
		putc_(b, '}');
		break;
	case T_ISSUECOMMENT:
		PUTS(b, "{\"action\":\"created\",\"issue\":");
		issue_obj(b, e, num, below(r, 2), big ? 1800 : 500);
		PUTS(b, ",\"comment\":");
		comment_obj(b, e, "issues", num, big ? 1600 : 330);
		putc_(b, '}');
		break;
	case T_PR:
		PUTS(b, "{\"action\":\"");
		putstr(b, opt.shape == S2026 ? sact[below(r, 3)] :
		    pact[below(r, 4)]);
		PUTS(b, "\",\"number\":");
		putint(b, num);
		PUTS(b, ",\"pull_request\":");
		pr_era(b, e, num, big ? 3500 : 500);
		putc_(b, '}');
		break;
	case T_PRREVIEW:
		PUTS(b, "{\"action\":\"created\",\"review\":{\"id\":");
		putint(b, 1000000000 + below(r, 900000000));
		PUTS(b, ",\"user\":");
		user_obj(b, r, &e->actor);
		PUTS(b, ",\"body\":\"");
		puttext(b, r, textlen(r, 300, 0, 8000));
		PUTS(b, "\",\"commit_id\":");
		putsha(b, r);
		PUTS(b, ",\"submitted_at\":");
		puttime(b, e->t);
		PUTS(b, ",\"state\":\"approved\",\"html_url\":\"https://github.com/");
		putstr(b, e->repo.full);
		PUTS(b, "/pull/");
		putint(b, num);
		PUTS(b, "\",\"author_association\":\"MEMBER\"},\"pull_request\":");
		pr_era(b, e, num, 2500);
		putc_(b, '}');
		break;
	case T_PRRC:
		PUTS(b, "{\"action\":\"created\",\"comment\":");
		comment_obj(b, e, "pulls", num, big ? 600 : 400);
		PUTS(b, ",\"pull_request\":");
		pr_era(b, e, num, big ? 3500 : 1200);
		putc_(b, '}');
		break;
	case T_COMMITCOMMENT:
		PUTS(b, "{\"comment\":");
		comment_obj(b, e, "comments", num, 200);
		putc_(b, '}');
		break;
	case T_RELEASE:
		PUTS(b, "{\"action\":\"published\",\"release\":{\"url\":\""
		    "https://api.github.com/repos/");
		putstr(b, e->repo.full);
		PUTS(b, "/releases/1\",\"id\":");
		putint(b, 800000 + below(r, 100000000));
		PUTS(b, ",\"tag_name\":\"v");
		putint(b, below(r, 9));
		putc_(b, '.');
		putint(b, below(r, 30));
		PUTS(b, "\",\"target_commitish\":\"main\",\"name\":\"");
		puttext(b, r, textlen(r, 20, 2, 80));
		PUTS(b, "\",\"draft\":false,\"author\":");
		user_obj(b, r, &e->actor);
		PUTS(b, ",\"prerelease\":false,\"created_at\":");
		puttime(b, e->t - 60);
		PUTS(b, ",\"published_at\":");
		puttime(b, e->t);
		PUTS(b, ",\"assets\":[],\"body\":\"");
		puttext(b, r, textlen(r, 600, 0, 8000));
		PUTS(b, "\"}}");
		break;
	case T_GOLLUM:
		PUTS(b, "{\"pages\":[{\"page_name\":\"Home\",\"title\":\"");
		puttext(b, r, textlen(r, 12, 2, 60));
		PUTS(b, "\",\"summary\":null,\"action\":\"edited\",\"sha\":");
		putsha(b, r);
		PUTS(b, ",\"html_url\":\"https://github.com/");
		putstr(b, e->repo.full);
		PUTS(b, "/wiki/Home\"}]}");
		break;
	case T_MEMBER:
		PUTS(b, "{\"member\":");
		{
			struct who m;

			actor(&m, zipf(r, nactors, 8));
			user_obj(b, r, &m);
		}
		PUTS(b, ",\"action\":\"added\"}");
		break;
	case T_PUBLIC:
	default:
		PUTS(b, "{}");
		break;
	}
}

/* ---- events ---- */

static enum etype
pick_type(struct rng *r)
{
	unsigned k = below(r, 10000);
	int t;

	for (t = 0; t < T_NTYPES - 1; t++) {
		if (k < (unsigned)mix[opt.shape][t])
			break;
		k -= (unsigned)mix[opt.shape][t];
	}
	return (enum etype)t;
}

/* How often the event goes to one of the actor's own repos, in %. */
static unsigned
own_share(enum etype t)
{
	switch (t) {
	case T_PUSH:
		return 75;
	case T_CREATE: case T_DELETE: case T_RELEASE: case T_GOLLUM:
	case T_MEMBER: case T_PUBLIC:
		return 80;
	case T_WATCH: case T_FORK:
		return 3;
	default:
		return 25;
	}
}

static void
put_who(struct ob *b, const struct who *w, int isorg)
{
	PUTS(b, "{\"id\":");
	putint(b, w->id);
	PUTS(b, ",\"login\":\"");
	putstr(b, w->login);
	if (!isorg && opt.shape != S2015) {
		PUTS(b, "\",\"display_login\":\"");
		if (w->bot)
			put(b, w->login, strlen(w->login) - 5);
		else
			putstr(b, w->login);
	}
	PUTS(b, "\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/");
	putstr(b, isorg ? "orgs/" : "users/");
	putstr(b, w->login);
	PUTS(b, "\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/");
	putint(b, w->id);
	PUTS(b, "?\"}");
}

/*
 * One event of index i, created at t, as one line.  bigmsg > 0 makes it
 * a PushEvent with one commit whose message is about bigmsg bytes.
 */
static void
event(struct ob *b, struct rng *r, int64_t id, int64_t t, size_t bigmsg)
{
	struct ev e;
	uint64_t a;

	e.r = r;
	e.id = id;
	e.t = t;
	e.type = bigmsg ? T_PUSH : pick_type(r);
	a = zipf(r, nactors, 8);
	actor(&e.actor, a);
	if (below(r, 100) < own_share(e.type))
		own_repo(&e.repo, a, r);
	else
		shared_repo(&e.repo, zipf(r, nshared, 3));

	PUTS(b, "{\"id\":\"");
	putint(b, id);
	PUTS(b, "\",\"type\":\"");
	putstr(b, tname[e.type]);
	PUTS(b, "\",\"actor\":");
	put_who(b, &e.actor, 0);
	PUTS(b, ",\"repo\":{\"id\":");
	putint(b, e.repo.id);
	PUTS(b, ",\"name\":\"");
	putstr(b, e.repo.full);
	PUTS(b, "\",\"url\":\"https://api.github.com/repos/");
	putstr(b, e.repo.full);
	PUTS(b, "\"},\"payload\":");
	if (bigmsg)
		p_push(b, &e, bigmsg);
	else
		p_payload(b, &e);
	PUTS(b, ",\"public\":true,\"created_at\":");
	puttime(b, t);
	if (e.repo.owner.org) {
		PUTS(b, ",\"org\":");
		put_who(b, &e.repo.owner, 1);
	}
	PUTS(b, "}\n");
}

/* ---- dirty lines ---- */

static struct {
	unsigned long long cut, bad, nul, xml;
} dirt;
static size_t nulprefix;	/* NULs to write before the next event */

/*
 * Append one line that every JSON reader must reject, derived from the
 * previous event (line..line+n, without its newline).
 */
static void
dirty_line(struct ob *b, struct rng *r, size_t line, size_t n)
{
	static const char xml[] = "<?xml version='1.0' encoding='UTF-8'?>"
	    "<Error><Code>InternalError</Code><Message>We encountered an "
	    "internal error. Please try again.</Message></Error>";
	size_t k, i;

	switch (below(r, 4)) {
	case 0:		/* cut off: a strict prefix of an object */
		k = 1 + below(r, (uint32_t)(n - 2));
		reserve(b, k + 1);
		memmove(b->p + b->n, b->p + line, k);
		b->n += k;
		dirt.cut++;
		break;
	case 1:
		/*
		 * A NUL run: alone on its line, or glued to the front of the
		 * next event (written by main), which a reader should still
		 * recover.  Either way one fault to report.
		 */
		k = 1 + below(r, 4096);
		dirt.nul++;
		if (below(r, 2)) {
			nulprefix = k;
			return;
		}
		reserve(b, k + 1);
		memset(b->p + b->n, 0, k);
		b->n += k;
		break;
	case 2:		/* broken mid-line: a bad literal */
		reserve(b, n + 1);
		memcpy(b->p + b->n, b->p + line, n);
		/* The last "public":true of the line is the event's own. */
		for (i = n - 13; i > 0; i--)
			if (memcmp(b->p + b->n + i, "\"public\":true", 13) == 0)
				break;
		b->p[b->n + i + 12] = ' ';	/* "tru " */
		b->n += n;
		dirt.bad++;
		break;
	default:	/* an error page instead of data */
		reserve(b, sizeof(xml));
		put(b, xml, sizeof(xml) - 1);
		dirt.xml++;
		break;
	}
	putc_(b, '\n');
}

/* ---- output ---- */

static FILE *outfp;
static gzFile outgz;
static const char *outname = "<stdout>";

static void
flushout(struct ob *b)
{
	if (b->n == 0)
		return;
	if (outgz != NULL) {
		if (gzwrite(outgz, b->p, (unsigned)b->n) != (int)b->n) {
			int zerr;
			gha_die(GHA_EX_OUTPUT, "%s: write error: %s", outname,
			    gzerror(outgz, &zerr));
		}
	} else if (fwrite(b->p, 1, b->n, outfp) != b->n)
		gha_die(GHA_EX_OUTPUT, "%s: write error: %s", outname,
		    strerror(errno));
	b->n = 0;
}

/* Never leave a half-written file under the name asked for. */
static const char *volatile tmpname;

static void
rmtmp(void)
{
	if (tmpname != NULL)
		unlink(tmpname);
}

static void
onsignal(int sig)
{
	rmtmp();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: gha-gen [-hz] [-B size] [-D rate] [-H hour] "
	    "[-l level] [-n count]\n"
	    "               [-o file] [-s seed] [2015 | 2024 | 2026]\n");
	if (fp == stdout)
		fprintf(fp,
"\nWrite a synthetic GH Archive hour of the given era (default 2015),\n"
"one event a line, the same bytes for the same options and seed.\n"
"  -B size   add one PushEvent of about size bytes (huge commit message),\n"
"            after the middle event; e.g. -B 10M\n"
"  -D rate   after each event, with probability rate (0 to 1), add one\n"
"            fault a reader must report once: a cut-off copy of the\n"
"            event, a NUL run (on its own line or glued before the next\n"
"            event, which stays readable), a copy with a broken literal,\n"
"            or an XML error page; every event stays intact, and the\n"
"            number of faults goes to stderr\n"
"  -H hour   archive hour YYYY-MM-DD-H that created_at falls in\n"
"            (default 2015-01-01-15, 2024-01-15-12, 2026-02-18-6)\n"
"  -h        this help\n"
"  -l level  gzip level 1-9 with -z (default 6)\n"
"  -n count  events (default a real hour: 7000, 250000, 170000)\n"
"  -o file   output file (default stdout); when file is a directory,\n"
"            write HOUR.json or HOUR.json.gz in it, named like the\n"
"            archive so that gha-decode sets src\n"
"  -s seed   random seed, 0 to 2^64-1 (default 1)\n"
"  -z        gzip the output\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct rng r, rd;
	struct stat st;
	char *path = NULL, *tmp = NULL;
	unsigned long long v;
	long long n;
	int64_t id, i, big_at;
	int ch, fd;
	char *end;
	size_t line;

	gha_setprogname(argv[0]);
	opt.seed = 1;
	opt.level = 6;
	opt.count = -1;
	while ((ch = getopt(argc, argv, "B:D:H:hl:n:o:s:z")) != -1) {
		switch (ch) {
		case 'B':
			if (gha_parse_size(optarg, &v) != 0 || v < 1024 ||
			    v > (1ULL << 30)) {
				gha_warnx("-B: want a size from 1K to 1G: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			opt.bigline = v;
			break;
		case 'D':
			errno = 0;
			opt.dirty = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(opt.dirty >= 0 && opt.dirty <= 1)) {
				gha_warnx("-D: want a rate from 0 to 1: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			break;
		case 'H':
			if (gha_hour_parse(optarg, strlen(optarg),
			    &opt.hour) != 0) {
				gha_warnx("-H: want an hour YYYY-MM-DD-H: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			snprintf(opt.hourname, sizeof(opt.hourname), "%s",
			    optarg);
			break;
		case 'h':
			usage(stdout, GHA_EX_OK);
			break;
		case 'l':
			if (gha_strtonum(optarg, 1, 9, &n) != 0) {
				gha_warnx("-l: want a level from 1 to 9: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			opt.level = (int)n;
			break;
		case 'n':
			if (gha_strtonum(optarg, 1, 100000000, &n) != 0) {
				gha_warnx("-n: want a count from 1 to "
				    "100000000: %s", optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			opt.count = n;
			break;
		case 'o':
			opt.out = optarg;
			break;
		case 's':
			errno = 0;
			if (*optarg < '0' || *optarg > '9' ||
			    (opt.seed = strtoull(optarg, &end, 0), errno != 0) ||
			    *end != '\0') {
				gha_warnx("-s: want a seed from 0 to 2^64-1: %s",
				    optarg);
				usage(stderr, GHA_EX_USAGE);
			}
			break;
		case 'z':
			opt.gzip = 1;
			break;
		default:
			usage(stderr, GHA_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	opt.shape = S2015;
	if (argc > 1)
		usage(stderr, GHA_EX_USAGE);
	if (argc == 1) {
		if (strcmp(argv[0], "2015") == 0)
			opt.shape = S2015;
		else if (strcmp(argv[0], "2024") == 0)
			opt.shape = S2024;
		else if (strcmp(argv[0], "2026") == 0)
			opt.shape = S2026;
		else {
			gha_warnx("%s: unknown shape (want 2015, 2024 or "
			    "2026)", argv[0]);
			usage(stderr, GHA_EX_USAGE);
		}
	}
	if (opt.count < 0)
		opt.count = defcount[opt.shape];
	if (opt.hourname[0] == '\0') {
		snprintf(opt.hourname, sizeof(opt.hourname), "%s",
		    defhour[opt.shape]);
		gha_hour_parse(opt.hourname, strlen(opt.hourname), &opt.hour);
	}

	/* Output: stdout, a file, or an archive-named file in a directory. */
	if (opt.out == NULL || strcmp(opt.out, "-") == 0)
		fd = STDOUT_FILENO;
	else {
		size_t len;

		if (stat(opt.out, &st) == 0 && S_ISDIR(st.st_mode)) {
			len = strlen(opt.out) + 32;
			path = gha_emalloc(len);
			snprintf(path, len, "%s/%s.json%s", opt.out,
			    opt.hourname, opt.gzip ? ".gz" : "");
		} else
			path = gha_estrdup(opt.out);
		len = strlen(path) + 8;
		tmp = gha_emalloc(len);
		snprintf(tmp, len, "%s.tmp", path);
		if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1)
			gha_die(GHA_EX_OUTPUT, "%s: %s", tmp, strerror(errno));
		tmpname = tmp;
		atexit(rmtmp);
		signal(SIGINT, onsignal);
		signal(SIGTERM, onsignal);
		signal(SIGHUP, onsignal);
		outname = path;
	}
	if (opt.gzip) {
		char mode[8];

		snprintf(mode, sizeof(mode), "wb%d", opt.level);
		if ((outgz = gzdopen(fd == STDOUT_FILENO ? dup(fd) : fd,
		    mode)) == NULL)
			gha_die(GHA_EX_OUTPUT, "%s: cannot start gzip",
			    outname);
		gzbuffer(outgz, 1 << 20);
	} else if (fd == STDOUT_FILENO)
		outfp = stdout;
	else if ((outfp = fdopen(fd, "w")) == NULL)
		gha_die(GHA_EX_OUTPUT, "%s: %s", outname, strerror(errno));

	/*
	 * Pools: in 2015 an hour of ~7k events has ~4k actors, most seen
	 * once; about one shared repo per 20 events and one org per 200.
	 */
	nactors = (uint64_t)opt.count * 2 / 3 + 50;
	norgs = (uint64_t)opt.count / 200 + 10;
	nshared = (uint64_t)opt.count / 20 + 30;
	corpus_init();

	r.s = opt.seed;
	rd.s = opt.seed ^ 0x6469727479ULL;
	id = firstid();
	big_at = opt.bigline ? opt.count / 2 : -1;
	for (i = 0; i < opt.count; i++) {
		int64_t t = opt.hour + i * 3600 / opt.count;

		reserve(&ob, 2 << 20);
		if (nulprefix > 0) {
			memset(ob.p + ob.n, 0, nulprefix);
			ob.n += nulprefix;
			nulprefix = 0;
		}
		line = ob.n;
		id += 2 + below(&r, 40);
		event(&ob, &r, id, t, 0);
		if (ob.n - line > (1 << 20))
			gha_die(GHA_EX_OUTPUT, "internal error: event %lld "
			    "too long", (long long)i);
		if (opt.dirty > 0 && unif(&rd) < opt.dirty)
			dirty_line(&ob, &rd, line, ob.n - line - 1);
		if (i == big_at) {
			reserve(&ob, opt.bigline + (1 << 20));
			/* Its own stream, so the other events stay put. */
			event(&ob, &rd, id + 1, t, (size_t)opt.bigline);
		}
		if (ob.n >= (4U << 20))
			flushout(&ob);
	}
	if (nulprefix > 0) {
		reserve(&ob, nulprefix + 1);
		memset(ob.p + ob.n, 0, nulprefix);
		ob.n += nulprefix;
		putc_(&ob, '\n');
	}
	flushout(&ob);
	if (outgz != NULL) {
		if (gzclose(outgz) != Z_OK)
			gha_die(GHA_EX_OUTPUT, "%s: write error", outname);
	} else if (outfp != stdout && fclose(outfp) == EOF)
		gha_die(GHA_EX_OUTPUT, "%s: write error: %s", outname,
		    strerror(errno));
	if (tmp != NULL) {
		if (rename(tmp, path) == -1)
			gha_die(GHA_EX_OUTPUT, "%s: %s", path, strerror(errno));
		tmpname = NULL;
	}
	if (opt.dirty > 0)
		fprintf(stderr, "gha-gen: injected %llu dirty lines "
		    "(%llu cut off, %llu NUL runs, %llu broken, %llu XML)\n",
		    dirt.cut + dirt.nul + dirt.bad + dirt.xml, dirt.cut,
		    dirt.nul, dirt.bad, dirt.xml);
	free(path);
	free(tmp);
	free(ob.p);
	free(corpus);
	gha_eclose_stdout();
	return GHA_EX_OK;
}

/* The event id before the first of the hour (see IDS_AN_HOUR). */
static int64_t
firstid(void)
{
	int64_t h0, k;

	gha_hour_parse(defhour[opt.shape], strlen(defhour[opt.shape]), &h0);
	k = ((opt.hour - h0) / 3600 % 200 + 200) % 200;
	return idbase[opt.shape] + k * IDS_AN_HOUR;
}
