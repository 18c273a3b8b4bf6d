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
# in RowBinary over HTTP, plain to this loopback server), with
# --defer-metrics (storing alone, as the baseline does) and without (the
# day's metric aggregates recomputed at the end, ch_rollup.c), the same with
# GHA_CLICKHOUSE_GZIP=1 (the body gzipped, as to a remote server: what
# compression costs where it does not pay), and the same rows again
# (every one a duplicate).  Most of the work is the server's, whose CPU
# time is not counted: the run with the least wall time is kept and the
# ratios compare wall time.  Targets: gha-load's rows/s storing alone >=
# clickhouse-client's, peak RSS < 32 MB.  Skipped, with a note, when
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
	gha-load -q "$CH_URL/d$i" </dev/null ||
	    bench_die "clickhouse: gha-load could not make d$i"
done
echo 0 >"$W/dseq"
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

# chrow LABEL [-]: a gha-load row; with "-", no rows/s target (the load
# computes the day's metrics too, which the client does not).
chrow() {
	_rate=$(bench_fmt "$rows / $M_WALL")
	_crate=$(bench_fmt "$rows / $cw")
	_mb=$(bench_fmt "$M_RSS / 1024" 1)
	_t="$_rate rows/s >= client's $_crate $(bench_check "$_rate" '>=' "$_crate"), "
	[ "${2:-}" != - ] || _t=
	bench_row clickhouse "$label" "$1" $rows \
	    "wall $(bench_ratio "$M_WALL" "$cw")x clickhouse-client" \
	    "${_t}RSS < 32 MB $(bench_check "$_mb" '<' 32)"
}

bench_log "clickhouse: $label: gha-load --defer-metrics"
bench_measure "i=\$((\$(cat dseq) + 1)) && echo \$i >dseq &&
    gha-load --defer-metrics -f '$recs' '$CH_URL/d'\$i"
ch_count "d$(cat dseq).events"
chrow "gha-load --defer-metrics (empty database): storing alone"

bench_log "clickhouse: $label: gha-load"
bench_measure "i=\$((\$(cat gseq) + 1)) && echo \$i >gseq &&
    gha-load -f '$recs' '$CH_URL/g'\$i"
ch_count "g$(cat gseq).events"
chrow "gha-load (empty database), with the day's metrics recomputed" -
gw=$M_WALL

bench_log "clickhouse: $label: gha-load, gzip body"
bench_measure "i=\$((\$(cat zseq) + 1)) && echo \$i >zseq &&
    GHA_CLICKHOUSE_GZIP=1 gha-load -f '$recs' '$CH_URL/z'\$i"
ch_count "z$(cat zseq).events"
bench_row clickhouse "$label" \
    "gha-load, body gzipped (GHA_CLICKHOUSE_GZIP=1, empty database)" $rows \
    "wall $(bench_ratio "$M_WALL" "$cw")x clickhouse-client" \
    "none: gzip is for remote servers, this shows its cost"

bench_log "clickhouse: $label: gha-load, all duplicates"
bench_measure "gha-load --defer-metrics -f '$recs' '$CH_URL/g$(cat gseq)'"
grep -q " 0 inserted, $rows duplicates" "$BENCH_OUT/last.err" ||
    bench_die "clickhouse: the second load was not all duplicates:" \
    "$(tail -n 1 "$BENCH_OUT/last.err")"
ch_count "g$(cat gseq).events"
chrow "gha-load --defer-metrics, the same rows again (all duplicates)"

# The metric views by days loaded (issue 16): one database filled with 1,
# then 10, then 50 generated 2024-shaped days of 20,000 events (1, 3, 10
# days of 2,000 under BENCH_QUICK), each hour of a day one day apart; at
# each size every metric view is read whole (FORMAT Null, over HTTP with
# curl) beside the view it replaced (tests/clickhouse/old-views.sql: FINAL
# over the events at every query), made in the same database; the least
# of three answer times (curl's) is kept, and the server's work is not
# in the CPU and RSS columns.  Target: a
# view's time grows no more than its result's rows do (x1.5, plus 20 ms
# of fixed cost), from the first size.  Then the recompute of one day
# (gha-load -v's "metrics of 1 day", the same day's records loaded again:
# all duplicates, the day recomputed; it includes a wait of up to a second
# for the second of the load's last mark to pass, ch_rollup.c) beside the
# old views' cost of answering every metric once over one day; and the
# recompute of one day marked a second before, at open, without that wait.
. "$TESTS/clickhouse/rollup.subr"
if [ "$BENCH_QUICK" = 1 ]; then
	vsizes="1 3 10" vn=2000
else
	vsizes="1 10 50" vn=20000
