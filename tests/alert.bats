#!/usr/bin/env bats
# crm alert run (once per lateness, idempotent, --now), alert list, alert ack.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
	# An urgent ticket for ann (manager mia), opened at 09:00: answer due 10:00, fix by 17:00.
	crm ticket open "Server down" --account Acme --priority urgent --assign ann >/dev/null
}

@test "alert run raises nothing before a target is missed" {
	run crm alert run --now 2026-03-02T09:59:00Z
	expect_status 0
	[ "$output" = "0 alerts raised" ]
	run crm alert list
	[ "$output" = "$(printf 'id\traised\tticket\ttask\ttitle\ttarget\tdue\tto\tacked\tacked_by')" ]
}

@test "alert run raises one alert per lateness, to the assignee's manager, and is idempotent" {
	run crm alert run --now 2026-03-02T10:30:00Z
	expect_status 0
	[ "$output" = "1 alert raised" ]
	run crm alert run --now 2026-03-02T10:45:00Z
	[ "$output" = "0 alerts raised" ]
	run crm alert list -F json
	[ "$(echo "$output" | jq -c 'map([.id, .ticket, .target, .due, .to])')" = \
		'[[1,1,"response","2026-03-02T10:00:00Z",["mia"]]]' ]
	# Later, the resolution target goes too: one more, once.
	CRM_NOW=2026-03-02T18:00:00Z run crm alert run
	[ "$output" = "1 alert raised" ]
	CRM_NOW=2026-03-02T19:00:00Z run crm alert run
	[ "$output" = "0 alerts raised" ]
	run crm alert list --fields x
	expect_status 2
	run crm alert list -F json
	[ "$(echo "$output" | jq -r 'map(.target) | join(",")')" = "response,resolution" ]
	run crm ticket show 1 -F json
	[ "$(echo "$output" | jq -r '.actions | map(select(.action == "alert")) | length')" = 2 ]
}

@test "the alert's action reads as a sentence, not 'resolution: ; raised alert'" {
	crm alert run --now 2026-03-02T10:30:00Z >/dev/null
	run crm ticket show 1 -F json
	[ "$(echo "$output" | jq -r '.actions | map(select(.action == "alert")) | .[0].detail')" = \
		"raised alert 1: response was due 2026-03-02T10:00:00Z" ]
	run crm ticket show 1
	[[ "$output" != *": ;"* ]]
}

@test "alert run leaves answered and resolved tickets alone" {
	CRM_NOW=2026-03-02T09:30:00Z crm --as ann ticket comment 1 "looking"
	run crm alert run --now 2026-03-02T11:00:00Z
	[ "$output" = "0 alerts raised" ]
	CRM_NOW=2026-03-02T12:00:00Z crm --as ann ticket resolve 1 "rebooted"
	run crm alert run --now 2026-03-03T12:00:00Z
	[ "$output" = "0 alerts raised" ]
}

@test "a reopened ticket may be late, and alerted on, again" {
	CRM_NOW=2026-03-02T18:00:00Z crm alert run 2>/dev/null
	run crm alert list -F json
	[ "$(echo "$output" | jq length)" = 2 ]
	CRM_NOW=2026-03-02T19:00:00Z crm ticket resolve 1 fixed
	CRM_NOW=2026-03-03T09:00:00Z crm ticket reopen 1
	# 10 of its 8 hours were used before the resolution: late again as soon as it reopens.
	run crm alert run --now 2026-03-03T09:30:00Z
	[ "$output" = "1 alert raised" ]
	run crm alert run --now 2026-03-03T10:30:00Z
	[ "$output" = "0 alerts raised" ]
	run crm alert list -F json
	[ "$(echo "$output" | jq -r 'map(.target) | join(",")')" = "response,resolution,resolution" ]
}

