# gha-daily with three sources (base_url="a=... b=... c=..."), loopback
# mirrors of the same generated hours, each with a part of every hour
# (tests/server/mirrors.subr): b lacks hour 2 (404) and serves a damaged
# copy of hour 4, c is slow.  The events stored are the union, exactly
# the generator's hours; archive_sources, archive_hours' union and id gap,
# daily_sources, daily_union and daily_summary's columns of them equal
# what python computes from the mirrors' files.  When b then serves both hours, the next run (the day
# not final yet) fills them.  A run killed while c is still sending, then
# rerun, leaves the same exact counts.
. "$TESTS/daily/daily.subr"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
. "$TESTS/server/mirrors.subr"
mkmirrors 2024-01-15-0 31
mv b/2024-01-15-2.json.gz b2.json.gz
echo "/2024-01-15-4.json.gz corrupt" >plan.b
echo "/2024-01-15-1.json.gz slow:40000" >plan.c
start_server a a; A=$URL
start_server b b --plan plan.b; B=$URL; PB=$SERVER_PID
start_server c c --plan plan.c; C=$URL
mkenv "base_url='a=$A b=$B c=$C'"
export GHA_START=2024-01-15

# expect HOUR...: what the ledger should say, from the mirrors' files:
# "S hour source status events only" for each source (b's copies listed
# in $BAD as hour:status are not there), "U hour union id_gap".
expect() {
	python3 - "$BAD" "$@" <<'PY'
import gzip, json, sys
bad = dict(x.split(":") for x in sys.argv[1].split())
for h in sys.argv[2:]:
    sets = {}
    for m in "abc":
        if m == "b" and h in bad:
            continue
        with gzip.open("%s/%s.json.gz" % (m, h), "rt") as f:
            sets[m] = {(e["id"], e["created_at"]) for e in map(json.loads, f)}
    u = set().union(*sets.values())
    for m in "abc":
        if m not in sets:
            print("S", h, m, bad[h], "-", "-")
            continue
        s = sets[m]
        o = s - set().union(*(v for k, v in sets.items() if k != m))
        print("S", h, m, "loaded", len(s), len(o))
    ids = sorted(int(i) for i, _ in u)
    print("U", h, len(u), ids[-1] - ids[0] + 1 - len(u))
PY
}
got() {
	q "SELECT 'S', hour, source, status, coalesce(events, '-'),
	    coalesce(only_events, '-') FROM archive_sources ORDER BY epoch, source" |
	    tr '|' ' '
	q "SELECT 'U', hour, union_events, id_gap FROM archive_hours
	    WHERE status = 'loaded' ORDER BY epoch" | tr '|' ' '
}
check() {	# LABEL FIRST LAST
	hours "$2" "$3" >h
	expect $(cat h) >want
	eq "$1: sources" "$(grep '^S' want)" "$(got | grep '^S')"
	eq "$1: unions" "$(grep '^U' want)" "$(got | grep '^U')"
	eq "$1: events = the generator's hours" "$(idents full $(cat h))" \
	    "$(q "SELECT id || ' ' || created_at FROM events" | sort)"
	eq "$1: each once" "$(idents full $(cat h) | wc -l | tr -d ' ')" \
	    "$(q 'SELECT count(*) FROM events')"
	# per day: daily_sources and daily_union, summed by awk from want
	awk '$1 == "S" && $4 == "loaded" { e[substr($2, 1, 10) " " $3] += $5
	    o[substr($2, 1, 10) " " $3] += $6 }
	    END { for (k in e) print k, e[k], o[k] }' want | sort >want.days
	eq "$1: daily_sources" "$(cat want.days)" "$(q "SELECT day, source,
	    events, only_events FROM daily_sources WHERE hours_loaded > 0
	    ORDER BY day, source" | tr '|' ' ')"
	awk '$1 == "U" { u[substr($2, 1, 10)] += $3; g[substr($2, 1, 10)] += $4 }
	    END { for (d in u) print d, 3, u[d], g[d] }' want | sort >want.union
	eq "$1: daily_union" "$(cat want.union)" "$(q "SELECT day, sources,
	    union_events, id_gap FROM daily_union ORDER BY day" | tr '|' ' ')"
	eq "$1: daily_summary" "$(cat want.union)" "$(q "SELECT day, sources,
	    union_events, id_gap FROM daily_summary WHERE union_events IS NOT NULL
	    ORDER BY day" | tr '|' ' ')"
}

