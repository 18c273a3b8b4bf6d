# Every EXAMPLE of gha-decode(1) runs, over the real sample hours.  The
# fetch example gets a local server serving the same files (tests/server).
# Without the samples, generated hours of the same names and sizes.
. "$TESTS/lib.sh"
sample_hours
pushes=4284	# in the real hour 12; counted by jq in a generated one
have_samples || pushes=$(zcat 2015-01-01-12.json.gz |
    jq -c 'select(.type == "PushEvent")' | lines /dev/stdin)
man_examples "$ROOT/man/gha-decode.1" >examples
[ "$(lines examples)" -ge 4 ] || fail "examples not found"
while IFS= read -r cmd; do
	for tool in gha-fetch gha-filter gha-load; do
		case $cmd in *$tool*)
			command -v $tool >/dev/null ||
			    skip "$tool not built yet" ;;
		esac
	done
	case $cmd in *gha-fetch*)
		[ -f "$TESTS/server/httpd.py" ] || skip "no test server yet"
		continue ;;	# run by tests/fetch (needs the server)
	esac
	run_example "$cmd"
	case $cmd in
	*gha-load*)
		eq "pushes loaded" "$pushes" "$(sqlite3 gha.db \
		    "select count(*) from events where src = '2015-01-01-12'")" ;;
	*uniq*)
		eq "types" 8273 "$(awk '{ n += $1 } END { print n }' example.out)" ;;
	*valid*)
		eq "valid" valid "$(cat example.out)" ;;
	esac
done <examples
