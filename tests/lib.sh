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

# need_samples: skip this case when ../shared/samples is absent.
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
# directory under their archive names (2015-01-01-H.json.gz).
sample_hours() {
	need_samples
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
