#!/usr/bin/env bats
# Issue 11, point 6: project templates (project_templates.<name>: tasks with offsets and
# dependencies, deliverables, milestones) and plans: crm project add --template makes the plan in
# one transaction, a task waits until its predecessors are done, crm project plan shows tasks,
# deliverables, milestones, progress and what is late; deliverables and milestones are kinds.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=boss CRM_NOW=2026-03-02T09:00:00Z
	export CRM_CONFIG="$BATS_TEST_TMPDIR/crm.yaml"
	cat > "$CRM_CONFIG" <<'EOF'
project_templates:
  website:
    description: a web site in five weeks
    tasks:
      - {key: kickoff, title: Kick-off meeting, offset: +1d, assignee: ann, type: meeting}
      - {key: design, title: Design, offset: +10d, role: manager, after: kickoff}
      - {key: build, title: Build, offset: +25d, assignee: ann, after: [design]}
      - {key: test, title: Test, offset: +30d, assignee: ann, after: [build, content], approval: yes}
      - {key: content, title: Write content, offset: +20d, assignee: "@writers", after: kickoff}
    deliverables:
      - {key: mockups, name: Mockups, offset: +12d, owner: ann}
      - {key: site, name: Live site, offset: +35d, owner: meg}
    milestones:
      - {name: Design approved, offset: +12d, after: [design, mockups]}
      - {name: Launch, offset: +35d, after: [test, site]}
  small:
    tasks:
      - {title: Just do it}
EOF
	crm user add ann --roles agent > /dev/null
	crm user add meg --roles manager > /dev/null
	crm group add writers > /dev/null
	crm account add Acme > /dev/null
}

plan() {
	crm project plan "$@" -F tsv --no-headers
}

nothing_written() {
	run -0 crm project list -F tsv --no-headers
	[ -z "$output" ]
	run -0 crm task list -F tsv --no-headers
	[ -z "$output" ]
	run -0 crm deliverable list -F tsv --no-headers
	[ -z "$output" ]
	run -0 crm milestone list -F tsv --no-headers
	[ -z "$output" ]
}

@test "project add --template makes the project and its whole plan, due from --start, waiting on predecessors" {
	run --separate-stderr crm project add Web --account Acme --template website --start 2026-04-01
	expect_status 0
	[ "$output" = 1 ]
	run -0 crm project show Web -F json
	[ "$(py -c 'import json,sys; d=json.load(sys.stdin); print(d["template"], d["start"], len(d["deliverables"]), len(d["milestones"]))' <<<"$output")" = "website 2026-04-01 2 2" ]
	# tasks in an order where each comes after what it waits for; the design goes to the manager
	run -0 crm task list --fields id,title,type,status,due,assignee,group,approval,after,project --sort id -F csv
	[ "${lines[1]}" = "1,Kick-off meeting,meeting,open,2026-04-02T00:00:00Z,ann,,,,Web" ]
	[ "${lines[2]}" = "2,Design,task,waiting,2026-04-11T00:00:00Z,meg,,,Kick-off meeting,Web" ]
	[ "${lines[3]}" = "3,Build,task,waiting,2026-04-26T00:00:00Z,ann,,,Design,Web" ]
	[ "${lines[4]}" = "4,Write content,task,waiting,2026-04-21T00:00:00Z,,writers,,Kick-off meeting,Web" ]
	[ "${lines[5]}" = '5,Test,task,waiting,2026-05-01T00:00:00Z,ann,,1,"Build, Write content",Web' ]
	[ "${#lines[@]}" -eq 6 ]
	run -0 crm deliverable list --fields id,name,project,status,due,owner -F csv
	[ "${lines[1]}" = "1,Mockups,Web,planned,2026-04-13,ann" ]
	[ "${lines[2]}" = "2,Live site,Web,planned,2026-05-06,meg" ]
	run -0 crm milestone list --fields id,name,due,tasks,deliverables,reached -F csv
	[ "${lines[1]}" = "1,Design approved,2026-04-13,Design,Mockups,0" ]
	[ "${lines[2]}" = "2,Launch,2026-05-06,Test,Live site,0" ]
}

