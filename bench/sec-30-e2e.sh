# bench/sec-30-e2e.sh - end to end: a generated day from the local server
# to the metrics in SQLite, gha against the plain Unix pipeline (issue 7).
#
# The day: 24 generated 2024-shaped hours of 50,000 events (2,000 under
# BENCH_QUICK) served by tests/server/httpd.py on 127.0.0.1.  Both sides
# start from nothing (no cache, no database) and end with the metric rows:
#
#   plain:  for each hour, curl | zcat; all of it through
#           jq -r '[the 7 fields the metrics need] | @tsv' into
#           sqlite3 .import of a plain table; then the daily_summary and
#           devs_owning_multiple_repos numbers in SQL over that table
#           (PLAIN_SQL below, the views of gha-load(1) written out).
#   gha:    gha-fetch --defer-check | gha-decode | gha-load, then the
#           same numbers read from gha-load's views (each byte inflated
#           once: gha-decode proves each download and renames it into the
#           cache).
#
# The two outputs are compared (a note says whether they agree).  gha runs
# as usual (2 cores) and pinned to one core with taskset, for the scaling
# from 1 to 2 cores.  Target: gha >= 3x faster (wall) than plain.
#
# Then, in a full run only (or with BENCH_E2E_BIG=N, N events an hour,
# in a quick one), the 2024-shaped day the issue names, 24 hours of
# 200,000 events (about 3.3 GB of gzip, 19 GB raw): gha end to end
# against the floors of any pipeline: curl | zcat >/dev/null of the same
# hours, and the inflate alone of the same files from the page cache
# (tests/gzfloor.c, the check gha-fetch runs and nothing else) with
# isa-l's igzip and with zlib.  gha runs on 2 cores and pinned to one
# (taskset -c 0), and the daily job runs its own path over the same
# mirror (gha-daily: a gha-fetch a chunk of hours, a gha-decode an hour,
# the ledger, the SHA-256 of each file, finality, health).  Targets: <=
# 45 s wall with isa-l, <= 70 s with zlib, gha-daily within 10 % of the
# bare pipeline's wall time.  The plain pipeline is not run on it (jq
# alone would take some 12 minutes here); its ratio on the smaller day is
# the comparison.
. "$BENCH/lib.sh"

day=2024-01-15
W=$BENCH_OUT/work-e2e
rm -rf "$W"
mkdir -p "$W"
trap 'bench_httpd_stop; rm -rf "$W"' EXIT
hours=$(seq 0 23 | sed "s/^/$day-/; s/\$/.json.gz/" | tr '\n' ' ')

JQ='[.id, .type, .created_at, .actor.login, .repo.name,
    .payload.ref_type, .payload.size] | @tsv'
PLAIN_TABLE='CREATE TABLE ev (id TEXT, type TEXT, created_at TEXT,
    actor_login TEXT, repo_name TEXT, ref_type TEXT, commits INTEGER)'
# @tsv writes null as an empty field and .import stores it as '': nullif.
PLAIN_SQL="
CREATE TEMP VIEW e AS SELECT substr(created_at, 1, 10) AS day, type,
  nullif(actor_login, '') AS actor_login, nullif(repo_name, '') AS repo_name,
  ref_type, nullif(commits, '') AS commits
FROM ev;
CREATE TEMP TABLE dd AS SELECT day, actor_login, count(*) AS events,
  sum(CASE WHEN type = 'PushEvent' THEN coalesce(commits, 1) ELSE 0 END)
    AS commits,
  max(type = 'PushEvent' AND commits IS NULL) AS est
FROM e WHERE actor_login IS NOT NULL GROUP BY day, actor_login;
CREATE TEMP TABLE rm AS SELECT day, repo_name FROM e
WHERE type = 'PushEvent' AND repo_name IS NOT NULL
  AND actor_login IS NOT NULL
GROUP BY day, repo_name HAVING count(DISTINCT actor_login) > 10;
SELECT t.day, t.events, d.devs, d.gt1, d.lt1, coalesce(r.n, 0), d.est
FROM (SELECT day, count(*) AS events FROM e GROUP BY day) AS t
LEFT JOIN (SELECT day, count(*) AS devs, sum(commits > 1) AS gt1,
  sum(commits < 1) AS lt1, max(est) AS est FROM dd GROUP BY day) AS d
  USING (day)
