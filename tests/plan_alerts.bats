#!/usr/bin/env bats
# Issue 11, points 6 and 8: crm alert run raises an alert, once per lateness, for a project's
# deliverable past its due day and not delivered, and for a milestone not reached by its date, to
# the project's manager; a template's alert rules (project_templates.<name>.alerts) add their
# own, to the manager, the item's owner or a role, after a delay. A milestone naming no task or
# deliverable is reached on its date, or when marked (reached_on).
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=boss CRM_NOW=2026-03-02T09:00:00Z
	export CRM_CONFIG="$BATS_TEST_TMPDIR/crm.yaml"
	cat > "$CRM_CONFIG" <<'EOF'
project_templates:
  site:
    tasks:
      - {key: build, title: Build, offset: +5d, assignee: ann}
    deliverables:
      - {key: mock, name: Mockups, offset: +3d, owner: ann}
    milestones:
      - {name: Done, offset: +6d, after: [build, mock]}
      - {name: Review, offset: +4d}
    alerts:
      - {when: late, item: task, after: 2d, notify: owner}
      - {item: deliverable, after: 1d, notify: "role:manager"}
      - {item: milestone}
EOF
	crm user add pm --roles manager --email pm@example.com > /dev/null
	crm user add ann --roles agent --email ann@example.com > /dev/null
	crm user add root2 --roles manager --email root2@example.com > /dev/null
	crm account add Acme > /dev/null
	crm project add Web --account Acme --manager pm --start 2026-03-02 --template site > /dev/null
}

alerts() {
	crm alert list --all --fields id,task,deliverable,milestone,title,due,rule,to -F csv | tail -n +2
}

@test "a late deliverable and a milestone not reached are alerted once, to the project's manager; template rules add theirs after their delay" {
	# due: the deliverable 03-05, the milestone without items 03-06, the task 03-07 (00:00), the milestone 03-08
	run -0 crm alert run --now 2026-03-05T12:00:00Z
	[ "$output" = "0 alerts raised" ]
	run -0 crm alert run --now 2026-03-06T08:00:00Z
	[ "$output" = "1 alert raised" ]   # the deliverable is late
	run -0 crm alert run --now 2026-03-06T09:00:00Z
	[ "$output" = "0 alerts raised" ]  # once
	run -0 crm alert run --now 2026-03-07T08:00:00Z
	[ "$output" = "2 alerts raised" ]  # the task (built-in); rule 2: the deliverable a day late, to the managers
	run -0 crm alert run --now 2026-03-08T12:00:00Z
	[ "$output" = "0 alerts raised" ]  # rule 1 waits two days; the milestone is due today
	run -0 crm alert run --now 2026-03-09T08:00:00Z
	[ "$output" = "3 alerts raised" ]  # the milestone (built-in and rule 3); rule 1: the task, to its assignee
	run -0 crm alert run --now 2026-03-20T12:00:00Z
	[ "$output" = "0 alerts raised" ]
	# the milestone without items was reached on its date: no alert
	[ "$(alerts)" = "$(printf '%s\n' '1,,1,,Mockups,2026-03-05,,pm' '2,1,,,Build,2026-03-07T00:00:00Z,,pm' \
		'3,,1,,Mockups,2026-03-05,site#2,"pm, root2"' '4,,,1,Done,2026-03-08,,pm' \
		'5,1,,,Build,2026-03-07T00:00:00Z,site#1,ann' '6,,,1,Done,2026-03-08,site#3,pm')" ]
	# the messages, one to each recipient with an address
	run -0 crm notify list --fields event,recipient,subject -F csv
	[ "${lines[1]}" = "plan-alert,pm@example.com,[crm deliverable #1] late: Mockups" ]
	[ "${lines[2]}" = "task-alert,pm@example.com,[crm task #1] overdue: Build" ]
	[ "${lines[3]}" = "plan-alert,pm@example.com,[crm deliverable #1] late: Mockups" ]
	[ "${lines[4]}" = "plan-alert,root2@example.com,[crm deliverable #1] late: Mockups" ]
	[ "${lines[5]}" = "plan-alert,pm@example.com,[crm milestone #1] not reached: Done" ]
	[ "${lines[6]}" = "plan-alert,ann@example.com,[crm task #1] late: Build" ]
	[ "${lines[7]}" = "plan-alert,pm@example.com,[crm milestone #1] not reached: Done" ]
	[ "${#lines[@]}" = 8 ]
	# the manager acknowledges one
	run -0 crm --as pm alert ack 1
}

