# A warm cache is trusted without a single request (the server counts
# them); -R revalidates each cached hour with If-None-Match (ETag) or
# If-Modified-Since and downloads only what changed on the server; -n
# shows which hours are cached.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkmirror m 2015-01-01-0 6
start_server s m --etag
export GHA_CACHE=cache GHA_BASE_URL=$URL
gha-fetch 2015-01-01-0..2015-01-01-5 >first || fail "first run: exit $?"
eq "first run requests" 6 "$(reqs GET)"
gha-fetch 2015-01-01-0..2015-01-01-5 >second 2>err || fail "second: exit $?"
eq "second run requests" 6 "$(reqs GET)"
cmp -s first second || fail "second run output differs"
eq "second run stderr" "" "$(cat err)"
gha-fetch -n 2015-01-01-5..2015-01-01-6 >plan
eq plan "2015-01-01-5 cached cache/2015-01-01-5.json.gz
2015-01-01-6 fetch $URL/2015-01-01-6.json.gz" "$(cat plan)"

# -R: every hour asked again with its ETag; nothing changed, all 304.
gha-fetch -R 2015-01-01-0..2015-01-01-5 >third || fail "-R: exit $?"
cmp -s first third || fail "-R output differs"
eq "-R requests" 6 "$(grep -c ' 304 .*inm="' "$LOG")"
# One hour changes on the server: -R fetches it (and only it) again.
mkmirror m2 2015-01-01-0 6
mv m2/2015-01-01-2.json.gz m/2015-01-01-3.json.gz
touch -d '2030-01-01' m/2015-01-01-3.json.gz
gha-fetch -R 2015-01-01-0..2015-01-01-5 >fourth || fail "-R 2: exit $?"
cmp -s first fourth || fail "-R 2 output differs"
eq "-R 2 full downloads" 7 "$(reqs ' 200 ')"
cmp -s m/2015-01-01-3.json.gz cache/2015-01-01-3.json.gz ||
    fail "changed hour not updated"
stop_server

# Without ETags, If-Modified-Since against the file's mtime, which is the
# server's Last-Modified.
start_server s2 m
rm cache/.2015-01-01-3.json.gz.etag
export GHA_BASE_URL=$URL
gha-fetch -R 2015-01-01-3 >/dev/null || fail "-R ims: exit $?"
eq "-R without ETag" 1 "$(grep -c ' 304 .*ims=[A-Z]' "$LOG")"