@test "alert run addresses a configured role when told, and when the assignee has no manager" {
	printf 'alerts:\n  to: role\n  role: manager\n' > "$BATS_TEST_TMPDIR/c.yaml"
	crm user add max --roles manager,agent --email max@example.com >/dev/null
	CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" run crm alert run --now 2026-03-02T11:00:00Z
	run crm alert list -F json
	[ "$(echo "$output" | jq -r '.[0].to | join(",")')" = "max,mia" ]
	# A ticket of nobody's: the holders of alerts.role (manager by default).
	crm ticket open "Unowned" --account Acme --priority urgent >/dev/null
	run crm alert run --now 2026-03-02T11:00:00Z
	run crm alert list -F json
	[ "$(echo "$output" | jq -r 'map(select(.ticket == 2)) | .[0].to | join(",")')" = "max,mia" ]
}

@test "alert run queues a notification to those alerted and the assignee" {
	crm alert run --now 2026-03-02T10:30:00Z 2>/dev/null
	run crm notify list -F json
	[ "$(echo "$output" | jq -r 'map(select(.event == "alert")) | map(.recipient) | join(",")')" = \
		"ann@example.com,mia@example.com" ]
}

@test "alert list --mine and --all, alert ack" {
	crm alert run --now 2026-03-02T18:00:00Z 2>/dev/null
	run crm --as mia alert list --mine -F json
	[ "$(echo "$output" | jq length)" = 2 ]
	run crm --as ann alert list --mine -F json
	[ "$(echo "$output" | jq length)" = 0 ]
	run crm --as mia alert ack 1
	expect_status 0
	run crm alert list -F json
	[ "$(echo "$output" | jq -r 'map(.id) | join(",")')" = 2 ]
	run crm alert list --all -F json
	[ "$(echo "$output" | jq -r '.[0].acked_by')" = mia ]
	run crm --as mia alert ack 1
	expect_status 0
	[[ "$output" == *"acknowledged already"* ]]
	run -3 crm alert ack 9
	run -2 crm alert ack x
	run -5 crm --as vic alert ack 2
	run -5 crm --as ann alert run
}

@test "alert list is the generic list: filters, --fields, --sort, --limit, -F, -o" {
	CRM_NOW=2026-03-02T18:00:00Z crm alert run >/dev/null
	run crm alert list --fields id,target --sort -id --no-headers
	expect_status 0
	[ "$output" = $'2\tresolution\n1\tresponse' ]
	run crm alert list target:response --fields id,to -F csv
	[ "$output" = $'id,to\n1,mia' ]
	run crm alert list --limit 1 --fields target --no-headers
	[ "$output" = response ]
	run crm alert list -o "$BATS_TEST_TMPDIR/alerts.json" --fields id
	expect_status 0
	[ "$(jq -c 'map(.id)' "$BATS_TEST_TMPDIR/alerts.json")" = '[1,2]' ]
	run crm alert show 1 -F json
	[ "$(jq -r .title <<<"$output")" = "Server down" ]
	run crm alert export --fields id,ticket
	[ "$output" = $'id,ticket\n1,1\n2,1' ]
	run --separate-stderr crm alert list --sort bogus
	[ "$status" -ne 0 ]
	# no writing verbs on alerts but run and ack
	run --separate-stderr crm alert rm 1
	expect_status 2
	[[ "$stderr" == "crm: unknown alert verb 'rm'"* ]]
}

@test "alert, notify and import are read-only nouns: the generic verbs that write are refused by one flag" {
	crm init -q
	for noun in alert notify import; do
		for verb in add edit rm history import; do
			run --separate-stderr crm $noun $verb 1
			expect_status 2
			[[ "$stderr" == "crm: unknown $noun verb '$verb'"* ]]
		done
		# neither offered by the help nor by the completion
		run crm help $noun
		refute grep -qE '^  (add|edit|rm|history|import) ' <<<"$output"
		grep -qE '^  (list|export) ' <<<"$output"
		run crm __complete $noun ''
		refute grep -qxE 'add|edit|rm|history|import' <<<"$output"
		grep -qx list <<<"$output"
	done
}
