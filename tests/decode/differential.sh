# gha-decode's scanner against a full jansson parse (tests/refdecode.c):
# both must reject exactly the same lines and produce the same records,
# over every sample of every era, over randomly damaged copies of them,
# over hostile edge cases (edge-cases.py) and over generated hours.
# Without the samples, generated hours of every shape (timeline events
# from tests/timeline.jq) stand in for them, damaged the same way.
. "$TESTS/lib.sh"

# compare FILE: decode FILE both ways and demand identical results.
compare() {
	gha-decode -q -r rej.gha "$1" | refdecode -n >rec.gha
	refdecode -r rej.ref "$1" >rec.ref
	cmp -s rec.gha rec.ref || fail "$1: records differ:
$(diff rec.gha rec.ref | head -5 | cut -c1-300)"
	cmp -s rej.gha rej.ref || fail "$1: rejected lines differ:
$(diff rej.gha rej.ref | head -5 | cut -c1-300)"
	echo "$(basename "$1"): $(lines rec.gha) records, $(lines rej.gha) rejected"
}

if have_samples; then
	S=$SAMPLES
	for f in "$S"/*/*.json.gz "$S"/*/*.ndjson \
	    "$S/go-faster-gha/sample.small.json" \
	    "$S/ikwattro-gh4j/events.json" "$S/quickwit-oss-tantivy/gh.json"; do
		case $f in *2015-01-01-11.json.gz) continue ;; esac
		compare "$f"
	done
	set -- "$S/go-faster-gha/sample.small.json" \
	    "$S/ikwattro-gh4j/events.json" \
	    "$S/azaidrahman-azaidsani/all_versions_union.ndjson" \
	    "$S/cncf-devstats/analysis_events_stripped.ndjson"
else
	sample_hours
	gen_timeline 3000 3 >timeline.json || fail "timeline events"
	gha-gen -n 1300 -s 3 2024 >mixed.json || fail "gha-gen 2024"
	gha-gen -n 650 -s 3 2026 >slim.json || fail "gha-gen 2026"
	zcat 2015-01-01-3.json.gz | head -n 500 >h3.json
	for f in 2015-01-01-*.json.gz timeline.json; do
		compare "$f"
	done
	set -- mixed.json timeline.json slim.json h3.json
fi

# Damaged copies: 8 variants of every line, two seeds.
for seed in 1 2; do
	for f; do
		refdecode -m $seed "$f" >damaged-$seed.json
		compare damaged-$seed.json
		[ "$(lines rej.gha)" -gt 100 ] ||
		    fail "the mutator damaged too few lines"
	done
done

python3 "$TESTS/decode/edge-cases.py" >edge.json
compare edge.json

if command -v gha-gen >/dev/null 2>&1; then
	for shape in 2015 2024 2026; do
		gha-gen -n 3000 -s 7 $shape >gen-$shape.json ||
		    fail "gha-gen $shape"
		compare gen-$shape.json
	done
fi