fi
bench_note "clickhouse-views: the metric views read whole (FORMAT Null) after" \
    "$vsizes generated days of $vn events, each beside the view it replaced" \
    "(FINAL over the events, tests/clickhouse/old-views.sql); wall is the" \
    "least of three answer times (curl), the server's CPU is not shown;" \
    "the recompute at the end of a load includes a wait of up to 1 s" \
    "(ch_rollup.c)"
gha-load -q "$CH_URL/v" </dev/null || bench_die "clickhouse: gha-load made no v"
old_views v
# vday D: the records of generated day D (1: 2024-01-01).
vday() {
	gha-gen -n $vn -s "$1" -H "$(date -u -d "2024-01-01 +$(($1 - 1)) days" \
	    +%Y-%m-%d)-12" 2024 | gha-decode 2>/dev/null
}
# vtime SQL: the least of 3 answer times (curl's, in ms precision) of SQL
# in M_WALL; the work is the server's, so CPU and RSS are not shown.
vtime() {
	M_WALL= M_CPU=- M_RSS=0
	for _k in 1 2 3; do
		_t=$(curl -sS --fail -o /dev/null -w '%{time_total}' \
		    --data-binary "$1" "$CH_URL/") || bench_die "failed: $1"
		M_WALL=$(awk "BEGIN { t = $_t; m = \"$M_WALL\";
		    printf \"%.3f\", m == \"\" || t < m + 0 ? t : m }")
	done
}
have=0
for nd in $vsizes; do
	bench_log "clickhouse: views over $nd days"
	d=$have
	while [ $d -lt "$nd" ]; do
		d=$((d + 1))
		vday $d
	done >"$W/vrecs"
	gha-load -q "$CH_URL/v" <"$W/vrecs" || bench_die "clickhouse: loading v"
	have=$nd
	ev=$(ch_q "SELECT count() FROM v.events")
	oldall=0
	for v in $METRIC_VIEWS; do
		r=$(ch_q "SELECT count() FROM v.$v")
		vtime "SELECT * FROM v.old_$v FORMAT Null"
		ow=$M_WALL
		oldall=$(awk "BEGIN { print $oldall + $ow }")
		bench_row clickhouse-views "$nd days x $vn" \
		    "old $v (FINAL over events), $r rows" "$ev" baseline ""
		vtime "SELECT * FROM v.$v FORMAT Null"
		eval "t1=\${t1_$v:-$M_WALL} r1=\${r1_$v:-$r}"
		eval "t1_$v=$t1 r1_$v=$r1"
		rg=$(awk "BEGIN { g = $r1 > 0 ? $r / $r1 : 1; printf \"%.1f\", g < 1 ? 1 : g }")
		tg=$(bench_ratio "$M_WALL" "$t1")
		lim=$(awk "BEGIN { print $t1 * $rg * 1.5 + 0.02 }")
		bench_row clickhouse-views "$nd days x $vn" \
		    "$v (aggregates), $r rows" "$ev" \
		    "wall $(bench_ratio "$M_WALL" "$ow")x old" \
		    "time x$tg for rows x$rg since 1 day $(bench_check "$M_WALL" '<=' "$lim")"
	done
	[ "$nd" = "${vsizes%% *}" ] && oldone=$oldall
done
vday 1 >"$W/vday1"
bench_log "clickhouse: recomputing one day"
M_CPU=- M_RSS=0
M_WALL=$oldone
bench_row clickhouse-views "1 day x $vn" \
    "old views: every metric view read once over 1 day" "$vn" baseline ""
bench_measure "gha-load -v -f '$W/vday1' '$CH_URL/v'"
rs=$(sed -n 's/.*the metrics of 1 day: \([0-9.]*\) s.*/\1/p' \
    "$BENCH_OUT/last.err")
[ -n "$rs" ] || bench_die "clickhouse: no day recomputed: $(cat "$BENCH_OUT/last.err")"
M_WALL=$rs
bench_row clickhouse-views "1 day x $vn, $have days loaded" \
    "recompute one day at the end of a load (gha-load -v: the metrics of 1 day)" \
    "$vn" "wall $(bench_ratio "$rs" "$oldone")x old views once" ""
# The same without the wait: the day marked over a second ago (as a
# killed load leaves it), then gha-load with no input, which recomputes it at
# open; the least of three wall times, the open included.
M_WALL= M_CPU=- M_RSS=0
for k in 1 2 3; do
	ver="SELECT ver FROM v.agg_by_day WHERE day = '2024-01-01' AND
	    kind = 'day'"
	v0=$(ch_q "$ver")
	ch_q "INSERT INTO v.agg_marks (day, token, kind) VALUES
	    ('2024-01-01', $k, 1)" >/dev/null
	sleep 1.2
	t0=$(date +%s%N)
	gha-load -q "$CH_URL/v" </dev/null || bench_die "clickhouse: reopen v"
	t1=$(date +%s%N)
	[ "$(ch_q "$ver")" -gt "$v0" ] ||
	    bench_die "clickhouse: the marked day was not recomputed at open"
	M_WALL=$(awk "BEGIN { t = ($t1 - $t0) / 1e9; m = \"$M_WALL\";
	    printf \"%.3f\", m == \"\" || t < m + 0 ? t : m }")
