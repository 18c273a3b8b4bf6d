# A ClickHouse store cannot be poisoned either: each input of the wrong
# kind (tests/load/poison.subr: raw events of three eras, projections,
# another program's NDJSON, empty objects, a pretty-printed file) loaded
# into a fresh database and into a loaded one stores nothing, says what
# it was and exits 1 (3 for the pretty file); the right input after it
# stores every event, and every view then has the rows of a clean SQLite
# load (whose views tests/load/poison.sh holds to jq and awk), NULLs
# included.  The event count is checked against sort -u.
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
. "$TESTS/load/poison.subr"
poison_inputs
want=$(jq -r '[.id, .created_at] | @tsv' good.rec | sort -u | wc -l |
    tr -d ' ')
gha-load -q -f good.rec clean.db || fail "clean SQLite load"
VIEWS="dev_daily devs_more_than_one_commit_daily
devs_less_than_one_commit_daily repos_more_than_ten_members_daily
devs_owning_multiple_repos daily_coverage daily_summary"
for v in $VIEWS; do
	sqlite3 -separator '	' -nullvalue '\N' clean.db \
	    "SELECT * FROM $v" | LC_ALL=C sort >"$v.want"
done

ch_start
gha-load -q -f good.rec "$CH_URL/clean" || fail "clean ClickHouse load"

# same_as_clean DB WHAT: the database holds every event once and its
# views have the clean rows.
poisoned=0 stores=0
same_as_clean() {
	stores=$((stores + 1))
	_bad=
	[ "$(ch_q "SELECT count() FROM $1.events")" = "$want" ] ||
	    _bad="$(ch_q "SELECT count() FROM $1.events") events of $want"
	for _v in $VIEWS; do
		ch_qr "SELECT * FROM $1.$_v FORMAT TabSeparated" |
		    LC_ALL=C sort >"$_v.got"
		cmp -s "$_v.want" "$_v.got" || _bad="$_bad $_v differs"
	done
	if [ -n "$_bad" ]; then
		poisoned=$((poisoned + 1))
		echo "poisoned: $2: $_bad" >&2
	fi
}
same_as_clean clean "the clean load"
[ $poisoned -eq 0 ] || fail "the clean load differs from SQLite's"

i=0
for k in $KINDS; do
	i=$((i + 1))
	st=1
	[ $k = pretty ] && st=3
	gha-load -f kind.$k "$CH_URL/fresh$i" 2>err
	eq "$k into a fresh store: exit" $st $?
	kind_report $k err
	eq "$k: stored" 0 "$(ch_q "SELECT count() FROM fresh$i.event_store")"
	gha-load -f good.rec "$CH_URL/fresh$i" 2>err ||
	    fail "$k: right load: $(cat err)"
	grep -q " $want inserted, $(($(lines good.rec) - want)) duplicates, 0 rejected$" \
	    err || fail "$k, then the right input: $(cat err)"
	same_as_clean fresh$i "$k, then the right input"
	# A loaded store: the wrong kind changes nothing.
	gha-load -q -f good.rec "$CH_URL/loaded$i" || fail "$k: load first"
	gha-load -q -f kind.$k "$CH_URL/loaded$i"
	eq "$k into a loaded store: exit" $st $?
	same_as_clean loaded$i "$k into a loaded store"
done
echo "$(echo $KINDS | wc -w | tr -d ' ') wrong kinds, $stores stores:" \
    "$poisoned poisoned stores"
[ $poisoned -eq 0 ] || fail "$poisoned poisoned stores"
