#!/usr/bin/env bats
# crm contract: account and project, value and dates, lines, resources, the signing flow and
# its permission, expiring contracts.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
}

seed() {
	crm account add Acme >/dev/null
	crm account add Globex >/dev/null
	crm contact add "Ann Smith" --account Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	crm user add mia --roles manager >/dev/null
	crm user add vic --roles viewer >/dev/null
	crm project add Apollo --account Acme >/dev/null
}

# A field from the json of show; link fields (arrays) joined by ", ".
ct() {
	crm contract show "$1" -F json | jq -r ".$2 | if type == \"array\" then join(\", \") else . end"
}

status_of() {
	ct "$1" status
}

# ---------------------------------------------------------------- add

@test "contract add prints its number and starts in draft" {
	seed
	run --separate-stderr crm contract add "MSA 2024" --account Acme --type service --value 48000 --currency EUR \
		--start 2024-06-01 --end 2025-05-31
	expect_status 0
	[ "$output" = 1 ]
	[ -z "$stderr" ]
	[ "$(status_of 1)" = draft ]
	[ "$(ct 1 type)" = service ]
	[ "$(ct 1 value)" = 48000 ]
	[ "$(ct 1 currency)" = EUR ]
	[ "$(ct 1 start)" = 2024-06-01 ]
	[ "$(ct 1 end)" = 2025-05-31 ]
}

@test "a contract's project gives its account, which must agree" {
	seed
	crm contract add "Apollo MSA" --project Apollo >/dev/null
	[ "$(ct 1 account)" = Acme ]
	run -6 crm contract add Other --project Apollo --account Globex
	[[ "$output" == *"project 'Apollo' belongs to account 'Acme', not 'Globex'"* ]]
	run -6 crm contract add Nothing
	[[ "$output" == *"contract needs an account"* ]]
	run -6 crm contract add Odd --account Acme --type barter
	[[ "$output" == *"invalid type 'barter'"* ]]
}

@test "contract resources (users) and contacts are links" {
	seed
	crm contract add MSA --account Acme --resource bob --resource mia --contact "Ann Smith" >/dev/null
	[ "$(ct MSA resources)" = "bob, mia" ]
	[ "$(ct MSA contacts)" = "Ann Smith" ]
	[ "$(crm contract list resource:mia --no-headers --fields title)" = MSA ]
	crm contract edit MSA --resource -mia
	[ "$(ct MSA resources)" = bob ]
	run -4 crm user rm bob
	[[ "$output" == *"1 contract"* ]]
}

@test "contract lines: add, list, rm, and their total" {
	seed
	crm contract add MSA --account Acme >/dev/null
	run crm contract line add MSA Consulting days --quantity 10 --price 1200
	expect_status 0
	[ "$output" = 1 ]
	crm contract line add MSA Licence --price 500 >/dev/null
	run crm contract line list MSA
	expect_status 0
	[[ "$output" == *"Consulting days	10	1200.00	12000.00"* ]]
	[[ "$output" == *"Licence	1	500.00	500.00"* ]]
	[ "$(ct MSA lines_total)" = 12500 ]
	run crm contract show MSA
	[[ "$output" == *"Lines"*"Consulting days"*"Licence"* ]]
	crm contract line rm 2
	[ "$(ct MSA lines_total)" = 12000 ]
	run -6 crm contract line add MSA Widget --price cheap
	run -5 crm --as vic contract line add MSA Widget --price 1
}

# ---------------------------------------------------------------- signing workflow

@test "the signing workflow: draft, review, signed, active, ended" {
	seed
	crm contract add MSA --account Acme >/dev/null
	crm contract edit MSA --status review
	crm contract sign MSA
	[ "$(status_of MSA)" = signed ]
	crm contract edit MSA --status active
	crm contract edit MSA --status ended
	[ "$(status_of MSA)" = ended ]
	run crm contract history MSA
	[[ "$output" == *"status	draft	review"*"status	review	signed"*"status	signed	active"*"status	active	ended"* ]]
}

@test "moves the workflow does not allow are conflicts naming the allowed ones" {
	seed
	crm contract add MSA --account Acme >/dev/null
	run -4 crm contract sign MSA
	[ "$output" = "crm: contract 'MSA': cannot go from 'draft' to 'sign'; allowed: submit (to review), cancel (to cancelled)" ]
	run -4 crm contract edit MSA --status signed
	[ "$output" = "crm: contract 'MSA': cannot go from 'draft' to 'signed'; allowed: submit (to review), cancel (to cancelled)" ]
	run -4 crm contract edit MSA --status active
	[ "$(status_of MSA)" = draft ]
	crm contract edit MSA --status review
	crm contract sign MSA
	run -4 crm contract edit MSA --status draft
}

