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
