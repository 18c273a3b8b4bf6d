# gha-load -H / -Q, the hour ledger: rows stored and read back in time
# order (hour 10 after hour 9, not as text sorts), the latest row of an
# hour or a day wins, nulls stay null, daily_coverage counts them; a bad
# line stores nothing (exit 1) and is named <stdin>:LINE; -H with records'
# options is bad usage.  Expected values are the input's, by hand.
. "$TESTS/lib.sh"
sha=$(printf x | sha256sum | cut -c1-64)
cat >rows <<EOF2
{"hour":"2024-01-15-10","status":"missing"}
{"hour":"2024-01-15-9","status":"pending"}
{"hour":"2024-01-15-7","status":"loaded","events":3,"bad_lines":0,"bytes":10,"sha256":"$sha"}
{"day":"2024-01-15","final":0}

{"hour":"2024-01-16-0","status":"corrupt","events":null}
EOF2
gha-load -H l.db <rows || fail "-H: exit $?"
printf '{"hour":"2024-01-15-9","status":"loaded","events":4,"bad_lines":1,"bytes":7}\n{"day":"2024-01-15","final":1}\n' |
    gha-load -H l.db || fail "-H again: exit $?"
gha-load -Q l.db >got || fail "-Q: exit $?"
eq "rows" "2024-01-15-7 loaded 3 0 10 $sha
2024-01-15-9 loaded 4 1 7 null
2024-01-15-10 missing null null null null
2024-01-16-0 corrupt null null null null
2024-01-15 1" "$(jq -r 'if .hour then "\(.hour) \(.status) \(.events) \(.bad_lines) \(.bytes) \(.sha256)" else "\(.day) \(.final)" end' got)"
eq "loaded_at" "4 true" "$(jq -s '[.[] | select(.hour) | .loaded_at |
    test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")] | "\(length) \(all)"' -r got)"
eq "coverage" "2024-01-15|2|1|21|1|0|2
2024-01-16|0|0|23|0|1|0" "$(sqlite3 l.db 'SELECT * FROM daily_coverage ORDER BY day')"

printf '{"hour":"2024-01-15-11","status":"loaded"}\n{"hour":"2024-01-15-07","status":"loaded"}\n{"hour":"2024-01-15-8","status":"done"}\n{"day":"2024-01-15","final":2}\n{"hour":"2024-01-15-8","status":"loaded","sha256":"ABC"}\n' >bad
gha-load -H l.db <bad 2>err
eq "bad rows" 1 $?
eq "messages" "gha-load: <stdin>:2: hour: want YYYY-MM-DD-H
gha-load: <stdin>:3: status: want loaded, missing, corrupt or pending
gha-load: <stdin>:4: final: want 0 or 1
gha-load: <stdin>:5: sha256: want 64 lower-case hex digits
gha-load: 4 bad ledger lines: nothing stored" "$(cat err)"
gha-load -Q l.db | grep -q 2024-01-15-11 && fail "stored beside a bad line"
status 2 gha-load -H -Q l.db 2>/dev/null
status 2 gha-load -H -f rows l.db 2>/dev/null
status 2 gha-load -Q --batch 10 l.db 2>/dev/null
# An older gha.db without the ledger tables gains them on the next open.
sqlite3 old.db 'CREATE TABLE t(x)' || fail sqlite3
eq "empty ledger" "" "$(gha-load -Q old.db)"
exit 0
