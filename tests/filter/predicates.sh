# Every predicate of gha-filter, on raw events of all three eras and on the
# flat records gha-decode makes of them.  Each expected count is computed
# here, independently, by jq over the same lines: one jq pass per shape
# prints a 0/1 column per predicate, awk sums the columns.  The raw side's
# jq spells out the era differences itself (timeline actor strings,
# repository owner/name, -07:00 times), so it checks gha-filter's fall-back
# from flat keys to raw paths rather than repeating its code.
. "$TESTS/lib.sh"
# A third of two full hours (2015, 2012 timeline) spread over each hour,
# and a sample of 2014-2021 events with bots: about 5,000 lines.  Without
# the samples: generated hours of those shapes (2015, 2024, timeline).
sample_hours
if have_samples; then
	S=$SAMPLES
	cat "$S/go-faster-gha/sample.small.json" >mixed.json
	zcat "$S/nickderobertis-py-gh-archive/2012-06-14-15.json.gz" >tl.json
else
	gha-gen -n 1304 -s 9 2024 >mixed.json || fail "gha-gen 2024"
	gen_timeline 5313 9 >tl.json || fail "timeline events"
fi
{ zcat 2015-01-01-3.json.gz | awk 'NR % 3 == 1'
  cat mixed.json
  awk 'NR % 3 == 1' tl.json; } >raw.json
gha-decode -q raw.json >flat.json || fail "decode"
eq "records" "$(lines raw.json)" "$(lines flat.json)"

# The list of bots is empty here: -b and -B test the [bot] rule.
: >nobots
GHA_BOTS=$PWD/nobots
export GHA_BOTS

# row NAME RAW-JQ-TEST FLAT-JQ-TEST GHA-FILTER-ARGS...
n=0
row() {
	n=$((n + 1))
	printf '%s\n' "$1" >name.$n
	printf '((%s) // false) as $x | if $x then 1 else 0 end\n' "$2" >>raw.tests
	printf '((%s) // false) as $x | if $x then 1 else 0 end\n' "$3" >>flat.tests
	shift 3
	printf '%s\n' "$@" >args.$n
}
row type '.type == "PushEvent"' '.type == "PushEvent"' -t PushEvent
row types '.type | IN("PushEvent","CreateEvent","IssuesEvent")' \
    '.type | IN("PushEvent","CreateEvent","IssuesEvent")' \
    -t PushEvent,CreateEvent,IssuesEvent
row not-types '.type | IN("WatchEvent","ForkEvent") | not' \
    '.type | IN("WatchEvent","ForkEvent") | not' -t '!WatchEvent,ForkEvent'
row not-type-T '.type != "WatchEvent"' '.type != "WatchEvent"' -T WatchEvent
row actor 'rlogin | IN("mikedm139","dependabot[bot]")' \
    '.actor_login | IN("mikedm139","dependabot[bot]")' \
    -a 'mikedm139,dependabot\[bot\]'
row actor-glob 'rlogin | strings | test("bot")' \
    '.actor_login | strings | test("bot")' -a '*bot*'
row repo-glob 'rrepo | strings | test("^a[^/]*/[^/]*$")' \
    '.repo_name | strings | test("^a[^/]*/[^/]*$")' --repo 'a*/*'
row repo-glob-i \
    'rrepo | strings | ascii_downcase | test("^(a[^/]*/[^/]*|[^/]*/go[^/]*)$")' \
    '.repo_name | strings | ascii_downcase | test("^(a[^/]*/[^/]*|[^/]*/go[^/]*)$")' \
    -i --repo 'A*/*,*/GO*'
row repo-exact 'rrepo == "plexinc-plugins/Services.bundle"' \
    '.repo_name == "plexinc-plugins/Services.bundle"' \
    --repo plexinc-plugins/Services.bundle
row org 'rorg | strings | test("^(google|.*soft.*)$")' \
    '.org_login | strings | test("^(google|.*soft.*)$")' -o 'google,*soft*'
# -b, -B: with an empty list of bots (GHA_BOTS, above), the [bot] rule
# alone, in any case (tests/load/bots.sh has the lists).
row bots 'rlogin | strings | ascii_downcase | endswith("[bot]")' \
    '.actor_login | strings | ascii_downcase | endswith("[bot]")' -b
row no-bots '(rlogin | strings | ascii_downcase | endswith("[bot]")) // false | not' \
    '(.actor_login | strings | ascii_downcase | endswith("[bot]")) // false | not' -B
row since '.created_at | epoch >= 1420083000' \
    '.created_at | epoch >= 1420083000' --since 2015-01-01T03:30:00Z
row until-date '.created_at | epoch < 1420070400' \
    '.created_at | epoch < 1420070400' --until 2015-01-01
row window-offset \
    '.created_at | epoch | (. >= 1339713000 and . < 1339714800)' \
    '.created_at | epoch | (. >= 1339713000 and . < 1339714800)' \
    --since 2012-06-14T15:30:00-07:00 --until 2012-06-14-23