@test "signing needs contract.sign: agents may edit contracts but not sign them" {
	seed
	crm contract add MSA --account Acme >/dev/null
	run crm --as bob contract edit MSA --status review --value 1000
	expect_status 0
	run -5 crm --as bob contract sign MSA
	[[ "$output" == *"may not contract.sign"* ]]
	run -5 crm --as bob contract edit MSA --status signed
	[ "$output" = "crm: contract 'MSA': permission denied: user 'bob' may not take transition 'sign' (needs contract.sign)" ]
	[ "$(status_of MSA)" = review ]
	run crm --as mia contract sign MSA
	expect_status 0
	[ "$(status_of MSA)" = signed ]
	run crm contract history MSA
	[[ "$output" == *"mia	edit	status	review	signed"* ]]
}

@test "adding a contract already signed needs contract.sign too" {
	seed
	run -5 crm --as bob contract add Legacy --account Acme --status signed
	run crm --as mia contract add Legacy --account Acme --status signed
	expect_status 0
	[ "$(status_of Legacy)" = signed ]
}

@test "the workflow is configuration: contract sign takes the transition named sign" {
	seed
	use_system_config <<-'EOF'
	workflow:
	  contract:
	    statuses: [open, approved, closed]
	    initial: open
	    resolved: [closed]
	    transitions:
	      - {name: sign, from: open, to: approved, permission: contract.sign}
	      - {name: close, from: approved, to: closed}
	EOF
	crm contract add MSA --account Acme >/dev/null
	[ "$(status_of MSA)" = open ]
	run -5 crm --as bob contract sign MSA
	crm contract sign MSA
	[ "$(status_of MSA)" = approved ]
	run crm contract sign MSA
	expect_status 0
	[[ "$output" == *"contract MSA is signed already"* ]]
	run -4 crm contract edit MSA --status open
	[ "$(status_of MSA)" = approved ]
	run -6 crm contract edit MSA --status draft
	[[ "$output" == *"invalid status 'draft' for contract (one of: open, approved, closed)"* ]]
}

@test "an old configuration with flows: is exit 78 saying how to write it as workflow.<kind>" {
	seed
	cat > "$BATS_TEST_TMPDIR/c.yaml" <<-'EOF'
	flows:
	  contract:
	    field: status
	    start: draft
	EOF
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	run -78 crm contract list
	[[ "$output" == "crm: $BATS_TEST_TMPDIR/c.yaml:1:1: 'flows' is gone: status flows are workflows now. Rewrite flows.<kind> as workflow.<kind>: "* ]]
	[[ "$output" == *"transitions, one {from: <status>, to: <status>} for each move"*"permission: <perm>"* ]]
	printf 'picklists:\n  contract_status: [a, b]\n' > "$BATS_TEST_TMPDIR/c.yaml"
	run -78 crm contract list
	[ "$output" = "crm: $BATS_TEST_TMPDIR/c.yaml:2:3: the statuses of contracts are workflow.contract.statuses now (see crm-config(5))" ]
}

@test "a misspelt workflow.contract key is exit 78, not signing rules silently switched off" {
	seed
	use_system_config <<-'EOF'
	workflow:
	  contract:
	    transitons: []
	EOF
	run -78 crm contract add MSA --account Acme
	[ "$output" = "crm: /dev/fd/7/crm/config.yaml:3:5: unknown setting 'workflow.contract.transitons'; did you mean 'transitions'? (see crm-config(5))" ]
	[ "$(CRM_CONFIG=/dev/null crm contract list --no-headers | wc -l)" -eq 0 ]
}

