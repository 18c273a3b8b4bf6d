# The bad-input corpus: every damaged input is rejected cleanly, named as
# FILE:LINE, counted and kept aside with -R, exit 1 (3 for a damaged or
# missing file), and every good line around the damage still passes.  The
# good lines' counts come from the input itself (head/tail/grep), not from
# gha-filter.
. "$TESTS/lib.sh"
sample_hours	# the real 2015-01-01-1, or a generated one
src=2015-01-01-1.json.gz
zcat "$src" | head -n 100 >good.json
gzip -c good.json >good.json.gz
pushes=$(grep -c '"type":"PushEvent"' good.json)

# Empty input: nothing selected, success.
: >empty.json
status 0 gha-filter empty.json >out 2>err
eq "empty input" 0 "$(lines out)"
grep -q '0 records, 0 selected' err || fail "empty summary: $(cat err)"
eq "empty count" 0 "$(gha-filter -q -c <empty.json)"

# One to three bytes of junk: one rejected line each, exit 1, on files
# and on stdin (named <stdin>).
for junk in '{' '{}x' 'ab' '"' '[]' '1'; do
	printf '%s' "$junk" >junk.json
	gha-filter -t PushEvent junk.json >out 2>err
	eq "junk '$junk' exit" 1 $?
	grep -q '^gha-filter: junk.json:1: ' err || fail "junk: $(cat err)"
	eq "junk '$junk' output" 0 "$(lines out)"
	gha-filter <junk.json >out 2>err
	eq "junk '$junk' on stdin" 1 $?
	grep -q '^gha-filter: <stdin>:1: ' err || fail "stdin: $(cat err)"
done
# '{}' is a valid, empty object: it passes when nothing is asked of it.
printf '{}' | gha-filter >out 2>/dev/null || fail "{} rejected"
eq "{}" '{}' "$(cat out)"

# Bad lines in the middle: invalid JSON, a run of NUL bytes, an empty line,
# invalid UTF-8, a cut-off object.  Each is reported with its line number
# and kept in the reject file; all 100 good lines pass.
{ head -n 20 good.json; echo '{"id": broken'
  head -n 40 good.json | tail -n 20; printf '\0\0\0\0\0\0\0\0\n'
  head -n 60 good.json | tail -n 20; echo
  head -n 80 good.json | tail -n 20; printf '{"type":"\377"}\n'
  tail -n 20 good.json; printf '{"type":"PushEv'; } >mid.json
gha-filter --rejects rej mid.json >out 2>err
eq "bad lines exit" 1 $?
eq "good lines kept" 100 "$(lines out)"
cmp -s out good.json || fail "good lines changed"
for l in 21 42 63 84 105; do
	grep -q "^gha-filter: mid.json:$l: invalid JSON" err ||
	    fail "line $l not reported: $(cat err)"
done
eq "reject file lines" 5 "$(lines rej)"
eq "reject file first" '{"id": broken' "$(head -n 1 rej)"
eq "NUL run kept" 8 "$(sed -n 2p rej | tr -cd '\0' | wc -c | tr -d ' ')"
grep -q '100 records, 100 selected, 0 duplicates, 5 rejected lines' err ||
    fail "summary: $(cat err)"
# The same with a predicate, in one thread and in two, and -q.
eq "pushes among bad lines" "$pushes" \
    "$(gha-filter -q -c -t PushEvent mid.json)"
gha-filter -j 1 -t PushEvent mid.json >out1 2>err1
gha-filter -j 2 -t PushEvent mid.json >out2 2>err2
cmp -s out1 out2 || fail "-j 1 and -j 2 differ"
cmp -s err1 err2 || fail "-j 1 and -j 2 report differently"
gha-filter -q mid.json >/dev/null 2>err
eq "-q exit" 1 $?
eq "-q is quiet" "" "$(cat err)"

# A truncated gzip stream: an error naming the file, exit 3, after every
# complete line before the damage passed.
truncated_gzip gha-filter
head -n "$N" good.json | cmp -s - out || fail "lines before the damage"

# Trailing garbage after the gzip member; a .gz that is not gzip.
{ cat good.json.gz; printf 'garbage'; } >trail.json.gz
gha-filter trail.json.gz >out 2>err
eq "trailing garbage exit" 3 $?
eq "lines before garbage" 100 "$(lines out)"
cp good.json notgz.json.gz
gha-filter notgz.json.gz good.json >out 2>err
eq "not gzip exit" 3 $?
grep -q 'notgz.json.gz: not gzip data' err || fail "$(cat err)"
eq "next file still read" 100 "$(lines out)"

# A line over -L is skipped whole and reported; a missing file too.
{ head -n 5 good.json; python3 -c 'print("{\"x\":\"" + "a" * 40000 + "\"}")'
  tail -n 5 good.json; } >long.json
gha-filter -L 32K -j 2 long.json >out 2>err
eq "long line exit" 1 $?
eq "lines around a long line" 10 "$(lines out)"
grep -q 'long.json:6: line longer than 32768 bytes' err || fail "$(cat err)"
gha-filter missing.json good.json >out 2>err
eq "missing file exit" 3 $?
eq "lines after a missing file" 100 "$(lines out)"
grep -q '^gha-filter: missing.json: No such file' err || fail "$(cat err)"

# More than 100 bad lines in a file: 100 reported, the rest counted.
awk 'BEGIN { for (i = 0; i < 150; i++) print "x" }' >many.json
gha-filter many.json 2>err
eq "many bad exit" 1 $?
eq "reported" 100 "$(grep -c 'many.json:[0-9]*: invalid' err)"
grep -q 'many.json: 50 more rejected lines not shown' err || fail "$(cat err)"

# Usage errors exit 2 and name the option; -h prints usage, exit 0.
for bad in "-Z" "-j 0" "-j 65" "-L 12" "-M 1K" "-e foo" "-e a==" \
    "-e x~(" "-t ," "--repo a,,b" "--fields a..b" "--fields id,,x" "--since yesterday" \
    "--until 2015-13-01" "-b -B"; do
	# shellcheck disable=SC2086
	gha-filter $bad good.json >/dev/null 2>err
	eq "usage '$bad'" 2 $?
	grep -q '^usage: gha-filter' err || fail "no usage for $bad"
done
# A --fields key that is not UTF-8 would make invalid JSON: refused.
gha-filter --fields "$(printf 'a\377')" good.json >/dev/null 2>err
eq "--fields not UTF-8" 2 $?
grep -q 'not a UTF-8 key' err || fail "$(cat err)"
gha-filter -h >out || fail "-h"
grep -q '^usage: gha-filter \[-BbchiquV\]' out || fail "-h output"
# The usage is the man page's SYNOPSIS, word for word.
syn=$(mandoc -Tutf8 "$ROOT/man/gha-filter.1" 2>/dev/null | col -b |
    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' |
    tr '\t\n' '  ' | tr -s ' ' | sed 's/^ //; s/ $//')
use=$(awk '/^  [^ ]/ { exit } { print }' out | sed 's/^usage: //' | tr '\t\n' '  ' | tr -s ' ' |
    sed 's/^ //; s/ $//')
if command -v mandoc >/dev/null; then
	eq "usage = SYNOPSIS" "$syn" "$use"
fi

# A write error on stdout is an error, not success.
if [ -w /dev/full ]; then
	gha-filter good.json >/dev/full 2>err
	eq "write error exit" 4 $?
	grep -q 'write error' err || fail "$(cat err)"
fi
