# -h prints the usage (the SYNOPSIS of gha-fetch(1)) on stdout and exits
# 0; bad options and out-of-range numbers exit 2 with the usage on stderr.
. "$TESTS/lib.sh"
gha-fetch -h >out 2>err || fail "-h: exit $?"
grep -q '^usage: gha-fetch \[-hnqRV\] \[-d dir\] \[-j jobs\] \[--base-url url\]' out ||
    fail "-h: $(cat out)"
eq "-h stderr" "" "$(cat err)"
for args in "" "-x 2015-01-01" "-j 0 2015-01-01" "-j 33 2015-01-01" \
    "-j x 2015-01-01" "--retries -1 2015-01-01" "--retries 101 2015-01-01" \
    "--timeout 0 2015-01-01" "--retry-wait 0 2015-01-01" \
    "--rate 100 2015-01-01" "--rate 1X 2015-01-01" "-d"; do
	# shellcheck disable=SC2086
	gha-fetch -n $args >out 2>err
	eq "exit for '$args'" 2 $?
	grep -q '^usage: gha-fetch' err || fail "no usage for '$args'"
done
# The boundaries are accepted.
gha-fetch -n -j 1 -j 32 --retries 0 --retries 100 --timeout 1 \
    --timeout 3600 --retry-wait 1 --rate 1K -d c 2015-01-01-0 >/dev/null ||
    fail "boundaries"
# The cache folder cannot be made: exit 4 (output), a clear message.
: >file
gha-fetch -d file/c --base-url http://127.0.0.1:9 2015-01-01-0 >out 2>err
eq "unwritable cache" 4 $?
grep -q '^gha-fetch: file/c: ' err || fail "cache message: $(cat err)"