@test "without --start the plan counts from today, which becomes the project's start" {
	run -0 crm project add Small --template small
	run -0 crm project list --fields name,start,template -F csv
	[ "${lines[1]}" = "Small,2026-03-02,small" ]
	run -0 crm task list --fields title,status,due,project -F csv
	[ "${lines[1]}" = "Just do it,open,,Small" ]
	# a plain add makes no plan
	run -0 crm project add Plain
	run -0 crm project list name:Plain --fields start,template -F csv
	[ "${lines[1]}" = "," ]
}

@test "a task done releases those waiting for it once all their predecessors are finished; waiting ones cannot be done" {
	crm project add Web --template website --start 2026-04-01 > /dev/null
	run crm task done 2
	expect_status 4
	[[ "$output" == *"cannot go from 'waiting' to 'done'"* ]]
	run -0 crm task done 1
	run -0 crm task list --fields id,status --sort id -F csv
	[ "$(tr '\n' ' ' <<<"$output")" = "id,status 1,done 2,open 3,waiting 4,open 5,waiting " ]
	run -0 crm task done 2
	run -0 crm task done 3
	# test waits for build (done) and content (open): still waiting
	run -0 crm task list id:5 --fields status -F csv --no-headers
	[ "$output" = waiting ]
	# a cancelled predecessor does not hold it up any more
	run -0 crm task cancel 4
	run -0 crm task list id:5 --fields status -F csv --no-headers
	[ "$output" = open ]
	# the release is a transition of the one workflow, in the task's history
	run -0 crm task history 5 -F csv
	[[ "$output" == *"edit,status,waiting,open"* ]]
	# a task needing approval is submitted and approved, then the milestone of it is reached
	run -0 crm task transition 5 submit
	run -0 crm task transition 5 approve --as meg
	run -0 crm deliverable deliver 2
	run -0 crm deliverable accept 2
	run -0 crm milestone list name:Launch --fields reached -F csv --no-headers
	[ "$output" = 1 ]
	# reopening a predecessor leaves what it released alone
	run -0 crm task reopen 1
	run -0 crm task list id:2 --fields status -F csv --no-headers
	[ "$output" = done ]
}

@test "a task given predecessors by hand waits for them, and is released the same way" {
	crm project add Web --template small > /dev/null
	run -0 crm task add "Follow-up" --after 1 --project Web
	[ "$output" = 2 ]
	run -0 crm task list id:2 --fields status,after -F csv --no-headers
	[ "$output" = "waiting,Just do it" ]
	run -0 crm task done 1
	run -0 crm task list id:2 --fields status -F csv --no-headers
	[ "$output" = open ]
	# predecessors already finished: it stays open
	run -0 crm task add "Report" --after 1
	run -0 crm task list id:3 --fields status -F csv --no-headers
	[ "$output" = open ]
	# given an open predecessor by an edit it waits; the predecessor taken off, it is released
	run -0 crm task add "Later"
	run -0 crm task edit 4 --after 2
	run -0 crm task list id:4 --fields status -F csv --no-headers
	[ "$output" = waiting ]
	run -0 crm task edit 4 --after -2
	run -0 crm task list id:4 --fields status,after -F csv --no-headers
	[ "$output" = "open," ]
}

