# Lines that are not loadable records are reported as FILE:LINE, counted,
# kept with -r, and never stop the good records around them; exit 1.
# Every good line here is a real record from a 2015 sample hour.
. "$TESTS/lib.sh"
. "$TESTS/load/views.subr"
sample_hours
gha-decode -q 2015-01-01-3.json.gz | head -n 50 >good.rec
[ "$(lines good.rec)" -eq 50 ] || fail "no sample records"
# bad.rec: good lines 1-10, then one bad line after each further ten good
# ones; the bad kinds are listed in order with the message expected.
# Each bad record is whole (every key, flat_fill) but for its one fault.
cat >kinds.in <<'X'
{"id":null,"type":"PushEvent","created_at":"2015-01-01T03:00:00Z"}	no "id"
{"id":"","created_at":"2015-01-01T03:00:00Z"}	no "id"
{"id":"1","type":"PushEvent","created_at":null}	no "created_at"
{"id":"1","created_at":"yesterday"}	"created_at" is not a time
{"id":"1","created_at":"2015-13-01T03:00:00Z"}	"created_at" is not a time
{"id":1,"created_at":"2015-01-01T03:00:00Z"}	"id" is not a string
{"id":"1","created_at":"2015-01-01T03:00:00Z","commits":"3"}	"commits" is not an integer
{"id":"1","created_at":"2015-01-01T03:00:00Z","actor_login":7}	"actor_login" is not a string
{"id":"1","created_at":"2015-01-01T03:00:00Z","public":"yes"}	"public" is not true or false
{"id":"1","created_at":"2015-01-01T03:00:00Z","commits":1.5}	"commits" is not an integer
{"id":"1","created_at":"2015-01-01T03:00:00Z"	
not json at all	
	
[1,2,3]	
X
cut -f 1 kinds.in | flat_fill >kinds.obj
cut -f 2 kinds.in | paste kinds.obj - >kinds
nbad=$(lines kinds)
# want.lines gets the line number of each bad line as it is written.
awk -F '\t' 'NR == FNR { bad[NR] = $1; next }
    function put(i) { print bad[i]; print ++n >"want.lines" }
    { print; n++ } FNR % 10 == 0 && (FNR / 10) in bad { put(FNR / 10) }
    END { for (i = FNR / 10 + 1; i in bad; i++) put(i) }' \
    kinds good.rec >bad.rec
eq "lines" $((50 + nbad)) "$(lines bad.rec)"
status 1 gha-load -r rejected.rec -f bad.rec bad.db 2>err
# Each bad line is reported with its own file and line number, in order.
awk -F '\t' '{ print $1 }' kinds >want.rejected
cmp -s want.rejected rejected.rec || fail "rejects file: $(diff want.rejected rejected.rec)"
eq "bad lines" "$nbad" "$(lines want.lines)"
grep '^gha-load: bad.rec:' err | cut -d: -f3 >got.lines
cmp -s want.lines got.lines || fail "line numbers: $(paste want.lines got.lines)"
# The messages say what is wrong, for the kinds that have one.
awk -F '\t' '$2 != "" { print $2 }' kinds | while IFS= read -r m; do
	grep -qF "$m" err || fail "no message '$m' in: $(cat err)"
done
grep -q "^gha-load: $((50 + nbad)) read, 50 inserted, 0 duplicates, $nbad rejected$" \
    err || fail "summary: $(cat err)"
eq "good records stored" 50 "$(count bad.db)"
eq "the good ones" "$(jq -r .id good.rec | sort)" \
    "$(sqlite3 bad.db 'SELECT id FROM events' | sort)"

# stdin is <stdin>; -q reports nothing but the status still tells.
gha-load -f - bad.db <bad.rec 2>err
eq "stdin status" 1 $?
grep -q '^gha-load: <stdin>:11: record has no "id"$' err ||
    fail "stdin report: $(cat err)"
status 1 gha-load -q bad.db <bad.rec 2>err
[ ! -s err ] || fail "-q printed: $(cat err)"

# A bad file among good ones: reported, the others loaded, exit 3.
gha-load -f good.rec -f missing.rec -f bad.rec other.db 2>err
eq "missing file status" 3 $?
grep -q 'missing.rec' err || fail "missing file not named: $(cat err)"
eq "loaded around it" 50 "$(count other.db)"

# A line over -L is rejected, not loaded in part.
{ head -n 1 good.rec; printf '{"id":"9","created_at":"2015-01-01T03:00:00Z","ref":"%02000d"}\n' 0 |
    flat_fill; } >long.rec
status 1 gha-load -L 1K -f long.rec long.db 2>err
grep -q '^gha-load: long.rec:2: line longer than 1024 bytes' err ||
    fail "long line: $(cat err)"
eq "long" 1 "$(count long.db)"
