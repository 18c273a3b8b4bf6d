# Every fault the test server can inject, one hour each, in one run of
# -j4: the hours that recover are printed in order and equal the mirror
# byte for byte; the broken ones never reach the cache; the exit status
# says some hours failed (11); the server's request log shows the retries
# and the Range requests that resumed cut-off bodies.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkmirror m 2015-01-01-0 12
# hour 9: gzip whose data lacks the final newline; hour 10: trailing junk
printf '{"id":"1"}\n{"id":"2"}' | gzip -n >m/2015-01-01-9.json.gz
{ printf '{"id":"1"}\n' | gzip -n; printf 'junk'; } >m/2015-01-01-10.json.gz
cat >plan <<'P'
/2015-01-01-1.json.gz 500 503 ok
/2015-01-01-2.json.gz 429:1 ok
/2015-01-01-3.json.gz 404
/2015-01-01-4.json.gz cut:1000 ok
/2015-01-01-5.json.gz reset:1500 ok
/2015-01-01-6.json.gz stall:800 ok
/2015-01-01-7.json.gz xml
/2015-01-01-8.json.gz corrupt corrupt ok
/2015-01-01-11.json.gz 503
P
start_server s m --plan plan
gha-fetch -d c --base-url "$URL" --retry-wait 50 --timeout 1 --retries 3 \
    2015-01-01-0..2015-01-01-11 >out 2>err
eq status 11 $?
for h in 0 1 2 4 5 6 8; do
	echo "c/2015-01-01-$h.json.gz"
done >want
cmp -s want out || fail "output: $(cat out)"
for h in 0 1 2 4 5 6 8; do
	cmp -s "m/2015-01-01-$h.json.gz" "c/2015-01-01-$h.json.gz" ||
	    fail "hour $h differs from the mirror"
done
eq "cache" "$(sed 's|^c/||' want | sort)" "$(ls c | sort)"
eq "temporary files left" "" "$(ls -A c | grep '^\.' | grep -v etag)"

# 500, 503, then the file; 429 then the file, after Retry-After.
eq "hour 1 requests" "500 503 200" \
    "$(grep ' /2015-01-01-1\.' "$LOG" | cut -d' ' -f3 | xargs)"
eq "hour 2 requests" "429 200" \
    "$(grep ' /2015-01-01-2\.' "$LOG" | cut -d' ' -f3 | xargs)"
grep -q '2015-01-01-2: HTTP 429; try 2 of 4 in 1\.0 s' err ||
    fail "Retry-After: 1 not honoured: $(cat err)"
# 404 on an old hour: missing, asked once.
eq "hour 3 requests" 1 "$(reqs ' /2015-01-01-3\.')"
grep -q '2015-01-01-3: missing from the archive' err || fail "404: $(cat err)"
# Cut short, reset, stalled: resumed where the body stopped.
eq "hour 4 resume" 1 "$(reqs ' /2015-01-01-4\..* 206 range=bytes=1000- ')"
# (A reset may drop bytes the client had not read yet: any resume point.)
eq "hour 5 requests" 2 "$(reqs ' /2015-01-01-5\.')"
grep -q '2015-01-01-5: Recv failure: Connection reset' err ||
    fail "reset: $(cat err)"
eq "hour 6 resume" 1 "$(reqs ' /2015-01-01-6\..* 206 range=bytes=800- ')"
grep -q '2015-01-01-6: no data for 1 s (stalled)' err || fail "stall: $(cat err)"
# XML error page with 200: refused on each of the 4 tries.
eq "hour 7 requests" 4 "$(reqs ' /2015-01-01-7\.')"
grep -q '2015-01-01-7: refused .*not gzip data; giving up after 4 tries' err ||
    fail "xml: $(cat err)"
eq "hour 8 requests" 3 "$(reqs ' /2015-01-01-8\.')"
grep -q '2015-01-01-9: refused .*no final newline.*giving up' err ||
    fail "no final newline: $(cat err)"
grep -q '2015-01-01-10: refused .*giving up' err || fail "junk: $(cat err)"
# 503 for ever: 1 + 3 retries, then a failure.
eq "hour 11 requests" 4 "$(reqs ' /2015-01-01-11\.')"
grep -q '2015-01-01-11: HTTP 503; giving up after 4 tries' err ||
    fail "503: $(cat err)"
# Every request named the tool and its version.
eq "user agent" 0 "$(grep -vc 'ua=gha-fetch/[0-9]' "$LOG")"
stop_server

# A server without Range support: the cut-off hour is fetched again whole.
printf '/2015-01-01-4.json.gz cut:1000 ok\n' >plan2
start_server s2 m --plan plan2 --no-range
gha-fetch -q -d c2 --base-url "$URL" --retry-wait 50 2015-01-01-4 >out 2>err ||
    fail "no-range: exit $?: $(cat err)"
eq "no-range requests" "200 200" "$(cut -d' ' -f3 "$LOG" | xargs)"
grep -q ' 200 range=bytes=1000- ' "$LOG" || fail "no Range asked: $(cat "$LOG")"
cmp -s m/2015-01-01-4.json.gz c2/2015-01-01-4.json.gz || fail "no-range file"
eq "-q" "" "$(cat err)"
stop_server

# Nobody listening: connection refused is retried, then the hour fails.
port=$(free_port)
gha-fetch -d c3 --base-url "http://127.0.0.1:$port" --retry-wait 10 \
    --retries 1 2015-01-01-0 >out 2>err
eq "refused status" 11 $?
eq "refused output" "" "$(cat out)"
grep -q 'giving up after 2 tries' err || fail "refused: $(cat err)"
