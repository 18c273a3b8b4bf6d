# --status FILE: one NDJSON record per input for every state, checked
# with jq: "ok" (records and rejected lines counted with zcat, jq and
# grep, not with gha-decode), "damaged" (a gzip file cut short: the lines
# before the cut are counted), "unreadable" (no such file); stdin, as
# data and as a list of paths; appended to by several runs (so a script
# may gather many calls in one file); each record written only after the
# input's records reached stdout.
. "$TESTS/lib.sh"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built (make testbin)"
"$TBIN/gha-gen" -z -n 40 -s 7 -H 2024-01-15-3 -o . 2>/dev/null ||
    fail "gha-gen"
good=2024-01-15-3.json.gz
# An hour with two bad lines among good ones.
{ gzip -dc $good | head -n 10; echo '{"bad'; echo '[1]'
  gzip -dc $good | sed -n '11,20p'; } | gzip -n >2024-01-15-4.json.gz
# A cut gzip file: damaged part way.
head -c 2000 $good >2024-01-15-5.json.gz

gha-decode --status st $good 2024-01-15-4.json.gz 2024-01-15-5.json.gz \
    nosuch.json.gz >out 2>err
eq "exit" 3 $?
eq "records" 4 "$(lines st)"
jq -e . st >/dev/null || fail "not JSON: $(cat st)"
n=$(gzip -dc $good | wc -l | tr -d ' ')
eq "good" "$good 2024-01-15-3 ok $n $n 0" \
    "$(jq -r 'select(.file == "'$good'") |
    "\(.file) \(.hour) \(.state) \(.lines) \(.records) \(.rejected)"' st)"
eq "two bad lines" "2024-01-15-4 ok 22 20 2" \
    "$(jq -r 'select(.hour == "2024-01-15-4") |
    "\(.hour) \(.state) \(.lines) \(.records) \(.rejected)"' st)"
cut=$(gzip -dc 2024-01-15-5.json.gz 2>/dev/null | grep -c '}$')
eq "damaged" "damaged $cut" "$(jq -r 'select(.hour == "2024-01-15-5") |
    "\(.state) \(.records)"' st)"
eq "unreadable" "null unreadable 0 0" \
    "$(jq -r 'select(.file == "nosuch.json.gz") |
    "\(.hour) \(.state) \(.records) \(.rejected)"' st)"
eq "records = stdout" "$(lines out)" "$(jq -s 'map(.records) | add' st)"

# stdin as data, then a list of paths, appended to the same file.
gzip -dc $good | gha-decode --status st >/dev/null 2>err ||
    fail "stdin: exit $?"
eq "stdin" "<stdin> null ok $n" "$(tail -n 1 st | jq -r \
    '"\(.file) \(.hour) \(.state) \(.records)"')"
printf '%s\n' $good 2024-01-15-4.json.gz | gha-decode --status /dev/fd/3 \
    3>>st >/dev/null 2>err
eq "list exit" 1 $?
eq "list" "2024-01-15-3 $n 0,2024-01-15-4 20 2" \
    "$(tail -n 2 st | jq -r '"\(.hour) \(.records) \(.rejected)"' |
    paste -sd ,)"
eq "appended" 7 "$(lines st)"

# The record of an input comes after its records: read both as they
# come, the status through a fifo, and see stdout's count already there.
mkfifo f
gha-decode -j 1 --status f $good 2024-01-15-4.json.gz >out2 2>/dev/null &
pid=$!
sum=0
while IFS= read -r l; do
	sum=$((sum + $(printf '%s\n' "$l" | jq -r .records)))
	[ "$(lines out2)" -ge $sum ] ||
	    fail "status before the records: $l, $(lines out2) out"
done <f
wait $pid
eq "fifo exit" 1 $?
eq "fifo records" "$(lines out2)" $sum
exit 0
