# Same seed and options give the same bytes, plain and gzip, faults
# included; another seed gives other bytes.
. "$TESTS/lib.sh"
for s in 2015 2024 2026; do
	gha-gen -n 1500 -s 7 $s >a || fail "gen $s"
	gha-gen -n 1500 -s 7 $s >b || fail "gen $s again"
	cmp -s a b || fail "$s: two runs differ"
	gha-gen -n 1500 -s 8 $s >c || fail "gen $s seed 8"
	cmp -s a c && fail "$s: seeds 7 and 8 give the same output"
	gha-gen -z -n 1500 -s 7 $s >a.gz || fail "gen -z $s"
	gha-gen -z -n 1500 -s 7 $s >b.gz || fail "gen -z $s again"
	cmp -s a.gz b.gz || fail "$s: two gzip runs differ"
	# gzip output is the plain output compressed.
	gzip -dc a.gz | cmp -s - a || fail "$s: -z is not the plain bytes"
done
gha-gen -n 2000 -D 0.05 -B 100K 2024 >d1 2>e1 || fail "gen -D"
gha-gen -n 2000 -D 0.05 -B 100K 2024 >d2 2>e2 || fail "gen -D again"
cmp -s d1 d2 || fail "-D -B: two runs differ"
cmp -s e1 e2 || fail "-D: two reports differ"
# -o writes the same bytes as stdout.
gha-gen -n 1500 -s 7 -o o.json 2015 || fail "gen -o"
gha-gen -n 1500 -s 7 2015 | cmp -s - o.json || fail "-o differs from stdout"
[ ! -e o.json.tmp ] || fail "temporary file left behind"
exit 0
