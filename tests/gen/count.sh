# -n events, one a line; -B adds exactly one; the defaults are a real
# hour of the era (7000 events for 2015).
. "$TESTS/lib.sh"
for s in 2015 2024 2026; do
	gha-gen -n 1234 $s >o || fail "gen $s"
	eq "$s lines" 1234 "$(lines o)"
	gha-gen -n 1234 -B 50K $s >o || fail "gen -B $s"
	eq "$s lines with -B" 1235 "$(lines o)"
done
gha-gen >o || fail "gen default"
eq "default lines" 7000 "$(lines o)"
gha-gen -n 1 2026 >o || fail "gen -n 1"
eq "one event" 1 "$(lines o)"
exit 0
