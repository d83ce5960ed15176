#!/usr/bin/env bats
# crm task and crm event: tasks and events as one kind served by the record engine (add, list,
# show, edit, rm, history, import, export), their status through workflow.task, assignees that
# are users or @groups, and the bad input that writes nothing.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	# the built-in roles, whatever a system file of this machine (/etc/crm) says
	use_system_config </dev/null
	export CRM_USER=tester
	export CRM_NOW=2026-12-01T09:00:00Z
	export TZ=UTC
}

teardown() {
	crm_test_cleanup
}

seed() {
	crm user add ann --roles agent --groups support >/dev/null
	crm user add bob --roles agent --groups support,sales >/dev/null
	crm user add mia --roles manager >/dev/null
	crm account add Acme >/dev/null
	crm contact add "Jo Doe" --account Acme --email jo@acme.example >/dev/null
	crm project add Apollo --account Acme --manager mia >/dev/null
}

# A field from the json of show; arrays joined by ", ".
tj() {
	crm task show "$1" -F json | jq -r ".$2 | if type == \"array\" then join(\", \") elif . == null then \"\" else tostring end"
}

@test "task add prints its number, starts open, and takes every link" {
	seed
	run --separate-stderr crm task add Send the quote --assignee ann --due 2026-12-04 --start 2026-12-02 \
		--account Acme --contact jo@acme.example --project Apollo --priority high
	expect_status 0
	[ "$output" = 1 ]
	[ -z "$stderr" ]
	[ "$(tj 1 title)" = "Send the quote" ]
	[ "$(tj 1 type)" = task ]
	[ "$(tj 1 status)" = open ]
	[ "$(tj 1 assignee)" = ann ]
	[ "$(tj 1 due)" = 2026-12-04T00:00:00Z ]
	[ "$(tj 1 contacts)" = "Jo Doe" ]
	[ "$(tj 1 project)" = Apollo ]
	[ "$(tj 1 open)" = true ]
}

@test "task list filters like every list: assignee, open, due.before, type" {
	seed
	crm task add A --assignee ann --due 2026-12-02 >/dev/null
	crm task add B --assignee bob --due 2026-12-10 >/dev/null
	crm task add C --assignee ann --due 2026-12-20 --type call >/dev/null
	run crm task list assignee:ann --fields id,title
	expect_status 0
	[ "$output" = "$(printf 'id\ttitle\n1\tA\n3\tC')" ]
	run crm task list due.before:2026-12-15 --fields title
	[ "$output" = "$(printf 'title\nA\nB')" ]
	run crm task list type:call --fields title
	[ "$output" = "$(printf 'title\nC')" ]
	crm task done 1
	run crm task list open:yes --fields title
	[ "$output" = "$(printf 'title\nB\nC')" ]
}

@test "task assignee is a user or @group; setting one empties the other" {
	seed
	crm task add Triage --assignee @support >/dev/null
	[ "$(tj 1 group)" = support ]
	[ "$(tj 1 assignee)" = "" ]
	crm task edit 1 --assignee bob
	[ "$(tj 1 assignee)" = bob ]
	[ "$(tj 1 group)" = "" ]
	crm task edit 1 --assignee @sales
	[ "$(tj 1 group)" = sales ]
	[ "$(tj 1 assignee)" = "" ]
	run crm task list group:sales --fields id
	[ "$output" = "$(printf 'id\n1')" ]
}

