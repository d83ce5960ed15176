#!/usr/bin/env bats
# crm activity: log with several links at once, list from every point of view, links in
# filters and history, results that move projects and contracts on, and the contact view.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
}

# Acme (HQ, Plant) with Ann at HQ and Bob; Globex with Gil. Users: tester and the system login
# (admins, made by the first command), bob (agent), vic (viewer). Project Apollo for Acme, contract MSA for Apollo.
seed() {
	crm account add Acme >/dev/null
	crm account add Globex >/dev/null
	crm location add HQ --account Acme >/dev/null
	crm location add Plant --account Acme >/dev/null
	crm contact add "Ann Smith" --location HQ --email ann@acme.example >/dev/null
	crm contact add "Bob Jones" --account Acme --email bob@acme.example >/dev/null
	crm contact add "Gil Grey" --account Globex >/dev/null
	crm user add bob --roles agent >/dev/null
	crm user add vic --roles viewer >/dev/null
	crm project add Apollo --account Acme >/dev/null
	crm project add Zeus --account Globex >/dev/null
	crm contract add MSA --project Apollo >/dev/null
}

# A field from the json of show; link fields (arrays) joined by ", ".
act() {
	crm activity show "$1" -F json | jq -r ".$2 | if type == \"array\" then join(\", \") else . end"
}

# ---------------------------------------------------------------- log

@test "activity log prints only the new number and links contacts, users and projects at once" {
	seed
	run --separate-stderr crm activity log "Kick-off meeting" --type meeting --contact "Ann Smith" \
		--contact bob@acme.example --user bob --user tester --project Apollo --project Zeus
	expect_status 0
	[ "$output" = 1 ]
	[ -z "$stderr" ]
	[ "$(act 1 contacts)" = "Ann Smith, Bob Jones" ]
	[ "$(act 1 users)" = "bob, tester" ]
	[ "$(act 1 projects)" = "Apollo, Zeus" ]
	[ "$(act 1 type)" = meeting ]
}

@test "activity log takes comma lists of references as well as repeated options" {
	seed
	crm activity log Call --type call --contact "Ann Smith,Gil Grey" --project 1,2 >/dev/null
	[ "$(act 1 contacts)" = "Ann Smith, Gil Grey" ]
	[ "$(act 1 projects)" = "Apollo, Zeus" ]
}

@test "activity log joins the words of the summary and stamps it now unless --at says when" {
	seed
	crm activity log Called Ann about the quote --type call >/dev/null
	[ "$(act 1 summary)" = "Called Ann about the quote" ]
	[ "$(act 1 at)" = 2024-05-01T10:00:00Z ]
	crm activity log Visit --type visit --at 2024-04-20T09:30 >/dev/null
	[ "$(act 2 at)" = 2024-04-20T09:30:00Z ]
	# a day is its local midnight, a time like the others (TZ=UTC here)
	crm activity log Letter --type letter --at yesterday >/dev/null
	[ "$(act 3 at)" = 2024-04-30T00:00:00Z ]
}

@test "activity log involves the logging user unless --user names others" {
	seed
	crm activity log Note --type note >/dev/null
	[ "$(act 1 users)" = tester ]
	crm activity log Note --type note --user bob >/dev/null
	[ "$(act 2 users)" = bob ]
}

@test "activity log --body - reads the body from standard input" {
	seed
	printf 'line one\nline two\n' | crm activity log Minutes --type note --body - >/dev/null
	[ "$(act 1 body)" = "$(printf 'line one\nline two')" ]
	crm activity log Short --type note --body "just this" >/dev/null
	[ "$(act 2 body)" = "just this" ]
}

@test "activity log needs a type from the pick-list" {
	seed
	run -6 crm activity log "No type"
	[[ "$output" == *"activity needs a type"* ]]
	run -6 crm activity log Chat --type gossip
	[[ "$output" == *"invalid type 'gossip'"*"call, meeting, email, letter, note"* ]]
	run crm activity list
	[ "${#lines[@]}" -eq 1 ]
}

@test "activity log of an unknown reference is not found and writes nothing" {
	seed
	run -3 crm activity log Call --type call --contact "Nobody Here"
	[[ "$output" == *"contact 'Nobody Here' not found"* ]]
	run -3 crm activity log Call --type call --project Hermes
	run -3 crm activity log Call --type call --user nobody
	[ "$(crm activity list --no-headers | wc -l)" -eq 0 ]
}

