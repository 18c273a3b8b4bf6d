# Every EXAMPLE of gha-report(1) runs, in order, over a real sample hour
# (the first example loads it); the expected numbers are the hour's
# records (8,273, counted in tests/decode/samples-2015.sh).
. "$TESTS/lib.sh"
sample_hours
man_examples "$ROOT/man/gha-report.1" >examples
eq examples 4 "$(lines examples)"
while IFS= read -r cmd; do
	run_example "$cmd"
	case $cmd in
	*gha-load*)
		grep -q '^2015-01-01  *8273 ' example.out ||
		    fail "text: $(cat example.out)" ;;
	*gt1.csv*)
		eq "gt1 rows" 11 "$(lines gt1.csv)"
		eq "gt1 header" actor_login,days,commits,commits_estimated \
		    "$(head -1 gt1.csv)" ;;
	*out*)
		eq "out" "report.html summary.csv" "$(echo $(cat example.out))" ;;
	*jq*)
		eq "jq" "2015-01-01 8273" "$(cat example.out)" ;;
	esac
done <examples
