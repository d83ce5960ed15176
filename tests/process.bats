#!/usr/bin/env bats
# Issue 11, points 5 and 4: task processes (processes.<name>: steps made one after another as
# each is done, once) and contact forms (forms.<name>: required fields of an activity, the
# follow-up tasks and process it brings).
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=boss CRM_NOW=2026-03-02T09:00:00Z
	export CRM_CONFIG="$BATS_TEST_TMPDIR/crm.yaml"
	cat > "$CRM_CONFIG" <<'EOF'
processes:
  onboarding:
    - {title: Kick-off call, offset: +1d, assignee: ann}
    - {title: Send contract, offset: +2d, role: manager, approval: yes}
    - {title: Welcome pack, offset: +1w, type: deadline, assignee: "@sales"}
forms:
  lead:
    fields: [contacts, result]
    follow_up:
      - {title: Send the quote, offset: +3d, assignee: ann}
      - {title: Call back}
    process: onboarding
  note:
    fields: [body]
EOF
	crm user add ann --roles agent > /dev/null
	crm user add meg --roles manager > /dev/null
	crm group add sales > /dev/null
	crm account add Acme > /dev/null
	crm contact add Bob Lee --account Acme > /dev/null
}

steps() {
	crm task list process:"$1" --fields step,title,status,due,assignee,group,approval --sort step -F csv
}

@test "process start makes step 1, linked; step 2 comes when it is done, once; step 3 after step 2" {
	run --separate-stderr crm process start onboarding --account Acme --contact "Bob Lee"
	expect_status 0
	[ "$output" = 1 ]
	[ "$stderr" = "step 1: task 1" ]
	run -0 crm task list --fields title,account,contacts,process,step -F csv
	[ "${lines[1]}" = "Kick-off call,Acme,Bob Lee,1,1" ]
	[ "${#lines[@]}" -eq 2 ]
	# done the next day: step 2 is due two days after that, given to the first manager
	CRM_NOW=2026-03-03T10:00:00Z run -0 crm task done 1
	run -0 steps 1
	[ "${lines[1]}" = "1,Kick-off call,done,2026-03-03T00:00:00Z,ann,," ]
	[ "${lines[2]}" = "2,Send contract,open,2026-03-05T00:00:00Z,meg,,1" ]
	[ "${#lines[@]}" -eq 3 ]
	# done again (refused), reopened and done again: still one step 2
	run crm task done 1
	expect_status 4
	run -0 crm task reopen 1
	run -0 crm task done 1
	run -0 steps 1
	[ "${#lines[@]}" -eq 3 ]
	run -0 crm task list step:2 -F csv --fields id
	[ "${#lines[@]}" -eq 2 ]
	# step 2 needs approval: done is refused, submit and approve by a manager brings step 3
	run --separate-stderr crm task done 2
	expect_status 4
	[ "$stderr" = "crm: task 2 needs approval: submit it, and an approver approves it" ]
	run -0 crm task transition 2 submit
	run -0 steps 1
	[ "${#lines[@]}" -eq 3 ]
	CRM_NOW=2026-03-06T08:00:00Z run -0 crm --as meg task transition 2 approve
	run -0 steps 1
	[ "${lines[3]}" = "3,Welcome pack,open,2026-03-13T00:00:00Z,,sales," ]
	[ "${#lines[@]}" -eq 4 ]
	run -0 crm task list step:3 --fields type -F csv
	[ "${lines[1]}" = deadline ]
	# the last step done: the run is done, and nothing more is made
	run -0 crm process list --fields id,name,status,step,steps -F csv
	[ "${lines[1]}" = "1,onboarding,running,3,3" ]
	run -0 crm task done 3
	run -0 crm process list --fields id,name,status,step,steps -F csv
	[ "${lines[1]}" = "1,onboarding,done,3,3" ]
	run -0 crm task list -F csv --fields id
	[ "${#lines[@]}" -eq 4 ]
}

@test "process show lists the run's steps and their statuses" {
	run -0 crm process start onboarding --account Acme
	run -0 crm task done 1
	run -0 crm process show 1
	[[ "$output" == *"name                onboarding"* ]]
	[[ "$output" == *"status              running"* ]]
	[[ "$output" == *$'Steps\nid  step  title          status'* ]]
	[[ "$output" == *$'\n1   1     Kick-off call  done '* ]]
	[[ "$output" == *$'\n2   2     Send contract  open '* ]]
	run -0 crm process show 1 -F json
	py -c 'import json,sys; d=json.load(sys.stdin); assert [s["title"] for s in d["steps"]] == ["Kick-off call", "Send contract"], d' <<<"$output"
}

@test "--now sets when the run starts: step 1 is due its offset after it" {
	run -0 crm process start onboarding --now 2026-04-10T12:00:00Z
	run -0 crm task list --fields due -F csv
	[ "${lines[1]}" = "2026-04-11T00:00:00Z" ]
	run -0 crm process list --fields created -F csv
	[ "${lines[1]}" = "2026-04-10T12:00:00Z" ]
}

