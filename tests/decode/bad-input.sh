# The bad-input corpus: every damaged input is rejected cleanly, with the
# file (and line) named, and every good record around the damage is kept.
. "$TESTS/lib.sh"
sample_hours	# the real 2015-01-01-1, or a generated one
src=2015-01-01-1.json.gz
zcat "$src" | head -n 100 >good.json
gzip -c good.json >good.json.gz

# Empty input: no records, success.
: >empty.json
status 0 gha-decode empty.json >out 2>/dev/null
eq "empty input" 0 "$(lines out)"

# One to three bytes of junk: one rejected line each, exit 1.
for junk in '{' '{}' 'abc'; do
	printf '%s' "$junk" >junk.json
	gha-decode junk.json >out 2>err
	eq "junk '$junk' exit" 1 $?
	grep -q '^gha-decode: junk.json:1: ' err || fail "junk: $(cat err)"
done

# A truncated gzip stream: an error naming the file after every complete
# record before the damage was written.
truncated_gzip gha-decode
head -n "$N" good.json | refdecode -n >want
refdecode -n out | jq -c 'del(.src)' >/dev/null || fail "output not JSON"
eq "records before the damage" "$(head -n "$N" good.json | jq -r .id)" \
    "$(jq -r .id out)"

# Trailing garbage after the gzip member.
{ cat good.json.gz; printf 'garbage'; } >trail.json.gz
gha-decode trail.json.gz >out 2>err
eq "trailing garbage exit" 3 $?
eq "records before garbage" 100 "$(lines out)"
grep -q 'trailing garbage' err || fail "$(cat err)"

# Two gzip members one after another are one stream.
{ head -n 40 good.json | gzip -c; tail -n 60 good.json | gzip -c; } >multi.json.gz
status 0 gha-decode multi.json.gz >out 2>/dev/null
eq "multi-member" 100 "$(lines out)"

# A corrupt byte inside the deflate data.
python3 - <<'PY'
b = bytearray(open("good.json.gz", "rb").read())
b[len(b) // 2] ^= 0xff
open("flip.json.gz", "wb").write(bytes(b))
PY
gha-decode flip.json.gz >out 2>err
eq "corrupt deflate exit" 3 $?
grep -q 'flip.json.gz: ' err || fail "$(cat err)"

# A bad line in the middle: reported with its line number, kept in the
# reject file, the other 100 records written, exit 1.
{ head -n 50 good.json; echo '{"id": broken'; tail -n 50 good.json; } >mid.json
gha-decode -r rej mid.json >out 2>err
eq "bad line exit" 1 $?
eq "good records kept" 100 "$(lines out)"
grep -q '^gha-decode: mid.json:51: invalid JSON' err || fail "$(cat err)"
eq "reject file" '{"id": broken' "$(cat rej)"
grep -q '100 records, 1 rejected' err || fail "summary: $(cat err)"

# A line over the -L limit is skipped whole and reported.
{ head -n 5 good.json; python3 -c 'print("{\"x\":\"" + "a" * 40000 + "\"}")';
  tail -n 5 good.json; } >long.json
gha-decode -L 32K long.json >out 2>err
eq "long line exit" 1 $?
eq "records around a long line" 10 "$(lines out)"
grep -q 'long.json:6: line longer than 32768 bytes' err || fail "$(cat err)"

# A gzip bomb is refused at the -S limit, after the records before it.
yes "$(head -n 1 good.json)" | head -n 20000 | gzip -1 >bomb.json.gz
lim=$(( $(head -n 1 good.json | wc -c) * 1000 ))
gha-decode -S $lim bomb.json.gz >out 2>err
eq "bomb exit" 3 $?
eq "records before the limit" 1000 "$(lines out)"
grep -q "bomb.json.gz: data inflates past the limit of $lim bytes" err ||
    fail "$(cat err)"
status 0 gha-decode -q -S 0 bomb.json.gz >/dev/null
status 2 gha-decode -S 2P bomb.json.gz 2>/dev/null

# A file that cannot be opened is reported; the next is still read.
gha-decode missing.json good.json >out 2>err
eq "missing file exit" 3 $?
eq "records after a missing file" 100 "$(lines out)"
grep -q '^gha-decode: missing.json: No such file' err || fail "$(cat err)"

# Usage errors exit 2; -h prints usage on stdout and exits 0.
status 2 gha-decode -Z 2>/dev/null
status 2 gha-decode -L 12 good.json 2>/dev/null
gha-decode -h >out || fail "-h"
grep -q '^usage: gha-decode' out || fail "-h output"

# A message is one line whatever the input holds: a newline in a file
# name or a SPEC is shown escaped, so it cannot forge a line in a log.
nl='a
b.json'
printf '{"x":1}\n' >"$nl"
gha-decode "$nl" 2>err >/dev/null
eq "one line per message" 2 "$(lines err)"
grep -q '^gha-decode: a\\nb.json:1: ' err || fail "$(cat err)"
gha-fetch -n "$(printf '2015-01-01\nx')" 2>err >/dev/null
grep -q '^gha-fetch: 2015-01-01\\nx: not a day' err || fail "$(cat err)"
