#!/usr/bin/env bats
# crm agenda and crm calendar: whose open tasks fall when (overdue, today, this week), by user,
# group or team, as of a fixed --now; the calendar's week and month grids fit the width; the
# agenda's query is served by the indexes (assignee or group, status, due).
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	# the built-in roles, whatever a system file of this machine (/etc/crm) says
	use_system_config </dev/null
	export CRM_USER=mia
	export TZ=UTC
	export CRM_NOW=2026-12-01T09:00:00Z
}

teardown() {
	crm_test_cleanup
}

# Wednesday 2 December 2026, 10:00: eow is Sunday the 6th.
NOW=2026-12-02T10:00
seed() {
	crm user add ann --roles agent --groups support --manager mia >/dev/null
	crm user add bob --roles agent --manager ann >/dev/null
	crm user add zed --roles agent >/dev/null
	crm account add Acme >/dev/null
	crm task add Late --assignee ann --due 2026-11-30 --account Acme >/dev/null        # 1 overdue
	crm task add Morning --assignee ann --due 2026-12-02T08:00 >/dev/null            # 2 overdue (earlier today)
	crm task add Call --assignee ann --due 2026-12-02T15:00 --type call >/dev/null   # 3 today
	crm event add Meeting --assignee ann --start 2026-12-02T16:00 --end 2026-12-02T17:00 >/dev/null # 4 today
	crm task add Friday --assignee ann --due 2026-12-04T12:00 --priority high >/dev/null # 5 week
	crm task add Next --assignee ann --due 2026-12-08 >/dev/null                      # 6 next week: not shown
	crm task add Queue --assignee @support --due 2026-12-03 >/dev/null                # 7 week, by group
	crm task add Done --assignee ann --due 2026-12-01 >/dev/null                      # 8 done: not shown
	crm task done 8
	crm task add Bobs --assignee bob --due 2026-12-03 >/dev/null                      # 9 bob's
	crm task add Zeds --assignee zed --due 2026-12-01 >/dev/null                      # 10 not in mia's team
}

@test "agenda: overdue, today, this week, by time; done and later tasks left out" {
	seed
	run crm agenda --user ann --now "$NOW"
	expect_status 0
	[ "$(printf '%s\n' "$output" | cut -f1-4)" = "$(printf '%s\n' \
		"when	id	at	title" \
		"overdue	1	2026-11-30T00:00:00Z	Late" \
		"overdue	2	2026-12-02T08:00:00Z	Morning" \
		"today	3	2026-12-02T15:00:00Z	Call" \
		"today	4	2026-12-02T16:00:00Z	Meeting" \
		"week	7	2026-12-03T00:00:00Z	Queue" \
		"week	5	2026-12-04T12:00:00Z	Friday")" ]
	run crm agenda --user ann --now "$NOW" -F json
	[ "$(echo "$output" | jq -r '.[] | select(.id == 5) | "\(.priority) \(.assignee)"')" = "high ann" ]
	[ "$(echo "$output" | jq -r '.[] | select(.id == 7) | .group')" = support ]
}

@test "agenda: mine by default, --group, --team (everyone under me), --user me" {
	seed
	run crm --as ann agenda --now "$NOW"
	expect_status 0
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -f2 | tr '\n' ' ')" = "1 2 3 4 7 5 " ]
	run crm agenda --group support --now "$NOW"
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -f2 | tr '\n' ' ')" = "7 " ]
	run crm agenda --team --now "$NOW"
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -f2 | tr '\n' ' ')" = "1 2 3 4 9 5 " ]
	run crm agenda --now "$NOW"
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	run crm --as zed agenda --user me --now "$NOW"
	[ "$(printf '%s\n' "$output" | tail -n +2 | cut -f2 | tr '\n' ' ')" = "10 " ]
	run -3 crm agenda --user nobody
	run -3 crm agenda --group nogroup
	run -2 crm agenda --now never
	run -2 crm agenda extra
}