GHA_NOW=2024-01-16T03:10:00Z gha-daily 2>err || fail "exit $?: $(cat err)"
BAD="2024-01-15-2:missing 2024-01-15-4:corrupt"
check "first run" 2024-01-15-0 2024-01-16-1
[ -e cache/a/2024-01-15-0.json.gz ] && [ -e cache/c/2024-01-15-0.json.gz ] ||
    fail "no cache folder per source: $(ls cache)"
eq "not final" "0" "$(q "SELECT final FROM daily_coverage WHERE day = '2024-01-15'")"

# b recovers: the next run fetches its two hours and counts them.
kill "$PB"
mv b2.json.gz b/2024-01-15-2.json.gz
start_server b b; B=$URL
mkenv "base_url='a=$A b=$B c=$C'"
GHA_NOW=2024-01-16T08:10:00Z gha-daily 2>err || fail "rerun: exit $?: $(cat err)"
BAD=
check "recovered" 2024-01-15-0 2024-01-16-6
eq "b asked only for what it lacked" \
    "GET /2024-01-15-2.json.gz
GET /2024-01-15-4.json.gz" "$(grep '/2024-01-15-' "$LOG" | cut -d ' ' -f 1,2 | sort)"
eq "final" "1" "$(q "SELECT final FROM daily_coverage WHERE day = '2024-01-15'")"
# gha-report's sources: per day and source the counts, what each missed
# at least (the union less its events), and the ids none captured.
gha-report --csv -s sources --days 2024-01-15 gha.db >src.csv ||
    fail "gha-report: exit $?"
eq "report header" "day,source,hours_loaded,events,only_events,union_events,missed_at_least,share_pct_at_most,none_captured_at_most" \
    "$(head -n 1 src.csv)"
awk -v d=2024-01-15 '$1 == "U" && substr($2, 1, 10) == d { u += $3; g += $4 }
    $1 == "S" && substr($2, 1, 10) == d { e[$3] += $5; o[$3] += $6 }
    END { for (m in e) printf "%s,%s,24,%d,%d,%d,%d,%.1f,%d\n", d, m, e[m],
    o[m], u, u - e[m], 100 * e[m] / u, g }' want | sort >want.csv
eq "report rows" "$(cat want.csv)" "$(sed 1d src.csv)"

# Killed between sources: a and b have hour 1, c is still sending it.
rm -rf gha.db* cache log
echo "/2024-01-15-1.json.gz slow:2000" >plan.c
start_server c c --plan plan.c; C=$URL; LOGC=$LOG
mkenv "base_url='a=$A b=$B c=$C'"
GHA_NOW=2024-01-15T06:10:00Z setsid gha-daily 2>err &
p=$!
i=0
# (a and b's copies wait, unproven, for the hour's last source: gha-daily
# fetches with --defer-check, and gha-decode proves them)
until grep -q 'GET /2024-01-15-1\.' "$LOGC" &&
    ls -a cache/a cache/b 2>/dev/null | grep -c '2024-01-15-1\.json\.gz$\|2024-01-15-1\.json\.gz\.unproven-' |
    grep -qx 2; do
	i=$((i + 1))
	[ $i -le 300 ] || fail "the hours were never fetched"
	sleep 0.05
done
sleep 0.3
/bin/kill -TERM -- -$p 2>/dev/null || fail "kill -$p"
wait $p
[ ! -e cache/c/2024-01-15-1.json.gz ] || fail "c's copy was done before the kill"
GHA_NOW=2024-01-15T06:10:00Z gha-daily 2>err || fail "after the kill: exit $?: $(cat err)"
check "after the kill" 2024-01-15-0 2024-01-15-4