@test "delivered, accepted or done in time: no alert; a due date moved on and missed again is another" {
	crm deliverable transition Mockups deliver > /dev/null 2>&1 || crm deliverable edit Mockups --status delivered > /dev/null
	crm task done Build > /dev/null
	run -0 crm alert run --now 2026-03-07T12:00:00Z
	[ "$output" = "0 alerts raised" ]
	# the milestone's items: the deliverable is delivered, not accepted: the milestone is late on 03-09
	run -0 crm alert run --now 2026-03-09T12:00:00Z
	[ "$output" = "2 alerts raised" ]
	crm milestone edit Done --due 2026-03-15 > /dev/null
	run -0 crm alert run --now 2026-03-16T12:00:00Z
	[ "$output" = "2 alerts raised" ]
	[ "$(alerts | cut -d, -f4,6,7)" = "$(printf '%s\n' '1,2026-03-08,' '1,2026-03-08,site#3' '1,2026-03-15,' '1,2026-03-15,site#3')" ]
}

@test "a milestone naming nothing is reached on its date, or when marked; one naming items, when they are finished or when marked" {
	crm project add Other --account Acme --manager pm > /dev/null
	crm milestone add Someday --project Other --due 2099-01-01 > /dev/null
	crm milestone add Past --project Other --due 2026-01-01 > /dev/null
	crm milestone add Undated --project Other > /dev/null
	run -0 crm milestone list project:Other --fields name,reached -F csv --no-headers
	[ "$(sort <<<"$output")" = "$(printf 'Past,1\nSomeday,0\nUndated,0')" ]
	crm milestone edit Someday --reached-on 2026-03-02 > /dev/null
	crm milestone edit Undated --reached-on today > /dev/null
	run -0 crm milestone list project:Other --fields name,reached,reached_on -F csv --no-headers
	[ "$(sort <<<"$output")" = "$(printf 'Past,1,\nSomeday,1,2026-03-02\nUndated,1,2026-03-02')" ]
	# the plan: the milestone without items is reached at --now on its date, late neither before nor after
	run -0 crm project plan Web --now 2026-03-05T12:00:00Z -F tsv --no-headers
	[ "$(grep '^milestone' <<<"$output" | cut -f3,6-8)" = "$(printf 'Review\t2026-03-06\topen\t0\nDone\t2026-03-08\topen\t0')" ]
	run -0 crm project plan Web --now 2026-03-06T12:00:00Z -F tsv --no-headers
	[ "$(grep '^milestone' <<<"$output" | cut -f3,7,8)" = "$(printf 'Review\treached\t0\nDone\topen\t0')" ]
	# a milestone with items, marked reached: reached, and no alert
	crm milestone edit Done --reached-on 2026-03-08 > /dev/null
	run -0 crm project plan Web --now 2026-03-10T12:00:00Z -F tsv --no-headers
	[ "$(grep '^milestone' <<<"$output" | cut -f3,7,8)" = "$(printf 'Review\treached\t0\nDone\treached\t0')" ]
	run -0 crm alert run --now 2026-03-10T12:00:00Z
	[ "$(alerts | grep -c ',Done,')" = 0 ]
}

