#!/usr/bin/env bats
# crm contact: people at accounts, named by number, e-mail or "First Last".
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
	crm location add HQ --account Acme >/dev/null
	crm location add Depot --account Beta >/dev/null
	crm contact add "Ann Smith" --account Acme --location HQ --email ann@acme.example --title CEO >/dev/null
	crm contact add Bob Jones --account Beta --email bob@beta.example >/dev/null
}

field() {
	crm contact show "$1" -F json | jq -r ".$2"
}

# ---------------------------------------------------------------- add

@test "contact add prints only the new number" {
	run --separate-stderr crm contact add Ann Smith
	expect_status 0
	[ "$output" = 1 ]
	[ -z "$stderr" ]
	run --separate-stderr crm contact add Bob Jones
	[ "$output" = 2 ]
}

@test "contact add splits a quoted \"First Last\" at the last space" {
	run crm contact add "Ann Smith"
	expect_status 0
	[ "$(field 1 first_name)" = Ann ]
	[ "$(field 1 last_name)" = Smith ]
	run crm contact add "Mary Ann Jones"
	expect_status 0
	[ "$(field 2 first_name)" = "Mary Ann" ]
	[ "$(field 2 last_name)" = Jones ]
}

@test "contact add takes first and last name as two words" {
	run crm contact add Ann Smith
	expect_status 0
	[ "$(field 1 first_name)" = Ann ]
	[ "$(field 1 last_name)" = Smith ]
}

@test "contact add of one word sets the last name only" {
	run crm contact add Smith
	expect_status 0
	[ "$(field 1 first_name)" = null ]
	[ "$(field 1 last_name)" = Smith ]
}

@test "contact add lets explicit options win over the words" {
	run crm contact add Ann Smith --last-name Smythe
	expect_status 0
	[ "$(field 1 last_name)" = Smythe ]
	[ "$(field 1 first_name)" = Ann ]
}

@test "contact add needs a last name: a usage error without one" {
	run --separate-stderr crm contact add
	expect_status 2
	[[ "$stderr" == "usage: crm contact add "* ]]
	run --separate-stderr crm contact add --first-name Ann --email ann@example.com
	expect_status 2
	[[ "$stderr" == "usage: crm contact add "* ]]
	# an empty one is invalid data
	run crm contact add --last-name ""
	expect_status 6
	[ "$output" = "crm: contact needs a last_name" ]
	run crm contact list --no-headers
	[ -z "$output" ]
}

@test "contact add sets every field" {
	seed
	run crm contact add Carl Lee --account Acme --location HQ --title CTO --email carl@acme.example \
		--phone "+49 30 1" --mobile "+49 170 2" --lifecycle-stage Prospect --notes "likes tea"
	expect_status 0
	[ "$output" = 3 ]
	run crm contact show 3 -F json
	[ "$(jq -c '[.first_name, .last_name, .title, .email, .phone, .mobile, .account, .location, .lifecycle_stage, .notes]' <<<"$output")" = '["Carl","Lee","CTO","carl@acme.example","+49 30 1","+49 170 2","Acme","HQ","prospect","likes tea"]' ]
}

@test "contact lifecycle stage is checked against the pick-list" {
	run crm contact add Ann Smith --lifecycle-stage hot
	expect_status 6
	[ "$output" = "crm: invalid lifecycle_stage 'hot' for contact (one of: lead, prospect, customer, former)" ]
}

@test "contact add rejects e-mail addresses of the wrong shape" {
	for bad in plain a@b @example.com ann@ ann@.com ann@example. "ann smith@example.com" \
		ann@b@example.com "ann,bob@example.com" "ann;bob@example.com" "<ann@example.com>"; do
		run crm contact add Ann Smith --email "$bad"
		expect_status 6
		[ "$output" = "crm: email '$bad' is not an e-mail address" ]
	done
	run crm contact list --no-headers
	[ -z "$output" ]
}

@test "contact add accepts ordinary e-mail addresses" {
	run crm contact add Ann Smith --email ann.smith+crm@mail.example.co.uk
	expect_status 0
	[ "$(field 1 email)" = ann.smith+crm@mail.example.co.uk ]
}

@test "contact e-mail is unique, whatever the case" {
	seed
	run crm contact add Other Person --email ANN@acme.example
	expect_status 4
	[ "$output" = "crm: contact with email 'ANN@acme.example' already exists" ]
	run crm contact edit bob@beta.example --email ann@ACME.example
	expect_status 4
	[ "$(field 2 email)" = bob@beta.example ]
}

@test "contacts without an e-mail do not clash" {
	run crm contact add Ann Smith
	expect_status 0
	run crm contact add Bob Jones
	expect_status 0
}

# ---------------------------------------------------------------- account and location

@test "contact location must belong to the contact's account" {
	seed
	run crm contact add Carl Lee --account Acme --location Depot
	expect_status 6
	[ "$output" = "crm: location 'Depot' does not belong to account 'Acme'" ]
	run crm contact list --no-headers --fields last_name
	[ "$output" = $'Jones\nSmith' ]
}

@test "contact location alone implies its account" {
	seed
	run crm contact add Carl Lee --location Depot
	expect_status 0
	[ "$(field 3 account)" = Beta ]
	[ "$(field 3 location)" = Depot ]
}

@test "contact edit to a location of another account is invalid" {
	seed
	run crm contact edit ann@acme.example --location Depot --account Acme
	expect_status 6
	[ "$output" = "crm: location 'Depot' does not belong to account 'Acme'" ]
	run crm contact edit ann@acme.example --account Beta
	expect_status 6
	[ "$output" = "crm: location 'HQ' does not belong to account 'Beta'" ]
	[ "$(field 1 account)" = Acme ]
}

