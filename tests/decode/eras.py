# Independent expectations for tests/decode/eras.sh: reads raw events
# (NDJSON on stdin) and the records gha-decode made of them (argv[1]),
# and checks every field that python can compute on its own with json and
# datetime, following doc/design.md.  Prints "ok N" or the first mismatch.
import json, sys
from datetime import datetime, timezone

def utc(s):
    s = s.replace("/", "-").replace(" ", "T")
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    d = datetime.fromisoformat(s)
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

def num(v):
    return v if isinstance(v, int) and not isinstance(v, bool) else None

def s(v):
    return v if isinstance(v, str) else None

recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n = 0
for line, rec in zip(sys.stdin.buffer, recs):
    ev = json.loads(line)
    p = ev.get("payload") if isinstance(ev.get("payload"), dict) else {}
    timeline = not isinstance(ev.get("actor"), dict) and "repo" not in ev
    push = ev.get("type") == "PushEvent"
    want = {"type": ev["type"], "created_at": utc(ev["created_at"])}
    if timeline:
        ry = ev.get("repository") or {}
        want["actor_id"] = None
        want["actor_login"] = s(ev.get("actor"))
        want["repo_name"] = (ry["owner"] + "/" + ry["name"]
                             if "owner" in ry and "name" in ry else None)
        want["commits"] = (num(p.get("size")) if "size" in p else
                           len(p["shas"]) if "shas" in p else None) if push else None
        org = ev.get("org") if isinstance(ev.get("org"), dict) else {}
        want["org_login"] = (s(org.get("login")) if isinstance(org.get("login"), str)
                             else s(ry.get("organization")))
        assert rec["id"].startswith("tl-") and len(rec["id"]) == 19, rec["id"]
    else:
        want["id"] = str(ev["id"])
        want["actor_id"] = ev["actor"].get("id")
        want["actor_login"] = ev["actor"].get("login")
        want["repo_name"] = ev["repo"].get("name")
        org = ev.get("org") if isinstance(ev.get("org"), dict) else {}
        want["org_login"] = s(org.get("login"))
        want["commits"] = num(p.get("size")) if push else None
    want["ref"] = s(p.get("ref"))
    want["head"] = s(p.get("head"))
    want["before"] = s(p.get("before"))
    want["action"] = s(p.get("action"))
    for k, v in want.items():
        if rec[k] != v:
            print("mismatch at record %d, %s: want %r, got %r" % (n + 1, k, v, rec[k]))
            sys.exit(1)
    n += 1
if n != len(recs):
    print("count: %d events, %d records" % (n, len(recs)))
    sys.exit(1)
print("ok", n)
