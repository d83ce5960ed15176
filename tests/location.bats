#!/usr/bin/env bats
# crm location: the sites of an account.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
}

seed() {
	crm account add Acme >/dev/null
	crm account add Beta >/dev/null
	crm location add HQ --account Acme --address "1 Main St" --city Berlin --postal-code 10115 --country DE \
		--notes "gate B" >/dev/null
	crm location add Plant --account Acme --city Munich --country DE >/dev/null
	crm location add Depot --account Beta --city Lyon --country FR >/dev/null
}

field() {
	crm location show "$1" -F json | jq -r ".$2"
}

@test "location add prints only the new number" {
	crm account add Acme >/dev/null
	run --separate-stderr crm location add HQ --account Acme
	expect_status 0
	[ "$output" = 1 ]
	[ -z "$stderr" ]
	run --separate-stderr crm location add Plant --account Acme
	[ "$output" = 2 ]
}

@test "location add sets every field" {
	seed
	run crm location show HQ -F json
	expect_status 0
	[ "$(jq -c '[.id, .account, .name, .address, .city, .postal_code, .country, .notes]' <<<"$output")" = '[1,"Acme","HQ","1 Main St","Berlin","10115","DE","gate B"]' ]
}

@test "location add needs an account" {
	run crm location add HQ
	expect_status 6
	[ "$output" = "crm: location needs an account" ]
	run crm location list --no-headers
	[ -z "$output" ]
}

@test "location add needs a name" {
	crm account add Acme >/dev/null
	run --separate-stderr crm location add --account Acme
	expect_status 2
	[[ "$stderr" == "usage: crm location add <name> "* ]]
}

@test "location add with an unknown account is not found" {
	run crm location add HQ --account Nope
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
}

@test "location add takes the account by number" {
	crm account add Acme >/dev/null
	crm account add Beta >/dev/null
	run crm location add HQ --account 2
	expect_status 0
	[ "$(field 1 account)" = Beta ]
}

@test "location add joins several words into the name" {
	crm account add Acme >/dev/null
	run crm location add North Depot --account Acme
	expect_status 0
	[ "$(field 1 name)" = "North Depot" ]
}

@test "location name is unique within its account, whatever the case" {
	seed
	run crm location add hq --account Acme
	expect_status 4
	[ "$output" = "crm: location with name 'hq' already exists" ]
	run crm location add HQ --account Beta
	expect_status 0
	[ "$(field "$output" account)" = Beta ]
	[ "$(field "$output" name)" = HQ ]
	# The refused add spent no number on SQLite; on PostgreSQL a sequence is not rolled back.
	[ "${CRM_TEST_BACKEND:-sqlite}" = pg ] || [ "$output" = 4 ]
}

@test "location list prints the default columns ordered by account then name" {
	seed
	run --separate-stderr crm location list
	expect_status 0
	expected=$'id\taccount\tname\tcity\tcountry
1\tAcme\tHQ\tBerlin\tDE
2\tAcme\tPlant\tMunich\tDE
3\tBeta\tDepot\tLyon\tFR'
	[ "$output" = "$expected" ]
}

@test "location list filters by account name or number" {
	seed
	run crm location ls account:beta --fields name
	expect_status 0
	[ "$output" = $'name\nDepot' ]
	run crm location ls account_id:1 --fields name
	expect_status 0
	[ "$output" = $'name\nHQ\nPlant' ]
}

@test "location show prints its fields" {
	seed
	run --separate-stderr crm location show HQ
	expect_status 0
	expected="id                  1
account             Acme
name                HQ
address             1 Main St
city                Berlin
postal_code         10115
country             DE
notes               gate B
created             2024-05-01T10:00:00Z
updated             2024-05-01T10:00:00Z"
	[ "$output" = "$expected" ]
}

@test "location show of a name used in two accounts is ambiguous" {
	seed
	crm location add hq --account Beta >/dev/null
	run crm location show HQ
	expect_status 4
	[ "$output" = "crm: location 'HQ' is ambiguous: 1 (HQ of Acme), 4 (hq of Beta); name it by number" ]
	run crm location show 4
	expect_status 0
	[ "${lines[1]}" = "account             Beta" ]
}

@test "location show of an unknown location is not found" {
	crm init -q # reads need a database: they never create one
	run crm location show Nowhere
	expect_status 3
	[ "$output" = "crm: location 'Nowhere' not found" ]
}

@test "location edit changes fields" {
	seed
	run crm location edit HQ --city Potsdam --postal-code 14467
	expect_status 0
	[ -z "$output" ]
	[ "$(field HQ city)" = Potsdam ]
	[ "$(field HQ postal_code)" = 14467 ]
}

@test "location edit with an unknown field suggests the right one" {
	seed
	run crm location edit HQ --cty Potsdam
	expect_status 2
	[ "$output" = "crm: unknown option '--cty' for location edit; did you mean '--city'?" ]
}

@test "location edit cannot clear the account" {
	seed
	run crm location edit HQ --account ""
	expect_status 6
	[ "$output" = "crm: location needs an account" ]
}

@test "location moves to another account while no contact works there" {
	seed
	run crm location edit Plant --account Beta
	expect_status 0
	[ "$(field Plant account)" = Beta ]
}

@test "location cannot move to another account while its contacts belong to the old one" {
	seed
	crm contact add Ann Smith --location HQ >/dev/null
	run crm location edit HQ --account Beta
	expect_status 4
	[[ "$output" == "crm: location 'HQ' has 1 contact of account 'Acme'"* ]]
	[ "$(field HQ account)" = Acme ]
	run crm contact show 1 -F json
	[ "$(jq -r .account <<<"$output")" = Acme ]
}

@test "location rm is refused while contacts work there" {
	seed
	crm contact add Ann Smith --location HQ >/dev/null
	run crm location rm HQ
	expect_status 4
	[ "$output" = "crm: location 'HQ' is still referred to by 1 contact; remove or move them first" ]
	crm contact edit 1 --location "" >/dev/null
	run crm location rm HQ
	expect_status 0
	[ -z "$output" ]
	run crm location show HQ
	expect_status 3
}

@test "location rm takes several, and remove is its alias" {
	seed
	run crm location remove 1 Plant
	expect_status 0
	run crm location list --no-headers --fields name
	[ "$output" = Depot ]
}

@test "location rm over a filter needs --yes" {
	seed
	run crm location rm country:DE
	expect_status 2
	[ "$output" = "crm: refusing to remove 2 locations without --yes" ]
	run crm location rm country:DE --yes
	expect_status 0
	run crm location list --no-headers --fields name
	[ "$output" = Depot ]
}

@test "location history records the account by number and name" {
	seed
	crm location edit Plant --account Beta >/dev/null
	run crm location history Plant --no-headers
	expect_status 0
	expected=$'2024-05-01T10:00:00Z\ttester\tadd\taccount\t\t1 (Acme)
2024-05-01T10:00:00Z\ttester\tadd\tname\t\tPlant
2024-05-01T10:00:00Z\ttester\tadd\tcity\t\tMunich
2024-05-01T10:00:00Z\ttester\tadd\tcountry\t\tDE
2024-05-01T10:00:00Z\ttester\tedit\taccount\t1 (Acme)\t2 (Beta)'
	[ "$(cut -f1-6 <<<"$output")" = "$expected" ]
}

@test "an account rm lists its locations as referrers" {
	seed
	run crm account rm Beta
	expect_status 4
	[ "$output" = "crm: account 'Beta' is still referred to by 1 location; remove or move them first" ]
}
