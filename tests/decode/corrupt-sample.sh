# The deliberately corrupted sample is rejected with a message naming it,
# and a good file given with it is still fully decoded (5,887 events).
. "$TESTS/lib.sh"
need_samples
bad=$SAMPLES/intersimone999-gh-archive/2015-01-01-11.json.gz
good=$SAMPLES/intersimone999-gh-archive/2015-01-01-5.json.gz
gha-decode "$bad" "$good" >out 2>err
eq "exit status" 3 $?
eq records 5887 "$(lines out)"
grep -q "^gha-decode: $bad: not gzip data" err || fail "message: $(cat err)"
# Order does not matter: the good one first, then the bad one.
gha-decode "$good" "$bad" >out2 2>/dev/null
eq "exit status" 3 $?
cmp -s out out2 || fail "output depends on order"
