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

# bench_isal: true when the tools under test inflate with isa-l (and so
# the zlib build in $B-zlib, made by make bench-zlib, is worth a row).
bench_isal() {
	ldd "$B/bin/gha-decode" 2>/dev/null | grep -q libisal &&
	    [ -x "$B-zlib/bin/gha-decode" ]
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
# BENCH_KEEP=wall keeps the run with the least wall time instead (for
# commands whose work is done by a server whose CPU time is not counted).
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
		_key=$_cpu _best=$M_CPU
		[ "${BENCH_KEEP:-cpu}" = wall ] && _key=$2 _best=$M_WALL
		if [ -z "$M_CPU" ] ||
		    awk "BEGIN { exit !($_key < $_best) }"; then
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

# bench_gen_day SHAPE COUNT DAY: print the folder holding a generated day,
# the 24 archive-named gzip hours DAY-0 .. DAY-23 of COUNT events each,
# made by gha-gen with seed H+1 for hour H (so that the hours hold
# different events, actors and repos) and kept in BENCH_DATA under the
# same stamp rule as bench_gen.
bench_gen_day() {
	_shape=$1 _n=$2 _day=$3
	_dir=$BENCH_DATA/day-$_shape-n$_n-$_day
	command -v gha-gen >/dev/null ||
	    bench_die "gha-gen not built (make testbin)"
	_stamp=$(gha-gen -s 1 -n 2000 "$_shape" | cksum) ||
	    bench_die "gha-gen $_shape failed"
	if [ "$(ls "$_dir"/*.json.gz 2>/dev/null | wc -l)" -ne 24 ] ||
	    [ "$(cat "$_dir/stamp" 2>/dev/null)" != "$_stamp" ]; then
		rm -rf "$_dir"
		mkdir -p "$_dir"
		bench_log "generating a $_shape day, 24 x $_n events, in $_dir"
		_h=0
		while [ $_h -lt 24 ]; do
			gha-gen -z -s $((_h + 1)) -n "$_n" -H "$_day-$_h" \
			    -o "$_dir" "$_shape" ||
			    bench_die "gha-gen $_shape $_day-$_h failed"
			_h=$((_h + 1))
		done
		echo "$_stamp" >"$_dir/stamp"
	fi
	echo "$_dir"
}

# bench_httpd DIR: serve folder DIR on 127.0.0.1 with the tests' server
# (tests/server/httpd.py, no faults) for up to an hour; sets BENCH_URL and
# BENCH_HTTPD_PID.  The caller stops it with bench_httpd_stop (put it in
# an EXIT trap).  Its request log is $BENCH_OUT/httpd.log.
bench_httpd() {
	rm -f "$BENCH_OUT/httpd.port"
	: >"$BENCH_OUT/httpd.log"
	python3 "$ROOT/tests/server/httpd.py" --root "$1" \
	    --log "$BENCH_OUT/httpd.log" --port-file "$BENCH_OUT/httpd.port" \
	    --lifetime 3600 &
	BENCH_HTTPD_PID=$!
	_i=0
	while [ ! -s "$BENCH_OUT/httpd.port" ]; do
		_i=$((_i + 1))
		[ $_i -le 200 ] || bench_die "the test HTTP server did not start"
		sleep 0.05
	done
	BENCH_URL=http://127.0.0.1:$(cat "$BENCH_OUT/httpd.port")
}

bench_httpd_stop() {
	[ -n "${BENCH_HTTPD_PID:-}" ] || return 0
	kill "$BENCH_HTTPD_PID" 2>/dev/null
	wait "$BENCH_HTTPD_PID" 2>/dev/null
	BENCH_HTTPD_PID=
}

# bench_fmt NUMBER [DECIMALS]: NUMBER rounded (default to an integer).
bench_fmt() {
	awk "BEGIN { printf \"%.${2:-0}f\", $1 }"
}

# bench_records DIR: print the path of a file holding the flat records of
# the gzip hours in DIR (as bench_gen_day makes them), decoded by gha-decode
# (not timed) into $BENCH_OUT/records, and made again when it is older than
# gha-decode or than DIR's stamp.
bench_records() {
	_r=$BENCH_OUT/records/$(basename "$1").json
	if [ ! -s "$_r" ] || [ "$B/bin/gha-decode" -nt "$_r" ] ||
	    [ "$1/stamp" -nt "$_r" ]; then
		mkdir -p "$BENCH_OUT/records"
		bench_log "decoding $1 into $_r"
		# in time order, as gha-fetch lists them
		ls "$1"/*.json.gz | sort -V | gha-decode -q >"$_r.tmp" &&
		    mv "$_r.tmp" "$_r" || bench_die "gha-decode $1 failed"
	fi
	echo "$_r"
}

# bench_day_records NAME: the records sections' common start: a generated
# 2024 day (24 x 50,000 events; 24 x 2,000 under BENCH_QUICK) decoded to
# flat records.  Sets n, data, recs and label, and W, an empty work folder
# $BENCH_OUT/work-NAME (the caller removes it, in its EXIT trap).
bench_day_records() {
	if [ "$BENCH_QUICK" = 1 ]; then
		n=2000
	else
		n=50000
	fi
	data=$(bench_gen_day 2024 $n 2024-01-15) || return 1
	recs=$(bench_records "$data") || return 1
	label="gen 2024 day, 24 x $n, records"
	W=$BENCH_OUT/work-$1
	rm -rf "$W"
	mkdir -p "$W"
}
