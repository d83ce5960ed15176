#!/usr/bin/env bats
# crm report tickets (terminal summary) and crm report export tickets --xlsx, the workbook read
# back by a real reader: Debian's python3-openpyxl.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
	use_config <<'EOF'
custom_fields:
  ticket:
    - {name: severity, type: choice, values: [minor, major]}
    - {name: budget, type: number}
EOF
	# Four tickets: two resolved (after 2 and 4 hours), one urgent and late, one waiting.
	crm ticket open "Printer on fire" --account Acme --priority high --assign ann --severity major --budget 250 >/dev/null
	crm ticket open "Mail bounces" --account Acme --priority normal --assign ann >/dev/null
	crm ticket open "Server down" --account Globex --priority urgent --assign bob >/dev/null
	crm ticket open "Password reset" --account Globex --priority low --assign @support --severity minor >/dev/null
	CRM_NOW=2026-03-02T11:00:00Z crm ticket resolve 1 "new fuser"
	CRM_NOW=2026-03-02T13:00:00Z crm ticket resolve 2 "quota raised"
	CRM_NOW=2026-03-02T10:00:00Z crm ticket transition 4 wait
	export CRM_NOW=2026-03-04T09:00:00Z
}

@test "report tickets summarises by status, priority and assignee, with age, resolve time and breaches" {
	run crm report tickets
	expect_status 0
	[ "${lines[0]}" = "Tickets: 4, 2 open; 1 breaching their service level (1 of them open)" ]
	[[ "$output" == *"By status"*"new"*"waiting"*"resolved  2"* ]]
	[[ "$output" == *"By priority"*"urgent"*"high"*"normal"*"low"* ]]
	[[ "$output" == *"By assignee"*"ann       2"*"@support"* ]]
	[[ "$output" == *"Open age: average 2.0 days, oldest 2.0 days; under 1 day 0, 1-3 days 2"* ]]
	[[ "$output" == *"Time to resolve: average 3.0 hours over 2 resolved tickets"* ]]
}

@test "report tickets takes a filter and structured formats" {
	run crm report tickets account:Globex -F json
	expect_status 0
	[ "$(echo "$output" | jq -c '[.total, .open, .breached]')" = "[2,2,1]" ]
	[ "$(echo "$output" | jq -c '.by_status | map([.status, .tickets])')" = '[["new",1],["waiting",1]]' ]
	[ "$(echo "$output" | jq -c '.by_assignee | map(.assignee)')" = '["@support","bob"]' ]
	run crm report tickets severity:major -F yaml
	[[ "$output" == *"total: 1"* ]]
	run -2 crm report tickets colour:red
	run -2 crm report tickets --bogus
}

check_workbook() {
	py - "$1" <<'EOF'
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Tickets", "Summary", "About"], wb.sheetnames
ws = wb["Tickets"]
head = [c.value for c in ws[1]]
assert head[:4] == ["id", "title", "account", "contact"], head
for name in ("priority", "status", "assignee", "opened", "resolved", "breach", "severity", "budget"):
    assert name in head, name
assert all(c.font.b for c in ws[1]), "header not bold"
assert ws.freeze_panes == "A2", ws.freeze_panes
assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.auto_filter.ref
assert ws.max_row == 5, ws.max_row
col = {name: i + 1 for i, name in enumerate(head)}
opened = ws.cell(row=2, column=col["opened"])
assert opened.is_date and opened.value == datetime.datetime(2026, 3, 2, 9, 0), opened.value
assert ws.cell(row=2, column=col["id"]).value == 1
assert ws.cell(row=2, column=col["budget"]).value == 250
assert ws.cell(row=2, column=col["severity"]).value == "major"
assert ws.cell(row=4, column=col["breach"]).value is True
assert ws.cell(row=2, column=col["title"]).value == "Printer on fire"
assert ws.column_dimensions["B"].width >= len("Printer on fire"), ws.column_dimensions["B"].width
s = wb["Summary"]
assert len(s._charts) == 2, len(s._charts)
rows = [[c.value for c in r] for r in s.iter_rows(max_col=4)]
assert rows[0] == ["Status", "Tickets", "Open", "Breached"], rows[0]
assert ["resolved", 2, 0, 0] in rows, rows
assert ["Tickets", 4, None, None] in rows, rows
a = wb["About"]
about = {r[0].value: r[1].value for r in a.iter_rows()}
assert "report export tickets" in about["Command"], about
assert about["User"] == "root", about
assert about["Time (UTC)"] == datetime.datetime(2026, 3, 4, 9, 0), about
print("ok")
EOF
}

@test "report export tickets --xlsx writes the workbook an Excel reader expects" {
	run crm report export tickets --xlsx -o "$BATS_TEST_TMPDIR/tickets.xlsx"
	expect_status 0
	[ -z "$output" ]
	run check_workbook "$BATS_TEST_TMPDIR/tickets.xlsx"
	echo "$output"
	[ "$output" = ok ]
}