row window-hour '.created_at | epoch | (. >= 1420081200 and . < 1420081800)' \
    '.created_at | epoch | (. >= 1420081200 and . < 1420081800)' \
    --since 2015-01-01-3 --until 2015-01-01T03:10:00
row size '.payload.size? | numbers > 20' 'false' -e 'payload.size>20'
row commits 'false' '.commits | numbers > 5' -e 'commits > 5'
row regex 'rlogin | strings | test("^[0-9]")' \
    '.actor_login | strings | test("^[0-9]")' -e 'actor_login ~ ^[0-9]'
row not-regex '(rlogin | strings | test("[aeiou]")) // false | not' \
    '(.actor_login | strings | test("[aeiou]")) // false | not' \
    -e 'actor_login !~ [aeiou]'
row number 'rnumber | numbers >= 100' '.number | numbers >= 100' \
    -e 'number >= 100'
row repo-id 'rrepoid | numbers < 1000000' '.repo_id | numbers < 1000000' \
    -e 'repo_id<1000000'
row id-num '.id | strings | tonumber? > 2489651045' \
    '.id | tonumber? > 2489651045' -e 'id > 2489651045'
row id-string '.id == "2489436569"' '.id == "2489436569"' \
    -e 'id == "2489436569"'
row public '.public == true' '.public == true' -e 'public == true'
row org-null 'rorg == null' '.org_login == null' \
    -e 'org_login == null'
row org-set 'rorg != null' '.org_login != null' \
    -e 'org_login != null'
row action '.payload.action? == "opened"' '.action == "opened"' \
    -e 'action == opened'
row ref-type '.payload.ref_type? == "repository"' \
    '.ref_type == "repository"' -e 'ref_type == repository'
row created-lt '.created_at | epoch < 1420082400' \
    '.created_at | epoch < 1420082400' -e 'created_at < 2015-01-01T03:20:00Z'
row combined \
    '.type == "PushEvent" and (rrepo | strings | test("/")) and ((rlogin | strings | endswith("[bot]")) // false | not) and (.created_at | epoch >= 1420083000)' \
    '.type == "PushEvent" and (.repo_name | strings | test("/")) and ((.actor_login | strings | endswith("[bot]")) // false | not) and (.created_at | epoch >= 1420083000)' \
    -t PushEvent --repo '*/*' -B --since 2015-01-01T03:30:00Z
row invert '(.type == "PushEvent" and (rlogin | strings | test("a"))) | not' \
    '(.type == "PushEvent" and (.actor_login | strings | test("a"))) | not' \
    --invert -t PushEvent -a '*a*'

# The jq programs: the definitions, then one column per row.
defs='
def epoch: if endswith("Z") then fromdateiso8601
    else (.[0:19] + "Z" | fromdateiso8601) -
    (if .[19:20] == "-" then -1 else 1 end) *
    ((.[20:22] | tonumber) * 3600 + (.[23:25] | tonumber) * 60) end;
def rlogin: if (.actor | type) == "object" then .actor.login
    elif (.actor | type) == "string" then .actor else null end;
def rrepo: if (.repo | type) == "object" then .repo.name
    elif (.repository | type) == "object" and
    (.repository.owner | type) == "string" and
    (.repository.name | type) == "string"
    then .repository.owner + "/" + .repository.name else null end;
def rorg: if (.org | type) == "object" and (.org.login | type) == "string"
    then .org.login elif (.repository | type) == "object"
    then .repository.organization else null end;
def rrepoid: if (.repo | type) == "object" then .repo.id
    else .repository.id? end;
def rnumber: if (.payload | type) != "object" then null
    elif (.payload | has("number")) then .payload.number
    elif (.payload.issue | type) == "object" and
    (.payload.issue | has("number")) then .payload.issue.number
    else .payload.pull_request.number? end;
'
for shape in raw flat; do
	{ echo "$defs ["; paste -s -d, $shape.tests;
	  echo '] | map(tostring) | join(" ")'; } >$shape.jq
	jq -r -f $shape.jq $shape.json >$shape.cols || fail "jq $shape"
done

i=0
while [ $i -lt $n ]; do
	i=$((i + 1))
	name=$(cat name.$i)
	set --
	while IFS= read -r a; do
		set -- "$@" "$a"
	done <args.$i
	for shape in raw flat; do
		want=$(awk -v c=$i '{ s += $c } END { print s + 0 }' $shape.cols)
		got=$(gha-filter -q -c "$@" $shape.json) ||
		    fail "$name on $shape: exit $?"
		eq "$name on $shape ($*)" "$want" "$got"
		# -c counts exactly the lines written without it.
		eq "$name on $shape, lines written" "$want" \
		    "$(gha-filter -q "$@" $shape.json | wc -l | tr -d ' ')"
	done
done
# Guard against a table that tests nothing: nearly every column selects
# some records but not all.
proper=$(awk '{ for (i = 1; i <= NF; i++) s[i] += $i }
    END { for (i in s) if (s[i] > 0 && s[i] < NR) k++; print k }' raw.cols)
[ "$proper" -ge 25 ] || fail "only $proper predicates select a proper subset"
