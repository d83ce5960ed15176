#!/usr/bin/env bats
# crm user: people of our own organisation, their managers, groups and roles.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	# The system login itself: acting as someone else would make it a second admin (see
	# tests/auth.bats), and the numbers below count from one admin.
	export CRM_USER="$(id -un)" CRM_NOW=2024-05-01T10:00:00Z
}

# me (1, the first admin) -> alice (2) -> bob (3) -> carol (4)
seed() {
	crm user add alice --name "Alice Adams" --email alice@our.example --roles manager >/dev/null
	crm user add bob --manager alice --groups "sales, north" --roles agent >/dev/null
	crm user add carol --manager bob --roles viewer >/dev/null
}

field() {
	crm user show "$1" -F json | jq -r ".$2"
}

@test "user who creates the database is its first admin" {
	crm init -q # reads need a database: they never create one
	run crm user list
	expect_status 0
	[ "$output" = $'id\tlogin\tname\temail\tmanager\tgroups\troles\n1\t'"$CRM_USER"$'\t\t\t\t\tadmin' ]
}

@test "user add prints only the new number" {
	run --separate-stderr crm user add alice
	expect_status 0
	[ "$output" = 2 ]
	[ -z "$stderr" ]
}

@test "user add sets every field" {
	seed
	run crm user show bob -F json
	expect_status 0
	[ "$(jq -c '[.login, .manager, .groups, .roles]' <<<"$output")" = '["bob","alice",["sales","north"],["agent"]]' ]
	run crm user show alice -F json
	[ "$(jq -c '[.name, .email]' <<<"$output")" = '["Alice Adams","alice@our.example"]' ]
}

@test "user add needs a login" {
	run --separate-stderr crm user add --name "No Login"
	expect_status 2
	[[ "$stderr" == "usage: crm user add <login> "* ]]
	run crm user add --login ""
	expect_status 6
	[ "$output" = "crm: user needs a login" ]
}

@test "user login is unique, whatever the case" {
	seed
	run crm user add ALICE
	expect_status 4
	[ "$output" = "crm: user with login 'ALICE' already exists" ]
	run crm user edit bob --login Alice
	expect_status 4
	[ "$(field 3 login)" = bob ]
}

@test "user e-mail must look like one" {
	run crm user add dave --email dave
	expect_status 6
	[ "$output" = "crm: email 'dave' is not an e-mail address" ]
}

@test "user roles are checked against the configured roles" {
	run crm user add dave --roles boss
	expect_status 6
	[ "$output" = "crm: invalid roles 'boss' for user (one of: admin, manager, agent, viewer)" ]
	run crm user add dave --roles agent,boss
	expect_status 6
	run crm user list --no-headers --fields login
	[ "$output" = "$CRM_USER" ]
}

@test "user roles are trimmed and take their configured spelling" {
	run crm user add dave --roles " Agent , VIEWER "
	expect_status 0
	[ "$(field dave roles | jq -c .)" = '["agent","viewer"]' ]
}

@test "user roles may be ones the database adds" {
	crm user role add sales "account.*" -q
	run crm user add dave --roles sales
	expect_status 0
	[ "$(field dave roles | jq -c .)" = '["sales"]' ]
	run crm user add erin --roles seller
	expect_status 6
	[[ "$output" == "crm: invalid roles 'seller' for user (one of: "*"sales"* ]]
}

@test "user manager is named by login or number" {
	seed
	run crm user add dave --manager 2
	expect_status 0
	[ "$(field dave manager)" = alice ]
	run crm user list manager:alice --no-headers --fields login
	[ "$output" = $'bob\ndave' ]
}

@test "user with an unknown manager is not found" {
	run crm user add dave --manager nobody
	expect_status 3
	[ "$output" = "crm: user 'nobody' not found" ]
}

@test "user cannot be their own manager" {
	seed
	run crm user edit alice --manager alice
	expect_status 6
	[ "$output" = "crm: user 2 cannot be its own manager (directly or through others)" ]
}

@test "user manager cycles through others are rejected" {
	seed
	run crm user edit alice --manager carol
	expect_status 6
	[ "$output" = "crm: user 2 cannot be its own manager (directly or through others)" ]
	[ "$(field alice manager)" = null ]
	run crm user edit carol --manager alice
	expect_status 0
	[ "$(field carol manager)" = alice ]
}

@test "user list prints the default columns ordered by login" {
	seed
	run crm user list
	expect_status 0
	expected=$'id\tlogin\tname\temail\tmanager\tgroups\troles
2\talice\tAlice Adams\talice@our.example\t\t\tmanager
3\tbob\t\t\talice\tsales, north\tagent
4\tcarol\t\t\tbob\t\tviewer
1\t'"$CRM_USER"$'\t\t\t\t\tadmin'
	[ "$output" = "$expected" ]
}

@test "user list filters one role or group out of several" {
	seed
	crm user add dave --roles agent,viewer --groups north >/dev/null
	run crm user ls roles:viewer --fields login
	expect_status 0
	[ "$output" = $'login\ncarol\ndave' ]
	run crm user ls groups:north --fields login
	[ "$output" = $'login\nbob\ndave' ]
	run crm user ls groups:nor --fields login
	[ "$output" = login ]
}

@test "user show prints the set fields" {
	seed
	run crm user show bob
	expect_status 0
	expected="id                  3
login               bob
manager             alice
groups              sales, north
roles               agent
created             2024-05-01T10:00:00Z
updated             2024-05-01T10:00:00Z"
	[ "$output" = "$expected" ]
}

@test "user show of an unknown user is not found" {
	crm init -q # reads need a database: they never create one
	run crm user show nobody
	expect_status 3
	[ "$output" = "crm: user 'nobody' not found" ]
}

@test "user edit with an unknown field suggests the right one" {
	seed
	run crm user edit bob --role admin
	expect_status 2
	[ "$output" = "crm: unknown option '--role' for user edit; did you mean '--roles'?" ]
}

@test "user rm is refused while they manage someone" {
	seed
	run crm user rm alice
	expect_status 4
	[ "$output" = "crm: user 'alice' is still referred to by 1 user; remove or move them first" ]
	run crm user rm carol
	expect_status 0
	run crm user remove bob
	expect_status 0
	run crm user rm alice
	expect_status 0
	run crm user list --no-headers --fields login
	[ "$output" = "$CRM_USER" ]
}

@test "user without a role that grants it may not change data" {
	seed
	run crm --as carol account add Acme
	expect_status 5
	[[ "$output" == "crm: permission denied: user 'carol' (roles: viewer) may not account.add" ]]
	run crm --as bob account add Acme
	expect_status 0
	[ "$output" = 1 ]
}

@test "user history lists the changes" {
	seed
	run crm user history bob --no-headers
	expect_status 0
	expected="2024-05-01T10:00:00Z	$CRM_USER	add	login		bob
2024-05-01T10:00:00Z	$CRM_USER	add	manager		2 (alice)
2024-05-01T10:00:00Z	$CRM_USER	add	groups		sales,north
2024-05-01T10:00:00Z	$CRM_USER	add	roles		agent"
	[ "$(cut -f1-6 <<<"$output")" = "$expected" ]
}
