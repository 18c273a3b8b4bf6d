# columns: the flat record's columns are one list.  lib/record.c's
# gha_rec_cols is the table (name, order, JSON type); the other places that
# spell the columns out must agree with it: the decoder's writer (the keys
# and value types of every record gha-decode writes, three eras), the
# SQLite view `events` (names, order, and SQLite's type of every value
# stored), the README's example record, doc/design.md's table and the
# tests' own FLAT_KEYS.  tests/clickhouse/columns.sh does the same for the
# ClickHouse tables.  Writing the columns out by hand is clearer than
# generating them; this case is what keeps the copies honest.
. "$TESTS/lib.sh"

# The table: "name type" lines, type string, number or boolean (jq's).
awk '/gha_rec_cols\[GHA_R_NFIELDS\] = \{/ { on = 1; next }
    on && /^\};/ { exit }
    on && match($0, /"[a-z_]+", GHA_J_[A-Z]+/) {
	split(substr($0, RSTART, RLENGTH), f, /", /)
	t = f[2] == "GHA_J_STRING" ? "string" : f[2] == "GHA_J_INT" ? \
	    "number" : f[2] == "GHA_J_TRUE" ? "boolean" : "?" f[2]
	print substr(f[1], 2), t
    }' "$ROOT/lib/record.c" >table
eq "columns in gha_rec_cols" 20 "$(lines table)"
names=$(cut -d ' ' -f 1 table | tr '\n' ' ' | sed 's/ $//')

# The decoder, on every era.
sample_hours
gen_timeline 400 7 >timeline.json || fail "timeline events"
"$TBIN/gha-gen" -n 400 -s 7 2026 >slim.json || fail "gha-gen 2026"
gha-decode timeline.json 2015-01-01-12.json.gz slim.json >recs ||
    fail "gha-decode"
[ "$(lines recs)" -gt 7000 ] || fail "too few records"
eq "keys of every record, in order" "$names" \
    "$(jq -r 'keys_unsorted | join(" ")' recs | sort -u)"
# Every value is null or of its column's type, and every column has a
# value somewhere (else its type would go unchecked).
jq -r 'to_entries[] | select(.value != null) | "\(.key) \(.value | type)"' \
    recs | sort -u >seen
eq "types of the values gha-decode writes" "$(sort table)" "$(cat seen)"

# SQLite: the view's columns, then the type each value came back as.
gha-load -q db <recs || fail "gha-load"
eq "columns of the view events" "$names day repo_owner_lc" \
    "$(sqlite3 -header db 'SELECT * FROM events LIMIT 1' | head -n 1 |
    tr '|' ' ')"
for c in $names; do
	sqlite3 db "SELECT DISTINCT '$c', typeof($c) FROM events
	    WHERE $c IS NOT NULL"
done | awk -F'|' '{ print $1, $2 == "text" ? "string" :
    $2 == "integer" ? "number" : "?" $2 }' |
    sort >sqlite-types
# A boolean is an integer 0 or 1 in SQLite.
eq "types SQLite gives back" \
    "$(sed 's/ boolean$/ number/' table | sort)" "$(cat sqlite-types)"
eq "public other than 0 or 1" 0 \
    "$(sqlite3 db 'SELECT count(*) FROM events WHERE public NOT IN (0, 1)')"

# The prose: the README's example record and doc/design.md's table.
eq "README's example record" "$names" \
    "$(awk '/^### The flat record/ { on = 1 } on && /^    / { print }
    on && /^The archive has/ { exit }' "$ROOT/README.md" |
    grep -o '"[a-z_]*":' | tr -d '":' | tr '\n' ' ' | sed 's/ $//')"
eq "doc/design.md's table" "$names" \
    "$(awk '/^## The flat record/ { on = 1; next } on && /^## / { exit }
    on && /^\| `/ { split($0, f, "|"); print f[2] }' "$ROOT/doc/design.md" |
    grep -o '`[a-z_]*`' | tr -d '`' | tr '\n' ' ' | sed 's/ $//')"
eq "FLAT_KEYS of tests/lib.sh" "$names" "$(echo $FLAT_KEYS)"