@test "contract import moves a status only along a transition the user may take" {
	seed
	crm contract add MSA --account Acme >/dev/null
	printf 'title,status\nMSA,signed\n' > "$BATS_TEST_TMPDIR/c.csv"
	run -6 crm contract import "$BATS_TEST_TMPDIR/c.csv" --key title
	[[ "$output" == *"line 2"*"contract 'MSA': cannot go from 'draft' to 'signed'"* ]]
	[ "$(status_of MSA)" = draft ]
	printf 'title,status\nMSA,review\n' > "$BATS_TEST_TMPDIR/c.csv"
	run crm contract import "$BATS_TEST_TMPDIR/c.csv" --key title
	expect_status 0
	printf 'title,status\nMSA,signed\n' > "$BATS_TEST_TMPDIR/c.csv"
	crm user role add clerk contract.import contract.edit -q
	crm user add cleo --roles clerk >/dev/null
	run -6 crm --as cleo contract import "$BATS_TEST_TMPDIR/c.csv" --key title
	[[ "$output" == *"line 2"*"contract 'MSA': permission denied: user 'cleo' may not take transition 'sign' (needs contract.sign)"* ]]
	[ "$(status_of MSA)" = review ]
	run crm contract import "$BATS_TEST_TMPDIR/c.csv" --key title
	expect_status 0
	[ "$(status_of MSA)" = signed ]
}

@test "contract sign of several contracts is all or nothing" {
	seed
	crm contract add A --account Acme --status review >/dev/null
	crm contract add B --account Acme >/dev/null
	run -4 crm contract sign A B
	[ "$(status_of A)" = review ]
}

# ---------------------------------------------------------------- expiring

@test "contract list expires.before:+60d lists the contracts ending within 60 days" {
	seed
	crm contract add Soon --account Acme --end 2024-06-15 >/dev/null
	crm contract add Later --account Acme --end 2024-12-31 >/dev/null
	crm contract add Open --account Acme >/dev/null
	run crm contract list expires.before:+60d --no-headers --fields title
	expect_status 0
	[ "$output" = Soon ]
	[ "$(crm contract list expires.after:+60d --no-headers --fields title)" = Later ]
	[ "$(crm contract list end.before:2025-01-01 --sort end --no-headers --fields title | tr '\n' ' ')" = "Soon Later " ]
	[ "$(crm contract list expires: --no-headers --fields title)" = Open ]
}

@test "expires is a filter alias, not a column of show or something to set" {
	seed
	crm contract add MSA --account Acme --end 2024-06-15 >/dev/null
	run crm contract show MSA -F json
	[ "$(echo "$output" | jq 'has("expires")')" = false ]
	[ "$(echo "$output" | jq -r .end)" = 2024-06-15 ]
	run -2 crm contract edit MSA --expires 2025-01-01
}

@test "contract show lists lines, activities and documents; account show lists contracts" {
	seed
	crm contract add MSA --project Apollo --value 1000 >/dev/null
	crm activity log "Negotiation" --type meeting --contract MSA >/dev/null
	printf 'signed copy' > "$BATS_TEST_TMPDIR/msa.pdf"
	crm doc attach contract MSA "$BATS_TEST_TMPDIR/msa.pdf" >/dev/null
	run crm contract show MSA
	expect_status 0
	[[ "$output" == *"Activities"*"Negotiation"*"Documents"*"msa.pdf"*"application/pdf"* ]]
	run crm account show Acme
	[[ "$output" == *"Contracts"*"MSA"*"draft"*"1000"* ]]
	run crm project show Apollo -F json
	[ "$(echo "$output" | jq -r '.contracts[0].title')" = MSA ]
}

@test "viewers may not add contracts" {
	seed
	run -5 crm --as vic contract add MSA --account Acme
}

@test "a contract line's quantity defaults to 1 at add; quantity and price are never negative" {
	seed
	crm contract add MSA --account Acme >/dev/null
	run -0 crm contract line add MSA Gadget --price 4
	run -0 crm contract line show 1 -F json
	[ "$(echo "$output" | jq -r .quantity)" = 1 ]
	run -6 crm contract line add MSA Widget --price 4 --quantity -1
	[[ "$output" == *"quantity '-1' is below its minimum, 0"* ]]
	run -6 crm contract line edit 1 --quantity -3
	[[ "$output" == *"quantity '-3' is below its minimum"* ]]
	run -6 crm contract line edit 1 --quantity 0 --price -1
	[[ "$output" == *"price '-1' is below its minimum"* ]]
	run -0 crm contract line edit 1 --quantity 0
	run -0 crm contract line history 1
	[[ "$output" == *"quantity"*"1"*"0"* ]]
	printf 'id,price\n1,-2\n' > "$BATS_TEST_TMPDIR/l.csv"
	run -6 crm contract line import "$BATS_TEST_TMPDIR/l.csv" --key id
	[[ "$output" == *"price '-2' is below its minimum"* ]]
	[ "$(crm contract line show 1 -F json | jq -r .price)" = 4 ]
}
