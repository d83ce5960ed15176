#!/usr/bin/env bats
# Issue 11, point 4: crm activity log … --follow-up WHEN [TITLE] writes the activity and a task
# to follow it up, together or not at all.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester CRM_NOW=2026-03-02T09:00:00Z
	crm account add Acme > /dev/null
	crm contact add Ann Lee --email ann@acme.example --account Acme > /dev/null
	crm project add Apollo --account Acme > /dev/null
}

@test "--follow-up makes a task due then, mine, about what the activity was about, linked to it" {
	run --separate-stderr crm activity log "Called Ann" --type call --contact ann@acme.example --project Apollo \
		--follow-up +3d "Send the quote"
	expect_status 0
	[ "$output" = 1 ]
	[ "$stderr" = "follow-up: task 1" ]
	run -0 crm task list --fields title,due,assignee,account,contacts,project,activity,status -F csv
	[ "${lines[1]}" = "Send the quote,2026-03-05T00:00:00Z,tester,Acme,Ann Lee,Apollo,Called Ann,open" ]
	run -0 crm activity show 1
	[[ "$output" == *$'Follow-ups\nid  title           type  status'*$'\n1   Send the quote  task  open '* ]]
	# -q keeps standard error quiet; the number is still printed
	run --separate-stderr crm -q activity log "Met Ann" --type meeting --contact ann@acme.example --follow-up friday
	expect_status 0
	[ "$output" = 2 ]
	[ -z "$stderr" ]
}

@test "without a title the task is 'Follow up: <summary>'; with one, an unquoted summary keeps its words" {
	run -0 crm activity log "Quarterly review" --type meeting --account Acme --follow-up 2026-03-10
	run -0 crm activity log Called Bob --type call --account Acme --follow-up +1w "Call back"
	run -0 crm task list --fields id,title,due,activity -F csv --sort id
	[ "${lines[1]}" = "1,Follow up: Quarterly review,2026-03-10T00:00:00Z,Quarterly review" ]
	[ "${lines[2]}" = "2,Call back,2026-03-09T00:00:00Z,Called Bob" ]
	# a project it shares with others is not guessed
	crm project add Zeus --account Acme > /dev/null
	run -0 crm activity log Both --type note --project Apollo --project Zeus --follow-up +1d
	[ "$(crm task show 3 -F json | py -c 'import json,sys; print(json.load(sys.stdin).get("project"))')" = None ]
}

@test "a follow-up that cannot be made writes neither it nor the activity" {
	run --separate-stderr crm activity log "Called Ann" --type call --contact ann@acme.example --follow-up nonsense "X"
	expect_status 6
	[ "$stderr" = "crm: follow-up: due: invalid date 'nonsense'" ]
	[ "$(db_sql "SELECT count(*) FROM activities")" = 0 ]
	[ "$(db_sql "SELECT count(*) FROM tasks")" = 0 ]
	[ "$(db_sql "SELECT count(*) FROM history WHERE kind IN ('activity', 'task')")" = 0 ]
	run --separate-stderr crm activity log "Called Ann" --type call --follow-up
	expect_status 2
}