LEFT JOIN (SELECT day, count(*) AS n FROM rm GROUP BY day) AS r USING (day)
ORDER BY t.day;
SELECT count(*), sum(o.n), sum(coalesce(c.n, 0))
FROM (SELECT DISTINCT actor_login FROM e WHERE actor_login IS NOT NULL) AS a
JOIN (SELECT lower(substr(repo_name, 1, instr(repo_name, '/') - 1)) AS ow,
    count(DISTINCT repo_name) AS n
  FROM e WHERE instr(repo_name, '/') > 1 GROUP BY ow HAVING n > 1) AS o
  ON lower(a.actor_login) = o.ow
LEFT JOIN (SELECT actor_login, count(DISTINCT repo_name) AS n FROM e
  WHERE type = 'CreateEvent' AND ref_type = 'repository'
    AND actor_login IS NOT NULL
  GROUP BY actor_login) AS c ON c.actor_login = a.actor_login;"
# daily_summary's columns named: the hour-ledger columns that follow them
# have no counterpart in the plain pipeline.
GHA_SQL='SELECT day, events, developers, devs_gt1_commit, devs_lt1_commit,
  repos_gt10_members, commits_estimated FROM daily_summary ORDER BY day;
SELECT count(*), sum(repos_owned), sum(repos_created)
FROM devs_owning_multiple_repos;'

# The two pipelines as scripts, so that taskset can run one whole.  Each
# stage runs under /usr/bin/time (when there is one) writing its CPU time
# to W/t.STAGE, for the note on where the time goes.
T=
[ -x /usr/bin/time ] && T="/usr/bin/time -f %U+%S -o $W/t."
cat >"$W/plain.sh" <<EOF
set -e
rm -f '$W/p.db'
sqlite3 '$W/p.db' '$PLAIN_TABLE'
for f in $hours; do
	curl -sSf "\$BENCH_URL"/\$f | zcat
done | ${T:+${T}jq }jq -r '$JQ' |
    ${T:+${T}import }sqlite3 '$W/p.db' '.mode tabs' '.import /dev/stdin ev'
${T:+${T}sql }sqlite3 '$W/p.db' "\$(cat '$W/plain.sql')" >'$W/p.out'
EOF
echo "$PLAIN_SQL" >"$W/plain.sql"
cat >"$W/gha.sh" <<EOF
set -e
rm -rf '$W/cache' '$W/g.db' '$W/g.db-wal' '$W/g.db-shm'
${T:+${T}fetch }gha-fetch -q --defer-check --base-url "\$BENCH_URL" -d '$W/cache' $day |
    ${T:+${T}decode }gha-decode -q | ${T:+${T}load }gha-load -v '$W/g.db'
${T:+${T}views }sqlite3 '$W/g.db' '$GHA_SQL' >'$W/g.out'
EOF
# The daily job, from nothing, over the same mirror: its own environment
# file (no report, no thin-hour check: the hours are alike), the clock
# half an hour after the day ended, every hour published.
next=$(date -u -d "$day + 1 day" +%Y-%m-%d)
mkdir -p "$W/env"
cat >"$W/env/bench.conf" <<EOF
target=$W/d.db
cache=$W/dcache
logdir=$W/dlog
outdir=$W/dreport
jobs=2
catchup_days=1
report=0
thin_ratio=0
EOF
cat >"$W/daily.sh" <<EOF
set -e
rm -rf '$W/dcache' '$W/d.db' '$W/d.db-wal' '$W/d.db-shm' '$W/dlog'
GHA_ENV_DIR='$W/env' GHA_ENV=bench GHA_BASE_URL="\$BENCH_URL" \\
    GHA_START=$day GHA_NOW=${next}T00:30:00Z '$ROOT/scripts/gha-daily'
sqlite3 '$W/d.db' '$GHA_SQL' >'$W/d.out'
EOF
cat >"$W/floor.sh" <<EOF
set -e
for f in $hours; do
	curl -sSf "\$BENCH_URL"/\$f | zcat
done >/dev/null
EOF