@test "project plan lists tasks, deliverables, milestones, progress and what is late at --now" {
	crm project add Web --template website --start 2026-04-01 > /dev/null
	crm task done 1 > /dev/null
	crm deliverable deliver 1 > /dev/null
	run --separate-stderr crm project plan Web --now 2026-04-14T12:00:00Z -F tsv
	expect_status 0
	[ "${lines[0]}" = "$(printf 'section\tid\ttitle\tafter\twho\tdue\tstatus\tlate')" ]
	[ "${lines[1]}" = "$(printf 'task\t1\tKick-off meeting\t\tann\t2026-04-02T00:00:00Z\tdone\t0')" ]
	[ "${lines[2]}" = "$(printf 'task\t2\tDesign\t1\tmeg\t2026-04-11T00:00:00Z\topen\t1')" ]
	[ "${lines[3]}" = "$(printf 'task\t4\tWrite content\t1\t@writers\t2026-04-21T00:00:00Z\topen\t0')" ]
	[ "${lines[4]}" = "$(printf 'task\t3\tBuild\t2\tann\t2026-04-26T00:00:00Z\twaiting\t0')" ]
	[ "${lines[5]}" = "$(printf 'task\t5\tTest\t3,4\tann\t2026-05-01T00:00:00Z\twaiting\t0')" ]
	# delivered and waiting for the client's word is not late
	[ "${lines[6]}" = "$(printf 'deliverable\t1\tMockups\t\tann\t2026-04-13\tdelivered\t0')" ]
	[ "${lines[7]}" = "$(printf 'deliverable\t2\tLive site\t\tmeg\t2026-05-06\tplanned\t0')" ]
	[ "${lines[8]}" = "$(printf 'milestone\t1\tDesign approved\ttask 2; deliverable 1\t\t2026-04-13\topen\t1')" ]
	[ "${lines[9]}" = "$(printf 'milestone\t2\tLaunch\ttask 5; deliverable 2\t\t2026-05-06\topen\t0')" ]
	[ "${lines[10]}" = "$(printf 'progress\t\t1/7 done\t\t\t\t14%%\t')" ]
	[ "${#lines[@]}" -eq 11 ]
	[ "$stderr" = "2 late" ]
	# later, a planned deliverable past its day is late too; json carries the same rows
	run -0 --separate-stderr crm project plan 1 --now 2026-05-07 -F json
	[ "$(py -c 'import json,sys; print(" ".join(str(r["id"]) + r["section"][0] for r in json.load(sys.stdin) if r["late"]))' <<<"$output")" = "2t 4t 3t 5t 2d 1m 2m" ]
	run -0 --separate-stderr crm project plan 1 --now 2026-05-07 -F json
	[ "$(py -c 'import json,sys; r=json.load(sys.stdin)[-1]; print(r["section"], r["title"], r["status"], r["late"])' <<<"$output")" = "progress 1/7 done 14% None" ]
	# the text view
	run -0 crm project plan Web --now 2026-04-14T12:00:00Z
	[[ "${lines[0]}" == "section"*"late" ]]
}

@test "project plan: bad input" {
	run crm project plan Nowhere
	expect_status 3
	run crm project plan
	expect_status 2
	crm project add Web --template small > /dev/null
	run crm project plan Web --now someday
	expect_status 2
	[[ "$output" == *"--now takes a date or time"* ]]
}

@test "overdue tasks of a plan alert through crm alert run, once" {
	crm project add Web --template website --start 2026-04-01 --manager ann > /dev/null
	CRM_NOW=2026-04-03T09:00:00Z run -0 crm alert run
	run -0 crm alert list --fields task,to -F csv --no-headers
	# the project's manager hears of it
	[ "$output" = "1,ann" ]
	CRM_NOW=2026-04-03T10:00:00Z run -0 crm alert run
	run -0 crm alert list -F csv --no-headers
	[ "${#lines[@]}" -eq 1 ]
}

@test "deliverables and milestones take the generic verbs: add, list, show, edit, history, export, import, rm" {
	crm project add Web > /dev/null
	run -0 crm deliverable add "Report" --project Web --due 2026-03-10 --owner ann
	[ "$output" = 1 ]
	run -0 crm deliverable show 1 -F json
	[ "$(py -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["owner"], [t["name"] for t in d["transitions"]])' <<<"$output")" = "planned ann ['deliver', 'cancel']" ]
	run -0 crm deliverable edit 1 --due 2026-03-12
	run -0 crm deliverable deliver Report
	run -0 crm deliverable reject Report
	run -0 crm deliverable deliver Report
	run -0 crm deliverable accept Report
	run crm deliverable deliver Report
	expect_status 4
	# replan is a manager's
	run crm deliverable transition Report replan --as ann
	expect_status 5
	run -0 crm deliverable history 1 -F csv
	[[ "$output" == *"due,2026-03-10,2026-03-12"* ]]
	[[ "$output" == *"status,delivered,accepted"* ]]
	run -0 crm milestone add "Go live" --project Web --due 2026-03-20 --deliverables Report
	run -0 crm milestone list --fields name,reached -F csv --no-headers
	[ "$output" = "Go live,1" ]
	run -0 crm deliverable export -F csv --fields name,project,status,due
	[ "${lines[1]}" = "Report,Web,accepted,2026-03-12" ]
	printf 'name,project,due\nSpec,Web,2026-03-05\n' > "$BATS_TEST_TMPDIR/d.csv"
	run -0 crm deliverable import "$BATS_TEST_TMPDIR/d.csv" --mode create
	run -0 crm deliverable list name:Spec --fields status,due -F csv --no-headers
	[ "$output" = "planned,2026-03-05" ]
	# an unknown status on import is refused, nothing written
	printf 'name,project,status\nOther,Web,shipped\n' > "$BATS_TEST_TMPDIR/e.csv"
	run crm deliverable import "$BATS_TEST_TMPDIR/e.csv" --mode create
	expect_status 6
	run -0 crm deliverable list name:Other -F csv --no-headers
	[ -z "$output" ]
	# a deliverable a milestone names is not removed; the milestone first
	run crm deliverable rm Report --yes
	expect_status 4
	run -0 crm milestone rm "Go live" --yes
	run -0 crm deliverable rm Report --yes
	run crm deliverable add "No project"
	expect_status 6
}

