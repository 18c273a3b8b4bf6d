# tests/clickhouse/server.sh - a throwaway clickhouse-server for one test.
#
# Sourced by the tests of this folder (after "$TESTS/lib.sh").  ch_start
# writes a config of its own under ./ch (data, logs, users) in the test's
# scratch directory, starts clickhouse-server on a free port of 127.0.0.1
# and waits for GET /ping; an EXIT trap stops it, so no server outlives its
# test whatever way the test ends.  Skips (77) when the server is not
# installed.  Users: default (no password, full rights), loader (password
# in ./ch/loader.pw, full rights), reader (readonly=1).
#
#	ch_start		start (or restart on the same port and data)
#	ch_stop			SIGTERM and wait
#	ch_kill			SIGKILL, no wait for a clean shutdown
#	ch_q SQL		run SQL as default, output TSV on stdout
#	CH_URL			http://127.0.0.1:PORT
CH_SERVER=${CH_SERVER:-clickhouse-server}
command -v "$CH_SERVER" >/dev/null 2>&1 ||
    skip "clickhouse-server is not installed"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"

CH_DIR=$PWD/ch
CH_PID=
CH_PORT=

ch_config() {
	mkdir -p "$CH_DIR/data" "$CH_DIR/tmp" "$CH_DIR/user_files" \
	    "$CH_DIR/format_schemas" "$CH_DIR/log"
	CH_PORT=$(free_port)
	CH_TCP=$(free_port)
	CH_URL=http://127.0.0.1:$CH_PORT
	# A password nobody would guess, so a leak is easy to grep for.
	echo "pw-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" \
	    >"$CH_DIR/loader.pw"
	cat >"$CH_DIR/config.xml" <<XML
<yandex>
  <logger>
    <level>warning</level>
    <log>$CH_DIR/log/server.log</log>
    <errorlog>$CH_DIR/log/error.log</errorlog>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$CH_PORT</http_port>
  <tcp_port>$CH_TCP</tcp_port>
  <path>$CH_DIR/data/</path>
  <tmp_path>$CH_DIR/tmp/</tmp_path>
  <user_files_path>$CH_DIR/user_files/</user_files_path>
  <format_schema_path>$CH_DIR/format_schemas/</format_schema_path>
  <users_config>$CH_DIR/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
</yandex>
XML
	cat >"$CH_DIR/users.xml" <<XML
<yandex>
  <profiles>
    <default><max_memory_usage>2000000000</max_memory_usage></default>
    <readonly><readonly>1</readonly></readonly>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile><quota>default</quota>
    </default>
    <loader>
      <password>$(cat "$CH_DIR/loader.pw")</password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile><quota>default</quota>
    </loader>
    <reader>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>readonly</profile><quota>default</quota>
    </reader>
  </users>
  <quotas><default></default></quotas>
</yandex>
XML
}

ch_start() {
	[ -n "$CH_PORT" ] || ch_config
	"$CH_SERVER" --config-file="$CH_DIR/config.xml" \
	    >>"$CH_DIR/log/stdout" 2>&1 &
	CH_PID=$!
	trap 'ch_kill' EXIT
	i=0
	until [ "$(curl -s "$CH_URL/ping" 2>/dev/null)" = "Ok." ]; do
		i=$((i + 1))
		kill -0 "$CH_PID" 2>/dev/null || {
			tail -n 5 "$CH_DIR/log/error.log" "$CH_DIR/log/stdout" >&2
			fail "clickhouse-server exited at start"
		}
		[ $i -lt 300 ] || fail "clickhouse-server did not answer /ping"
		sleep 0.1
	done
}

ch_stop() {
	[ -n "$CH_PID" ] || return 0
	kill "$CH_PID" 2>/dev/null
	wait "$CH_PID" 2>/dev/null
	CH_PID=
}

ch_kill() {
	[ -n "$CH_PID" ] || return 0
	kill -9 "$CH_PID" 2>/dev/null
	wait "$CH_PID" 2>/dev/null
	CH_PID=
}

# ch_q SQL: run one statement as user default; TSV on stdout; fails the
# test on an error.
ch_q() {
	curl -sS --fail-with-body --data-binary "$1" "$CH_URL/" ||
	    fail "query failed: $1"
}

# ch_qr SQL: the same as the readonly user (no settings may be passed).
ch_qr() {
	curl -sS --fail-with-body -H 'X-ClickHouse-User: reader' \
	    --data-binary "$1" "$CH_URL/" || fail "readonly query failed: $1"
}
