# helplines.awk - the option lines of a tool's --help, one per option:
#   OPTION <tab> ARGUMENT <tab> DESCRIPTION <tab> primary|alias
# An option line is two spaces, the option (and its argument), two or
# more spaces, the description; a long option line may end after the
# argument, the description on the next line.  "-h, --help" gives -h and
# its alias --help; a description ending "(or --rejects file)" names an
# alias too.  Operand lines (spec, file, target) are not options.
function flush(   n, i, a, head, arg, alias) {
	if (pend == "")
		return
	head = pend
	n = split(head, a, ", ")
	for (i = 1; i <= n; i++) {
		arg = a[i]
		sub(/^[^ ]+ ?/, "", arg)
		opt = a[i]
		sub(/ .*/, "", opt)
		printf "%s\t%s\t%s\t%s\n", opt, arg, desc, i == 1 ? "primary" : "alias"
	}
	if (match(desc, /\(or --[a-z-]+( [a-z]+)?\)$/)) {
		alias = substr(desc, RSTART + 4, RLENGTH - 5)
		arg = alias
		sub(/^[^ ]+ ?/, "", arg)
		sub(/ .*/, "", alias)
		printf "%s\t%s\t%s\talias\n", alias, arg, desc
	}
	pend = ""
}
/^  -/ {
	flush()
	line = substr($0, 3)
	if (match(line, /   */)) {
		pend = substr(line, 1, RSTART - 1)
		desc = substr(line, RSTART + RLENGTH)
	} else {
		pend = line
		desc = ""
		want = 1
	}
	next
}
want && /^       / {
	desc = $0
	sub(/^ */, "", desc)
	want = 0
	next
}
{ flush(); want = 0 }
END { flush() }
