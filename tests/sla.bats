#!/usr/bin/env bats
# Service levels: response and resolution targets per priority, statuses that pause the clock,
# breach:yes in lists. The clock is moved with CRM_NOW.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
	use_config <<'EOF'
sla:
  paused: [waiting]
  targets:
    high: {response: 4h, resolution: 1d}
    low: {response: 2d, resolution: 1w}
EOF
}

at() {
	CRM_NOW=$1 crm "${@:2}"
}

breaching() {
	at "$1" ticket list --all breach:yes --fields id | tail -n +2 | tr '\n' ' '
}

@test "sla: due times follow the priority's targets" {
	crm ticket open Urgentish --account Acme --priority high >/dev/null
	[ "$(tfield 1 response_due)" = 2026-03-02T13:00:00Z ]
	[ "$(tfield 1 resolution_due)" = 2026-03-03T09:00:00Z ]
	crm ticket edit 1 --priority low
	[ "$(tfield 1 response_due)" = 2026-03-04T09:00:00Z ]
	crm ticket edit 1 --priority normal # no targets configured for it... but the built-in ones
	[ "$(tfield 1 response_due)" = 2026-03-02T17:00:00Z ]
}

@test "sla: an unanswered ticket breaches its response target; an answered one does not" {
	crm ticket open A --account Acme --priority high >/dev/null
	crm ticket open B --account Acme --priority high >/dev/null
	[ "$(breaching 2026-03-02T12:59:00Z)" = "" ]
	at 2026-03-02T11:00:00Z ticket comment 2 "on it"
	[ "$(breaching 2026-03-02T13:01:00Z)" = "1 " ]
	run crm ticket list --all breach:no --fields id
	[ "$output" = "$(printf 'id\n1\n2')" ]
	CRM_NOW=2026-03-02T13:01:00Z run crm ticket show 1 -F json
	[ "$(echo "$output" | jq -r .breach)" = true ]
}

@test "sla: time in a paused status does not count towards resolution" {
	crm ticket open A --account Acme --priority high >/dev/null
	crm ticket open B --account Acme --priority high >/dev/null
	# Both answered at 10:00; A then waits on the customer from 12:00 for two days.
	at 2026-03-02T10:00:00Z ticket transition 1 start
	at 2026-03-02T10:00:00Z ticket transition 2 start
	at 2026-03-02T12:00:00Z ticket transition 1 wait
	[ "$(breaching 2026-03-03T09:30:00Z)" = "2 " ]
	CRM_NOW=2026-03-03T09:30:00Z run tfield 1 resolution_due
	[ "$output" = 2026-03-04T06:30:00Z ]
	at 2026-03-04T12:00:00Z ticket transition 1 resume
	# 3 hours used before the wait, the other 21 from 12:00 on the 4th: due 09:00 on the 5th.
	[ "$(tfield 1 resolution_due)" = 2026-03-05T09:00:00Z ]
	[ "$(breaching 2026-03-05T08:59:00Z)" = "2 " ]
	[ "$(breaching 2026-03-05T09:01:00Z)" = "1 2 " ]
}

@test "sla: a ticket resolved in time never breaches; a late resolution stays a breach" {
	crm ticket open A --account Acme --priority high >/dev/null
	crm ticket open B --account Acme --priority high >/dev/null
	at 2026-03-02T10:00:00Z ticket resolve 1 quick
	at 2026-03-04T10:00:00Z ticket resolve 2 slow
	CRM_NOW=2026-04-01T00:00:00Z run crm ticket list --all status:resolved breach:yes --fields id
	[ "$output" = "$(printf 'id\n2')" ]
	# Reopened, the clock runs again from where it stopped.
	at 2026-03-10T09:00:00Z ticket reopen 1
	[ "$(tfield 1 resolution_due)" = 2026-03-11T08:00:00Z ]
}

@test "sla: a priority without targets never breaches" {
	use_config <<'EOF'
picklists:
  priority: [urgent, high, normal, low, someday]
EOF
	crm ticket open A --account Acme --priority someday >/dev/null
	[ "$(tfield 1 response_due)" = "" ]
	[ "$(breaching 2030-01-01T00:00:00Z)" = "" ]
}

@test "sla: the listed fields agree with the filters on them, at every clock" {
	# Columns are computed once a row in C, filters in SQL: the two must never disagree.
	crm ticket open A --account Acme --priority high >/dev/null
	crm ticket open B --account Acme --priority low >/dev/null
	crm ticket open C --account Acme --priority normal >/dev/null
	at 2026-03-02T10:00:00Z ticket transition 1 start
	at 2026-03-02T12:00:00Z ticket transition 1 wait
	at 2026-03-03T12:00:00Z ticket transition 1 resume
	at 2026-03-02T11:00:00Z ticket comment 2 "on it"
	at 2026-03-04T10:00:00Z ticket resolve 3 done
	for now in 2026-03-02T09:30:00Z 2026-03-02T14:00:00Z 2026-03-03T10:00:00Z 2026-03-05T00:00:00Z 2026-04-01T00:00:00Z; do
		for only in "" status:resolved; do
			listed=$(at "$now" ticket list --all $only --fields id,breach,open -F csv | tail -n +2 | tr '\n' ' ')
			yes=$(at "$now" ticket list --all $only breach:yes --fields id | tail -n +2 | tr '\n' ' ')
			open=$(at "$now" ticket list --all $only open:yes --fields id | tail -n +2 | tr '\n' ' ')
			want_yes='' want_open=''
			for row in $listed; do
				IFS=, read -r id breach isopen <<< "$row"
				[ "$breach" = 1 ] && want_yes="$want_yes$id "
				[ "$isopen" = 1 ] && want_open="$want_open$id "
			done
			echo "$now $only: listed $listed; breach:yes $yes; open:yes $open" >&3
			[ -n "$listed" ]
			[ "$yes" = "$want_yes" ]
			[ "$open" = "$want_open" ]
		done
	done
	# and the due times a show prints are those a sort by them orders by
	ids=$(at 2026-03-03T10:00:00Z ticket list --all --sort resolution_due --fields id | tail -n +2 | tr '\n' ' ')
	sorted=$(at 2026-03-03T10:00:00Z ticket list --all --fields id,resolution_due -F csv | tail -n +2 | sort -t, -k2,2 -s | cut -d, -f1 | tr '\n' ' ')
	[ "$ids" = "$sorted" ]
}
