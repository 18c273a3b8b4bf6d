# gha-common.sh - the code gha-daily, gha-backfill and gha-report share;
# sourced, never run.  make install puts it in PREFIX/share/gha (mode
# 644, with gha-report.awk); each script looks for it in ../share/gha
# from its own folder, then beside itself (the source tree).
#
# Three parts (gha-report uses only the messages and ch_auth):
#
# The environment.  An environment (dev, stage, prod, or a file path) is a
# small sh fragment of lower-case assignments (scripts/env/NAME.conf):
# target, cache, cache_days, logdir, outdir, base_url, jobs,
# catchup_days, ... (see gha-daily(1)).  GHA_DB, GHA_CACHE, GHA_BASE_URL,
# GHA_START and GHA_NOW, when set and not empty, win over the file, so one
# command line can point any environment elsewhere.  A ClickHouse target
# with a password file is refused when the file is readable by group or
# others, or when the URL is plain http to a host that is not loopback:
# the password would travel or sit in the clear.
#
# The hour worker.  Each archive hour goes through its own pipeline:
# gha-fetch HOUR, then gha-decode FILE | gha-load TARGET, the status of
# every stage checked (the pipefail rule, in POSIX sh: gha-decode's status
# comes back through a file), and only then, in a separate step, the hour
# is marked "loaded" in the ledger with gha-load -H.  A run that dies in
# between leaves the hour unmarked, and the next run loads it again: loads
# are idempotent, so nothing is counted twice and the ledger never claims
# an hour that was not completely loaded.  JOBS workers share the hours.
#
# The ledger, read with gha-load -Q as NDJSON and turned into TSV for awk.
# Hour arithmetic is done in awk (days_from_civil and its inverse), so no
# date(1) call per hour.
set -u

EX_OK=0 EX_HEALTH=1 EX_USAGE=2 EX_HOURS=3 EX_DB=4 EX_LOCK=5

# The exit statuses of the tools, by the names of enum gha_exit in
# lib/gha.h (tests/daily/exit-names.sh checks that the two agree): the
# scripts compare a tool's status with these names, never with a number.
GHA_EX_OK=0 GHA_EX_DATA=1 GHA_EX_USAGE=2 GHA_EX_INPUT=3 GHA_EX_OUTPUT=4
GHA_EX_NOMEM=5
GHA_EX_FETCH_UNAVAIL=10 GHA_EX_FETCH_FAILED=11 GHA_EX_FILTER_DEDUP=10

# --- messages --------------------------------------------------------

warn() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

die() {
	_st=$1
	shift
	warn "$@"
	[ -n "${logfile:-}" ] && log "$*"
	exit "$_st"
}

# version: the version of gha, which gha-load carries (config.mk's
# VERSION), so that the scripts and the tools they drive say the same.
version() {
	_v=$(gha-load -V) || die $EX_USAGE "gha-load is needed for the version"
	echo "$prog ${_v#gha-load }"
}

stamp() {
	date -u +%Y-%m-%dT%H:%M:%SZ
}

# log MSG: one timestamped line in the log file.
log() {
	[ -d "${logdir:-/nonexistent}" ] || return 0	# not made yet
	printf '%s %s[%s]: %s\n' "$(stamp)" "$prog" "$mainpid" "$*" \
	    >>"$logfile"
}

# plural N ONE MANY: "N ONE" when N is 1, else "N MANY" (for messages).
plural() {
	[ "$1" = 1 ] && echo "$1 $2" || echo "$1 $3"
}

# log_file FILE: a tool's stderr, each line timestamped, into the log.
log_file() {
	[ -s "$1" ] && [ -d "${logdir:-/nonexistent}" ] || return 0
	_ts=$(stamp)
	sed "s/^/$_ts ${prog}[${mainpid}]: /" "$1" >>"$logfile"
}

# need_gnu: the tools beyond POSIX the jobs use, checked once at start,
# so that a missing one is named (exit 2) rather than failing later in
# some other words: GNU date's -d (times to epoch seconds and back), GNU
# stat's -c (a password file's mode) and sha256sum (coreutils), and
# flock(1) (util-linux: the lock).
need_gnu() {
	_miss=
	[ "$(date -u -d @0 +%s 2>/dev/null)" = 0 ] ||
	    _miss="date -d (GNU coreutils)"
	[ -n "$(stat -L -c %a / 2>/dev/null)" ] ||
	    _miss="${_miss:+$_miss, }stat -c (GNU coreutils)"
	sha256sum </dev/null >/dev/null 2>&1 ||
	    _miss="${_miss:+$_miss, }sha256sum (GNU coreutils)"
	flock --version >/dev/null 2>&1 ||
	    _miss="${_miss:+$_miss, }flock(1) (util-linux)"
	[ -z "$_miss" ] ||
	    die $EX_USAGE "needs $_miss, which this system lacks"
}

# --- time ------------------------------------------------------------

