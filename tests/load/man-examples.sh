# Every EXAMPLE of gha-load(1) runs, in order in one directory, over the
# real sample hours; after each, its effect is checked.  The expected
# numbers are the record counts tests/decode/samples-2015.sh checks with jq.
. "$TESTS/lib.sh"
sample_hours
man_examples "$ROOT/man/gha-load.1" >all.examples
# The ClickHouse examples need a server: tests/clickhouse runs them.
grep -v -e 'http://' -e 'ClickHouse' all.examples >examples
eq "examples" 7 "$(lines examples)"
while IFS= read -r cmd; do
	run_example "$cmd"
	case $cmd in
	"gha-decode 2015-01-01-*"*)
		eq "loaded" 33427 "$(sqlite3 gha.db 'SELECT count(*) FROM events')"
		grep -q ' 33427 inserted, 0 duplicates' example.err ||
		    fail "summary: $(cat example.err)" ;;
	*">records.json")
		eq "records" 8273 "$(lines records.json)" ;;
	*"& gha-load"*)
		# Both loaders (the first into the default ./gha.db) ran.
		eq "summaries" 2 "$(grep -c ' 8273 read, 0 inserted, 8273 duplicates, 0 rejected$' \
		    example.err)"
		eq "loaded" 33427 "$(sqlite3 gha.db 'SELECT count(*) FROM events')" ;;
	"zcat "*"| gha-load gha.db || gha-decode"*)
		# The raw hour: every line refused, nothing stored; then the
		# decoded one, all duplicates of the earlier examples' loads.
		grep -q '^gha-load: 8273 read, 0 inserted, 0 duplicates, 8273 rejected$' \
		    example.err || fail "raw hour: $(cat example.err)"
		grep -q '^gha-load: 8273 read, 0 inserted, 8273 duplicates, 0 rejected$' \
		    example.err || fail "decoded hour: $(cat example.err)"
		eq "loaded" 33427 "$(sqlite3 gha.db 'SELECT count(*) FROM events')" ;;
	*"-r rejected.json"*)
		[ -f rejected.json ] && [ ! -s rejected.json ] ||
		    fail "rejected.json" ;;
	*devs_more_than_one_commit_daily*)
		eq "rows" 5 "$(lines example.out)"
		# The largest commits of the day, from the records by jq,
		# of a developer: no [bot], none of the built-in list.
		top=$(gha-decode -q 2015-01-01-*.json.gz | jq -r \
		    'select(.type == "PushEvent") | [.actor_login, .commits]
		    | @tsv' | awk -F '\t' -v l="$ROOT/scripts/bots" 'BEGIN {
		    while ((getline x <l) > 0) { sub(/#.*/, "", x)
		    gsub(/[ \t]/, "", x); if (x != "") b[tolower(x)] } }
		    { x = tolower($1) } !(x ~ /\[bot\]$/ || x in b) {
		    c[$1] += $2 } END { for (a in c)
		    print c[a] }' | sort -n | tail -n 1)
		eq "top" "$top" "$(head -n 1 example.out | cut -d'|' -f5)" ;;
	*daily_summary*)
		eq "summary" "day|events|developers|devs_gt1_commit|devs_lt1_commit|repos_gt10_members|commits_estimated|hours_loaded|hours_missing|hours_pending|final|hours_corrupt|bots|pushes_archive|pushes_git|pushes_api|pushes_rule|pushes_bounded|sources|union_events|id_gap" \
		    "$(head -n 1 example.out)"
		eq "events" 33427 "$(sed -n 2p example.out | cut -d'|' -f2)"
		# No hour ledger here: the coverage columns are NULL.
		eq "coverage" "||||" "$(sed -n 2p example.out | cut -d'|' -f8-12)" ;;
	*)
		fail "no check for example: $cmd" ;;
	esac
done <examples
