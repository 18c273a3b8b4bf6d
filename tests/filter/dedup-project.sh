# De-duplication by (id, created_at), projection (-f), threads (-j) and
# line buffering (-u).  Expected values come from jq, sort -u and the
# inputs themselves, never from gha-filter.
. "$TESTS/lib.sh"
# Real hours and the 2014-2021 sample when present; else generated hours
# of the same shapes (2015, 2024 with bots, the timeline era).
sample_hours
zcat 2015-01-01-4.json.gz | awk 'NR % 2 == 1' >h4.json
if have_samples; then
	S=$SAMPLES
	zcat "$S/nickderobertis-py-gh-archive/2012-06-14-15.json.gz" |
	    head -n 1500 >tl.json
	cp "$S/go-faster-gha/sample.small.json" mixed.json
else
	gen_timeline 1500 5 >tl.json || fail "timeline events"
	gha-gen -n 1304 -s 5 2024 >mixed.json || fail "gha-gen 2024"
fi
cat h4.json mixed.json tl.json >raw.json
gha-decode -q raw.json >flat.json || fail "decode"

# -d on records given twice: as many as distinct (id, created_at) pairs.
want=$(jq -r '[.id, .created_at] | @json' flat.json | sort -u | wc -l)
eq "distinct records" "$want" \
    "$(cat flat.json flat.json | gha-filter -q -c --dedup)"
eq "-d, -j 1 = -j 2" "$(cat flat.json flat.json | gha-filter -q --dedup -j 1 |
    md5sum)" "$(cat flat.json flat.json | gha-filter -q --dedup -j 2 | md5sum)"
# The first copy is the one kept, in input order (records hold no tabs).
jq -r '[.id, .created_at] | @json' flat.json | paste - flat.json |
    awk -F'\t' '!seen[$1]++ { print $2 }' >want
cat flat.json flat.json | gha-filter -q --dedup >out
cmp -s out want || fail "-d did not keep the first copies in order"
cat flat.json flat.json | gha-filter --dedup >/dev/null 2>err
n=$(lines flat.json)
dups=$((2 * n - want))
grep -q "$((2 * n)) records, $want selected, $dups duplicates" err ||
    fail "summary: $(cat err)"
# Raw events twice: events with an id by (id, created_at), timeline
# events (no id) by their whole line.
with_id=$(jq -r 'select(has("id")) | [.id, .created_at] | @json' raw.json |
    sort -u | wc -l)
no_id=$(jq -c 'select(has("id") | not)' raw.json | sort -u | wc -l)
eq "distinct raw events" "$((with_id + no_id))" \
    "$(cat raw.json raw.json | gha-filter -q -c --dedup)"
# A record and the raw event it came from are one identity.
eq "record = its event" "$(lines h4.json)" \
    "$(gha-decode -q h4.json | cat - h4.json | gha-filter -q -c --dedup)"
# -d with -v and a predicate: the selected ones, each once.
want=$(jq -r 'select(.type != "PushEvent") | [.id, .created_at] | @json' \
    flat.json | sort -u | wc -l)
eq "-d -v" "$want" "$(cat flat.json flat.json |
    gha-filter -q -c --dedup --invert -t PushEvent)"
# The table's limit: 1M holds 49,152 hashes (3/4 of 65,536 slots), and
# doubling would need 1.5M; the 49,153rd distinct record stops the run.
awk 'BEGIN { for (i = 1; i <= 50000; i++) printf "{\"id\":\"%d\"}\n", i }' \
    >many.json
gha-filter --dedup -M 1M many.json >out 2>err
eq "-M exit" 10 $?
eq "written before the limit" 49152 "$(lines out)"
grep -q 'many.json:49153: --dedup: more than 49152 distinct records' err ||
    fail "limit message: $(cat err)"
status 0 gha-filter -q --dedup -M 2M many.json >/dev/null