@test "task bad input: unknown assignee or group, due or end before start, bad type: exit 6, nothing written" {
	seed
	run -6 crm task add X --assignee zed
	[ "$output" = "crm: assignee: no user 'zed'" ]
	run -6 crm task add X --assignee @nogroup
	[ "$output" = "crm: assignee: no group 'nogroup'" ]
	run -6 crm task add X --start 2026-12-05 --due 2026-12-04
	[ "$output" = "crm: due 2026-12-04T00:00:00Z is before its start 2026-12-05T00:00:00Z" ]
	run -6 crm task add X --start 2026-12-05T10:00 --end 2026-12-05T09:00
	[[ "$output" == *"end 2026-12-05T09:00:00Z is before its start"* ]]
	run -6 crm task add X --type party
	[[ "$output" == *"party"* ]]
	run -2 crm task add
	run crm task list
	expect_status 0
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ] # the header alone
	crm task add Y --start 2026-12-05 >/dev/null
	run -6 crm task edit Y --due 2026-12-01
	[ "$(tj Y due)" = "" ]
	run -6 crm task edit Y --assignee nobody
	[ "$(tj Y assignee)" = "" ]
}

@test "task status moves through workflow.task: done, cancel, reopen, submit and approval" {
	seed
	crm task add A >/dev/null
	run crm task transitions 1
	expect_status 0
	[ "$(printf '%s\n' "$output" | cut -f1,3)" = "$(printf 'name\tto\ndone\tdone\nsubmit\tapproval\ncancel\tcancelled\nwait\twaiting')" ]
	crm task done 1
	[ "$(tj 1 status)" = done ]
	run -4 crm task done 1
	[[ "$output" == *"cannot"* ]]
	crm task reopen 1
	[ "$(tj 1 status)" = open ]
	crm task cancel 1 -m "not needed"
	[ "$(tj 1 status)" = cancelled ]
	crm task add B >/dev/null
	crm task transition B submit
	[ "$(tj B status)" = approval ]
	# approving is for managers and admins (the workflow's roles): ann, an agent, may not
	run -5 crm --as ann task transition B approve
	[ "$(tj B status)" = approval ]
	crm --as mia task transition B approve
	[ "$(tj B status)" = done ]
	run -6 crm task edit A --status dreaming
	run -4 crm task edit A --status approve
}

@test "task show lists transitions and history; history records every change" {
	seed
	crm task add A --assignee ann >/dev/null
	crm task edit 1 --priority low
	crm task done 1
	run crm task show 1
	expect_status 0
	[[ "$output" == *"Transitions you may take"*"reopen"* ]]
	[[ "$output" == *"History"*"priority"*"low"* ]]
	run crm task history 1
	[[ "$output" == *"$(printf 'edit\tstatus\topen\tdone')"* ]]
	[ "$(crm task show 1 -F json | jq -r '.transitions[0].name')" = reopen ]
}

@test "task export and import round-trip; an import moves status only along the workflow" {
	seed
	crm task add A --assignee ann --due 2026-12-04 --contact jo@acme.example >/dev/null
	crm task add B --assignee @support >/dev/null
	crm task export -o "$BATS_TEST_TMPDIR/t.csv"
	head -1 "$BATS_TEST_TMPDIR/t.csv" | grep -q '^id,title,type,status,priority,start,end,due,all_day,assignee,group,account,contacts'
	sed -i '1s/^id,//; 2,$s/^[0-9]*,//' "$BATS_TEST_TMPDIR/t.csv"
	run crm task import "$BATS_TEST_TMPDIR/t.csv" --mode create
	expect_status 0
	[ "$(tj 3 title)" = A ]
	[ "$(tj 3 assignee)" = ann ]
	[ "$(tj 3 contacts)" = "Jo Doe" ]
	[ "$(tj 4 group)" = support ]
	printf 'title,assignee\nC,zed\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run -6 crm task import "$BATS_TEST_TMPDIR/bad.csv" --mode create
	[[ "$output" == *"zed"* ]]
	run crm task list title:C
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	printf 'id,status\n3,approval\n' > "$BATS_TEST_TMPDIR/st.csv"
	run crm task import "$BATS_TEST_TMPDIR/st.csv" --mode update
	expect_status 0
	[ "$(tj 3 status)" = approval ]
}

@test "task rm, and what refers to a task or is referred to by one" {
	seed
	crm task add A --account Acme --project Apollo >/dev/null
	run -4 crm project rm Apollo
	[[ "$output" == *"task"* ]]
	crm task rm 1
	run -3 crm task show 1
	run crm task history 1
	[[ "$output" == *"$(printf 'root\trm')"* || "$output" == *"$(printf 'tester\trm')"* ]]
}

