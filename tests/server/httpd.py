#!/usr/bin/env python3
"""httpd.py - a fault-injecting HTTP/1.1 server for gha-fetch's tests.

It serves the files of a mirror folder (--root) on 127.0.0.1, on a port
the kernel picks and writes to --port-file once it listens.  Every request
is logged as one line to --log (so tests can count requests):

    GET /2015-01-01-3.json.gz 206 range=bytes=100- inm=- ims=- action=ok

A plan file (--plan) injects faults per URL path, one path a line:

    /2015-01-01-3.json.gz 503 503 ok

The n-th request to the path gets the n-th action; the last one repeats.
Paths without a line always get "ok".  Actions:

    ok          the file (206 for a Range request unless --no-range)
    NNN         that status with a short text body (404, 500, 503, ...)
    429:S       429 with "Retry-After: S"
    cut:N       full Content-Length, only N body bytes, then close
    reset:N     N body bytes, then a TCP reset
    stall:N     N body bytes, then silence until the client gives up
    slow:B      the body at about B bytes a second
    xml         200 with an XML error page (as S3 sends it)
    corrupt     200 with the file, one byte in the middle flipped

--etag sends an ETag and honours If-None-Match; Last-Modified and
If-Modified-Since always work.  The server exits by itself after
--lifetime seconds, so a failed test never leaves it running.
Only the Python standard library is used.
"""
import argparse
import email.utils
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

XML = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey'
       b'</Code><Message>The specified key does not exist.</Message>'
       b'</Error>\n')


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gha-test-httpd/1"
    # Headers and body go out in separate writes: without this, Nagle and
    # the client's delayed ACK hold a short answer (a 404) some 40 ms.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        # no Nagle: headers and body are separate writes, and a client's
        # delayed ACK would add 40 ms to every small response
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                   1)

    def log_message(self, fmt, *args):
        pass

    def log(self, status, action):
        h = self.headers
        line = "%s %s %s range=%s inm=%s ims=%s action=%s ua=%s\n" % (
            self.command, self.path, status, h.get("Range", "-"),
            h.get("If-None-Match", "-"), h.get("If-Modified-Since", "-")
            .replace(" ", "_"), action,
            h.get("User-Agent", "-").replace(" ", "_"))
        with self.server.lock:
            self.server.logf.write(line)
            self.server.logf.flush()

    def next_action(self):
        with self.server.lock:
            acts = self.server.plan.get(self.path, ["ok"])
            n = self.server.count.get(self.path, 0)
            self.server.count[self.path] = n + 1
            return acts[min(n, len(acts) - 1)]

    def head(self, code, action, hdrs, length):
        """Logs the request, then sends the status line and headers."""
        self.log(code, action)
        self.send_response(code)
        for k, v in hdrs:
            self.send_header(k, v)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def simple(self, code, body, action, extra=()):
        self.head(code, action, extra, len(body))
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        try:
            self.serve()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True    # the client went away

    def serve(self):
        action = self.next_action()
        if action.isdigit():
            return self.simple(int(action), b"error %s\n" % action.encode(),
                               action)
        if action.startswith("429:"):
            return self.simple(429, b"slow down\n", action,
                               [("Retry-After", action[4:])])
        if action == "xml":
            return self.simple(200, XML, action,
                               [("Content-Type", "application/xml")])
        path = os.path.join(self.server.root, self.path.lstrip("/"))
        if "/.." in self.path or not os.path.isfile(path):
            return self.simple(404, b"no such file\n", action)
        with open(path, "rb") as f:
            data = f.read()
        st = os.stat(path)
        etag = '"%x-%x"' % (st.st_size, int(st.st_mtime))
        lastmod = email.utils.formatdate(int(st.st_mtime), usegmt=True)
        hdrs = [("Last-Modified", lastmod),
                ("Content-Type", "application/gzip")]
        if self.server.etag:
            hdrs.append(("ETag", etag))
            inm = self.headers.get("If-None-Match")
            if inm is not None and inm.strip() == etag:
                return self.simple(304, b"", action, hdrs)
        ims = self.headers.get("If-Modified-Since")
        if ims is not None and self.headers.get("If-None-Match") is None:
            try:
                t = email.utils.parsedate_to_datetime(ims).timestamp()
                if int(st.st_mtime) <= t:
                    return self.simple(304, b"", action, hdrs)
            except (TypeError, ValueError):
                pass
        if action == "corrupt":
            b = bytearray(data)
            b[len(b) // 2] ^= 0xff
            data = bytes(b)
        code, start = 200, 0
        rng = self.headers.get("Range")
        if rng and self.server.ranges and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            if start >= len(data):
                return self.simple(416, b"", action,
                                   [("Content-Range",
                                     "bytes */%d" % len(data))])
            code = 206
            hdrs.append(("Content-Range", "bytes %d-%d/%d" %
                         (start, len(data) - 1, len(data))))
        if self.server.ranges:
            hdrs.append(("Accept-Ranges", "bytes"))
        body = data[start:]
        self.head(code, action, hdrs, len(body))
        if self.command == "HEAD":
            return
        self.send_body(body, action)

    def send_body(self, body, action):
        kind, _, arg = action.partition(":")
        if kind in ("cut", "reset", "stall"):
            n = min(int(arg), len(body))
            self.wfile.write(body[:n])
            self.wfile.flush()
            if kind == "stall":
                time.sleep(min(30, self.server.lifetime))
            if kind == "reset":
                # let the bytes arrive first: a reset discards unread data
                time.sleep(0.3)
                self.connection.setsockopt(socket.SOL_SOCKET,
                                           socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            self.close_connection = True
            return
        if kind == "slow":
            rate = max(1, int(arg))
            step = max(1, rate // 10)
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.wfile.write(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--plan")
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--no-range", action="store_true")
    ap.add_argument("--etag", action="store_true")
    ap.add_argument("--lifetime", type=float, default=60)
    a = ap.parse_args()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.root = a.root
    srv.ranges = not a.no_range
    srv.etag = a.etag
    srv.lifetime = a.lifetime
    srv.lock = threading.Lock()
    srv.count = {}
    srv.plan = {}
    if a.plan:
        with open(a.plan) as f:
            for line in f:
                w = line.split()
                if w and not w[0].startswith("#"):
                    srv.plan[w[0]] = w[1:] or ["ok"]
    srv.logf = open(a.log, "a")
    t = threading.Timer(a.lifetime, lambda: os._exit(0))
    t.daemon = True
    t.start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
