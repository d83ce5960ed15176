#!/usr/bin/env bats
# One show for every kind (core/show.c): the same related sections in the text view, json and
# yaml; link fields as arrays; a ticket's history the same as crm history's.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
}

# Acme with something in every section: a location with a contact, a contact at no location,
# a subsidiary, a project, a contract, an activity with two contacts, a document, an open ticket.
full_account() {
	crm location add HQ --account Acme --city Berlin >/dev/null
	crm contact add Ann Smith --location HQ --email ann@acme.example >/dev/null
	crm account add "Acme France" --parent Acme --country FR >/dev/null
	crm project add Apollo --account Acme --contact "Ann Smith" --team ann --team bob >/dev/null
	crm contract add MSA --account Acme --project Apollo --value 1000 >/dev/null
	crm activity log Kick-off --type meeting --account Acme --contact "Ann Smith" \
		--contact carl@acme.example --project Apollo >/dev/null
	echo plan > "$BATS_TEST_TMPDIR/plan.txt"
	crm doc attach account Acme "$BATS_TEST_TMPDIR/plan.txt" >/dev/null
	crm ticket open "Printer on fire" --account Acme >/dev/null
}

@test "account show -F json has every section as an array of objects" {
	full_account
	run --separate-stderr crm account show Acme -F json
	expect_status 0
	[ -z "$stderr" ]
	local json=$output
	for key in locations contacts subsidiaries projects contracts activities documents tickets; do
		[ "$(jq -r ".$key | type" <<<"$json")" = array ]
		[ "$(jq -r ".$key | length" <<<"$json")" -ge 1 ]
		[ "$(jq -r ".$key | map(type) | unique | join(\",\")" <<<"$json")" = object ]
	done
	[ "$(jq -c '.locations | map([.name, (.contacts | map(.email))])' <<<"$json")" = '[["HQ",["ann@acme.example"]]]' ]
	[ "$(jq -c '.contacts | map(.last_name)' <<<"$json")" = '["Customer"]' ]
	[ "$(jq -c '.subsidiaries | map(.name)' <<<"$json")" = '["Acme France"]' ]
	[ "$(jq -c '.projects | map(.name)' <<<"$json")" = '["Apollo"]' ]
	[ "$(jq -c '.contracts | map([.title, .value])' <<<"$json")" = '[["MSA",1000]]' ]
	[ "$(jq -c '.documents | map(.name)' <<<"$json")" = '["plan.txt"]' ]
	[ "$(jq -c '.tickets | map([.id, .title, .status])' <<<"$json")" = '[[1,"Printer on fire","new"]]' ]
	# A link field is an array of the linked records' labels, not a joined string.
	[ "$(jq -c '.activities[0].contacts' <<<"$json")" = '["Ann Smith","Carl Customer"]' ]
}

@test "account show -F yaml carries the same sections and link arrays" {
	full_account
	crm account show Acme -F json > "$BATS_TEST_TMPDIR/a.json"
	run --separate-stderr crm account show Acme -F yaml
	expect_status 0
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/a.yaml"
	run py -c 'import json, sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
keys = ["locations", "contacts", "subsidiaries", "projects", "contracts", "activities", "documents", "tickets"]
assert all(isinstance(y[k], list) and y[k] and all(isinstance(r, dict) for r in y[k]) for k in keys), y
assert y["activities"][0]["contacts"] == ["Ann Smith", "Carl Customer"], y["activities"]
assert y == j, (y, j)
print("same")' "$BATS_TEST_TMPDIR/a.yaml" "$BATS_TEST_TMPDIR/a.json"
	[ "$status" -eq 0 ]
	[ "$output" = same ]
}

@test "the text view shows each non-empty section under its heading, links joined" {
	full_account
	run --separate-stderr crm account show Acme
	expect_status 0
	# a location's contacts are indented under it; every other section is a table with a header
	[[ "$output" == *$'\nLocations\n  '*$'\nContacts without a location\nid  '*$'\nSubsidiaries\nid  '*$'\nProjects\nid  '*$'\nContracts\nid  '*$'\nRecent activities\nid  '*$'\nDocuments\nid  '*$'\nOpen tickets\nid  '* ]]
	[[ "$output" == *"Kick-off "*" Ann Smith, Carl Customer"* ]]
	# the columns line up: each value starts under its column's name
	local header row
	header=$(printf '%s\n' "$output" | sed -n '/^Projects$/{n;p}')
	row=$(printf '%s\n' "$output" | sed -n '/^Projects$/{n;n;p}')
	[[ "$header" == "id  name    status"* ]]
	[[ "$row" == "1   Apollo  "* ]]
	[ "$(awk -v h="$header" -v r="$row" 'BEGIN { print index(h, "status") == index(r, "lead") }')" = 1 ]
	run crm account show Globex
	expect_status 0
	[[ "$output" != *Locations* ]]
	[[ "$output" != *"Open tickets"* ]]
}

@test "link fields of the record itself are arrays in json and yaml, joined in text and csv" {
	full_account
	[ "$(crm project show Apollo -F json | jq -c '[.team, .contacts]')" = '[["ann","bob"],["Ann Smith"]]' ]
	[ "$(crm contract show MSA -F json | jq -c '[.resources, .contacts]')" = '[[],[]]' ]
	run py -c 'import sys, yaml; d = yaml.safe_load(sys.stdin); print(d["team"], d["contacts"])' \
		<<<"$(crm project show Apollo -F yaml)"
	[ "$output" = "['ann', 'bob'] ['Ann Smith']" ]
	run crm project show Apollo
	[[ "$output" == *"team                ann, bob"* ]]
	run crm project show Apollo -F csv
	[[ "${lines[1]}" == *'"ann, bob"'* ]]
}

@test "contact, project and contract show carry their sections in json" {
	full_account
	run crm contact show "Ann Smith" -F json
	expect_status 0
	[ "$(jq -c '[.projects[0].name, .activities[0].summary, (.contracts | type)]' <<<"$output")" = '["Apollo","Kick-off","array"]' ]
	run crm project show Apollo -F json
	[ "$(jq -c '[.contracts[0].title, .activities[0].summary, (.cost_entries | type), (.documents | type)]' <<<"$output")" = '["MSA","Kick-off","array","array"]' ]
	run crm contract show MSA -F ndjson
	expect_status 0
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -c '[(.lines | type), (.activities | type), (.documents | type)]' <<<"$output")" = '["array","array","array"]' ]
}

