# columns: ClickHouse's tables spell the flat record's columns out again
# (the column definitions, the list rows are sent in, the view events);
# each must agree with lib/record.c's gha_rec_cols in names, order and
# type, as tests/load/columns.sh checks the decoder's and SQLite's.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"

awk '/gha_rec_cols\[GHA_R_NFIELDS\] = \{/ { on = 1; next }
    on && /^\};/ { exit }
    on && match($0, /"[a-z_]+", GHA_J_[A-Z]+/) {
	split(substr($0, RSTART, RLENGTH), f, /", /)
	print substr(f[1], 2), f[2]
    }' "$ROOT/lib/record.c" >table
eq "columns in gha_rec_cols" 20 "$(lines table)"
names=$(cut -d ' ' -f 1 table | tr '\n' ' ' | sed 's/ $//')

sample_hours
gha-decode 2015-01-01-12.json.gz >recs 2>/dev/null
ch_start
gha-load -q "$CH_URL/gha" <recs || fail "gha-load"

# event_store: the record's columns in its order (then loaded_at), each
# of the type its JSON type maps to; id and created_at are never null.
ch_q "SELECT name, type FROM system.columns WHERE database = 'gha'
    AND table = 'event_store'" >store
eq "last column of event_store" "loaded_at" "$(tail -n 1 store | cut -f 1)"
sed -e '$d' -e "s/\\\\'/'/g" store | tr '\t' ' ' >got	# (TSV escapes a quote)
awk '{ t = $2 == "GHA_J_STRING" ? "String" : $2 == "GHA_J_INT" ? \
    "Int64" : $2 == "GHA_J_TRUE" ? "UInt8" : "?"
    if ($1 == "created_at") t = "DateTime(\x27UTC\x27)"
    else if ($1 != "id") t = "Nullable(" t ")"
    print $1, t }' table >want
eq "columns of event_store" "$(cat want)" "$(cat got)"

# The view: the same names, then the two the metrics derive.
eq "columns of the view events" "$names day repo_owner_lc" \
    "$(ch_q "SELECT name FROM system.columns WHERE database = 'gha'
    AND table = 'events'" | tr '\n' ' ' | sed 's/ $//')"

# The list rows are sent in: every value comes back in its own column
# (a column list out of order would swap values of the same type).
row='[.id, .type, .actor_id, .actor_login, .repo_id, .repo_name, .org_id,
    .org_login, .action, .ref, .ref_type, .push_id, .commits,
    .distinct_commits, .head, .before, .number, .public, .src]'
jq -c "$row" recs | sort >want.rows
# (ClickHouse quotes Int64 values in JSON; public comes back 0 or 1)
ch_q "SELECT * FROM gha.events FORMAT JSONEachRow" |
    jq -c 'def n: if type == "string" then tonumber else . end;
    .actor_id |= n | .repo_id |= n | .org_id |= n | .push_id |= n |
    .commits |= n | .distinct_commits |= n | .number |= n |
    .public |= (. == 1)'" | $row" | sort >got.rows
eq "rows" "$(lines want.rows)" "$(lines got.rows)"
cmp -s want.rows got.rows || fail "values moved between columns:
$(diff want.rows got.rows | head -n 6)"
