# Dirty files as the archive has them (DESIGN 1): objects run together,
# NUL runs, a cut-off last line, U+2028 inside strings, invalid UTF-8.
# Each is reported; no good record next to the damage is lost.
. "$TESTS/lib.sh"
e1='{"id":"7","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","payload":{"size":2}}'
e2='{"id":"8","type":"WatchEvent","created_at":"2015-01-01T00:00:01Z"}'

# "}{": two records from one line, nothing rejected.
printf '%s%s\n%s\n' "$e1" "$e2" "$e1" >joined.json
status 0 gha-decode -q joined.json >out
eq "run-together objects" "7 8 7" "$(jq -r .id out | tr '\n' ' ' | sed 's/ $//')"

# A NUL run between a cut-off event and a whole one: the whole one kept.
printf '%s\n' "$e1" >nul.json
printf '{"id":"9","type":"Pu' >>nul.json
head -c 64 /dev/zero >>nul.json
printf '%s\n%s\n' "$e2" "$e1" >>nul.json
gha-decode -r rej nul.json >out 2>err
eq "NUL run exit" 1 $?
eq "records around a NUL run" "7 8 7" "$(jq -r .id out | tr '\n' ' ' | sed 's/ $//')"
grep -q 'nul.json:2: 64 NUL bytes skipped' err || fail "$(cat err)"
grep -q 'nul.json:2: invalid JSON' err || fail "$(cat err)"
grep -q '3 records, 2 rejected' err || fail "$(cat err)"
eq "cut-off piece kept aside" '{"id":"9","type":"Pu' "$(cat rej)"

# A cut-off last line (no newline): the lines before are kept.
printf '%s\n%s' "$e2" "${e1%??????}" >cut.json
gha-decode cut.json >out 2>err
eq "cut-off last line exit" 1 $?
eq "records before a cut-off line" 1 "$(lines out)"
grep -q 'cut.json:2: invalid JSON' err || fail "$(cat err)"

# Invalid UTF-8 inside a string: that line rejected, the next kept.
printf '{"id":"1","type":"T","created_at":"2015-01-01T00:00:00Z","x":"\377"}\n%s\n' "$e2" >utf.json
gha-decode utf.json >out 2>err
eq "invalid UTF-8 exit" 1 $?
grep -q 'utf.json:1: invalid JSON: invalid UTF-8 at byte 63' err || fail "$(cat err)"
eq "record after invalid UTF-8" 8 "$(jq -r .id out)"

# U+2028 (and U+2029, U+0085) are data, not line breaks: one line each.
ls=$(printf '\342\200\250')
u5='{"id":"5","type":"I","created_at":"2015-01-01T00:00:02Z","x":"a'$ls'b"}'
u6='{"id":"6","type":"T","created_at":"2015-01-01T00:00:03Z","x":"'
u6=$u6$(printf '\342\200\251 \302\205')'"}'
printf '%s\n' "$e1" "$u5" "$u6" "$e2" >u2028.json
status 0 gha-decode -q u2028.json >out
eq "records around U+2028" "7 5 6 8" "$(jq -r .id out | tr '\n' ' ' | sed 's/ $//')"
# The early-2012 sample holds one, in an hour of 7,981 events.
if have_samples; then
	f=$SAMPLES/klangner-github-analysis/2012-04-01-0.json.gz
	status 0 gha-decode -q "$f" >out
	eq "2012-04-01-0 records" 7981 "$(lines out)"
	eq "U+2028 lines in the input" 1 "$(zcat "$f" | grep -c "$ls")"
fi
