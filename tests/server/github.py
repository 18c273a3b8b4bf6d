#!/usr/bin/env python3
"""github.py - a loopback fake of the GitHub REST API for gha-fetch --commits.

It answers, on 127.0.0.1 (port written to --port-file):

    GET /repos/OWNER/NAME                     {"default_branch": ...}, ETag,
                                              304 on a matching If-None-Match
    GET /repos/OWNER/NAME/compare/B...H       {"status", "ahead_by",
                                              "behind_by", "total_commits"}

from the bare repositories under --root (OWNER/NAME.git), with git itself:
ahead_by is `git rev-list --count B..H`, 404 when the repository or a
commit is not there.  With --synth, a repository that is not under --root
answers for any B and H with a count that is a function of (repo, B, H),
from the bytes d of sha256("repo B H"): 0 when d[0] < 3 (about 1%, as
pushes without new commits are), 1 when d[0] < 128, else 2 + d[1] % 5
(tests/fetch/commits-order.sh computes it too).

--rename OLD=NEW answers 301 to /repos/NEW/... for /repos/OLD/... (the
query kept); NEW may be renamed too, a chain of hops.
--limit N: the primary rate limit, N requests; x-ratelimit-remaining and
x-ratelimit-reset on every answer, 403 once spent.
--plan FILE: lines "OWNER/NAME action action ...": the n-th request about
the repository gets the n-th action, the last repeats ("*" for every
repository no other line names); actions: ok, NNN
(that status), 429:S and 403:S (a secondary limit, Retry-After: S),
slow:S (answer after S seconds).
--delay S: every answer waits S seconds (a slow API, for kill tests).
Every request is logged to --log as it arrives: "GET PATH auth=yes|no".
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"used": 0, "reset": int(time.time()) + 3600, "seen": {}}


def synth(repo, b, h):
    d = hashlib.sha256(("%s %s %s" % (repo, b, h)).encode()).digest()
    return 0 if d[0] < 3 else 1 if d[0] < 128 else 2 + d[1] % 5


def git(path, *args):
    r = subprocess.run(["git", "-C", path] + list(args),
                       capture_output=True, text=True)
    return r.returncode, r.stdout.strip()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle and
    # the client's delayed ACK hold each answer some 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def answer(self, code, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(code)
        with lock:
            left = max(0, A.limit - state["used"]) if A.limit >= 0 else 5000
        self.send_header("x-ratelimit-remaining", str(left))
        self.send_header("x-ratelimit-reset", str(state["reset"]))
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with open(A.log, "a") as f:
            f.write("GET %s auth=%s\n" % (self.path,
                    "yes" if self.headers.get("Authorization") ==
                    "Bearer " + A.token else "no"))
        if A.delay > 0:
            time.sleep(A.delay)
        path = self.path.split("?")[0]
        parts = path.split("/")
        if len(parts) < 4 or parts[1] != "repos":
            return self.answer(404, {"message": "Not Found"})
        repo = parts[2] + "/" + parts[3]
        with lock:
            if A.limit >= 0 and state["used"] >= A.limit:
                return self.answer(403, {"message": "rate limit"})
            state["used"] += 1
            n = state["seen"].get(repo, 0)
            state["seen"][repo] = n + 1
        acts = PLAN.get(repo, PLAN.get("*", ["ok"]))
        act = acts[min(n, len(acts) - 1)]
        if act.startswith("slow:"):
            time.sleep(float(act[5:]))
        elif act.startswith("429:") or act.startswith("403:"):
            return self.answer(int(act[:3]), {"message": "secondary"},
                               [("Retry-After", act[4:])])
        elif act != "ok":
            return self.answer(int(act), {"message": act})
        if repo in RENAME:
            return self.answer(301, {"message": "Moved"}, [("Location",
                               self.path.replace("/repos/" + repo, "/repos/" +
                                                 RENAME[repo], 1))])
        gdir = os.path.join(A.root, repo + ".git")
        have = os.path.isdir(gdir)
        if len(parts) == 4:
            if not have:
                return self.answer(404, {"message": "Not Found"})
            _, ref = git(gdir, "symbolic-ref", "--short", "HEAD")
            etag = '"%s"' % hashlib.sha1(ref.encode()).hexdigest()
            if self.headers.get("If-None-Match") == etag:
                return self.answer(304, None, [("ETag", etag)])
            return self.answer(200, {"default_branch": ref},
                               [("ETag", etag)])
        if len(parts) != 6 or parts[4] != "compare" or "..." not in parts[5]:
            return self.answer(404, {"message": "Not Found"})
        b, h = parts[5].split("...", 1)
        if not have:
            if not A.synth:
                return self.answer(404, {"message": "Not Found"})
            n = synth(repo, b, h)
            return self.answer(200, {"status": "ahead", "ahead_by": n,
                                     "behind_by": 0, "total_commits": n})
        for sha in (b, h):
            if git(gdir, "cat-file", "-e", sha + "^{commit}")[0] != 0:
                return self.answer(404, {"message": "No commit found"})
        _, ahead = git(gdir, "rev-list", "--count", b + ".." + h)
        _, behind = git(gdir, "rev-list", "--count", h + ".." + b)
        st = "identical" if ahead == behind == "0" else "ahead" \
            if behind == "0" else "diverged"
        return self.answer(200, {"status": st, "ahead_by": int(ahead),
                                 "behind_by": int(behind),
                                 "total_commits": int(ahead)})


ap = argparse.ArgumentParser()
ap.add_argument("--root", required=True)
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--token", default="")
ap.add_argument("--limit", type=int, default=-1)
ap.add_argument("--plan")
ap.add_argument("--rename", action="append", default=[])
ap.add_argument("--synth", action="store_true")
ap.add_argument("--delay", type=float, default=0)
ap.add_argument("--lifetime", type=float, default=300)
A = ap.parse_args()
PLAN = {}
if A.plan:
    for line in open(A.plan):
        w = line.split()
        if w:
            PLAN[w[0]] = w[1:]
RENAME = dict(r.split("=", 1) for r in A.rename)
srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(A.port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(A.port_file + ".tmp", A.port_file)
threading.Timer(A.lifetime, lambda: os._exit(0)).start()
srv.serve_forever()
