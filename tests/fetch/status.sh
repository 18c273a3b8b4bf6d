# --status FILE: one NDJSON record per hour for every state gha-fetch
# knows, checked with jq against what the test set up and against the
# cache and the server's log: fetched (after 503s, and after a cut-off
# body resumed), cached (in the cache already, and revalidated with -R),
# missing (an old 404), unpublished (a 404 soon after the hour ended, and
# an hour not ended yet, never asked), corrupt (a flipped byte on every
# try, and S3's XML page) and failed (503 to the end; nothing listening:
# http 0), each failure with its reason (error).  Every line is a
# whole JSON object; /dev/fd/N works as FILE; a file that cannot be
# opened is an error before any request.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
mkmirror m 2024-01-15-0 8
cat >plan <<'P'
/2024-01-15-1.json.gz 503 503 ok
/2024-01-15-2.json.gz cut:1000 ok
/2024-01-15-4.json.gz corrupt
/2024-01-15-5.json.gz xml
/2024-01-15-6.json.gz 503
P
rm m/2024-01-15-3.json.gz m/2024-01-15-7.json.gz
start_server s m --plan plan
mkdir c
cp m/2024-01-15-0.json.gz c/
export GHA_NOW=2024-01-15T08:30:00Z
# 2024-01-15-7 ended at 08:00: its 404 is "not published yet"; -8 has
# not ended at 08:30.
gha-fetch -d c --base-url "$URL" --retry-wait 20 --retries 2 --status st \
    2024-01-15-0..2024-01-15-8 >out 2>err
eq "exit" 11 $?
eq "records" 9 "$(lines st)"
jq -e . st >/dev/null || fail "not JSON: $(cat st)"
eq "one per hour" "$(seq 0 8 | sed 's/^/2024-01-15-/')" \
    "$(jq -r .hour st | sort -t- -k4n)"
state() {
	jq -r --arg h "$1" 'select(.hour == $h) | .state' st
}
for x in 0:cached 1:fetched 2:fetched 3:missing 4:corrupt 5:corrupt \
    6:failed 7:unpublished 8:unpublished; do
	eq "state of hour ${x%%:*}" "${x#*:}" "$(state "2024-01-15-${x%%:*}")"
done
# Paths and sizes of the hours with a file: those of the cache.
for h in 0 1 2; do
	f=c/2024-01-15-$h.json.gz
	eq "hour $h" "$f $(wc -c <"$f" | tr -d ' ')" \
	    "$(jq -r --arg h 2024-01-15-$h 'select(.hour == $h) |
	    "\(.path) \(.bytes)"' st)"
done
eq "no path without a file" "" \
    "$(jq -r 'select(.state != "cached" and .state != "fetched") |
    select(.path != null or .bytes != null) | .hour' st)"
# tries: the requests the server logged for each hour.
for h in 0 1 2 3 4 5 6 7 8; do
	eq "tries of hour $h" "$(reqs " /2024-01-15-$h\\.")" \
	    "$(jq -r --arg h 2024-01-15-$h 'select(.hour == $h) | .tries' st)"
done
eq "http by hour" "null 200 206 404 200 200 503 404 null" \
    "$(for h in 0 1 2 3 4 5 6 7 8; do jq -r --arg h 2024-01-15-$h \
    'select(.hour == $h) | .http' st; done | paste -sd ' ')"
eq "url" "$URL/2024-01-15-3.json.gz" \
    "$(jq -r 'select(.hour == "2024-01-15-3") | .url' st)"
# error: the reason of the last failed try, for failed and corrupt only.
eq "no error unless failed" "" \
    "$(jq -r 'select(.state != "failed" and .state != "corrupt") |
    select(.error != null) | .hour' st)"
eq "error of hour 6" "HTTP 503" \
    "$(jq -r 'select(.hour == "2024-01-15-6") | .error' st)"
eq "corrupt hours have a reason" "" \
    "$(jq -r 'select(.state == "corrupt") | select(.error == null or
    .error == "") | .hour' st)"
# Nothing listening: failed, http 0 (asked, never answered), curl's reason.
p=$(free_port)
gha-fetch -d c --base-url "http://127.0.0.1:$p" --retry-wait 20 --retries 1 \
    --status st3 2024-01-15-3 \
    >/dev/null 2>err
eq "refused: exit" 11 $?
eq "refused" "failed 2 0" "$(jq -r '"\(.state) \(.tries) \(.http)"' st3)"
jq -r .error st3 | grep -q "^Failed to connect to 127\.0\.0\.1 port $p .*Couldn't connect to server$" ||
    fail "refused: error $(jq .error st3)"

# -R: the cached hour revalidated (304) stays "cached", with a request.
: >"$LOG"
gha-fetch -R -d c --base-url "$URL" --status /dev/fd/3 2024-01-15-1 3>st2 >/dev/null \
    2>err || fail "-R: exit $?: $(cat err)"
eq "-R" "cached 1 304" "$(jq -r '"\(.state) \(.tries) \(.http)"' st2)"

# A status file that cannot be opened: exit 4, no request made.
: >"$LOG"
gha-fetch -d c --base-url "$URL" --status nodir/st 2024-01-15-3 >/dev/null 2>err
eq "unwritable status" 4 $?
grep -q 'nodir/st' err || fail "message: $(cat err)"
eq "requests" 0 "$(lines "$LOG")"
# The option is spelled --status; a bare --status is a usage error.
gha-fetch --status 2>/dev/null
eq "no file" 2 $?
exit 0
