# gha-commits.sh - the commit-count step of gha-daily and gha-backfill;
# sourced after gha-common.sh, never run.
#
# Since 2025-10-07 the archive's pushes carry no commit count, and the
# metrics count such a push as one commit.  When the environment names
# the sources (commits=api, git or git,api), each day whose 24 hours are
# loaded (or missing) is resolved after the load: the day's slim pushes,
# read again from its archive files (the cache's copies, fetched again
# only when the cache no longer has them: hours D-0 to D+1-final_hour,
# for the events filed late), go through gha-fetch --commits within the
# scope (commits_repos, commits_orgs, commits_repo_list) and what is left
# of the run's budget (commits_budget API requests), and its records
# into gha-load --commits.  The stages' statuses are checked as the hour
# worker checks them (gha-common.sh).
#
# Resumable.  gha-fetch --commits appends every record it writes to its
# own cache (CACHE/commits/DAY.ndjson) before anything else, and a later
# run writes those again without asking anything: a run killed in the
# middle loses nothing it asked, and the next run goes on with the rest.
# A day is done, and no longer read, once a pass left nothing but what
# is out of scope: CACHE/commits/days/DAY.KEY says so, KEY a digest of
# the target, the sources and the scope (another target or a wider scope
# is another key: its pass asks only what the cache does not hold).  A
# pass over a day that was not final yet says "provisional", and the day
# is read once more when it is final, for the pushes filed late.  A pass
# with pushes left (over the budget, rate-limited, failed) leaves no mark:
# the next run goes on with it.  Days are taken oldest first; once the
# budget is spent or the rate limit reached, the other days wait for the
# next run.  gha-daily takes the days of the last commits_days days;
# gha-backfill the days of its range.
#
# What is left is said in the log, in the run's summary and, for good, in
# the database: daily_summary's pushes_bounded.  A failure (the API or
# git failing, a stage ending badly) is a problem of the run, exit
# EX_COMMITS, and never undoes the day's load; the database failing is
# the run's database failure (EX_DB).

EX_COMMITS=6

# The first day whose pushes lack their count: days before it have
# nothing to resolve and are not read again.
SLIM_FROM=2025-10-07

# The settings' defaults (env_load reads the environment file over them).
commits=
commits_budget=1000
commits_repos=
commits_orgs=
commits_repo_list=
commits_days=7
github_token_file=
github_api=
git_url=

# commits_env: check the settings once env_load has read them, and hand
# the resolver its environment (GHA_GITHUB_TOKEN_FILE, GHA_GITHUB_API,
# GHA_GIT_URL; when set and not empty, they win over the file).
commits_env() {
	case $commits in
	'' | api | git | git,api) ;;
	*)	die $EX_USAGE "$env_file: commits=$commits: want api, git," \
		    "git,api or nothing" ;;
	esac
	check_numbers "$env_file" commits_budget:0:1000000000 commits_days:1:3650
	[ -n "${GHA_GITHUB_TOKEN_FILE:-}" ] ||
	    GHA_GITHUB_TOKEN_FILE=$github_token_file
	[ -n "${GHA_GITHUB_API:-}" ] || GHA_GITHUB_API=$github_api
	[ -n "${GHA_GIT_URL:-}" ] || GHA_GIT_URL=$git_url
	export GHA_GITHUB_TOKEN_FILE GHA_GITHUB_API GHA_GIT_URL
	[ -n "$commits" ] || return 0
	_f=$GHA_GITHUB_TOKEN_FILE
	if [ -n "$_f" ]; then
		[ -f "$_f" ] && [ -r "$_f" ] ||
		    die $EX_USAGE "github_token_file $_f: cannot read"
		_m=$(stat -L -c %a "$_f") ||
		    die $EX_USAGE "github_token_file $_f: cannot stat"
		[ $(( 0$_m & 044 )) -eq 0 ] ||
		    die $EX_USAGE "github_token_file $_f: mode $_m lets" \
		    "others read it; chmod 600 it"
	fi
	if [ -n "$commits_repo_list" ] && [ ! -r "$commits_repo_list" ]; then
		die $EX_USAGE "commits_repo_list $commits_repo_list: cannot read"
	fi
	# The scope as gha-fetch's options, one a line (no word splitting).
	commits_scope=
	_nl='
