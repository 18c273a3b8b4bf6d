# The daily job inflates each downloaded byte once: gha-fetch leaves the
# check to gha-decode (--defer-check), which renames each download into
# the cache once proven.  After the run the cache holds exactly the
# mirror's files under their final names and nothing unproven, and each
# hour's ledger SHA-256 is the mirror file's (sha256sum here).  A download
# served damaged once (a flipped byte) gives the database nothing: the
# hour is fetched again in the same run, checked by gha-fetch this time,
# and loaded with exactly the mirror's events.  An unproven file a killed
# run left behind is pruned once its hour is cached.
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 4
printf '/2024-01-15-1.json.gz corrupt ok\n' >plan
start_server s m --plan plan
mkenv
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T04:20:00Z

mkdir cache
echo junk >cache/.2024-01-15-0.json.gz.unproven-abcdef
gha-daily 2>err || fail "exit $?: $(cat err)"
hours 2024-01-15-0 2024-01-15-3 >h
expected m $(cat h) >want
eq "ledger" "$(awk '{ print $1, "loaded", $2 }' want)" "$(ledger)"
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
eq "per hour" "$(awk '{ print $1 "|" $2 }' want | sort)" \
    "$(q 'SELECT src, count(*) FROM events GROUP BY src' | sort)"
eq "tries of the damaged hour" 2 "$(reqs 'GET /2024-01-15-1\.')"
grep -q '2024-01-15-1: the download is damaged; fetched again' log/gha-daily.log ||
    fail "log: $(cat log/gha-daily.log)"
eq "cache" "$(sed 's/$/.json.gz/' h | sort)" "$(ls -A cache | grep -v etag | sort)"
for x in $(cat h); do
	cmp -s "m/$x.json.gz" "cache/$x.json.gz" || fail "$x differs"
	echo "$x $(sha256sum "m/$x.json.gz" | cut -c1-64)"
done >sums
eq "SHA-256" "$(cat sums)" \
    "$(gha-load -Q gha.db | jq -r 'select(.hour) | "\(.hour) \(.sha256)"')"
