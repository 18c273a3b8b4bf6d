# bench/sec-50-load.sh - gha-load into SQLite against sqlite3 .import.
#
# The rows: the flat records of a generated 2024-shaped day (24 hours of
# 50,000 events; 2,000 under BENCH_QUICK), decoded once beforehand.  The
# baselines get the same rows as CSV (made by jq beforehand, not timed, as
# in tests/load/bench): `sqlite3 .import` into gha-load's own table (same
# columns and key, WAL, in a file made by gha-load) and into a plain table
# without any key.  Then gha-load into a new file (parse, key, insert, the
# views created), the same rows again (every one a duplicate), and pinned
# to one core (taskset -c 0) for the scaling from 1 to 2 cores.  gha-load
# -v tells the CPU time of its two threads (reading, writing); the busier
# one bounds the rate on an idle 2-core machine, and is shown beside the
# wall-clock rate.  A new file's load ends with the day's metric
# aggregates (load/rollup.c), whose wall time gha-load -v tells: the
# storing rate is over the rest; the metrics are also measured alone, and
# a query of them is timed against the version 3 views that computed them
# from every event.  Targets: >= 300,000 rows/s stored (wall clock), peak
# RSS < 32 MB.
. "$BENCH/lib.sh"

bench_day_records load || exit 1
rows=$((24 * n))
trap 'rm -rf "$W"' EXIT
bench_note "load, $label: $rows rows," \
    "$(bench_fmt "$(wc -c <"$recs") / 1e6" 1) MB of flat records"

bench_log "load: $label: making the CSV for sqlite3 (jq, not timed)"
jq -r '[(.created_at | fromdateiso8601), (.id | tonumber), "", .type,
    .actor_id, .actor_login, .repo_id, .repo_name, .org_id, .org_login,
    .action, .ref, .ref_type, .push_id, .commits, .distinct_commits, .head,
    .before, .number, (if .public then 1 else 0 end), .src] | @csv' \
    "$recs" >"$W/rows.csv" || bench_die "load: jq failed"
gha-load -q "$W/schema.db" </dev/null || bench_die "load: gha-load failed"
# event_store's columns without its key.
echo 'CREATE TABLE plain (created INTEGER, idk INTEGER, idx TEXT, type TEXT,
    actor_id INTEGER, actor_login TEXT, repo_id INTEGER, repo_name TEXT,
    org_id INTEGER, org_login TEXT, action TEXT, ref TEXT, ref_type TEXT,
    push_id INTEGER, commits INTEGER, distinct_commits INTEGER, head TEXT,
    before TEXT, number INTEGER, public INTEGER, src TEXT)' >"$W/plain.sql"

# load_count DB TABLE: the rows of TABLE in DB must be all of them.
load_count() {
	_c=$(sqlite3 "$1" "SELECT count(*) FROM $2")
	[ "$_c" = "$rows" ] || bench_die "load: $1 $2 holds $_c rows, not $rows"
}

bench_log "load: $label: sqlite3 .import, gha-load's table"
bench_measure "rm -f '$W/i.db' '$W/i.db-wal' '$W/i.db-shm' &&
    cp '$W/schema.db' '$W/i.db' &&
    sqlite3 '$W/i.db' '.import --csv $W/rows.csv event_store'"
load_count "$W/i.db" event_store
iw=$M_WALL ic=$M_CPU
bench_row load "$label" "sqlite3 .import CSV, gha-load's table and key" \
    $rows baseline ""

bench_log "load: $label: sqlite3 .import, no key"
bench_measure "rm -f '$W/p.db' && sqlite3 '$W/p.db' \"\$(cat '$W/plain.sql')\" &&
    sqlite3 '$W/p.db' '.import --csv $W/rows.csv plain'"
load_count "$W/p.db" plain
bench_row load "$label" "sqlite3 .import CSV, a table without key" \
    $rows baseline ""

