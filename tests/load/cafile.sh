# -C cafile: an https:// target is verified against the CA file given.
# The server here is a local https server (python3's ssl + http.server)
# with a self-signed certificate for 127.0.0.1 made by openssl; it speaks
# no ClickHouse, it answers every request 404 "not ClickHouse: tls-test".
# Getting that answer in gha-load's message proves the TLS handshake
# passed; a certificate error, and no request in the server's log, proves
# it did not.  Without -C (and with another CA) gha-load refuses the
# server; with -C, or GHA_CLICKHOUSE_CAFILE, it gets through, -C winning
# over the variable; -H and -Q take -C too; an unreadable CA file is named
# (and not looked at for plain http).
# The password travels (the server logs that the header came) but is in
# no message.
. "$TESTS/lib.sh"
command -v openssl >/dev/null 2>&1 || skip "openssl is not installed"
for n in ca other; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout $n.key -out $n.pem -days 2 -subj /CN=127.0.0.1 \
	    -addext subjectAltName=IP:127.0.0.1 2>openssl.err ||
	    fail "openssl: $(cat openssl.err)"
done
python3 - <<'PY' >server.out 2>server.err &
import http.server, ssl, sys

class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        with open("requests", "a") as f:
            f.write("POST key=%s\n" %
                    ("yes" if self.headers.get("X-ClickHouse-Key") else "no"))
        body = b"not ClickHouse: tls-test\n"
        self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass

s = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("ca.pem", "ca.key")
s.socket = ctx.wrap_socket(s.socket, server_side=True)
with open("port.tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename("port.tmp", "port")
s.serve_forever()
PY
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
i=0
while [ ! -s port ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the https server did not start: $(cat server.err)"
	kill -0 $srv 2>/dev/null || fail "the https server died: $(cat server.err)"
	sleep 0.1
done
URL=https://127.0.0.1:$(cat port)/gha
pw="pw-$$-secret"
echo "$pw" >pw
export GHA_CLICKHOUSE_USER=loader GHA_CLICKHOUSE_PASSWORD_FILE=$PWD/pw
unset GHA_CLICKHOUSE_CAFILE
: >requests
rec=$(flat_rec '{"id":"1","created_at":"2015-01-01T00:00:00Z"}')

# refused ERRFILE: gha-load said the certificate is not trusted.
refused() {
	grep -qi 'certificate' "$1" || fail "no certificate error: $(cat "$1")"
}
# through ERRFILE: gha-load got the server's HTTP answer.
through() {
	eq "answer in $1" "gha-load: ${URL%/gha}: not ClickHouse: tls-test" \
	    "$(cat "$1")"
}

echo "$rec" | gha-load -w 0 "$URL" 2>err.plain
eq "status without -C" 4 $?
refused err.plain
echo "$rec" | gha-load -w 0 -C other.pem "$URL" 2>err.other
eq "status with another CA" 4 $?
refused err.other
eq "requests before -C" 0 "$(lines requests)"

echo "$rec" | gha-load -w 0 -C ca.pem "$URL" 2>err.ca
eq "status with -C" 4 $?
through err.ca
eq "requests with -C" "POST key=yes" "$(cat requests)"
echo "$rec" | GHA_CLICKHOUSE_CAFILE=$PWD/ca.pem gha-load -w 0 "$URL" 2>err.env
through err.env
echo "$rec" | GHA_CLICKHOUSE_CAFILE=$PWD/other.pem \
    gha-load -w 0 -C ca.pem "$URL" 2>err.over
through err.over
gha-load -Q -w 0 -C ca.pem "$URL" >/dev/null 2>err.q
eq "status of -Q" 4 $?
through err.q
echo '{"day":"2015-01-01","final":0}' |
    gha-load -H -C ca.pem -w 0 "$URL" 2>err.h
through err.h
eq "requests in all" 5 "$(lines requests)"

echo "$rec" | gha-load -w 0 -C nofile.pem "$URL" 2>err.nofile
eq "status, no CA file" 4 $?
eq "no CA file" "gha-load: CA file nofile.pem: No such file or directory" \
    "$(cat err.nofile)"
# Plain http has no use for a CA file: the variable, which a job may set
# for all its targets, is not even opened (here the TLS server does not
# understand the plain request, but the CA file is not what fails).
echo "$rec" | GHA_CLICKHOUSE_CAFILE=$PWD/nofile.pem \
    gha-load -w 0 "http://127.0.0.1:$(cat port)/gha" 2>err.http
grep -q 'CA file' err.http && fail "CA file opened for http: $(cat err.http)"
eq "requests at the end" 5 "$(lines requests)"
grep -F "$pw" err.* && fail "the password was shown"
exit 0
