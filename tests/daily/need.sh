# The jobs say what they need: on a system whose date(1) has no -d (a
# stand-in first on PATH, as on a BSD), or whose flock(1) is not
# util-linux's, gha-daily and gha-backfill stop at once with exit 2 and
# name the missing tool, before touching anything (no log, no database);
# with both missing, both are named.  With the real tools, the same
# command runs.
. "$TESTS/daily/daily.subr"
URL=http://127.0.0.1:9
mkenv
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T03:30:00Z
real=$(command -v date)
mkdir nodate noflock
cat >nodate/date <<EOF
#!/bin/sh
# date without -d, its other uses untouched.
for a in "\$@"; do
	case \$a in -d*) echo "date: illegal option -- d" >&2; exit 1 ;; esac
done
exec "$real" "\$@"
EOF
cat >noflock/flock <<'EOF'
#!/bin/sh
echo "flock: not the one expected" >&2
exit 1
EOF
chmod +x nodate/date noflock/flock

for s in gha-daily gha-backfill; do
	a=
	[ $s = gha-daily ] || a=2024-01-15
	PATH=$PWD/nodate:$PATH $s $a 2>err
	eq "$s, no date -d: exit" 2 $?
	eq "$s, no date -d" "$s: needs date -d (GNU coreutils), which this system lacks" \
	    "$(cat err)"
	PATH=$PWD/noflock:$PATH $s $a 2>err
	eq "$s, no flock: exit" 2 $?
	eq "$s, no flock" "$s: needs flock(1) (util-linux), which this system lacks" \
	    "$(cat err)"
	PATH=$PWD/nodate:$PWD/noflock:$PATH $s $a 2>err
	eq "$s, neither: exit" 2 $?
	grep -q 'needs date -d (GNU coreutils), flock(1) (util-linux),' err ||
	    fail "$s, neither: $(cat err)"
done
[ -e log ] || [ -e gha.db ] && fail "a refused run touched something"
gha-daily -n >plan 2>err || fail "the real tools: exit $?: $(cat err)"
eq "plan" 3 "$(lines plan)"
exit 0