# The awk functions every program below starts with: hour names
# (YYYY-MM-DD-H, the archive's) and days to and from epoch seconds; pl(),
# plural's twin: pl(1, "hour", "hours") is "1 hour".
AWKLIB='
function pl(n, one, many) {
	return n " " (n == 1 ? one : many)
}
function dfc(y, m, d,  era, yoe, doy, doe) {
	y -= (m <= 2)
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function e2day(e,  z, era, doe, yoe, y, doy, mp, d, m) {
	z = int(e / 86400) + 719468
	era = int((z >= 0 ? z : z - 146096) / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
	    int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
function e2h(e) {
	return e2day(e) "-" int((e % 86400) / 3600)
}
function h2e(s,  a) {
	split(s, a, "-")
	return dfc(a[1] + 0, a[2] + 0, a[3] + 0) * 86400 + a[4] * 3600
}
# The thin-volume rule, one for gha-daily'"'"'s hours and gha-report'"'"'s days:
# x is thin when it is below ratio times m, the median of the volumes
# before it (vmedian(v, n): of v[1..n], sorted in place; n is a window).
function vmedian(v, n,  j, k, t) {
	for (j = 2; j <= n; j++)
		for (k = j; k > 1 && v[k - 1] > v[k]; k--) {
			t = v[k]; v[k] = v[k - 1]; v[k - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function thin(x, m, ratio) {
	return m > 0 && x < ratio * m
}
'

# iso2epoch TIME: epoch seconds of an ISO-8601 UTC time, or fail.
iso2epoch() {
	case $1 in
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]Z | \
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z | \
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].*Z)
		date -u -d "$1" +%s 2>/dev/null ;;
	*)	return 1 ;;
	esac
}

# day2epoch YYYY-MM-DD: epoch seconds of its midnight, or fail.
day2epoch() {
	case $1 in
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])
		_e=$(date -u -d "$1T00:00:00Z" +%s 2>/dev/null) || return 1
		[ "$(date -u -d "@$_e" +%Y-%m-%d)" = "$1" ] || return 1
		echo "$_e" ;;
	*)	return 1 ;;
	esac
}

# The awk functions that read one member of a --status record (one flat
# JSON object a line, as the tools write them): jstr(KEY) a string, its
# escapes undone, "" when null or absent; jnum(KEY) an integer, -1 when
# null or absent.
JSONAWK='
function jstr(k,  i, r, c, out) {
	if (!(i = index($0, "\"" k "\":\"")))
		return ""
	r = substr($0, i + length(k) + 4)
	out = ""
	while (r != "" && (c = substr(r, 1, 1)) != "\"") {
		if (c == "\\") {
			c = substr(r, 2, 1)
			if (c == "t") c = "\t"
			else if (c == "n") c = "\n"
			r = substr(r, 2)
		}
		out = out c
		r = substr(r, 2)
	}
	return out
}
function jnum(k,  i, r) {
	if (!(i = index($0, "\"" k "\":")))
		return -1
	r = substr($0, i + length(k) + 3)
	if (!match(r, /^[0-9]+/))
		return -1
	return substr(r, 1, RLENGTH) + 0
}
'

# --- the environment -------------------------------------------------

# check_numbers FILE NAME:LO:HI ...: each setting NAME a whole number from
# LO to HI, else exit 2 naming FILE.
check_numbers() {
	_f=$1
	shift
	for _v; do
		_k=${_v%%:*}
		_r=${_v#*:}
		eval "_x=\$$_k"
		case $_x in
		'' | *[!0-9]*) _bad=1 ;;
		*)	[ "$_x" -ge "${_r%:*}" ] && [ "$_x" -le "${_r#*:}" ]
			_bad=$? ;;
		esac
		[ $_bad -eq 0 ] || die $EX_USAGE \
		    "$_f: $_k=$_x: want a number from ${_r%:*} to ${_r#*:}"
	done
}