@test "an unknown template is refused with a did-you-mean, exit 6, nothing written" {
	run --separate-stderr crm project add Web --template webiste
	expect_status 6
	[ "$stderr" = "crm: no project template 'webiste' (project_templates); did you mean 'website'?" ]
	nothing_written
}

@test "an unknown assignee in a template is refused, exit 6, nothing written" {
	sed -i 's/title: Build, offset: +25d, assignee: ann/title: Build, offset: +25d, assignee: zed/' "$CRM_CONFIG"
	run --separate-stderr crm project add Web --template website
	expect_status 6
	[ "$stderr" = "crm: project template website, task 'build': assignee: no user 'zed'; nothing written" ]
	nothing_written
	# a role nobody holds likewise
	sed -i 's/role: manager/role: viewer/' "$CRM_CONFIG"
	run crm project add Web --template website
	expect_status 6
	nothing_written
}

@test "a cycle in a template's dependencies is a configuration error, exit 78, nothing written" {
	cat > "$CRM_CONFIG" <<'EOF'
project_templates:
  x:
    tasks:
      - {key: a, title: A, after: c}
      - {key: b, title: B, after: a}
      - {key: c, title: C, after: [b]}
EOF
	run --separate-stderr crm project add Web --template x
	expect_status 78
	[ "$stderr" = "crm: $CRM_CONFIG:4:9: project_templates.x: a cycle in after: a -> c -> b -> a (tasks that wait for each other never start) (see crm-config(5))" ]
	# a task waiting for itself is a cycle too
	printf 'project_templates:\n  x:\n    tasks:\n      - {key: a, title: A, after: a}\n' > "$CRM_CONFIG"
	run crm project list
	expect_status 78
	[[ "$output" == *"a cycle in after: a -> a"* ]]
}

@test "bad templates: unknown key, no title, bad offset, duplicate key, unknown setting: exit 78" {
	bad() {
		printf 'project_templates:\n  x:\n%s\n' "$1" > "$CRM_CONFIG"
		run --separate-stderr crm project list
		expect_status 78
		[[ "$stderr" == *"$2"* ]] || { echo "$stderr"; return 1; }
	}
	bad $'    tasks:\n      - {key: a, title: A}\n      - {key: b, title: B, after: [design]}' \
		"project_templates.x.tasks[2]: after: no task with the key 'design'"
	bad $'    tasks:\n      - {key: a}' "project_templates.x.tasks[1]: a task needs a title"
	bad $'    tasks:\n      - {title: A, offset: 3d}' "offset '3d' is not a signed date offset"
	bad $'    tasks:\n      - {key: a, title: A}\n    deliverables:\n      - {key: a, name: D}' "the key 'a' is given twice"
	bad $'    deliverables:\n      - {offset: +1d}' "project_templates.x.deliverables[1]: a deliverable needs a name"
	bad $'    milestones:\n      - {name: M, after: [nope]}' "after: no task or deliverable with the key 'nope'"
	bad $'    milestones:\n      - {name: M, offset: soon}' "offset 'soon' is not a signed date offset"
	bad $'    tasks:\n      - {title: A, role: wizard}' "no role 'wizard' in roles"
	bad $'    taks: []' "unknown setting 'project_templates.x.taks'; did you mean 'tasks'?"
	bad $'    tasks: 3' "project_templates.x: tasks is a list"
}

@test "project add --template completes the configured templates; plan is in help" {
	run -0 crm __complete project add --template ''
	[ "$(tr '\n' ' ' <<<"$output")" = "website small " ]
	run -0 crm project plan --help
	[[ "$output" == "usage: crm project plan <project>"* ]]
	run -0 crm project add --help
	[[ "$output" == *"--template"* ]]
}
