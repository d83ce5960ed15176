#!/usr/bin/env bats
# Excel output as people open it (issue 16, point 6), read back with openpyxl: line breaks
# wrapped, timestamps labelled UTC, money with its currency, a page setup that fits the columns
# to the page width, cells over Excel's 32,767 characters cut and said; and, where LibreOffice
# is installed, the file opened by it.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester CRM_NOW=2026-03-04T05:06:07Z
	crm account add Acme --notes $'first line\nsecond line' --credit-limit 12345.5 >/dev/null
	crm contract add 'Support 2026' --account Acme --value 98765.25 --currency EUR >/dev/null
	crm contract add 'Licences' --account Acme --value 10 >/dev/null
}

@test "xlsx: multi-line text wraps, one-line text does not" {
	run -0 crm account export -o "$BATS_TEST_TMPDIR/a.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/a.xlsx" <<-'EOF2'
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1])["Data"]
	head = [c.value for c in ws[1]]
	notes = ws.cell(2, head.index("notes") + 1)
	name = ws.cell(2, head.index("name") + 1)
	assert notes.value == "first line\nsecond line", notes.value
	assert notes.alignment.wrap_text is True, notes.alignment
	assert not name.alignment.wrap_text, name.alignment
	print("ok")
	EOF2
	[ "$output" = ok ]
}

@test "xlsx: timestamps say UTC, dates are dates, money has its currency's decimals and the row's currency" {
	crm contract add Yen --account Acme --value 1234 --currency JPY >/dev/null
	run -0 crm contract export --sort id -o "$BATS_TEST_TMPDIR/c.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/c.xlsx" <<-'EOF2'
	import sys, datetime, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1])["Data"]
	head = [c.value for c in ws[1]]
	col = lambda n, r: ws.cell(r, head.index(n) + 1)
	created = col("created", 2)
	assert created.value == datetime.datetime(2026, 3, 4, 5, 6, 7), created.value
	assert created.number_format == 'yyyy-mm-dd hh:mm "UTC"', created.number_format
	v = col("value", 2)
	assert v.value == 98765.25 and v.number_format == '#,##0.00 "EUR"', (v.value, v.number_format)
	v = col("value", 3)
	assert v.value == 10 and v.number_format == '#,##0.00 "EUR"', (v.value, v.number_format)
	v = col("value", 4)
	assert v.value == 1234 and v.number_format == '#,##0 "JPY"', (v.value, v.number_format)
	print("ok")
	EOF2
	[ "$output" = ok ]
	run -0 crm account export -o "$BATS_TEST_TMPDIR/a.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/a.xlsx" <<-'EOF2'
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1])["Data"]
	head = [c.value for c in ws[1]]
	c = ws.cell(2, head.index("credit_limit") + 1)
	assert c.value == 12345.5 and c.number_format == '#,##0.00 "EUR"', (c.value, c.number_format)
	print("ok")
	EOF2
	[ "$output" = ok ]
}

@test "xlsx: printed landscape, the columns fitted to the page width, the header on every page" {
	run -0 crm account export -o "$BATS_TEST_TMPDIR/a.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/a.xlsx" <<-'EOF2'
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1])["Data"]
	assert ws.page_setup.orientation == "landscape", ws.page_setup.orientation
	assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.sheet_properties.pageSetUpPr
	# fitToWidth is 1 when absent (the OOXML default, which libxlsxwriter leaves out)
	assert str(ws.page_setup.fitToWidth or 1) == "1", ws.page_setup.fitToWidth
	assert str(ws.page_setup.fitToHeight) == "0", ws.page_setup.fitToHeight
	assert ws.print_title_rows == "$1:$1", ws.print_title_rows
	print("ok")
	EOF2
	[ "$output" = ok ]
}

