# Every EXAMPLE of gha-filter(1), taken from the man page itself so the two
# cannot drift apart, runs and exits 0 on the 2015 sample hours (generated ones without them); the
# outputs that can be checked are checked against jq over the same data.
. "$TESTS/lib.sh"
command -v gha-load >/dev/null || fail "gha-load is not built"
sample_hours	# real or generated
rm 2015-01-01-5.json.gz
gha-decode -q 2015-01-01-*.json.gz >records.json || fail "decode"

# One command per file: literal blocks of EXAMPLES, lines ending in '\'
# or '|' continued, \e turned back into a backslash.
sed -n '/^\.Sh EXAMPLES/,/^\.Sh SEE ALSO/p' "$ROOT/man/gha-filter.1" |
    awk '/^\.Bd -literal/ { lit = 1; next } /^\.Ed/ { lit = 0; next }
	lit { gsub(/\\e/, "\\"); cmd = cmd $0 "\n"
	    if ($0 !~ /[\\|]$/) { k++; f = "cmd." k; printf "%s", cmd > f
		close(f); cmd = "" } }'
k=$(ls cmd.* | wc -l)
[ "$k" -ge 7 ] || fail "only $k examples found"
i=0
while [ $i -lt "$k" ]; do
	i=$((i + 1))
	sh "cmd.$i" >"out.$i" 2>"err.$i" ||
	    fail "example $i failed: $(cat "cmd.$i") $(cat "err.$i")"
done

# 1: the pipeline loads the pushes and creations.
grep -q 'gha-load gha.db' cmd.1 || fail "example 1 is not the pipeline"
[ -s gha.db ] || fail "example 1 made no database"
want=$(jq -r 'select(.type == "PushEvent" or .type == "CreateEvent") | .id' \
    records.json | sort -u | wc -l | tr -d ' ')
grep -q "^gha-filter: .* $want selected" err.1 || fail "example 1: $(cat err.1)"
if command -v sqlite3 >/dev/null; then
	eq "example 1 loaded" "$want" \
	    "$(sqlite3 gha.db 'select sum(events) from daily_summary')"
fi
# 2: pushes to repositories of owners starting with a.
eq "example 2" "$(jq -r 'select(.type == "PushEvent" and
    (.repo_name | test("^a[^/]*/[^/]*$"))) | 1' records.json | wc -l |
    tr -d ' ')" "$(cat out.2)"
# 3: all but stars, four keys each.
eq "example 3" "$(zcat 2015-01-01-3.json.gz | jq -c 'select(.type !=
    "WatchEvent") | {id, type, actor_login: .actor.login,
    repo_name: .repo.name}')" "$(jq -c . out.3)"
# 4, 5: big pushes, in raw events and in records.
eq "example 4" "$(zcat 2015-01-01-3.json.gz | jq -c 'select(.type ==
    "PushEvent" and .payload.size > 20)' | wc -l | tr -d ' ')" \
    "$(lines out.4)"
eq "example 5" "$(jq -c 'select(.commits != null and .commits > 20)' \
    records.json | wc -l | tr -d ' ')" "$(lines out.5)"
[ "$(lines out.4)" -gt 0 ] || fail "example 4 selects nothing"
# 6: no dependabot in 2015, so nothing, successfully.
eq "example 6" 0 "$(lines out.6)"
# 7: no bad lines; every record but the bots' ([bot] or on the built-in
# list: mirror-updates and BrewTestBot in the real 2015 hours).
eq "example 7" "$(jq -r '.actor_login // ""' records.json |
    awk -v l="$ROOT/scripts/bots" 'BEGIN { while ((getline x <l) > 0) {
    sub(/#.*/, "", x); gsub(/[ \t]/, "", x); if (x != "") b[tolower(x)] }
    } { x = tolower($0) } !(x ~ /\[bot\]$/ || x in b) { n++ }
    END { print n + 0 }')" "$(lines humans.json)"
[ -f rejected.json ] && [ ! -s rejected.json ] ||
    fail "example 7 reject file"
