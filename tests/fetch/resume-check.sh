# The gzip check runs while the body arrives, and catches up on what a
# resumed .part file held before the attempt by reading that part back:
# a .part whose first half is damaged fails the check after the 206 that
# completes it, and the hour is fetched again whole; a .part that holds
# the whole file (the server answers 416) is read back, proved and
# committed with no body sent; one whose last byte is damaged (the gzip
# length check) is refused and fetched again.  Every hour ends equal to
# the mirror and no temporary file is left.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkdir m c
for h in 0 1 2; do
	gha-gen -z -s $((h + 1)) -n 3000 -H 2015-01-01-$h -o m 2015 ||
	    fail "gha-gen"
done
# flip FILE OFFSET: FILE with the byte at OFFSET inverted, on stdout.
flip() {
	python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[int(sys.argv[2])] ^= 0xff
sys.stdout.buffer.write(b)' "$@"
}
size0=$(wc -c <m/2015-01-01-0.json.gz)
half=$((size0 / 2))
flip m/2015-01-01-0.json.gz $((size0 / 4)) | head -c $half \
    >c/.2015-01-01-0.json.gz.part
cp m/2015-01-01-1.json.gz c/.2015-01-01-1.json.gz.part
size2=$(wc -c <m/2015-01-01-2.json.gz)
flip m/2015-01-01-2.json.gz $((size2 - 1)) >c/.2015-01-01-2.json.gz.part
start_server s m
gha-fetch -d c --base-url "$URL" --retry-wait 50 --retries 2 2015-01-01-0..2015-01-01-2 >out 2>err ||
    fail "exit $?: $(cat err)"
for h in 0 1 2; do
	cmp -s m/2015-01-01-$h.json.gz c/2015-01-01-$h.json.gz ||
	    fail "hour $h differs from the mirror"
done
grep -q "2015-01-01-0: refused (HTTP 206, $size0 bytes)" err ||
    fail "hour 0: $(cat err)"
eq "hour 0: the rest asked" 1 "$(reqs " /2015-01-01-0\..* 206 range=bytes=$half- ")"
eq "hour 0: then whole" 1 "$(reqs ' /2015-01-01-0\..* 200 ')"
grep -q "2015-01-01-1:" err && fail "hour 1: $(cat err)"
eq "hour 1: 416 only" "416" "$(grep ' /2015-01-01-1\.' "$LOG" | cut -d ' ' -f 3 | xargs)"
grep -q "2015-01-01-2: refused (HTTP 416, $size2 bytes): .*corrupt gzip data" err ||
    fail "hour 2: $(cat err)"
eq "hour 2: then whole" 1 "$(reqs ' /2015-01-01-2\..* 200 ')"
eq "left over" "" "$(ls -A c | grep -v '^2015-01-01-[012]\.json\.gz$')"
exit 0
