# A database this user may not write:
#   - gha-report reads it (its man page says it only reads), in a
#     read-only folder too, where SQLite could not make the -shm and -wal
#     files of WAL mode, and leaves no file behind; its numbers are the
#     ones it gives a writable copy;
#   - gha-load, asked to write it (or to create a file in a read-only
#     folder, or into a writable folder a read-only file), says
#     "permission denied" naming the file or the folder, exits 4, and
#     leaves no -wal or -shm file behind.
# Permission bits do not stop root: as root, the tools run as user nobody
# (setpriv), in a folder of their own that nobody can reach (the scratch
# folder's parent is private); the case is skipped when neither works.
. "$TESTS/lib.sh"
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null 2>&1 || skip "root, and no setpriv"
	as() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	as true 2>/dev/null || skip "root, and setpriv cannot become nobody"
else
	as() { "$@"; }
fi
d=$(mktemp -d /tmp/gha-readonly.XXXXXX) || fail mktemp
trap 'chmod -R u+w "$d"; rm -rf "$d"' EXIT
chmod 755 "$d"
mkdir "$d/ro" "$d/rw"
flat_fill >recs <<'EOF'
{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","actor_login":"a","repo_name":"a/x","commits":2}
{"id":"2","type":"PushEvent","created_at":"2015-01-02T00:00:00Z","actor_login":"b","repo_name":"b/y","commits":0}
{"id":"3","type":"IssuesEvent","created_at":"2015-01-02T01:00:00Z","actor_login":"c","repo_name":"c/z"}
EOF
gha-load -q "$d/ro/gha.db" <recs || fail "load"
echo '{"hour":"2015-01-02-0","status":"loaded"}' | gha-load -H "$d/ro/gha.db" ||
    fail "-H"
cp "$d/ro/gha.db" own.db
gha-report --csv own.db >want || fail "gha-report on a writable copy"
[ "$(lines want)" -eq 3 ] || fail "a weak test: $(cat want)"
cp "$d/ro/gha.db" "$d/rw/gha.db"
chmod 444 "$d/ro/gha.db" "$d/rw/gha.db"
chmod 555 "$d/ro"
chmod 777 "$d/rw"
ls -A "$d/ro" "$d/rw" >files

# gha-report: the read-only file in the read-only folder, and in a
# writable one.
for f in ro rw; do
	as gha-report --csv "$d/$f/gha.db" >got 2>err ||
	    fail "gha-report, $f folder: exit $?: $(cat err)"
	cmp -s want got || fail "gha-report, $f folder: $(diff want got)"
	as gha-report -s summary "$d/$f/gha.db" >/dev/null 2>err ||
	    fail "gha-report text, $f folder: $(cat err)"
done
eq "files after gha-report" "$(cat files)" "$(ls -A "$d/ro" "$d/rw")"

# gha-load: permission denied, named.
as gha-load "$d/ro/gha.db" <recs 2>err
eq "read-only file: exit" 4 $?
eq "read-only file" "gha-load: $d/ro/gha.db: Permission denied" "$(cat err)"
as gha-load "$d/rw/gha.db" <recs 2>err
eq "read-only file, writable folder: exit" 4 $?
eq "read-only file, writable folder" \
    "gha-load: $d/rw/gha.db: Permission denied" "$(cat err)"
as gha-load -q "$d/ro/new.db" <recs 2>err
eq "new file in a read-only folder: exit" 4 $?
eq "new file in a read-only folder" "gha-load: $d/ro/new.db: folder $d/ro: Permission denied (the database's -wal and -shm files go beside it)" \
    "$(cat err)"
chmod 644 "$d/rw/gha.db"
chown nobody "$d/rw/gha.db" 2>/dev/null
chmod 555 "$d/rw"
as gha-load "$d/rw/gha.db" <recs 2>err
eq "writable file, read-only folder: exit" 4 $?
grep -q "^gha-load: $d/rw/gha.db: folder $d/rw: Permission denied" err ||
    fail "writable file, read-only folder: $(cat err)"
eq "files after gha-load" "$(cat files)" "$(ls -A "$d/ro" "$d/rw")"
eq "events unchanged" 3 "$(sqlite3 "file:$d/ro/gha.db?immutable=1" \
    'SELECT count(*) FROM events')"
