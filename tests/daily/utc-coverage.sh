# Coverage by UTC hour (design.md, "The hour ledger"): a whole generated
# 2012 day of timeline files, named by their US-Pacific hour and holding
# -07:00 events, served by the loopback mirror, two hours of it missing.
# gha-backfill loads it; daily_coverage must count, per UTC day, the UTC
# hours of the events (computed here with jq) and the missing names'
# UTC hours (computed with date and the tz database), not the names' day.
# Then the real samples where present: a Pacific file and a UTC one.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
. "$TESTS/daily/daily.subr"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
mkdir m
for p in $(seq 0 23); do
	u=$(TZ=UTC date -d "@$(( $(TZ=America/Los_Angeles date -d \
	    "2012-06-14 $p:00" +%s) ))" +%Y-%m-%d-%-H)
	"$TBIN/gha-gen" -n $((20 + p)) -s $((p + 1)) -H "$u" 2015 |
	    jq -c -f "$TESTS/timeline.jq" | gzip >"m/2012-06-14-$p.json.gz" ||
	    fail "gha-gen $u"
done
rm m/2012-06-14-3.json.gz m/2012-06-14-20.json.gz
start_server s m
mkenv
export GHA_NOW=2012-06-20T00:00:00Z
gha-backfill 2012-06-14-0..2012-06-14-23 2>err
[ $? -eq 0 ] || fail "backfill: $(cat err)"
# The UTC hours the events hold, per UTC day, from the mirror's files.
for f in m/*.json.gz; do
	gzip -dc "$f" | jq -r '.created_at | sub("-07:00$"; "Z") |
	    fromdateiso8601 + 25200 | strftime("%Y-%m-%d %H")' | sort -u
done | sort -u | awk '{ n[$1]++ } END { for (d in n) print d, n[d] }' |
    sort >loaded
for p in 3 20; do
	TZ=UTC date -d "@$(TZ=America/Los_Angeles date -d "2012-06-14 $p:00" \
	    +%s)" +%Y-%m-%d
done | sort | uniq -c | awk '{ print $2, $1 }' >missing
want=$(join -a 1 -e 0 -o 0,1.2,2.2 loaded missing |
    awk '{ print $1 "|" $2 "|" $3 "|" 24 - $2 - $3 "|0" }')
[ "$(wc -l <loaded)" -eq 2 ] || fail "the day should span 2 UTC days"
eq "daily_coverage by UTC hour" "$want" "$(q "SELECT day, hours_loaded,
    hours_missing, hours_pending, hours_corrupt
    FROM daily_coverage ORDER BY day")"
eq "summary's coverage" "$(echo "$want" | cut -d '|' -f 1-4)" \
    "$(q 'SELECT day, hours_loaded, hours_missing, hours_pending
    FROM daily_summary ORDER BY day')"
eq "files loaded" 22 "$(q 'SELECT sum(files_loaded) FROM daily_coverage')"

# The real samples: the ledger row's UTC hour is the hour of its events.
have_samples || exit 0
rm -f gha.db
for f in nickderobertis-py-gh-archive/2012-06-14-15 \
    klangner-github-analysis/2012-10-13-0 \
    klangner-github-analysis/2012-04-01-0; do
	[ -e "$SAMPLES/$f.json.gz" ] || continue
	h=${f#*/}
	gha-decode -q --status st "$SAMPLES/$f.json.gz" >/dev/null ||
	    fail "decode $f"
	first=$(jq -r 'select(.hour == "'"$h"'") | .first' st)
	# jq's own view of the span, from the raw events.
	eq "$h first" "$(gzip -dc "$SAMPLES/$f.json.gz" | jq -rn '[inputs.created_at |
	    if endswith("Z") then fromdateiso8601 else
	    (.[0:19] + "Z" | fromdateiso8601) + 25200 end] | min |
	    todateiso8601')" "$first"
	jq -c 'select(.hour == "'"$h"'") | {hour, status: "loaded",
	    events: .records, bad_lines: .rejected, bytes: 1, sha256: null,
	    first, last}' st | gha-load -H gha.db || fail "-H $h"
	want=$(gzip -dc "$SAMPLES/$f.json.gz" | jq -rn '[inputs.created_at |
	    if endswith("Z") then fromdateiso8601 else
	    (.[0:19] + "Z" | fromdateiso8601) + 25200 end] |
	    group_by(. / 3600 | floor) | max_by(length)[0] |
	    strftime("%Y-%m-%dT%H:00:00Z")')
	eq "$h UTC hour" "$want 1" "$(gha-load -Q gha.db |
	    jq -r 'select(.hour == "'"$h"'") | "\(.utc) \(.utc_hours)"')"
done