# env_load NAME: read the environment NAME (or a file path), then apply
# the GHA_* overrides, then check it.  Sets every setting below.
env_load() {
	_name=$1
	case $_name in
	*/*)	_conf=$_name ;;
	*[!a-z0-9_-]* | "")
		die $EX_USAGE "--env $_name: want dev, stage, prod or a file" ;;
	*)	_conf=
		for _d in ${GHA_ENV_DIR:-} "$scriptdir/env" \
		    "$scriptdir/../etc/gha" /etc/gha; do
			if [ -f "$_d/$_name.conf" ]; then
				_conf=$_d/$_name.conf
				break
			fi
		done
		[ -n "$_conf" ] || [ "$_name" != dev ] ||
		    _conf=/dev/null	# dev needs no file: the defaults
		_tpl=
		[ ! -f "$sharedir/env/$_name.conf" ] ||
		    _tpl=" (a template to copy and edit:"
		[ -z "$_tpl" ] || _tpl="$_tpl $sharedir/env/$_name.conf)"
		[ -n "$_conf" ] ||
		    die $EX_USAGE "environment $_name: no $_name.conf in" \
		    "${GHA_ENV_DIR:+$GHA_ENV_DIR, }$scriptdir/env or" \
		    "/etc/gha$_tpl" ;;
	esac
	[ -r "$_conf" ] || die $EX_USAGE "$_conf: cannot read"
	# The defaults: dev's, in the user's folders, not the current one.
	target=${XDG_DATA_HOME:-$HOME/.local/share}/gha/gha.db
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/gha
	cache_days=7
	logdir=${XDG_STATE_HOME:-$HOME/.local/state}/gha
	outdir=${XDG_DATA_HOME:-$HOME/.local/share}/gha/report
	base_url=https://data.gharchive.org
	jobs=2
	catchup_days=7
	final_hour=6
	publish_delay=15
	retry_days=7
	max_lag=4
	thin_ratio=0.2
	thin_window=168
	lock_wait=30
	fetch_retries=5
	fetch_wait=1000
	fetch_timeout=60
	load_wait=60
	password_file=
	clickhouse_user=
	cafile=
	report=1
	chunk=6
	# shellcheck disable=SC1090
	. "$_conf" || die $EX_USAGE "$_conf: cannot be read as sh"
	env_name=$_name
	env_file=$_conf
	[ -n "${GHA_DB:-}" ] && target=$GHA_DB
	[ -n "${GHA_CACHE:-}" ] && cache=$GHA_CACHE
	[ -n "${GHA_BASE_URL:-}" ] && base_url=$GHA_BASE_URL
	# The sources, blank-separated, [name=]url each (gha-fetch(1)).
	set -f
	# shellcheck disable=SC2086
	base_url=$(echo $base_url)
	set +f
	for _u in $base_url; do
		case $_u in
		http://?* | https://?* | *=http://?* | *=https://?*) ;;
		*)	die $EX_USAGE "$_conf: base_url: want" \
			    "[name=]http(s)://...: $_u" ;;
		esac
	done
	[ -n "$base_url" ] || die $EX_USAGE "$_conf: base_url: no source"
	check_numbers "$_conf" cache_days:0:3650 jobs:1:32 catchup_days:1:3650 \
	    final_hour:0:23 publish_delay:0:1440 retry_days:0:3650 \
	    max_lag:1:100000 thin_window:0:100000 lock_wait:0:86400 \
	    fetch_retries:0:100 fetch_wait:1:600000 fetch_timeout:1:3600 \
	    load_wait:0:86400 report:0:1 chunk:1:24
	case $thin_ratio in
	0 | 0.[0-9]* | 1 | 1.0*) ;;
	*) die $EX_USAGE "$_conf: thin_ratio=$thin_ratio: want 0 to 1" ;;
	esac
	export GHA_BASE_URL="$base_url" GHA_CACHE="$cache"
	if [ -n "$password_file" ]; then
		export GHA_CLICKHOUSE_PASSWORD_FILE="$password_file"
	fi
	[ -n "$clickhouse_user" ] && export GHA_CLICKHOUSE_USER="$clickhouse_user"
	[ -n "$cafile" ] && export GHA_CLICKHOUSE_CAFILE="$cafile"
	env_check
	logfile=$logdir/$prog.log
}

# env_check: refuse a target gha-load would refuse (gha-load -P parses it,
# the one parser of every tool, and sets target_kind, target_host, ...)
# and a ClickHouse set-up that would expose its password.
env_check() {
	_parsed=$(gha-load -P -- "$target" 2>&1) ||
	    die $EX_USAGE "target: ${_parsed#gha-load: }"
	target_endpoints=
	eval "$_parsed"
	[ "$target_kind" = clickhouse ] || return 0
	# Every server of the URL (target_endpoints when it names several).
	for _b in ${target_endpoints:-$target_base}; do
		_host=${_b#*://}
		case $_host in
		\[*)	_host=${_host%%]*}] ;;
		*)	_host=${_host%%:*} ;;
		esac
		case $target_scheme in
		http)
			case $_host in
			localhost | 127.* | \[::1\]) ;;
			*)	[ -z "$password_file$clickhouse_user" ] &&
				    [ "$env_name" != prod ] ||
				    die $EX_USAGE "target $_host: plain http" \
				    "to a host that is not loopback would send" \
				    "the password in the clear; use https://" ;;
			esac ;;
		esac
	done
	# The credentials gha-load and gha-report will use, checked now.
	ch_auth $EX_USAGE
	ch_pw=
	if [ -n "$password_file" ]; then
		_m=$(stat -L -c %a "$password_file") ||
		    die $EX_USAGE "password_file $password_file: cannot stat"
		[ $(( 0$_m & 044 )) -eq 0 ] ||
		    die $EX_USAGE "password_file $password_file: mode $_m" \
		    "lets others read it; chmod 600 it"
	elif [ "$env_name" = prod ]; then
		die $EX_USAGE "prod: a ClickHouse target needs password_file"
	fi
}

# ch_auth STATUS: the ClickHouse credentials, taken as gha-load takes
# them (gha-load(1), ENVIRONMENT): the user from GHA_CLICKHOUSE_USER; the
# password the first line of the file GHA_CLICKHOUSE_PASSWORD_FILE names,
# else GHA_CLICKHOUSE_PASSWORD; the user "default" when only a password
# is given.  Sets ch_user, ch_pw and ch_havepw (0 or 1).  A password file
# that cannot be read, or a line break in the user or the password (it
# would end the header it travels in), ends the run with STATUS.  No
# message names the password.
ch_auth() {
	_cr=$(printf '\r')
	ch_user=${GHA_CLICKHOUSE_USER:-} ch_pw= ch_havepw=0
	_f=${GHA_CLICKHOUSE_PASSWORD_FILE:-}
	if [ -n "$_f" ]; then
		[ -f "$_f" ] && [ -r "$_f" ] ||
		    die "$1" "password file $_f: cannot read"
		IFS= read -r ch_pw <"$_f" || :
		while [ "${ch_pw%"$_cr"}" != "$ch_pw" ]; do
			ch_pw=${ch_pw%"$_cr"}
		done
		ch_havepw=1
	elif [ -n "${GHA_CLICKHOUSE_PASSWORD:-}" ]; then
		ch_pw=$GHA_CLICKHOUSE_PASSWORD
		ch_havepw=1
	fi
	case $ch_pw in
	*"$_cr"* | *"
"*)	ch_pw=
		die "$1" "the ClickHouse password holds a line break" ;;
	esac
	case $ch_user in
	*"$_cr"* | *"
"*)	die "$1" "GHA_CLICKHOUSE_USER holds a line break" ;;
	esac
	[ -n "$ch_user" ] || [ $ch_havepw -eq 0 ] || ch_user=default
}

# env_describe: the settings, one per line, for -n and the log.
env_describe() {
	printf '%s\n' "environment $env_name ($env_file)" \
	    "target $target" "cache $cache (keep $(plural "$cache_days" day days))" \
	    "log $logdir/$prog.log" "output $outdir" "base_url $base_url" \
	    "jobs $jobs" "catchup_days $catchup_days" \
	    "final through D+1 hour $final_hour"
}

# --- the clock -------------------------------------------------------

# clock_init: now (epoch) from GHA_NOW or the clock.
clock_init() {
	if [ -n "${GHA_NOW:-}" ]; then
		now=$(iso2epoch "$GHA_NOW") ||
		    die $EX_USAGE "GHA_NOW=$GHA_NOW: want an ISO-8601 UTC" \
		    "time such as 2024-01-16T00:15:00Z"
	else
		now=$(date -u +%s)
	fi
}

# --- the lock --------------------------------------------------------

# lock_take NAME: hold LOGDIR/NAME.lock for the rest of the run (fd 9),
# waiting at most lock_wait seconds for another run to end.
lock_take() {
	_lock=$logdir/$1.lock
	exec 9>>"$_lock" || die $EX_LOCK "$_lock: cannot open"
	if ! flock -w "$lock_wait" 9; then
		die $EX_LOCK "another $1 run holds $_lock (waited" \
		    "$lock_wait s); this run loaded nothing"
	fi
}

# --- the ledger ------------------------------------------------------

# ledger_read FILE: the ledger as TSV, one row a line:
#	H hour epoch status events      (an archive hour; events: its
#	                                 copies' union when known)
#	D day final                     (a day's finality)
#	S hour epoch source status events (a source's copy of the hour)
ledger_read() {
	# A dry run does not create the database only to read nothing.
	case $target_kind in
	clickhouse) ;;
	*)	if [ "${dry:-0}" -eq 1 ] && [ ! -e "$target" ]; then
			: >"$1"
			return 0
		fi ;;
	esac
	gha-load -w "$load_wait" -Q "$target" 2>"$work/ledger.err" >"$work/ledger.json"
	_st=$?
	log_file "$work/ledger.err"
	if [ "$_st" -ne "$GHA_EX_OK" ]; then
		cat "$work/ledger.err" >&2
		die $EX_DB "cannot read the hour ledger of $target" \
		    "(gha-load -Q: exit $_st)"
	fi
	awk "$AWKLIB"'
	function str(k,  r) {
		if (!match($0, "\"" k "\":\"[^\"]*\""))
			return ""
		r = substr($0, RSTART + length(k) + 4)
		return substr(r, 1, index(r, "\"") - 1)
	}
	function num(k,  r) {
		if (!match($0, "\"" k "\":-?[0-9]+"))
			return 0
		return substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3)
	}
	/"source":/ { h = str("hour"); print "S", h, h2e(h), str("source"),
	    str("status"), num("events"); next }
	/"hour":/ { h = str("hour"); u = /"union":[0-9]/
	    print "H", h, h2e(h), str("status"), num(u ? "union" : "events")
	    next }
	/"day":/ { print "D", str("day"), num("final") }
	' OFS='\t' "$work/ledger.json" >"$1"
}

# mark HOUR STATUS EVENTS BAD BYTES SHA [FIRST LAST]: one ledger row as
# gha-load -H reads it (counts only for a loaded hour; FIRST and LAST, the
# span of its created_at, "-" or absent when it had no events).
mark() {
	if [ "$2" = loaded ]; then
		printf '{"hour":"%s","status":"%s","events":%s,' "$1" "$2" "$3"
		printf '"bad_lines":%s,"bytes":%s,"sha256":"%s"' \
		    "$4" "$5" "$6"
		case ${7:--}:${8:--} in
		-:* | *:-) printf '}\n' ;;
		*)	printf ',"first":"%s","last":"%s"}\n' "$7" "$8" ;;
		esac
	else
		printf '{"hour":"%s","status":"%s"}\n' "$1" "$2"
	fi
}

# --- one hour --------------------------------------------------------

# sha256 FILE: FILE's SHA-256 in hex, for the ledger: openssl's where it
# is installed (it uses the CPU's SHA instructions: some 5 times
# sha256sum's speed, 0.1 s of CPU for a 2024 hour's 140 MB), else
# sha256sum's.
sha256() {
	{ command -v openssl >/dev/null 2>&1 &&
	    openssl dgst -sha256 -r "$1" 2>/dev/null || sha256sum "$1"; } |
	    cut -c1-64
}

# fatal MSG: stop every worker, the run fails with a database error.
fatal() {
	log "$*"
	printf '%s\n' "$*" >>"$work/fatal"
	: >"$work/stop"
}

# chunk N: one chunk of worker N's hours ($work/chunk.N, HOUR OLDSTATUS
# lines) through the pipeline.  Every decision comes from the tools'
# --status records and named exit statuses; their messages only go to
# the log.
#   1. gha-fetch the chunk's hours in one call (a call costs a connection
#      set-up; its hours download in parallel), from every source of
#      base_url.  Its status records say of each hour and source: cached
#      or fetched (and where), missing, unpublished, corrupt or failed; an
#      hour without a record failed.  Its output lists each hour's files
#      in the order of the sources.  With --defer-check (unless
#      _defer=0): gha-decode, which inflates every byte anyway, proves
#      each download and renames it into the cache, so no byte is
#      inflated twice.
#   2. gha-decode each hour on its own, all its copies in one call (which
#      counts their union), its status records and exit status kept per
#      hour, all of them into one gha-load (one database open per chunk).
#   3. The verdicts (verdicts, below): a copy is loaded when its
#      gha-decode record says it was read whole and gha-load ended OK
#      having read its input whole; corrupt when gha-decode found the file
#      damaged (the cached file is removed so that it is downloaded
#      again).  The hour is loaded when any copy is.  A download
#      gha-decode found damaged gave it no record (it holds an unproven
#      file's records back until the proof): the hour goes to
#      $work/recheck.N, for worker to fetch again with gha-fetch's own
#      check and its retries, as if --defer-check had not been given.
#   4. The ledger rows of the chunk, in one gha-load -H, last.
# Its loads and ledger writes, and premark's, are --defer-metrics: they
# leave the metrics of their days to the first open of the target after
# them (finalize's ledger_read), so that a day is rolled up once a run,
# not once a chunk (each roll-up reads the whole day so far: four chunks
# of a day cost 2.5 days' worth).  A run that stops before leaves the
# days marked, and any later gha-load rolls them up.
chunk() {
	_w=$1
	_c=$work/chunk.$1
	: >"$_c.fst"
	: >"$_c.dst"
	: >"$_c.dex"
	: >"$_c.lst"
	: >"$_c.marks"
	: >"$_c.res"
	set -f
	set --
	for _u in $base_url; do
		set -- "$@" --base-url "$_u"
	done
	[ "${_defer:-1}" -eq 1 ] && set -- "$@" --defer-check
	gha-fetch -d "$cache" "$@" --retries "$fetch_retries" \
	    --retry-wait "$fetch_wait" --timeout "$fetch_timeout" --status "$_c.fst" \
	    $(cut -d ' ' -f 1 "$_c") >"$_c.paths" 2>"$_c.err"
	_cst=$?
	set +f
	log_file "$_c.err"
	case $_cst in
	$GHA_EX_OK | $GHA_EX_FETCH_UNAVAIL | $GHA_EX_FETCH_FAILED) ;;
	*)	fatal "gha-fetch failed (exit $_cst): $(tail -n 1 "$_c.err")"
		return ;;
	esac
	# The copies, in time order and in the order of the sources (as
	# gha-fetch listed them): HOUR<tab>PATH.
	awk "$AWKLIB$JSONAWK"'
	FILENAME == ARGV[1] { s = jstr("state")
		if (s == "cached" || s == "fetched")
			ok[jstr("path")] = jstr("hour")
		next }
	$0 in ok { print h2e(ok[$0]) "\t" NR "\t" ok[$0] "\t" $0 }' \
	    "$_c.fst" "$_c.paths" | sort -n -k 1,1 -k 2,2 | cut -f 3- \
	    >"$_c.files"
	_lst=
	if [ -s "$_c.files" ]; then
		cut -f 1 "$_c.files" | uniq | while read -r _h; do
			awk -F '\t' -v h="$_h" '$1 == h {
			    print substr($0, length(h) + 2) }' "$_c.files" |
			    gha-decode --status "$_c.dst" 2>"$_c.dec.$_h"
			echo "$_h $?" >>"$_c.dex"
		done |
		    gha-load -w "$load_wait" --defer-metrics --status "$_c.lst" "$target" \
		    2>"$_c.load"
		_lst=$?
		for _x in "$_c".dec.*; do
			log_file "$_x"
		done
		log_file "$_c.load"
		# gha-load read one input, stdin: its record, or "none".
		_lstate=$(awk "$JSONAWK"'{ s = jstr("state") } END {
		    print s == "" ? "none" : s }' "$_c.lst")
		if [ "$_lst" -eq "$GHA_EX_OUTPUT" ]; then
			_why=$(awk "$JSONAWK"'{ e = jstr("error") } END {
			    print e }' "$_c.lst")
			fatal "gha-load failed (exit $_lst):" \
			    "${_why:-$(tail -n 1 "$_c.load")}"
		elif [ "$_lst" -ne "$GHA_EX_OK" ] || [ "$_lstate" != ok ]; then
			log "gha-load exit $_lst ($_lstate): the chunk's" \
			    "hours are tried again"
			_lst=x
		fi
	fi
	# The SHA-256 of each copy read whole: PATH<tab>SHA.
	: >"$_c.sha"
	# (an unproven download's is read at the cache name it was given).
	awk "$JSONAWK"'jstr("state") == "ok" { c = jstr("cached")
	    print jstr("file") "\t" (c != "" ? c : jstr("file")) }' \
	    "$_c.dst" | while IFS='	' read -r _p _f; do
		printf '%s\t%s\n' "$_p" "$(sha256 "$_f")"
	done >"$_c.sha"
	verdicts "${_lst:--}" "$_c"
	while IFS= read -r _p; do
		rm -f "$_p"
	done <"$_c.rm"
	while IFS= read -r _l; do
		log "$_l"
	done <"$_c.log"
	if [ -s "$_c.marks" ] && [ ! -e "$work/fatal" ]; then
		ledger_put "$_c.marks" --defer-metrics ||
		    fatal "cannot write the ledger" \
		    "(gha-load -H: exit $?)"
	fi
	if [ -e "$work/fatal" ]; then
		awk '{ print $1, "error", 0, 0 }' "$_c.res" >>"$work/results"
	else
		cat "$_c.res" >>"$work/results"
	fi
	cat "$_c.fst" >>"$work/fetched.$1"	# for unreachable
	rm -f "$_c".*
}

# verdicts LOADEXIT C: the facts of the chunk C joined (C.fst, C.dst,
# C.dex, C.sha, C.files, the chunk's HOUR OLDSTATUS lines, and the
# ledger's source rows), its ledger rows written to C.marks, its results
# (HOUR STATUS EVENTS BAD) to C.res, the log's lines to C.log, the damaged
# files to remove to C.rm, and the hours with a deferred download found
# damaged (HOUR OLDSTATUS) to $work/recheck.N, for chunk to fetch again
# with gha-fetch's own check, their verdicts left to that run.
#   A copy (an hour at one source): loaded, when gha-decode read it whole
#   and gha-load stored its input; corrupt, when gha-decode found it
#   damaged, or gha-fetch found every try damaged; missing; pending (not
#   published yet); failed (anything else).  The hour: loaded when any
#   copy is, else missing when every copy is, else corrupt when any is,
#   else pending when any is, else failed.  A failed hour is stored as
#   pending, to be tried again, and neither a failed, pending nor corrupt
#   verdict overwrites a settled row (loaded, missing) of the hour or of a
#   source; an hour that had a copy loaded before and lacks it now is not
#   stored again at all (its rows stand, with the counts of every copy).
#   With several sources each copy has a row of its own ("source"), its
#   events and those no other source had.
verdicts() {
	awk -v lst="$1" -v nsrc="$(set -f; set -- $base_url; echo $#)" \
	    -v defer="${_defer:-1}" -v rc="$work/recheck.$_w" \
	    -v ok="$GHA_EX_OK" -v data="$GHA_EX_DATA" -v input="$GHA_EX_INPUT" \
	    -v m="$2.marks" -v res="$2.res" -v lg="$2.log" -v rm="$2.rm" \
	    "$AWKLIB$JSONAWK"'
	function settled(s) { return s == "loaded" || s == "missing" }
	function rank(s) {
		return s == "loaded" ? 5 : s == "corrupt" ? 3 : s == "pending" ? 2 : 1
	}
	function num(v) { return v < 0 ? "null" : v }
	FILENAME == ARGV[1] { h = jstr("hour"); k = h SUBSEP jstr("source")
		if (!(h in nrec))
			nrec[h] = 0
		src[h, ++nrec[h]] = jstr("source"); fs[k] = jstr("state")
		fp[k] = jstr("path"); fb[k] = jnum("bytes"); next }
	FILENAME == ARGV[2] { f = jstr("file"); ds[f] = jstr("state")
		dr[f] = jnum("records"); dj[f] = jnum("rejected")
		dd[f] = jnum("distinct"); do_[f] = jnum("only")
		du[f] = jnum("union"); dg[f] = jnum("id_gap")
		d1[f] = jstr("first"); d2[f] = jstr("last"); next }
	FILENAME == ARGV[3] { dx[$1] = $2; next }
	FILENAME == ARGV[4] { split($0, w, "\t"); sha[w[1]] = w[2]; next }
	FILENAME == ARGV[5] { split($0, w, "\t"); ord[w[2]] = FNR; next }
	FILENAME == ARGV[6] { split($0, w, "\t")
		if (w[1] == "S") old[w[2], w[4]] = w[5]
		next }
	{
		h = $1; oldh = $2
		n = h in nrec ? nrec[h] : 0
		ev = 0; bad = 0; by = 0; un = -1; gap = -1
		t1 = ""; t2 = ""; first = ""; lost = 0; rows = ""
		for (i = 1; i <= n; i++) {
			s = src[h, i]; k = h SUBSEP s; p = fp[k]; v = fs[k]
			if (v == "cached" || v == "fetched") {
				if (ds[p] == "ok" && lst == ok &&
				    (dx[h] == ok || dx[h] == data || dx[h] == input))
					v = "loaded"
				else if (ds[p] == "damaged" || ds[p] == "unreadable") {
					v = "corrupt"
					print p > rm
					# deferred: fetched again, checked
					if (fs[k] == "fetched" && defer == 1 &&
					    ds[p] == "damaged")
						again = 1
				} else {
					v = "failed"
					if (ds[p] == "" && dx[h] != "")
						print h ": no gha-decode status" > lg
				}
			} else if (v == "missing")
				;
			else if (v == "unpublished")
				v = "pending"
			else if (v != "corrupt")
				v = "failed"
			o = (h, s) in old ? old[h, s] : "-"
			if (o == "loaded" && v != "loaded")
				lost = 1
			if (v == "loaded") {
				ev += dr[p]; bad += dj[p]; by += fb[k]
				un = du[p]; gap = dg[p]
				if (first == "" || ord[p] < ord[first])
					first = p
				if (d1[p] != "" && (t1 == "" || d1[p] < t1))
					t1 = d1[p]
				if (d2[p] != "" && (t2 == "" || d2[p] > t2))
					t2 = d2[p]
			}
			vs[i] = v
			# The source rows: a failed try never overwrites a
			# settled one, and "failed" is stored as pending.
			if (nsrc > 1 && !(settled(o) && !settled(v))) {
				r = sprintf("{\"hour\":\"%s\",\"source\":\"%s\"," \
				    "\"status\":\"%s\"", h, s,
				    v == "failed" ? "pending" : v)
				if (v == "loaded")
					r = r sprintf(",\"events\":%d,\"only\":%d," \
					    "\"bytes\":%d,\"sha256\":\"%s\"", dd[p],
					    do_[p], fb[k], sha[p])
				rows = rows r "}\n"
			}
		}
		# loaded if any; missing if all; else the best of the rest
		hs = n == 0 ? "failed" : "missing"
		for (i = 1; i <= n; i++)
			if (vs[i] == "loaded")
				hs = "loaded"
			else if (vs[i] != "missing" && hs != "loaded")
				nm = 1
		if (hs == "missing" && nm) {
			hs = ""
			for (i = 1; i <= n; i++)
				if (vs[i] != "missing" && (hs == "" ||
				    rank(vs[i]) > rank(hs)))
					hs = vs[i]
		}
		nm = 0
		if (again) {
			again = 0
			print h, oldh > rc
			print h ": the download is damaged; fetched again," \
			    " checked by gha-fetch" > lg
			next
		}
		if (lost) {
			print h ": a copy loaded before is not loaded now;" \
			    " the ledger keeps its rows" > lg
		} else {
			if (!(settled(oldh) && !settled(hs))) {
				if (hs == "loaded") {
					printf "{\"hour\":\"%s\",\"status\":\"loaded\"," \
					    "\"events\":%d,\"bad_lines\":%d,\"bytes\":%d," \
					    "\"sha256\":\"%s\"", h, ev, bad, by,
					    sha[first] > m
					if (t1 != "" && t2 != "")
						printf ",\"first\":\"%s\",\"last\":\"%s\"",
						    t1, t2 > m
					printf ",\"union\":%s,\"id_gap\":%s}\n",
					    num(un), num(gap) > m
				} else
					printf "{\"hour\":\"%s\",\"status\":\"%s\"}\n",
					    h, (hs == "failed" ? "pending" : hs) > m
			}
			printf "%s", rows > m
		}
		print h, hs, (hs == "loaded" ? ev : 0),
		    (hs == "loaded" ? bad : 0) > res
		if (hs == "loaded")
			print h ": loaded, " pl(ev, "event", "events") ", " bad \
			    " bad lines, " by " bytes" (nsrc > 1 ? ", union " \
			    un : "") > lg
		else
			print h ": " hs > lg
	}' "$2.fst" "$2.dst" "$2.dex" "$2.sha" "$2.files" "$work/ledger.tsv" "$2"
	: >>"$2.rm"
	: >>"$2.log"
}

# worker N: the hours of $work/list.N (HOUR OLDSTATUS a line), chunk
# hours at a time.
worker() {
	_k=0
	_nl=$(wc -l <"$work/list.$1" | tr -d ' ')
	while [ $_k -lt "$_nl" ] && [ ! -e "$work/stop" ]; do
		sed -n "$((_k + 1)),$((_k + chunk))p" "$work/list.$1" \
		    >"$work/chunk.$1"
		_k=$((_k + chunk))
		chunk "$1"
		unreachable && : >"$work/stop"
	done
	# The damaged downloads, again, checked by gha-fetch this time.
	if [ -s "$work/recheck.$1" ] && [ ! -e "$work/stop" ]; then
		mv "$work/recheck.$1" "$work/chunk.$1"
		_defer=0
		chunk "$1"
		_defer=1
	fi
}

# unreachable: true when the archive cannot be reached at all: every hour
# this run tried failed (none loaded, missing, pending or corrupt) and at
# least BREAK of them (or all, when fewer were planned) were asked for
# and never answered, by the workers' gha-fetch records ($work/fetched.N:
# state failed, requests made, http 0).  The workers then stop (a circuit
# breaker: each other hour would only wait out its own retries), and
# $work/unreachable holds the cause, the error of the last such record,
# for the run's summary.
BREAK=3
unreachable() {
	[ -e "$work/unreachable" ] && return 0
	[ -s "$work/results" ] || return 1
	awk '$2 != "failed" { exit 1 }' "$work/results" || return 1
	cat "$work"/fetched.* 2>/dev/null | awk "$JSONAWK"'
	jstr("state") == "failed" && jnum("tries") > 0 && jnum("http") == 0 {
		if (!(jstr("hour") in seen))
			n++
		seen[jstr("hour")]
		why = jstr("error")
	}
	END { print n + 0; print why }' >"$work/gaveup"
	_n=$(sed -n 1p "$work/gaveup")
	[ "$_n" -gt 0 ] || return 1
	[ "$_n" -ge "$BREAK" ] || [ "$_n" -ge "${planned_hours:-$BREAK}" ] ||
	    return 1
	_why=$(sed -n 2p "$work/gaveup")
	printf '%s\n' "${_why:-no answer}" >"$work/unreachable"
	log "the archive cannot be reached (${_why:-no answer}): stopping" \
	    "after $_n hours failed; the others are tried again next run"
	return 0
}

# unreachable_line: the one line saying why nothing could be fetched.
unreachable_line() {
	_t=$(awk 'END { print NR }' "$work/results")
	printf 'cannot reach the archive at %s: %s (stopped after %d ' \
	    "$base_url" "$(cat "$work/unreachable")" "$_t"
	printf 'failed hours of %d; the others are tried again next run)\n' \
	    "$planned_hours"
}

# ledger_put FILE [OPTION]: store FILE's ledger rows (NDJSON, gha-load -H,
# with OPTION), what gha-load says logged; the status is gha-load's.
ledger_put() {
	gha-load -w "$load_wait" -H ${2:-} "$target" <"$1" 2>"$1.err"
	_st=$?
	log_file "$1.err"
	return $_st
}

# premark LIST: a pending row for every hour of LIST the ledger has not
# seen, before any is loaded: an hour a killed run leaves unmarked is then
# still in the ledger as pending, and the next run tries it again.
premark() {
	awk '$2 == "-" { printf "{\"hour\":\"%s\",\"status\":\"pending\"}\n", $1 }' \
	    "$1" >"$work/premark"
	[ -s "$work/premark" ] || return 0
	ledger_put "$work/premark" --defer-metrics ||
	    die $EX_DB "cannot write the hour ledger" "(gha-load -H: exit $?)"
}

# run_hours LIST: every hour of LIST through chunk, $jobs workers at once,
# with a progress line when stderr is a terminal.
run_hours() {
	: >>"$work/results"
	premark "$1"
	_total=$(wc -l <"$1" | tr -d ' ')
	planned_hours=$_total
	[ "$_total" -gt 0 ] || return 0
	_n=$jobs
	[ "$_n" -le "$_total" ] || _n=$_total
	awk -v n="$_n" -v d="$work" '{ print > (d "/list." ((NR - 1) % n)) }' "$1"
	_pids=
	_i=0
	while [ $_i -lt "$_n" ]; do
		worker "$_i" &
		_pids="$_pids $!"
		_i=$((_i + 1))
	done
	if [ -t 2 ]; then
		_t0=$(date +%s)
		while :; do
			_alive=0
			for _p in $_pids; do
				kill -0 "$_p" 2>/dev/null && _alive=1
			done
			awk -v total="$_total" -v t0="$_t0" -v t="$(date +%s)" '
			{ n++; s[$2]++; ev += $3 }
			END {
				el = t - t0
				eta = n > 0 ? int(el * (total - n) / n) : 0
				# (mawk wants no line break after a "+")
				f = s["failed"] + s["corrupt"] + s["error"]
				printf "\r%d/%d %s, %d %s, %d missing, " \
				    "%d failed, %ds left   ", n, total,
				    total == 1 ? "hour" : "hours", ev,
				    ev == 1 ? "event" : "events",
				    s["missing"], f, eta
			}' "$work/results" >&2
			[ $_alive -eq 1 ] || break
			sleep 1
		done
		printf '\n' >&2
	fi
	for _p in $_pids; do
		wait "$_p"
	done
}

# below: every process this run started and that still runs, from one
# ps(1) snapshot, found by its parent chain (a worker's children too).
below() {
	ps -e -o pid= -o ppid= | awk -v top="$mainpid" '
	{ par[$1] = $2 }
	END {
		for (p in par) {
			for (q = par[p]; q in par && q != top && q > 1; q = par[q])
				;
			if (q == top)
				print p
		}
	}'
}

# gone PID: PID has ended (a zombie has too).
gone() {
	_s=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
	case $_s in Z*) return 0 ;; esac
	return 1
}

# stop_all: end every process of the run before the run itself ends (and
# lets go of its lock).  They are frozen first, snapshot after snapshot
# until one finds no new process, so that no worker starts a stage while
# the others are being stopped; then each gets SIGTERM (not SIGINT, which
# the shell's background jobs ignore) and 10 seconds to end, then SIGKILL.
# When the run leads its process group (a terminal's job, setsid), the
# group gets SIGTERM too: it holds only what this run started.
stop_all() {
	_all=
	while :; do
		_more=0
		for _p in $(below); do
			case " $_all " in *" $_p "*) continue ;; esac
			kill -STOP "$_p" 2>/dev/null || continue
			_all="$_all $_p"
			_more=1
		done
		[ $_more -eq 1 ] || break
	done
	for _p in $_all; do
		kill -TERM "$_p" 2>/dev/null
		kill -CONT "$_p" 2>/dev/null
	done
	[ "$(ps -o pgid= -p "$mainpid" | tr -d ' ')" = "$mainpid" ] &&
	    kill -TERM -- "-$mainpid" 2>/dev/null
	_t=0
	for _p in $_all; do
		while ! gone "$_p" && [ $_t -lt 100 ]; do
			sleep 0.1
			_t=$((_t + 1))
		done
		gone "$_p" || kill -KILL "$_p" 2>/dev/null
	done
	wait
}

# on_signal SIG: stop every worker and stage, leave the ledger as it is
# (hours not marked are loaded again next time), exit 128+n, and only
# then, by exiting, release the lock.
on_signal() {
	trap '' HUP INT TERM
	: >"$work/stop" 2>/dev/null
	stop_all
	log "stopped by SIG$1"
	trap - EXIT
	rm -rf "$work"
	case $1 in
	HUP) exit 129 ;; INT) exit 130 ;; *) exit 143 ;;
	esac
}

# work_init: a private scratch folder, removed at exit.
work_init() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX") ||
	    die $EX_DB "cannot make a temporary folder"
	trap 'rm -rf "$work"' EXIT
	trap 'on_signal HUP' HUP
	trap 'on_signal INT' INT
	trap 'on_signal TERM' TERM
}

# dirs_init: the cache, log and output folders, and the SQLite file's.
dirs_init() {
	case $target in
	[hH][tT][tT][pP]://* | [hH][tT][tT][pP][sS]://* | */) _db= ;;
	*/*)	_db=${target%/*} ;;
	*)	_db= ;;
	esac
	for _d in "$cache" "$logdir" "$outdir" ${_db:+"$_db"}; do
		mkdir -p "$_d" 2>/dev/null || die $EX_DB "$_d: cannot create"
	done
	: >>"$logfile" 2>/dev/null || die $EX_DB "$logfile: cannot write"
}

# finalize: compute each day's finality from the ledger and store the days
# whose flag changed.  Day D is final when every hour from D-0 through
# D+1-final_hour is loaded or missing; hours never leave those states, so
# a day's flag only goes to 1, and several runs at once (gha-backfill -w)
# agree.
finalize() {
	ledger_read "$work/ledger.tsv"
	awk -F '\t' -v fh="$final_hour" "$AWKLIB"'
	$1 == "H" {
		if ($4 == "loaded" || $4 == "missing")
			ok[$3] = 1
		day[substr($2, 1, 10)] = 1
		next
	}
	$1 == "D" { fin[$2] = $3 }
	END {
		for (d in day) {
			e = dfc(substr(d, 1, 4) + 0, substr(d, 6, 2) + 0,
			    substr(d, 9, 2) + 0) * 86400
			f = 1
			for (i = 0; i < 25 + fh; i++)
				if (!((e + i * 3600) in ok)) {
					f = 0
					break
				}
			# A day without a row is provisional: no 0 is written
			# for it, which, from an older read of the ledger,
			# could undo the 1 a concurrent run wrote since.
			if ((d in fin ? fin[d] + 0 : 0) != f)
				printf "{\"day\":\"%s\",\"final\":%d}\n", d, f
		}
	}' "$work/ledger.tsv" | sort >"$work/days.json"
	[ -s "$work/days.json" ] || return 0
	ledger_put "$work/days.json" ||
	    die $EX_DB "cannot store the days' finality" \
	    "(gha-load -H: exit $?)"
	log "days now final: $(grep -c '"final":1' "$work/days.json")"
}

# prune_cache: remove cached hours that ended more than cache_days ago,
# and the unproven downloads (gha-fetch --defer-check) a killed run left
# of hours cached since (a reader still at one loses only its rename), in
# the cache and in its sources' folders (gha-fetch keeps each source's
# files in CACHE/NAME when there are several).
prune_cache() {
	[ -d "$cache" ] || return 0
	_n=$(for _d in "$cache" "$cache"/*/; do
		[ -d "$_d" ] || continue
		_d=${_d%/}
		ls -A "$_d" | awk -v d="$_d" '{ print d "/" $0 }'
	done | awk -v lim=$((now - cache_days * 86400)) "$AWKLIB"'
	{ f[NR] = $0; have[$0] }
	END {
		for (i = 1; i <= NR; i++) {
			n = f[i]
			dir = n
			sub(/\/[^\/]*$/, "", dir)
			sub(/.*\//, "", n)
			sub(/^\./, "", n)
			if (n !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9]+\.json\.gz(\.etag|\.unproven-......)?$/)
				continue
			u = n ~ /unproven/
			sub(/\.json\.gz.*/, "", n)
			if (h2e(n) + 3600 <= lim ||
			    (u && (dir "/" n ".json.gz") in have))
				print f[i]
		}
	}' | while IFS= read -r _p; do
		rm -f "$_p" && echo x
	done | wc -l | tr -d ' ')
	[ "$_n" -eq 0 ] || log "cache: removed $(plural "$_n" file files)" \
	    "older than $(plural "$cache_days" day days)"
}
