# tests/timeline.jq - events of the 2011-2014 timeline era made out of
# generated 2015 events (gha-gen), for cases that must see that shape
# without the real samples.  The shape, as the archive holds it: no id;
# actor a login string, with actor_attributes{gravatar_id,type,login,
# email}; repository{url,id,name,owner,language,...,organization} with
# the short name and the owner apart, the organisation a login where the
# event has one; created_at in US-Pacific time (-07:00 here: the
# UTC time minus seven hours); a PushEvent payload {head,size,shas,ref},
# each sha [sha, email, message, name, distinct]; and every 40th line an
# anonymous GistEvent, with "actor": null and no repository.
#
# usage: gha-gen -H 2012-06-14-22 2015 | jq -c -f tests/timeline.jq
def pacific: fromdateiso8601 - 25200 | strftime("%Y-%m-%dT%H:%M:%S-07:00");
if input_line_number % 40 == 39 then
	{created_at: (.created_at | pacific), public: true, actor: null,
	 payload: {name: "gist: \(.repo.id)", action: "create",
	     url: "https://gist.github.com/\(.repo.id)", id: .repo.id,
	     desc: ""},
	 url: "https://gist.github.com/\(.repo.id)", type: "GistEvent"}
else
	(.repo.name | split("/")) as [$owner, $name] |
	{repository: ({url: "https://github.com/\(.repo.name)", id: .repo.id,
	     name: $name, owner: $owner, language: "C", fork: false,
	     private: false, watchers: 1, forks: 0} +
	     (if .org then {organization: .org.login} else {} end)),
	 actor_attributes: {gravatar_id: .actor.gravatar_id, type: "User",
	     login: .actor.login, email: "\(.actor.login)@example.com"},
	 created_at: (.created_at | pacific), public: .public,
	 actor: .actor.login,
	 payload: (if .type == "PushEvent" then
	     {head: .payload.head, size: .payload.size,
	      shas: [.payload.commits[] | [.sha, .author.email, .message,
	          .author.name, .distinct]], ref: .payload.ref}
	     else .payload end),
	 url: "https://github.com/\(.repo.name)", type: .type}
end
