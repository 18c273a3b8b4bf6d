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
