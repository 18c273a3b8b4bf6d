# Hostile input, each kind given a clear error or stored as data, and
# never more: JSON nested 100,000 deep (under a 256 KB stack), invalid
# UTF-8 and lone surrogates, numbers out of range for their column, huge
# and negative ids, SQL metacharacters in every string field and in the
# database file's name, SPECs and file names with "../", spaces and
# newlines, hour names outside the archive's form.  Expected values are
# the inputs themselves, read back with sqlite3 and jq.  (Over-long lines:
# tests/decode, filter and load bad-input; the scanner against jansson on
# the same edge cases: tests/decode/differential.sh; the 20 GB bombs:
# bomb.sh.)
. "$TESTS/lib.sh"
T='"type":"PushEvent","created_at":"2015-01-01T00:00:00Z"'

# --- nesting 100,000 deep, on a 256 KB stack ----------------------------
python3 - "$T" <<'PY' | flat_fill >deep.json
import sys
t, d = sys.argv[1], 100000
print('{"id":"1",%s,"payload":{"x":%s%s}}' % (t, "[" * d, "]" * d))
print('{"id":"2",%s,"x":%s1%s}' % (t, '{"a":' * d, "}" * d))
print('{"id":"3",%s,"x":%s' % (t, "[" * d))
print('{"id":"4",%s}' % t)
PY
for cmd in "gha-decode deep.json" "gha-decode -p deep.json" \
    "gha-filter -e x.a.a==1 --fields id,x.a deep.json" "gha-load -f deep.json deep.db"; do
	# shellcheck disable=SC2086
	(ulimit -s 256 && exec $cmd) >out 2>err
	eq "$cmd: status" 1 $?
	eq "$cmd: lines rejected" 3 "$(grep -c 'maximum parsing depth' err)"
done
eq "the shallow record after the deep ones" 4 \
    "$(sqlite3 deep.db 'SELECT id FROM events')"

# --- bad UTF-8, surrogates, numbers out of range, ids --------------------
# One record a line: r (rejected, with these words in the message) or s
# (stored as it is), then the line.
ff=$(printf '\377')
sur=$(printf '\355\240\200')
ls2028=$(printf '\342\200\250')
cat >cases <<X
r|lone high surrogate|{"id":"10",$T,"actor_login":"\\ud800"}
r|lone low surrogate|{"id":"11",$T,"actor_login":"\\udc00x"}
r|invalid UTF-8|{"id":"12",$T,"actor_login":"a$ff"}
r|invalid UTF-8|{"id":"13",$T,"repo_name":"$sur"}
r|invalid JSON|{"id":"14",$T,"ref":"a\\u0000b"}
r|integer out of range|{"id":"15",$T,"commits":9223372036854775808}
r|integer out of range|{"id":"16",$T,"actor_id":-9223372036854775809}
r|real number out of range|{"id":"17",$T,"number":1e400}
r|is not an integer|{"id":"18",$T,"push_id":1.5}
r|is not an integer|{"id":"19",$T,"repo_id":"7"}
r|is not a string|{"id":20,$T}
s|-|{"id":"21",$T,"commits":-1,"distinct_commits":-9223372036854775808}
s|-|{"id":"22",$T,"actor_id":9223372036854775807,"repo_id":0,"org_id":-1}
s|-|{"id":"99999999999999999999999999999999999999999",$T}
s|-|{"id":"-5",$T}
s|-|{"id":"tl-ffffffffffffffff",$T}
s|-|{"id":"0x10",$T,"actor_login":"\\ud83d\\ude00 $ls2028"}
X
# Whole records (flat_fill) but for the one thing each line tests.
cut -d'|' -f1,2 cases >cases.kind
cut -d'|' -f3- cases | flat_fill >cases.rec
paste -d'|' cases.kind cases.rec >cases
gha-load -r rej -f cases.rec cases.db 2>err
eq "status" 1 $?
n=0
while IFS='|' read -r k why line; do
	n=$((n + 1))
	[ "$k" = r ] || continue
	grep -aq "^gha-load: cases.rec:$n: .*$why" err ||
	    fail "line $n: no '$why' in: $(grep ":$n:" err)"
done <cases
eq "rejects kept as they were" "$(grep -a '^r' cases | cut -d'|' -f3-)" "$(cat rej)"
# The stored ones, every field as given (jq on both sides).
f='{id, actor_id, actor_login, repo_id, org_id, commits, distinct_commits}'
grep -a '^s' cases | cut -d'|' -f3- | jq -c "$f" | sort >want
sqlite3 -json cases.db 'SELECT * FROM events' | jq -c ".[] | $f" | sort >got
cmp -s want got || fail "stored values: $(diff want got)"

