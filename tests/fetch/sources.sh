# Three loopback mirrors of the same six hours, each with a part of every
# hour (tests/server/mirrors.subr): b lacks hour 2 (404) and serves a
# damaged copy of hour 4, c is slow.  Each source fills its own cache
# folder, each file verified; a source that lacks or breaks an hour, or
# is slow, holds up none of the others (-j 1: one transfer a source); the
# status records say every hour's state at every source; the output lists
# each hour's copies in the order of the sources, and gha-decode's union
# of them is the generator's whole hour, its counts those jq computes.
# Once b serves the two hours, a run fetches only them.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
. "$TESTS/server/mirrors.subr"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built (make testbin)"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
mkmirrors 2024-01-15-0 6
H="2024-01-15-0 2024-01-15-1 2024-01-15-2 2024-01-15-3 2024-01-15-4 2024-01-15-5"
mv b/2024-01-15-2.json.gz b2.json.gz
echo "/2024-01-15-4.json.gz corrupt" >plan.b
echo "/2024-01-15-1.json.gz slow:40000" >plan.c
start_server a a; A=$URL
start_server b b --plan plan.b; B=$URL; LOGB=$LOG
start_server c c --plan plan.c; C=$URL
export GHA_NOW=2024-01-20T00:00:00Z

gha-fetch -j 1 -d cache --base-url "a=$A" --base-url "b=$B/" \
    --base-url "c=$C" --retries 1 --retry-wait 20 --status st $H >out 2>err
eq "exit (b's hour 4 failed)" 11 $?
for h in $H; do
	for m in a b c; do
		case $m$h in b2024-01-15-2 | b2024-01-15-4) continue ;; esac
		echo "cache/$m/$h.json.gz"
	done
done >want
eq "paths" "$(cat want)" "$(cat out)"
eq "records" 18 "$(lines st)"
eq "one record an hour and source" 18 \
    "$(jq -r '"\(.hour) \(.source)"' st | sort -u | wc -l | tr -d " ")"
eq "states" "a fetched 6
b corrupt 1
b fetched 4
b missing 1
c fetched 6" "$(jq -r '"\(.source) \(.state)"' st | sort | uniq -c |
    awk '{ print $2, $3, $1 }')"
eq "b's hours" "2024-01-15-2 missing 404
2024-01-15-4 corrupt 200" "$(jq -r 'select(.source == "b" and
    .state != "fetched") | "\(.hour) \(.state) \(.http)"' st | sort)"
eq "urls" "$B/2024-01-15-2.json.gz" \
    "$(jq -r 'select(.source == "b" and .hour == "2024-01-15-2") | .url' st)"
for m in a b c; do
	for f in cache/$m/*.json.gz; do
		cmp -s "$f" "$m/${f##*/}" || fail "$f differs from the mirror's"
	done
done
[ ! -e cache/b/2024-01-15-4.json.gz ] || fail "a damaged copy in the cache"
[ -z "$(find cache -maxdepth 1 -type f)" ] || fail "files outside the sources' folders"
# The slow source took no transfer from the others: a and b were done
# with every hour before c was with hour 1.
last_ab=$(grep -n '"source":"[ab]"' st | tail -n 1 | cut -d : -f 1)
c1=$(grep -n '"hour":"2024-01-15-1","source":"c"' st | cut -d : -f 1)
[ "$last_ab" -lt "$c1" ] || fail "the slow source held the others up: $(cat st)"

# The union: every event of the full hours, each once; the counts.
gha-decode -q --status dst <out >recs || fail "decode: exit $?"
eq "union = the full hours" "$(idents full $H)" \
    "$(jq -r '"\(.id) \(.created_at)"' recs | sort -u)"
for h in $H; do
	for m in a b c; do
		f=cache/$m/$h.json.gz
		[ -e "$f" ] || continue
		others=
		for o in a b c; do
			[ $o = $m ] || [ ! -e cache/$o/$h.json.gz ] ||
			    others="$others cache/$o/$h.json.gz"
		done
		d=$(idents cache/$m $h | wc -l | tr -d " ")
		only=$(idents cache/$m $h | comm -23 - "$( (for x in $others; do
		    gzip -dc "$x"; done | jq -r '"\(.id) \(.created_at)"' |
		    sort -u) >o.$m.$h; echo o.$m.$h)" | wc -l | tr -d " ")
		u=$(for x in cache/*/$h.json.gz; do gzip -dc "$x"; done |
		    jq -r '"\(.id) \(.created_at)"' | sort -u | wc -l | tr -d " ")
		eq "$m $h: distinct only union" "$d $only $u" \
		    "$(jq -r --arg f "$f" 'select(.file == $f) |
		    "\(.distinct) \(.only) \(.union)"' dst)"
	done
done
eq "copies of hour 2" "2 2" "$(jq -r 'select(.hour == "2024-01-15-2") |
    .copies' dst | tr '\n' ' ' | sed 's/ $//')"
# The id gap: ids the union lacks between its lowest and highest.
eq "id gap of hour 0" "$(jq -rs 'map(.id | tonumber) | unique |
    (max - min + 1 - length)' full/2024-01-15-0.json)" \
    "$(jq -r 'select(.hour == "2024-01-15-0") | .id_gap' dst | sort -u)"

# b recovers: only its two hours are asked for, everything is cached.
stop_server
mv b2.json.gz b/2024-01-15-2.json.gz
start_server b b; B=$URL
gha-fetch -j 1 -d cache --base-url "a=$A" --base-url "b=$B" \
    --base-url "c=$C" --status st2 $H >out2 2>err || fail "rerun: exit $?: $(cat err)"
eq "rerun: fetched" "2024-01-15-2 b
2024-01-15-4 b" "$(jq -r 'select(.state == "fetched") | "\(.hour) \(.source)"' st2 | sort)"
eq "rerun: cached" 16 "$(jq -r 'select(.state == "cached" and .tries == 0)' st2 | jq -s length)"
eq "rerun: b's requests" 2 "$(grep -c '^GET' "$LOG")"

# The sources from GHA_BASE_URL's blank-separated list, without --base-url.
GHA_BASE_URL="a=$A
	b=$B" gha-fetch -n -d cache 2024-01-15-0 >plan.out || fail "GHA_BASE_URL list"
eq "GHA_BASE_URL list" "2024-01-15-0 cached cache/a/2024-01-15-0.json.gz
2024-01-15-0 cached cache/b/2024-01-15-0.json.gz" "$(cat plan.out)"
# One source keeps the cache folder itself; the default name is the host.
gha-fetch -d one --base-url "$A" --status st3 2024-01-15-0 >out3 || fail "one source"
eq "one source" "one/2024-01-15-0.json.gz" "$(cat out3)"
eq "default name" "127.0.0.1-${A##*:}" "$(jq -r .source st3)"
# Bad sources: exit 2.
for args in "--base-url a=$A --base-url a=$B" "--base-url $A --base-url $A/" \
    "--base-url ftp://x" "--base-url .x=$A" "--base-url git=$A" \
    "--base-url a=$A --base-url b=$A --base-url c=$A --base-url d=$A --base-url e=$A --base-url f=$A --base-url g=$A --base-url h=$A --base-url i=$A"; do
	# shellcheck disable=SC2086
	gha-fetch -n -d x $args 2024-01-15-0 >/dev/null 2>err
	eq "exit for '$args'" 2 $?
done
