#!/usr/bin/env bats
# Issue 11, point 2: a task that needs approval is approved or sent back by the manager of its
# project (workflow.task's `users: [project.manager]`) or by a role the configuration names
# (manager, admin); nobody else; the approver is in the history.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=boss
	crm user add pm --roles agent > /dev/null
	crm user add ag --roles agent > /dev/null
	crm user add meg --roles manager > /dev/null
	crm account add Acme > /dev/null
	crm project add Build --account Acme --manager pm > /dev/null
	crm task add Spec --project Build --assignee ag > /dev/null
	crm --as ag task transition 1 submit > /dev/null
}

status_of() {
	crm task show "$1" -F json | py -c 'import json,sys; print(json.load(sys.stdin)["status"])'
}

@test "the project's manager approves; the history records who did" {
	run -0 crm --as pm task transition 1 approve
	[ "$(status_of 1)" = done ]
	run -0 crm task history 1 -F csv
	[[ "${lines[-1]}" == *",pm,edit,status,approval,done,"* ]]
}

@test "anyone else is refused (5) and the task waits; the assignee cannot approve their own task" {
	run --separate-stderr crm --as ag task transition 1 approve
	expect_status 5
	[ "$stderr" = "crm: task 'Spec': transition 'approve' is for the roles manager, admin and the task's project.manager only (yours: agent)" ]
	run --separate-stderr crm --as ag task edit 1 --status done
	expect_status 5
	[ "$(status_of 1)" = approval ]
	# the manager of another project may not either
	crm user add other --roles agent > /dev/null
	crm project add Other --account Acme --manager other > /dev/null
	run --separate-stderr crm --as other task transition 1 approve
	expect_status 5
	[ "$(status_of 1)" = approval ]
}

@test "the project's manager sends it back; a role the configuration names may too" {
	run -0 crm --as pm task transition 1 reject
	[ "$(status_of 1)" = open ]
	crm --as ag task transition 1 submit > /dev/null
	run -0 crm --as meg task transition 1 approve
	[ "$(status_of 1)" = done ]
}

@test "transitions lists approve for the project's manager, not for the assignee, and names who may" {
	run -0 crm --as pm task transitions 1 -F csv
	[[ "$output" == *"approve,approval,done,\"manager, admin, project.manager\","* ]]
	run -0 crm --as ag task transitions 1 -F csv
	[[ "$output" != *approve* ]]
	[[ "$output" == *cancel* ]]
}

@test "a task without a project is approved by the roles only; moving it to another project moves who may" {
	crm task add Loose > /dev/null
	crm --as ag task transition 2 submit > /dev/null
	run --separate-stderr crm --as pm task transition 2 approve
	expect_status 5
	crm project add Next --account Acme --manager ag > /dev/null
	crm task edit 2 --project Next > /dev/null
	run --separate-stderr crm --as pm task transition 2 approve
	expect_status 5
	run -0 crm --as ag task transition 2 approve
	[ "$(status_of 2)" = done ]
}

@test "users: on a transition is trusted-only, and must be a path of references to a user" {
	printf 'workflow:\n  task:\n    transitions:\n      - {name: done, from: [open], to: done, users: [assignee]}\n' > "$BATS_TEST_TMPDIR/mine.yaml"
	CRM_CONFIG="$BATS_TEST_TMPDIR/mine.yaml" run --separate-stderr crm task list
	expect_status 78
	[[ "$stderr" == *"mine.yaml:"*"workflow.task"* ]]
	use_system_config <<'EOF'
workflow:
  task:
    statuses: [open, approval, done, cancelled]
    initial: open
    resolved: [done, cancelled]
    transitions:
      - {name: done, from: [open], to: done}
      - {name: submit, from: [open], to: approval}
      - {name: approve, from: [approval], to: done, users: [project.account, title]}
      - {name: cancel, from: [open, approval], to: cancelled}
      - {name: reopen, from: [done, cancelled], to: open}
EOF
	run --separate-stderr crm workflow check task
	expect_status 78
	[[ "$stderr" == *"transition 'approve': users names 'project.account', which is not a path of reference fields to a user (project.manager)"* ]]
	[[ "$stderr" == *"users names 'title'"* ]]
}
