# not-ndjson: a file that is not NDJSON at all -- a pretty-printed JSON
# document, a JSON array, the SQLite database itself -- is one damaged
# input to gha-decode, gha-filter and gha-load alike: one message naming
# the file and what it is, exit 3, nothing written, not a message per line.
. "$TESTS/lib.sh"
sample_hours
zcat 2015-01-01-12.json.gz | head -n 50 >ev.json
jq . ev.json >pretty.json
jq -s . ev.json >array.json
gha-decode ev.json | gha-load -q db.sqlite || fail "load"
[ "$(wc -c <db.sqlite)" -gt 4096 ] || fail "no database"

check() {	# TOOL FILE WHAT
	"$1" "$2" >out 2>err
	eq "$1 $2: exit" 3 $?
	eq "$1 $2: output" 0 "$(wc -c <out | tr -d ' ')"
	grep -qF "$1: $2: not NDJSON: $3" err ||
	    fail "$1 $2: message: $(head -n 3 err)"
	eq "$1 $2: lines said" 2 "$(lines err)"	# that one and the summary
}
for tool in gha-decode gha-filter; do
	check $tool pretty.json "one object per line (pretty-printed JSON?"
	check $tool array.json "one object per line (a JSON array?"
	check $tool db.sqlite "an SQLite database"
done
# gha-load names its input -f FILE, or <stdin>.
gha-load -f db.sqlite other.db >out 2>err
eq "gha-load -f db.sqlite: exit" 3 $?
grep -qF "gha-load: db.sqlite: not NDJSON: an SQLite database" err ||
    fail "gha-load: message: $(head -n 3 err)"
eq "gha-load: lines said" 2 "$(lines err)"
eq "gha-load: events stored" 0 \
    "$(sqlite3 other.db 'SELECT count(*) FROM events')"