@test "ticket show lists the same history as crm history and ticket history, after imports" {
	printf 'title,account,priority,status\nJammed,Acme,normal,new\n' > "$BATS_TEST_TMPDIR/t.csv"
	run crm ticket import "$BATS_TEST_TMPDIR/t.csv" --mode create
	expect_status 0
	printf 'id,priority\n1,high\n' > "$BATS_TEST_TMPDIR/u.csv"
	CRM_NOW=2026-03-03T09:00:00Z run crm ticket import "$BATS_TEST_TMPDIR/u.csv" --mode update --key id
	expect_status 0
	local shown history generic
	shown=$(crm ticket show 1 -F json | jq -c .history)
	history=$(crm ticket history 1 -F json | jq -c .)
	generic=$(crm history ticket 1 -F json | jq -c .)
	[ "$shown" = "$generic" ]
	[ "$history" = "$generic" ]
	# The import's add is there, and the update.
	[ "$(jq -c 'map(select(.action == "add" and .field == "title")) | map(.new)' <<<"$shown")" = '["Jammed"]' ]
	[ "$(jq -c 'map(select(.action == "edit")) | map([.field, .old, .new])' <<<"$shown")" = '[["priority","normal","high"]]' ]
	# The text view's History section has those rows too.
	run crm ticket show 1
	expect_status 0
	[[ "$output" == *$'\nHistory\n'*"add     title"*"Jammed"*"edit    priority  normal"*"high"* ]]
}

@test "ticket show -F yaml has its sections as lists" {
	crm ticket open "Printer on fire" --account Acme --assign ann >/dev/null
	crm --as ann ticket comment 1 "Looking at it" >/dev/null
	run --separate-stderr crm --as ann ticket show 1 -F yaml
	expect_status 0
	run py -c 'import sys, yaml
d = yaml.safe_load(sys.stdin)
print(d["title"], [c["text"] for c in d["comments"]], [t["name"] for t in d["transitions"]],
      type(d["history"]).__name__, d["attachments"], d["watchers"])' <<<"$output"
	[ "$status" -eq 0 ]
	[ "$output" = "Printer on fire ['Looking at it'] ['start', 'wait', 'resolve'] list [] []" ]
}

@test "show as csv or tsv is the record's own row; -o FILE.json gets the sections" {
	full_account
	run crm account show Acme -F tsv
	expect_status 0
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == id$'\t'name$'\t'* ]]
	run crm account show Acme -o "$BATS_TEST_TMPDIR/acme.json"
	expect_status 0
	[ -z "$output" ]
	[ "$(jq -c '.subsidiaries | map(.name)' "$BATS_TEST_TMPDIR/acme.json")" = '["Acme France"]' ]
}

