# stdin may hold gzip data, NDJSON events, or a list of paths as gha-fetch
# prints them; all three give the same records (src only from a path).
. "$TESTS/lib.sh"
sample_hours	# the real hours, or generated ones of the same sizes
f=$PWD/2015-01-01-4.json.gz
gha-decode -q "$f" >want
gha-decode -q <"$f" >gz || fail "gzip on stdin"
zcat "$f" | gha-decode -q >plain || fail "NDJSON on stdin"
echo "$f" | gha-decode -q >list || fail "list on stdin"
eq "list of paths" "$(cat want)" "$(cat list)"
eq "gzip stdin count" 5869 "$(lines gz)"
jq -c 'del(.src)' want >want.nosrc
eq "gzip on stdin" "$(cat want.nosrc)" "$(jq -c 'del(.src)' gz)"
eq "NDJSON on stdin" "$(cat want.nosrc)" "$(jq -c 'del(.src)' plain)"
eq "no src on stdin" null "$(jq -r .src gz | sort -u)"
eq "src from path" 2015-01-01-4 "$(jq -r .src list | sort -u)"
# "-" is stdin, named <stdin> in messages.
printf '{"bad"\n' | gha-decode - 2>err >/dev/null
grep -q '^gha-decode: <stdin>:1: ' err || fail "$(cat err)"
# A list naming a missing file: reported, the others still decoded.
printf '%s\n/nonexistent/2015-01-01-9.json.gz\n%s\n' "$f" "$f" |
    gha-decode -q >twice
eq "exit with a missing listed file" 3 $?
eq "records from the good paths" $((2 * 5869)) "$(lines twice)"
# -p passes the original events through, validated.
zcat "$f" | head -n 20 >orig
printf 'not json\n' >>orig
gha-decode -p orig >pass 2>/dev/null
eq "pass-through exit" 1 $?
eq "pass-through" "$(head -n 20 orig)" "$(cat pass)"
