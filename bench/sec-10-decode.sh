# bench/sec-10-decode.sh - gha-decode against its baselines.
#
# For each input: `zcat FILE >/dev/null` (the floor: inflate alone),
# `zcat FILE | jq -c '{the 20 fields of the flat record}'` (what one would
# write without gha), then `gha-decode FILE >/dev/null` as it runs by
# default, with one thread (-j 1), and built with zlib (make ISAL=0) when
# the default build inflates with isa-l (config.mk).  Targets: decode
# CPU <= 1/3 of zcat+jq, <= 2.5x zcat alone, peak RSS < 32 MB.
# Inputs: generated 2015-, 2024- and 2026-shaped hours (a real hour's
# size each; 20k events for 2024 and 2026 under BENCH_QUICK), and the
# real 2015 hours of $SAMPLES when present (one hour when quick).
. "$BENCH/lib.sh"

JQ='{id, type, created_at, actor_id: .actor.id, actor_login: .actor.login,
repo_id: .repo.id, repo_name: .repo.name, org_id: .org.id,
org_login: .org.login, action: .payload.action, ref: .payload.ref,
ref_type: .payload.ref_type, push_id: .payload.push_id,
commits: .payload.size, distinct_commits: .payload.distinct_size,
head: .payload.head, before: .payload.before,
number: (.payload.number // .payload.issue.number //
    .payload.pull_request.number), public, src: $src}'

# decode_rows INPUT-LABEL EVENTS FILE...
decode_rows() {
	_label=$1 _events=$2
	shift 2
	_files=$*
	_src=$(basename "$1" .json.gz)
	bench_note "decode, $_label: $_events events, $(bench_size "$@")"

	bench_log "decode: $_label: zcat"
	bench_measure "zcat $_files >/dev/null"
	zc=$M_CPU
	bench_row decode "$_label" "zcat" "$_events" baseline ""

	bench_log "decode: $_label: zcat | jq"
	bench_measure "zcat $_files | jq -c --arg src '$_src' '$JQ' >/dev/null"
	jqc=$M_CPU
	bench_row decode "$_label" "zcat | jq (20 fields)" "$_events" \
	    baseline ""

	# The default (a worker per core parsing, inflate in a thread of its
	# own), then one thread, for the speed-up from 1 to all cores (target
	# >= 1.7x on the full-size 2024 hour).  Last, the zlib build (make
	# bench-zlib) when the default is isa-l's.
	for _j in "" "-j 1" zlib; do
		_cmd="gha-decode $_j"
		if [ "$_j" = zlib ]; then
			bench_isal || continue
			_cmd="$B-zlib/bin/gha-decode"
			_j="(zlib)"
		fi
		bench_log "decode: $_label: gha-decode $_j"
		bench_measure "$_cmd $_files >/dev/null"
		grep -q "^gha-decode: $_events records, 0 rejected" \
		    "$BENCH_OUT/last.err" || bench_die "gha-decode $_j" \
		    "$_label: $(tail -n 1 "$BENCH_OUT/last.err")"
		rj=$(bench_ratio "$M_CPU" "$jqc")
		rz=$(bench_ratio "$M_CPU" "$zc")
		mb=$(awk "BEGIN { printf \"%.1f\", $M_RSS / 1024 }")
		tg="CPU <= 0.33x jq $(bench_check "$rj" '<=' 0.33),"
		tg="$tg <= 2.5x zcat $(bench_check "$rz" '<=' 2.5),"
		tg="$tg RSS < 32 MB $(bench_check "$mb" '<' 32)"
		_r="CPU ${rj}x jq, ${rz}x zcat"
		case $_j in
		"")	_wall=$M_WALL ;;
		"-j 1")	_s=$(bench_ratio "$M_WALL" "$_wall")
			_r="$_r, speed-up 1 to all cores: ${_s}x (wall)"
			[ "$_label" != "gen 2024" ] || [ "$BENCH_QUICK" = 1 ] ||
			    tg="$tg, speed-up >= 1.7x $(bench_check "$_s" '>=' 1.7)" ;;
		esac
		bench_row decode "$_label" "gha-decode${_j:+ $_j}" "$_events" \
		    "$_r" "$tg"
	done
}

if [ "$BENCH_QUICK" = 1 ]; then
	n24=20000 n26=20000
else
	n24=250000 n26=170000
fi
f=$(bench_gen 2015 7000) || exit 1
decode_rows "gen 2015" 7000 "$f"
f=$(bench_gen 2024 $n24) || exit 1
decode_rows "gen 2024" $n24 "$f"
f=$(bench_gen 2026 $n26) || exit 1
decode_rows "gen 2026" $n26 "$f"

S=$SAMPLES
if [ -d "$S" ]; then
	if [ "$BENCH_QUICK" = 1 ]; then
		decode_rows "real 2015-01-01-12" 8273 \
		    "$S/honeypotio-githubarchive/2015-01-01-12.json.gz"
	else
		decode_rows "real 2015, 5 hours" 33427 \
		    "$S/honeypotio-githubarchive/2015-01-01-12.json.gz" \
		    "$S/nickderobertis-py-gh-archive/2015-01-01-1.json.gz" \
		    "$S/intersimone999-gh-archive/2015-01-01-3.json.gz" \
		    "$S/intersimone999-gh-archive/2015-01-01-4.json.gz" \
		    "$S/intersimone999-gh-archive/2015-01-01-5.json.gz"
	fi
else
	bench_log "decode: no samples at $S, real-hour rows skipped"
fi