done
bench_row clickhouse-views "1 day x $vn, $have days loaded" \
    "recompute one marked day at open (gha-load, no input)" "$vn" \
    "wall $(bench_ratio "$M_WALL" "$oldone")x old views once" ""

# The cluster (issue 16): the same day's records loaded into an empty
# database (made beforehand: ON CLUSTER takes seconds, once) of a 2 x 1 (two shards) and a 1 x 2 (two replicas, quorum)
# cluster on loopback (tests/clickhouse/cluster.subr: ZooKeeper and 18.16
# nodes on this machine, whose 2 cores all of them share), beside the
# one server's load above; then every metric view read once on node 1
# (the sum of the least of three answer times) beside the one server's
# database of the same records; then the recompute of that day (the
# records loaded again, all duplicates: gha-load -v's "metrics of 1
# day", which includes the wait for the marks' second, 2 s more on a
# cluster for the nodes' clocks).  Skipped when java or ZooKeeper is absent.
# vsum DB: the sum of every metric view's vtime in DB, in M_WALL.
vsum() {
	_s=0
	for _v in $METRIC_VIEWS; do
		vtime "SELECT * FROM $1.$_v FORMAT Null"
		_s=$(awk "BEGIN { print $_s + $M_WALL }")
	done
	M_WALL=$_s M_CPU=- M_RSS=0
}
if ! command -v java >/dev/null ||
    [ ! -r "${ZK_JAR:-/usr/share/java/zookeeper.jar}" ]; then
	bench_note "clickhouse-cluster: skipped, java or ZooKeeper is absent"
	exit 0
fi
vsum "g$(cat gseq)"
vone=$M_WALL
bench_row clickhouse-cluster "$label" \
    "one server: every metric view read once (sum)" $rows baseline ""
. "$TESTS/clickhouse/cluster.subr"
trap 'cl_teardown; ch_kill; cd /; rm -rf "$W"' EXIT
onecl=$CH_URL
for topo in "2 1" "1 2"; do
	set -- $topo
	CL_DIR=$W/cl$1$2
	bench_log "clickhouse: a $1 x $2 cluster"
	cl_start $1 $2
	i=0
	while [ $i -lt "$BENCH_RUNS" ]; do	# made beforehand, as above
		i=$((i + 1))
		gha-load -q "http://$(cl_hosts)/k$1$2_$i?cluster=gha_c" \
		    </dev/null || bench_die "clickhouse: no k$1$2_$i made"
	done
	echo 0 >"$W/kseq"
	bench_measure "i=\$((\$(cat kseq) + 1)) && echo \$i >kseq &&
	    gha-load -f '$recs' 'http://$(cl_hosts)/k$1$2_'\$i'?cluster=gha_c'"
	db=k$1$2_$(cat kseq)
	_c=$(cl_q 1 "SELECT count() FROM $db.events")
	[ "$_c" = "$rows" ] || bench_die "clickhouse: $db holds $_c, not $rows"
	bench_row clickhouse-cluster "$label" \
	    "gha-load into a $1 x $2 cluster (empty database)" $rows \
	    "wall $(bench_ratio "$M_WALL" "$gw")x one server" \
	    "$(bench_fmt "$rows / $M_WALL") rows/s"
	CH_URL=$(cl_url 1)
	vsum "$db"
	CH_URL=$onecl
	bench_row clickhouse-cluster "$label" \
	    "$1 x $2: every metric view read once on node 1 (sum)" $rows \
	    "wall $(bench_ratio "$M_WALL" "$vone")x one server" ""
	bench_measure "gha-load -v -f '$recs' 'http://$(cl_hosts)/$db?cluster=gha_c'"
	rs=$(sed -n 's/.*the metrics of 1 day: \([0-9.]*\) s.*/\1/p' \
	    "$BENCH_OUT/last.err")
	[ -n "$rs" ] || bench_die "clickhouse: no day recomputed on the" \
	    "cluster: $(cat "$BENCH_OUT/last.err")"
	M_WALL=$rs M_CPU=- M_RSS=0
	bench_row clickhouse-cluster "$label" \
	    "$1 x $2: recompute one day (gha-load -v: the metrics of 1 day)" \
	    $rows "" ""
	cl_teardown
	CL_N=0
done