@test "an ambiguous reference is an error listing the candidates" {
	seed
	crm contact add "Ann Smith" --account Globex >/dev/null
	run -4 crm activity log Call --type call --contact "Ann Smith"
	[[ "$output" == *"ambiguous"*"1 (Ann Smith of "*"4 (Ann Smith of Globex)"* ]]
}

# ---------------------------------------------------------------- account implied

@test "the account of an activity follows its contacts when they agree" {
	seed
	crm activity log Call --type call --contact "Ann Smith" --contact "Bob Jones" >/dev/null
	[ "$(act 1 account)" = Acme ]
	crm activity log Call --type call --contact "Ann Smith" --contact "Gil Grey" >/dev/null
	[ "$(act 2 account)" = null ]
}

@test "the account of an activity follows its contract, and must agree with it" {
	seed
	crm activity log Review --type meeting --contract MSA >/dev/null
	[ "$(act 1 account)" = Acme ]
	run -6 crm activity log Review --type meeting --contract MSA --account Globex
	[[ "$output" == *"contract 'MSA' belongs to account 'Acme', not 'Globex'"* ]]
}

@test "the location of an activity implies its account" {
	seed
	crm activity log Visit --type visit --location Plant >/dev/null
	[ "$(act 1 account)" = Acme ]
	[ "$(act 1 location)" = Plant ]
	run -6 crm activity log Visit --type visit --location Plant --account Globex
	[[ "$output" == *"does not belong to account"* ]]
}

# ---------------------------------------------------------------- list

# Five activities over April, from different points of view.
seed_list() {
	seed
	crm activity log "Call Ann" --type call --contact "Ann Smith" --at 2024-04-02 --result done >/dev/null
	crm activity log "Meet Bob" --type meeting --contact "Bob Jones" --user bob --project Apollo --at 2024-04-10 >/dev/null
	crm activity log "Plant visit" --type visit --location Plant --at 2024-04-15 --result follow_up >/dev/null
	crm activity log "Call Gil" --type call --contact "Gil Grey" --project Zeus --at 2024-04-20 --result no_answer >/dev/null
	crm activity log "Contract talk" --type meeting --contract MSA --at 2024-04-28 >/dev/null
}

ids() {
	crm activity list --no-headers --fields id "$@" | tr '\n' ' '
}

@test "activity list shows the newest first" {
	seed_list
	[ "$(ids)" = "5 4 3 2 1 " ]
}

@test "activity list --account, --location, --contact, --project, --user, --contract" {
	seed_list
	[ "$(ids --account Acme)" = "5 3 2 1 " ]
	[ "$(ids --account Globex)" = "4 " ]
	[ "$(ids --location Plant)" = "3 " ]
	[ "$(ids --contact "Ann Smith")" = "1 " ]
	[ "$(ids --contact "Gil Grey")" = "4 " ]
	[ "$(ids --project Apollo)" = "2 " ]
	[ "$(ids --user bob)" = "2 " ]
	[ "$(ids --contract MSA)" = "5 " ]
}

@test "a point of view is the filter term its option declares (struct cmd_opt term), in rec_list" {
	seed_list
	[ "$(ids --account Acme)" = "$(ids account:Acme)" ]
	[ "$(ids --contact "Ann Smith")" = "$(ids "contacts:Ann Smith")" ]
	[ "$(ids --from 2024-04-10 --to 2024-04-20)" = "$(ids -at.before:2024-04-10 -at.after:2024-04-20)" ]
	# the same option twice adds its term twice: both must hold
	[ "$(ids --account Acme --account Globex)" = "" ]
	# the terms reach the generic list's other options too
	run crm activity list --account Acme --sort id --limit 2 --fields id --no-headers
	expect_status 0
	[ "$output" = $'1\n2' ]
}

@test "activity list --user me is the current user's" {
	seed_list
	[ "$(ids --user me)" = "5 4 3 1 " ]
	[ "$(CRM_USER=bob ids --user me)" = "2 " ]
}

@test "activity list --from and --to include their own days" {
	seed_list
	[ "$(ids --from 2024-04-10)" = "5 4 3 2 " ]
	[ "$(ids --to 2024-04-10)" = "2 1 " ]
	[ "$(ids --from 2024-04-10 --to 2024-04-20)" = "4 3 2 " ]
	[ "$(ids --since 2024-04-21)" = "5 " ]
}

@test "activity list --type and --result, and filter terms beside them" {
	seed_list
	[ "$(ids --type call)" = "4 1 " ]
	[ "$(ids --result no_answer)" = "4 " ]
	[ "$(ids --type call result:done)" = "1 " ]
	[ "$(ids --type meeting at.after:2024-04-20)" = "5 " ]
	run -2 crm activity list --colur red
	[[ "$output" == *"unknown option '--colur'"* ]]
}

