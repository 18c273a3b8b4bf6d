# wait: a ClickHouse server that does not answer is said at once on
# stderr, not after -w seconds of silence: nothing listening, a line at
# the first retry (what failed, where, for how long gha-load keeps
# trying); a server that accepts and says nothing, a line after 10 s of
# silence.  With -w 0 there is no retry and only the error.
. "$TESTS/lib.sh"

printf '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z"}\n' >rec

# wait_for FILE PATTERN SECONDS: until a line of FILE matches, or fail.
wait_for() {
	_i=0
	until grep -q -- "$2" "$1"; do
		[ $_i -lt $(($3 * 10)) ] || return 1
		_i=$((_i + 1))
		sleep 0.1
	done
}

# notice URL PATTERN SECONDS: gha-load -w 30 on URL in the background
# until a line of its stderr (err) matches PATTERN, then killed.
notice() {
	gha-load -w 30 "$1/gha" <rec 2>err &
	_pid=$!
	wait_for err "$2" "$3" || fail "silent on $1: $(cat err)"
	kill $_pid
	wait $_pid
}

port=$(free_port)
notice "http://127.0.0.1:$port" "Couldn't connect" 5
eq "first retry" "gha-load: http://127.0.0.1:$port: Couldn't connect to server; trying again for up to 30 s (-w)" \
    "$(head -n 1 err)"

gha-load -w 1 "http://127.0.0.1:$port/gha" <rec 2>err
eq "exit status, nothing listening" 4 $?
eq "notice, then the error" "gha-load: http://127.0.0.1:$port: Couldn't connect to server; trying again for up to 1 s (-w)
gha-load: http://127.0.0.1:$port: Couldn't connect to server (gave up after 3 tries)" \
    "$(cat err)"
gha-load -w 0 "http://127.0.0.1:$port/gha" <rec 2>err
eq "exit status, -w 0" 4 $?
eq "-w 0: the error only" "gha-load: http://127.0.0.1:$port: Couldn't connect to server" \
    "$(cat err)"

# A server that accepts connections and never answers.
python3 - >port <<'PY' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1])
sys.stdout.flush()
s.settimeout(60)
held = []
try:
    while True:
        held.append(s.accept()[0])
except OSError:
    pass
PY
spid=$!
trap 'kill $spid 2>/dev/null' EXIT
wait_for port . 10 || fail "no stalling server"
sport=$(cat port)
notice "http://127.0.0.1:$sport" "no answer" 15
eq "stalled server" "gha-load: http://127.0.0.1:$sport: no answer for 10 s; still waiting (a request may take up to 3600 s)" \
    "$(head -n 1 err)"

# A server slow to fail (each request answered 503 after 2 s, as an
# ON CLUSTER statement waiting for a node that is down answers late): -w
# is time on the clock, the requests' own included, so -w 2 ends after
# the second try (counting the sleeps alone, it made four).
python3 - >slowport <<'PY' &
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(2)
        self.send_response(503)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"busy")
        with open("slow.log", "a") as f:
            f.write(self.path + "\n")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
s.timeout = 60
print(s.server_address[1])
sys.stdout.flush()
while True:
    s.handle_request()
PY
slowpid=$!
trap 'kill $spid $slowpid 2>/dev/null' EXIT
wait_for slowport . 10 || fail "no slow server"
gha-load -w 2 "http://127.0.0.1:$(cat slowport)/gha" <rec 2>err
eq "slow to fail: exit status" 4 $?
grep -q "(gave up after 2 tries)$" err || fail "slow to fail: $(cat err)"
eq "slow to fail: requests" 2 "$(lines slow.log)"
exit 0
