# Every EXAMPLE of gha-fetch(1), run as written, against the local server
# (GHA_BASE_URL) with a scratch cache (GHA_CACHE).  January 2024 is a
# mirror of 744 hours that all hold the same three real events (the first
# lines of a sample file); the 2015 hours are the real samples.  Without
# the samples, generated events and hours of the same sizes (lib.sh).
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
sample_hours
mkdir m
if have_samples; then
	head -n 3 "$SAMPLES/simdjson-data/github_events.ndjson"
else
	gha-gen -n 3 -s 2 2024
fi | gzip -n >three.gz
for d in $(seq 1 31); do
	for h in $(seq 0 23); do
		ln -s ../three.gz "m/2024-01-$(printf %02d "$d")-$h.json.gz"
	done
done
mv 2015-01-01-12.json.gz 2015-01-01-1.json.gz m/
start_server s m
export GHA_BASE_URL=$URL GHA_CACHE=cache

# 1. The month backfill (gha-load skipped while it is not built).
if command -v gha-load >/dev/null 2>&1; then
	gha-fetch -j 8 --rate 20M 2024-01-01..2024-01-31 | gha-decode | gha-load gha.db ||
	    fail "example 1: exit $?"
	[ -s gha.db ] || fail "example 1: no database"
else
	gha-fetch -j 8 --rate 20M 2024-01-01..2024-01-31 | gha-decode >recs ||
	    fail "example 1: exit $?"
	eq "example 1 records" $((744 * 3)) "$(lines recs)"
fi
eq "example 1 hours cached" 744 "$(ls cache | grep -c '^2024-01-')"
eq "example 1 requests" 744 "$(reqs GET)"

# 2. The plan: hour 1 cached after this fetch, the others not.
gha-fetch 2015-01-01-1 >/dev/null || fail "fetch hour 1"
gha-fetch -n 2015-01-01-0..2015-01-01-5 >plan || fail "example 2: exit $?"
eq "example 2" "2015-01-01-0 fetch $URL/2015-01-01-0.json.gz
2015-01-01-1 cached cache/2015-01-01-1.json.gz
2015-01-01-2 fetch $URL/2015-01-01-2.json.gz
2015-01-01-3 fetch $URL/2015-01-01-3.json.gz
2015-01-01-4 fetch $URL/2015-01-01-4.json.gz
2015-01-01-5 fetch $URL/2015-01-01-5.json.gz" "$(cat plan)"

# 3. Event types of one hour; they add up to the hour's 8273 events.
gha-fetch --cat 2015-01-01-12 | gha-decode -p | jq -r .type | sort | uniq -c >types
eq "example 3 events" 8273 "$(awk '{n += $1} END {print n}' types)"
grep -q ' PushEvent$' types || fail "example 3: $(cat types)"

# 4. The daily job's fetch: 2015-01-01 has only hours 1 and 12 here, so
# the status is 10 and the example says nothing.
export GHA_NOW=2015-01-02T08:00:00Z
gha-fetch -q yesterday > hours; st=$?
[ $st -eq 0 ] || [ $st -eq 10 ] || echo "fetch failed: $st" >&2
eq "example 4 status" 10 $st
eq "example 4 hours" "cache/2015-01-01-1.json.gz
cache/2015-01-01-12.json.gz" "$(cat hours)"
