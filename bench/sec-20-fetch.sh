# bench/sec-20-fetch.sh - gha-fetch against curl in a loop (issue 3).
#
# A generated 2024-shaped day (24 hours of 50,000 events; 2,000 under
# BENCH_QUICK) is served by the tests' HTTP server (tests/server/httpd.py)
# on 127.0.0.1.  Cold cache: the 24 hours are downloaded into an empty
# folder by `curl -R -O` one after the other (what one would write), then
# by gha-fetch with 1 and with 4 transfers (it also verifies each gzip
# file before it enters the cache, which curl does not).  Warm cache:
# every hour is already there; the loop asks the server with
# `curl -z FILE` (24 requests answered 304), gha-fetch trusts its cache
# (no request) and gha-fetch -R revalidates each hour (24 conditional
# requests).  Times and ratios are printed; the only target is gha-fetch's
# peak RSS < 32 MB.  The server's own CPU time is not counted on either
# side, so the ratios compare wall time, CPU time beside it.
. "$BENCH/lib.sh"

if [ "$BENCH_QUICK" = 1 ]; then
	n=2000
else
	n=50000
fi
day=2024-01-15
data=$(bench_gen_day 2024 $n $day) || exit 1
events=$((24 * n))
label="gen 2024 day, 24 x $n"
W=$BENCH_OUT/work-fetch
rm -rf "$W"
mkdir -p "$W"
trap 'bench_httpd_stop; rm -rf "$W"' EXIT
bench_httpd "$data"
bench_note "fetch, $label: $events events, $(bench_size "$data"/*.json.gz)," \
    "served by tests/server/httpd.py on 127.0.0.1"

hours=$(seq 0 23 | sed "s/^/$day-/; s/\$/.json.gz/" | tr '\n' ' ')
# fetch_check DIR: the 24 hours are in DIR, the same bytes as served.
fetch_check() {
	for _f in $hours; do
		cmp -s "$data/$_f" "$1/$_f" ||
		    bench_die "fetch: $1/$_f differs from the served file"
	done
}
# fetch_rss_target: the RSS check of the last measurement.
fetch_target() {
	_mb=$(bench_fmt "$M_RSS / 1024" 1)
	echo "RSS < 32 MB $(bench_check "$_mb" '<' 32)"
}
ratio() {
	echo "wall $(bench_ratio "$M_WALL" "$1")x," \
	    "CPU $(bench_ratio "$M_CPU" "$2")x curl loop"
}

bench_log "fetch: $label: curl loop, cold"
bench_measure "rm -rf '$W/c' && mkdir '$W/c' && cd '$W/c' &&
    for f in $hours; do curl -sSf -R -O '$BENCH_URL'/\$f || exit 1; done"
fetch_check "$W/c"
cw=$M_WALL cc=$M_CPU
bench_row fetch "$label" "curl -O, 24 in a loop, cold" $events baseline ""

for j in 1 4; do
	bench_log "fetch: $label: gha-fetch -j $j, cold"
	bench_measure "rm -rf '$W/g' &&
	    gha-fetch -q -j $j --base-url '$BENCH_URL' -d '$W/g' $day >/dev/null"
	fetch_check "$W/g"
	bench_row fetch "$label" "gha-fetch -j $j, cold" $events \
	    "$(ratio "$cw" "$cc")" "$(fetch_target)"
done
# The check left to gha-decode (what the pipelines and gha-daily run):
# the files stay unproven, so the fetch_check of the cache does not apply.
bench_log "fetch: $label: gha-fetch -j 4 --defer-check, cold"
bench_measure "rm -rf '$W/d' &&
    gha-fetch -q -j 4 --defer-check --base-url '$BENCH_URL' -d '$W/d' $day >/dev/null"
bench_row fetch "$label" "gha-fetch -j 4 --defer-check, cold (no inflate)" \
    $events "$(ratio "$cw" "$cc")" "$(fetch_target)"

bench_log "fetch: $label: curl loop, warm"
bench_measure "cd '$W/c' && for f in $hours; do
    curl -sSf -R -z \$f -o \$f '$BENCH_URL'/\$f || exit 1; done"
fetch_check "$W/c"
cw=$M_WALL cc=$M_CPU
bench_row fetch "$label" "curl -z, 24 in a loop, warm (304s)" $events \
    baseline ""

bench_log "fetch: $label: gha-fetch, warm"
bench_measure "gha-fetch -q --base-url '$BENCH_URL' -d '$W/g' $day >/dev/null"
bench_row fetch "$label" "gha-fetch, warm (no request)" $events \
    "$(ratio "$cw" "$cc")" "$(fetch_target)"

bench_log "fetch: $label: gha-fetch -R, warm"
bench_measure "gha-fetch -q -R --base-url '$BENCH_URL' -d '$W/g' $day >/dev/null"
fetch_check "$W/g"
bench_row fetch "$label" "gha-fetch -R, warm (304s)" $events \
    "$(ratio "$cw" "$cc")" "$(fetch_target)"