@test "event add makes an event unless --type says otherwise; event list leaves plain tasks out" {
	seed
	crm task add Plain >/dev/null
	run crm event add Kick-off --start 2026-12-02T14:00 --end 2026-12-02T15:00 --contact jo@acme.example
	expect_status 0
	[ "$output" = 2 ]
	crm event add Call Acme --type call --start tomorrow >/dev/null
	[ "$(tj 2 type)" = event ]
	[ "$(tj 3 type)" = call ]
	[ "$(tj 3 start)" = 2026-12-02T00:00:00Z ]
	run crm event list --fields id,title,type
	expect_status 0
	[ "$output" = "$(printf 'id\ttitle\ttype\n2\tKick-off\tevent\n3\tCall Acme\tcall')" ]
	run crm event list type:task --fields title
	[ "$output" = "$(printf 'title\nPlain')" ]
	run crm event show 2 -F json
	[ "$(echo "$output" | jq -r .title)" = Kick-off ]
	run -6 crm event add Late --start 2026-12-03 --end 2026-12-02
}

@test "task permissions: a viewer may not add; an agent may" {
	seed
	crm user add vic --roles viewer >/dev/null
	run -5 crm --as vic task add X
	run crm --as ann task add X
	expect_status 0
	run -5 crm --as vic task done 1
	crm --as ann task done 1
}

@test "account, contact and project show list their open tasks" {
	seed
	crm task add Call --account Acme --contact jo@acme.example --project Apollo --due 2026-12-03 --assignee ann >/dev/null
	crm task add Old --account Acme --contact jo@acme.example --project Apollo >/dev/null
	crm task done 2
	[ "$(crm account show Acme -F json | jq -r '[.tasks[].title] | join(",")')" = Call ]
	[ "$(crm contact show jo@acme.example -F json | jq -r '[.tasks[].title] | join(",")')" = Call ]
	[ "$(crm project show Apollo -F json | jq -r '[.tasks[].title] | join(",")')" = Call ]
	run crm account show Acme
	expect_status 0
	[[ "$output" == *"Open tasks"*"Call"*"2026-12-03"*"ann"* ]]
	[[ "$output" != *"Old"* ]]
}

@test "task --repeat: RRULE or friendly forms through libical; a bad rule exits 6, nothing written" {
	seed
	crm task add Standup --due 2026-12-07T09:00 --repeat 'FREQ=WEEKLY;BYDAY=MO' >/dev/null
	crm task add Fort --due 2026-12-02 --repeat 'every 2 weeks' >/dev/null
	crm task add Daily --due 2026-12-02 --repeat daily >/dev/null
	crm task add Monthly --due 2026-12-02 --repeat monthly >/dev/null
	run crm task list --fields title,repeat
	[ "$output" = "$(printf 'title\trepeat\nStandup\tFREQ=WEEKLY;BYDAY=MO\nFort\tFREQ=WEEKLY;INTERVAL=2\nDaily\tFREQ=DAILY\nMonthly\tFREQ=MONTHLY')" ]
	run -6 crm task add Bad --repeat 'FREQ=SOMETIMES'
	[[ "$output" == "crm: repeat: 'FREQ=SOMETIMES' is not a recurrence rule"* ]]
	run -6 crm task add Bad --repeat 'every blue moon'
	run -6 crm task edit Standup --repeat 'FREQ=WEEKLY;BYDAY=XX'
	[ "$(tj Standup repeat)" = "FREQ=WEEKLY;BYDAY=MO" ]
	[ "$(crm task list title:Bad | wc -l)" -eq 1 ]
}

