#!/usr/bin/env bats
# Issue 13.4: likely duplicates by configurable rules, merging one record into another (every
# row that points at it moves), and undoing a merge exactly. On both backends.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	crm account add Acme --phone "+49 30 1234 5678" --website https://www.acme.test/ >/dev/null
	crm account add "Zürich Ölwerke AG" --phone "+49 (30) 1234-5678" >/dev/null
	crm account add "Zurich Olwerke AG" --website acme.test >/dev/null
	crm contact add Ann Lee --email Ann@X.test --account Acme --phone "+40 721 123 456" >/dev/null
	crm contact add ann lee --email ann+work@x.test --account Acme --title CTO --mobile "40721123456" >/dev/null
	crm contact add Ann Lee --email ann@other.test >/dev/null
	crm contact add Bob Ray --email bob@x.test --phone 123 >/dev/null
}

# Everything a contact's merge can touch, as crm prints it: compared before and after an undo.
state() {
	crm contact export -F json
	crm activity list --fields id,summary,contacts
	crm ticket list --all --fields id,title,contact
	crm doc list --fields id,name,noun,record
	crm attr list contact 1; crm attr list contact 2
	crm list members VIP --fields id,email
	crm search mature
}

@test "contact duplicates: the same e-mail (case, +tag), name at the same account, phone digits; groups numbered" {
	run -0 --separate-stderr crm contact duplicates
	[ "$output" = "group	rule	id	name	matched
1	email	1	Ann Lee	ann@x.test
1	email	2	ann lee	ann@x.test
2	name	1	Ann Lee	ann lee
2	name	2	ann lee	ann lee
3	phone	1	Ann Lee	40721123456
3	phone	2	ann lee	40721123456" ]
	[ "$stderr" = "3 groups of likely duplicates; crm contact merge KEEP OTHER merges two" ]
	# one rule, and a rule of fields (Ann Lee at no account is the same last name, but not account)
	run -0 --separate-stderr crm contact duplicates --rule last_name --no-headers -F csv
	[ "$output" = "1,last_name,1,Ann Lee,lee
1,last_name,2,ann lee,lee
1,last_name,3,Ann Lee,lee" ]
	run -0 --separate-stderr crm contact duplicates --rule first_name+last_name+account -F json
	[ "$(jq -c 'map([.group, .id, .matched])' <<<"$output")" = '[[1,1,"ann + lee + 1"],[1,2,"ann + lee + 1"]]' ]
	# a rule's name in any case, a rule named twice run once
	run -0 --separate-stderr crm contact duplicates --rule Phone --rule phone --no-headers -F csv
	[ "$output" = "1,Phone,1,Ann Lee,40721123456
1,Phone,2,ann lee,40721123456" ]
}

@test "account duplicates: the name without case or accents, phone digits, the web site without scheme and www" {
	run -0 --separate-stderr crm account duplicates --no-headers
	[ "$output" = "1	name	2	Zürich Ölwerke AG	zurich olwerke ag
1	name	3	Zurich Olwerke AG	zurich olwerke ag
2	phone	1	Acme	493012345678
2	phone	2	Zürich Ölwerke AG	493012345678
3	website	1	Acme	acme.test
3	website	3	Zurich Olwerke AG	acme.test" ]
}

@test "duplicates: no duplicates is an empty list; unknown rules and fields are refused (6, 78 from the configuration)" {
	printf 'duplicates:\n  contact: [email, emial]\n' >"$BATS_TEST_TMPDIR/c.yaml"
	run -78 crm --config "$BATS_TEST_TMPDIR/c.yaml" contact duplicates
	[ "$output" = "crm: $BATS_TEST_TMPDIR/c.yaml:2: duplicates.contact: no duplicate rule 'emial' for contacts (did you mean 'email'?); rules: email, name, phone, or fields joined by '+' (last_name+phone)" ]
	printf 'duplicates:\n  contact: [last_name]\n' >"$BATS_TEST_TMPDIR/c.yaml"
	run -0 --separate-stderr crm --config "$BATS_TEST_TMPDIR/c.yaml" contact duplicates --no-headers -F csv
	[ "$output" = "1,last_name,1,Ann Lee,lee
1,last_name,2,ann lee,lee
1,last_name,3,Ann Lee,lee" ]
	crm contact rm 2 3 --yes >/dev/null
	run -0 --separate-stderr crm contact duplicates
	[ "$output" = "group	rule	id	name	matched" ]
	[ "$stderr" = "0 groups of likely duplicates" ]
	run -6 crm contact duplicates --rule phon
	[ "$output" = "crm: no duplicate rule 'phon' for contacts (did you mean 'phone'?); rules: email, name, phone, or fields joined by '+' (last_name+phone)" ]
	run -6 crm contact duplicates --rule last_name+shoe
	[ "$output" = "crm: duplicate rule 'last_name+shoe': contacts have no field 'shoe' of their own (did you mean 'phone'?)" ]
	run -6 crm contact duplicates --rule last_name+phnoe
	[ "$output" = "crm: duplicate rule 'last_name+phnoe': contacts have no field 'phnoe' of their own (did you mean 'phone'?)" ]
	run -6 crm contact duplicates --rule last_name+
	[ "$output" = "crm: duplicate rule 'last_name+': a field is missing around a '+' (last_name+phone)" ]
	run -6 crm account duplicates --rule colour
	[ "$output" = "crm: no duplicate rule 'colour' for accounts; rules: name, phone, website, or fields joined by '+' (name+country)" ]
	printf 'duplicates:\n  contact: []\n' >"$BATS_TEST_TMPDIR/c.yaml"
	run -78 crm --config "$BATS_TEST_TMPDIR/c.yaml" contact duplicates
	[ "$output" = "crm: $BATS_TEST_TMPDIR/c.yaml:2: duplicates.contact names no rule (email, name, phone, or fields joined by '+')" ]
	printf 'duplicates:\n  contact: email\n' >"$BATS_TEST_TMPDIR/c.yaml"
	run -0 --separate-stderr crm --config "$BATS_TEST_TMPDIR/c.yaml" contact duplicates --no-headers
	[ -z "$output" ]
}

@test "contact merge: activities, tickets, documents, attributes and lists move; empty fields filled; the other is gone" {
	crm activity log "call with ann" --contact ann+work@x.test --type call >/dev/null
	crm ticket open Printer --account Acme --contact 2 >/dev/null
	echo hello | crm doc attach contact 2 - --name notes.txt >/dev/null
	crm attr set contact 2 stage=mature region=EU -q
	crm attr set contact 1 stage=new -q
	crm list add VIP >/dev/null
	crm list add-member VIP 1 2 -q
	run -0 --separate-stderr crm contact merge 1 2
	[ "$output" = 1 ]
	[ "$stderr" = "merged contact 2 'ann lee' into 1 (merge 1): 2 fields filled, 4 rows moved, 2 left out (the kept one had them); crm merge undo 1 puts both back" ]
	run -3 crm contact show 2
	run -0 crm contact show 1 -F json
	[ "$(jq -c '[.title, .mobile, .email]' <<<"$output")" = '["CTO","40721123456","Ann@X.test"]' ]
	[ "$(crm activity list --fields contacts --no-headers)" = "Ann Lee" ]
	[ "$(crm ticket list --all --fields contact --no-headers)" = "Ann Lee" ]
	[ "$(crm doc list contact 1 --fields name --no-headers)" = notes.txt ]
	# the kept one's own value wins; what it did not have comes over
	[ "$(crm attr list contact 1 --no-headers | cut -f4,5 | tr '\t' '=' | sort | tr '\n' ' ')" = "region=EU stage=new " ]
	[ "$(crm list members VIP --fields id --no-headers)" = 1 ]
	run -0 crm search mature
	[ "$output" = "kind	id	label	snippet" ]
	run -0 crm contact history 1 -F csv
	[[ "$output" == *",tester,edit,merged,,2 (merge 1),"* ]]
	# the records moved say so in their own history
	run -0 crm ticket history 1 -F csv
	[[ "$output" == *",tester,edit,contact,2 (removed),1 (Ann Lee),"* ]]
	# nothing points at the number that went
	run -0 crm contact list id:2 --no-headers
	[ -z "$output" ]
}

@test "merge undo puts both records and every moved row back exactly; twice or after a change is refused (4) unless --force" {
	crm activity log "call with ann" --contact ann+work@x.test --type call >/dev/null
	crm ticket open Printer --account Acme --contact 2 >/dev/null
	echo hello | crm doc attach contact 2 - --name notes.txt >/dev/null
	crm attr set contact 2 stage=mature -q
	crm attr set contact 1 stage=new -q
	crm list add VIP >/dev/null
	crm list add-member VIP 1 2 -q
	before=$(state)
	crm contact merge 1 2 2>/dev/null
	[ "$(state)" != "$before" ]
	run -0 --separate-stderr crm merge undo 1
	[ "$stderr" = "undid merge 1: contact 2 is back, contact 1 as it was before" ]
	[ "$(state)" = "$before" ]
	run -4 crm merge undo 1
	[[ "$output" == "crm: merge 1 was undone already ("*" by tester)" ]]
	# merged again, then the kept one changed: undo would lose the change, so it asks
	crm contact merge 1 2 2>/dev/null
	crm contact edit 1 --title Boss -q
	run -4 crm merge undo 2
	[ "$output" = "crm: contact 1 was changed after merge 2 (crm contact history 1); --force undoes the merge anyway and gives it back its values from before the merge" ]
	[ "$(crm contact show 1 -F json | jq -r .title)" = Boss ]
	run -0 crm merge undo 2 --force
	[ "$(state)" = "$before" ]
	run -0 crm contact history 2 -F csv
	[[ "$output" == *",tester,edit,merged_into,,1 (merge 2),"*",tester,add,merged_into,1 (merge 2),,"* ]]
	# what an undo put back on the kept one is in its history
	run -0 crm contact history 1 -F csv
	[[ "$output" == *",tester,edit,title,Boss,,"* ]]
}

@test "account merge moves contacts, subsidiaries and tickets; a parent and its subsidiary are refused (4)" {
	crm account add Sub --parent "Zurich Olwerke AG" >/dev/null
	crm contact add Cy Doe --account "Zurich Olwerke AG" >/dev/null
	crm ticket open Leak --account 3 >/dev/null
	run -0 crm account merge 2 3
	[ "$(crm account show Sub -F json | jq -r .parent)" = "Zürich Ölwerke AG" ]
	[ "$(crm contact list --fields account --no-headers last_name:Doe)" = "Zürich Ölwerke AG" ]
	[ "$(crm ticket list --all --fields account --no-headers)" = "Zürich Ölwerke AG" ]
	# website came over from the account merged in
	[ "$(crm account show 2 -F json | jq -r .website)" = acme.test ]
	# a subsidiary merged into its group's head is fine; the head into one under it is not
	run -4 crm account merge Sub 2
	[ "$output" = "crm: account 'Sub' is under 'Zürich Ölwerke AG' (its parent, at some depth): merge the one under into the one above, or change the parent first" ]
	run -0 crm merge undo 1
	[ "$(crm account show Sub -F json | jq -r .parent)" = "Zurich Olwerke AG" ]
	[ "$(crm ticket list --all --fields account --no-headers)" = "Zurich Olwerke AG" ]
}

@test "merge: itself (6), a record not there (3), wrong arguments (2), a role without rm (5); nothing written" {
	run -6 crm contact merge 1 1
	[ "$output" = "crm: cannot merge contact 1 into itself" ]
	run -3 crm contact merge 1 nobody@x.test
	run -2 crm contact merge 1
	run -0 crm merge undo
	[ "$output" = "merge	kind	keep	other	at	user	undone" ]
	run -2 crm merge undo one
	run -3 crm merge undo 9
	[ "$output" = "crm: merge 9 not found" ]
	use_system_config </dev/null
	crm user add bob --roles agent >/dev/null
	# agents edit accounts but do not remove them: merging one into another is a removal
	run -5 crm --as bob account merge 2 3
	[ "$output" = "crm: permission denied: user 'bob' (roles: agent) may not account.merge" ]
	run -0 crm account list --no-headers --fields id --sort id
	[ "$(echo $output)" = "1 2 3" ]
	run -0 crm --as bob contact merge 1 2
	run -0 crm --as bob merge undo 1
	run -0 crm contact list --no-headers --fields id --sort id
	[ "$(echo $output)" = "1 2 3 4" ]
}

@test "account merge: a location of the same name at both is refused (4), nothing written; keep's references stay" {
	crm location add HQ --account Acme --address "Main St 1" >/dev/null
	crm location add HQ --account "Zurich Olwerke AG" --address "Other St 5" >/dev/null
	crm contact add Dee D --location 2 >/dev/null
	run -4 crm account merge 1 3
	[ "$output" = "crm: cannot merge: both have location 'HQ' (location 2 is the other's); rename, move or merge one of them first" ]
	[ "$(crm location show 2 -F json | jq -r .address)" = "Other St 5" ]
	run -0 crm merge undo
	[ "$output" = "merge	kind	keep	other	at	user	undone" ]
	# a contact at an account keeps it: another's location (at another account) is not taken
	crm contact edit 3 --location 2 -q
	crm contact merge 1 3 2>/dev/null
	[ "$(crm contact show 1 -F json | jq -c '[.account, .location]')" = '["Acme",null]' ]
}

@test "merge undo: a record given to another since stays there; later merges first; only --force as option" {
	crm ticket open Printer --account Acme --contact 2 >/dev/null
	crm ticket open Fax --account Acme --contact 2 >/dev/null
	crm contact merge 1 2 2>/dev/null
	crm contact merge 1 3 2>/dev/null
	run -4 crm merge undo 1
	[ "$output" = "crm: merge 2 merged another contact into contact 1 since: undo merge 2 first" ]
	run -0 crm merge undo 2
	crm ticket edit 2 --contact bob@x.test -q
	run -2 crm merge undo 1 --dry-run
	[ "$output" = "crm: merge undo takes --force only, not --dry-run" ]
	run -0 crm merge undo 1
	[ "$(crm ticket list --all --fields id,contact --no-headers -F csv)" = "1,ann lee
2,Bob Ray" ]
	run -0 crm merge undo
	[ "${lines[0]}" = "merge	kind	keep	other	at	user	undone" ]
	[[ "${lines[1]}" == "2	contact	1	3	"*"	tester	"* ]]
	[[ "${lines[2]}" == "1	contact	1	2	"*"	tester	"* ]]
}

@test "merge fills the kept one's empty custom fields from the other" {
	cat >"$BATS_TEST_TMPDIR/c.yaml" <<-EOF
	custom_fields:
	  contact:
	    - {name: badge, type: text}
	EOF
	export CRM_CONFIG=$BATS_TEST_TMPDIR/c.yaml
	crm contact edit 2 --badge B7 -q
	crm contact merge 1 2 2>/dev/null
	[ "$(crm contact show 1 -F json | jq -r .badge)" = B7 ]
	crm merge undo 1 2>/dev/null
	[ "$(crm contact show 1 -F json | jq -r .badge)" = null ]
	[ "$(crm contact show 2 -F json | jq -r .badge)" = B7 ]
}
