# Replay the saved fuzz crashes (tests/fuzz/crashes/TARGET/*) through the
# libFuzzer targets, as a regression test: every input that once found a
# bug must now pass.  This builds nothing: `make fuzz-build` (or make fuzz,
# make fuzz-ci) builds the targets into build-fuzz/fuzz/ (GHA_FUZZ_BUILD
# names another tree); without them the case is skipped.
. "$TESTS/lib.sh"
F=${GHA_FUZZ_BUILD:-$ROOT/build-fuzz}/fuzz
ls "$F"/fuzz_* >/dev/null 2>&1 ||
    skip "no fuzz targets in $F (make fuzz-build)"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1

n=0
for d in "$TESTS"/fuzz/crashes/*/; do
	t=$(basename "$d")
	[ -n "$(ls "$d")" ] || continue
	[ -x "$F/fuzz_$t" ] || fail "$F/fuzz_$t: not built, but" \
	    "crashes/$t has inputs (make fuzz-build)"
	# As a corpus (-runs=0), so that every input gets its own leak check.
	"$F/fuzz_$t" -runs=0 "$d" >"$t.log" 2>&1 || fail "fuzz_$t: a saved" \
	    "input fails again:
$(grep -E '^fuzz:|ERROR|SUMMARY' "$t.log" | tail -n 6)"
	k=$(sed -n 's/^INFO: seed corpus: files: \([0-9]*\).*/\1/p' "$t.log")
	[ "${k:-0}" -eq "$(ls "$d" | wc -l)" ] ||
	    fail "fuzz_$t ran ${k:-0} of the inputs in $d"
	n=$((n + k))
done
[ $n -gt 0 ] || fail "no saved inputs replayed"
echo "$n saved inputs replayed"
