# The tools' exit statuses have their names in one table, enum gha_exit in
# lib/gha.h; scripts/gha-common.sh gives the scripts the same names for
# the same numbers.  The two must agree name for name, and the scripts
# compare the tools' statuses with the names, never with a number.
. "$TESTS/lib.sh"
awk '/^enum gha_exit/ { on = 1; next }
    on && /^}/ { exit }
    on && match($0, /GHA_EX_[A-Z_]+ = [0-9]+/) {
	s = substr($0, RSTART, RLENGTH); sub(/ = /, "=", s); print s
    }' "$ROOT/lib/gha.h" | sort >c.names
[ "$(lines c.names)" -ge 7 ] || fail "enum gha_exit not found: $(cat c.names)"
# The shell's: every GHA_EX_NAME=N assignment of gha-common.sh.
tr ' \t' '\n\n' <"$ROOT/scripts/gha-common.sh" |
    grep -E '^GHA_EX_[A-Z_]+=[0-9]+$' | sort >sh.names
cmp -s c.names sh.names ||
    fail "lib/gha.h and gha-common.sh differ: $(diff c.names sh.names)"
# And the shell's names, sourced, have those values.
prog=t mainpid=$$ scriptdir=$ROOT/scripts
. "$ROOT/scripts/gha-common.sh"
while IFS='=' read -r n v; do
	eval "got=\$$n"
	eq "$n" "$v" "$got"
done <c.names
# Every C tool gets its statuses from the table: no private enum of them.
for f in "$ROOT"/*/main.c; do
	grep -n 'EX_[A-Z_]* = [0-9]' "$f" && fail "$f: exit statuses of its own"
done
# The scripts keep a tool's status in st, _st, _cst or _lst: never
# compared with a bare number, nor matched by a case pattern of digits.
grep -nE '"?\$_?[cl]?st"? -(eq|ne|lt|gt|le|ge) "?[0-9]' \
    "$ROOT/scripts/gha-common.sh" "$ROOT/scripts/gha-backfill" &&
    fail "a tool's exit status compared with a number"
grep -nE '^[[:space:]]*[0-9]+([[:space:]]*\|[[:space:]]*[0-9]+)*\)' \
    "$ROOT/scripts/gha-common.sh" "$ROOT/scripts/gha-backfill" &&
    fail "an exit status matched by number"
exit 0
