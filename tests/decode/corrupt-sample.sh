# The deliberately corrupted sample is rejected with a message naming it,
# and a good file given with it is still fully decoded (5,887 events).
# Without the samples the same damage is made here: a generated hour whose
# first 13 bytes (the gzip header) read "AASDSADSDFFSD", as the sample's do.
. "$TESTS/lib.sh"
if have_samples; then
	bad=$SAMPLES/intersimone999-gh-archive/2015-01-01-11.json.gz
	good=$SAMPLES/intersimone999-gh-archive/2015-01-01-5.json.gz
	n=5887
else
	sample_hours
	good=2015-01-01-5.json.gz
	bad=2015-01-01-11.json.gz
	python3 - "$good" "$bad" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[0:13] = b"AASDSADSDFFSD"
open(sys.argv[2], "wb").write(bytes(b))
PY
	n=$(zcat "$good" | wc -l | tr -d ' ')
fi
gha-decode "$bad" "$good" >out 2>err
eq "exit status" 3 $?
eq records "$n" "$(lines out)"
grep -q "^gha-decode: $bad: not gzip data" err || fail "message: $(cat err)"
# Order does not matter: the good one first, then the bad one.
gha-decode "$good" "$bad" >out2 2>/dev/null
eq "exit status" 3 $?
cmp -s out out2 || fail "output depends on order"
