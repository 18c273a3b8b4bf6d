# Every SPEC form, through the dry run (-n makes no request) at a fixed
# clock.  The expected plan in spec.out was written out by hand from the
# calendar: a day is its 24 hours, a range runs from the first hour of its
# start to the last hour of its end, hours are never zero-padded, and at
# 2024-01-16T10:30Z hour 10 of today has not ended (so "unpublished").
. "$TESTS/lib.sh"
export GHA_NOW=2024-01-16T10:30:00Z GHA_CACHE=cache
u=http://127.0.0.1:9
plan() {
	gha-fetch -n --base-url $u "$@" || fail "exit $?: $*"
}
plan 2024-01-15-7
plan 2024-01-15-22..2024-01-16-1
plan 2024-01-15-7 2024-01-15-6..2024-01-15-8 2024-01-15-8
echo "# day"
plan 2024-01-15 | sed -n '1p;$p'
eq "day hours" 24 "$(plan 2024-01-15 | wc -l | tr -d ' ')"
echo "# month"
plan 2024-01-01..2024-01-31 | sed -n '1p;$p'
eq "month hours" 744 "$(plan 2024-01-01..2024-01-31 | wc -l | tr -d ' ')"
eq "leap february" 696 "$(plan 2024-02-01..2024-02-29 | wc -l | tr -d ' ')"
echo "# day to hour, hour to day"
eq "mixed" 25 "$(plan 2024-01-14-23..2024-01-15 | wc -l | tr -d ' ')"
plan 2024-01-14-23..2024-01-15 | head -1
plan 2024-01-15..2024-01-16-0 | tail -1
echo "# yesterday, today"
plan yesterday | sed -n '1p;$p'
plan today | sed -n '10,11p;$p'
plan yesterday..today | wc -l | tr -d ' '
echo "# a cached hour"
mkdir cache && printf '{}\n' | gzip >cache/2024-01-15-3.json.gz
plan 2024-01-15-3..2024-01-15-4
# Malformed SPECs: exit 2 and nothing on stdout.
for s in 2024-01-15-07 2024-01-15-24 2024-1-15 2024-01-32 2023-02-29 \
    2024-01-15T07 2024-01-16..2024-01-15 2024-01-15.. ..2024-01-15 \
    2024-01-15...2024-01-16 tomorrow '' 20240115 2024-01-15-7x; do
	gha-fetch -n --base-url $u "$s" >out 2>err
	eq "exit for '$s'" 2 $?
	eq "stdout for '$s'" "" "$(cat out)"
	grep -q '^usage: gha-fetch' err || fail "no usage for '$s'"
done
# A zero-padded hour: the message gives the archive's form of it.
for s in 2015-01-01-07:2015-01-01-7 2015-01-01-00:2015-01-01-0 \
    2015-01-01-7..2015-01-02-03:2015-01-02-3; do
	gha-fetch -n --base-url $u "${s%:*}" >out 2>err
	eq "exit for '${s%:*}'" 2 $?
	grep -qx "gha-fetch: ${s%:*}: the archive does not zero-pad the hour: write ${s#*:}" \
	    err || fail "padded '${s%:*}': $(cat err)"
done
GHA_NOW=yesterday gha-fetch -n --base-url $u today >/dev/null 2>err
eq "bad GHA_NOW" 2 $?
grep -q 'GHA_NOW' err || fail "GHA_NOW not named: $(cat err)"
