# identity: (id, created_at) is the identity, compared on the decoded id:
# the same id spelt with JSON escapes is the same event; the same id at
# another time is another event (GitHub restarted its ids in 2025); copies
# inside one batch and across loads are counted as duplicates.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"

flat_fill >recs <<'JSON'
{"id":"1","type":"PushEvent","created_at":"2016-03-01T00:00:00Z","actor_login":"a","commits":1}
{"id":"\u0031","type":"PushEvent","created_at":"2016-03-01T00:00:00Z","actor_login":"a","commits":1}
{"id":"1","type":"PushEvent","created_at":"2025-10-09T00:00:00Z","actor_login":"a","commits":null}
{"id":"q\"\\\t\u00e9x","type":"WatchEvent","created_at":"2016-03-01T00:00:01Z","actor_login":"b"}
{"id":"q\"\\\t\u00e9x","type":"WatchEvent","created_at":"2016-03-01T00:00:01Z","actor_login":"b"}
JSON
ch_start
gha-load "$CH_URL/gha" <recs 2>err1 || fail "first load: $(cat err1)"
gha-load --batch 1 "$CH_URL/gha" <recs 2>err2 || fail "second load: $(cat err2)"
# By hand: 3 distinct identities among the 5 lines.
grep -q "5 read, 3 inserted, 2 duplicates" err1 || fail "first: $(cat err1)"
grep -q "5 read, 0 inserted, 5 duplicates" err2 || fail "second: $(cat err2)"
eq "events" 3 "$(ch_q 'SELECT count() FROM gha.events')"
eq "raw rows (no copy stored)" 3 \
    "$(ch_q 'SELECT count() FROM gha.event_store')"
# q " \ TAB e-acute x in UTF-8, byte by byte.
eq "odd id stored decoded" "71225C09C3A978" \
    "$(ch_q "SELECT hex(id) FROM gha.events WHERE type = 'WatchEvent'")"

# A time ClickHouse's DateTime cannot hold (before 1970) is refused by the
# target: reported, counted as rejected, exit 1, the good record stored.
flat_fill >old <<'JSON'
{"id":"9","type":"PushEvent","created_at":"1969-12-31T23:59:59Z","actor_login":"a","commits":1}
{"id":"10","type":"PushEvent","created_at":"2016-03-02T00:00:00Z","actor_login":"a","commits":1}
JSON
gha-load "$CH_URL/gha" <old 2>err3
eq "out-of-range exit" 1 $?
grep -q "1 record refused by the target" err3 || fail "$(cat err3)"
grep -q "2 read, 1 inserted, 0 duplicates, 1 rejected" err3 || fail "$(cat err3)"
eq "events after" 4 "$(ch_q 'SELECT count() FROM gha.events')"
