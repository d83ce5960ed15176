#!/usr/bin/env bats
# iCalendar through libical: task export -o work.ics and agenda -o week.ics write VTODO and
# VEVENT with stable UIDs, RRULE, DTSTART/DUE in UTC (read back by python3-icalendar); event
# import of an invitation upserts by UID.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	use_system_config </dev/null
	export CRM_USER=mia
	export TZ=UTC
	export CRM_NOW=2026-12-01T09:00:00Z
	/usr/bin/python3 -c 'import icalendar' 2>/dev/null || skip "python3-icalendar is not installed"
}

teardown() {
	crm_test_cleanup
}

seed() {
	crm user add ann --groups support >/dev/null
	crm task add Standup --assignee ann --due 2026-12-07T09:00 --repeat 'FREQ=WEEKLY;BYDAY=MO' --priority high >/dev/null
	crm event add Kickoff --assignee ann --start 2026-12-02T14:00 --end 2026-12-02T15:00 --notes "bring slides" >/dev/null
	crm task add Later --assignee ann --due 2027-01-20 >/dev/null
}

# The components of an .ics file, one line each: kind, UID, SUMMARY, DTSTART, DUE or DTEND (UTC), RRULE, STATUS.
components() {
	py - "$1" <<-'PY'
	import sys, icalendar
	cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
	def t(c, k):
	    v = c.get(k)
	    if v is None:
	        return '-'
	    d = v.dt
	    assert getattr(d, 'tzinfo', None) is not None and d.utcoffset().total_seconds() == 0, (k, d)
	    return d.strftime('%Y-%m-%dT%H:%M:%SZ')
	for c in cal.walk():
	    if c.name in ('VTODO', 'VEVENT'):
	        rule = c.get('RRULE')
	        print(c.name, c['UID'], c['SUMMARY'], t(c, 'DTSTART'), t(c, 'DUE' if c.name == 'VTODO' else 'DTEND'),
	              rule.to_ical().decode() if rule else '-', c['STATUS'])
	PY
}

@test "task export -o work.ics: VTODO and VEVENT with stable UIDs, UTC times, RRULE" {
	seed
	run crm task export -o "$BATS_TEST_TMPDIR/work.ics"
	expect_status 0
	[ -z "$output" ]
	run components "$BATS_TEST_TMPDIR/work.ics"
	expect_status 0
	[ "$output" = "$(printf '%s\n' \
		'VTODO crm-task-1@crm Standup 2026-12-07T09:00:00Z 2026-12-07T09:00:00Z FREQ=WEEKLY;BYDAY=MO NEEDS-ACTION' \
		'VEVENT crm-task-2@crm Kickoff 2026-12-02T14:00:00Z 2026-12-02T15:00:00Z - CONFIRMED' \
		'VTODO crm-task-3@crm Later - 2027-01-20T00:00:00Z - NEEDS-ACTION')" ]
	# the same UIDs the next time; a filter picks tasks as list does
	crm task done 3
	crm task export status:done -o "$BATS_TEST_TMPDIR/done.ics"
	run components "$BATS_TEST_TMPDIR/done.ics"
	[ "$output" = "VTODO crm-task-3@crm Later - 2027-01-20T00:00:00Z - COMPLETED" ]
	# without .ics, export is the generic one
	run crm task export -F csv --fields id,title
	[ "${lines[0]}" = "id,title" ]
}

@test "agenda -o week.ics: the agenda's tasks as iCalendar" {
	seed
	run crm agenda --user ann --now 2026-12-02T10:00 -o "$BATS_TEST_TMPDIR/week.ics"
	expect_status 0
	run components "$BATS_TEST_TMPDIR/week.ics"
	# what the agenda lists (the standup is due next week)
	[ "$(crm agenda --user ann --now 2026-12-02T10:00 | tail -n +2 | cut -f2,4)" = "$(printf '2\tKickoff')" ]
	[ "$(printf '%s\n' "$output" | cut -d' ' -f1-3)" = "VEVENT crm-task-2@crm Kickoff" ]
}