# -f on raw events and on records: the keys asked for, in order, flat
# keys falling back to raw paths; compared after jq's normalisation.
jq -c '{id, type,
    actor_login: (if (.actor | type) == "object" then .actor.login
        elif (.actor | type) == "string" then .actor else null end),
    repo_name: (if (.repo | type) == "object" then .repo.name
        elif (.repository | type) == "object" and
        (.repository.owner | type) == "string" and
        (.repository.name | type) == "string"
        then .repository.owner + "/" + .repository.name else null end),
    "payload.size": .payload.size?, nope: null}' raw.json >want
gha-filter -q --fields id,type,actor_login,repo_name,payload.size,nope raw.json |
    jq -c . >got || fail "-f raw"
cmp -s want got || fail "-f on raw events: $(diff want got | head -5)"
jq -c '{id, type, actor_login, repo_name, "payload.size": null, nope: null}' \
    flat.json >want
gha-filter -q --fields id,type,actor_login,repo_name,payload.size,nope flat.json |
    jq -c . >got || fail "-f flat"
cmp -s want got || fail "-f on records: $(diff want got | head -5)"
# Tokens are copied as they are: escapes, number spelling, nesting.
printf '%s\n' '{"a":"x\u00e9\"","b":1.50,"c":{"d":[1, 2]},"e":-0}' >tok.json
want='{"b":1.50,"c":{"d":[1, 2]},"a":"x\u00e9\"","c.d":[1, 2],"e":-0}'
eq "tokens as they are" "$want" "$(gha-filter -q --fields b,c,a,c.d,e tok.json)"
# A key with a quote in it is written as valid JSON.
printf '%s\n' '{"a\"b":1}' | gha-filter -q --fields 'a"b' | jq -e '."a\"b" == 1' \
    >/dev/null || fail "-f key escaping"

# Threads change nothing: every option's output is the same for -j 1, 2, 3
# and -u (one line at a time).
for args in "-t PushEvent" "--invert --repo a*/* --fields id,repo_name" \
    "--dedup -B" \
    "-e created_at>=2015-01-01T04:30:00Z"; do
	# shellcheck disable=SC2086
	gha-filter -q -j 1 $args raw.json >j1 || fail "-j 1 $args"
	for j in "-j 2" "-j 3" "-u"; do
		# shellcheck disable=SC2086
		gha-filter -q $j $args raw.json >jn || fail "$j $args"
		cmp -s j1 jn || fail "$j differs from -j 1 for $args"
	done
	[ -s j1 ] || fail "$args selected nothing"
done

# gzip on stdin, and the canonical pipeline.
gzip -c raw.json | gha-filter -q -c -t PushEvent >got
eq "gzip stdin" "$(jq -r 'select(.type == "PushEvent") | 1' raw.json |
    wc -l | tr -d ' ')" "$(cat got)"
eq "decode | filter" "$(jq -r 'select(.type == "PushEvent" or
    .type == "CreateEvent") | 1' raw.json | wc -l | tr -d ' ')" \
    "$(gha-decode -q raw.json | gha-filter -q -t PushEvent,CreateEvent |
    wc -l | tr -d ' ')"
# -i applies to regular expressions too.
eq "-i regex" "$(jq -r 'select(.actor_login | strings |
    test("^dependabot"; "i")) | 1' flat.json | wc -l | tr -d ' ')" \
    "$(gha-filter -q -c -i -e 'actor_login ~ ^DEPENDABOT' flat.json)"

# -u: each selected record is written before the next line is read (the
# 20-second limit only keeps a broken build from hanging the suite).
head -n 3 flat.json >three.json
python3 - <<'PY' || fail "-u does not write each record at once"
import subprocess, select, sys
p = subprocess.Popen(["gha-filter", "-q", "-u", "--fields", "id"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for line in open("three.json", "rb"):
    p.stdin.write(line)
    p.stdin.flush()
    if not select.select([p.stdout], [], [], 20)[0]:
        sys.exit("no output for a line")
    p.stdout.readline()
p.stdin.close()
sys.exit(p.wait())
PY
