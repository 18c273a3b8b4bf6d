# tests/lib.sh - helpers sourced by every test case (see run.sh).
set -u

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "skip: $*"
	exit 77
}

# need_samples: skip this case when the real samples ($SAMPLES) are absent.
need_samples() {
	[ -d "$SAMPLES" ] || skip "no samples folder at $SAMPLES"
}

# eq WHAT EXPECTED ACTUAL
eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# status EXPECTED CMD...: run CMD, check its exit status.
status() {
	want=$1
	shift
	"$@"
	got=$?
	[ "$got" -eq "$want" ] || fail "exit $got, expected $want: $*"
}

# lines FILE: number of lines in FILE.
lines() {
	wc -l <"$1" | tr -d ' '
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port FILE WHAT: wait until FILE holds the port that a server
# started in the background writes there once it listens, and set PORT
# to it; after 10 s, fail saying WHAT did not start.
wait_port() {
	_i=0
	until [ -s "$1" ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || fail "$2 did not start"
		sleep 0.1
	done
	PORT=$(cat "$1")
}

# truncated_gzip TOOL: TOOL reads cut.json.gz, the first half of
# good.json.gz: it must exit 3 naming the file ("unexpected end of gzip
# data") after writing to out what came before the damage, N lines
# (set), 10 < N < 100.
truncated_gzip() {
	_size=$(wc -c <good.json.gz)
	head -c $((_size / 2)) good.json.gz >cut.json.gz
	"$1" cut.json.gz >out 2>err
	eq "$1: truncated exit" 3 $?
	grep -q 'cut.json.gz: unexpected end of gzip data' err ||
	    fail "$(cat err)"
	N=$(lines out)
	[ "$N" -gt 10 ] && [ "$N" -lt 100 ] || fail "truncated: $N lines"
}

# man_examples PAGE: the commands of the EXAMPLES section of an mdoc page
# (its literal blocks), one per line, with mdoc escapes undone.
man_examples() {
	awk '/^\.Sh EXAMPLES/ { ex = 1; next }
	    /^\.Sh / { ex = 0 }
	    ex && /^\.Bd -literal/ { lit = 1; next }
	    ex && /^\.Ed/ { lit = 0; next }
	    ex && lit { print }' "$1" | sed 's/\\e/\\/g; s/\\(em/--/g'
}

# sample_hours: link the five complete 2015 sample hours into the current
# directory under their archive names (2015-01-01-H.json.gz); without the
# samples, five generated hours of the same names and sizes (gen_hours).
sample_hours() {
	have_samples || { gen_hours; return; }
	ln -sf "$SAMPLES/honeypotio-githubarchive/2015-01-01-12.json.gz" .
	ln -sf "$SAMPLES/nickderobertis-py-gh-archive/2015-01-01-1.json.gz" .
	for h in 3 4 5; do
		ln -sf "$SAMPLES/intersimone999-gh-archive/2015-01-01-$h.json.gz" .
	done
}

# run_example CMD: run one man page example with bash's pipefail, so a
# failure anywhere in its pipeline fails the test.
run_example() {
	bash -o pipefail -c "$1" >example.out 2>example.err ||
	    fail "example failed: $1
$(tail -n 5 example.err)"
}

# Real hours and generated hours.  Most cases check a property that holds
# for any input (expected values computed from the input by jq, awk or
# python), so they run on generated hours when the samples are absent; the
# few that compare against facts of real archive hours call need_real.

# have_samples: true when the real samples are at $SAMPLES.
have_samples() {
	[ -d "$SAMPLES" ]
}

# gen_hours: five generated 2015 hours in the current directory, named as
# sample_hours names the real ones and holding as many events each
# (tests/real-hours), so that counts written for the samples hold too.
# They are made once a run (under $SCRATCH/.gen) and linked.
gen_hours() {
	[ -x "$TBIN/gha-gen" ] || skip "no samples and gha-gen is not built"
	_g=$(cd "${SCRATCH:-.}" && pwd)/.gen/hours
	if [ ! -d "$_g" ]; then
		mkdir -p "${_g%/hours}"
		_t=$(mktemp -d "$_g.XXXXXX") || fail "mktemp"
		awk '/^2015-01-01-/ { print $1, $3 }' "$TESTS/real-hours" |
		    while read -r _h _n; do
			"$TBIN/gha-gen" -z -H "$_h" -n "$_n" -s "${_h##*-}" \
			    -o "$_t" || exit 1
		done || fail "gha-gen"
		mv -T "$_t" "$_g" 2>/dev/null || rm -rf "$_t"	# another won
	fi
	ln -sf "$_g"/2015-01-01-*.json.gz .
}

# need_real: this case compares against real archive hours.  With the
# samples at $SAMPLES, nothing to do.  Without them, GHA_TEST_FETCH=1
# (make check-real) fetches the hours of tests/real-hours with gha-fetch
# from GHA_TEST_ARCHIVE (default the real archive) into GHA_TEST_CACHE
# (default ROOT/build/real-hours) and points SAMPLES at a tree of them
# laid out like the samples; otherwise, or when the archive cannot be
# reached, the case is skipped, saying why.
need_real() {
	have_samples && return 0
	[ "${GHA_TEST_FETCH:-0}" = 1 ] ||
	    skip "needs real archive hours: no samples at $SAMPLES" \
	    "(make check-real fetches them)"
	_c=${GHA_TEST_CACHE:-$ROOT/build/real-hours}
	_u=${GHA_TEST_ARCHIVE:-https://data.gharchive.org}
	mkdir -p "$_c" || fail "cannot make $_c"
	if command -v flock >/dev/null 2>&1; then
		flock "$_c/.lock" sh -c '. "$TESTS/lib.sh"; fetch_real "$1" "$2"' \
		    sh "$_c" "$_u" >real-fetch.log 2>&1
	else
		fetch_real "$_c" "$_u" >real-fetch.log 2>&1
	fi || skip "needs real archive hours: no samples at $SAMPLES and" \
	    "$_u not reachable: $(tail -n 1 real-fetch.log)"
	SAMPLES=$_c/samples
}

# fetch_real CACHE URL: the hours of tests/real-hours from URL into
# CACHE/hours (gha-fetch's cache: a warm one sends no request), linked as
# CACHE/samples/FOLDER/HOUR.json.gz.
fetch_real() {
	set -- "$1" "$2" $(awk '!/^#/ && NF { print $1 }' "$TESTS/real-hours")
	_c=$1 _u=$2
	shift 2
	gha-fetch -q --retries 2 -d "$_c/hours" --base-url "$_u" "$@" >/dev/null || return 1
	awk '!/^#/ && NF { print $1, $2 }' "$TESTS/real-hours" |
	    while read -r _h _d; do
		mkdir -p "$_c/samples/$_d" &&
		ln -sf "$_c/hours/$_h.json.gz" "$_c/samples/$_d/" || exit 1
	done
}

# gen_timeline N SEED: N generated events of the 2011-2014 timeline era
# (tests/timeline.jq), of the hour 2012-06-14 15:00 Pacific, on stdout.
gen_timeline() {
	[ -x "$TBIN/gha-gen" ] || skip "no samples and gha-gen is not built"
	"$TBIN/gha-gen" -n "$1" -s "$2" -H 2012-06-14-22 2015 |
	    jq -c -f "$TESTS/timeline.jq"
}

# The keys of a flat record, in gha-decode's order; gha-load wants all.
FLAT_KEYS='id type created_at actor_id actor_login repo_id repo_name org_id
org_login action ref ref_type push_id commits distinct_commits head before
number public src'

# flat_fill: each one-line JSON object on stdin (written by hand, by
# printf) made a whole flat record, its text kept byte for byte (escapes,
# big integers) and each record key it lacks added as null before its
# closing brace.  A key counts as present when "key": is in the line, so
# this is for records whose strings do not spell a key; other lines (not
# ending in '}') pass as they are.
flat_fill() {
	awk -v keys="$FLAT_KEYS" 'BEGIN { nk = split(keys, k, /[ \n]+/) }
	    !/}[ \t\r]*$/ { print; next }
	    {
		add = ""
		for (i = 1; i <= nk; i++)
			if (index($0, "\"" k[i] "\":") == 0)
				add = add ",\"" k[i] "\":null"
		sub(/}[ \t\r]*$/, "")
		if (add != "" && $0 ~ /{[ \t]*$/)
			add = substr(add, 2)
		print $0 add "}"
	    }'
}

# flat_rec JSON: flat_fill of the one object JSON, e.g.
# flat_rec '{"id":"1","created_at":"2015-01-01T00:00:00Z"}'.
flat_rec() {
	printf '%s\n' "$1" | flat_fill
}
