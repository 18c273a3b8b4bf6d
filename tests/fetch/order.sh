# 48 hours over two days with -j4, the first hours slowed down by faults:
# stdout still lists every hour in time order (the expected list is
# generated independently by date(1)), -j1 gives the same list, and -c
# streams exactly the mirror's bytes, concatenated in time order.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkmirror m 2015-03-01-0 48
cat >plan <<'P'
/2015-03-01-0.json.gz 503 503 ok
/2015-03-01-1.json.gz slow:20000
/2015-03-01-2.json.gz cut:100 ok
/2015-03-02-5.json.gz 500 ok
P
start_server s m --plan plan
for d in 2015-03-01 2015-03-02; do
	for h in $(seq 0 23); do
		echo "c/$(date -u -d "$d $h:00" +%Y-%m-%d)-$h.json.gz"
	done
done >want
gha-fetch -q -j 4 --retry-wait 50 -d c --base-url "$URL" 2015-03-01..2015-03-02 >out ||
    fail "exit $?"
cmp -s want out || fail "order: $(diff want out | head)"
eq requests 52 "$(reqs GET)"
gha-fetch -q -j 1 --retry-wait 50 -d c1 --base-url "$URL" 2015-03-01..2015-03-02 >out1 ||
    fail "-j1 exit $?"
sed 's|^c/|c1/|' want | cmp -s - out1 || fail "-j1 order"
# -c: the gzip bytes in time order (the cache is warm now: no requests).
n=$(reqs GET)
gha-fetch --cat -d c --base-url "$URL" 2015-03-01-22..2015-03-02-1 >stream ||
    fail "-c exit $?"
cat m/2015-03-01-22.json.gz m/2015-03-01-23.json.gz m/2015-03-02-0.json.gz \
    m/2015-03-02-1.json.gz | cmp -s - stream || fail "-c bytes"
eq "-c requests on a warm cache" "$n" "$(reqs GET)"
# -c on a cold cache, with a bandwidth cap, through gunzip.
gha-fetch --cat --rate 1M -d c2 --base-url "$URL" 2015-03-01-0..2015-03-01-3 | gunzip |
    grep -c '"hour"' >lines || fail "-c cold"
eq "-c lines" $((200 + 201 + 202 + 203)) "$(cat lines)"
# A reader that goes away early: a quiet end, no temporary file left.
gha-fetch -j 2 -d c3 --base-url "$URL" 2015-03-01..2015-03-02 2>err | head -n 1 >one
eq "head" "c3/2015-03-01-0.json.gz" "$(cat one)"
eq "stderr after head" "" "$(grep -v 'try 2' err)"
eq "temporary files" "" "$(ls -A c3 | grep part)"