@test "links filter like references: by number, key, label or one word of it" {
	seed_list
	[ "$(ids contact:Ann)" = "1 " ]
	[ "$(ids contact:Smith)" = "1 " ]
	[ "$(ids contacts:ann@acme.example)" = "1 " ]
	[ "$(ids contact:2)" = "2 " ]
	[ "$(ids contact:G*)" = "4 " ]
	[ "$(ids contact.has:jon)" = "2 " ]
	[ "$(ids -contact:Ann --account Acme)" = "5 3 2 " ]
	[ "$(ids contact:)" = "5 3 " ]
	[ "$(ids project:Zeus)" = "4 " ]
	run -2 crm activity list contact.before:today
	[[ "$output" == *"links records"* ]]
}

@test "activity list prints the linked records' labels" {
	seed
	crm activity log Call --type call --contact "Ann Smith" --contact "Bob Jones" >/dev/null
	run crm activity list --fields id,contacts,users,projects
	expect_status 0
	[ "${lines[1]}" = "$(printf '1\tAnn Smith, Bob Jones\ttester\t')" ]
	run crm activity list --sort contacts -F json
	# Link fields are arrays in json, not joined strings.
	[ "$(echo "$output" | jq -c '.[0].contacts')" = '["Ann Smith","Bob Jones"]' ]
}

@test "activity list --fields help names the link fields" {
	crm init -q # reads need a database: they never create one
	run crm activity list --fields help
	expect_status 0
	[[ "$output" == *"contacts"*"links"* ]]
	[[ "$output" == *"projects"* ]]
}

# ---------------------------------------------------------------- edit, rm, history

@test "activity edit: a plain reference replaces the links, +ref adds, -ref removes" {
	seed
	crm activity log Call --type call --contact "Ann Smith" >/dev/null
	crm activity edit 1 --contact +bob@acme.example
	[ "$(act 1 contacts)" = "Ann Smith, Bob Jones" ]
	crm activity edit 1 --contact "-Ann Smith"
	[ "$(act 1 contacts)" = "Bob Jones" ]
	crm activity edit 1 --contact "Gil Grey" --contact "Ann Smith"
	[ "$(act 1 contacts)" = "Ann Smith, Gil Grey" ]
	crm activity edit 1 --contacts ""
	[ "$(crm activity show 1 -F json | jq -c .contacts)" = '[]' ]
}

@test "activity history records link changes with the linked records' names" {
	seed
	crm activity log Call --type call --contact "Ann Smith" --user bob >/dev/null
	crm activity edit 1 --contact +2
	run crm activity history 1
	expect_status 0
	[[ "$output" == *"add	contacts		1 (Ann Smith)"* ]]
	[[ "$output" == *"edit	contacts	1 (Ann Smith)	1 (Ann Smith), 2 (Bob Jones)"* ]]
	# bob's number: after tester and the system login, the admins the first write made
	[[ "$output" == *"add	users		$(crm user show bob -F json | jq -r .id) (bob)"* ]]
}

@test "an edit that changes only links is a change, stamped and in history" {
	seed
	crm activity log Call --type call >/dev/null
	CRM_NOW=2024-05-02T08:00:00Z crm activity edit 1 --project Apollo
	[ "$(act 1 updated)" = 2024-05-02T08:00:00Z ]
	[ "$(crm history activity 1 | grep -c projects)" -eq 1 ]
	crm activity edit 1 --project Apollo
	[ "$(crm history activity 1 | grep -c projects)" -eq 1 ]
}

@test "a record that activities link cannot be removed; the activity can, with its links" {
	seed
	crm activity log Call --type call --contact "Gil Grey" --project Zeus >/dev/null
	run -4 crm contact rm "Gil Grey"
	[[ "$output" == *"still referred to by 1 activity"* ]]
	run -4 crm project rm Zeus
	crm activity rm 1
	crm contact rm "Gil Grey"
	crm project rm Zeus
	run crm activity history 1
	[[ "$output" == *"rm	contacts	3 (removed)"* ]]
}

@test "activity add, show and history work like every kind's" {
	seed
	run crm activity add "Generic" --type note --contact "Ann Smith"
	expect_status 0
	[ "$output" = 1 ]
	run crm activity show 1
	expect_status 0
	[[ "$output" == *"contacts"*"Ann Smith"* ]]
	run crm history activity 1
	[[ "$output" == *"summary"*"Generic"* ]]
	run -3 crm activity show 99
}

