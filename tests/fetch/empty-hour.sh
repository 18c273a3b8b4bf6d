# A 0-byte hour served with status 200 is damaged, as gzip -t says of it:
# gha-fetch refuses it (it never reaches the cache, exit 11) with gzip's
# words, and fetches the good hours around it.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkmirror m 2015-01-01-0 3
: >m/2015-01-01-1.json.gz
gzip -t m/2015-01-01-1.json.gz 2>gz.err && fail "gzip -t passed it"
grep -q 'unexpected end of file' gz.err || fail "gzip -t: $(cat gz.err)"
start_server s m
gha-fetch -d c --base-url "$URL" --retry-wait 50 --retries 1 \
    2015-01-01-0..2015-01-01-2 >out 2>err
eq status 11 $?
eq "hours fetched" "c/2015-01-01-0.json.gz c/2015-01-01-2.json.gz" \
    "$(xargs <out)"
grep -q '2015-01-01-1: refused .*unexpected end of file.*giving up' err ||
    fail "0-byte hour: $(cat err)"
[ ! -e c/2015-01-01-1.json.gz ] || fail "the 0-byte hour is in the cache"
