# An hour first served corrupt (one byte flipped, every try: gha-decode
# finds the download damaged, then gha-fetch's own check refuses both
# tries of the fetch again) is marked corrupt, and the run fails with
# exit 3 naming it; nothing of it is loaded.  Served right the next time,
# the next run loads it: the events are exactly the mirror's, nothing
# twice.
. "$TESTS/daily/daily.subr"
mkhours m 2024-01-15-0 4
printf '/2024-01-15-2.json.gz corrupt corrupt corrupt ok\n' >plan
start_server s m --plan plan
mkenv
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T04:20:00Z

gha-daily 2>err
eq "exit" 3 $?
grep -q '^  2024-01-15-2: the archive.s file is corrupt' err ||
    fail "summary: $(cat err)"
eq "ledger" "2024-01-15-2 corrupt -" "$(ledger | grep -v ' loaded ')"
expected m 2024-01-15-0 2024-01-15-1 2024-01-15-3 >want
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
eq "no src from the corrupt hour" 0 \
    "$(q "SELECT count(*) FROM events WHERE src = '2024-01-15-2'")"

gha-daily 2>err || fail "exit $?: $(cat err)"
hours 2024-01-15-0 2024-01-15-3 >h
expected m $(cat h) >want
eq "ledger" "$(awk '{ print $1, "loaded", $2 }' want)" "$(ledger)"
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
eq "tries of the corrupt hour" 4 "$(reqs 'GET /2024-01-15-2\.')"
