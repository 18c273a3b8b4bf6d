# gha-fetch --defer-check | gha-decode: each file is inflated once, by
# gha-decode, and the cache still gets only proven files.  gha-fetch
# alone lists unproven names and puts nothing under a final name; from
# gha-decode come exactly the records of the good hours (counted with
# zcat and jq, not with gha), their files then cached byte for byte; the
# damaged downloads (a flipped byte, a cut-off last line, trailing junk,
# an XML error page served with 200) give no record at all, though
# decoding the same bytes as an ordinary file does give some, are removed,
# and gha-decode's status says damaged.  --cat with --defer-check is bad
# usage.  The same with one decoding thread; and with no $TMPDIR to hold
# records in, a clear error (exit 4) that leaves the download as it was.
. "$TESTS/lib.sh"
. "$TESTS/server/server.subr"
[ -x "$TBIN/gha-gen" ] || skip "gha-gen is not built (make testbin)"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
mkdir m
for h in 0 1 2 3 4 5 6; do
	"$TBIN/gha-gen" -z -n 400 -s $((h + 1)) -H 2024-01-15-$h -o m \
	    2>/dev/null || fail "gha-gen"
done
# hour 4: the last line without its newline; hour 5: junk after the gzip
gzip -dc m/2024-01-15-4.json.gz | head -c -1 | gzip -n >t &&
    mv t m/2024-01-15-4.json.gz
printf 'junk' >>m/2024-01-15-5.json.gz
printf '/2024-01-15-3.json.gz corrupt\n/2024-01-15-6.json.gz xml\n' >plan
start_server s m --plan plan
export GHA_CACHE=c GHA_BASE_URL=$URL

gha-fetch --cat --defer-check 2024-01-15-0 >out 2>err
eq "--cat --defer-check" 2 $?

gha-fetch --defer-check --status fst 2024-01-15-0..2024-01-15-6 >list ||
    fail "gha-fetch: exit $?: $(cat err)"
eq "listed" 7 "$(grep -c '^c/\.2024-01-15-[0-6]\.json\.gz\.unproven-......$' list)"
eq "final names before the proof" "" "$(ls c)"
eq "status paths" "$(cat list)" "$(jq -r .path fst | sort)"

gha-decode --status dst <list >recs 2>err
eq "gha-decode" 3 $?
for h in 0 1 2; do
	gzip -dc m/2024-01-15-$h.json.gz | jq -r '"2024-01-15-'$h'"'
done | sort | uniq -c >want
eq "records of the good hours only" "$(cat want)" \
    "$(jq -r .src recs | sort | uniq -c)"
eq "cache" "2024-01-15-0.json.gz 2024-01-15-1.json.gz 2024-01-15-2.json.gz" \
    "$(ls c | xargs)"
for h in 0 1 2; do
	cmp -s m/2024-01-15-$h.json.gz c/2024-01-15-$h.json.gz ||
	    fail "hour $h differs from the mirror"
done
eq "unproven files left" "" "$(ls -A c | grep unproven)"
eq "states" "ok ok ok damaged damaged damaged damaged" \
    "$(jq -r .state dst | xargs)"
eq "cached" "c/2024-01-15-0.json.gz c/2024-01-15-1.json.gz c/2024-01-15-2.json.gz null null null null" \
    "$(jq -r .cached dst | xargs)"
eq "records of the damaged" "0 0 0 0" \
    "$(jq -r 'select(.state == "damaged") | .records' dst | xargs)"
grep -q '2024-01-15-3\.json\.gz\.unproven-.*: an unproven download, damaged: none of its [0-9]* records written' err ||
    fail "message: $(cat err)"
grep -q 'last line is cut off' err || fail "hour 4: $(cat err)"

# The same damaged bytes, read as ordinary files, do give records: the
# holding back is what kept them out.
python3 -c '
d = bytearray(open("m/2024-01-15-3.json.gz", "rb").read())
d[len(d) // 2] ^= 0xff
open("flipped.json.gz", "wb").write(d)'
n=$(gha-decode -q flipped.json.gz m/2024-01-15-4.json.gz m/2024-01-15-5.json.gz |
    wc -l)
[ "$n" -gt 0 ] || fail "the damaged files decode to no record at all"

# A second run: the cached hours are not asked for again, the damaged
# ones are (and are damaged again).
n=$(reqs GET)
gha-fetch --defer-check 2024-01-15-0..2024-01-15-6 >list2 || fail "rerun"
eq "rerun's cached hours" "c/2024-01-15-0.json.gz
c/2024-01-15-1.json.gz
c/2024-01-15-2.json.gz" "$(head -n 3 list2)"
eq "rerun's requests" $((n + 4)) "$(reqs GET)"
gha-decode -q <list2 >/dev/null 2>&1
eq "unproven files left after the rerun" "" "$(ls -A c | grep unproven)"

# One thread (-j 1, lines decoded in the reading thread): the same records
# and cache, from a fresh one.
rm -rf c
gha-fetch --defer-check 2024-01-15-0..2024-01-15-2 | gha-decode -q -j 1 >recs1 ||
    fail "-j 1: exit $?"
eq "-j 1 records" "$(jq -r .src recs | sort | uniq -c)" \
    "$(jq -r .src recs1 | sort | uniq -c)"
eq "-j 1 cache" "2024-01-15-0.json.gz 2024-01-15-1.json.gz 2024-01-15-2.json.gz" \
    "$(ls -A c | grep -v etag | xargs)"

# No room to hold records back ($TMPDIR missing): a clear error, exit 4,
# and the download neither cached nor removed.
rm -rf c
gha-fetch --defer-check 2024-01-15-0 >list3 || fail "fetch for TMPDIR"
TMPDIR=$PWD/none gha-decode -q <list3 >/dev/null 2>err
eq "TMPDIR missing" 4 $?
grep -q "$PWD/none/gha-decode" err || fail "message: $(cat err)"
eq "cache without TMPDIR" "" "$(ls c)"
[ -f "$(cat list3)" ] || fail "the unproven file is gone"
