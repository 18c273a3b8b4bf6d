#!/bin/sh
# tests/run.sh - run the test cases against the real binaries.
#
# usage: sh tests/run.sh BUILDDIR [PATTERN ...]
#
# A case is a shell script tests/AREA/NAME.sh.  It runs in a fresh scratch
# directory (its working directory) with the built tools first on PATH and
# these variables set: ROOT (the source tree), TESTS (ROOT/tests), SAMPLES
# (the shared real-archive samples; without them most cases use generated
# hours, and the few that need real hours skip unless GHA_TEST_FETCH=1
# fetches them: lib.sh, need_real), TBIN (test-only programs).  It sources "$TESTS/lib.sh"
# for helpers.  Exit 0 passes, 77 skips (the last line of output says why),
# anything else fails; when NAME.out sits beside it, stdout must equal it.
# A failed case's scratch directory is kept and named.
#
# GHA_TEST_JOBS cases run at once (default 2, the machine's cores; every
# case picks its own ports and scratch folder, so they never meet).  Each
# result is printed as its case ends; the last line is
# "N passed, N failed, N skipped", which CI reads.
set -u
if [ "${1:-}" = --one ]; then
	# One case: --one NUMBER PATH (run by xargs below).
	n=$2 t=$3
	name=${t#"$TESTS"/}
	name=${name%.sh}
	dir=$SCRATCH/$(echo "$name" | tr / _)
	mkdir -p "$dir"
	start=$(date +%s)
	(cd "$dir" && sh "$t" >"$dir/.stdout" 2>"$dir/.stderr" </dev/null)
	rc=$?
	secs=$(( $(date +%s) - start ))
	exp=${t%.sh}.out
	if [ $rc -eq 0 ] && [ -f "$exp" ] &&
	    ! cmp -s "$exp" "$dir/.stdout"; then
		diff -u "$exp" "$dir/.stdout" | head -20 >>"$dir/.stderr"
		rc=1
	fi
	if [ $rc -eq 0 ]; then
		res="ok $n - $name (${secs}s)"
		echo pass >"$SCRATCH/.res.$n"
		rm -rf "$dir"
	elif [ $rc -eq 77 ]; then
		why=$(tail -n 1 "$dir/.stdout" "$dir/.stderr" 2>/dev/null |
		    grep -v '^==>' | grep . | tail -n 1)
		res="ok $n - $name # SKIP $why"
		echo skip >"$SCRATCH/.res.$n"
		rm -rf "$dir"
	else
		res="not ok $n - $name (exit $rc, kept in $dir)
$(tail -n 25 "$dir/.stderr" | sed 's/^/#   /')"
		echo "fail $name" >"$SCRATCH/.res.$n"
	fi
	echo "$res"
	exit 0
fi

B=${1:?usage: run.sh BUILDDIR [PATTERN ...]}
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B=$ROOT/$B ;; esac
TESTS=$ROOT/tests
TBIN=$B/tests
SAMPLES=${GHA_SAMPLES:-$ROOT/../shared/samples}
PATH=$B/bin:$TBIN:$ROOT/scripts:$PATH
# A new folder each run: one kept from an earlier run under a reused
# process id must not hand a case its old files.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/gha-tests.XXXXXX") || exit 2
export ROOT TESTS TBIN SAMPLES PATH SCRATCH
# Nothing in the tests may reach beyond loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export GHA_BASE_URL=http://127.0.0.1:9/ GHA_CACHE= GHA_DB= GHA_ENV=
jobs=${GHA_TEST_JOBS:-2}

n=0
for t in "$TESTS"/*/*.sh; do
	name=${t#"$TESTS"/}
	name=${name%.sh}
	if [ $# -gt 0 ]; then
		m=0
		for p in "$@"; do
			case $name in *$p*) m=1 ;; esac
		done
		[ $m -eq 1 ] || continue
	fi
	n=$((n + 1))
	echo "$n $t"
done >"$SCRATCH/.cases"
xargs -P "$jobs" -L 1 sh "$0" --one <"$SCRATCH/.cases"

pass=0 fail=0 skip=0 failed=""
i=1
while [ $i -le $n ]; do
	r=$(cat "$SCRATCH/.res.$i" 2>/dev/null || echo "fail case-$i")
	case $r in
	pass) pass=$((pass + 1)) ;;
	skip) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)); failed="$failed ${r#fail }" ;;
	esac
	i=$((i + 1))
done
echo "1..$n"
rm -f "$SCRATCH"/.res.* "$SCRATCH/.cases"
rm -rf "$SCRATCH/.gen"	# generated hours shared by the cases (lib.sh)
[ $fail -eq 0 ] && rmdir "$SCRATCH" 2>/dev/null
[ -n "$failed" ] && echo "# failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
