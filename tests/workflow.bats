#!/usr/bin/env bats
# The ticket workflow from the configuration: each rule (allowed, illegal, forbidden by role,
# required field), crm workflow check and crm workflow graph.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
}

# A workflow of its own: triage by anyone, fixing by agents, sign-off by managers only, a
# field required to reject.
own_workflow() {
	use_system_config <<'EOF'
workflow:
  ticket:
    statuses: [triage, fixing, review, done, rejected]
    initial: triage
    resolved: [done, rejected]
    transitions:
      - {name: accept, from: triage, to: fixing}
      - {name: reject, from: [triage, fixing], to: rejected, required: [resolution]}
      - {name: submit, from: fixing, to: review, roles: [agent]}
      - {name: approve, from: review, to: done, roles: [manager]}
      - {name: rework, from: review, to: fixing, roles: [manager, agent]}
      - {name: reopen, from: [done, rejected], to: triage}
sla:
  paused: []
EOF
}

@test "workflow: a ticket starts in the configured initial status" {
	own_workflow
	crm ticket open T --account Acme --assign ann >/dev/null
	[ "$(tfield 1 status)" = triage ]
}

@test "workflow: allowed transitions move the ticket" {
	own_workflow
	crm ticket open T --account Acme --assign ann >/dev/null
	run crm --as ann ticket transition 1 accept
	expect_status 0
	run crm --as ann ticket transition 1 review
	expect_status 0
	run crm --as mia ticket transition 1 approve
	expect_status 0
	[ "$(tfield 1 status)" = done ]
	[ "$(tfield 1 open)" = False ]
	run crm --as ann ticket reopen 1
	expect_status 0
	[ "$(tfield 1 status)" = triage ]
}

@test "workflow: an illegal move exits 4 and names the allowed ones" {
	own_workflow
	crm ticket open T --account Acme >/dev/null
	run -4 crm ticket transition 1 done
	[ "$output" = "crm: ticket 1: cannot go from 'triage' to 'done'; allowed: accept (to fixing), reject (to rejected)" ]
	run -4 crm ticket transition 1 approve
	[[ "$output" == *"allowed: accept (to fixing), reject (to rejected)"* ]]
	[ "$(tfield 1 status)" = triage ]
	run -4 crm ticket resolve 1
	[[ "$output" == *"no such status or transition"* ]]
}

@test "workflow: a move the user's roles do not allow exits 5" {
	own_workflow
	crm ticket open T --account Acme >/dev/null
	crm ticket accept 1 2>/dev/null || crm ticket transition 1 accept
	run -5 crm --as mia ticket transition 1 submit
	[ "$output" = "crm: ticket 1: transition 'submit' from 'fixing' is for the roles agent only (yours: manager)" ]
	crm --as ann ticket transition 1 submit
	run -5 crm --as ann ticket transition 1 done
	[[ "$output" == *"'approve'"*"manager only (yours: agent)"* ]]
	[ "$(tfield 1 status)" = review ]
	# Where the same move is open to several roles, the user's own is found.
	run crm --as ann ticket transition 1 fixing
	expect_status 0
}

@test "workflow: a required field must be given on the way" {
	own_workflow
	crm ticket open T --account Acme >/dev/null
	run -6 crm ticket transition 1 reject
	[[ "$output" == *"transition 'reject' needs resolution"* ]]
	[ "$(tfield 1 status)" = triage ]
	run crm ticket transition 1 rejected --set resolution="not our product"
	expect_status 0
	[ "$(tfield 1 status)" = rejected ]
}

@test "workflow: transitions lists only what the user may take" {
	own_workflow
	crm ticket open T --account Acme >/dev/null
	crm ticket transition 1 accept
	run crm --as ann ticket transitions 1 -F csv
	[ "$output" = "$(printf 'name,from,to,roles,needs\nreject,fixing,rejected,,resolution\nsubmit,fixing,review,agent,')" ]
	run crm --as mia ticket transitions 1 -F json
	[ "$(echo "$output" | jq -r 'map(.name) | join(",")')" = reject ]
}

@test "workflow check accepts the built-in workflow" {
	run crm workflow check
	expect_status 0
	[[ "$output" == *"workflow ticket: 5 statuses, 6 transitions"* ]]
	[[ "$output" == *"workflow contract: 6 statuses, 7 transitions"* ]]
	[[ "$output" == *"workflow project: 8 statuses, 8 transitions"* ]]
	run crm workflow check contract
	expect_status 0
	[ "$output" = "workflow contract: 6 statuses, 7 transitions" ]
	own_workflow
	run crm workflow check ticket
	expect_status 0
}