@test "event import invite.ics: an invitation becomes an event; imported twice, still one" {
	cat > "$BATS_TEST_TMPDIR/invite.ics" <<-'EOF'
	BEGIN:VCALENDAR
	VERSION:2.0
	PRODID:-//Example//EN
	METHOD:REQUEST
	BEGIN:VEVENT
	UID:abc-123@example.com
	DTSTAMP:20261201T080000Z
	DTSTART:20261210T130000Z
	DTEND:20261210T140000Z
	SUMMARY:Quarterly review
	DESCRIPTION:Agenda to follow
	ORGANIZER:mailto:boss@example.com
	END:VEVENT
	END:VCALENDAR
	EOF
	run crm event import "$BATS_TEST_TMPDIR/invite.ics"
	expect_status 0
	run crm event import "$BATS_TEST_TMPDIR/invite.ics"
	expect_status 0
	run crm event list --fields id,title,type,start,end,uid,notes
	[ "$output" = "$(printf 'id\ttitle\ttype\tstart\tend\tuid\tnotes\n1\tQuarterly review\tevent\t2026-12-10T13:00:00Z\t2026-12-10T14:00:00Z\tabc-123@example.com\tAgenda to follow')" ]
	# a moved meeting: the same UID updates it
	sed -i 's/DTSTART:20261210T130000Z/DTSTART:20261211T130000Z/; s/DTEND:20261210T140000Z/DTEND:20261211T140000Z/' "$BATS_TEST_TMPDIR/invite.ics"
	crm event import "$BATS_TEST_TMPDIR/invite.ics"
	run crm event list --fields id,start
	[ "$output" = "$(printf 'id\tstart\n1\t2026-12-11T13:00:00Z')" ]
	# exported again, it keeps the invitation's UID
	crm task export -o "$BATS_TEST_TMPDIR/back.ics"
	grep -q '^UID:abc-123@example.com' "$BATS_TEST_TMPDIR/back.ics"
	# not iCalendar: exit 6, nothing written
	printf 'BEGIN:VCALENDAR\nEND:VCALENDAR\n' > "$BATS_TEST_TMPDIR/empty.ics"
	run -6 crm event import "$BATS_TEST_TMPDIR/empty.ics"
	run -3 crm event import "$BATS_TEST_TMPDIR/missing.ics"
	[ "$(crm event list | wc -l)" -eq 2 ]
}

@test "export in the user's zone: DTSTART;TZID and its VTIMEZONE, read back by python3-icalendar, 09:00 there across summer time" {
	export TZ=Europe/Bucharest
	crm user add ann >/dev/null
	crm task add Standup --assignee ann --due 2026-10-19T09:00 --repeat weekly >/dev/null
	crm event add Kickoff --assignee ann --start 2026-12-02T14:00 --end 2026-12-02T15:00 >/dev/null
	run crm task export -o "$BATS_TEST_TMPDIR/local.ics"
	expect_status 0
	tr -d '\r' < "$BATS_TEST_TMPDIR/local.ics" > "$BATS_TEST_TMPDIR/local.txt"
	grep -q '^DTSTART;TZID=Europe/Bucharest:20261019T090000$' "$BATS_TEST_TMPDIR/local.txt"
	grep -q '^TZID:Europe/Bucharest$' "$BATS_TEST_TMPDIR/local.txt"
	run py - "$BATS_TEST_TMPDIR/local.ics" <<-'PY'
	import sys, icalendar
	from dateutil.rrule import rrulestr
	cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
	print(' '.join(c['TZID'] for c in cal.walk('VTIMEZONE')))
	for c in cal.walk():
	    if c.name in ('VTODO', 'VEVENT'):
	        start = c['DTSTART'].dt
	        print(c.name, c['SUMMARY'], start.isoformat(), str(start.tzinfo))
	        if c.get('RRULE'):
	            # the rule runs on the zone's wall clock (RFC 5545 3.3.10): expand it there
	            tz = start.tzinfo
	            for t in rrulestr(c['RRULE'].to_ical().decode(), dtstart=start.replace(tzinfo=None))[:3]:
	                t = tz.localize(t) if hasattr(tz, 'localize') else t.replace(tzinfo=tz)
	                print(' ', t.isoformat())
	PY
	expect_status 0
	echo "$output"
	[ "$output" = "$(printf '%s\n' 'Europe/Bucharest' \
		'VTODO Standup 2026-10-19T09:00:00+03:00 Europe/Bucharest' \
		'  2026-10-19T09:00:00+03:00' '  2026-10-26T09:00:00+02:00' '  2026-11-02T09:00:00+02:00' \
		'VEVENT Kickoff 2026-12-02T14:00:00+02:00 Europe/Bucharest')" ]
	# read back by crm in another zone: the same instants
	CRM_DB=$BATS_TEST_TMPDIR/other.db TZ=UTC crm init -q
	CRM_DB=$BATS_TEST_TMPDIR/other.db TZ=UTC crm event import "$BATS_TEST_TMPDIR/local.ics"
	CRM_DB=$BATS_TEST_TMPDIR/other.db TZ=UTC run crm task list --fields title,start,end
	[ "$output" = "$(printf 'title\tstart\tend\nStandup\t2026-10-19T06:00:00Z\t\nKickoff\t2026-12-02T12:00:00Z\t2026-12-02T13:00:00Z')" ]
}

