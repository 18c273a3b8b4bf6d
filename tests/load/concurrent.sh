# Two gha-load processes loading into one new file at the same time both
# succeed, and the file ends with exactly the events of their inputs: the
# same input twice (every event inserted by exactly one of them), and two
# different halves (every event of both).
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"
records
# Small batches so the two really interleave their transactions.
gha-load --batch 500 -f all.rec same.db 2>err1 &
p1=$!
gha-load --batch 500 -f all.rec same.db 2>err2 &
p2=$!
wait $p1 || fail "first loader: $(cat err1)"
wait $p2 || fail "second loader: $(cat err2)"
eq "events" 33427 "$(count same.db)"
ins=$(cat err1 err2 | sed -n 's/.* read, \([0-9]*\) inserted, .*/\1/p' |
    awk '{ n += $1 } END { print n }')
dup=$(cat err1 err2 | sed -n 's/.* inserted, \([0-9]*\) duplicates.*/\1/p' |
    awk '{ n += $1 } END { print n }')
eq "inserted by both" 33427 "$ins"
eq "duplicates of both" 33427 "$dup"
eq integrity ok "$(sqlite3 same.db 'PRAGMA integrity_check')"

# Two different halves: odd and even lines.
awk 'NR % 2' all.rec >odd.rec
awk 'NR % 2 == 0' all.rec >even.rec
gha-load -q --batch 300 -f odd.rec halves.db &
p1=$!
gha-load -q --batch 300 -f even.rec halves.db &
p2=$!
wait $p1 || fail "odd loader"
wait $p2 || fail "even loader"
eq "events" 33427 "$(count halves.db)"
eq "same rows" "$(sqlite3 same.db 'SELECT * FROM event_store' | md5sum)" \
    "$(sqlite3 halves.db 'SELECT * FROM event_store' | md5sum)"
