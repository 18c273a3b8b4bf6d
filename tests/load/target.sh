# target: what a user types as TARGET means the same to gha-load,
# gha-report, gha-daily and gha-backfill (they all ask gha-load -P).
# host:port, another scheme, credentials in the URL, a bad port, host or
# database name: exit 2 saying what was expected, the password never
# echoed, and never a new SQLite file named after the mistake.  The scheme
# is case-insensitive: HTTP:// and HTTPS:// are ClickHouse URLs everywhere.
# Several servers and ?cluster=NAME parse, each part checked.
. "$TESTS/lib.sh"
. "$TESTS/daily/daily.subr"

flat_rec '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z"}' >rec
port=$(free_port)
URL=http://127.0.0.1:$port/
mkenv load_wait=0
mkdir run
cd run || exit 1

# TARGET, then a regular expression the message must match.
while IFS='|' read -r t want; do
	gha-load "$t" <../rec >out 2>err
	eq "gha-load $t: exit status" 2 $?
	grep -q -- "$want" err || fail "gha-load $t: unclear: $(cat err)"
	gha-report "$t" >out 2>err
	eq "gha-report $t: exit status" 2 $?
	grep -q -- "^gha-report: .*$want" err ||
	    fail "gha-report $t: unclear: $(cat err)"
	GHA_DB=$t gha-daily -n >out 2>err
	eq "gha-daily $t: exit status" 2 $?
	grep -q -- "^gha-daily: target: .*$want" err ||
	    fail "gha-daily $t: unclear: $(cat err)"
	GHA_DB=$t gha-backfill -n 2024-01-01 >out 2>err
	eq "gha-backfill $t: exit status" 2 $?
	grep -q -- "$want" err || fail "gha-backfill $t: unclear: $(cat err)"
	grep -q s3cret ../rec out err && fail "$t: password echoed: $(cat err)"
	eq "$t: files made" "err out" "$(ls -A | tr '\n' ' ' | sed 's/ $//')"
done <<EOF
localhost:8123|HOST:PORT without a scheme; for ClickHouse write http://localhost:8123
127.0.0.1:$port/gha|HOST:PORT without a scheme
[::1]:8123|HOST:PORT without a scheme
clickhouse://127.0.0.1:9000/gha|unknown scheme clickhouse://; ClickHouse is reached over HTTP
tcp://127.0.0.1:9000|unknown scheme tcp://
http://u:s3cret@127.0.0.1:$port/gha|credentials in the URL are not accepted; set GHA_CLICKHOUSE_USER and GHA_CLICKHOUSE_PASSWORD_FILE
HTTPS://u:s3cret@127.0.0.1:$port/|credentials in the URL are not accepted
u:s3cret@127.0.0.1:$port|HOST:PORT without a scheme, and credentials in the URL are not accepted
ftp://u:s3cret@127.0.0.1/|unknown scheme ftp://, and credentials
http://127.0.0.1:$port/bad-name|database name is not an identifier (\[A-Za-z_\]\[A-Za-z0-9_\]\*): bad-name
http://127.0.0.1:$port/1abc|database name is not an identifier
http://127.0.0.1:$port/a/b|database name is not an identifier
http://127.0.0.1:$port/$(printf '%065d' 0)|database name is longer than 64 characters
http://127.0.0.1:$port/gha?database=x|URL may not have a query or fragment
http://127.0.0.1:$port/gha?cluster=1c|cluster name is not an identifier
http://127.0.0.1:$port/gha?cluster=c&x=1|cluster name is not an identifier
http://127.0.0.1:$port/gha?cluster=c#f|URL may not have a query or fragment but ?cluster=NAME
http://127.0.0.1:$port,/gha?cluster=c|URL has no host
http://127.0.0.1:$port,127.0.0.1:0/gha|the port is not a number from 1 to 65535: 0
http://a,b,c,d,e,f,g,h,i/gha|more than 8 servers
http://127.0.0.1:0/gha|the port is not a number from 1 to 65535: 0
http://127.0.0.1:65536/gha|the port is not a number from 1 to 65535: 65536
http://127.0.0.1:/gha|the port is not a number from 1 to 65535
http://bad host/gha|not a host name or address: bad host
http:///gha|URL has no host
EOF

# -P: the parsed fields as sh assignments (what the scripts eval).
eq "-P, upper-case scheme" "target_kind='clickhouse'
target_scheme='https'
target_host='127.0.0.1'
target_port='8443'
target_database='Gha_1'
target_base='https://127.0.0.1:8443'" "$(gha-load -P HTTPS://127.0.0.1:8443/Gha_1/)"
eq "-P, IPv6, no port, no database" "target_kind='clickhouse'
target_scheme='http'
target_host='[::1]'
target_port=''
target_database='gha'
target_base='http://[::1]'" "$(gha-load -P 'Http://[::1]')"
eq "-P, a cluster of two servers" "target_kind='clickhouse'
target_scheme='http'
target_host='127.0.0.1'
target_port='1'
target_database='gha'
target_base='http://127.0.0.1:1'
target_cluster='c_1'
target_endpoints='http://127.0.0.1:1 http://[::1]:2'" \
    "$(gha-load -P 'http://127.0.0.1:1,[::1]:2?cluster=c_1')"
eq "-P, an SQLite file" "target_kind='sqlite'
target_file='./localhost:8123'" "$(gha-load -P ./localhost:8123)"
eval "$(gha-load -P "it's \$(x).db")"
eq "-P quotes for sh" "sqlite it's \$(x).db" "$target_kind $target_file"
eq "-P from GHA_DB" "target_file='x.db'" "$(GHA_DB=x.db gha-load -P | tail -n 1)"
status 2 gha-load -P -H gha.db 2>/dev/null

# An upper-case scheme is a ClickHouse URL to every tool: nothing listens
# on the port, so each fails to connect (not exit 2, no SQLite file).
gha-load -w 0 "HTTP://127.0.0.1:$port/gha" <../rec 2>err
eq "gha-load HTTP://" 4 $?
grep -q "^gha-load: http://127.0.0.1:$port: " err || fail "$(cat err)"
gha-report "HTTPS://127.0.0.1:$port/" 2>err
eq "gha-report HTTPS://" 3 $?
grep -q "^gha-report: https://127.0.0.1:$port/gha: " err || fail "$(cat err)"
GHA_DB=HTTP://127.0.0.1:$port/gha gha-daily -n >out 2>err
eq "gha-daily HTTP://" 4 $?
grep -q "cannot read the hour ledger of HTTP://127.0.0.1:$port/gha" err ||
    fail "$(cat err)"
rm -f out err
eq "files made" "" "$(ls -A)"

# ./HOST:PORT is an SQLite file of that name, on purpose.
gha-load -q ./localhost:8123 <../rec || fail "./localhost:8123"
eq "SQLite file" 1 "$(sqlite3 ./localhost:8123 'SELECT count(*) FROM events')"
gha-report -s summary --csv ./localhost:8123 >/dev/null || fail "report"
exit 0