@test "event import keeps the organizer and attendees (contacts and users matched by e-mail, strangers kept) and export writes them back" {
	crm user add boss --email Boss@Example.com >/dev/null
	crm contact add "Jo Doe" --email jo@acme.example >/dev/null
	cat > "$BATS_TEST_TMPDIR/invite.ics" <<-'EOF'
	BEGIN:VCALENDAR
	VERSION:2.0
	PRODID:-//Example//EN
	METHOD:REQUEST
	BEGIN:VEVENT
	UID:review-7@example.com
	DTSTAMP:20261201T080000Z
	DTSTART:20261210T130000Z
	DTEND:20261210T140000Z
	SUMMARY:Quarterly review
	ORGANIZER;CN=The Boss:mailto:boss@example.com
	ATTENDEE;CN=Jo Doe;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:JO@ACME.EXAMPLE
	ATTENDEE;CN=Sam Stranger;ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:sam@elsewhere.example
	ATTENDEE;ROLE=CHAIR:mailto:boss@example.com
	END:VEVENT
	END:VCALENDAR
	EOF
	run crm event import "$BATS_TEST_TMPDIR/invite.ics"
	expect_status 0
	run crm event import "$BATS_TEST_TMPDIR/invite.ics"
	expect_status 0
	[ "$(crm event list --fields id | wc -l)" -eq 2 ]
	run crm event show 1 -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '.attendees[] | [.role, .email, .name, .status, .contact, .user] | map(. // "-" | tostring) | join("|")')" = "$(printf '%s\n' \
		'organizer|boss@example.com|The Boss|-|-|boss' \
		'required|JO@ACME.EXAMPLE|Jo Doe|accepted|1|-' \
		'optional|sam@elsewhere.example|Sam Stranger|tentative|-|-' \
		'chair|boss@example.com|-|-|-|boss')" ]
	# the attendee who is a contact is one of the event's contacts, as any contact linked to it
	[ "$(echo "$output" | jq -r '.contacts | join(",")')" = "Jo Doe" ]
	run crm event show 1
	[[ "$output" == *"Attendees"*"sam@elsewhere.example"* ]]
	# written back: ORGANIZER and every ATTENDEE with their name, role and answer
	crm task export -o "$BATS_TEST_TMPDIR/back.ics"
	run py - "$BATS_TEST_TMPDIR/back.ics" <<-'PY'
	import sys, icalendar
	cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
	for c in cal.walk('VEVENT'):
	    o = c['ORGANIZER']
	    print('ORGANIZER', o, o.params.get('CN', '-'))
	    for a in c.get('ATTENDEE', []) if isinstance(c.get('ATTENDEE'), list) else [c['ATTENDEE']]:
	        print('ATTENDEE', a, a.params.get('CN', '-'), a.params.get('ROLE', '-'), a.params.get('PARTSTAT', '-'))
	PY
	expect_status 0
	[ "$output" = "$(printf '%s\n' \
		'ORGANIZER mailto:boss@example.com The Boss' \
		'ATTENDEE mailto:JO@ACME.EXAMPLE Jo Doe REQ-PARTICIPANT ACCEPTED' \
		'ATTENDEE mailto:sam@elsewhere.example Sam Stranger OPT-PARTICIPANT TENTATIVE' \
		'ATTENDEE mailto:boss@example.com - CHAIR -')" ]
	# sent again without Sam: the invitation's list replaces the one kept, still one event
	sed -i '/sam@elsewhere/d' "$BATS_TEST_TMPDIR/invite.ics"
	crm event import "$BATS_TEST_TMPDIR/invite.ics"
	[ "$(crm event show 1 -F json | jq -r '[.attendees[].email] | join(" ")')" = "boss@example.com JO@ACME.EXAMPLE boss@example.com" ]
	[ "$(crm event list --fields id | wc -l)" -eq 2 ]
	# a second event without a UID: refused (exit 6), its attendees not kept either
	sed -i 's/^UID:review-7@example.com$//; s/Quarterly review/Other/' "$BATS_TEST_TMPDIR/invite.ics"
	run -6 crm event import "$BATS_TEST_TMPDIR/invite.ics"
	[[ "$output" == *"without a UID"* ]]
	[ "$(crm event list --fields id | wc -l)" -eq 2 ]
	[ "$(crm event show 1 -F json | jq '.attendees | length')" -eq 3 ]
}

