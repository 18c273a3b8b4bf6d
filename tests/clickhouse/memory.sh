# memory: gha-load's peak RSS into ClickHouse does not grow with the
# input: 600,000 records take no more than 150,000 (both several
# batches of -b 50000, so both of the batches in hand fill), and stay
# under 32 MB.  A sanitizer build is allowed 16 MB of growth and no
# bound: its shadow memory, and its quarantine of freed blocks that
# grows with the number of requests (held to 4 MB here), are not
# gha-load's.  The records
# are generated here, shaped like 2024 pushes (about 430 bytes a line).
. "$TESTS/lib.sh"
. "$TESTS/clickhouse/server.subr"
[ -x /usr/bin/time ] || skip "no /usr/bin/time"

gen() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			t = 1705276800 + int(i / 14)
			printf "{\"id\":\"%.0f\",\"type\":\"PushEvent\",", 34900000000 + i
			printf "\"created_at\":\"2024-01-15T%02d:%02d:%02dZ\",", \
			    int((t % 86400) / 3600), int((t % 3600) / 60), t % 60
			printf "\"actor_id\":%d,\"actor_login\":\"dev%d\",", \
			    1000 + i % 9973, i % 9973
			printf "\"repo_id\":%d,\"repo_name\":\"org%d/repo-%d\",", \
			    5000 + i % 7919, i % 101, i % 7919
			printf "\"org_id\":null,\"org_login\":null,\"action\":null,"
			printf "\"ref\":\"refs/heads/main\",\"ref_type\":null,"
			printf "\"push_id\":%.0f,\"commits\":%d,", 16400000000 + i, i % 5
			printf "\"distinct_commits\":%d,", i % 5
			printf "\"head\":\"%040x\",\"before\":\"%040x\",", i, i + 1
			printf "\"number\":null,\"public\":true,\"src\":\"2024-01-15-0\"}\n"
		} }'
}
gen 150000 >small
gen 600000 >big
asan=0
nm "$(command -v gha-load)" 2>/dev/null | grep -q __asan_init && asan=1
# (its quarantine held small, so that what grows is gha-load's)
[ $asan -eq 0 ] ||
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"

ch_start
for f in small big; do
	/usr/bin/time -f %M -o rss.$f gha-load --batch 50000 -f $f "$CH_URL/$f" \
	    2>err ||
	    fail "load $f: $(cat err)"
	grep -q " 0 duplicates, 0 rejected" err || fail "$f: $(cat err)"
done
eq "rows" 600000 "$(ch_q 'SELECT count() FROM big.event_store')"
small=$(tail -n 1 rss.small) big=$(tail -n 1 rss.big)
echo "peak RSS: $small KB for 150,000 records, $big KB for 600,000"
[ "$big" -le $((small + 1024 + asan * 16384)) ] ||
    fail "peak RSS grew with the input: $small KB, then $big KB"
[ $asan -eq 1 ] || [ "$big" -lt 32768 ] ||
    fail "peak RSS $big KB, not under 32 MB"
