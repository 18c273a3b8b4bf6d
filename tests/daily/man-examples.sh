# Every EXAMPLE of gha-daily(1) and gha-backfill(1) runs, against the
# local mirror (the dev environment pointed at it by an environment file
# in GHA_ENV_DIR), with pipefail; the crontab line is the one of
# scripts/gha.crontab.  Results are checked against zcat's counts.
. "$TESTS/daily/daily.subr"
command -v bash >/dev/null 2>&1 || skip "bash is not installed"
mkhours m 2015-01-01-0 24
mkhours m 2024-01-15-0 24
start_server s m
mkenv
cp env/test.conf env/dev.conf
sed -i "s|^target=.*|target=$PWD/dev.db|" env/dev.conf
unset GHA_ENV
export GHA_NOW=2024-01-16T00:15:00Z

for page in gha-daily gha-backfill; do
	man_examples "$ROOT/man/$page.1" >examples
	[ "$(lines examples)" -ge 3 ] || fail "$page: no examples"
	while IFS= read -r ex; do
		case $ex in
		"15 0 * * * "*)
			grep -qxF "$ex" "$ROOT/scripts/gha.crontab" ||
			    fail "crontab line not in scripts/gha.crontab" ;;
		*)	run_example "$ex" ;;
		esac
		echo "$ex" >>ran
	done <examples
done

hours 2024-01-15-0 2024-01-15-23 >h
expected m $(cat h) >want
eq "replay" "$(sumof want)" "$(sqlite3 replay.db 'SELECT count(*) FROM events')"
eq "coverage" "2024-01-15|24|0|0|0|0|24" "$(sqlite3 replay.db 'SELECT * FROM daily_coverage')"
[ -e test.db ] && fail "-n created test.db"
hours 2015-01-01-0 2015-01-01-23 >h
expected m $(cat h) >want
eq "backfill" "$(sumof want)" "$(sqlite3 dev.db 'SELECT count(*) FROM events')"
hours 2024-01-15-0 2024-01-15-5 >h
expected m $(cat h) >want
eq "other.db" "$(sumof want)" "$(sqlite3 other.db 'SELECT count(*) FROM events')"
