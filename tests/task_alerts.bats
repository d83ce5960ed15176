#!/usr/bin/env bats
# Issue 11, point 8: crm alert run raises an alert, once per lateness, for an open task past its
# due time, to its project's manager, else its assignee's (or its group's) manager, and queues
# the message; done tasks, and tasks not yet due, are left alone.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=boss CRM_NOW=2026-03-02T09:00:00Z
	crm user add pm --roles agent --email pm@example.com > /dev/null
	crm user add lead --roles manager --email lead@example.com > /dev/null
	crm user add ag --roles agent --manager lead --email ag@example.com > /dev/null
	crm account add Acme > /dev/null
	crm project add Build --account Acme --manager pm > /dev/null
	crm task add Spec --project Build --assignee ag --due 2026-03-03 > /dev/null
	crm task add Invoice --assignee ag --due 2026-03-04T12:00:00Z > /dev/null
	crm task add Filed --assignee ag --due 2026-03-03 > /dev/null
	crm task done 3 > /dev/null
}

alerts() {
	crm alert list --all --fields id,task,title,due,to -F csv | tail -n +2
}

@test "an overdue task is alerted once: its project's manager, else the assignee's; not before it is due, not when done" {
	run -0 crm alert run --now 2026-03-02T23:00:00Z
	[ "$output" = "0 alerts raised" ]
	run -0 crm alert run --now 2026-03-03T08:00:00Z
	[ "$output" = "1 alert raised" ]
	run -0 crm alert run --now 2026-03-05T08:00:00Z
	[ "$output" = "1 alert raised" ]
	run -0 crm alert run --now 2026-03-06T08:00:00Z
	[ "$output" = "0 alerts raised" ]
	[ "$(alerts)" = "$(printf '1,1,Spec,2026-03-03T00:00:00Z,pm\n2,2,Invoice,2026-03-04T12:00:00Z,lead')" ]
	# the messages, one to each
	run -0 crm notify list --fields event,recipient,subject -F csv
	[ "${lines[1]}" = "task-alert,pm@example.com,[crm task #1] overdue: Spec" ]
	[ "${lines[2]}" = "task-alert,lead@example.com,[crm task #2] overdue: Invoice" ]
	[ "${#lines[@]}" = 3 ]
	# the manager acknowledges theirs
	run -0 crm --as pm alert list --mine --fields task -F csv
	[ "$output" = "$(printf 'task\n1')" ]
	run -0 crm --as pm alert ack 1
	[ "$(crm alert list --fields task -F csv | tail -n +2)" = 2 ]
}

@test "a due time moved on and missed again is another alert; done in time, none" {
	crm alert run --now 2026-03-03T08:00:00Z > /dev/null
	crm task edit 1 --due 2026-03-10 > /dev/null
	run -0 crm alert run --now 2026-03-09T08:00:00Z
	[ "$output" = "1 alert raised" ]   # Invoice's
	run -0 crm alert run --now 2026-03-10T08:00:00Z
	[ "$output" = "1 alert raised" ]   # Spec's new due time
	[ "$(alerts | cut -d, -f2,4 | tr '\n' ' ')" = "1,2026-03-03T00:00:00Z 2,2026-03-04T12:00:00Z 1,2026-03-10T00:00:00Z " ]
	crm task done 1 > /dev/null
	crm task edit 1 --due 2026-03-20 > /dev/null
	run -0 crm alert run --now 2026-03-21T08:00:00Z
	[ "$output" = "0 alerts raised" ]
}

@test "a group's task goes to the group's manager; with alerts.to: role, to the role's holders" {
	crm group add support --manager lead > /dev/null
	crm task add Queue --assignee @support --due 2026-03-03 > /dev/null
	crm task rm 1 2 > /dev/null
	run -0 crm alert run --now 2026-03-04T08:00:00Z
	[ "$output" = "1 alert raised" ]
	[ "$(alerts)" = "1,4,Queue,2026-03-03T00:00:00Z,lead" ]
	printf 'alerts:\n  to: role\n  role: admin\n' > "$BATS_TEST_TMPDIR/c.yaml"
	crm task add Late --project Build --due 2026-03-03 > /dev/null
	CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" run -0 crm alert run --now 2026-03-04T08:00:00Z
	# the admins (boss, and the login that made the database), not the project's manager
	[[ "$(alerts | tail -1)" == "2,5,Late,2026-03-03T00:00:00Z,"*boss* ]]
	[[ "$(alerts | tail -1)" != *pm* ]]
}
