# current: gha-load's whole ClickHouse session (schema, views, probes,
# inserts, ledger) replayed on a current ClickHouse gives the same rows
# in every view as on 18.16, the server the other tests run.
#
# Users run ClickHouse 23 and later; Debian packages only 18.16.  A
# current engine is at hand as chDB's libchdb.so (npm's chdb package,
# which scripts/install-deps puts under /opt/gha-chdb; GHA_LIBCHDB names
# another copy), driven by tests/chdbq.c.  gha-load talks to a real 18.16
# through record.py, which keeps every request it passes on as the
# statement ClickHouse reads (the query, then the body: RowBinary rows,
# the ledger's JSONEachRow); chdbq then runs those statements, in order,
# on the current engine, so each DDL statement and each view is the very
# text gha-load sends.  The records are parity.sh's (records.subr),
# parity.sh shows 18.16's views equal SQLite's, and here the current
# engine's equal 18.16's, sorted TSV with names, NULLs included; the
# distinct (id, created_at) count from jq and the 12 members of the
# synthetic repo big/r are checked on the current engine by themselves.
# Every row is then stored twice behind both engines' backs, and the
# views must not change.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
. "$TESTS/clickhouse/records.subr"
LIBCHDB=${GHA_LIBCHDB:-/opt/gha-chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so}
[ -f "$LIBCHDB" ] || skip "no libchdb.so at $LIBCHDB (npm's chdb package)"
command -v chdbq >/dev/null || fail "chdbq is not built (make testbin)"

parity_records
want=$(jq -r '[.id, .created_at] | @tsv' recs | sort -u | wc -l | tr -d ' ')

ch_start
python3 "$TESTS/clickhouse/record.py" --upstream "$CH_URL" --dir sent \
    --port-file proxy.port --lifetime 600 &
PROXY_PID=$!
trap 'kill "$PROXY_PID" 2>/dev/null; ch_kill' EXIT
wait_port proxy.port record.py
P=http://127.0.0.1:$PORT

# A batch of 10,000 makes several probes and INSERTs, not one.
gha-load -q --batch 10000 "$P/gha" <recs || fail "load through record.py"
parity_ledger
gha-load -H "$P/gha" <ledger || fail "-H through record.py"
gha-load -H "$P/gha" <ledger2 || fail "-H through record.py (second)"
# A second load of the same records: probes only, nothing inserted.
gha-load "$P/gha" <recs 2>err2 || fail "second load through record.py"
grep -q " 0 inserted" err2 || fail "reload inserted rows: $(cat err2)"
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null

# Every request reached 18.16 and succeeded, with nothing beyond the
# query in its URL that the replay would lose.
[ -s sent/log ] || fail "record.py kept no request"
awk '$2 != 200 || $3 != "-"' sent/log >bad
[ ! -s bad ] || fail "requests the replay cannot repeat: $(head -3 bad)"
ls sent/*.sql >stmts
# (A pass of ch_rollup.c makes a staging table of its own: not schema.)
ddl=$(for f in $(cat stmts); do head -c 48 "$f"; echo; done |
    grep '^CREATE ' | grep -Evc '^CREATE TABLE (IF NOT EXISTS )?gha\.agg_stage_')
nins=$(for f in $(cat stmts); do head -c 12 "$f"; echo; done |
    grep -c '^INSERT INTO ')
[ "$nins" -gt 4 ] || fail "only $nins INSERTs recorded"
# gha-load opened the target three times (load, two -H, load): the
# schema each time, so the first of four is the whole of it.
[ $((ddl % 4)) -eq 0 ] || fail "$ddl CREATE statements, not 4 times the schema"
views=$(for f in $(grep -l '^CREATE VIEW' $(cat stmts)); do
	{ cat "$f"; echo; } |
	    sed -n 's/^CREATE VIEW IF NOT EXISTS gha\.\([a-z_]*\) AS .*/\1/p'
done | sort -u)
nviews=$(echo "$views" | wc -l | tr -d ' ')
for v in events actor_daily dev_daily devs_more_than_one_commit_daily \
    devs_less_than_one_commit_daily repos_more_than_ten_members_daily \
    devs_owning_multiple_repos daily_coverage daily_summary; do
	echo "$views" | grep -qx "$v" || fail "no CREATE VIEW of $v recorded"
done

# The same copies on both engines: every row stored a second time.
dup='INSERT INTO gha.event_store SELECT * FROM gha.event_store'
ch_q "SYSTEM STOP MERGES gha.event_store"
ch_q "$dup"
printf '%s' "$dup" >z1.sql
printf 'SELECT count() FROM gha.events' >z2.sql
printf 'SELECT count() FROM gha.event_store' >z3.sql
printf "SELECT members FROM gha.repos_more_than_ten_members_daily \
WHERE repo_name = 'big/r'" >z4.sql
q=
for v in $views; do
	printf 'SELECT * FROM gha.%s FORMAT TSVWithNames' "$v" >"v_$v.sql"
	q="$q v_$v.sql"
done
# shellcheck disable=SC2046,SC2086
chdbq "$LIBCHDB" "$PWD/chdb" $(cat stmts) z1.sql z2.sql z3.sql z4.sql \
    $q 2>chdbq.err || fail "on the current engine: $(tail -n 3 chdbq.err)"
version=$(sed -n 's/^version //p' chdbq.err)
eq "distinct events on $version" "$want" "$(cat z2.sql.out)"
eq "raw rows on $version" "$((2 * want))" "$(cat z3.sql.out)"
eq "members of big/r on $version" "12" "$(cat z4.sql.out)"

for v in $views; do
	ch_qr "SELECT * FROM gha.$v FORMAT TSVWithNames" |
	    LC_ALL=C sort >"$v.18"
	LC_ALL=C sort "v_$v.sql.out" >"$v.now"
	same_rows "$v" "$v.18" "$v.now" "18.16 and $version"
done
grep -q '	\\N	\\N	\\N	\\N	[0-9]*	[0-9]*	[0-9]*	[0-9]*	[0-9]*	[0-9]*	\\N	\\N	\\N$' daily_summary.now ||
    fail "no day without a ledger row in daily_summary"
echo "$(lines stmts) statements of gha-load ($ddl CREATE) ran on" \
    "ClickHouse $version; $nviews views equal 18.16's" >&2
exit 0
