# singular: the summaries say "1 record", "1 line", "1 file", "1 duplicate"
# (not "1 records"): one event and one bad line through gha-decode,
# gha-filter and gha-load; the counts are known by construction.
. "$TESTS/lib.sh"

printf '%s\n' '{"id":"1","type":"WatchEvent","created_at":"2015-01-01T00:00:00Z","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"a/r"},"payload":{},"public":true}' \
    'not json' >in.json
gha-decode in.json >recs 2>err
eq "decode status" 1 $?
grep -q '^gha-decode: 1 record, 1 rejected line, 1 file, 0 damaged or unreadable$' err ||
    fail "decode: $(cat err)"
cat recs recs >recs2
gha-filter --dedup recs2 >/dev/null 2>err
grep -q '^gha-filter: 2 records, 1 selected, 1 duplicate, 0 rejected lines, 1 file, ' err ||
    fail "filter: $(cat err)"
gha-load -q g.db <recs || fail "first load"
gha-load g.db <recs 2>err || fail "second load"
eq "load" "gha-load: 1 read, 0 inserted, 1 duplicate, 0 rejected" "$(cat err)"
exit 0
