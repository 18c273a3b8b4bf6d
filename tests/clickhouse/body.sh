# body: the rows gha-load sends (RowBinary, plain to this loopback server,
# gzip with GHA_CLICKHOUSE_GZIP=1) are stored exactly as the server's own
# JSON parser stores the same records: every column, NULLs, escapes and
# non-ASCII text, negative and 64-bit integers, booleans.  Batches of 50
# records (-b 50), the last one holding an in-batch copy.  The rows wait
# in a temporary file in TMPDIR that nobody else sees and that is gone
# at the end; a TMPDIR that cannot take it stops the load, naming it.  A
# bad GHA_CLICKHOUSE_GZIP is refused before anything is sent.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
sample_hours	# the real hours, or generated ones

gha-decode -q 2015-01-01-4.json.gz |
    head -n 1500 >recs || fail "decode"
# Records the samples lack: every kind of odd value, one per line.
flat_fill >>recs <<'JSON'
{"id":"x\"\\\/\b\f\n\r\t\u0001\u00e9\ud83d\ude00","type":"PushEvent","created_at":"2016-03-01T00:00:00Z","actor_id":-9223372036854775808,"actor_login":"\u4e2d\u6587","repo_id":9223372036854775807,"repo_name":"a/b","org_id":0,"org_login":"","action":"","ref":"refs/heads/\u00fc","ref_type":null,"push_id":-1,"commits":0,"distinct_commits":null,"head":null,"before":"\\","number":-42,"public":false,"src":null}
{"id":"y","type":null,"created_at":"1970-01-01T00:00:00Z","actor_id":null,"actor_login":null,"repo_id":null,"repo_name":null,"org_id":null,"org_login":null,"action":null,"ref":null,"ref_type":null,"push_id":null,"commits":null,"distinct_commits":null,"head":null,"before":null,"number":null,"public":null,"src":null}
{"id":"z","created_at":"2106-02-07T06:28:15Z","public":true}
JSON
total=$(lines recs)
# Copies inside one batch of 50: the last line again, right after it.
tail -n 1 recs >>recs

ch_start
cols='id, type, created_at, actor_id, actor_login, repo_id, repo_name,
org_id, org_login, action, ref, ref_type, push_id, commits,
distinct_commits, head, `before`, number, public, src'
# The reference: the server parses the JSON itself (booleans as 0/1,
# which 18.16 wants), into a copy of gha-load's table.
gha-load -q "$CH_URL/ref" </dev/null || fail "schema"
sed 's/"public":true/"public":1/; s/"public":false/"public":0/' recs >rows
q=$(printf 'INSERT INTO ref.event_store (%s) FORMAT JSONEachRow' \
    "$(echo $cols)" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')
curl -sS --fail-with-body --data-binary @rows \
    "$CH_URL/?date_time_input_format=best_effort&query=$q" ||
    fail "the reference insert"

dump() {
	ch_q "SELECT $cols FROM $1.event_store ORDER BY created_at, id
	    FORMAT TabSeparated" >"$2"
}
dump ref want
# One copy was sent to the reference on purpose: gha-load stores it once.
eq "reference rows" $((total + 1)) "$(lines want)"
sort -u want >want.u
mkdir tmp
for gz in 0 1; do
	TMPDIR=$PWD/tmp GHA_CLICKHOUSE_GZIP=$gz \
	    gha-load --batch 50 "$CH_URL/g$gz" <recs 2>err ||
	    fail "load, GHA_CLICKHOUSE_GZIP=$gz: $(cat err)"
	grep -q "^gha-load: $((total + 1)) read, $total inserted, 1 duplicate, 0 rejected$" err ||
	    fail "GHA_CLICKHOUSE_GZIP=$gz: $(cat err)"
	dump g$gz got$gz
	sort got$gz >got.s
	cmp -s want.u got.s || { diff want.u got.s | head >&2
		fail "GHA_CLICKHOUSE_GZIP=$gz: rows differ from the server's"; }
done
eq "files left in TMPDIR" "" "$(ls -A tmp)"
# Unset: plain to this loopback server; the same rows.
gha-load "$CH_URL/auto" <recs 2>err || fail "load: $(cat err)"
dump auto got
cmp -s got0 got || fail "the default body stored other rows"

GHA_CLICKHOUSE_GZIP=yes gha-load "$CH_URL/bad" <recs 2>err
eq "bad GHA_CLICKHOUSE_GZIP exit" 4 $?
grep -q "GHA_CLICKHOUSE_GZIP: want 0 or 1" err || fail "$(cat err)"
eq "nothing made" 0 "$(ch_q "SELECT count() FROM system.databases WHERE name = 'bad'")"

TMPDIR=$PWD/nowhere gha-load "$CH_URL/notmp" <recs 2>err
eq "TMPDIR missing exit" 4 $?
grep -q "nowhere/gha-load\.......: No such file" err || fail "$(cat err)"
