# Every generated line is one valid JSON object, as jq reads it line by
# line (jq --seq-less -c re-emits exactly one object per input line).
. "$TESTS/lib.sh"
for s in 2015 2024 2026; do
	gha-gen -n 3000 -B 200K -s 3 $s >o || fail "gen $s"
	jq -c 'type' o >types || fail "$s: jq rejects the output"
	eq "$s objects" "3001 \"object\"" "$(sort types | uniq -c |
	    sed 's/^ *//')"
	# jq must see one value per line, not values spanning lines.
	eq "$s lines" 3001 "$(lines o)"
done
exit 0