@test "agents may log activities; viewers may not" {
	seed
	run crm --as bob activity log Call --type call
	expect_status 0
	run -5 crm --as vic activity log Call --type call
	[[ "$output" == *"may not activity.log"* ]]
}

# ---------------------------------------------------------------- results

@test "results come from the configured pick-list" {
	seed
	run -6 crm activity log Call --type call --result fantastic
	[[ "$output" == *"invalid result 'fantastic'"*"won"*"signed"* ]]
	crm activity log Call --type call --result No_Answer >/dev/null
	[ "$(act 1 result)" = no_answer ]
}

@test "result won moves the activity's projects to won, in their history" {
	seed
	[ "$(crm project show Apollo -F json | jq -r .status)" = lead ]
	crm activity log "Deal closed" --type meeting --project Apollo --project Zeus --result won >/dev/null
	[ "$(crm project show Apollo -F json | jq -r .status)" = won ]
	[ "$(crm project show Zeus -F json | jq -r .status)" = won ]
	run crm project history Apollo
	[[ "$output" == *"tester	edit	status	lead	won"* ]]
}

@test "result signed signs the activity's contract through its workflow" {
	seed
	run -4 crm activity log Signing --type meeting --contract MSA --result signed
	[[ "$output" == *"cannot go from 'draft' to 'signed'"* ]]
	[ "$(crm activity list --no-headers | wc -l)" -eq 0 ]
	crm contract edit MSA --status review
	crm activity log Signing --type meeting --contract MSA --result signed >/dev/null
	[ "$(crm contract show MSA -F json | jq -r .status)" = signed ]
}

@test "a result that would sign needs contract.sign: nothing is written without it" {
	seed
	crm contract edit MSA --status review
	run -5 crm --as bob activity log Signing --type meeting --contract MSA --result signed
	[[ "$output" == *"needs contract.sign"* ]]
	[ "$(crm contract show MSA -F json | jq -r .status)" = review ]
	[ "$(crm activity list --no-headers | wc -l)" -eq 0 ]
}

@test "editing an activity's result later moves its records on too" {
	seed
	crm activity log Call --type call --project Apollo >/dev/null
	crm activity edit 1 --result lost
	[ "$(crm project show Apollo -F json | jq -r .status)" = lost ]
}

@test "result rules are configuration: any kind, field and value" {
	seed
	cat > "$BATS_TEST_TMPDIR/c.yaml" <<-'EOF'
	picklists:
	  activity_result:
	    hot: {account: {relationship_stage: growing}, project: {status: negotiation}}
	    cold: {}
	EOF
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	crm activity log Call --type call --contact "Ann Smith" --project Apollo --result hot >/dev/null
	[ "$(crm account show Acme -F json | jq -r .relationship_stage)" = growing ]
	[ "$(crm project show Apollo -F json | jq -r .status)" = negotiation ]
	# Maps merge key by key: the built-in results stay beside the new ones.
	crm activity log Call --type call --result cold >/dev/null
	crm activity log Call --type call --result done >/dev/null
}

@test "a result changes only what its user could edit: <kind>.edit for each record, never users" {
	seed
	crm user role add logger "activity.*" -q
	crm user add lou --roles logger >/dev/null
	cat > "$BATS_TEST_TMPDIR/c.yaml" <<-'EOF'
	picklists:
	  activity_result:
	    demote: {user: {roles: viewer}}
	    rename: {user: {login: nobody2}}
	    priced: {contract: {value: 1}}
	EOF
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	before=$(crm user list --no-headers --fields login,roles; crm contract list --no-headers --fields id,value; crm project list --no-headers --fields name,status)
	# no rule changes users, whoever logs it (even an admin: 'crm user edit' does)
	run --separate-stderr crm --as bob activity log Call --type call --users tester --result demote
	expect_status 78
	[[ "$stderr" == *"c.yaml:3: picklists.activity_result.demote: a pick-list rule may not change users; 'crm user edit' does" ]]
	run -78 crm --as bob activity log Call --type call --users tester --result rename
	run -78 crm activity log Call --type call --users bob --result demote
	# lou may log activities but edit no contract or project
	run --separate-stderr crm --as lou activity log Call --type call --contract MSA --result priced
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'lou' (roles: logger) may not contract.edit" ]
	run --separate-stderr crm --as lou activity log Call --type call --project Apollo --result won
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'lou' (roles: logger) may not project.edit" ]
	[ "$(crm user list --no-headers --fields login,roles; crm contract list --no-headers --fields id,value; crm project list --no-headers --fields name,status)" = "$before" ]
	[ "$(crm activity list --no-headers | wc -l)" -eq 0 ]
	# a result that names no such record needs no such right
	run crm --as lou activity log Call --type call --result won
	expect_status 0
	# bob (agent) edits contracts and projects: the same results go through
	run crm --as bob activity log Call --type call --contract MSA --result priced
	expect_status 0
	[ "$(crm contract show MSA -F json | jq -r .value)" = 1 ]
}

