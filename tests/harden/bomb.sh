# gzip bombs: small files that inflate to 20 GB.  Every reader of gzip
# (gha-decode, gha-filter, gha-load) keeps its peak memory (maximum RSS,
# measured by /usr/bin/time -f %M) within the line limit (-L) plus a fixed
# amount, however far it gets: one endless line is skipped whole as over
# the limit; 20 GB of short valid lines stream through.  A run is cut by
# timeout(1) after two seconds (exit 124: it was still going), so the
# case is not timed and never waits for 20 GB; memory was bounded all
# the while.  The bombs are made here: one member of 64 MB compressed
# once (about 64 KB) and written 320 times, as gzip readers must take
# concatenated members as one stream.
#
# No tool has a limit on the total size of its input: a bomb is bounded in
# memory, not in time (gha-fetch, verifying a download, inflates it all).
. "$TESTS/lib.sh"
[ -x /usr/bin/time ] || skip "no /usr/bin/time"
command -v timeout >/dev/null 2>&1 || skip "no timeout(1)"
python3 - "$(flat_rec '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z"}')" <<'PY'
import sys, zlib
def member(first, fill, name):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [c.compress(first)]
    for _ in range(64):
        out.append(c.compress(fill))
    out.append(c.flush())
    open(name, "wb").write(b"".join(out))
# one line without end: {"x":"aaaa...
member(b'{"x":"', b"a" * (1 << 20), "line.gz")
# short valid events, 1 MB of them a block
ev = b'{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","payload":{"size":1}}\n'
member(b"", ev * ((1 << 20) // len(ev)), "lines.gz")
# the same as flat records, for gha-load (which refuses raw events)
rec = sys.argv[1].encode() + b"\n"
member(b"", rec * ((1 << 20) // len(rec)), "recs.gz")
PY
for k in line lines recs; do
	i=0
	while [ $i -lt 320 ]; do
		cat $k.gz
		i=$((i + 1))
	done >$k-bomb.gz
done
eq "one line: inflated size of a member" 67108870 "$(gzip -dc line.gz | wc -c | tr -d ' ')"
echo "bombs: $(wc -c <line-bomb.gz) and $(wc -c <lines-bomb.gz) bytes, 20 GB each inflated"

# A sanitizer build keeps shadow memory and a quarantine of freed blocks:
# there the bounds are four times as large, plus 64 MB.
asan=0
nm "$(command -v gha-decode)" 2>/dev/null | grep -q __asan_init && asan=1
# rss LIMIT_KB NAME CMD...: run CMD for at most 2 s, stdout to /dev/null;
# its peak RSS must stay under LIMIT_KB; prints it.
rss() {
	_lim=$1 _name=$2
	shift 2
	[ $asan -eq 0 ] || _lim=$((_lim * 4 + 65536))
	/usr/bin/time -o rss.out -f %M timeout 2 "$@" >/dev/null 2>err
	_st=$?
	_kb=$(tail -n 1 rss.out)
	case $_st in
	124) ;;
	*) [ "$_name" = short ] || fail "$*: exit $_st before its end: $(cat err)" ;;
	esac
	grep -qi 'memory\|alloc' err && fail "$*: $(cat err)"
	[ "$_kb" -lt "$_lim" ] || fail "$*: peak RSS $_kb KB, over $_lim KB"
	echo "$_name: $* — peak RSS $_kb KB"
}

rss 12000 line gha-decode -L 1M line-bomb.gz
rss 40000 line gha-decode line-bomb.gz	# the default -L, 16M
rss 12000 line gha-filter -j 2 -L 1M line-bomb.gz
rss 12000 line gha-load -L 1M -f line-bomb.gz bomb.db
rss 16000 lines gha-decode lines-bomb.gz
rss 40000 lines gha-filter -t PushEvent lines-bomb.gz
# every record after the first is a duplicate: gha-load keeps two
# batches at most; raw events it refuses, each one, in bounded memory too
rss 64000 recs gha-load -f recs-bomb.gz bomb.db
rss 64000 lines gha-load -f lines-bomb.gz bomb.db
# On standard input, into a reader that does not read: the output waits,
# the memory does not grow.
/usr/bin/time -o rss.out -f %M timeout 2 gha-decode <lines-bomb.gz 2>err |
    sleep 3
kb=$(tail -n 1 rss.out)
[ "$kb" -lt $((16000 + asan * 113536)) ] || fail "gha-decode into a stalled pipe: peak RSS $kb KB"
echo "lines: gha-decode <lines-bomb.gz | sleep 3 — peak RSS $kb KB"