@test "report export takes the format from -o FILE.xlsx and a filter" {
	run crm -o "$BATS_TEST_TMPDIR/globex.xlsx" report export tickets account:Globex
	expect_status 0
	run py -c "
import openpyxl, sys
wb = openpyxl.load_workbook('$BATS_TEST_TMPDIR/globex.xlsx')
assert wb['Tickets'].max_row == 3
about = {r[0].value: r[1].value for r in wb['About'].iter_rows()}
assert about['Filter'] == 'account:Globex', about
print('ok')"
	[ "$output" = ok ]
}

@test "report export refuses what it cannot do" {
	run -2 crm report export tickets
	[[ "$output" == *"-o FILE.xlsx"* ]]
	run -2 crm report export tickets -o "$BATS_TEST_TMPDIR/t.csv"
	run -2 crm report export forecast --xlsx -o "$BATS_TEST_TMPDIR/t.xlsx"
	[ "$output" = "crm: report export takes a report name: tickets, pipeline or client-value" ]
	run -1 crm report export tickets --xlsx -o /nonexistent/dir/t.xlsx
}

@test "report export: counts are integers, multi-line cells wrap, every sheet has a page setup" {
	crm ticket open "Two lines" --account Acme --priority low --description $'first line\nsecond line' >/dev/null
	run crm report export tickets --xlsx -o "$BATS_TEST_TMPDIR/t.xlsx"
	expect_status 0
	run py - "$BATS_TEST_TMPDIR/t.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
s = wb["Summary"]
fmt = {r[0].value: (r[1].value, r[1].number_format) for r in s.iter_rows(max_col=2) if r[0].value}
assert fmt["Tickets"] == (5, "0"), fmt["Tickets"]
assert fmt["Open"] == (3, "0"), fmt["Open"]
assert fmt["Resolved"][1] == "0", fmt["Resolved"]
assert fmt["Open over 7 days"][1] == "0", fmt["Open over 7 days"]
assert fmt["Average time to resolve (hours)"][1] == "0.0", fmt
status = [r for r in s.iter_rows(max_col=4) if r[0].value == "resolved"][0]
assert [c.number_format for c in status[1:]] == ["0", "0", "0"], [c.number_format for c in status[1:]]
t = wb["Tickets"]
head = [c.value for c in t[1]]
d = t.cell(row=6, column=head.index("description") + 1)
assert d.value == "first line\nsecond line", d.value
assert d.alignment.wrap_text, "a multi-line cell does not wrap"
assert not t.cell(row=6, column=head.index("title") + 1).alignment.wrap_text
for name, whole in (("Tickets", False), ("Summary", True), ("About", True)):
    ws = wb[name]
    assert ws.page_setup.orientation == "landscape", (name, ws.page_setup.orientation)
    assert ws.sheet_properties.pageSetUpPr.fitToPage, name
    assert ws.page_setup.fitToWidth in (1, None), (name, ws.page_setup.fitToWidth)
    # one page high (1, the default, left out of the file) or as many as it takes (0)
    assert ws.page_setup.fitToHeight in ((1, None) if whole else (0,)), (name, ws.page_setup.fitToHeight)
assert wb["Tickets"].print_title_rows in ("1:1", "$1:$1"), wb["Tickets"].print_title_rows
assert wb["Summary"].print_area, "the summary prints its charts"
print("ok")
EOF
	echo "$output"
	[ "$output" = ok ]
}

@test "report export -o is atomic, keeps the target's mode and never writes through a symbolic link" {
	d=$BATS_TEST_TMPDIR/out
	mkdir "$d"
	echo precious > "$d/r.xlsx"
	chmod 640 "$d/r.xlsx"
	# a failure leaves the target as it was, and no temporary file
	run -2 crm report export tickets bogus:1 -o "$d/r.xlsx"
	[ "$(cat "$d/r.xlsx")" = precious ]
	[ "$(ls "$d")" = r.xlsx ]
	run -0 crm report export tickets -o "$d/r.xlsx"
	[ "$(head -c 2 "$d/r.xlsx")" = PK ]
	[ "$(stat -c %a "$d/r.xlsx")" = 640 ]
	[ "$(ls "$d")" = r.xlsx ]
	echo secret > "$BATS_TEST_TMPDIR/elsewhere.xlsx"
	ln -s "$BATS_TEST_TMPDIR/elsewhere.xlsx" "$d/link.xlsx"
	run --separate-stderr crm report export tickets -o "$d/link.xlsx"
	expect_status 1
	[ "$stderr" = "crm: will not write through the symbolic link '$d/link.xlsx'; name the file itself" ]
	[ "$(cat "$BATS_TEST_TMPDIR/elsewhere.xlsx")" = secret ]
}
