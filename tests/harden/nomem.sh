# Out of memory has a status of its own (GHA_EX_NOMEM in lib/gha.h, read
# here from the header) and its own message, "out of memory (N bytes
# wanted)", in gha-decode, gha-filter and gha-load alike: not "write
# error", not the status of a failed output.  The allocator really says
# no: a line of 120 MB, which -L 1G lets in, must be held whole by the
# line reader, under an address-space limit of 64 MB (ulimit -v).  Under
# the sanitizers, which need terabytes of address space for their shadow
# memory, the limit is ASan's own instead: allocations above 16 MB fail
# (max_allocation_size_mb, with allocator_may_return_null), and its own
# warning about that is set aside.  The same
# tools under the same limit read a short line as usual, so it is the
# long line that runs them out of memory.
. "$TESTS/lib.sh"
nomem=$(awk '$1 == "GHA_EX_NOMEM" && $2 == "=" { sub(/,/, "", $3); print $3 }' \
    "$ROOT/lib/gha.h")
[ -n "$nomem" ] || fail "GHA_EX_NOMEM not found in lib/gha.h"
for s in 0 1 2 3 4; do
	[ "$nomem" -ne "$s" ] || fail "GHA_EX_NOMEM is $s, a status shared"
done
if grep -q __asan_init "$(command -v gha-decode)"; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=16
	export ASAN_OPTIONS
	limit() { "$@"; }
else
	limit() { (ulimit -v 65536 && exec "$@"); }
fi
big() { head -c 120000000 /dev/zero | tr '\0' a; }

for cmd in "gha-decode -j 1" "gha-decode -j 2" "gha-filter -j 1" \
    "gha-filter -j 2" "gha-load -f - oom.db"; do
	tool=${cmd%% *}
	# shellcheck disable=SC2086
	echo '{}' | limit $cmd -L 1G >out 2>err
	st=$?
	case $tool in gha-filter) want=0 ;; *) want=1 ;; esac
	eq "$cmd, a short line: status ($(cat err))" "$want" "$st"
	rm -f oom.db
	# shellcheck disable=SC2086
	big | limit $cmd -L 1G >out 2>err.all
	eq "$cmd, a long line: status" "$nomem" $?
	# ASan's own word on the refusal is not the tool's.
	grep -v '^==[0-9]*==WARNING: AddressSanitizer failed to allocate' \
	    err.all >err
	eq "$cmd: one message" 1 "$(lines err)"
	n=$(sed -n "s/^$tool: out of memory (\([0-9]*\) bytes wanted)\$/\1/p" err)
	[ -n "$n" ] || fail "$cmd: message: $(cat err)"
	# The line buffer, grown towards 120 MB, is what was refused.
	[ "$n" -ge 16777216 ] && [ "$n" -le 268435456 ] ||
	    fail "$cmd: $n bytes wanted, not the line's buffer"
	rm -f oom.db oom.db-*
done
exit 0
