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
# wall-clock rate.  Targets: >= 300,000 rows/s (wall clock), peak RSS <
# 32 MB.
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
	_max=$(awk "BEGIN { print ($_r > $_w ? $_r : $_w) }")
	_rate=$(bench_fmt "$rows / $M_WALL")
	_mb=$(bench_fmt "$M_RSS / 1024" 1)
	bench_row load "$label" "$1" $rows \
	    "wall $(bench_ratio "$M_WALL" "$iw")x, CPU $(bench_ratio "$M_CPU" "$ic")x .import (key); threads: read ${_r:-?} s, write ${_w:-?} s CPU = $(bench_fmt "$rows / $_max") rows/s at most$2" \
	    "$_rate rows/s >= 300k $(bench_check "$_rate" '>=' 300000), RSS < 32 MB $(bench_check "$_mb" '<' 32)"
}

bench_log "load: $label: gha-load"
bench_measure "rm -f '$W/g.db' '$W/g.db-wal' '$W/g.db-shm' &&
    gha-load -v -f '$recs' '$W/g.db'"
load_count "$W/g.db" events
w2=$M_WALL
load_row "gha-load (new file)" ""

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