@test "task show lists the next occurrences; completing one makes the next, once" {
	seed
	crm task add Standup --due 2026-12-07T09:00 --repeat 'FREQ=WEEKLY;BYDAY=MO' --assignee @support \
		--account Acme --contact jo@acme.example >/dev/null
	run crm task show 1 -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '[.occurrences[].due] | join(" ")')" = \
	  "2026-12-14T09:00:00Z 2026-12-21T09:00:00Z 2026-12-28T09:00:00Z 2027-01-04T09:00:00Z 2027-01-11T09:00:00Z" ]
	crm task done 1
	run crm task list --fields id,title,due,status,group,contacts,series
	[ "$output" = "$(printf 'id\ttitle\tdue\tstatus\tgroup\tcontacts\tseries\n1\tStandup\t2026-12-07T09:00:00Z\tdone\tsupport\tJo Doe\t\n2\tStandup\t2026-12-14T09:00:00Z\topen\tsupport\tJo Doe\t1')" ]
	# done again (after a reopen) does not make a second next occurrence
	run -4 crm task done 1
	crm task reopen 1
	crm task done 1
	[ "$(crm task list title:Standup --fields id | wc -l)" -eq 3 ]
	# the next one follows the series' rule from its first task
	crm task done 2
	[ "$(tj 3 due)" = 2026-12-21T09:00:00Z ]
	[ "$(tj 3 series)" = 1 ]
	# a rule that ends: the last occurrence makes none
	crm task add Twice --due 2026-12-02 --repeat 'FREQ=DAILY;COUNT=2' >/dev/null
	crm task done Twice
	[ "$(tj 5 due)" = 2026-12-03T00:00:00Z ]
	crm task done 5
	[ "$(crm task list title:Twice --fields id | wc -l)" -eq 3 ]
	run crm task show 5 -F json
	[ "$(echo "$output" | jq '.occurrences | length')" -eq 0 ]
}

@test "a repeating task recurs on the user's clock: 09:00 in Bucharest before and after summer time ends" {
	export TZ=Europe/Bucharest
	crm user add ann --roles agent >/dev/null
	# Monday 19 October 2026, 09:00 in Bucharest (06:00 UTC); summer time ends on the 25th
	crm task add Standup --assignee ann --due 2026-10-19T09:00 --repeat weekly >/dev/null
	run crm task show 1 -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '.due + " " + ([.occurrences[].due] | join(" "))')" = \
	  "2026-10-19T06:00:00Z 2026-10-26T07:00:00Z 2026-11-02T07:00:00Z 2026-11-09T07:00:00Z 2026-11-16T07:00:00Z 2026-11-23T07:00:00Z" ]
	crm task done 1
	[ "$(tj 2 due)" = 2026-10-26T07:00:00Z ]
	# the calendar shows both at 09:00, the week before the change and the week after
	COLUMNS=120 run crm calendar --week 2026-10-19 --user ann --now 2026-10-20T10:00
	expect_status 0
	[[ "$output" == *"|Mon 10-19 "* && "$output" == *"|09:00 Standup "* ]]
	COLUMNS=120 run crm calendar --week 2026-10-26 --user ann --now 2026-10-27T10:00
	expect_status 0
	[[ "$output" == *"|Mon 10-26 "* && "$output" == *"|09:00 Standup "* ]]
	# a zone written as a POSIX rule, which libical cannot name: the C library's clock, the same times
	TZ='EET-2EEST,M3.5.0/3,M10.5.0/4' run crm task show 1 -F json
	[ "$(echo "$output" | jq -r '.occurrences[0].due')" = 2026-10-26T07:00:00Z ]
	# in UTC there is no summer time to follow: a week is a week
	TZ=UTC crm task add Sync --due 2026-10-19T06:00 --repeat weekly >/dev/null
	[ "$(TZ=UTC crm task show Sync -F json | jq -r '.occurrences[0].due')" = 2026-10-26T06:00:00Z ]
	# a bad rule is still refused, nothing written
	run -6 crm task add Bad --due 2026-10-19T09:00 --repeat 'FREQ=WEEKLY;BYDAY=XX'
	[ "$(crm task list --fields id | wc -l)" -eq 4 ]
}
