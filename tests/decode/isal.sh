# The isa-l build and the zlib build decode to the very same bytes and
# report damage the same way: run the decode checks of the damaged-gzip
# cases through both.  The build under test is one of them (isa-l's when
# libisal-dev is installed, config.mk); the other is made here.  Skips
# when libisal-dev is absent.
. "$TESTS/lib.sh"
[ -f /usr/include/isa-l/igzip_lib.h ] || skip "libisal-dev not installed"
if ldd "$(command -v gha-decode)" | grep -q libisal; then
	ib=$(dirname "$TBIN")-zlib isal=0
else
	ib=$(dirname "$TBIN")-isal isal=1
fi
make -s -C "$ROOT" B="$ib" ISAL=$isal all >make.log 2>&1 ||
    fail "$(tail make.log)"
n=$(ldd "$(command -v gha-decode)" "$ib/bin/gha-decode" | grep -c libisal)
eq "builds linked with isa-l" 1 "$n"
sample_hours	# the real hours, or generated ones of the same sizes
f=2015-01-01-12.json.gz
size=$(wc -c <"$f")
head -c $((size / 2)) "$f" >cut.json.gz
{ cat "$f"; printf 'x'; } >trail.json.gz
python3 - "$f" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-6] ^= 0x01		# a byte of the CRC-32 trailer
open("crc.json.gz", "wb").write(bytes(b))
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 3] ^= 0xff
open("flip.json.gz", "wb").write(bytes(b))
PY
cat "$f" "$f" >double.json.gz
for in in "$f" double.json.gz cut.json.gz trail.json.gz crc.json.gz flip.json.gz; do
	for j in 1 2; do
		gha-decode -j $j "$in" >z.out 2>z.err
		zs=$?
		"$ib/bin/gha-decode" -j $j "$in" >i.out 2>i.err
		is=$?
		eq "$in -j $j: exit status" $zs $is
		cmp -s z.out i.out || fail "$in -j $j: records differ"
	done
	echo "$(basename "$in"): exit $zs, $(lines z.out) records"
done
for d in gha-decode "$ib/bin/gha-decode"; do
	$d crc.json.gz >crc.out 2>crc.err
	eq "$d: CRC damage exit" 3 $?
	grep -q '^gha-decode: crc.json.gz: corrupt gzip data: incorrect data check' \
	    crc.err || fail "$d: $(cat crc.err)"
	eq "$d: every event before the trailer" 8273 "$(lines crc.out)"
done