'
	[ -z "$commits_repos" ] ||
	    commits_scope="--repo$_nl$commits_repos$_nl"
	for _o in $(printf '%s' "$commits_orgs" | tr ',' ' '); do
		commits_scope="$commits_scope--org$_nl$_o$_nl"
	done
	[ -z "$commits_repo_list" ] ||
	    commits_scope="$commits_scope--repo-list$_nl$commits_repo_list$_nl"
	commits_key=$(printf '%s\n%s\n%s' "$target" "$commits" \
	    "$commits_scope" | sha256sum | cut -c1-16)
}

# commits_describe: the settings, for -nv.
commits_describe() {
	if [ -z "$commits" ]; then
		echo "commits off"
		return 0
	fi
	printf '%s\n' "commits $commits, budget $commits_budget requests" \
	    "commits scope ${commits_repos:+repos $commits_repos }${commits_orgs:+orgs $commits_orgs }${commits_repo_list:+list $commits_repo_list}"
}

# commits_mark DAY: the path of DAY's mark of done.
commits_mark() {
	echo "$cache/commits/days/$1.$commits_key"
}

# commits_todo FROM TO: the days from epoch FROM to TO (midnights) that
# are to be resolved, oldest first, as "DAY FINAL" lines, from the
# ledger in $work/ledger.tsv: every hour D-0 .. D-23 loaded or missing,
# not before SLIM_FROM, and no mark of done (or a provisional one, and
# the day is final now).
commits_todo() {
	awk -F '\t' -v lo="$1" -v hi="$2" -v slim="$(day2epoch $SLIM_FROM)" \
	    "$AWKLIB"'
	$1 == "H" && ($4 == "loaded" || $4 == "missing") { ok[$3] = 1 }
	$1 == "D" { fin[$2] = $3 }
	END {
		if (lo < slim)
			lo = slim
		for (d = lo; d <= hi; d += 86400) {
			for (i = 0; i < 24 && ((d + i * 3600) in ok); i++)
				;
			if (i == 24)
				print e2day(d), fin[e2day(d)] + 0
		}
	}' "$work/ledger.tsv" | while read -r _d _f; do
		_m=$(commits_mark "$_d")
		if [ -f "$_m" ]; then
			[ "$_f" -eq 1 ] && [ "$(cat "$_m")" = provisional ] ||
			    continue
		fi
		echo "$_d $_f"
	done
}

# commits_run FROM TO: the pass over every day commits_todo gives, within
# the budget.  Sets commits_summary (for the run's summary line, empty
# when nothing was to do) and commits_failed (the problems, a line each,
# also in $work/cfail); returns 0, or 1 when a stage failed.  The database
# failing is fatal (gha-common.sh), as in a load.
commits_run() {
	commits_summary= commits_failed=
	[ -n "$commits" ] || return 0
	commits_todo "$1" "$2" >"$work/cdays"
	[ -s "$work/cdays" ] || return 0
	mkdir -p "$cache/commits/days" ||
	    die $EX_DB "$cache/commits/days: cannot create"
	_left=$commits_budget
	_nd=0 _res=0 _rest=0 _wait=0
	: >"$work/cfail"
	while read -r _day _fin; do
		[ ! -e "$work/fatal" ] || break
		if [ "$_left" -le 0 ] && [ "$commits" = api ]; then
			_wait=$((_wait + 1))
			continue
		fi
		commits_day "$_day" "$_fin" "$_left"
		_nd=$((_nd + 1))
		set -- $(cat "$work/cday.res")
		# settled, left, requests, go or stop
		_res=$((_res + $1)) _rest=$((_rest + $2))
		_left=$((_left - $3))
		[ "$4" = stop ] && _left=0
	done <"$work/cdays"
	commits_summary="commit counts of $(plural "$_nd" day days):"
	commits_summary="$commits_summary $(plural "$_res" push pushes) settled"
	[ "$_rest" -eq 0 ] ||
	    commits_summary="$commits_summary, $_rest left for later runs"
	[ "$_wait" -eq 0 ] || commits_summary="$commits_summary;\
 $(plural "$_wait" "day waits" "days wait") for the next run's budget"
	log "$commits_summary"
	commits_failed=$(cat "$work/cfail")
	[ -z "$commits_failed" ]
}

