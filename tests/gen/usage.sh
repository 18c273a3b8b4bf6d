# -h prints the synopsis on stdout and exits 0; bad usage exits 2.
. "$TESTS/lib.sh"
gha-gen -h >out 2>err || fail "-h failed"
grep -q '^usage: gha-gen ' out || fail "-h: no usage on stdout"
[ ! -s err ] || fail "-h wrote to stderr"
for a in "-n 0" "-n x" "-D 2" "-D -1" "-H 2015-01-01-24" "-H 2015-01-01-07" \
    "-l 0" "-l 10" "-B 1" "-s x" "-x" "1999" "2015 2024"; do
	# shellcheck disable=SC2086
	status 2 gha-gen $a >out 2>err
	grep -q '^usage: gha-gen ' err || fail "$a: no usage on stderr"
	[ ! -s out ] || fail "$a: wrote to stdout"
done
# A write error is reported and the status says so.
if [ -w /dev/full ]; then
	status 4 gha-gen -n 100000 >/dev/full 2>err
	grep -q 'write error' err || fail "/dev/full: $(cat err)"
fi
exit 0
