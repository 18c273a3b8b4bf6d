#!/usr/bin/env python3
"""record.py - a recording proxy in front of a test clickhouse-server.

It listens on 127.0.0.1 (a port the kernel picks, written to --port-file)
and passes every POST on to the server at --upstream (127.0.0.1 only),
answering with the server's answer, so that gha-load, pointed at it,
behaves exactly as against the server itself.  Each request is kept in
--dir as one statement, NNNNN.sql (numbered from 00001 in arrival order),
in the form ClickHouse's own tools take it: the SQL of the `query` URL
parameter, a newline, then the request body (gunzipped when it came
with Content-Encoding: gzip) for an INSERT with its rows; the body alone
for a request without `query`.  --dir/log gets one line a request:

    00001 200 -
    00002 200 -

the number, the server's status, then "-" or the URL parameters other
than `query` (which a replay of the .sql files would lose).  The proxy
exits by itself after --lifetime seconds, so a failed test never leaves
it running.  Only the Python standard library is used.
"""
import argparse
import gzip
import http.client
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
COUNT = [0]


def read_body(h):
    """The request body, by Content-Length or chunked."""
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(h.rfile.read(size))
            h.rfile.readline()
    return h.rfile.read(int(h.headers.get("Content-Length", "0")))


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        body = read_body(self)
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        query = [v for k, v in params if k == "query"]
        other = "&".join(k + "=" + v for k, v in params if k != "query")
        plain = body
        if self.headers.get("Content-Encoding", "").lower() == "gzip":
            plain = gzip.decompress(body)
        if query:
            stmt = query[0].encode() + b"\n" + plain
        else:
            stmt = plain
        up = urllib.parse.urlsplit(ARGS.upstream)
        conn = http.client.HTTPConnection("127.0.0.1", up.port, timeout=300)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower().startswith("x-clickhouse-") or
                k.lower() == "content-encoding"}
        conn.request("POST", self.path, body=body, headers=hdrs)
        r = conn.getresponse()
        answer = r.read()
        conn.close()
        with LOCK:
            COUNT[0] += 1
            n = "%05d" % COUNT[0]
            with open(os.path.join(ARGS.dir, n + ".sql"), "wb") as f:
                f.write(stmt)
            with open(os.path.join(ARGS.dir, "log"), "a") as f:
                f.write("%s %d %s\n" % (n, r.status, other or "-"))
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower().startswith("x-clickhouse-") or \
                    k.lower() == "content-type":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--lifetime", type=float, default=600)
    ARGS = p.parse_args()
    if urllib.parse.urlsplit(ARGS.upstream).hostname != "127.0.0.1":
        sys.exit("record.py: the upstream must be on 127.0.0.1")
    os.makedirs(ARGS.dir, exist_ok=True)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    srv.daemon_threads = True
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, ARGS.port_file)
    threading.Timer(ARGS.lifetime, os._exit, (0,)).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