@test "a result rule naming an unknown kind or field is a configuration error" {
	seed
	printf 'picklists:\n  activity_result:\n    odd: {planet: {status: x}}\n' > "$BATS_TEST_TMPDIR/c.yaml"
	CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" run -78 crm activity log Call --type call --result odd
	[[ "$output" == *"c.yaml:3"*"planet"* ]]
	printf 'picklists:\n  activity_result:\n    odd: {project: {colour: x}}\n' > "$BATS_TEST_TMPDIR/c.yaml"
	CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" run -78 crm activity log Call --type call --project Apollo --result odd
	[[ "$output" == *"colour"* ]]
}

# ---------------------------------------------------------------- contact view

@test "contact show lists the projects, contracts and activities the contact is part of" {
	seed
	crm project edit Apollo --contact "Ann Smith"
	crm contract edit MSA --contact "Ann Smith"
	crm activity log "Call Ann" --type call --contact "Ann Smith" >/dev/null
	crm activity log "Call Bob" --type call --contact "Bob Jones" >/dev/null
	run crm contact show "Ann Smith"
	expect_status 0
	[[ "$output" == *"Projects"*"Apollo"*"Contracts"*"MSA"*"Activities"*"Call Ann"* ]]
	[[ "$output" != *"Call Bob"* ]]
	run crm contact show "Ann Smith" -F json
	[ "$(echo "$output" | jq -r '.projects[0].name')" = Apollo ]
	[ "$(echo "$output" | jq -r '.activities | length')" = 1 ]
	[ "$(echo "$output" | jq -r '.email')" = ann@acme.example ]
}

@test "contact show of a contact with nothing around prints only its fields" {
	seed
	run crm contact show "Gil Grey"
	expect_status 0
	[[ "$output" != *"Projects"* ]]
	[[ "$output" != *"Activities"* ]]
}

@test "activity show lists its documents" {
	seed
	crm activity log Call --type call >/dev/null
	echo notes > "$BATS_TEST_TMPDIR/n.txt"
	crm doc attach activity 1 "$BATS_TEST_TMPDIR/n.txt" >/dev/null
	run crm activity show 1
	[[ "$output" == *"Documents"*"n.txt"* ]]
}

@test "activity log: a project of another account is refused; --location and --contract go with the account" {
	crm account add Alpha >/dev/null
	crm account add Beta >/dev/null
	crm project add Apollo --account Alpha >/dev/null
	crm location add "Alpha HQ" --account Alpha >/dev/null
	crm contract add Deal --account Alpha >/dev/null
	run --separate-stderr crm activity log "Wrong project" --type call --account Beta --project Apollo
	expect_status 6
	[ "$stderr" = "crm: project 'Apollo' belongs to account 'Alpha', not 'Beta'" ]
	run --separate-stderr crm activity log "Wrong contract" --type call --account Beta --contract Deal
	expect_status 6
	[ "$stderr" = "crm: contract 'Deal' belongs to account 'Alpha', not 'Beta'" ]
	run --separate-stderr crm activity log "Wrong site" --type call --account Beta --location "Alpha HQ"
	expect_status 6
	run crm activity list --fields summary --no-headers
	[ -z "$output" ]
	run crm activity log "Site visit" --type meeting --account Alpha --location "Alpha HQ" --contract Deal --project Apollo
	expect_status 0
	id=$output
	run crm activity show "$id" -F json
	[ "$(jq -c '[.account, .location, .contract, .projects]' <<<"$output")" = '["Alpha","Alpha HQ","Deal",["Apollo"]]' ]
	# the account follows from the location or the contract when not given
	run crm activity log "By contract" --type call --contract Deal
	expect_status 0
	run crm activity show "$output" -F json
	[ "$(jq -r .account <<<"$output")" = Alpha ]
	# and editing an activity keeps to the same rule
	run crm activity edit "$id" --account Beta
	expect_status 6
}
