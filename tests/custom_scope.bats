#!/usr/bin/env bats
# Issue 13.3: custom fields for every record of a kind, for a group (a filter, or the members of
# a list) or for one record, shown under named sections; a value outside its scope is refused
# (exit 6) on every write, nothing written. On both backends.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_CONFIG="$BATS_TEST_TMPDIR/crm.yaml"
	cat > "$CRM_CONFIG" <<'YAML'
custom_fields:
  account:
    - {name: tariff, type: choice, values: [regulated, market], scope: "industry:energy", section: Energy, required: yes}
    - {name: grid_code, type: text, scope: {list: Grid clients}, section: Energy}
    - {name: escrow_agent, type: text, scope: {record: Acme}}
    - {name: segment, type: text}
  contact:
    - {name: badge, type: number, scope: [account:Acme], section: Site access}
YAML
	crm account add Acme --industry retail >/dev/null
	crm account add Volt --industry energy --tariff market >/dev/null
	crm list add "Grid clients" --of account >/dev/null
}

@test "a field for a group (a filter): in scope it is kept and needed, outside refused with 6 and nothing written" {
	run -6 --separate-stderr crm account add Globex --industry retail --tariff market
	[ "$stderr" = "crm: tariff applies only to accounts matching industry:energy, and account 'Globex' is not one of them: leave tariff empty for it" ]
	run -6 --separate-stderr crm account add Wind --industry energy
	[ "$stderr" = "crm: account 'Wind' needs tariff (for accounts matching industry:energy)" ]
	run -0 crm account list -F tsv --fields name
	[ "$output" = "name
Acme
Volt" ]
	# an edit that takes Volt out of the scope keeps the value: refused, unless it clears it too
	run -6 crm account edit Volt --industry retail
	run -0 crm account show Volt -F json
	[[ "$output" == *'"industry": "energy"'* ]]
	[[ "$output" == *'"tariff": "market"'* ]]
	run -0 crm account edit Volt --industry retail --tariff ""
	run -0 crm account list -F tsv --fields name,industry,tariff
	[ "$output" = "name	industry	tariff
Acme	retail	
Volt	retail	" ]
	# the other fields of the kind stay for everyone
	run -0 crm account edit Acme --segment retail-large
}

@test "a field for the members of a list follows membership; for one record, only that record" {
	run -6 --separate-stderr crm account edit Volt --grid-code G7
	[ "$stderr" = "crm: grid_code applies only to members of list 'Grid clients', and account 'Volt' is not one of them: leave grid_code empty for it" ]
	crm list add-member "Grid clients" Volt >/dev/null
	run -0 crm account edit Volt --grid-code G7
	run -0 crm account list -F tsv --fields name,grid_code grid_code:G7
	[ "$output" = "name	grid_code
Volt	G7" ]
	run -0 crm account edit Acme --escrow-agent "Bank A"
	run -6 --separate-stderr crm account edit Volt --escrow-agent "Bank A"
	[ "$stderr" = "crm: escrow_agent applies only to account 'Acme', and account 'Volt' is not that one: leave escrow_agent empty for it" ]
	# a scope over another kind's reference: contacts of Acme have a badge
	crm contact add Ann Lee --email ann@x.test --account Acme >/dev/null
	crm contact add Bob Ray --email bob@x.test --account Volt >/dev/null
	run -0 crm contact edit ann@x.test --badge 17
	run -6 crm contact edit bob@x.test --badge 18
	run -0 crm contact history 1 -F tsv
	[[ "$output" == *"	edit	badge		17	"* ]]
}

@test "show groups fields into their sections and leaves out empty fields outside their scope" {
	crm list add-member "Grid clients" Volt >/dev/null
	crm account edit Volt --grid-code G7 >/dev/null
	run -0 crm account show Volt
	[[ "$output" == *"industry            energy
created "*"

Energy
tariff              market
grid_code           G7
"* ]]
	[[ "$output" != *escrow_agent* ]]
	run -0 crm account show Volt -F json
	[[ "$output" == *'"energy": {
    "tariff": "market",
    "grid_code": "G7"
  },'* ]]
	# Acme is outside tariff's and grid_code's scopes: no Energy section, nor those keys
	run -0 crm account show Acme -F json
	[[ "$output" != *tariff* && "$output" != *'"energy"'* ]]
	[[ "$output" == *'"escrow_agent": null'* ]]
	# one row (csv, tsv): the keys JSON has, flat; a section's field as <section key>.<field>
	run -0 crm account show Volt -F csv
	[ "${lines[0]}" = "id,name,parent,industry,country,line_of_business,lifecycle_stage,campaign,relationship_stage,credit_rating,credit_limit,currency,website,phone,notes,segment,created,updated,energy.tariff,energy.grid_code" ]
	[[ "${lines[1]}" == "2,Volt,,energy,"*",market,G7" ]]
	run -0 crm account show Acme -F tsv
	[[ "${lines[0]}" == *$'notes\tescrow_agent\tsegment\tcreated'* && "${lines[0]}" != *tariff* && "${lines[0]}" != *energy* ]]
	# list and export keep every field as a column, empty where it does not apply
	run -0 crm account export -F csv --fields name,tariff,escrow_agent
	[ "$output" = "name,tariff,escrow_agent
Acme,,
Volt,market," ]
}

@test "--help and --fields help say each field's scope and section" {
	run -0 crm account add --help
	[[ "$output" == *"--tariff                 tariff (custom choice field); only for accounts matching industry:energy, needed there; shown under Energy"* ]]
	[[ "$output" == *"--escrow-agent           escrow_agent (custom text field); only for account 'Acme'"* ]]
	run -0 crm account list --fields help
	[[ "$output" == *"grid_code"*"only for members of list 'Grid clients'; shown under Energy"* ]]
	# a choice field is a choice, with its values
	[[ "$output" == *"tariff               choice     tariff (custom choice field); only for accounts matching industry:energy, needed there; shown under Energy; one of: regulated, market"* ]]
}

@test "--help of a verb naming a record lists only the custom fields whose scope takes it" {
	run -0 crm account edit Acme --help
	[[ "$output" == *"Fields of account 'Acme' (--<field> <value>, or --set <field>=<value>):"* ]]
	[[ "$output" == *"--escrow-agent"* && "$output" == *"--segment"* ]]
	[[ "$output" != *"--tariff"* && "$output" != *"--grid-code"* ]]
	run -0 crm account edit Volt --help
	[[ "$output" == *"--tariff"* && "$output" == *"--segment"* ]]
	[[ "$output" != *"--grid-code"* && "$output" != *"--escrow-agent"* ]]
	# membership counts: in the list, grid_code applies to Volt
	crm list add-member "Grid clients" Volt >/dev/null
	run -0 crm account show Volt --help
	[[ "$output" != *"Fields"* ]] # show takes no fields
	run -0 crm account edit 2 --help
	[[ "$output" == *"Fields of account 'Volt'"* && "$output" == *"--grid-code"* && "$output" == *"--tariff"* ]]
	# a contact: the badge is for Acme's people only
	crm contact add Ann --email ann@example.com --account Acme >/dev/null
	crm contact add Bob --email bob@example.com --account Volt >/dev/null
	run -0 crm contact edit ann@example.com --help
	[[ "$output" == *"--badge"* ]]
	run -0 crm contact edit bob@example.com --help
	[[ "$output" != *"--badge"* ]]
	# no record named, or one not there: every field, as before
	run -0 crm account add --help
	[[ "$output" == *"--tariff"*"--grid-code"*"--escrow-agent"*"--segment"* ]]
	run -0 crm account edit Nobody --help
	[[ "$output" == *"Fields (--<field>"*"--tariff"*"--grid-code"*"--escrow-agent"*"--segment"* ]]
	run -0 crm help account edit
	[[ "$output" == *"--tariff"*"--escrow-agent"* ]]
}

@test "import: a row outside a field's scope is rejected with the reason; --partial writes the others" {
	printf 'name,industry,tariff\nSolar,energy,regulated\nShop,retail,market\n' > "$BATS_TEST_TMPDIR/a.csv"
	run -6 --separate-stderr crm account import "$BATS_TEST_TMPDIR/a.csv"
	[ "${stderr_lines[0]}" = "crm: '$BATS_TEST_TMPDIR/a.csv' line 3: tariff applies only to accounts matching industry:energy, and account 'Shop' is not one of them: leave tariff empty for it" ]
	[[ "$stderr" == *"nothing written: 1 to create, 0 to update, 0 unchanged, 1 rejected"* ]]
	run -0 crm account list -F tsv --fields name
	[ "$output" = "name
Acme
Volt" ]
	run -6 crm account import "$BATS_TEST_TMPDIR/a.csv" --partial
	run -0 crm account list -F tsv --fields name,tariff
	[ "$output" = "name	tariff
Acme	
Solar	regulated
Volt	market" ]
}

@test "a scope the configuration gets wrong is exit 78 naming file and line" {
	for scope in '"nosuch:x"' '{list: X, record: Y}' '""' '{list: ""}'; do
		printf 'custom_fields:\n  account:\n    - {name: t, scope: %s}\n' "$scope" > "$CRM_CONFIG"
		run -78 --separate-stderr crm account list
		[[ "$stderr" == "crm: $CRM_CONFIG:3:"* ]]
	done
	printf 'custom_fields:\n  account:\n    - {name: t, scope: {where: x}}\n' > "$CRM_CONFIG"
	run -78 --separate-stderr crm account list
	[[ "$stderr" == *"unknown setting 'custom_fields.account.scope.where'"* ]]
	printf 'custom_fields:\n  ticket:\n    - {name: t, scope: {list: X}}\n' > "$CRM_CONFIG"
	run -78 --separate-stderr crm ticket list
	[[ "$stderr" == *"scope of 't': only contacts and accounts are members of lists" ]]
	printf 'custom_fields:\n  account:\n    - {name: t, section: ""}\n' > "$CRM_CONFIG"
	run -78 --separate-stderr crm account list
	[[ "$stderr" == *"section of 't' must be a name" ]]
}

@test "a record another command takes out of a scope keeps its value and stays editable; merge fills only in scope" {
	crm list add-member "Grid clients" Volt >/dev/null
	crm account edit Volt --grid-code G7 >/dev/null
	crm list rm-member "Grid clients" Volt >/dev/null
	run -0 crm account edit Volt --notes "left the grid list"
	run -0 crm account list -F tsv --fields name,grid_code,notes name:Volt
	[ "$output" = "name	grid_code	notes
Volt	G7	left the grid list" ]
	# changing the value itself is a write outside the scope
	run -6 crm account edit Volt --grid-code G8
	# a merge into a record outside the scope leaves the scoped value out (it is kept for undo)
	run -0 crm account merge Acme Volt
	run -0 crm account list -F tsv --fields name,industry,tariff
	[ "$output" = "name	industry	tariff
Acme	retail	" ]
}

@test "a field needed in one status applies that need in its scope only" {
	cat > "$CRM_CONFIG" <<'YAML'
custom_fields:
  ticket:
    - {name: root_cause, required: resolved, scope: "priority:high"}
YAML
	crm ticket open "Low one" --priority low --account Acme >/dev/null
	crm ticket open "High one" --priority high --account Acme >/dev/null
	run -0 crm ticket resolve 1 --resolution fixed
	run -6 --separate-stderr crm ticket resolve 2 --resolution fixed
	[ "$stderr" = "crm: ticket 'High one' needs root_cause when resolved (for tickets matching priority:high)" ]
	run -0 crm ticket resolve 2 --resolution fixed --set root_cause=dust
}

@test "section names become keys folded, and may not take a field's or a show section's key; a scope is field terms" {
	printf 'custom_fields:\n  account:\n    - {name: t, section: "Énergie!"}\n' > "$CRM_CONFIG"
	crm account edit Acme --t x >/dev/null
	run -0 crm account show Acme -F json
	[[ "$output" == *'"energie_": {
    "t": "x"
  }'* ]]
	printf 'custom_fields:\n  account:\n    - {name: t, section: Name}\n' > "$CRM_CONFIG"
	run -78 --separate-stderr crm account list
	[ "$stderr" = "crm: $CRM_CONFIG:3:7: custom_fields.account: section 'Name' of 't' would be shown as 'name', which is a field of accounts" ]
	printf 'custom_fields:\n  account:\n    - {name: t, section: Contacts}\n' > "$CRM_CONFIG"
	run -78 --separate-stderr crm account list
	[[ "$stderr" == *"would be shown as 'contacts', which is a section of show of accounts" ]]
	printf 'custom_fields:\n  account:\n    - {name: t, section: A b}\n    - {name: u, section: A-B}\n' > "$CRM_CONFIG"
	run -78 --separate-stderr crm account list
	[[ "$stderr" == *"section 'A-B' of 'u' would be shown as 'a_b', which is another section of accounts" ]]
	printf 'custom_fields:\n  account:\n    - {name: u, scope: "sunny"}\n' > "$CRM_CONFIG"
	run -78 --separate-stderr crm account list
	[[ "$stderr" == *"scope of 'u': 'sunny' is a word to search for; a scope is field terms (industry:energy, name:Acme*)" ]]
}

@test "a scope that names nothing is the configuration's fault (78) on write; show still works" {
	cat > "$CRM_CONFIG" <<'YAML'
custom_fields:
  account:
    - {name: grid_code, type: text, scope: {list: Prospects}, section: Energy}
    - {name: escrow_agent, type: text, scope: {record: Acme}}
YAML
	run -78 --separate-stderr crm account edit Acme --grid-code x
	[ "$stderr" = "crm: custom_fields.account: the scope of 'grid_code' names list 'Prospects', which is not there (crm list add 'Prospects')" ]
	crm list add Prospects >/dev/null
	run -78 --separate-stderr crm account edit Acme --grid-code x
	[ "$stderr" = "crm: custom_fields.account: the scope of 'grid_code': list 'Prospects' is a list of contacts, not of accounts" ]
	run -0 crm account show Acme -F json
	[[ "$output" == *'"escrow_agent": null'* ]]
	# renaming the record a scope names by name: refused, saying how to name it
	crm account edit Acme --escrow-agent "Bank A" >/dev/null
	run -78 --separate-stderr crm account edit Acme --name "Acme Corp"
	[ "$stderr" = "crm: custom_fields.account: the scope of 'escrow_agent' names account 'Acme', which is not there (renamed? name it by number: record: 42)" ]
	run -0 crm account list -F tsv --no-headers --fields name name:Acme
	[ "$output" = "Acme" ]
}

@test "group totals of an account with custom fields count its accounts once" {
	crm account add Sub --parent Acme >/dev/null
	run -0 crm account show Acme --with-subsidiaries -F json
	[ "$(jq -r '[.group_totals[] | select(.section == "accounts")] | length' <<<"$output")" = 1 ]
	[ "$(jq -r '.group_totals[] | select(.section == "accounts") | .records' <<<"$output")" = 2 ]
}

@test "a custom number and yes-or-no print one way per view: yes/no and 43 for people, 1/0 in tsv, native in JSON" {
	cat > "$CRM_CONFIG" <<'YAML'
custom_fields:
  account:
    - {name: vip, type: bool}
    - {name: seats, type: number}
YAML
	crm account add Zeta --vip yes --seats 43 --notes "north office" >/dev/null
	crm account add Zulu --vip no --seats 2.5 >/dev/null
	run -0 crm account list --fields name,vip,seats -F table id.over:2
	[ "$output" = "name  vip  seats
Zeta  yes  43
Zulu  no   2.5" ]
	run -0 crm account show Zeta -F table
	[[ "$output" == *"vip                 yes
seats               43
"* ]]
	run -0 crm account list --fields name,vip,seats -F tsv id.over:2
	[ "$output" = "name	vip	seats
Zeta	1	43
Zulu	0	2.5" ]
	run -0 crm account list --fields name,vip,seats -F json id.over:2
	[ "$output" = '[
{"name":"Zeta","vip":true,"seats":43},
{"name":"Zulu","vip":false,"seats":2.5}
]' ]
	run -0 crm account show Zeta -F yaml
	[[ "$output" == *"vip: true
seats: 43
"* ]]
	# the search snippet says it as the table does, in every format
	run -0 crm search north -F tsv --no-headers
	[ "$output" = "account	3	Zeta	north office; yes; 43" ]
	run -0 crm search zulu -F json
	[[ "$output" == *'"snippet":"no; 2.5"'* ]]
	# an edit writes the index the same way
	crm account edit Zulu --vip yes --seats 7 >/dev/null
	run -0 crm search zulu -F tsv --no-headers
	[ "$output" = "account	4	Zulu	yes; 7" ]
}