@test "task import x.ics: a VTODO's DUE and DTSTART (UTC, or a TZID the file does not describe) are kept; imported twice, still one" {
	printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//Example//EN \
		BEGIN:VTODO UID:todo-1@example.com 'SUMMARY:Send the quote' 'DTSTART;TZID=America/New_York:20261209T090000' \
		'DUE;TZID=America/New_York:20261210T130000' END:VTODO \
		BEGIN:VTODO UID:todo-2@example.com 'SUMMARY:Call back' DUE:20261211T150000Z END:VTODO \
		END:VCALENDAR > "$BATS_TEST_TMPDIR/todo.ics"
	run crm task import "$BATS_TEST_TMPDIR/todo.ics"
	expect_status 0
	[ "$output" = "2 created, 0 updated" ]
	run crm task import "$BATS_TEST_TMPDIR/todo.ics"
	[ "$output" = "0 created, 0 updated" ]
	run crm task list --fields id,title,type,start,due,all_day,uid
	[ "$output" = "$(printf '%s\n' $'id\ttitle\ttype\tstart\tdue\tall_day\tuid' \
		$'1\tSend the quote\ttask\t2026-12-09T14:00:00Z\t2026-12-10T18:00:00Z\t0\ttodo-1@example.com' \
		$'2\tCall back\ttask\t\t2026-12-11T15:00:00Z\t0\ttodo-2@example.com')" ]
	# a due time moved: the same UID updates it
	sed -i 's/DUE:20261211T150000Z/DUE:20261212T150000Z/' "$BATS_TEST_TMPDIR/todo.ics"
	run crm task import "$BATS_TEST_TMPDIR/todo.ics"
	[ "$output" = "0 created, 1 updated" ]
	[ "$(crm task show 2 -F json | py -c 'import json,sys; print(json.load(sys.stdin)["due"])')" = "2026-12-12T15:00:00Z" ]
	# a DUE before DTSTART is refused as the task's own check does: exit 6, nothing written
	printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 BEGIN:VTODO UID:todo-3@example.com SUMMARY:Backwards \
		DTSTART:20261210T090000Z DUE:20261209T090000Z END:VTODO END:VCALENDAR > "$BATS_TEST_TMPDIR/bad.ics"
	run -6 crm task import "$BATS_TEST_TMPDIR/bad.ics"
	[ "$(crm task list --no-headers | wc -l)" -eq 2 ]
	# a CSV file is still the generic import
	printf 'title,due\nFrom CSV,2026-12-20T10:00\n' > "$BATS_TEST_TMPDIR/t.csv"
	run -0 crm task import --mode create "$BATS_TEST_TMPDIR/t.csv"
	[ "$(crm task list title:'From CSV' --fields due --no-headers)" = "2026-12-20T10:00:00Z" ]
}