@test "workflow check finds unreachable statuses, unknown roles and dead ends (exit 78)" {
	use_system_config <<'EOF'
workflow:
  ticket:
    statuses: [new, open, limbo, island, done, closed]
    initial: new
    resolved: [done]
    transitions:
      - {name: start, from: new, to: open, roles: [agent, wizard]}
      - {name: park, from: open, to: limbo}
      - {name: finish, from: [open, island], to: done}
      - {name: close, from: done, to: closed}
sla:
  paused: []
EOF
	run -78 crm workflow check
	[[ "$output" == *"config.yaml:3:"*"status 'island' is unreachable from 'new'"* ]]
	[[ "$output" == *"transition 'start' names unknown role 'wizard'"* ]]
	[[ "$output" == *"status 'limbo' is a dead end"* ]]
	[[ "$output" == *"status 'closed' is a dead end"* ]]
	[[ "$output" == *"4 problems in the configuration"* ]]
}

@test "workflow check and ticket commands refuse a malformed workflow (exit 78)" {
	use_system_config <<'EOF'
workflow:
  ticket:
    transitions:
      - {name: start, from: new, to: somewhere}
EOF
	run -78 crm workflow check
	[[ "$output" == *"config.yaml:4:"*"goes to unknown status 'somewhere'"* ]]
	run -78 crm ticket open T --account Acme
	run -78 crm ticket list
	use_system_config <<'EOF'
sla:
  paused: [sleeping]
  targets:
    eventually: {response: 1h}
EOF
	run -78 crm workflow check
	[[ "$output" == *"'eventually' is not a priority"* ]]
	[[ "$output" == *"sla.paused: 'sleeping' is not a status"* ]]
	use_system_config <<'EOF'
workflow:
  ticket:
    transitions:
      - {name: resolve, from: open, to: resolved, required: [colour]}
EOF
	run -78 crm workflow check
	[[ "$output" == *"requires unknown field 'colour'"* ]]
}

@test "workflow graph prints the workflow as Graphviz DOT" {
	run crm workflow graph
	expect_status 0
	[ "${lines[0]}" = 'digraph "ticket" {' ]
	[[ "$output" == *'"" -> "new";'* ]]
	[[ "$output" == *'"resolved" [peripheries=2];'* ]]
	[[ "$output" == *'"new" -> "open" [label="start\n[agent, manager, admin]"];'* ]]
	[[ "$output" == *'"open" -> "resolved" [label="resolve\n[agent, manager, admin]\nneeds resolution"];'* ]]
	[ "${lines[-1]}" = "}" ]
	run crm workflow graph -o "$BATS_TEST_TMPDIR/wf.dot"
	expect_status 0
	grep -q '"closed" -> "open"' "$BATS_TEST_TMPDIR/wf.dot"
	if command -v dot >/dev/null; then
		dot -Tsvg "$BATS_TEST_TMPDIR/wf.dot" >/dev/null
	fi
	run -78 crm workflow graph product
	[[ "$output" == *"no workflow for product"* ]]
}

@test "workflow graph and check cover contracts and projects too" {
	run crm workflow graph contract
	expect_status 0
	[ "${lines[0]}" = 'digraph "contract" {' ]
	[[ "$output" == *'"" -> "draft";'* ]]
	[[ "$output" == *'"review" -> "signed" [label="sign\n[contract.sign]"];'* ]]
	[[ "$output" == *'"cancelled" [peripheries=2];'* ]]
	run crm workflow graph project
	expect_status 0
	[[ "$output" == *'"lead" -> "won" [label="won"];'* ]]
	run crm workflow graph
	[[ "$output" == *'"closed" -> "open" [label="reopen\n[agent, manager, admin]\nclears resolution"];'* ]]
	use_system_config <<'EOF'
workflow:
  contract:
    transitions:
      - {name: sign, from: review, to: signed, permission: contract.sign, clear: [title]}
EOF
	run -78 crm workflow check contract
	[[ "$output" == *"transition 'sign' clears the required or read-only field 'title'"* ]]
}

@test "workflow: a misspelt key in a workflow is exit 78 with file, line and column" {
	use_system_config <<'EOF'
workflow:
  ticket:
    transitions:
      - {name: start, from: new, to: open, role: [agent]}
EOF
	run -78 crm ticket list
	[ "$output" = "crm: /dev/fd/7/crm/config.yaml:4:44: unknown setting 'workflow.ticket.transitions.role'; did you mean 'roles'? (see crm-config(5))" ]
	run -78 crm workflow check
	use_system_config <<'EOF'
workflow:
  ticket:
    effects: [stamps, clock, bells]
EOF
	run -78 crm workflow check
	[[ "$output" == *"config.yaml:3:14: workflow.ticket.effects: no effect 'bells' for ticket (stamps, clock, action, notify)"* ]]
	run -78 crm ticket list
}

