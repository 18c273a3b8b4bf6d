# A full disk for the cache, the database and standard output, stdout to
# /dev/full and to a closed pipe: a clear error, a non-zero exit, nothing
# corrupt or half-written under a final name, and a clean rerun.
#
# The disk fills two ways.  A file-size limit (ulimit -f, in 512-byte
# blocks in sh) with SIGXFSZ ignored makes write(2) fail with EFBIG,
# which the tool must report; with SIGXFSZ at its default the kernel
# kills the tool mid-write, a crash the next run must survive.  A small
# tmpfs gives a real ENOSPC; it needs mount(8) as root, and that part is
# skipped, with a note, where mount is not permitted.  (tests/filter and
# tests/report check /dev/full for gha-filter and gha-report.)
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
# The mirror: three real hours of about 2 MB (or generated ones of the
# same sizes), so that every output below is larger than a pipe's buffer.
sample_hours
mkdir m
for h in 3 4 5; do
	mv 2015-01-01-$h.json.gz m/
done
start_server s m
hours=2015-01-01-3..2015-01-01-5
printf 'c/2015-01-01-%d.json.gz\n' 3 4 5 >want.list
src=m/2015-01-01-4.json.gz
gha-decode -q "$src" >recs || fail "decode"
total=$(lines recs)

