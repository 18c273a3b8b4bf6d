# hints: an event type that no era of the archive has (-t, -T) and an -e
# test that does not parse are bad usage (exit 2) naming the nearest
# type or the column where the test went wrong, never an empty result
# with exit 0.  Every known type of every era is accepted.
. "$TESTS/lib.sh"

printf '{"id":"1","type":"PushEvent","created_at":"2015-01-01T00:00:00Z","size":3}\n' >rec

while IFS='|' read -r opt arg want; do
	gha-filter "$opt" "$arg" rec >out 2>err
	eq "$opt '$arg': exit status" 2 $?
	eq "$opt '$arg': stdout" "" "$(cat out)"
	eq "$opt '$arg': message" "gha-filter: $opt: $want" "$(head -n 1 err)"
done <<'CASES'
-t|pushevent|no era of the archive has the event type "pushevent"; did you mean PushEvent?
-t|Push|no era of the archive has the event type "Push"; did you mean PushEvent?
-t|PushEvents|no era of the archive has the event type "PushEvents"; did you mean PushEvent?
-t|PushEvent,watchevent|no era of the archive has the event type "watchevent"; did you mean WatchEvent?
-t|!Watch|no era of the archive has the event type "Watch"; did you mean WatchEvent?
-T|PullRequestReview|no era of the archive has the event type "PullRequestReview"; did you mean PullRequestReviewEvent?
-T|Xyzzy|no era of the archive has the event type "Xyzzy" (types are as PushEvent; gha-filter(1) lists them)
-e|type === PushEvent|type === PushEvent: column 8: a value does not start with '=' (one operator: == != < <= > >= ~ !~; such a value as a JSON string, or [=] in a regular expression)
-e|size <> 3|size <> 3: column 7: a value does not start with '>' (one operator: == != < <= > >= ~ !~; such a value as a JSON string, or [>] in a regular expression)
-e|type = PushEvent|type = PushEvent: column 6: want an operator after type: == != < <= > >= ~ !~
-e|size => 3|size => 3: column 6: want an operator after size: == != < <= > >= ~ !~
-e|type|type: column 5: want an operator after type: == != < <= > >= ~ !~
-e|== 3|== 3: column 1: want a field name first (FIELD OP VALUE)
-e|size >=|size >=: column 8: no value (use "" for the empty string)
CASES

# The types of every era are accepted, each selecting what it should.
for t in CommitCommentEvent CreateEvent DeleteEvent DownloadEvent \
    FollowEvent ForkApplyEvent ForkEvent GistEvent GollumEvent \
    IssueCommentEvent IssuesEvent MemberEvent PublicEvent PullRequestEvent \
    PullRequestReviewCommentEvent PullRequestReviewEvent ReleaseEvent \
    TeamAddEvent WatchEvent; do
	eq "-t $t" 0 "$(gha-filter -q -c -t "$t" rec)"
done
eq "-t PushEvent" 1 "$(gha-filter -q -c -t PushEvent rec)"
eq "-T PushEvent" 0 "$(gha-filter -q -c -T PushEvent rec)"
# A value that starts like an operator, quoted, is a value.
eq "quoted =" 0 "$(gha-filter -q -c -e 'type == "=PushEvent"' rec)"
eq "size >= 3" 1 "$(gha-filter -q -c -e 'size >= 3' rec)"
exit 0