# load_row WHAT: the row of the last gha-load -v measurement.
load_row() {
	_v=$(grep 'CPU: reading' "$BENCH_OUT/last.err")
	_r=$(echo "$_v" | sed -n 's/.*reading \([0-9.]*\) s.*/\1/p')
	_w=$(echo "$_v" | sed -n 's/.*writing \([0-9.]*\) s.*/\1/p')
	_m=$(echo "$_v" | sed -n 's/.*: \([0-9.]*\) s$/\1/p')
	case $_v in *"the metrics of"*) ;; *) _m=0 ;; esac
	_max=$(awk "BEGIN { print ($_r > $_w ? $_r : $_w) }")
	# Storing: the wall time less the metrics' (gha-load -v says both).
	_rate=$(bench_fmt "$rows / ($M_WALL - $_m)")
	_mb=$(bench_fmt "$M_RSS / 1024" 1)
	_ms=
	[ "$_m" = 0 ] ||
	    _ms="; of the wall time, the metrics $_m s: $(bench_fmt "$rows / $M_WALL") rows/s with them"
	bench_row load "$label" "$1" $rows \
	    "wall $(bench_ratio "$M_WALL" "$iw")x, CPU $(bench_ratio "$M_CPU" "$ic")x .import (key); threads: read ${_r:-?} s, write ${_w:-?} s CPU = $(bench_fmt "$rows / $_max") rows/s at most$_ms$2" \
	    "$_rate rows/s stored >= 300k $(bench_check "$_rate" '>=' 300000), RSS < 32 MB $(bench_check "$_mb" '<' 32)"
}

bench_log "load: $label: gha-load"
bench_measure "rm -f '$W/g.db' '$W/g.db-wal' '$W/g.db-shm' &&
    gha-load -v -f '$recs' '$W/g.db'"
load_count "$W/g.db" events
w2=$M_WALL
load_row "gha-load (new file)" ""

# The metrics: the views read aggregates gha-load computed when the load
# ended (load/rollup.c), included in the row above.  Here that part
# alone: the day marked again and rolled up by an open (gha-load -Q).
# Then a query of the metrics against the same query over the version 3
# views, which computed them from the events (tests/load/v3-views.sql).
bench_log "load: $label: the metrics alone"
bench_measure "sqlite3 '$W/g.db' \"INSERT INTO agg_dirty SELECT
    CAST(strftime('%s', day) AS INTEGER) / 86400 FROM agg_day\" &&
    gha-load -Q '$W/g.db' >/dev/null"
bench_row load "$label" "gha-load: the metrics alone (a day's rollup)" \
    $rows "$(bench_fmt "$rows / $M_WALL") rows/s; $(bench_ratio "$M_WALL" "$w2")x the load's wall time" ""
# (the metrics' columns: the reference SQL has no coverage columns since
# version 5, and coverage is not a metric)
Q='SELECT day, events, developers, devs_gt1_commit, devs_lt1_commit,
    repos_gt10_members, commits_estimated, bots, pushes_archive, pushes_git,
    pushes_api, pushes_rule, pushes_bounded FROM daily_summary;
    SELECT count(*), sum(repos_owned),
    sum(repos_created) FROM devs_owning_multiple_repos;
    SELECT count(*) FROM repos_more_than_ten_members_daily;'
cp "$W/g.db" "$W/v3.db"
sqlite3 "$W/v3.db" "DROP VIEW dev_daily; DROP VIEW daily_summary;
    DROP VIEW repos_more_than_ten_members_daily;
    DROP VIEW devs_owning_multiple_repos;
    $(cat "$ROOT/tests/load/v3-views.sql")" || bench_die "load: v3 views"
bench_log "load: $label: the metrics queried, version 3 views"
bench_measure "sqlite3 '$W/v3.db' \"$Q\" >'$W/q3.out'"
qc=$M_CPU
bench_row load "$label" "query the metrics, version 3 views (from the events)" \
    $rows baseline ""
bench_log "load: $label: the metrics queried"
bench_measure "sqlite3 '$W/g.db' \"$Q\" >'$W/q.out'"
cmp -s "$W/q.out" "$W/q3.out" || bench_die "load: the metrics differ"
bench_row load "$label" "query the metrics (aggregates)" $rows \
    "CPU $(bench_ratio "$M_CPU" "$qc")x the version 3 views" ""

bench_log "load: $label: gha-load, all duplicates"
bench_measure "gha-load -v -f '$recs' '$W/g.db'"
grep -q " 0 inserted, $rows duplicates" "$BENCH_OUT/last.err" ||
    bench_die "load: the second load was not all duplicates"
load_row "gha-load, the same rows again (all duplicates)" ""

if command -v taskset >/dev/null; then
	bench_log "load: $label: gha-load on 1 core"
	bench_measure "rm -f '$W/g.db' '$W/g.db-wal' '$W/g.db-shm' &&
	    taskset -c 0 gha-load -v -f '$recs' '$W/g.db'"
	load_count "$W/g.db" events
	load_row "gha-load (new file), 1 core (taskset -c 0)" \
	    "; speed-up 1 to 2 cores: $(bench_ratio "$M_WALL" "$w2")x (wall)"
fi