@test "a milestone naming nothing is reached as of the command's clock (CRM_NOW, --now), in the column and the filter alike" {
	# the clock says 2 March: Review (due 6 March) is not reached yet, whatever the real date
	run -0 crm milestone list project:Web --fields name,due,reached -F csv --no-headers
	[ "$output" = "$(printf 'Review,2026-03-06,0\nDone,2026-03-08,0')" ]
	run -0 crm milestone list project:Web reached:yes --fields name -F csv --no-headers
	[ "$output" = "" ]
	run -0 crm project show Web
	[[ "$output" == *"Review  2026-03-06  no"* ]]
	# --now moves it: the column, the filter, show and export agree with crm project plan
	run -0 crm milestone list project:Web --now 2026-03-06 --fields name,reached -F csv --no-headers
	[ "$output" = "$(printf 'Review,1\nDone,0')" ]
	run -0 crm milestone list reached:yes --now 2026-03-06T12:00:00Z --fields name -F csv --no-headers
	[ "$output" = "Review" ]
	run -0 crm milestone list reached:no --now 2026-03-05 --fields name -F csv --no-headers
	[ "$output" = "$(printf 'Review\nDone')" ]
	run -0 crm milestone show Review --now 2026-03-07 -F json
	[[ "$output" == *'"reached": true'* ]]
	run -0 crm milestone export --now 2026-03-07 -F csv --fields name,reached
	[ "$output" = "$(printf 'name,reached\nReview,1\nDone,0')" ]
	run -0 crm project plan Web --now 2026-03-06 -F tsv --no-headers
	[ "$(grep '^milestone' <<<"$output" | cut -f3,7)" = "$(printf 'Review\treached\nDone\topen')" ]
	# CRM_NOW alone does the same
	CRM_NOW=2026-03-06T09:00:00Z run -0 crm milestone list reached:yes --fields name -F csv --no-headers
	[ "$output" = "Review" ]
	# a --now that is not a date: exit 2, said
	run -2 crm milestone list --now someday
	[[ "$output" == *"--now takes a date or time, not 'someday'"* ]]
}

@test "bad alert rules in a template: exit 78 naming the place, at load" {
	bad() {
		sed -i '/^    alerts:/,$d' "$CRM_CONFIG"
		printf '    alerts:\n      - %s\n' "$1" >> "$CRM_CONFIG"
		run -78 crm project list
		[[ "$output" == *"crm.yaml:"*"project_templates.site.alerts[1]: $2"* ]] || { echo "$output"; false; }
	}
	bad '{item: task, when: early}' "when: 'early' is not known (late)"
	bad '{item: invoice}' "item: 'invoice' is not task, deliverable or milestone"
	bad '{after: 2d}' "item: '' is not task, deliverable or milestone"
	bad '{item: task, after: soon}' "after: 'soon' is not a time (2d, 1w)"
	bad '{item: task, after: -2d}' "after: '-2d' is not a time (2d, 1w)"
	bad '{item: task, notify: everyone}' "notify: 'everyone' is not manager, owner or role:<role>"
	bad '{item: task, notify: "role:chief"}' "notify: no role 'chief' (roles)"
	bad 'late' "each alert rule is a map"
	sed -i '/^    alerts:/,$d' "$CRM_CONFIG"
	printf '    alerts: {item: task}\n' >> "$CRM_CONFIG"
	run -78 crm project list
	[[ "$output" == *"alerts is a list"* ]]
	sed -i '/^    alerts:/,$d' "$CRM_CONFIG"
	printf '    alerts:\n      - {item: task, sometime: now}\n' >> "$CRM_CONFIG"
	run -78 crm project list
	[[ "$output" == *"sometime"* ]]
	# a milestone naming an unknown item
	sed -i '/^    alerts:/,$d' "$CRM_CONFIG"
	sed -i 's/after: \[build, mock\]/after: [build, mockup]/' "$CRM_CONFIG"
	run -78 crm project list
	[[ "$output" == *"project_templates.site.milestones[1]: after: no task or deliverable with the key 'mockup'"* ]] || { echo "$output"; false; }
}