@test "contact moves to another account with a location there" {
	seed
	run crm contact edit ann@acme.example --account Beta --location Depot
	expect_status 0
	[ "$(field 1 account)" = Beta ]
	[ "$(field 1 location)" = Depot ]
}

@test "contact with an unknown account or location is not found" {
	run crm contact add Ann Smith --account Nope
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
	run crm contact add Ann Smith --location Nowhere
	expect_status 3
	[ "$output" = "crm: location 'Nowhere' not found" ]
}

# ---------------------------------------------------------------- references

@test "contact is named by e-mail in any case" {
	seed
	run crm contact show BOB@beta.example
	expect_status 0
	[ "${lines[0]}" = "id                  2" ]
}

@test "contact is named by \"First Last\" in any case" {
	seed
	run crm contact show "ann smith"
	expect_status 0
	[ "${lines[0]}" = "id                  1" ]
}

@test "contact is named by number" {
	seed
	run crm contact show 2
	expect_status 0
	[ "${lines[2]}" = "last_name           Jones" ]
}

@test "contact named by an ambiguous name lists the candidates" {
	seed
	crm contact add Ann Smith --account Beta >/dev/null
	run --separate-stderr crm contact show "Ann Smith"
	expect_status 4
	[ -z "$output" ]
	[ "$stderr" = "crm: contact 'Ann Smith' is ambiguous: 1 (Ann Smith of Acme), 3 (Ann Smith of Beta); name it by number" ]
	run crm contact edit "Ann Smith" --title x
	expect_status 4
	run crm contact rm "Ann Smith"
	expect_status 4
	run crm contact list --no-headers --fields id
	[ "$output" = $'2\n1\n3' ]
}

@test "contact that does not exist is not found" {
	crm init -q # reads need a database: they never create one
	run crm contact show nobody@example.com
	expect_status 3
	[ "$output" = "crm: contact 'nobody@example.com' not found" ]
	run crm contact show 7
	expect_status 3
}

# ---------------------------------------------------------------- list, show, edit, rm, history

@test "contact list prints the default columns ordered by last name" {
	seed
	crm contact add Carl Adams >/dev/null
	run --separate-stderr crm contact list
	expect_status 0
	expected=$'id\tfirst_name\tlast_name\temail\taccount
3\tCarl\tAdams\t\t
2\tBob\tJones\tbob@beta.example\tBeta
1\tAnn\tSmith\tann@acme.example\tAcme'
	[ "$output" = "$expected" ]
}

@test "contact list filters by account and location" {
	seed
	run crm contact ls account:acme --fields email
	expect_status 0
	[ "$output" = $'email\nann@acme.example' ]
	run crm contact ls location: --fields email
	expect_status 0
	[ "$output" = $'email\nbob@beta.example' ]
	run crm contact ls location:HQ --fields email
	expect_status 0
	[ "$output" = $'email\nann@acme.example' ]
}

@test "contact show prints the set fields with references by name" {
	seed
	run crm contact show ann@acme.example
	expect_status 0
	expected="id                  1
first_name          Ann
last_name           Smith
title               CEO
email               ann@acme.example
account             Acme
location            HQ
created             2024-05-01T10:00:00Z
updated             2024-05-01T10:00:00Z"
	[ "$output" = "$expected" ]
}

@test "contact edit changes fields" {
	seed
	run crm contact edit "Bob Jones" --title Buyer --mobile 0170
	expect_status 0
	[ -z "$output" ]
	[ "$(field 2 title)" = Buyer ]
	[ "$(field 2 mobile)" = 0170 ]
}

@test "contact edit with an unknown field suggests the right one" {
	seed
	run crm contact edit 1 --emial x@y.example
	expect_status 2
	[ "$output" = "crm: unknown option '--emial' for contact edit; did you mean '--email'?" ]
}

@test "contact edit over a filter needs --yes" {
	seed
	run crm contact edit account:Acme --title Boss
	expect_status 2
	[ "$output" = "crm: refusing to edit 1 contact without --yes" ]
	run crm contact edit account:Acme --title Boss --yes
	expect_status 0
	[ "$(field 1 title)" = Boss ]
}

@test "contact rm removes, and remove is its alias" {
	seed
	run crm contact rm ann@acme.example
	expect_status 0
	[ -z "$output" ]
	run crm contact remove "Bob Jones"
	expect_status 0
	run crm contact list --no-headers
	[ -z "$output" ]
	run crm account rm Acme
	expect_status 4
	[ "$output" = "crm: account 'Acme' is still referred to by 1 location; remove or move them first" ]
}

@test "contact history lists the changes" {
	crm contact add Ann Smith >/dev/null
	CRM_NOW=2024-05-03T00:00:00Z crm contact edit 1 --email ann@example.com >/dev/null
	run crm contact history "Ann Smith" --no-headers
	expect_status 0
	expected=$'2024-05-01T10:00:00Z\ttester\tadd\tfirst_name\t\tAnn
2024-05-01T10:00:00Z\ttester\tadd\tlast_name\t\tSmith
2024-05-03T00:00:00Z\ttester\tedit\temail\t\tann@example.com'
	[ "$(cut -f1-6 <<<"$output")" = "$expected" ]
}

@test "edit naming only a new location moves the contact to that location's account" {
	crm account add A >/dev/null
	crm account add B >/dev/null
	crm location add HQ --account B >/dev/null
	crm contact add Ann Smith --account A >/dev/null
	run crm contact edit "Ann Smith" --location HQ
	expect_status 0
	run crm contact list --fields account,location --no-headers
	[ "$output" = $'B\tHQ' ]
	run crm contact edit "Ann Smith" --account A
	expect_status 6
	[[ "$output" == *"location 'HQ' does not belong to account 'A'"* ]]
}
