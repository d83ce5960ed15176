#!/usr/bin/env bats
# crm project: milestones, manager, internal and external contacts, cost entries, totals, and
# the relationship views of projects and accounts.
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
	crm location add HQ --account Acme >/dev/null
	crm location add Depot --account Globex >/dev/null
	crm contact add "Ann Smith" --account Acme --email ann@acme.example >/dev/null
	crm contact add "Bob Jones" --account Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	crm user add mia --roles manager >/dev/null
	crm user add vic --roles viewer >/dev/null
}

# A field from the json of show; link fields (arrays) joined by ", ".
pj() {
	crm project show "$1" -F json | jq -r ".$2 | if type == \"array\" then join(\", \") else . end"
}

# ---------------------------------------------------------------- add, edit

@test "project add prints its number and starts at the first milestone" {
	seed
	run --separate-stderr crm project add Apollo --account Acme --manager mia --product "CRM roll-out" --income 50000
	expect_status 0
	[ "$output" = 1 ]
	[ -z "$stderr" ]
	[ "$(pj 1 status)" = lead ]
	[ "$(pj 1 manager)" = mia ]
	[ "$(pj 1 product)" = "CRM roll-out" ]
	[ "$(pj 1 income)" = 50000 ]
}

@test "project status moves along the configured milestones" {
	seed
	crm project add Apollo --account Acme >/dev/null
	crm project edit Apollo --status proposal
	[ "$(pj Apollo status)" = proposal ]
	run -6 crm project edit Apollo --status dreaming
	[[ "$output" == *"invalid status 'dreaming'"*"lead, qualified, proposal, negotiation, won, lost"* ]]
	cat > "$BATS_TEST_TMPDIR/c.yaml" <<-'EOF'
	workflow:
	  project:
	    statuses: [idea, build, done]
	    initial: idea
	    resolved: [done]
	    transitions:
	      - {from: idea, to: build}
	      - {from: build, to: done}
	EOF
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	crm project add Zeus --account Acme >/dev/null
	[ "$(pj Zeus status)" = idea ]
	run -4 crm project edit Zeus --status done
	[ "$output" = "crm: project 'Zeus': cannot go from 'idea' to 'done'; allowed: build" ]
	crm project edit Zeus --status build
	[ "$(pj Zeus status)" = build ]
	run crm project add Hera --account Acme --status done
	expect_status 0
	[ "$(pj Hera status)" = done ]
}

@test "project internal (team) and external (contacts) people" {
	seed
	crm project add Apollo --account Acme --team bob --team mia --contact "Ann Smith" >/dev/null
	[ "$(pj Apollo team)" = "bob, mia" ]
	[ "$(pj Apollo contacts)" = "Ann Smith" ]
	crm project edit Apollo --team -bob --contact "+Bob Jones"
	[ "$(pj Apollo team)" = mia ]
	[ "$(pj Apollo contacts)" = "Ann Smith, Bob Jones" ]
	[ "$(crm project list team:mia --no-headers --fields name)" = Apollo ]
	[ "$(crm project list contact:Bob --no-headers --fields name)" = Apollo ]
	[ "$(crm project list team:bob --no-headers | wc -l)" -eq 0 ]
}

@test "a project's location implies its account and must belong to it" {
	seed
	crm project add Apollo --location HQ >/dev/null
	[ "$(pj Apollo account)" = Acme ]
	run -6 crm project add Zeus --account Acme --location Depot
	[[ "$output" == *"location 'Depot' does not belong to account 'Acme'"* ]]
}

@test "project names need not be unique: a shared name is ambiguous, the number is not" {
	seed
	crm project add Apollo --account Acme >/dev/null
	crm project add Apollo --account Globex >/dev/null
	run -4 crm project show Apollo
	[[ "$output" == *"ambiguous"*"1 (Apollo of Acme)"*"2 (Apollo of Globex)"* ]]
	[ "$(pj 2 account)" = Globex ]
}

# ---------------------------------------------------------------- costs and totals

@test "project cost add, list and rm; show totals costs, income and margin" {
	seed
	crm project add Apollo --account Acme --income 10000 >/dev/null
	run --separate-stderr crm project cost add Apollo 1200.50 travel to the site
	expect_status 0
	[ "$output" = 1 ]
	crm project cost add Apollo 300 hotel --date 2024-04-02 >/dev/null
	run crm project cost list Apollo
	expect_status 0
	[ "${lines[0]}" = "$(printf 'id\tproject\tamount\twhat\tdate')" ]
	[[ "$output" == *"1200.50	travel to the site	2024-05-01"* ]]
	[[ "$output" == *"300.00	hotel	2024-04-02"* ]]
	[ "$(pj Apollo costs)" = 1500.5 ]
	[ "$(pj Apollo margin)" = 8499.5 ]
	crm project cost rm 1
	[ "$(pj Apollo costs)" = 300 ]
	[ "$(pj Apollo margin)" = 9700 ]
}

@test "project cost add checks the amount and the project" {
	seed
	crm project add Apollo --account Acme >/dev/null
	run -6 crm project cost add Apollo lots travel
	[[ "$output" == *"amount 'lots' is not a number"* ]]
	run -3 crm project cost add Hermes 10 travel
	run -2 crm project cost add Apollo
	run -2 crm project cost fly Apollo
	[ "$(pj Apollo costs)" = 0 ]
}

@test "costs have history of their own and keep their project from removal" {
	seed
	crm project add Apollo --account Acme >/dev/null
	crm project cost add Apollo 99 lunch >/dev/null
	run crm history cost 1
	[[ "$output" == *"add	amount		99"* ]]
	run -4 crm project rm Apollo
	[[ "$output" == *"1 cost"* ]]
	crm project cost rm 1
	crm project rm Apollo
}

