# The first run with the dev environment and nothing set but the
# archive's URL: no file in the current folder; the database and the
# report under XDG_DATA_HOME/gha, the log and lock under
# XDG_STATE_HOME/gha, the cache under XDG_CACHE_HOME/gha; and, without the
# XDG variables, the same under HOME.  At 21:15 UTC a first run takes
# yesterday's 24 hours and today's 21 published ones (hour 20 ended at
# 21:00 and is published 15 minutes later): 45 hours, as README.md says.
. "$TESTS/daily/daily.subr"
mkdir run
mkhours m 2024-01-15-0 48
start_server s m
unset GHA_ENV GHA_ENV_DIR GHA_DB GHA_CACHE GHA_START
export GHA_BASE_URL=$URL GHA_NOW=2024-01-16T21:15:00Z
export XDG_DATA_HOME=$PWD/data XDG_STATE_HOME=$PWD/state \
    XDG_CACHE_HOME=$PWD/cache
grep -q '45 hours on a first run at 21:15 UTC' "$ROOT/README.md" ||
    fail "README's set-up section does not say it"

(cd run && gha-daily) 2>err || fail "exit $?: $(cat err)"
eq "nothing in the current folder" "" "$(ls -A run)"
db=data/gha/gha.db
[ -s $db ] || fail "no $db: $(find . -name '*.db')"
eq "hours" 45 "$(gha-load -Q $db | grep -c '"status":"loaded"')"
hours 2024-01-15-0 2024-01-16-20 >h
expected m $(cat h) >want
eq "events" "$(sumof want)" "$(sqlite3 $db 'SELECT count(*) FROM events')"
[ -s data/gha/report/report.html ] || fail "no report under data/gha"
[ -s data/gha/report/summary.csv ] || fail "no summary.csv under data/gha"
grep -q ' gha-daily\[[0-9]*\]: done: 45 hours loaded' state/gha/gha-daily.log ||
    fail "log: $(tail -n 2 state/gha/gha-daily.log 2>&1)"
[ -e state/gha/gha-daily.lock ] || fail "no lock under state/gha"
eq "cache" 45 "$(ls cache/gha | grep -c 'json\.gz$')"

# Without the XDG variables: under HOME.
unset XDG_DATA_HOME XDG_STATE_HOME XDG_CACHE_HOME
mkdir home
(h=$PWD/home && cd run && HOME=$h gha-daily -n -v) >plan 2>err ||
    fail "-n: exit $?: $(cat err)"
grep -qx "target $PWD/home/.local/share/gha/gha.db" plan || fail "$(cat plan)"
grep -qx "log $PWD/home/.local/state/gha/gha-daily.log" plan || fail "$(cat plan)"
grep -qx "output $PWD/home/.local/share/gha/report" plan || fail "$(cat plan)"
eq "-n touches nothing" "" "$(ls -A home; ls -A run)"
