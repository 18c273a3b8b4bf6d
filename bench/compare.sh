#!/bin/sh
# bench/compare.sh - two runs of `make bench` side by side.
#
# usage: sh bench/compare.sh BEFORE.md AFTER.md
#
# Reads the results table of two bench/RESULTS.md files (say, one from git
# show REV:bench/RESULTS.md and the one a run just wrote) and prints, for
# every row both have (section, input and command the same), the wall and
# CPU seconds and peak RSS of each and the ratio after/before of wall and
# CPU, as a Markdown table on stdout.  Rows only one run has are listed
# after it.  Both runs' load averages are printed first: on a shared
# machine a ratio near 1 is within the noise.
set -eu
[ $# -eq 2 ] || { echo "usage: sh bench/compare.sh BEFORE.md AFTER.md" >&2; exit 2; }
for f in "$1" "$2"; do
	[ -r "$f" ] || { echo "bench/compare.sh: $f: cannot read" >&2; exit 2; }
done
printf 'before: %s\n' "$(grep -m 1 '^- load average' "$1" || echo '- load average: not recorded')"
printf 'after:  %s\n\n' "$(grep -m 1 '^- load average' "$2" || echo '- load average: not recorded')"
awk '
# A cell may hold "\|" (a pipeline): kept apart from the separators.
function cells(   line) {
	line = $0
	gsub(/\\\|/, "\001", line)
	nf = split(line, f, / *\| */)
}
function back(s) { gsub(/\001/, "\\|", s); return s }
FNR == 1 { run++ }
/^\| [a-z]/ {
	cells()
	if (f[2] == "section")
		next
	k = back(f[2] " | " f[3] " | " f[4])
	if (run == 1) { order[++n] = k; bw[k] = f[7]; bc[k] = f[6]; br[k] = f[9] }
	else { aw[k] = f[7]; ac[k] = f[6]; ar[k] = f[9]; if (!(k in bw)) only[++m] = k }
}
function ratio(a, b) { return b + 0 > 0 ? sprintf("%.2f", a / b) : "-" }
END {
	print "| section | input | command | wall s before | wall s after | wall after/before | CPU s before | CPU s after | CPU after/before | RSS MB before | RSS MB after |"
	print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= n; i++) {
		k = order[i]
		if (!(k in aw)) { gone[++g] = k; continue }
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k,
		    bw[k], aw[k], ratio(aw[k], bw[k]), bc[k], ac[k],
		    ratio(ac[k], bc[k]), br[k], ar[k]
	}
	if (g) { print "\nOnly before:"; for (i = 1; i <= g; i++) print "- " gone[i] }
	if (m) { print "\nOnly after:"; for (i = 1; i <= m; i++) print "- " only[i] }
}' "$1" "$2"
