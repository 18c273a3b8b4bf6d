# make install DESTDIR=... PREFIX=/usr/local, then the installed tree on
# its own: bin/ holds the programs and nothing else (mode 755); the
# scripts' library, gha-report's awk program and the templates of the
# environments and the crontab are in share/gha (mode 644), the man pages
# in share/man/man1.  With only the installed bin/ on PATH (not the
# source tree's scripts/ nor the build's bin/), gha-daily -n plans, a real
# gha-daily run loads a local mirror and makes its report, and gha-report
# prints the same CSV as the source tree's; without share/gha's library
# the scripts refuse to start (so it is what they read).  make uninstall
# leaves no file behind.  The file lists are written out from the source
# tree (ls), the events counted with zcat.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
. "$TESTS/daily/daily.subr"
command -v make >/dev/null 2>&1 || skip "make is not installed"
B=${TBIN%/tests}
d=$PWD/dest
p=$d/usr/local
# -o all: install what this build tree holds, never rebuild it here.
make -s -C "$ROOT" -o all B="$B" install DESTDIR="$d" PREFIX=/usr/local \
    >make.out 2>&1 || fail "make install: $(cat make.out)"

# What is there, and its modes.
{
	for t in fetch decode filter load; do echo "755 bin/gha-$t"; done
	for s in gha-daily gha-backfill gha-report; do echo "755 bin/$s"; done
	for f in bots gha-commits.sh gha-common.sh gha-report.awk \
	    gha.crontab; do
		echo "644 share/gha/$f"
	done
	for f in $(cd "$ROOT/scripts/env" && ls *.conf); do
		echo "644 share/gha/env/$f"
	done
	for f in $(cd "$ROOT/man" && ls *.1); do
		echo "644 share/man/man1/$f"
	done
} | sort -k 2 >want.files
(cd "$p" && find . -type f -exec stat -c '%a %n' {} +) | sed 's| \./| |' |
    sort -k 2 >got.files
eq "installed files" "$(cat want.files)" "$(cat got.files)"
eq "other than files and folders" "" "$(find "$d" ! -type f ! -type d)"
for f in "$p"/bin/*; do
	case $(head -c 4 "$f" | od -An -c | tr -d ' ') in
	177ELF | '#!/b') ;;
	*) fail "$f: not a program" ;;
	esac
done
cmp -s "$ROOT/scripts/gha-report.awk" "$p/share/gha/gha-report.awk" ||
    fail "gha-report.awk differs from the source's"
# The list of bots installed is the one built in (lib/bots.c).
cmp -s "$ROOT/scripts/bots" "$p/share/gha/bots" || fail "bots differs"

# Only the installed programs on PATH.
PATH=$p/bin:$(echo "$PATH" | tr : '\n' |
    grep -vx -e "$ROOT/scripts" -e "$B/bin" | paste -sd : -)
export PATH
eq "gha-daily found" "$p/bin/gha-daily" "$(command -v gha-daily)"
eq "gha-load found" "$p/bin/gha-load" "$(command -v gha-load)"

mkdir m
mkhours m 2024-01-15-0 3
start_server s m
mkenv report=1
export GHA_START=2024-01-15 GHA_NOW=2024-01-15T03:30:00Z
gha-daily -n >plan 2>err || fail "gha-daily -n: exit $?: $(cat err)"
eq "plan" "2024-01-15-0 -
2024-01-15-1 -
2024-01-15-2 -" "$(cat plan)"
eq "-V" "gha-daily $(sed -n 's/^VERSION = //p' "$ROOT/config.mk")" \
    "$(gha-daily -V)"
gha-daily 2>err || fail "gha-daily: exit $?: $(cat err)"
expected m 2024-01-15-0 2024-01-15-1 2024-01-15-2 >want
eq "events" "$(sumof want)" "$(q 'SELECT count(*) FROM events')"
[ -s report/report.html ] && [ -s report/summary.csv ] ||
    fail "no report: $(ls report)"
grep -q ' report: ' log/gha-daily.log || fail "report not logged"
gha-backfill -n 2024-01-15-0 >bplan 2>err ||
    fail "gha-backfill -n: exit $?: $(cat err)"
eq "backfill plan" "2024-01-15-0 skip (loaded)" "$(cat bplan)"

# gha-report from bin/ = gha-report from the source tree.
gha-report --csv gha.db >installed.csv 2>err ||
    fail "gha-report: exit $?: $(cat err)"
sh "$ROOT/scripts/gha-report" --csv gha.db >source.csv ||
    fail "the source's gha-report"
cmp -s installed.csv source.csv ||
    fail "CSV differs: $(diff installed.csv source.csv)"
grep -q "^2024-01-15,$(sumof want)," installed.csv ||
    fail "CSV: $(cat installed.csv)"

# The library is read from share/gha: without it, no script starts.
mv "$p/share/gha/gha-common.sh" lib.sh.away
gha-daily -n >/dev/null 2>err
eq "gha-daily without its library" 2 $?
grep -q 'gha-common\.sh' err || fail "gha-daily: $(cat err)"
gha-report --csv gha.db >/dev/null 2>err
eq "gha-report without its library" 2 $?
grep -q 'gha-common\.sh' err || fail "gha-report: $(cat err)"
mv lib.sh.away "$p/share/gha/gha-common.sh"
mv "$p/share/gha/gha-report.awk" awk.away
gha-report --csv gha.db >/dev/null 2>err
eq "gha-report without its awk program" 2 $?
grep -q 'share/gha/gha-report.awk: cannot read' err || fail "$(cat err)"
mv awk.away "$p/share/gha/gha-report.awk"

make -s -C "$ROOT" -o all B="$B" uninstall DESTDIR="$d" PREFIX=/usr/local \
    >make.out 2>&1 || fail "make uninstall: $(cat make.out)"
eq "after uninstall" "" "$(find "$d" -type f)"
[ -e "$p/share/gha" ] && fail "share/gha left behind"
exit 0
