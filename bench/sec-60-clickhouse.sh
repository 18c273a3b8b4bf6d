# bench/sec-60-clickhouse.sh - gha-load into ClickHouse against
# clickhouse-client fed the same rows (issue 5).
#
# A throwaway clickhouse-server (tests/clickhouse/server.subr) in a scratch
# folder; the rows: the flat records of a generated 2024-shaped day (24
# hours of 50,000 events; 2,000 under BENCH_QUICK).  The baseline is
# `clickhouse-client --query 'INSERT INTO t (columns) FORMAT JSONEachRow'`
# (the native protocol, a straight insert) fed the same records as gha-load
# would send them as JSON (booleans as 0/1, made beforehand), into a new
# copy of gha-load's own table.  Then gha-load into an empty database
# (made beforehand, as the baseline's table is; gha-load reads back the
# stored identities of each batch's time range and sends the missing rows
# in RowBinary over HTTP, plain to this loopback server), the same with
# GHA_CLICKHOUSE_GZIP=1 (the body gzipped, as to a remote server: what
# compression costs where it does not pay), and the same rows again
# (every one a duplicate).  Most of the work is the server's, whose CPU
# time is not counted: the run with the least wall time is kept and the
# ratios compare wall time.  Targets: gha-load's rows/s >= clickhouse-
# client's, peak RSS < 32 MB.  Skipped, with a note, when
# clickhouse-server is absent.
. "$BENCH/lib.sh"

if ! command -v clickhouse-server >/dev/null ||
    ! command -v clickhouse-client >/dev/null; then
	bench_log "clickhouse: clickhouse-server or -client absent, skipped"
	bench_note "clickhouse: skipped, clickhouse-server or" \
	    "clickhouse-client is not installed"
	exit 0
fi
bench_day_records clickhouse || exit 1
rows=$((24 * n))
cd "$W" || exit 1
TESTS=$ROOT/tests
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
bench_log "clickhouse: starting a server"
ch_start
trap 'ch_kill; cd /; rm -rf "$W"' EXIT
BENCH_KEEP=wall
ver=$(ch_q 'SELECT version()')
bench_note "clickhouse, $label: $rows rows into clickhouse-server $ver" \
    "(a throwaway one, tests/clickhouse/server.subr)"

sed 's/"public":true/"public":1/; s/"public":false/"public":0/' "$recs" \
    >"$W/rows"
cols='id, type, created_at, actor_id, actor_login, repo_id, repo_name,
org_id, org_login, action, ref, ref_type, push_id, commits,
distinct_commits, head, `before`, number, public, src'
# Each run loads into a new, empty table (or database) made beforehand,
# so that the time is the loading alone; cseq and gseq count them.
gha-load -q "$CH_URL/schema" </dev/null ||
    bench_die "clickhouse: gha-load could not make the schema"
i=0
while [ $i -lt "$BENCH_RUNS" ]; do
	i=$((i + 1))
	ch_q "CREATE TABLE c$i AS schema.event_store" >/dev/null
	gha-load -q "$CH_URL/g$i" </dev/null ||
	    bench_die "clickhouse: gha-load could not make g$i"
	gha-load -q "$CH_URL/z$i" </dev/null ||
	    bench_die "clickhouse: gha-load could not make z$i"
done
echo 0 >"$W/cseq"
echo 0 >"$W/gseq"
echo 0 >"$W/zseq"
echo "INSERT INTO TABLE ($cols) FORMAT JSONEachRow" >"$W/insert.sql"

# ch_count TABLE: TABLE must hold every row.
ch_count() {
	_c=$(ch_q "SELECT count() FROM $1")
	[ "$_c" = "$rows" ] || bench_die "clickhouse: $1 holds $_c, not $rows"
}

bench_log "clickhouse: $label: clickhouse-client"
bench_measure "i=\$((\$(cat cseq) + 1)) && echo \$i >cseq &&
    clickhouse-client --port $CH_TCP --date_time_input_format=best_effort \
	--query \"\$(sed s/TABLE/c\$i/ insert.sql)\" <rows"
ch_count "c$(cat cseq)"
cw=$M_WALL
bench_row clickhouse "$label" \
    "clickhouse-client INSERT FORMAT JSONEachRow (empty table)" $rows \
    baseline ""

chrow() {
	_rate=$(bench_fmt "$rows / $M_WALL")
	_crate=$(bench_fmt "$rows / $cw")
	_mb=$(bench_fmt "$M_RSS / 1024" 1)
	bench_row clickhouse "$label" "$1" $rows \
	    "wall $(bench_ratio "$M_WALL" "$cw")x clickhouse-client" \
	    "$_rate rows/s >= client's $_crate $(bench_check "$_rate" '>=' "$_crate"), RSS < 32 MB $(bench_check "$_mb" '<' 32)"
}

bench_log "clickhouse: $label: gha-load"
bench_measure "i=\$((\$(cat gseq) + 1)) && echo \$i >gseq &&
    gha-load -f '$recs' '$CH_URL/g'\$i"
ch_count "g$(cat gseq).events"
chrow "gha-load (empty database)"

bench_log "clickhouse: $label: gha-load, gzip body"
bench_measure "i=\$((\$(cat zseq) + 1)) && echo \$i >zseq &&
    GHA_CLICKHOUSE_GZIP=1 gha-load -f '$recs' '$CH_URL/z'\$i"
ch_count "z$(cat zseq).events"
bench_row clickhouse "$label" \
    "gha-load, body gzipped (GHA_CLICKHOUSE_GZIP=1, empty database)" $rows \
    "wall $(bench_ratio "$M_WALL" "$cw")x clickhouse-client" \
    "none: gzip is for remote servers, this shows its cost"

bench_log "clickhouse: $label: gha-load, all duplicates"
bench_measure "gha-load -f '$recs' '$CH_URL/g$(cat gseq)'"
grep -q " 0 inserted, $rows duplicates" "$BENCH_OUT/last.err" ||
    bench_die "clickhouse: the second load was not all duplicates:" \
    "$(tail -n 1 "$BENCH_OUT/last.err")"
ch_count "g$(cat gseq).events"
chrow "gha-load, the same rows again (all duplicates)"