# commits_day DAY FINAL BUDGET: one pass over DAY; "SETTLED LEFT
# REQUESTS go|stop" in $work/cday.res, a failure appended to
# $work/cfail.
commits_day() {
	_c=$work/cday
	echo "0 0 0 stop" >"$_c.res"
	_e=$(day2epoch "$1")
	# The day's hours the ledger has as loaded, D-0 .. D+1-final_hour.
	awk -F '\t' -v d="$_e" -v n=$((24 + final_hour + 1)) "$AWKLIB"'
	$1 == "H" && $4 == "loaded" && $3 >= d && $3 < d + n * 3600 {
		print $3, $2
	}' "$work/ledger.tsv" | sort -n | cut -d ' ' -f 2 >"$_c.hours"
	: >"$_c.fst"
	# Every source's copy (GHA_BASE_URL holds base_url's list), their
	# union read: with several, gha-filter --dedup keeps each push once.
	gha-fetch -q -d "$cache" \
	    --retries "$fetch_retries" --retry-wait "$fetch_wait" \
	    --timeout "$fetch_timeout" --status "$_c.fst" \
	    $(cat "$_c.hours") >/dev/null 2>"$_c.err"
	_st=$?
	log_file "$_c.err"
	# "HOUR PATH" of each file in the cache; more files than hours:
	# several copies of an hour.
	awk "$JSONAWK"'{ s = jstr("state") }
	s == "cached" || s == "fetched" { print jstr("hour"), jstr("path") }' \
	    "$_c.fst" >"$_c.hp"
	cut -d ' ' -f 2- "$_c.hp" >"$_c.files"
	_nh=$(cut -d ' ' -f 1 "$_c.hp" | sort -u | wc -l)
	_dd=
	[ "$(wc -l <"$_c.hp")" -eq "$_nh" ] || _dd=--dedup
	# (a source without an hour another has is no failure here)
	_ok=1
	case $_st in
	$GHA_EX_OK | $GHA_EX_FETCH_UNAVAIL | $GHA_EX_FETCH_FAILED) ;;
	*)	_ok=0 ;;
	esac
	[ "$_nh" -eq "$(wc -l <"$_c.hours")" ] || _ok=0
	if [ $_ok -eq 0 ]; then
		echo "$1: commit counts: the day's archive files could not" \
		    "be read again (gha-fetch: exit $_st; tried again next" \
		    "run)" >>"$work/cfail"
		log "$1: commit counts: gha-fetch exit $_st"
		return 0
	fi
	_next=$(date -u -d "@$((_e + 86400))" +%Y-%m-%d)
	: >"$_c.dx"
	: >"$_c.cst"
	printf '%s' "$commits_scope" >"$_c.scope"
	{
		while IFS= read -r _p; do
			gha-decode -q "$_p"
			echo "$?" >>"$_c.dx"
		done <"$_c.files" |
		    {
			gha-filter -q $_dd -t PushEvent -e 'commits == null' \
			    --since "$1" --until "$_next"
			echo "$?" >"$_c.fx"
		    } | {
			# shellcheck disable=SC2046
			(set -f; IFS='
'; exec gha-fetch --commits -d "$cache" --via "$commits" \
			    --budget "$3" --retries "$fetch_retries" \
			    --retry-wait "$fetch_wait" --timeout \
			    "$fetch_timeout" --status "$_c.cst" \
			    $(cat "$_c.scope")) 2>"$_c.rerr"
			echo "$?" >"$_c.rx"
		    }
	} | gha-load -q --commits -w "$load_wait" "$target" 2>"$_c.lerr"
	_lx=$?
	log_file "$_c.rerr"
	log_file "$_c.lerr"
	_rx=$(cat "$_c.rx" 2>/dev/null) _fx=$(cat "$_c.fx" 2>/dev/null)
	_dbad=$(awk -v ok="$GHA_EX_OK" -v data="$GHA_EX_DATA" \
	    '$1 != ok && $1 != data { n++ } END { print n + 0 }' "$_c.dx")
	# The resolver's record: what it did and what is left.
	set -- "$1" "$2" $(awk "$JSONAWK"'END {
		s = jnum("cached") + jnum("git") + jnum("api")
		s += jnum("rule") + jnum("gone")
		l = jnum("over_budget") + jnum("rate_limited") + jnum("failed")
		print jnum("pushes"), s, l, jnum("out_of_scope"),
		    jnum("requests"), jnum("rate_limited"), jnum("failed"),
		    jnum("api") + jnum("git") }' "$_c.cst")
	# $3 pushes, $4 settled, $5 left, $6 out of scope, $7 requests,
	# $8 rate-limited, $9 failed, $10 resolved by a source now
	if [ "$_lx" -eq "$GHA_EX_OUTPUT" ]; then
		# The database failed: the run's failure, as for a load.
		fatal "$1: commit counts: gha-load --commits failed (exit" \
		    "$_lx): $(tail -n 1 "$_c.lerr")"
		return 0
	elif [ "$_lx" -ne "$GHA_EX_OK" ]; then
		echo "$1: commit counts: gha-load --commits failed (exit" \
		    "$_lx): $(tail -n 1 "$_c.lerr")" >>"$work/cfail"
	elif [ "$_dbad" -ne 0 ] || [ "${_fx:-x}" != "$GHA_EX_OK" ]; then
		echo "$1: commit counts: the day's pushes could not be read" \
		    "(gha-decode, gha-filter: exit ${_fx:-none}); tried" \
		    "again next run" >>"$work/cfail"
	elif [ "${_rx:-x}" != "$GHA_EX_OK" ] && [ "$_rx" != "$GHA_EX_DATA" ] &&
	    [ "$_rx" != "$GHA_EX_FETCH_FAILED" ] || [ "${3:--1}" -lt 0 ]; then
		echo "$1: commit counts: gha-fetch --commits failed (exit" \
		    "${_rx:-none}): $(tail -n 1 "$_c.rerr")" >>"$work/cfail"
	else
		# The first push's reason, as gha-fetch gave it.
		[ "$9" -eq 0 ] || echo "$1: commit counts: $(plural "$9" \
		    "push" "pushes") failed (the first: $(grep -m 1 \
		    '^gha-fetch: push [0-9]*: ' "$_c.rerr" | cut -d ' ' -f 2-);" \
		    "tried again next run)" >>"$work/cfail"
		log "$1: commit counts of $(plural "$3" push pushes):" \
		    "$4 settled, $5 left, $6 out of scope," \
		    "$(plural "$7" "API request" "API requests")"
		_go=go
		[ "$8" -eq 0 ] || _go=stop
		[ "$9" -eq 0 ] || [ "${10}" -gt 0 ] || _go=stop
		echo "$4 $5 $7 $_go" >"$_c.res"
		if [ "$5" -eq 0 ]; then
			_m=$(commits_mark "$1")
			[ "$2" -eq 1 ] && echo final >"$_m.tmp" ||
			    echo provisional >"$_m.tmp"
			mv "$_m.tmp" "$_m" ||
			    die $EX_DB "$_m: cannot write"
		fi
		return 0
	fi
	log "$1: commit counts: $(tail -n 1 "$work/cfail")"
	# No request count when the resolver's record is missing: the whole
	# budget is taken as spent, and the other days wait.
	[ "${7:--1}" -ge 0 ] && echo "0 0 $7 stop" >"$_c.res"
	return 0
}