@test "text views never pass terminal escapes: show, tree, doc show, an e-mail's subject" {
	evil="$(printf 'Evil\033]0;pwned\007\033[2J')"
	a=$(crm account add "$evil")
	run -0 crm account show "$a"
	[[ "$output" == *"Evil ]0;pwned  [2J"* ]]
	[[ "$output" != *$'\033'* ]]
	run -0 crm account tree "$a"
	[ "$output" = "Evil ]0;pwned  [2J ($a)" ]
	d=$(crm doc attach account "$a" --name "$evil.txt" < /dev/null)
	run -0 crm doc show "$d"
	[[ "$output" == *"Evil_]0;pwned__[2J.txt"* ]]
	[[ "$output" != *$'\033'* ]]
	printf 'From: x@evil.test\r\nTo: a@b.test\r\nSubject: %s\r\nMessage-ID: <e@evil.test>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n\r\nhi\r\n' "$evil" > "$BATS_TEST_TMPDIR/m.eml"
	run -0 --separate-stderr crm activity import-mail < "$BATS_TEST_TMPDIR/m.eml"
	run -0 crm activity show "$output"
	[[ "$output" == *"Evil ]0;pwned  [2J"* ]]
	[[ "$output" != *$'\033'* ]]
}


@test "on a terminal tsv and csv are cleaned too (list, history, report); piped or to a file they stay data" {
	evil="$(printf 'Evil\033]0;pwned\007\033[2J')"
	a=$(crm account add "$evil")
	crm account edit "$a" --country "$evil"
	crm ticket open "$evil" --account "$a" >/dev/null
	for args in "account list -F tsv" "account list -F csv" "history account $a -F tsv" "history account $a -F csv" \
		    "ticket show 1 -F tsv" "account show $a -F csv" "ticket list -F tsv" "report tickets -F tsv"; do
		# shellcheck disable=SC2086
		run crm_on_tty $args
		expect_status 0
		[[ "$output" != *$'\033'* ]]
		[[ "$output" != *$'\a'* ]]
	done
	run crm_on_tty account list -F tsv
	[[ "$output" == *"Evil ]0;pwned  [2J"* ]]
	# not a terminal: the data as it is
	run -0 crm account list -F tsv --fields name --no-headers
	[ "${lines[1]}" = "$evil" ]
	run -0 crm account list -o "$BATS_TEST_TMPDIR/a.tsv" --fields name --no-headers --raw
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/a.tsv")" = "$evil" ]
}

# A lone byte 0x9b is an 8-bit CSI, U+009B its UTF-8 form, 0x7f DEL: terminals may act on any.
c1_bytes() {
	printf '%s' "$1" | LC_ALL=C grep -c $'[\x1b\x7f\x9b]' || true
}

@test "no C1 control nor 8-bit CSI reaches the terminal: calendar grid, error messages, json, completion" {
	evil="$(printf 'Ev\033[2J\xc2\x9b2Jil\x7f!')"
	shown="$(printf 'Ev [2J 2Jil !')"
	crm event add "$evil" --assignee ann --start 2026-03-03 >/dev/null
	# crm stores no byte that is not UTF-8; another program writing the SQLite file might
	run crm event add "$(printf 'Lone\x9b2J')" --assignee ann --start 2026-03-04
	expect_status 6
	if [ "${CRM_TEST_BACKEND:-sqlite}" = sqlite ]; then # PostgreSQL stores no such byte either
		id=$(crm event add Lone --assignee ann --start 2026-03-04)
		db_sql "UPDATE tasks SET title = CAST(X'4c6f6e659b324a' AS TEXT) WHERE id = $id"
	fi
	# the calendar's grid cleans its cells as every text view does
	COLUMNS=120 run -0 crm calendar --week 2026-03-03 --user ann
	[ "$(c1_bytes "$output")" = 0 ]
	[[ "$output" == *"|$shown"* ]]
	if [ "${CRM_TEST_BACKEND:-sqlite}" = sqlite ]; then
		[[ "$output" == *"|$(printf 'Lone\xef\xbf\xbd2J')"* ]]
	fi
	# a message quoting the text shows what it held, escaped, a byte that is not UTF-8 too
	run -2 --separate-stderr crm account list "--$(printf 'No\x9b2J\xc2\x9bsuch\x7f')"
	[ "$stderr" = "crm: unknown option '--No\\x9b2J\\u009bsuch\\x7f' for account list" ]
	[ "$(c1_bytes "$stderr")" = 0 ]
	# json escapes C1 and DEL too: the same string to a parser
	a=$(crm account add "$evil")
	run -0 crm account list "id:$a" --fields name -F json
	[ "$output" = '[
{"name":"Ev\u001b[2J\u009b2Jil\u007f!"}
]' ]
	[ "$(crm account list "id:$a" --fields name -F json | jq -r '.[0].name')" = "$evil" ]
	# completion: descriptions are cleaned, a key holding control characters is no candidate
	crm account add Evening >/dev/null
	run -0 crm __complete account show "$a"
	[ "$output" = "$a	$shown" ]
	run -0 crm __complete account show E
	[ "$output" = Evening ]
}
