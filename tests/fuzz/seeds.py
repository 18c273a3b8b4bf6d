# seeds.py SAMPLES OUTDIR - write the seed corpora of the fuzz targets.
#
# Called by fuzz-run at every run; nothing it writes is kept in the
# repository.  Real events come from the shared samples folder, read where
# it is (lines of every era, a few per file, evenly spread); generated
# cases come from tests/decode/edge-cases.py and from the lists below.
# Each seed is one file named by the hash of its content, under
# OUTDIR/event, record, time, input, filter and spec.
import gzip, hashlib, json, os, subprocess, sys, zlib

samples, outdir = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
PER_FILE = 25           # lines taken from each sample file
MAXLEN = 32768          # longer seeds would slow every run down

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def read(path):
    """The decoded bytes of a sample, as far as they decode."""
    if not path.endswith(".gz"):
        with open(path, "rb") as f:
            return f.read()
    out = b""
    try:
        with gzip.open(path, "rb") as f:
            while True:
                b = f.read(1 << 20)
                if not b:
                    break
                out += b
    except (OSError, EOFError, zlib.error):
        pass
    return out

events = []             # parsed events, for records and times
hours = set()
if os.path.isdir(samples):
    for top, dirs, files in sorted(os.walk(samples)):
        dirs.sort()
        for fn in sorted(files):
            if not (fn.endswith(".json") or fn.endswith(".ndjson") or
                    fn.endswith(".json.gz")):
                continue
            path = os.path.join(top, fn)
            hours.add(fn.split(".")[0])
            data = read(path)
            if path.endswith(".gz"):
                with open(path, "rb") as f:
                    put("input", b"\x00\x00\x00\x00\x00" + f.read(4096))
            put("input", b"\x10\x00\x00\x00\x00" + data[:3000])
            put("input", b"\x01\x07\x40\x00\x01" + data[:6000])
            lines = data.split(b"\n")
            if len(lines) <= 2 and len(data) <= MAXLEN:
                lines = [data]          # one pretty-printed event
            step = max(1, len(lines) // PER_FILE)
            for line in lines[::step][:PER_FILE]:
                if not line.strip() or len(line) > MAXLEN:
                    continue
                put("event", line)
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                for e in ev if isinstance(ev, list) else [ev]:
                    if isinstance(e, dict):
                        events.append(e)

# Hostile lines from the decoder's own differential test.
edge = subprocess.run([sys.executable, os.path.join(here, "..", "decode",
                       "edge-cases.py")], stdout=subprocess.PIPE,
                      check=True).stdout
for line in edge.split(b"\n"):
    if len(line) <= MAXLEN:
        put("event", line)
        put("record", line)

# Flat records (doc/design.md) built from the sample events, and bad ones.
def get(o, *keys):
    for k in keys:
        o = o.get(k) if isinstance(o, dict) else None
    return o

for e in events[::3]:
    p = e.get("payload") if isinstance(e.get("payload"), dict) else {}
    rec = {"id": str(e.get("id", "tl-0123456789abcdef")),
           "type": e.get("type"), "created_at": e.get("created_at"),
           "actor_id": get(e, "actor", "id"),
           "actor_login": get(e, "actor", "login"),
           "repo_id": get(e, "repo", "id"),
           "repo_name": get(e, "repo", "name"),
           "org_id": get(e, "org", "id"), "org_login": get(e, "org", "login"),
           "action": p.get("action"), "ref": p.get("ref"),
           "ref_type": p.get("ref_type"), "push_id": p.get("push_id"),
           "commits": p.get("size"), "distinct_commits":
           p.get("distinct_size"), "head": p.get("head"),
           "before": p.get("before"), "number": p.get("number"),
           "public": e.get("public"), "src": "2015-01-01-1"}
    put("record", json.dumps(rec, separators=(",", ":")))
r = '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z"'
for extra in ('', ',"commits":null', ',"commits":"3"', ',"public":1',
              ',"public":false', ',"actor_id":1.5', ',"src":7', ',"x":[{}]',
              ',"id":""', ',"created_at":"2012-06-14T15:01:41-07:00"',
              ',"created_at":"2015-01-01T00:00:00.123456Z"'):
    put("record", r + extra + "}")
put("record", '{"type":"T","created_at":"2015-01-01T00:00:00Z"}')
put("record", '{"id":"\\u0031","created_at":"2015-01-01T00:00:00\\u005a"}')

# Times and hour names: real ones, and the edges of the formats.
times = {str(e.get("created_at")) for e in events}
for t in sorted(times)[:200]:
    put("time", t)
for h in sorted(hours):
    put("time", h)
    put("time", "dir/" + h + ".json.gz")
for t in ("2015-01-01T00:00:00Z", "2012-06-14T15:01:41-07:00",
          "2012/11/01T16:39:35-07:00", "2015-01-01 00:00:00+0100",
          "2016-02-29T23:59:60.5Z", "1969-12-31T23:59:59Z",
          "9999-12-31T23:59:59+23:59", "0000-03-01T00:00:00Z",
          "2015-01-01-0", "2015-01-01-23", "2016-02-29-9", "2015-01-01-07",
          "2015-01-01-24", "2100-02-29-0", "2015-01-01-1.json",
          "x/2015-01-01-1.json.gz.json.gz", "\x00\x00\x00\x00\x00\x00\x00\x01"):
    put("time", t)

# gha-fetch SPECs, and gha-filter command lines (see fuzz_filter.c).
for s in ("2024-01-15", "2024-01-15-7", "2024-01-01..2024-01-31",
          "2024-01-15-7..2024-01-16-3", "today", "yesterday",
          "yesterday..today", "2015-01-01..today", "2024-02-30",
          "2024-01-15-07", "2024-01-16..2024-01-15", "2024-01-15...",
          "..", "1970-01-01-0"):
    put("spec", s)
e1 = '{"id":"7","type":"T","created_at":"2015-01-01T00:00:00Z"}'
line = r + ',"commits":3,"actor_login":"Foo[bot]","repo_name":"a/b"}'
raw = ('{"id":"9","type":"IssuesEvent","created_at":"2015-01-01T00:00:00Z",'
       '"actor":{"login":"x"},"repository":{"owner":"o","name":"n"},'
       '"payload":{"issue":{"number":4}}}')
for s in ("ecommits>1", "eactor_login==foo", "epayload.size>=20",
          "erepo_name~^a/", "epublic==true", "enumber!=null",
          "etype==PushEvent", "ecreated_at<2015-01-01T01:00:00Z",
          "eorg_id==-1", 'ea.b.c=="x y"', "ecommits>1e3", "ex==",
          "tPushEvent,IssuesEvent", "T!PushEvent", "aFoo*", "o*",
          "ra/*\ta*", "s2015-01-01", "u2015-01-01-1", "fid,repo_name,number",
          "b", "B", "d", "ecreated_at>=2015-01-01\tfid,created_at\td"):
    for flags in ("\x00", "\x01"):
        put("filter", flags + s + "\n" + line + "\n" + raw + "\n" + e1)