@test "an all-day event (VALUE=DATE) stays a day both ways: imported in Bucharest it is on that day there, exported as VALUE=DATE, read back by python3-icalendar" {
	export TZ=Europe/Bucharest
	crm user add ann >/dev/null
	printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//Example//EN \
		BEGIN:VEVENT UID:fest@example.com SUMMARY:Fest 'DTSTART;VALUE=DATE:20261207' 'DTEND;VALUE=DATE:20261208' END:VEVENT \
		BEGIN:VTODO UID:todo@example.com SUMMARY:Report 'DUE;VALUE=DATE:20261211' END:VTODO \
		END:VCALENDAR > "$BATS_TEST_TMPDIR/day.ics"
	run -0 crm event import "$BATS_TEST_TMPDIR/day.ics"
	# the local midnight of the day, as crm task add --start 2026-12-07 --all-day yes stores it
	run crm task list --fields id,title,start,end,due,all_day
	[ "$output" = "$(printf '%s\n' $'id\ttitle\tstart\tend\tdue\tall_day' \
		$'1\tFest\t2026-12-06T22:00:00Z\t2026-12-07T22:00:00Z\t\t1' $'2\tReport\t\t\t2026-12-10T22:00:00Z\t1')" ]
	crm event edit 1 --assignee ann
	run crm calendar --week --user ann 2026-12-07
	[ "${lines[4]:0:12}" = "|Fest      |" ]
	crm event add Holiday --assignee ann --start 2026-12-24 --end 2026-12-25 --all-day yes >/dev/null
	run -0 crm task export -o "$BATS_TEST_TMPDIR/back.ics"
	tr -d '\r' < "$BATS_TEST_TMPDIR/back.ics" > "$BATS_TEST_TMPDIR/back.txt"
	grep -q '^DTSTART;VALUE=DATE:20261207$' "$BATS_TEST_TMPDIR/back.txt"
	grep -q '^DUE;VALUE=DATE:20261211$' "$BATS_TEST_TMPDIR/back.txt"
	grep -q '^DTSTART;VALUE=DATE:20261224$' "$BATS_TEST_TMPDIR/back.txt"
	run py - "$BATS_TEST_TMPDIR/back.ics" <<-'PY'
	import sys, datetime, icalendar
	cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
	for c in cal.walk():
	    if c.name in ('VTODO', 'VEVENT'):
	        for k in ('DTSTART', 'DTEND', 'DUE'):
	            if c.get(k) is not None:
	                d = c[k].dt
	                print(c['SUMMARY'], k, type(d).__name__, d.isoformat())
	PY
	expect_status 0
	[ "$output" = "$(printf '%s\n' 'Fest DTSTART date 2026-12-07' 'Fest DTEND date 2026-12-08' 'Report DUE date 2026-12-11' \
		'Holiday DTSTART date 2026-12-24' 'Holiday DTEND date 2026-12-25')" ]
	# read back in New York: still the 7th, there
	CRM_DB=$BATS_TEST_TMPDIR/ny.db TZ=America/New_York crm init -q
	CRM_DB=$BATS_TEST_TMPDIR/ny.db TZ=America/New_York crm event import "$BATS_TEST_TMPDIR/back.ics"
	[ "$(CRM_DB=$BATS_TEST_TMPDIR/ny.db TZ=America/New_York crm event list title:Fest --fields start --no-headers)" = "2026-12-07T05:00:00Z" ]
}