@test "agenda: the query uses the indexes on (assignee, status, due, start) and (group, status, due, start), no scan of tasks" {
	seed
	run crm agenda --user ann --explain
	expect_status 0
	echo "$output"
	if [ "${CRM_TEST_BACKEND:-sqlite}" = pg ]; then
		skip "the plan of a tiny table on PostgreSQL is a sequential scan whatever the indexes"
	fi
	[[ "$output" == *"SEARCH tasks USING COVERING INDEX tasks_assignee (assignee_id=? AND status=? AND due<?)"* ]]
	# events without a due time: the week's window searched in the index, not every open event read
	[[ "$output" == *"SEARCH tasks USING COVERING INDEX tasks_assignee (assignee_id=? AND status=? AND due=? AND start_at>? AND start_at<?)"* ]]
	[[ "$output" == *"SEARCH tasks USING COVERING INDEX tasks_group (group_id=? AND status=? AND due<?)"* ]]
	[[ "$output" == *"SEARCH tasks USING COVERING INDEX tasks_group (group_id=? AND status=? AND due=? AND start_at>? AND start_at<?)"* ]]
	[[ "$output" != *"SCAN"* ]]
}

@test "calendar --week: a grid Monday to Sunday that fits the width" {
	seed
	COLUMNS=78 run crm calendar --week 2026-12-02 --user ann
	expect_status 0
	echo "$output"
	[ "$(printf '%s\n' "$output" | head -1)" = "Week of 2026-11-30" ]
	[[ "$output" == *"|Mon 11-30 "*"|Sun 12-06 "* ]]
	[[ "$output" == *"|08:00 Morn|"* ]]
	[[ "$output" == *"15:00 Call"* ]]
	[[ "$output" == *"16:00 Meet|"* ]]
	[[ "$output" == *"Late"* ]]
	[[ "$output" == *"Done"* ]]
	[[ "$output" != *"Next"* ]]
	printf '%s\n' "$output" | awk -v w=78 'length($0) > w { print "too wide: " $0; bad = 1 } END { exit bad }'
	COLUMNS=120 run crm calendar 2026-12-02 --user ann
	[[ "$output" == *"08:00 Morning "* ]]
	printf '%s\n' "$output" | awk -v w=120 'length($0) > w { bad = 1 } END { exit bad }'
}

@test "calendar --month: weeks of the month with the day's entries, more than three counted" {
	seed
	crm task add A --assignee ann --due 2026-12-03T09:00 >/dev/null
	crm task add B --assignee ann --due 2026-12-03T10:00 >/dev/null
	crm task add C --assignee ann --due 2026-12-03T11:00 >/dev/null
	COLUMNS=100 run crm calendar --month 2026-12-15 --user ann --now "$NOW"
	expect_status 0
	echo "$output"
	[ "$(printf '%s\n' "$output" | head -1)" = "December 2026" ]
	[[ "$output" == *"|Mon "*"|Sun "* ]]
	[[ "$output" == *"|31 "* ]]
	[[ "$output" == *"+2 more"* ]]
	[[ "$output" == *"Next"* ]]
	printf '%s\n' "$output" | awk -v w=100 'length($0) > w { bad = 1 } END { exit bad }'
	run -2 crm calendar --month someday
}

@test "calendar: a month written as YYYY-MM is that month, with or without --month; --week takes its first week" {
	seed
	crm task add A --assignee ann --due 2026-12-03T09:00 >/dev/null
	COLUMNS=100 run crm calendar --month 2026-12-15 --user ann --now "$NOW"
	expect_status 0
	local want=$output
	COLUMNS=100 run crm calendar --month 2026-12 --user ann --now "$NOW"
	expect_status 0
	[ "$output" = "$want" ]
	COLUMNS=100 run crm calendar 2026-12 --user ann --now "$NOW"
	expect_status 0
	[ "$output" = "$want" ]
	COLUMNS=100 run crm calendar --week 2026-12 --user ann --now "$NOW"
	expect_status 0
	[ "$(printf '%s\n' "$output" | head -1)" = "Week of 2026-11-30" ]
	run -2 crm calendar --month 2026-13 --user ann
	[[ "$output" == *"invalid date '2026-13'"* ]]
	run -2 crm calendar 2026-1 --user ann
	[[ "$output" == *"invalid date '2026-1'"* ]]
}

@test "calendar: a title in CJK or with an emoji fills its cell by display width, the grid stays aligned" {
	seed
	crm task add '東京で会議 🚀 準備' --assignee ann --due 2026-12-03T09:00 >/dev/null
	COLUMNS=78 run crm calendar --week 2026-12-02 --user ann
	expect_status 0
	echo "$output"
	[[ "$output" == *"東京"* ]]
	# every line of the grid ends at the same terminal column, whatever its characters
	printf '%s\n' "$output" | grep '^[+|]' | python3 -c '
import sys, unicodedata
def cols(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
w = {cols(l.rstrip("\n")) for l in sys.stdin}
sys.exit(0 if len(w) == 1 else print(w) or 1)'
}