# e2e_stages WHAT STAGE...: a note with the CPU seconds of each stage of
# the last run of a pipeline (W/t.STAGE), when they were measured.
e2e_stages() {
	_what=$1
	shift
	[ -n "$T" ] || return 0
	_s=
	for _st; do
		_s="$_s${_s:+, }$_st $(bench_fmt "$(tail -n 1 "$W/t.$_st")" 1)"
	done
	_v=$(sed -n 's/^gha-load: .*CPU: //p' "$BENCH_OUT/last.err")
	bench_note "$_what: CPU seconds by stage (last run): $_s${_v:+ (gha-load's threads: $_v)}"
}

# e2e_check OUT EVENTS: OUT's daily_summary counts EVENTS events.
e2e_check() {
	_got=$(awk -F '|' 'NR == 1 { print $2 }' "$1")
	[ "$_got" = "$2" ] ||
	    bench_die "e2e: $1: daily_summary has ${_got:-no} events, not $2"
}

# The day of the comparison.
if [ "$BENCH_QUICK" = 1 ]; then
	n=2000
else
	n=50000
fi
data=$(bench_gen_day 2024 $n $day) || exit 1
events=$((24 * n))
label="gen 2024 day, 24 x $n"
bench_httpd "$data"
export BENCH_URL
bench_note "e2e, $label: $events events, $(bench_size "$data"/*.json.gz)," \
    "hour H made by gha-gen -s H+1 -H $day-H 2024 (so the hours differ)," \
    "served by tests/server/httpd.py on 127.0.0.1"

bench_log "e2e: $label: curl | zcat | jq | sqlite3, then SQL"
bench_measure "sh '$W/plain.sh'"
e2e_check "$W/p.out" $events
pw=$M_WALL pc=$M_CPU
e2e_stages "e2e, $label, plain (the rest is curl and zcat)" jq import sql
bench_row e2e "$label" "curl | zcat | jq @tsv | sqlite3 .import; SQL" \
    $events baseline ""

for cores in 2 1; do
	if [ $cores = 2 ]; then
		cmd="sh '$W/gha.sh'"
		what="gha-fetch --defer-check | gha-decode | gha-load; views"
	else
		command -v taskset >/dev/null || continue
		cmd="taskset -c 0 sh '$W/gha.sh'"
		what="the same on 1 core (taskset -c 0)"
	fi
	bench_log "e2e: $label: gha, $cores cores"
	bench_measure "$cmd"
	e2e_check "$W/g.out" $events
	rw=$(bench_ratio "$pw" "$M_WALL")
	rc=$(bench_ratio "$pc" "$M_CPU")
	if [ $cores = 2 ]; then
		w2=$M_WALL
		tg="faster >= 3x (wall) $(bench_check "$rw" '>=' 3)"
		dups=$(sed -n 's/.*inserted, \([0-9]*\) duplicates.*/\1/p' \
		    "$BENCH_OUT/last.err")
		e2e_stages "e2e, $label, gha" fetch decode load views
	else
		tg="speed-up 1 to 2 cores: $(bench_ratio "$M_WALL" "$w2")x (wall)"
	fi
	bench_row e2e "$label" "$what" $events \
	    "plain / gha: wall ${rw}x, CPU ${rc}x" "$tg"
done
if cmp -s "$W/p.out" "$W/g.out"; then
	bench_note "e2e, $label: plain and gha give the same daily_summary" \
	    "($(head -n 1 "$W/g.out" | tr '|' ' ')) and the same" \
	    "devs_owning_multiple_repos count and sums" \
	    "($(sed -n 2p "$W/g.out" | tr '|' ' ')); gha-load found" \
	    "${dups:-?} duplicates, so the plain pipeline (which does not" \
	    "de-duplicate) counts the same events."
else
	bench_note "e2e, $label: plain and gha DIFFER: plain" \
	    "$(tr '\n' ' ' <"$W/p.out"), gha $(tr '\n' ' ' <"$W/g.out")" \
	    "(gha-load found ${dups:-?} duplicates, which plain counts twice)"
fi
bench_httpd_stop

# The full day, full run only (or BENCH_E2E_BIG=N in a quick one).
[ "$BENCH_QUICK" = 1 ] && [ -z "${BENCH_E2E_BIG:-}" ] && exit 0
n=${BENCH_E2E_BIG:-200000}
data=$(bench_gen_day 2024 $n $day) || exit 1
events=$((24 * n))
label="gen 2024 day, 24 x $n"
bench_httpd "$data"
bench_note "e2e, $label: $events events, $(bench_size "$data"/*.json.gz)"
big0=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)