@test "projects filter and sort on computed totals" {
	seed
	crm project add Small --account Acme --income 1000 >/dev/null
	crm project add Big --account Acme --income 90000 >/dev/null
	crm project cost add Big 5000 kit >/dev/null
	[ "$(crm project list margin.over:10000 --no-headers --fields name)" = Big ]
	[ "$(crm project list --sort -margin --no-headers --fields name | head -1)" = Big ]
	[ "$(crm project list costs.under:1 --no-headers --fields name)" = Small ]
}

@test "agents may add costs; viewers may not" {
	seed
	crm project add Apollo --account Acme >/dev/null
	run crm --as bob project cost add Apollo 10 taxi
	expect_status 0
	run -5 crm --as vic project cost add Apollo 10 taxi
	[[ "$output" == *"may not project.cost"* ]]
	run crm --as vic project cost list
	expect_status 0
	run -5 crm --as vic project add Zeus
}

# ---------------------------------------------------------------- views

@test "project show gives totals, costs, contracts, activities and documents" {
	seed
	crm project add Apollo --account Acme --income 20000 --team bob --contact "Ann Smith" >/dev/null
	crm project cost add Apollo 500 licences >/dev/null
	crm contract add "Apollo MSA" --project Apollo --value 18000 >/dev/null
	crm activity log "Kick-off" --type meeting --project Apollo >/dev/null
	echo plan > "$BATS_TEST_TMPDIR/plan.txt"
	crm doc attach project Apollo "$BATS_TEST_TMPDIR/plan.txt" >/dev/null
	run crm project show Apollo
	expect_status 0
	[[ "$output" == *"income              20000"* ]]
	[[ "$output" == *"costs               500"* ]]
	[[ "$output" == *"margin              19500"* ]]
	[[ "$output" == *"team                bob"* ]]
	[[ "$output" == *"contacts            Ann Smith"* ]]
	[[ "$output" == *"Costs"*"licences"*"Contracts"*"Apollo MSA"*"Activities"*"Kick-off"*"Documents"*"plan.txt"* ]]
	run crm project show Apollo -F json
	[ "$(echo "$output" | jq -r '.cost_entries[0].amount')" = 500 ]
	[ "$(echo "$output" | jq -r '.contracts[0].title')" = "Apollo MSA" ]
	[ "$(echo "$output" | jq -r '.activities[0].summary')" = Kick-off ]
	[ "$(echo "$output" | jq -r '.documents[0].name')" = plan.txt ]
	[ "$(echo "$output" | jq -r '.margin')" = 19500 ]
}

@test "project show as csv is one row" {
	seed
	crm project add Apollo --account Acme >/dev/null
	run crm project show Apollo -F csv
	expect_status 0
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == id,name,account,* ]]
}

@test "account show also lists projects, contracts, recent activities and documents" {
	seed
	crm project add Apollo --account Acme >/dev/null
	crm contract add "Acme MSA" --account Acme >/dev/null
	for i in $(seq 1 12); do crm activity log "Call $i" --type call --account Acme --at "2024-04-$(printf %02d "$i")" >/dev/null; done
	echo x > "$BATS_TEST_TMPDIR/x.txt"
	crm doc attach account Acme "$BATS_TEST_TMPDIR/x.txt" >/dev/null
	run crm account show Acme
	expect_status 0
	[[ "$output" == *"Projects"*"Apollo"*"Contracts"*"Acme MSA"*"Recent activities"*"Call 12"*"Documents"*"x.txt"* ]]
	[[ "$output" != *"Call 2 "* ]]
	# the note follows the table's last row, the next section after it
	[[ "$output" == *$'\n3   2024-04-03'*$'\n(the 10 most recent; more with \'crm activity list\')\n\nDocuments\n'* ]]
	run crm account show Acme -F json
	[ "$(echo "$output" | jq -r '.activities | length')" = 10 ]
	[ "$(echo "$output" | jq -r '.activities[0].summary')" = "Call 12" ]
	[ "$(echo "$output" | jq -r '.projects[0].name')" = Apollo ]
	[ "$(echo "$output" | jq -r '.documents[0].name')" = x.txt ]
	run crm account show Globex
	[[ "$output" != *"Projects"* ]]
}

@test "project history records every change" {
	seed
	crm project add Apollo --account Acme >/dev/null
	crm project edit Apollo --status won --team mia
	run crm project history Apollo
	[[ "$output" == *"edit	status	lead	won"* ]]
	[[ "$output" == *"edit	team		$(crm user show mia -F json | jq -r .id) (mia)"* ]]
}

@test "a cost's amount is never negative: add, edit and import refuse it" {
	seed
	crm project add Apollo --account Acme >/dev/null
	run -6 crm project cost add Apollo -5 refund
	[[ "$output" == *"amount '-5' is below its minimum, 0"* ]]
	crm project cost add Apollo 5 travel >/dev/null
	run -6 crm project cost edit 1 --amount=-5
	[[ "$output" == *"amount '-5' is below its minimum"* ]]
	printf 'id,amount\n1,-7\n' > "$BATS_TEST_TMPDIR/c.csv"
	run -6 crm project cost import "$BATS_TEST_TMPDIR/c.csv" --key id
	[[ "$output" == *"amount '-7' is below its minimum"* ]]
	[ "$(crm project cost show 1 -F json | jq -r .amount)" = 5 ]
}