@test "an unknown process is not found (3), a bad reference too; nothing written" {
	run --separate-stderr crm process start nope --account Acme
	expect_status 3
	[ "$stderr" = "crm: no process 'nope' in the configuration (processes.nope)" ]
	run --separate-stderr crm process start onboarding --account Nobody
	expect_status 3
	run -0 crm process list -F csv --fields id
	[ "${#lines[@]}" -eq 1 ]
	run -0 crm task list -F csv --fields id
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr crm process show 9
	expect_status 3
	# a process is started, never added or removed by hand
	run crm process add --name x
	[ "$status" -ne 0 ]
	run crm process rm 1
	[ "$status" -ne 0 ]
}

@test "a form's required fields: refused with 6 naming the missing ones, nothing written" {
	run --separate-stderr crm activity log "First call" --type call --account Acme --form lead
	expect_status 6
	[ "$stderr" = "crm: form 'lead': missing contacts, result (the form needs them); nothing written" ]
	run --separate-stderr crm activity log "First call" --type call --contact "Bob Lee" --form lead
	expect_status 6
	[ "$stderr" = "crm: form 'lead': missing result (the form needs it); nothing written" ]
	run -0 crm activity list -F csv --fields id
	[ "${#lines[@]}" -eq 1 ]
	run -0 crm task list -F csv --fields id
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr crm activity log x --type note --form nope
	expect_status 3
	[ "$stderr" = "crm: no form 'nope' in the configuration (forms.nope)" ]
}

@test "a form brings its follow-ups and starts its process, linked to the activity" {
	run --separate-stderr crm activity log "First call" --type call --contact "Bob Lee" --account Acme \
		--result interested --form lead
	expect_status 0
	[ "$output" = 1 ]
	[ "$stderr" = "form lead: 3 tasks" ]
	run -0 crm task list --fields title,due,assignee,activity,account,contacts,process,step --sort id -F csv
	[ "${lines[1]}" = "Send the quote,2026-03-05T00:00:00Z,ann,First call,Acme,Bob Lee,," ]
	[ "${lines[2]}" = "Call back,2026-03-02T00:00:00Z,boss,First call,Acme,Bob Lee,," ]
	[ "${lines[3]}" = "Kick-off call,2026-03-03T00:00:00Z,ann,First call,Acme,Bob Lee,1,1" ]
	[ "${#lines[@]}" -eq 4 ]
	run -0 crm process list --fields name,activity,account,contact -F csv
	[ "${lines[1]}" = "onboarding,1,1,1" ]
	# with --follow-up too, and a form with no follow-ups of its own
	run -0 crm activity log "Noted" --type note --body "hello" --form note --follow-up +1d "Reply"
	run -0 crm task list activity:2 --fields title -F csv
	[ "${lines[1]}" = Reply ]
	[ "${#lines[@]}" -eq 2 ]
}

bad_config() {
	printf '%s\n' "$@" > "$BATS_TEST_TMPDIR/bad.yaml"
	CRM_CONFIG="$BATS_TEST_TMPDIR/bad.yaml" run --separate-stderr crm process list
	expect_status 78
}

@test "bad configuration: exit 78 naming file:line" {
	local f="$BATS_TEST_TMPDIR/bad.yaml"
	bad_config 'processes:' '  p:' '    - {title: A}' '    - {offset: +1d}'
	[ "$stderr" = "crm: $f:4:7: processes.p[2]: a step needs a title (see crm-config(5))" ]
	bad_config 'processes:' '  p:' '    - {title: A, offset: soon}'
	[ "$stderr" = "crm: $f:3:26: processes.p[1]: offset 'soon' is not a signed date offset (+2d, +1w, +3h) (see crm-config(5))" ]
	bad_config 'processes:' '  p:' '    - {title: A, role: king}'
	[ "$stderr" = "crm: $f:3:24: processes.p[1]: no role 'king' in roles (see crm-config(5))" ]
	bad_config 'processes:' '  p:' '    - {title: A, owner: x}'
	[ "$stderr" = "crm: $f:3:18: unknown setting 'processes.p.owner' (see crm-config(5))" ]
	bad_config 'processes:' '  p:' '    - {title: A, approval: maybe}'
	[[ "$stderr" == "crm: $f:3:"*"approval is yes or no"* ]]
	bad_config 'processes:' '  p: []'
	[[ "$stderr" == "crm: $f:2:"*"a process is a list of steps"* ]]
	bad_config 'forms:' '  f:' '    process: zz'
	[ "$stderr" = "crm: $f:3:14: forms.f: no process 'zz' in processes (see crm-config(5))" ]
	bad_config 'forms:' '  f:' '    follow_up:' '      - {offset: +1d}'
	[[ "$stderr" == "crm: $f:4:"*"forms.f.follow_up[1]: a step needs a title"* ]]
	bad_config 'forms:' '  f:' '    fields: [a]' '    folow_up: []'
	[[ "$stderr" == *"unknown setting 'forms.f.folow_up'; did you mean 'follow_up'?"* ]]
}

@test "completion offers the configured processes and forms, and records for start's links" {
	run -0 crm __complete process start on
	[ "$output" = onboarding ]
	run -0 crm __complete activity log x --form ''
	[ "${lines[*]}" = "lead note" ]
	run -0 crm __complete process start onboarding --account A
	[ "$output" = Acme ]
}
