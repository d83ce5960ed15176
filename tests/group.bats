#!/usr/bin/env bats
# crm group: groups as records (the generic verbs), members from the users' groups, a group
# named by a user's groups added once, groups as assignees of tasks and tickets.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	# the built-in roles, whatever a system file of this machine (/etc/crm) says
	use_system_config </dev/null
	export CRM_USER=tester
	export CRM_NOW=2026-12-01T09:00:00Z
}

teardown() {
	crm_test_cleanup
}

@test "group add, list, show, edit, history" {
	crm user add mia --roles manager >/dev/null
	run --separate-stderr crm group add support --description "First-line support" --manager mia
	expect_status 0
	[ "$output" = 1 ]
	crm user add ann --groups support >/dev/null
	crm user add bob --groups Support,sales >/dev/null
	run crm group list
	expect_status 0
	[ "$output" = "$(printf 'id\tname\tdescription\tmanager\tmembers\n2\tsales\t\t\tbob\n1\tsupport\tFirst-line support\tmia\tann, bob')" ]
	run crm group show support
	expect_status 0
	[[ "$output" == *"Members"*"ann"*"bob"* ]]
	[ "$(crm group show support -F json | jq -r '.members | join(",")')" = ann,bob ]
	crm group edit support --description "Support desk"
	run crm group history support
	[[ "$output" == *"$(printf 'description\tFirst-line support\tSupport desk')"* ]]
	run -4 crm group add SUPPORT
	run -2 crm group add
}

@test "a group named by a user's groups is added once, as a record" {
	crm user add ann --groups ops >/dev/null
	crm user add bob --groups ops,field >/dev/null
	crm user edit ann --groups ops,night
	run crm group list --fields name,members
	[ "$output" = "$(printf 'name\tmembers\nfield\tbob\nnight\tann\nops\tann, bob')" ]
}

@test "a group's open tasks are in its show; a group given tasks is not removed" {
	crm user add ann --groups support >/dev/null
	crm task add Triage --assignee @support >/dev/null
	crm task add Done --assignee @support >/dev/null
	crm task done 2
	run crm group show support -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '[.tasks[].title] | join(",")')" = Triage ]
	run -4 crm group rm support
	crm task rm 1 2
	crm group rm support
	run -3 crm group show support
}

@test "a ticket may be given to a group record" {
	crm user add ann --groups support >/dev/null
	crm account add Acme >/dev/null
	crm ticket open Broken --account Acme --assign @support >/dev/null
	run crm ticket list --all --fields id,group
	[ "$output" = "$(printf 'id\tgroup\n1\tsupport')" ]
}
