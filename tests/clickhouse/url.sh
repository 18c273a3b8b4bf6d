# url: the URL's path names the database, which must be an identifier;
# no query part (a bad URL is bad usage, exit 2); a server that is not
# there fails fast with -w 0.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"

flat_rec '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z"}' >rec
ch_start
for bad in "/bad-name" "/1abc" "/a;DROP%20TABLE" "/a/b" "/x?database=y" \
    "/$(printf '%065d' 0)"; do
	gha-load "$CH_URL$bad" <rec 2>err
	eq "exit status for $bad" 2 $?
	grep -q "database name\|URL may not\|not an identifier" err ||
	    fail "$bad: unclear message: $(cat err)"
done
eq "databases created by bad URLs" "" \
    "$(ch_q "SELECT name FROM system.databases WHERE name NOT IN \
('default', 'system')")"

gha-load -q "$CH_URL" <rec || fail "default database"
gha-load -q "$CH_URL/other_db_1/" <rec || fail "named database"
eq "databases" "gha other_db_1" "$(ch_q "SELECT name FROM system.databases \
WHERE name NOT IN ('default', 'system') ORDER BY name" | tr '\n' ' ' |
    sed 's/ $//')"

port=$(free_port)
gha-load -w 0 "http://127.0.0.1:$port/gha" <rec 2>err
eq "exit status, nothing listening" 4 $?
grep -q "127.0.0.1:$port" err || fail "message does not name the server"

# https verifies: against a plain-HTTP port the TLS handshake fails, which
# is no transient error (no retry) and says what went wrong.
gha-load -w 30 "https://127.0.0.1:$CH_PORT/gha" <rec 2>err
eq "exit status, https to a plain port" 4 $?
grep -qi "ssl\|tls" err || fail "no TLS error: $(cat err)"
grep -q "gave up" err && fail "a TLS failure was retried: $(cat err)"
GHA_CLICKHOUSE_CAFILE=/nonexistent/ca.pem \
    gha-load -w 0 "https://127.0.0.1:$CH_PORT/gha" <rec 2>err
eq "exit status, missing CA file" 4 $?
eq "missing CA file" "gha-load: CA file /nonexistent/ca.pem: No such file or directory" \
    "$(cat err)"
exit 0
