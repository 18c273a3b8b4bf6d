# gha-daily's commit counts into ClickHouse (a throwaway clickhouse-server,
# tests/clickhouse): the day's pushes resolved by the loopback fake API
# land in the server's push_commits with their true counts (daily.subr's
# slim_truth), and its daily_summary gives the pushes by source, as an
# SQLite run of the same day does; the SQLite run asks nothing (the
# answers are in the cache).
. "$TESTS/daily/daily.subr"
. "$TESTS/clickhouse/server.subr"
mkhours m 2026-02-01-0 31 2026
start_server s m
start_api
ch_start
trap 'ch_kill; for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT
chmod 600 ch/loader.pw
mkenv "target=$CH_URL/gha" "password_file=$PWD/ch/loader.pw" \
    clickhouse_user=loader "github_api=$API" commits=api
export GHA_START=2026-02-01 GHA_NOW=2026-02-02T07:20:00Z
unset GHA_GITHUB_API GHA_GITHUB_TOKEN_FILE GHA_GIT_URL
slim_truth m 2026-02-01 >truth || fail "truth"

gha-daily 2>err || fail "exit $?: $(cat err)"
asked=$(truth_asked)
eq "requests" "$asked" "$(lines api.log)"
eq "push_commits" "$(awk '$4 == "api" || $4 == "rule" { print $1, $3 }' \
    truth | sort)" "$(ch_q "SELECT push_id, commits FROM gha.push_commits
    FINAL WHERE state = 'resolved'" | tr '\t' ' ' | sort)"
want=$(awk '{ n[$4]++ } END { printf "0\t0\t%d\t%d\t%d\n", n["api"],
    n["rule"], n["gone"] + n["skip"] }' truth)
eq "daily_summary" "$want" "$(ch_q "SELECT pushes_archive, pushes_git,
    pushes_api, pushes_rule, pushes_bounded FROM gha.daily_summary
    WHERE day = '2026-02-01'")"
GHA_DB=$PWD/gha.db gha-daily 2>err || fail "sqlite: exit $?: $(cat err)"
eq "sqlite: no request" "$asked" "$(lines api.log)"
eq "sqlite: daily_summary" "$(echo "$want" | tr '\t' '|')" \
    "$(q "SELECT pushes_archive, pushes_git, pushes_api, pushes_rule,
    pushes_bounded FROM daily_summary WHERE day = '2026-02-01'")"
exit 0