# --- SQL metacharacters: every string field, and the file's name --------
python3 <<'PY' | flat_fill >meta.rec
import json
bad = ["'; DROP TABLE event_store; --", '" OR 1=1 --', "\\'", "a%_*?[]",
       "`x`", "); DELETE FROM events; (", "$(touch pwned)", "\\", "'||'",
       "\u2028\u00e9\"\n\t", "a/b'c", "refs/heads/';--"]
keys = ["id", "type", "actor_login", "repo_name", "org_login", "action",
        "ref", "ref_type", "head", "before", "src"]
for i, _ in enumerate(bad):
    r = {"created_at": "2015-01-0%dT00:00:00Z" % (i % 9 + 1)}
    for j, k in enumerate(keys):
        r[k] = bad[(i + j) % len(bad)] + (str(i) if k == "id" else "")
    print(json.dumps(r))
PY
db="it's; \"a\" db -- x.db"
gha-load -f meta.rec "$db" 2>err || fail "meta load: $(cat err)"
eq "event_store still there" 1 \
    "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'event_store'")"
k=id,type,actor_login,repo_name,org_login,action,ref,ref_type,head,before,src
jq -c "{$k}" meta.rec | sort >want
sqlite3 -json "$db" "SELECT $k FROM events" | jq -c ".[] | {$k}" | sort >got
cmp -s want got || fail "metacharacters not stored as data: $(diff want got | head)"
[ ! -e pwned ] || fail "a string was run"
eq "filter on a metacharacter string" 1 \
    "$(gha-filter -q -c -e "actor_login == \"'; DROP TABLE event_store; --\"" meta.rec)"
gha-load -f meta.rec "$db" 2>err || fail "meta reload"
grep -q " 0 inserted, 12 duplicates" err || fail "meta reload: $(cat err)"

# --- SPECs, file names, hour names --------------------------------------
nl='
'
for s in ../2015-01-01 2015-01-01/../x "2015-01-01 " " 2015-01-01" \
    "2015-01-01${nl}2015-01-02" 2015-01-01-07 2015-01-01-24 2015-02-30 \
    2015-01-01-+1 0000-00-00 99999-01-01 "2015-01-01-1 ..2015-01-02" \
    2015-01-02..2015-01-01 "2015-01-01-1;rm -rf ." ""; do
	gha-fetch -n -d c "$s" >out 2>err
	eq "SPEC '$s'" 2 $?
	grep -q '^gha-fetch: ' err || fail "SPEC '$s': $(cat err)"
	[ ! -s out ] || fail "SPEC '$s' printed a plan"
done
[ ! -e c ] || fail "a bad SPEC made the cache"
# File names: the hour comes from the archive's form of the last
# component only; anything else is read, with src null.
mkdir "a dir"
printf '{"id":"3",%s}\n' "$T" | gzip >"a dir/2015-01-01-3.json.gz"
for f in "x${nl}2015-01-01-4.json.gz" 2015-01-01-07.json.gz \
    2015-01-01-24.json.gz "2015-01-01-5.json.gz${nl}"; do
	cp "a dir/2015-01-01-3.json.gz" "$f"
done
(cd "a dir" && gha-decode -q ../"a dir"/2015-01-01-3.json.gz \
    ../"x${nl}2015-01-01-4.json.gz" ../2015-01-01-07.json.gz \
    ../2015-01-01-24.json.gz "../2015-01-01-5.json.gz${nl}") >out ||
    fail "odd file names"
eq "src from names" '"2015-01-01-3" null null null null' \
    "$(jq -c .src out | paste -sd' ')"
printf '%s\n' "$PWD/a dir/2015-01-01-3.json.gz" | gha-decode -q >out ||
    fail "a path with a space on stdin"
eq "src from a listed path" '"2015-01-01-3"' "$(jq -c .src out)"
# The ledger's hours and days.
for h in 2015-01-01-07 2015-01-01-24 ../2015-01-01-1 2015-02-30-1 \
    "2015-01-01-1'; DROP TABLE archive_hours; --" +2015-01-01-1 2015-01-01; do
	printf '{"hour":"%s","status":"loaded"}\n' "$h" | gha-load -H l.db 2>err
	eq "hour '$h'" 1 $?
	grep -q '^gha-load: <stdin>:1: hour: want YYYY-MM-DD-H' err ||
	    fail "hour '$h': $(cat err)"
done
for d in 2015-1-1 2015-01-01-1 "2015-01-01'" 2015-13-01; do
	printf '{"day":"%s","final":1}\n' "$d" | gha-load -H l.db 2>err
	eq "day '$d'" 1 $?
done
eq "nothing stored" "" "$(gha-load -Q l.db)"
