# bench/lib.sh - helpers shared by bench/run.sh and every bench/sec-*.sh.
#
# A section is a POSIX sh script bench/sec-NN-NAME.sh that run.sh runs in
# order (NN sorts them), with the built tools first on PATH and these
# variables exported:
#   ROOT        the source tree          BENCH    ROOT/bench
#   B           the build directory      BENCH_OUT  bench/out (gitignored)
#   BENCH_DATA  cached inputs            BENCH_QUICK  1 for the CI variant
#   BENCH_RUNS  runs per measurement     SAMPLES  real archive samples
#   BENCH_ROWS  the table being built (one tab-separated row a line)
#   BENCH_NOTES notes printed under the table in RESULTS.md
# It sources "$BENCH/lib.sh", measures commands with bench_measure and adds
# rows with bench_row.  A figure is only worth printing next to its
# baseline measured in the same run, on the same input: put the baseline
# rows first and the ratio to them in the tool's row.
set -u

bench_die() {
	echo "bench: $*" >&2
	exit 1
}

# bench_log MSG: progress on stderr (stdout is the table).
bench_log() {
	echo "bench: $*" >&2
}

# bench_gen SHAPE COUNT [GEN-OPTIONS]: print the path of a generated,
# gzipped, archive-named hour, made by gha-gen (seed 1) unless BENCH_DATA
# holds one made by a generator that writes the same bytes: a stamp of
# its first 2000 events (a cheap check, gha-gen being deterministic)
# decides, not file times, since relinking gha-gen changes nothing.
bench_gen() {
	_shape=$1 _n=$2
	shift 2
	_dir=$BENCH_DATA/$_shape-n$_n${1:+-$(echo "$*" | tr -d ' ')}
	command -v gha-gen >/dev/null ||
	    bench_die "gha-gen not built (make testbin)"
	_stamp=$(gha-gen -s 1 -n 2000 "$@" "$_shape" | cksum) ||
	    bench_die "gha-gen $_shape failed"
	_f=$(ls "$_dir"/*.json.gz 2>/dev/null | head -n 1)
	if [ -z "$_f" ] || [ "$(cat "$_dir/stamp" 2>/dev/null)" != "$_stamp" ]
	then
		rm -rf "$_dir"
		mkdir -p "$_dir"
		bench_log "generating $_shape, $_n events, in $_dir"
		gha-gen -z -s 1 -n "$_n" -o "$_dir" "$@" "$_shape" ||
		    bench_die "gha-gen $_shape failed"
		echo "$_stamp" >"$_dir/stamp"
		_f=$(ls "$_dir"/*.json.gz | head -n 1)
	fi
	echo "$_f"
}

# bench_measure CMD: run the shell command line CMD (pipelines allowed;
# its stdout should go to /dev/null) BENCH_RUNS times and keep the run
# with the least CPU time in M_CPU (user+sys of every process, seconds),
# M_WALL (seconds) and M_RSS (peak resident set of the largest single
# process, KB).  Its stderr of that run is in $BENCH_OUT/last.err.  A
# failing command stops the bench: a figure of a failed run means nothing.
bench_measure() {
	_i=0
	M_CPU= M_WALL= M_RSS=
	while [ "$_i" -lt "$BENCH_RUNS" ]; do
		_i=$((_i + 1))
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%e %U %S %M' -o "$BENCH_OUT/time" \
			    sh -c "$1" 2>"$BENCH_OUT/err" ||
			    bench_die "failed: $1: $(tail -n 3 "$BENCH_OUT/err")"
		else
			python3 "$BENCH/rusage.py" "$BENCH_OUT/time" \
			    sh -c "$1" 2>"$BENCH_OUT/err" ||
			    bench_die "failed: $1: $(tail -n 3 "$BENCH_OUT/err")"
		fi
		# shellcheck disable=SC2046
		set -- "$1" $(tail -n 1 "$BENCH_OUT/time")
		_cpu=$(echo "$3 $4" | awk '{ printf "%.2f", $1 + $2 }')
		if [ -z "$M_CPU" ] ||
		    awk "BEGIN { exit !($_cpu < $M_CPU) }"; then
			M_CPU=$_cpu M_WALL=$2 M_RSS=$5
			cp "$BENCH_OUT/err" "$BENCH_OUT/last.err"
		fi
	done
}

# bench_row SECTION INPUT COMMAND EVENTS RATIO TARGET: add one row with
# the figures of the last bench_measure.  RATIO and TARGET are free text
# ("baseline" for a baseline row).
bench_row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" \
	    "$M_CPU" "$M_WALL" "$M_RSS" "$5" "$6" >>"$BENCH_ROWS"
}

# bench_ratio A B: A / B with two decimals.
bench_ratio() {
	awk "BEGIN { if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"-\" }"
}

# bench_check VALUE OP LIMIT: "ok" or "MISSED" (OP is an awk comparison).
bench_check() {
	if awk "BEGIN { exit !($1 $2 $3) }"; then
		echo ok
	else
		echo MISSED
	fi
}

# bench_note TEXT: one line for the notes under the table in RESULTS.md.
bench_note() {
	echo "- $*" >>"$BENCH_NOTES"
}

# bench_size FILE...: "N MB gzip, M MB raw" for gzip files.
bench_size() {
	gzip -l "$@" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ && $4 != "(totals)" {
		c += $1; u += $2 }
	    END { printf "%.1f MB gzip, %.1f MB raw", c / 1e6, u / 1e6 }'
}
