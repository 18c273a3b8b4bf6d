# gha-decode given what is not an archive hour says so plainly: flat
# records (its own output) are refused, three reported and the rest
# summed up, nothing written for them, exit 1, while raw events beside
# them are decoded as ever; a 0-byte .json.gz is damaged (exit 3), as
# gzip -t says; a pretty-printed JSON file or array gets one message for
# the whole file (exit 3), in gha-decode and in gha-load alike.  Inputs
# are generated (gha-gen), counts from wc and jq.
. "$TESTS/lib.sh"
gha-gen -n 800 -s 3 2015 >raw15
gha-gen -n 600 -s 3 2026 >raw26
gha-decode -q raw15 raw26 >recs || fail "decode"
n=$(lines recs)
eq "records" 1400 "$n"

# Its own output, fed back.
gha-decode recs >out 2>err
eq "records fed back: exit" 1 $?
eq "records fed back: written" 0 "$(lines out)"
for i in 1 2 3; do
	grep -qxF "gha-decode: recs:$i: not an archive event (already decoded?)" \
	    err || fail "line $i: $(head -n 4 err)"
done
grep -qx "gha-decode: recs: $((n - 3)) more lines not shown: flat records, decoded already (gha-load reads them)" \
    err || fail "no sum: $(cat err)"
grep -qx "gha-decode: 0 records, $n rejected lines, 1 file, 0 damaged or unreadable" \
    err || fail "summary: $(tail -n 1 err)"
eq "lines said" 5 "$(lines err)"
# On stdin, and kept with -r as they were read.
gha-decode -q -r rej <recs >out
eq "stdin: exit" 1 $?
eq "stdin: written" 0 "$(lines out)"
cmp -s recs rej || fail "-r: the records not kept as they were"
# Interleaved with raw events: the events decoded, in order, the records
# refused; a projection of records is refused too.
paste -d '\n' raw15 recs | sed '/^$/d' >mixed
gha-decode -q mixed >out
eq "mixed: exit" 1 $?
gha-decode -q raw15 | cmp -s - out || fail "mixed: not the events' records"
gha-filter -q --fields id,actor_login,created_at recs | gha-decode -q >out
eq "projection: exit" 1 $?
eq "projection: written" 0 "$(lines out)"

# A 0-byte .json.gz: damaged, as gzip -t says; plain and empty is fine.
: >2015-01-01-5.json.gz
gzip -t 2015-01-01-5.json.gz 2>/dev/null && fail "gzip -t passed it"
gha-decode 2015-01-01-5.json.gz >out 2>err
eq "empty .gz: exit" 3 $?
grep -q '^gha-decode: 2015-01-01-5.json.gz: .*unexpected end of file' err ||
    fail "empty .gz: $(cat err)"
grep -q ' 1 damaged or unreadable$' err || fail "empty .gz count: $(cat err)"
gha-load -f 2015-01-01-5.json.gz e.db 2>err
eq "empty .gz into gha-load: exit" 3 $?
grep -q 'unexpected end of file' err || fail "gha-load: $(cat err)"
: >empty.json
status 0 gha-decode -q empty.json

# Pretty-printed: one message for the file, nothing written, exit 3.
head -n 30 raw15 | jq . >pretty.json
head -n 30 raw15 | jq -s . >array.json
[ "$(lines pretty.json)" -gt 1000 ] || fail "not pretty: $(lines pretty.json)"
obj='not NDJSON: one object per line (pretty-printed JSON? jq -c . makes NDJSON of it)'
arr="not NDJSON: one object per line (a JSON array? jq -c '.[]' makes NDJSON of it)"
for tool in gha-decode gha-load; do
	for f in pretty.json array.json; do
		m=$obj
		[ $f = array.json ] && m=$arr
		if [ $tool = gha-decode ]; then
			$tool $f >out 2>err
		else
			$tool -f $f p.db >out 2>err
		fi
		eq "$tool $f: exit" 3 $?
		eq "$tool $f: output" 0 "$(lines out)"
		grep -qxF "$tool: $f: $m" err || fail "$tool $f: $(head -n 3 err)"
		eq "$tool $f: lines said" 2 "$(lines err)"
		$tool <$f >out 2>err
		eq "$tool <$f: exit" 3 $?
		grep -qxF "$tool: <stdin>: $m" err || fail "$tool <$f: $(head -n 3 err)"
	done
done
eq "nothing stored" 0 "$(sqlite3 p.db 'SELECT count(*) FROM events')"
# The next file is still read; compact JSON of the same events decodes.
gha-decode -q pretty.json raw26 >out
eq "the next file: exit" 3 $?
eq "the next file: records" 600 "$(lines out)"
jq -c . pretty.json | gha-decode -q >out
eq "jq -c of it" 30 "$(lines out)"
# A lone '{' that is all the input is one bad line, not a pretty file.
printf '{\n' | gha-decode >out 2>err
eq "lone brace: exit" 1 $?
grep -q '^gha-decode: <stdin>:1: invalid JSON' err || fail "lone brace: $(cat err)"
echo "$n records refused, 0 written; empty .gz, pretty file and array each said once"
