# Print hostile one-line JSON cases, one per line, for the differential
# test against jansson: nesting around jansson's limit of 2048, numbers at
# the edge of int64 and of double, every escape, bad UTF-8, surrogates.
import sys
ev = '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","actor":{"id":1,"login":"a"},"repo":{"id":2,"name":"a/b"},"payload":{"size":3,"x":%s}}'
out = sys.stdout.buffer
def w(s):
    out.write((s if isinstance(s, bytes) else s.encode()) + b"\n")
for d in (2044, 2045, 2046, 2047, 2048, 2049, 100000):
    w(ev % ("[" * d + "]" * d))
    w(ev % ("[" * d + "1" + "]" * d))
    w(ev % ('{"k":' * d + "1" + "}" * d))
    w(ev % ("[" * d))
for n in ("9223372036854775807", "-9223372036854775808", "9223372036854775808",
          "-9223372036854775809", "1e308", "1e309", "-1e309", "1e-400", "0.0",
          "-0", "01", "1.", ".1", "1e", "1e+", "-", "+1", "0x10", "1E5", "123456789012345678901234567890",
          "NaN", "Infinity", "true", "tru", "nul", "null", "falsey"):
    w(ev % n)
for s in ('"\\u0000"', '"\\u0001"', '"\\ud800"', '"\\udc00"', '"\\ud800\\udc00"',
          '"\\ud800\\u0041"', '"\\uDBFF\\uDFFF"', '"\\/"', '"\\q"', '"\\u00e9"', '"\\u12"',
          '"\t"', '"\x7f"'):
    w(ev % s)
for b in (b'"\xc0\xaf"', b'"\xe0\x80\xaf"', b'"\xed\xa0\x80"', b'"\xf4\x90\x80\x80"',
          b'"\xf0\x9f\x98\x80"', b'"\xe2\x80\xa8"', b'"\xff"', b'"\x80"', b'"\xc3"',
          b'"\xef\xbf\xbf"', b'"\x00"'):
    w((ev % "0").encode().replace(b'"x":0', b'"x":' + b))
w('{"id":"1","id":2,"type":"PushEvent","created_at":"2015-01-01T00:00:00Z","repo":{"name":"x/y"},"repo":{"id":5}}')
w('{"actor":{"login":"a"},"actor":7,"id":"9","type":"X","created_at":"2015-01-01T00:00:00+01:00"}')
w('{"\\u0069d":"5","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","payload":{"size":2,"size":"x"}}')
w(' {"id":"5","type":"T","created_at":"2015-01-01T00:00:00Z"} ')
w('{"id":"5","type":"T","created_at":"2015-01-01T00:00:00Z"}x')
w('{"id":"5","type":"T","created_at":"2015-01-01T00:00:00Z"}{"id":"6","type":"T","created_at":"2015-01-01T00:00:00Z"}')
w('[1,2]')
w('"str"')
w('')
w('{}')
w('{"id":"5","type":"T","created_at":"2015-13-01T00:00:00Z"}')
w('{"id":"5","type":"T","created_at":"2015-02-29T00:00:00Z"}')
w('{"id":"5","type":"T","created_at":"2012-06-14T15:01:41-07:00","actor":"x","repository":{"owner":"o","name":"n"}}')
w('{"type":"GistEvent","created_at":"2012-06-14T15:01:41-07:00","actor":null,"payload":{"id":1}}')
w(b'{"id":"5","type":"T",\x00"created_at":"2015-01-01T00:00:00Z"}')
w('{"id":"5","type":"T","created_at":"2015-01-01T00:00:00Z","a":[1,2,]}')
w('{"id":"5","type":"T","created_at":"2015-01-01T00:00:00Z",}')
w('{"id":"5" "type":"T"}')
# Objects run together, NUL runs, a cut-off piece after a good object.
e1 = '{"id":"7","type":"T","created_at":"2015-01-01T00:00:00Z"}'
e2 = '{"id":"8","type":"T","created_at":"2015-01-01T00:00:01Z"}'
w(e1 + e2)
w(e1 + e2 + e1)
w(e1 + ' ' + e2)
w(e1 + e2[:20])
w(e1 + '{"no":"event"}' + e2)
w(b"\x00" * 50)
w(e1.encode() + b"\x00" * 30 + e2.encode())
w(e1[:30].encode() + b"\x00" * 30 + e2.encode())
w(b"\x00\x00" + e2.encode() + b"\x00")
w(b"  \x00 \x00" + e1.encode())