@test "xlsx: a cell longer than Excel holds is cut to fit and said; other formats keep it whole" {
	long=$(head -c 40000 /dev/zero | tr '\0' x)
	crm account add Big --notes "$long" >/dev/null
	run --separate-stderr crm account export --sort id -o "$BATS_TEST_TMPDIR/a.xlsx"
	expect_status 0
	[ "$stderr" = "crm: '$BATS_TEST_TMPDIR/a.xlsx': 1 cell longer than Excel's 32,767 characters was cut to fit (the first: row 3, column 'notes'); the whole text is in csv, tsv, json or yaml" ]
	run -0 py - "$BATS_TEST_TMPDIR/a.xlsx" <<-'EOF2'
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1])["Data"]
	head = [c.value for c in ws[1]]
	print(len(ws.cell(3, head.index("notes") + 1).value))
	EOF2
	[ "$output" = 32767 ]
	run -0 crm account export --fields notes -F tsv Big
	[ "${#lines[1]}" -eq 40000 ]
}

@test "xlsx opens in LibreOffice (soffice --headless --convert-to csv)" {
	command -v soffice >/dev/null || skip "LibreOffice (soffice) is not installed; .ci/run installs it"
	run -0 crm contract export --sort id -o "$BATS_TEST_TMPDIR/c.xlsx"
	cd "$BATS_TEST_TMPDIR"
	run timeout 120 soffice --headless --convert-to csv --outdir "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/c.xlsx"
	expect_status 0
	grep -q 'Support 2026' "$BATS_TEST_TMPDIR/out/c.csv"
	# soffice's csv filter writes the value, not its display format (openpyxl checks that above)
	grep -q 'Support 2026,Acme,,,98765.25,EUR' "$BATS_TEST_TMPDIR/out/c.csv"
}

@test "xlsx: money is known by its field's type, not its column's name" {
	# A cost's amount is in its project's currency, which is not a column of the cost's row;
	# a number custom field named like money ("price") stays a plain number.
	printf 'custom_fields:\n  account:\n    - {name: price, type: number}\n' >"$BATS_TEST_TMPDIR/c.yaml"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	crm project add Apollo --account Acme --currency JPY >/dev/null
	crm project cost add Apollo 1500 licences >/dev/null
	crm account edit Acme --price 12 >/dev/null
	run -0 crm project cost list Apollo -o "$BATS_TEST_TMPDIR/k.xlsx"
	run -0 crm account export -o "$BATS_TEST_TMPDIR/a.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/k.xlsx" "$BATS_TEST_TMPDIR/a.xlsx" <<-'EOF2'
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1])["Data"]
	head = [c.value for c in ws[1]]
	a = ws.cell(2, head.index("amount") + 1)
	assert a.value == 1500 and a.number_format == '#,##0 "JPY"', (a.value, a.number_format)
	ws = openpyxl.load_workbook(sys.argv[2])["Data"]
	head = [c.value for c in ws[1]]
	p = ws.cell(2, head.index("price") + 1)
	assert p.value == 12 and p.number_format == "General", (p.value, p.number_format)
	print("ok")
	EOF2
	[ "$output" = ok ]
}

@test "xlsx: an amount beyond Excel's 15 significant digits is text with every digit, not a rounded number" {
	crm project add Big --account Acme --currency EUR >/dev/null
	crm project cost add Big 12345678901234.56 huge >/dev/null
	crm project cost add Big 1234567890123.45 large >/dev/null
	crm project cost add Big 99999999999999 round >/dev/null
	run -0 crm project cost list Big --sort amount -o "$BATS_TEST_TMPDIR/k.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/k.xlsx" <<-'EOF2'
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1])["Data"]
	head = [c.value for c in ws[1]]
	col = head.index("amount") + 1
	small, big, round_ = ws.cell(2, col), ws.cell(3, col), ws.cell(4, col)
	assert small.value == 1234567890123.45 and small.number_format == '#,##0.00 "EUR"', (small.value, small.number_format)
	# 14 digits and zero cents: still a number
	assert round_.value == 99999999999999 and round_.number_format == '#,##0.00 "EUR"', (round_.value, round_.number_format)
	# text keeps every digit and the currency
	assert big.value == "12345678901234.56 EUR", (big.value,)
	print("ok")
	EOF2
	[ "$output" = ok ]
}
