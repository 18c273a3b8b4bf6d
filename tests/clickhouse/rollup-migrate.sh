# rollup-migrate: a database as the gha-load before the per-day
# aggregates left it (the metric views over `events`, FINAL at every
# query: old-views.sql under the views' own names; no agg_ tables) is
# brought up to date by the next open: the views are made anew over the
# aggregates, every day of event_store is recomputed, and the views give
# the rows the old ones gave.  Two loaders opening such a database at once
# both succeed, and opening it again recomputes nothing.  So do two
# loaders opening a ledger that lacks columns added since.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
. "$TESTS/clickhouse/records.subr"
. "$TESTS/clickhouse/rollup.subr"

parity_records
ndays=$(jq -r '.created_at[0:10]' recs | sort -u | wc -l | tr -d ' ')
ch_start
# old DB: load, then make DB what the earlier gha-load made.
old() {
	gha-load -q "$CH_URL/$1" <recs || fail "load $1"
	for t in agg_by_day agg_owner_repo agg_actor agg_created agg_marks \
	    daily_summary devs_owning_multiple_repos \
	    repos_more_than_ten_members_daily devs_less_than_one_commit_daily \
	    devs_more_than_one_commit_daily dev_daily actor_daily; do
		ch_q "DROP TABLE $1.$t"
	done
	sed 's/@\.old_/@./g' "$TESTS/clickhouse/old-views.sql" >old.sql
	awk -v db="$1" 'BEGIN { RS = "" } !/^--/ { gsub(/@/, db); print;
	    print "\0" }' old.sql | tr '\n' ' ' | tr '\0' '\n' |
	    while IFS= read -r _s; do
		case $_s in *[!\ ]*) ch_q "$_s" >/dev/null ;; esac
	done
	ch_q "SELECT create_table_query FROM system.tables WHERE
	    database = '$1' AND name = 'actor_daily'" | grep -q 'FROM '"$1"'.events' ||
	    fail "$1: actor_daily is not the old view"
}
old m1
old m2
gha-load -v "$CH_URL/m1" </dev/null 2>err || fail "open m1: $(cat err)"
for v in actor_daily repos_more_than_ten_members_daily \
    devs_owning_multiple_repos daily_summary; do
	ch_q "SELECT create_table_query FROM system.tables WHERE
	    database = 'm1' AND name = '$v'" | grep -q 'agg_' ||
	    fail "m1: $v does not read the aggregates"
done
eq "m1: days recomputed" "$ndays" \
    "$(ch_q "SELECT count() FROM m1.agg_by_day WHERE kind = 'day'")"
old_views m1
same_views m1 "(migrated)"

gha-load -q "$CH_URL/m2" </dev/null 2>err1 & p1=$!
gha-load -q "$CH_URL/m2" </dev/null 2>err2 & p2=$!
wait $p1 || fail "first of two loaders: $(cat err1)"
wait $p2 || fail "second of two loaders: $(cat err2)"
old_views m2
same_views m2 "(migrated by two loaders at once)"
echo '{"hour":"2015-01-01-3","status":"loaded"}' >hour
gha-load -H "$CH_URL/m2" <hour 2>err || fail "-H m2: $(cat err)"
vers="SELECT groupArray(ver) FROM (SELECT ver FROM m2.agg_by_day
    WHERE kind = 'day' ORDER BY day)"
ch_q "$vers" >vers
sleep 1.1
gha-load -v "$CH_URL/m2" </dev/null 2>err || fail "open m2 again"
! grep -q "the metrics of" err || fail "m2: opened again, recomputed: $(cat err)"
eq "m2: the same aggregates" "$(cat vers)" "$(ch_q "$vers")"

# A ledger of before its UTC hours and union columns, opened by two
# loaders at once: both succeed, whichever adds a column first.
gha-load -q "$CH_URL/m3" <recs || fail "load m3"
cols="SELECT count() FROM system.columns WHERE database = 'm3' AND
    table = 'archive_hours'"
ncols=$(ch_q "$cols")
for c in first last utc utc_hours union_events id_gap; do
	ch_q "ALTER TABLE m3.archive_hours DROP COLUMN $c"
done
eq "m3: archive_hours' columns of before" $((ncols - 6)) "$(ch_q "$cols")"
gha-load -q "$CH_URL/m3" </dev/null 2>err1 & p1=$!
gha-load -q "$CH_URL/m3" </dev/null 2>err2 & p2=$!
wait $p1 || fail "m3, first of two loaders: $(cat err1)"
wait $p2 || fail "m3, second of two loaders: $(cat err2)"
eq "m3: archive_hours' columns" "$ncols" "$(ch_q "$cols")"
exit 0
