# help: every tool and script answers -h, --help, -V and --version on
# stdout with exit 0 and nothing on stderr; the help's usage lines are the
# man page's SYNOPSIS word for word, and every option of the SYNOPSIS has
# a line of its own in the help and every option of the help (aliases
# aside) is in the SYNOPSIS, with the same argument name; the version is
# config.mk's VERSION.
# An option argument that looks like -h is an argument, not a request.
. "$TESTS/lib.sh"
command -v mandoc >/dev/null 2>&1 || skip "mandoc is not installed"

version=$(awk '$1 == "VERSION" && $2 == "=" { print $3 }' "$ROOT/config.mk")
[ -n "$version" ] || fail "no VERSION in config.mk"

for t in gha-fetch gha-decode gha-filter gha-load gha-daily gha-backfill \
    gha-report; do
	for o in -h --help -V --version; do
		"$t" "$o" >"out$o" 2>err
		eq "$t $o: exit status" 0 $?
		eq "$t $o: stderr" "" "$(cat err)"
	done
	cmp -s out-h out--help || fail "$t: -h and --help differ"
	eq "$t -V" "$t $version" "$(cat out-V)"
	eq "$t --version" "$t $version" "$(cat out--version)"

	# The usage lines: up to the first line that is an option's.
	awk '/^  [^ ]/ { exit } { print }' out-h >usage
	grep -q "^usage: $t " usage || fail "$t: no usage line: $(cat out-h)"
	syn=$(mandoc -Tutf8 "$ROOT/man/$t.1" 2>/dev/null | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d')
	n1=$(printf '%s\n' "$syn" | tr '\t\n' '  ' | tr -s ' ' |
	    sed 's/^ //; s/ $//')
	n2=$(sed 's/^usage: //' usage | tr '\t\n' '  ' | tr -s ' ' |
	    sed 's/^ //; s/ $//')
	eq "$t: usage = SYNOPSIS" "$n1" "$n2"
	[ "$(lines usage)" -lt "$(lines out-h)" ] || fail "$t: -h has no options"

	# Every option of the SYNOPSIS, one line of the help each.
	printf '%s\n' "$syn" | tr ' []|' '\n\n\n\n' | grep -- '^-' | sort -u |
	while read -r f; do
		case $f in
		--*)	echo "$f" ;;
		*)	echo "${f#-}" | fold -w 1 | sed 's/^/-/' ;;
		esac
	done >opts
	[ -s opts ] || fail "$t: no options in the SYNOPSIS"
	while read -r f; do
		grep -q -- "^  $f[ ,]" out-h || fail "$t: $f is not in -h: $(cat out-h)"
	done <opts
	# And back: every option of the help is in the SYNOPSIS, but for
	# aliases (--help, "(or --rejects file)"), with the same argument.
	awk -f "$TESTS/cli/helplines.awk" out-h >hl
	awk -F '\t' '$4 == "primary" { print $1 }' hl >hopts
	[ -s hopts ] || fail "$t: no option lines in -h"
	while read -r f; do
		grep -qx -- "$f" opts || fail "$t: $f is in -h, not in the SYNOPSIS"
	done <hopts
	# (An argument follows its option inside the brackets: "-P [target]"
	# is an option and an operand.)
	printf '%s\n' "$syn" | tr '|' ' ' | tr -s ' \t' '\n\n' | awk '
	    { br = sub(/^\[/, "") }
	    /^-/ { o = $0; sub(/\]+$/, "", o); next }
	    o != "" && !br && /^[a-z]/ { sub(/\]+$/, ""); print o "\t" $0 }
	    { o = "" }' | sort -u >synargs
	awk -F '\t' '$4 == "primary" && $2 != "" { print $1 "\t" $2 }' hl |
	    sort -u >hargs
	eq "$t: option arguments, SYNOPSIS = -h" "$(cat synargs)" "$(cat hargs)"
done

# -r's argument is -h: a rejects file of that name, not help.
gha-fetch -n -d -h 2015-01-01-0 >out 2>err || fail "fetch -d -h: $(cat err)"
eq "fetch -d -h" "2015-01-01-0 fetch" "$(cut -d ' ' -f 1,2 out)"
gha-decode -r -V </dev/null >out 2>err
eq "decode -r -V: exit" 0 $?
[ -f ./-V ] || fail "decode -r -V: no rejects file named -V"
# gha-filter stops at its first operand: -h after it is a file name.
printf '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z"}\n' >rec
gha-filter rec -h >out 2>err
eq "filter rec -h: exit" 3 $?
grep -q usage out && fail "filter rec -h printed the usage"
# After --, -h is an operand too.
gha-load -P -- -h >out || fail "-P -- -h"
eq "-- -h" "target_file='-h'" "$(tail -n 1 out)"
exit 0