@test "workflow graph -o is written as every -o: atomic, keeping the mode, never through a symbolic link" {
	d=$BATS_TEST_TMPDIR/out
	mkdir "$d"
	echo precious > "$d/wf.dot"
	chmod 600 "$d/wf.dot"
	run -0 crm workflow graph -o "$d/wf.dot"
	grep -q '^digraph "ticket"' "$d/wf.dot"
	[ "$(stat -c %a "$d/wf.dot")" = 600 ]
	[ "$(ls "$d")" = wf.dot ]
	echo secret > "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$d/link"
	run --separate-stderr crm workflow graph -o "$d/link"
	expect_status 1
	[ "$stderr" = "crm: will not write through the symbolic link '$d/link'; name the file itself" ]
	[ "$(cat "$BATS_TEST_TMPDIR/elsewhere")" = secret ]
	[ -L "$d/link" ]
	# a FIFO is written in place, not replaced
	mkfifo "$d/fifo"
	cat "$d/fifo" > "$BATS_TEST_TMPDIR/read" &
	run -0 crm workflow graph contract -o "$d/fifo"
	wait
	[ -p "$d/fifo" ]
	grep -q '^digraph "contract"' "$BATS_TEST_TMPDIR/read"
}

# Issue: one status machine for every kind with a workflow status field.
@test "workflow: transition and transitions are generic verbs of project and contract" {
	crm project add Apollo --account Acme >/dev/null
	run --separate-stderr crm project transitions Apollo
	expect_status 0
	[[ "$output" == *"won"*"lead"* || "$output" == *"lead"*"won"* ]]
	run --separate-stderr crm project transition Apollo won
	expect_status 0
	[ "$(crm project show Apollo -F json | jq -r .status)" = won ]
	crm contract add MSA --account Acme >/dev/null
	run --separate-stderr crm contract transition MSA submit -m "please review"
	expect_status 0
	run --separate-stderr crm contract transitions MSA -F json
	expect_status 0
	[ "$(echo "$output" | jq -r 'map(.name) | join(",")')" = "revise,sign,cancel" ]
	run --separate-stderr crm contract transition MSA start
	expect_status 4
	[[ "$stderr" == *"allowed"* ]]
	run --separate-stderr crm account transition Acme x
	expect_status 2
	run crm account --help
	[[ "$output" != *transition* ]]
}

@test "workflow: show has the transitions section for every kind with a workflow" {
	crm project add Apollo --account Acme >/dev/null
	crm contract add MSA --account Acme >/dev/null
	run --separate-stderr crm contract show MSA
	expect_status 0
	[[ "$output" == *"Transitions you may take"*submit* ]]
	[ "$(crm project show Apollo -F json | jq -r '.transitions | length')" -gt 0 ]
	[ "$(crm contract show MSA -F json | jq -r '.transitions[0].name')" = submit ]
}

@test "workflow: edit --status takes a transition by name or status, for every kind" {
	use_config <<'EOF2'
workflow:
  project:
    statuses: [lead, won, lost]
    initial: lead
    resolved: [won, lost]
    transitions:
      - {name: win, from: lead, to: won}
      - {name: lose, from: lead, to: lost}
EOF2
	crm project add Apollo --account Acme >/dev/null
	run --separate-stderr crm project edit Apollo --status win
	expect_status 0
	[ "$(crm project show Apollo -F json | jq -r .status)" = won ]
	run --separate-stderr crm project edit Apollo --status lose
	expect_status 4
	[[ "$stderr" == *"cannot lose from 'won'"* ]]
	crm ticket open T --account Acme >/dev/null
	run --separate-stderr crm ticket edit 1 --status start
	expect_status 0
	[ "$(tfield 1 status)" = open ]
	run --separate-stderr crm ticket edit 1 --status closed
	expect_status 4
	[ "$(tfield 1 status)" = open ]
}

@test "workflow: ticket open --help does not mark status and priority required" {
	run crm ticket open --help
	expect_status 0
	[[ "$output" == *"--status"*"initial status"* ]]
	run bash -c "\"$CRM_BIN\" ticket open --help | grep -E -- '--(status|priority) ' | grep -c required"
	[ "$output" = 0 ]
}
