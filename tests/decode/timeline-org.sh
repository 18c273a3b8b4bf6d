# timeline-org: a 2011-2014 timeline event names its organisation in
# repository.organization (a login, no id).  gha-decode puts it in
# org_login, and gha-filter -o finds the organisation's events, raw or
# decoded; counts by jq.  The real 2012-06-14-15 hour where present (1,384
# of its 5,313 events name one), generated timeline events otherwise.
. "$TESTS/lib.sh"

if have_samples; then
	zcat "$SAMPLES/nickderobertis-py-gh-archive/2012-06-14-15.json.gz" \
	    >ev.json || fail "zcat"
else
	gen_timeline 3000 5 >ev.json || fail "timeline events"
fi
want=$(jq -r 'select(.repository.organization | type == "string") |
    .repository.organization' ev.json | wc -l | tr -d ' ')
[ "$want" -gt 0 ] || fail "no event names an organisation"
gha-decode ev.json >recs 2>/dev/null || fail "gha-decode"
eq "records with an org_login" "$want" \
    "$(jq -r 'select(.org_login != null) | .org_login' recs | wc -l | tr -d ' ')"
# Each record's org_login is its event's organisation, line by line.
jq -r '.repository.organization // "-"' ev.json >want.org
jq -r '.org_login // "-"' recs >got.org
eq "org_login = repository.organization" "" \
    "$(paste want.org got.org | awk -F'\t' '$1 != $2' | head -n 3)"
eq "org_id stays null" 0 "$(jq -r 'select(.org_id != null)' recs | wc -l | tr -d ' ')"

# The most frequent organisation, by -o on raw and on decoded events.
org=$(jq -r '.repository.organization // empty' ev.json | sort | uniq -c |
    sort -rn | awk 'NR == 1 { print $2 }')
n=$(jq -r --arg o "$org" 'select(.repository.organization == $o) | 1' \
    ev.json | wc -l | tr -d ' ')
eq "gha-filter -o $org, raw" "$n" "$(gha-filter -c -o "$org" ev.json 2>/dev/null)"
eq "gha-filter -o $org, decoded" "$n" \
    "$(gha-filter -c -o "$org" recs 2>/dev/null)"
