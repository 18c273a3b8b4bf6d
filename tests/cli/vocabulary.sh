# vocabulary: a letter means one thing in every tool.  The table of
# doc/design.md ("Conventions every tool keeps") against every tool's and
# script's --help, parsed line by line (helplines.awk): an option of the
# table is in the help of exactly the tools it names, with the table's
# argument and its words in the line; an option in the help of two tools
# is in the table.  Every letter given up (the second table) is refused
# with exit 2 and a message naming its new spelling, which the tool's help
# has, and the tool does nothing else; --rejects, an alias of -r in
# gha-decode and gha-load, keeps the same lines as -r.
. "$TESTS/lib.sh"

design=$ROOT/doc/design.md
tools="fetch decode filter load daily backfill report"
for t in $tools; do
	"gha-$t" --help >help.$t || fail "gha-$t --help: exit $?"
	awk -f "$TESTS/cli/helplines.awk" help.$t | sed "s/^/$t	/"
done >opts
[ "$(lines opts)" -gt 60 ] || fail "too few option lines: $(cat opts)"

# The vocabulary table: | `-x`[, `--long`] | arg | words | tool, tool |
sed -n '/^## Conventions every tool keeps/,/^## /p' "$design" |
    awk -F '|' '$2 ~ /^ `-/ {
	for (i = 2; i <= 5; i++) { gsub(/^ +| +$|`/, "", $i) }
	gsub(/, /, " ", $5)
	n = split($2, o, ", ")		# "-h, --help": both
	for (i = 1; i <= n; i++)
		printf "%s|%s|%s|%s\n", o[i], $3, $4, $5
}' >table
[ "$(lines table)" -ge 10 ] || fail "no vocabulary table in $design: $(cat table)"

# (| between the fields: an empty argument survives read.)
while IFS='|' read -r o arg words want; do
	have=$(awk -F '\t' -v o="$o" '$2 == o { print $1 }' opts | sort -u |
	    tr '\n' ' ' | sed 's/ $//')
	eq "$o: the tools with it" "$(printf '%s\n' $want | sort | tr '\n' ' ' |
	    sed 's/ $//')" "$have"
	awk -F '\t' -v o="$o" -v arg="$arg" -v w="$words" '$2 == o {
		if ($3 != arg)
			printf "gha-%s: %s takes \"%s\", not \"%s\"\n", $1, o,
			    $3, arg
		if (index(tolower($4), tolower(w)) == 0)
			printf "gha-%s: %s: \"%s\" does not say \"%s\"\n", $1,
			    o, $4, w
	}' opts >bad
	[ ! -s bad ] || fail "$(cat bad)"
done <table

# An option two tools list is one of the table's.
cut -f 1,2 opts | sort -u | cut -f 2 | sort | uniq -d >shared
cut -d '|' -f 1 table | sort >known
comm -23 shared known >stray
[ ! -s stray ] || fail "in the help of two tools but not in $design:" \
    "$(awk -F '\t' 'NR == FNR { s[$1]; next } $2 in s' stray opts)"

# The letters given up: | tool | `-x`: `--new`, ... |
sed -n '/^## Conventions every tool keeps/,/^## /p' "$design" |
    awk -F '|' '$3 ~ /`-[a-zA-Z]`: `--/ {
	t = $2; gsub(/ /, "", t)
	n = split($3, a, ",")
	for (i = 1; i <= n; i++) {
		gsub(/[ `]/, "", a[i])
		split(a[i], p, ":")
		printf "%s\t%s\t%s\n", t, p[1], p[2]
	}
}' >renamed
[ "$(lines renamed)" -ge 10 ] || fail "no table of letters given up: $(cat renamed)"
mkdir cache
while IFS='	' read -r t old new; do
	awk -F '\t' -v t="$t" -v o="$old" '$1 == t && $2 == o' opts |
	    grep -q . && fail "gha-$t: $old is given up but in the help"
	awk -F '\t' -v t="$t" -v o="$new" '$1 == t && $2 == o' opts |
	    grep -q . || fail "gha-$t: $old points to $new, which it lacks"
	# "1" is the old argument or, for a flag, an operand: either way
	# the letter is refused before anything is read or fetched.
	GHA_CACHE=$PWD/cache GHA_BASE_URL=http://127.0.0.1:9 GHA_DB=$PWD/no.db \
	    "gha-$t" "$old" 1 </dev/null >out 2>err
	eq "gha-$t $old 1: exit" 2 $?
	eq "gha-$t $old 1: message" "gha-$t: $old is now $new" "$(head -n 1 err)"
	grep -q "^usage: gha-$t " err || fail "gha-$t $old: no usage: $(cat err)"
	eq "gha-$t $old 1: stdout" "" "$(cat out)"
done <renamed
[ ! -e no.db ] || fail "a refused letter opened the database"
eq "a refused letter fetched" "" "$(ls cache)"

# The crontab line of an earlier version: stopped, with the new spelling.
gha-fetch -d cache -r 3 yesterday >out 2>err
eq "fetch -r 3: exit" 2 $?
eq "fetch -r 3" "gha-fetch: -r is now --retries" "$(head -n 1 err)"
# gha-filter's -r was the repository globs: never taken for a rejects file.
printf '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z"}\n' >rec
gha-filter -r 'x' rec >out 2>err
eq "filter -r x: exit" 2 $?
[ ! -e x ] || fail "gha-filter -r x wrote a file x"

# --rejects and -r keep the same lines, in every tool that has them.
printf 'junk one\n{"id":\n' >bad.json
want=$(printf 'junk one\n{"id":\n')
for f in r rejects; do
	[ $f = r ] && o=-r || o=--rejects
	gha-decode -q $o dec.$f bad.json >/dev/null
	eq "decode $o: exit" 1 $?
	eq "decode $o" "$want" "$(cat dec.$f)"
	gha-load -q $o load.$f -f bad.json load-$f.db
	eq "load $o: exit" 1 $?
	eq "load $o" "$want" "$(cat load.$f)"
done
gha-filter -q --rejects flt.rej bad.json >/dev/null
eq "filter --rejects: exit" 1 $?
eq "filter --rejects" "$want" "$(cat flt.rej)"
exit 0
