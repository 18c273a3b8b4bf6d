# SIGKILL in the middle of a download never leaves a file under its final
# name; the next run resumes with a Range request from where the .part
# file ends and gets the mirror's bytes.  SIGTERM and SIGINT remove the
# temporary file and end with the signal (15 and 2 here).
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
mkdir m
python3 -c '
import gzip, hashlib
s = "".join("{\"id\":\"%d\",\"x\":\"%s\"}\n" % (i, hashlib.sha256(b"%d" % i).hexdigest()) for i in range(6000))
open("m/2015-01-01-7.json.gz", "wb").write(gzip.compress(s.encode(), mtime=0))'
size=$(wc -c <m/2015-01-01-7.json.gz)
printf '/2015-01-01-7.json.gz slow:40000 ok\n' >plan
start_server s m --plan plan

# wait_part: until the .part file holds some bytes (bounded: 10 s).
wait_part() {
	i=0
	while ! [ -f c/.2015-01-01-7.json.gz.part ] ||
	    [ "$(wc -c <c/.2015-01-01-7.json.gz.part)" -lt 20000 ]; do
		i=$((i + 1))
		[ $i -le 200 ] || fail "no download progress"
		sleep 0.05
	done
}

gha-fetch -d c --base-url "$URL" 2015-01-01-7 >out 2>err &
pid=$!
wait_part
kill -KILL $pid
wait $pid
[ -e c/2015-01-01-7.json.gz ] && fail "final name exists after SIGKILL"
part=$(wc -c <c/.2015-01-01-7.json.gz.part)
[ "$part" -gt 0 ] && [ "$part" -lt "$size" ] || fail "part size $part"
gha-fetch -d c --base-url "$URL" 2015-01-01-7 >out 2>err || fail "resume: exit $?"
eq out "c/2015-01-01-7.json.gz" "$(cat out)"
eq "range request" 1 "$(reqs " 206 range=bytes=$part- ")"
cmp -s m/2015-01-01-7.json.gz c/2015-01-01-7.json.gz || fail "resumed file"
eq "left over" "" "$(ls -A c | grep part)"
stop_server

for sig in 15 2; do
	printf '/2015-01-01-7.json.gz slow:40000\n' >plan
	start_server s$sig m --plan plan
	rm -rf c
	# (sh starts background jobs with SIGINT ignored; gha-fetch
	# catches it all the same, to remove its temporary files.)
	gha-fetch -d c --base-url "$URL" 2015-01-01-7 >out 2>err &
	pid=$!
	wait_part
	kill -$sig $pid
	wait $pid
	st=$?
	eq "signal $sig status" $((128 + sig)) $st
	eq "$sig leftovers" "" "$(ls -A c)"
	stop_server
done
