# Hours made with -H are different events: no id is shared between the
# five 2015 hours the tests generate in place of the samples (lib.sh,
# gen_hours), nor between neighbouring 2024 hours; ids still rise within
# an hour, and the default hour is unchanged by -H naming it.
. "$TESTS/lib.sh"
for h in 1 3 4 5 12; do
	gha-gen -n 8300 -s $h -H 2015-01-01-$h 2015 | jq -r .id >ids.$h ||
	    fail "gen hour $h"
	sort -n -c ids.$h 2>/dev/null || fail "ids of hour $h do not rise"
done
eq "ids shared between hours" 0 "$(cat ids.* | sort | uniq -d | lines /dev/stdin)"
eq "ids in all" 41500 "$(cat ids.* | sort -u | lines /dev/stdin)"
gha-gen -n 3000 -s 1 -H 2024-01-15-23 2024 | jq -r .id >a
gha-gen -n 3000 -s 1 -H 2024-01-16-0 2024 | jq -r .id >b
eq "2024 neighbours share" 0 "$(sort a b | uniq -d | lines /dev/stdin)"
gha-gen -n 100 2015 >d1
gha-gen -n 100 -H 2015-01-01-15 2015 >d2
cmp -s d1 d2 || fail "-H naming the default hour changes the output"
