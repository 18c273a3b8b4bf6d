# The page in a real browser (Debian's chromium, headless): a screenshot
# that is not blank, the numbers of its DOM equal to the views' rows read
# with sqlite3, no network request at all, and an empty database giving a
# page that says so instead of empty axes.
#
# "No request": chromium runs with every request sent to a logging proxy
# on 127.0.0.1 (started here; it answers 403 and forwards nothing); a
# probe page with one remote image must show up in the proxy's log (so the
# check can fail), the report must not.  Chromium itself calls a few
# Google services whatever the flags (update.googleapis.com,
# clients2.google.com, accounts.google.com); those exact hosts are left out
# of the log, and nothing on the page names them.  The page source must
# also hold no URL and no reference to another file.
. "$TESTS/lib.sh"
. "$TESTS/report/mkdb"
command -v chromium >/dev/null 2>&1 ||
    skip "chromium is not installed (scripts/install-deps installs it)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

mkdb week.db
gha-report --html week.html week.db || fail "gha-report --html"
gha-load -q empty.db </dev/null || fail "gha-load empty.db"
gha-report --html empty.html empty.db || fail "gha-report empty"

# The source: no URL (SVG inline in HTML needs no namespace), no src or
# href, no url() but the page's own #hatch pattern, no script.
grep -Eio 'https?://[^"< ]*' week.html | grep -v '^http://www.w3.org/2000/svg$' &&
    fail "URL in the page"
grep -Eiq '(src|href|srcset|action|data)=|@import|<script|<link|<iframe|<object' \
    week.html && fail "the page references something"
eq "url()" "url(#hatch)" "$(grep -o 'url([^)]*)' week.html | sort -u)"

cat >proxy.py <<'PY'
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def any(self):
        with open("requests.log", "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        self.send_error(403)
    do_GET = do_POST = do_HEAD = do_CONNECT = do_PUT = do_OPTIONS = any
    def log_message(self, *a):
        pass
s = socketserver.ThreadingTCPServer(("127.0.0.1", 0), H)
open("proxy.port", "w").write(str(s.server_address[1]))
s.serve_forever()
PY
: >requests.log
python3 proxy.py &
proxy=$!
trap 'kill $proxy 2>/dev/null' EXIT
wait_port proxy.port "the proxy"
port=$PORT

# browser ARGS...: headless chromium with a fresh profile, every request
# to the proxy.
n=0
browser() {
	n=$((n + 1))
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$PWD/profile$n" \
	    --proxy-server="http://127.0.0.1:$port" \
	    --proxy-bypass-list='<-loopback>' "$@" 2>>browser.err
}
# pagereqs: the requests of the log not made by chromium for itself.
pagereqs() {
	grep -Ev '^(CONNECT (update\.googleapis|accounts\.google|clients2\.google)\.com:443|(GET|POST) http://(update\.googleapis|clients2\.google)\.com/)' \
	    requests.log
}

echo '<p>probe<img src="http://example.com/gha-probe.png"></p>' >probe.html
browser --dump-dom "file://$PWD/probe.html" >probe.dom ||
    fail "chromium: $(tail -n 3 browser.err)"
pagereqs | grep -q '^GET http://example.com/gha-probe.png$' ||
    fail "the proxy saw no request from the probe: the check cannot fail"
: >requests.log

browser --window-size=900,700 --screenshot="$PWD/shot.png" \
    "file://$PWD/week.html" || fail "chromium: $(tail -n 3 browser.err)"
browser --dump-dom "file://$PWD/week.html" >week.dom ||
    fail "chromium: $(tail -n 3 browser.err)"
browser --dump-dom "file://$PWD/empty.html" >empty.dom ||
    fail "chromium: $(tail -n 3 browser.err)"
eq "requests" "" "$(pagereqs)"

# Not blank: many colours, a fair share of ink.
set -- $(python3 "$TESTS/report/pngstat.py" shot.png) ||
    fail "shot.png unreadable"
eq "screenshot size" "900 700" "$1 $2"
[ "$3" -ge 20 ] || fail "screenshot has $3 colours: blank?"
awk -v p="$4" 'BEGIN { exit !(p >= 5 && p <= 60) }' ||
    fail "screenshot ink $4%: blank?"

# The DOM's numbers.  Tables: one cell a line, then rows joined by ",".
# table ID: the rows of table ID of week.dom, as CSV without commas in
# numbers ("-" for an empty cell).
table() {
	tr -d '\n' <week.dom | sed 's/<table/\n&/g; s/<\/table>/&\n/g' |
	    grep "^<table id=\"$1\"" | sed 's/<\/tr>/\n/g' | grep '<td' |
	    sed 's/<[^>]*>/|/g; s/,//g; s/||*/,/g; s/^,//; s/,$//'
}
sqlite3 -csv week.db "SELECT day, events, developers, devs_gt1_commit,
    devs_lt1_commit, repos_gt10_members,
    CASE commits_estimated WHEN 1 THEN 'yes' ELSE 'no' END, 'unknown'
    FROM daily_summary ORDER BY day" >want
table summary | grep -v '^2015-01-05' | sed 's/,[^,]*$//' >got
cmp -s want got || fail "summary table differs: $(diff want got | head)"
eq "empty day" "2015-01-05,-,-,-,-,-,-,unknown,-" \
    "$(table summary | grep '^2015-01-05')"
sqlite3 -csv week.db "SELECT actor_login, repos_owned, repos_created
    FROM devs_owning_multiple_repos" | LC_ALL=C sort -t, -k2,2nr -k3,3nr -k1,1 |
    head -n 10 >want
table top-owners >got
cmp -s want got || fail "owners table differs: $(diff want got)"
# The bars of the events chart carry the view's numbers.
sqlite3 -separator ' ' week.db "SELECT day, events FROM daily_summary
    ORDER BY day" >want
tr -d '\n' <week.dom | sed 's/<figure/\n&/g' | grep 'id="c-events"' |
    grep -o 'data-day="[^"]*" data-value="[^"]*"' |
    sed 's/data-day="\([^"]*\)" data-value="\([^"]*\)"/\1 \2/' >got
cmp -s want got || fail "events bars differ: $(diff want got)"
grep -q 'Grey hatched: no data' week.dom || fail "no-data day not marked"
grep -q '\* commit counts estimated' week.dom ||
    fail "estimated day not marked"
grep -q 'Coverage unknown' week.dom || fail "coverage not said unknown"

# The empty database: a page that says so, and no chart.
grep -q 'id="nodata"' empty.dom || fail "empty page: no message"
grep -q 'No data: the database holds no events' empty.dom ||
    fail "empty page: wrong message"
grep -q '<figure' empty.dom && fail "empty page has a chart"
exit 0
