#!/usr/bin/env bats
# crm attr: key=value attributes on any record: set, rm, list; shown by show, filtered as
# attr.<key>:<value>, columns of list and export, searched, kept in history.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	T=$BATS_TEST_TMPDIR
}

seed() {
	crm account add Acme >/dev/null
	crm account add Globex >/dev/null
	crm contact add Ana Popescu --email ana@acme.example --account Acme >/dev/null
}

@test "attr set, list and rm on an account and a contact" {
	seed
	run --separate-stderr crm attr set account Acme stage=mature region=north
	expect_status 0
	[ -z "$output" ] && [ -z "$stderr" ]
	crm attr set contact ana@acme.example stage=new >/dev/null
	run crm attr list -F tsv
	expect_status 0
	[ "$output" = "$(printf 'kind\tid\tlabel\tkey\tvalue\naccount\t1\tAcme\tregion\tnorth\naccount\t1\tAcme\tstage\tmature\ncontact\t1\tAna Popescu\tstage\tnew')" ]
	run crm attr list account Acme -F tsv --no-headers
	[ "$output" = "$(printf 'account\t1\tAcme\tregion\tnorth\naccount\t1\tAcme\tstage\tmature')" ]
	run crm attr list contact -F tsv --no-headers
	[ "$output" = "$(printf 'contact\t1\tAna Popescu\tstage\tnew')" ]
	# a new value replaces the old one; an empty one removes it
	crm attr set account Acme stage=declining region= >/dev/null
	run crm attr list account Acme -F tsv --no-headers
	[ "$output" = "$(printf 'account\t1\tAcme\tstage\tdeclining')" ]
	crm attr rm account Acme stage >/dev/null
	run crm attr list account Acme -F tsv --no-headers
	expect_status 0
	[ -z "$output" ]
}

@test "show carries the attributes, as text, json and yaml" {
	seed
	crm attr set account Acme stage=mature "motto=we make anvils" >/dev/null
	run crm account show Acme -F json
	expect_status 0
	[ "$(jq -c '.attributes' <<<"$output")" = '[{"key":"motto","value":"we make anvils"},{"key":"stage","value":"mature"}]' ]
	run crm account show Globex -F json
	[ "$(jq -c '.attributes' <<<"$output")" = '[]' ]
	run crm account show Acme -F table
	[[ "$output" == *"Attributes"* ]]
	[[ "$output" == *"stage"*"mature"* ]]
	run crm account show Acme -F yaml
	[[ "$output" == *"attributes:"* ]]
}

@test "attr.<key> filters lists, in the filter language's forms" {
	seed
	crm attr set account Acme stage=mature >/dev/null
	crm attr set account Globex stage=Growing >/dev/null
	run crm account list attr.stage:mature -F tsv --no-headers --fields name
	expect_status 0
	[ "$output" = "Acme" ]
	run crm account list attr.stage:growing -F tsv --no-headers --fields name
	[ "$output" = "Globex" ]
	run crm account list attr.stage.not:mature -F tsv --no-headers --fields name
	[ "$output" = "Globex" ]
	run crm account list attr.stage:gro* -F tsv --no-headers --fields name
	[ "$output" = "Globex" ]
	run crm account list attr.stage.has:atu -F tsv --no-headers --fields name
	[ "$output" = "Acme" ]
	run crm account list attr.region: -F tsv --no-headers --fields name
	[ "$output" = "$(printf 'Acme\nGlobex')" ]
	run crm account list -attr.stage:mature -F tsv --no-headers --fields name
	[ "$output" = "Globex" ]
	# the value is data: quotes and SQL in it find nothing and break nothing
	run crm account list "attr.stage:x' OR '1'='1" -F tsv --no-headers
	expect_status 0
	[ -z "$output" ]
}

@test "attr.<key> is a column of list and export, and sorts" {
	seed
	crm attr set account Acme stage=mature >/dev/null
	crm attr set account Globex stage=growing >/dev/null
	run crm account list --fields name,attr.stage -F tsv
	expect_status 0
	[ "$output" = "$(printf 'name\tattr.stage\nAcme\tmature\nGlobex\tgrowing')" ]
	run crm account list --fields name,attr.stage --sort attr.stage -F tsv --no-headers
	[ "$output" = "$(printf 'Globex\tgrowing\nAcme\tmature')" ]
	crm account export --fields name,attr.stage,attr.none -o "$T/a.csv"
	[ "$(cat "$T/a.csv")" = "$(printf 'name,attr.stage,attr.none\r\nAcme,mature,\r\nGlobex,growing,\r')" ] ||
		[ "$(cat "$T/a.csv")" = "$(printf 'name,attr.stage,attr.none\nAcme,mature,\nGlobex,growing,')" ]
}

@test "attributes are searched as key=value" {
	seed
	crm attr set account Acme stage=mature >/dev/null
	crm attr set contact ana@acme.example stage=new note=mature >/dev/null
	run crm search stage=mature -F tsv --no-headers
	expect_status 0
	[ "$(cut -f1,3 <<<"$output")" = "$(printf 'account\tAcme')" ]
	crm attr rm account Acme stage >/dev/null
	run crm search stage=mature -F tsv --no-headers
	[ -z "$output" ]
}

@test "attribute changes are in the record's history, by whom" {
	seed
	crm attr set account Acme stage=mature >/dev/null
	crm attr set account Acme stage=declining >/dev/null
	crm attr rm account Acme stage >/dev/null
	run crm account history Acme -F tsv --no-headers
	expect_status 0
	[ "$(grep attr.stage <<<"$output" | cut -f3-6)" = "$(printf 'edit\tattr.stage\t\tmature\nedit\tattr.stage\tmature\tdeclining\nedit\tattr.stage\tdeclining\t')" ]
	# setting the value it has changes nothing
	crm attr set account Acme stage=x >/dev/null
	crm attr set account Acme stage=x >/dev/null
	[ "$(crm account history Acme -F tsv --no-headers | grep -c attr.stage)" -eq 4 ]
}

@test "a removed record takes its attributes with it" {
	seed
	crm attr set account Globex stage=mature >/dev/null
	crm account rm Globex >/dev/null
	run crm attr list -F tsv --no-headers
	expect_status 0
	[ -z "$output" ]
}

@test "bad keys are invalid data (6), nothing is set" {
	seed
	for key in Stage 1st "st age" "é" "a-b" "$(printf 'x%.0s' $(seq 65))" ""; do
		run crm attr set account Acme "$key=v" ok=1
		expect_status 6
		[[ "$output" == *"invalid attribute key"* ]]
	done
	run crm attr list -F tsv --no-headers
	[ -z "$output" ]
	run crm attr rm account Acme Bad
	expect_status 6
}

@test "attr: usage, unknown records and kinds, missing keys, permissions" {
	seed
	run crm attr set account Acme
	expect_status 2
	run crm attr set account Acme stage
	expect_status 2
	[[ "$output" == *"'stage' is not key=value"* ]]
	run crm attr set account Nobody stage=x
	expect_status 3
	run crm attr set alert 1 stage=x
	expect_status 2
	[[ "$output" == *"unknown kind 'alert'"* ]]
	run crm attr rm account Acme stage
	expect_status 3
	[[ "$output" == *"has no attribute 'stage'"* ]]
	run crm account list attr.Bad:x
	expect_status 2
	crm user add vic --roles viewer >/dev/null
	run crm --as vic attr set account Acme stage=x
	expect_status 5
	run crm --as vic attr list account Acme
	expect_status 0
	crm user add al --roles agent >/dev/null
	run crm --as al attr set account Acme stage=x
	expect_status 0
}