# limited BLOCKS CMD...: CMD under a file-size limit, SIGXFSZ ignored.
limited() {
	_b=$1
	shift
	(ulimit -f "$_b" && trap '' XFSZ && exec "$@")
}
# killed BLOCKS CMD...: the same with SIGXFSZ at its default.
killed() {
	_b=$1
	shift
	(ulimit -f "$_b" && exec "$@")
}
# cache_ok: every file of c under a final name is the mirror's.
cache_ok() {
	for f in c/*; do
		[ -e "$f" ] || continue
		cmp -s "$f" "m/${f#c/}" || fail "incomplete file in the cache: $f"
	done
}

# --- the cache ---------------------------------------------------------
limited 8 gha-fetch --retries 0 -d c --base-url "$URL" $hours >out 2>err
st=$?
eq "gha-fetch, cache over the limit" 11 $st
grep -q 'File too large' err || fail "no clear error: $(cat err)"
cache_ok
killed 8 gha-fetch --retries 0 -d c --base-url "$URL" $hours >out 2>err
eq "gha-fetch killed by SIGXFSZ" $((128 + 25)) $?
cache_ok
gha-fetch -d c --base-url "$URL" $hours >out 2>err || fail "fetch rerun: $(cat err)"
eq "fetch rerun" "$(cat want.list)" "$(cat out)"
cache_ok

# --- the database ------------------------------------------------------
# 1024 blocks (512 KB) take the schema (ten tables of 16 KB pages, and
# the WAL), not the 5,869 records.
limited 1024 gha-load --batch 500 -f recs lim.db >out 2>err
eq "gha-load, database over the limit" 4 $?
grep -q '^gha-load: lim.db: .*\(disk I/O error\|full\|too large\)' err ||
    fail "no clear error: $(cat err)"
grep -q 'loading stopped' err || fail "no 'loading stopped': $(cat err)"
eq "integrity after EFBIG" ok "$(sqlite3 lim.db 'PRAGMA integrity_check')"
n=$(sqlite3 lim.db 'SELECT count(*) FROM events')
[ $((n % 500)) -eq 0 ] || fail "$n events: part of a batch"
killed 1024 gha-load --batch 500 -f recs lim.db >out 2>err
eq "gha-load killed by SIGXFSZ" $((128 + 25)) $?
eq "integrity after SIGXFSZ" ok "$(sqlite3 lim.db 'PRAGMA integrity_check')"
gha-load -f recs lim.db 2>err || fail "load rerun: $(cat err)"
eq "events after the rerun" "$total" "$(sqlite3 lim.db 'SELECT count(*) FROM events')"

# --- standard output ---------------------------------------------------
# A ledger of 4,032 hours for gha-load -Q to print (about 200 KB).
awk 'BEGIN { for (m = 1; m <= 6; m++) for (d = 1; d <= 28; d++)
    for (h = 0; h < 24; h++) printf "{\"hour\":\"2015-%02d-%02d-%d\",\"status\":\"missing\"}\n", m, d, h }' |
    gha-load -H ledger.db || fail "ledger"
for cmd in "gha-decode $src" "gha-filter recs" "gha-load -Q ledger.db" \
    "gha-fetch -d c --base-url $URL $hours" "gha-fetch --cat -d c --base-url $URL $hours"; do
	tool=${cmd%% *}
	# (gha-load -Q writes its database's -shm file: no file limit; the
	# list of three paths is too short for one)
	# shellcheck disable=SC2086
	if [ "$tool" != gha-load ] && [ "$($cmd 2>/dev/null | wc -c)" -gt 8192 ]; then
		# shellcheck disable=SC2086
		limited 16 $cmd >big.out 2>err
		eq "$cmd, stdout over the limit" 4 $?
		grep -q "^$tool: .*\(File too large\|write error\)" err ||
		    fail "$cmd: no clear error: $(cat err)"
	fi
	if [ -w /dev/full ]; then
		# shellcheck disable=SC2086
		$cmd >/dev/full 2>err
		eq "$cmd >/dev/full" 4 $?
		grep -q "^$tool: .*\(No space left\|write error\)" err ||
		    fail "$cmd >/dev/full: no clear error: $(cat err)"
	fi
	# A reader that goes away: the default SIGPIPE ends a filter
	# (141); gha-fetch ends quietly with 4; with SIGPIPE ignored (a
	# parent that ignores it) EPIPE must still stop the tool, not
	# succeed.  (The list of three paths fits in the pipe's buffer.)
	[ "$cmd" != "gha-fetch -d c --base-url $URL $hours" ] || continue
	# shellcheck disable=SC2086
	{ $cmd 2>err; echo $? >st; } | head -c 1 >/dev/null
	case $tool:$(cat st) in
	gha-fetch:4)	[ ! -s err ] || fail "$cmd | head: not quiet: $(cat err)" ;;
	gha-fetch:*)	fail "$cmd | head: exit $(cat st)" ;;
	*:141 | *:4)	;;
	*)		fail "$cmd | head: exit $(cat st)" ;;
	esac
	# shellcheck disable=SC2086
	{ trap '' PIPE; $cmd 2>err; echo $? >st; } | head -c 1 >/dev/null
	[ "$(cat st)" -ne 0 ] || fail "$cmd | head, SIGPIPE ignored: exit 0"
done
cache_ok

# --- a real full disk: a 2 MB tmpfs ------------------------------------
mkdir fs
if ! mount -t tmpfs -o size=2m tmpfs fs 2>/dev/null; then
	echo "note: mount not permitted; the tmpfs part is skipped"
	exit 0
fi
trap 'umount fs 2>/dev/null; for p in $SERVER_PIDS; do kill $p 2>/dev/null; done' EXIT
# The database: 5,869 records take more than 2 MB.
gha-load --batch 500 -f recs fs/gha.db >out 2>err
eq "gha-load on a full tmpfs" 4 $?
grep -q '^gha-load: fs/gha.db: .*\(full\|disk I/O error\)' err ||
    fail "no clear error: $(cat err)"
eq "integrity on a full disk" ok "$(sqlite3 fs/gha.db 'PRAGMA integrity_check' 2>&1)"
n=$(sqlite3 fs/gha.db 'SELECT count(*) FROM events')
[ $((n % 500)) -eq 0 ] || fail "$n events: part of a batch"
# The cache, on what is left: fill the disk, then fetch.
head -c 4M /dev/zero >fs/filler 2>/dev/null
gha-fetch --retries 0 -d fs/c --base-url "$URL" $hours >out 2>err
eq "gha-fetch on a full tmpfs" 11 $?
grep -q 'No space left on device' err || fail "no clear error: $(cat err)"
for f in fs/c/*; do
	[ -e "$f" ] || continue
	cmp -s "$f" "m/${f#fs/c/}" || fail "incomplete file in the cache: $f"
done
# Room again: both reruns finish cleanly.
rm -f fs/filler
mount -o remount,size=64m fs || fail "remount"
gha-load -f recs fs/gha.db 2>err || fail "load rerun: $(cat err)"
eq "events after the rerun" "$total" "$(sqlite3 fs/gha.db 'SELECT count(*) FROM events')"
gha-fetch -d fs/c --base-url "$URL" $hours >out 2>err || fail "fetch rerun: $(cat err)"
eq "fetch rerun" "$(sed 's|^c/|fs/c/|' want.list)" "$(cat out)"
umount fs || fail "umount"
echo "tmpfs: database full at $n of $total events; cache full; reruns exact"