# e2e_floor NAME BUILD: a row for the inflate alone of the day's files
# with BUILD's inflater; its wall and CPU time in fw_NAME and fc_NAME.
e2e_floor() {
	bench_log "e2e: $label: inflate alone, $1"
	bench_measure "'$2/tests/gzfloor' '$data'/*.json.gz >/dev/null"
	eval "fw_$1=\$M_WALL fc_$1=\$M_CPU"
	bench_row e2e "$label" "floor: inflate alone, $1 (tests/gzfloor)" \
	    $events baseline ""
}
# vs_floor NAME: the last measurement as a multiple of NAME's inflate
# floor.
vs_floor() {
	eval "_w=\$fw_$1 _c=\$fc_$1"
	echo "$(bench_ratio "$M_WALL" "$_w")x the $1 inflate floor (wall), $(bench_ratio "$M_CPU" "$_c")x (CPU)"
}
if bench_isal; then
	e2e_floor isal "$B"
	e2e_floor zlib "$B-zlib"
	fl=isal lim=45
else
	e2e_floor zlib "$B"
	fl=zlib lim=70
fi
bench_log "e2e: $label: curl | zcat"
bench_measure "sh '$W/floor.sh'"
fw=$M_WALL fc=$M_CPU
bench_row e2e "$label" "curl | zcat >/dev/null" $events baseline ""
bench_log "e2e: $label: gha"
bench_measure "sh '$W/gha.sh'"
e2e_check "$W/g.out" $events
gw=$M_WALL
e2e_stages "e2e, $label, gha" fetch decode load views
bench_row e2e "$label" \
    "gha-fetch --defer-check | gha-decode | gha-load; views" $events \
    "$(vs_floor $fl); curl | zcat / gha: wall $(bench_ratio "$fw" "$M_WALL")x, CPU $(bench_ratio "$fc" "$M_CPU")x" \
    "wall <= $lim s $(bench_check "$M_WALL" '<=' $lim)"
bench_note "e2e, $label: gha's daily_summary:" \
    "$(head -n 1 "$W/g.out" | tr '|' ' ')"
cp "$W/g.out" "$W/g.isal"
if command -v taskset >/dev/null; then
	bench_log "e2e: $label: gha, 1 core"
	bench_measure "taskset -c 0 sh '$W/gha.sh'"
	e2e_check "$W/g.out" $events
	bench_row e2e "$label" "the same on 1 core (taskset -c 0)" $events \
	    "$(vs_floor $fl); speed-up 1 to 2 cores: $(bench_ratio "$M_WALL" "$gw")x (wall)" \
	    ""
fi
bench_log "e2e: $label: gha-daily over the same mirror"
bench_measure "sh '$W/daily.sh'"
cmp -s "$W/d.out" "$W/g.isal" ||
    bench_die "e2e: $label: gha-daily's metrics differ from the pipeline's"
bench_row e2e "$label" "gha-daily, the daily job's own path (from nothing)" \
    $events "$(vs_floor $fl); wall $(bench_ratio "$M_WALL" "$gw")x the pipeline's" \
    "wall <= 1.1x the pipeline's $(bench_check "$M_WALL" '<=' "$gw * 1.1")"
# The portable build, zlib inflating, when the default is isa-l's.
if bench_isal; then
	bench_log "e2e: $label: gha built with zlib"
	bench_measure "PATH='$B-zlib/bin':\$PATH sh '$W/gha.sh'"
	e2e_check "$W/g.out" $events
	cmp -s "$W/g.out" "$W/g.isal" ||
	    bench_die "e2e: $label: the zlib build's metrics differ"
	bench_row e2e "$label" "the same built with zlib (make ISAL=0)" \
	    $events \
	    "$(vs_floor zlib); curl | zcat / gha: wall $(bench_ratio "$fw" "$M_WALL")x, CPU $(bench_ratio "$fc" "$M_CPU")x" \
	    "wall <= 70 s $(bench_check "$M_WALL" '<=' 70)"
fi
bench_note "e2e, $label: load average (1, 5, 15 min) before these rows:" \
    "$big0, after: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)"
