#!/usr/bin/env bats
# Output formats (-F, -o FILE) of `account list` and `account show`, read back with real parsers.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
	cd "$BATS_TEST_TMPDIR"
}

# Values that trip up writers: newlines and tabs, commas and quotes, a name that looks like a
# number, a country that YAML 1.1 reads as a boolean, accents, a backslash.
seed() {
	crm account add Acme --country DE --credit-limit 5000 --notes $'line1\nline2\ttabbed' >/dev/null
	crm account add 'Comma, "Quoted" Inc' --credit-limit 12.5 >/dev/null
	crm account add 1000 --country yes >/dev/null
	crm account add 'Müller GmbH' --notes 'back\slash' >/dev/null
}

FIELDS=id,name,country,credit_limit,notes

# ---------------------------------------------------------------- list

@test "format table aligns columns under a header" {
	seed
	run --separate-stderr crm account list -F table --fields $FIELDS
	expect_status 0
	expected='id  name                 country  credit_limit  notes
3   1000                 yes
1   Acme                 DE       5000.00       line1 line2 tabbed
2   Comma, "Quoted" Inc           12.50
4   Müller GmbH                                 back\slash'
	[ "$output" = "$expected" ]
}

@test "format table pads and cuts by display width: CJK and emoji take two columns, combining accents none" {
	crm account add '東京株式会社' --country JP >/dev/null
	crm account add 'Zürich Straße AG 🚀' --country CH >/dev/null
	crm account add $'Cafe\u0301 Noir' --country FR >/dev/null
	crm account add Acme --country DE >/dev/null
	run --separate-stderr crm account list -F table --fields name,country --sort id
	expect_status 0
	# the country starts at the same column on every line: 19 (the widest name) + 2
	expected="name                 country
東京株式会社         JP
Zürich Straße AG 🚀  CH
Cafe$(printf '\u0301') Noir            FR
Acme                 DE"
	[ "$output" = "$expected" ]
	# a name wider than 60 columns is cut to fewer, on a character: 29 of 31 wide ones and "…"
	crm account add "$(printf '株%.0s' {1..31})" --country JP >/dev/null
	run --separate-stderr crm account list -F table --fields name,country --sort id id:5
	expect_status 0
	[ "$(printf '%s\n' "$output" | sed -n 2p)" = "$(printf '株%.0s' {1..29})…  JP" ]
	# the text view's field names line up too
	run --separate-stderr crm account show 1 -F table
	expect_status 0
	[[ "$output" == *$'\nname                東京株式会社\n'* ]]
}

@test "format table shows timestamps in local time" {
	seed
	export TZ=Europe/Berlin
	run crm account list -F table --fields id,created id:1
	expect_status 0
	[ "$output" = $'id  created\n1   2024-05-01 12:00' ]
}

@test "format tsv is the default off a terminal and escapes tabs, newlines and backslashes" {
	seed
	run --separate-stderr crm account list --fields $FIELDS
	expect_status 0
	local default=$output
	run --separate-stderr crm account list -F tsv --fields $FIELDS
	expect_status 0
	[ "$output" = "$default" ]
	expected=$'id\tname\tcountry\tcredit_limit\tnotes
3\t1000\tyes\t\t
1\tAcme\tDE\t5000.00\tline1\\nline2\\ttabbed
2\tComma, "Quoted" Inc\t\t12.50\t
4\tMüller GmbH\t\t\tback\\\\slash'
	[ "$output" = "$expected" ]
}

@test "format tsv writes timestamps as ISO 8601 in UTC" {
	seed
	export TZ=Europe/Berlin
	run crm account list --fields created id:1 --no-headers
	expect_status 0
	[ "$output" = 2024-05-01T10:00:00Z ]
}

@test "format csv quotes commas, quotes and newlines as python's csv module reads them" {
	seed
	run --separate-stderr crm account list -F csv --fields $FIELDS
	expect_status 0
	[ "${lines[0]}" = "id,name,country,credit_limit,notes" ]
	[ "${lines[1]}" = "3,1000,yes,," ]
	run py -c 'import csv, sys, json
print(json.dumps(list(csv.reader(sys.stdin))))' <<<"$output"
	[ "$status" -eq 0 ]
	[ "$output" = '[["id", "name", "country", "credit_limit", "notes"], ["3", "1000", "yes", "", ""], ["1", "Acme", "DE", "5000.00", "line1\nline2\ttabbed"], ["2", "Comma, \"Quoted\" Inc", "", "12.50", ""], ["4", "M\u00fcller GmbH", "", "", "back\\slash"]]' ]
}

@test "format csv quotes values with leading or trailing spaces" {
	crm account add ' Spaced ' >/dev/null
	run crm account list -F csv --fields name --no-headers
	expect_status 0
	[ "$output" = '" Spaced "' ]
}

@test "format json is an array of objects with typed numbers and null for empty" {
	seed
	run --separate-stderr crm account list -F json --fields $FIELDS
	expect_status 0
	[ -z "$stderr" ]
	local json=$output
	[ "$(jq -r 'type' <<<"$json")" = array ]
	[ "$(jq -r 'length' <<<"$json")" = 4 ]
	[ "$(jq -c '.[1]' <<<"$json")" = '{"id":1,"name":"Acme","country":"DE","credit_limit":5000,"notes":"line1\nline2\ttabbed"}' ]
	[ "$(jq -c 'map(.id | type) | unique' <<<"$json")" = '["number"]' ]
	[ "$(jq -c '.[2].credit_limit' <<<"$json")" = 12.5 ]
	[ "$(jq -c '.[0] | [.name, .country, .credit_limit, .notes]' <<<"$json")" = '["1000","yes",null,null]' ]
	[ "$(jq -r '.[2].name' <<<"$json")" = 'Comma, "Quoted" Inc' ]
	[ "$(jq -r '.[3] | .name + "|" + .notes' <<<"$json")" = 'Müller GmbH|back\slash' ]
}

@test "format json has every default column" {
	seed
	run crm account list -F json
	expect_status 0
	[ "$(jq -c '.[0] | keys_unsorted' <<<"$output")" = '["id","name","parent","industry","country","lifecycle_stage"]' ]
}

@test "format ndjson is one JSON object per line" {
	seed
	run --separate-stderr crm account list -F ndjson --fields $FIELDS
	expect_status 0
	[ "${#lines[@]}" -eq 4 ]
	for line in "${lines[@]}"; do
		[ "$(jq -r 'type' <<<"$line")" = object ]
	done
	[ "$(jq -c '[.id, .credit_limit, .notes]' <<<"${lines[1]}")" = '[1,5000,"line1\nline2\ttabbed"]' ]
}

@test "format yaml reads back with the right types" {
	seed
	run --separate-stderr crm account list -F yaml --fields id,name,country,credit_limit,notes,created
	expect_status 0
	run py -c 'import sys, yaml
rows = yaml.safe_load(sys.stdin)
for r in rows:
    print(repr([r["id"], r["name"], r["country"], r["credit_limit"], r["notes"], r["created"]]))' <<<"$output"
	[ "$status" -eq 0 ]
	expected="[3, '1000', 'yes', None, None, '2024-05-01T10:00:00Z']
[1, 'Acme', 'DE', 5000.0, 'line1\\nline2\\ttabbed', '2024-05-01T10:00:00Z']
[2, 'Comma, \"Quoted\" Inc', None, 12.5, None, '2024-05-01T10:00:00Z']
[4, 'Müller GmbH', None, None, 'back\\\\slash', '2024-05-01T10:00:00Z']"
	[ "$output" = "$expected" ]
}

@test "format names ignore case and take the jsonl and yml aliases" {
	seed
	run crm account list -F JSON --fields id
	expect_status 0
	[ "$(jq -c 'map(.id)' <<<"$output")" = '[3,1,2,4]' ]
	run crm account list --format=jsonl --fields id
	expect_status 0
	[ "${lines[0]}" = '{"id":3}' ]
	run crm account list -F yml --fields id
	expect_status 0
	[ "${lines[0]}" = '- id: 3' ]
}

@test "format -o FILE takes the format from the extension and prints nothing" {
	seed
	for ext in csv tsv json yaml; do
		run --separate-stderr crm account list -o "out.$ext" --fields $FIELDS
		expect_status 0
		[ -z "$output" ]
		[ -z "$stderr" ]
		[ -s "out.$ext" ]
	done
	[ "$(head -1 out.csv)" = "id,name,country,credit_limit,notes" ]
	[ "$(head -1 out.tsv)" = $'id\tname\tcountry\tcredit_limit\tnotes' ]
	[ "$(jq -c 'map(.id)' out.json)" = '[3,1,2,4]' ]
	run py -c 'import yaml; print([r["name"] for r in yaml.safe_load(open("out.yaml"))])'
	[ "$output" = "['1000', 'Acme', 'Comma, \"Quoted\" Inc', 'Müller GmbH']" ]
	run py -c 'import csv; print(len(list(csv.reader(open("out.csv", newline="")))))'
	[ "$output" = 5 ]
}

@test "format -o with .ndjson and .yml extensions" {
	seed
	run crm account list -o out.ndjson --fields id
	expect_status 0
	[ "$(head -1 out.ndjson)" = '{"id":3}' ]
	run crm account list -o out.yml --fields id
	expect_status 0
	[ "$(head -1 out.yml)" = '- id: 3' ]
}

@test "format -F wins over the extension of -o" {
	seed
	run crm account list -F json -o out.csv --fields id
	expect_status 0
	[ "$(jq -c 'map(.id)' out.csv)" = '[3,1,2,4]' ]
}

@test "format -o with an extension no format has is an error, and nothing is written; -F chooses one" {
	seed
	run crm account list -o out.pdf --fields id,name
	expect_status 2
	[ "$output" = "crm: cannot write a '.pdf' file here: name a .csv, .tsv, .json, .ndjson, .yaml, .xlsx or .txt file, or choose the format with -F" ]
	[ ! -e out.pdf ]
	echo keep >out.dat
	run crm account export -o out.dat
	expect_status 2
	[ "$(cat out.dat)" = keep ]
	run -0 crm account list -o out.dat -F tsv --fields id,name
	[ "$(head -2 out.dat)" = $'id\tname\n3\t1000' ]
}

@test "format -o with no extension writes tsv" {
	seed
	run -0 crm account list -o out --fields id,name
	[ "$(head -2 out)" = $'id\tname\n3\t1000' ]
	run -0 crm account list -o .accounts --fields id,name
	[ "$(head -2 .accounts)" = $'id\tname\n3\t1000' ]
}

@test "format -o to a file that cannot be written fails" {
	seed
	run crm account list -o "$BATS_TEST_TMPDIR/no/such/dir/out.csv"
	expect_status 1
	[[ "$output" == "crm: cannot write '$BATS_TEST_TMPDIR/no/such/dir/out.csv': "* ]]
}

@test "format xlsx has a Data sheet with a header row and typed cells, and an About sheet" {
	seed
	run --separate-stderr crm account list -o out.xlsx --fields $FIELDS
	expect_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
	run py -c 'import openpyxl
wb = openpyxl.load_workbook("out.xlsx")
print(wb.sheetnames)
ws = wb["Data"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
print(rows[0])
print(rows[2])
print(type(rows[2][3]).__name__, type(rows[1][1]).__name__, rows[3][3])
about = {r[0].value: r[1].value for r in wb["About"].iter_rows()}
print(about["rows"], about["user"])'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "['Data', 'About']" ]
	[ "${lines[1]}" = "['id', 'name', 'country', 'credit_limit', 'notes']" ]
	[ "${lines[2]}" = "[1, 'Acme', 'DE', 5000, 'line1\\nline2\\ttabbed']" ]
	[ "${lines[3]}" = "int str 12.5" ]
	[ "${lines[4]}" = "4 tester" ]
}

@test "format xlsx writes timestamps as dates" {
	seed
	run crm account list -o out.xlsx --fields id,created id:1
	expect_status 0
	run py -c 'import openpyxl
ws = openpyxl.load_workbook("out.xlsx")["Data"]
v = ws.cell(row=2, column=2).value
print(type(v).__name__, v.isoformat())'
	[ "$output" = "datetime 2024-05-01T10:00:00" ]
}

@test "format unknown is a usage error" {
	run crm account list -F xml
	expect_status 2
	[ "$output" = "crm: unknown format 'xml' (table, tsv, csv, json, ndjson, yaml, xlsx)" ]
}

@test "format xlsx without -o is a usage error" {
	run crm account list -F xlsx
	expect_status 2
	[ "$output" = "crm: xlsx needs a file: give -o FILE.xlsx" ]
}

@test "format of an empty list: nothing in table, [] in json and yaml, the header in csv" {
	crm init -q # reads need a database: they never create one
	run --separate-stderr crm account list -F table
	expect_status 0
	[ -z "$output" ]
	run --separate-stderr crm account list -F json
	expect_status 0
	[ "$output" = "[]" ]
	run --separate-stderr crm account list -F ndjson
	expect_status 0
	[ -z "$output" ]
	run --separate-stderr crm account list -F yaml
	expect_status 0
	[ "$(py -c 'import sys, yaml; print(yaml.safe_load(sys.stdin))' <<<"$output")" = "[]" ]
	run --separate-stderr crm account list -F csv
	expect_status 0
	[ "$output" = "id,name,parent,industry,country,lifecycle_stage" ]
}

@test "format of an empty list in xlsx is a header row only" {
	crm init -q # reads need a database: they never create one
	run crm account list -o out.xlsx
	expect_status 0
	run py -c 'import openpyxl
ws = openpyxl.load_workbook("out.xlsx")["Data"]
print([[c.value for c in r] for r in ws.iter_rows()])'
	[ "$output" = "[['id', 'name', 'parent', 'industry', 'country', 'lifecycle_stage']]" ]
}

# ---------------------------------------------------------------- show

@test "format show -F json is one object" {
	seed
	run --separate-stderr crm account show Acme -F json
	expect_status 0
	[ "$(jq -c '[.id, .name, .credit_limit, .parent, .notes]' <<<"$output")" = '[1,"Acme",5000,null,"line1\nline2\ttabbed"]' ]
}

@test "format show -F ndjson is one line" {
	seed
	run --separate-stderr crm account show Acme -F ndjson
	expect_status 0
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -c '[.id, .locations]' <<<"$output")" = '[1,[]]' ]
}

@test "format show -F yaml reads back with the right types" {
	seed
	run --separate-stderr crm account show 1000 -F yaml
	expect_status 0
	run py -c 'import sys, yaml
d = yaml.safe_load(sys.stdin)
print(repr([d["id"], d["name"], d["country"], d["credit_limit"], d["locations"]]))' <<<"$output"
	[ "$output" = "[3, '1000', 'yes', None, []]" ]
}

@test "format show -F table is the text view" {
	seed
	run crm account show Acme
	local text=$output
	run --separate-stderr crm account show Acme -F table
	expect_status 0
	[ "$output" = "$text" ]
	[ "${lines[0]}" = "id                  1" ]
}

@test "format show -F csv is the record as one row under a header" {
	seed
	run --separate-stderr crm account show 2 -F csv
	expect_status 0
	run py -c 'import csv, sys
rows = list(csv.reader(sys.stdin))
print(len(rows), rows[0][:3], rows[1][:2], rows[1][rows[0].index("credit_limit")])' <<<"$output"
	[ "$output" = "2 ['id', 'name', 'parent'] ['2', 'Comma, \"Quoted\" Inc'] 12.50" ]
}

@test "format show -F tsv is the record as one row under a header" {
	seed
	run --separate-stderr crm account show Acme -F tsv --no-headers
	expect_status 0
	[ "$output" = $'1\tAcme\t\t\tDE\t\t\t\t\t\t5000.00\tEUR\t\t\tline1\\nline2\\ttabbed\t2024-05-01T10:00:00Z\t2024-05-01T10:00:00Z' ]
}

@test "format show -o FILE writes the file in the extension's format" {
	seed
	for ext in json yaml csv tsv; do
		run --separate-stderr crm account show Acme -o "show.$ext"
		expect_status 0
		[ -z "$output" ]
		[ -s "show.$ext" ]
	done
	[ "$(jq -r '.name' show.json)" = Acme ]
	[ "$(py -c 'import yaml; print(yaml.safe_load(open("show.yaml"))["credit_limit"])')" = 5000.0 ]
	[ "$(py -c 'import csv; r = list(csv.DictReader(open("show.csv", newline=""))); print(len(r), r[0]["name"], r[0]["notes"].split())')" = "1 Acme ['line1', 'line2', 'tabbed']" ]
	[ "$(cut -f2 show.tsv)" = $'name\nAcme' ]
}

@test "format show -o FILE.xlsx writes the record as a sheet" {
	seed
	run --separate-stderr crm account show Acme -o show.xlsx
	expect_status 0
	[ -z "$output" ]
	run py -c 'import openpyxl
wb = openpyxl.load_workbook("show.xlsx")
ws = wb["Data"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
print(wb.sheetnames, len(rows), rows[0][:2], rows[1][:2], rows[1][rows[0].index("credit_limit")])'
	[ "$output" = "['Data', 'About'] 2 ['id', 'name'] [1, 'Acme'] 5000" ]
}

@test "format show -o FILE.txt writes the record as a table" {
	seed
	run --separate-stderr crm account show 1000 -o show.txt
	expect_status 0
	[ -z "$output" ]
	[ "$(head -1 show.txt | awk '{print $1, $2}')" = "id name" ]
	[ "$(sed -n 2p show.txt | awk '{print $1, $2, $3}')" = "3 1000 yes" ]
}

@test "format show of other nouns honours -F csv and -o" {
	crm account add Acme >/dev/null
	crm contact add Ann Smith --account Acme >/dev/null
	run crm contact show 1 -F csv --no-headers
	expect_status 0
	[[ "$output" == "1,Ann,Smith,,,,,Acme,"* ]]
	run crm contact show 1 -o c.json
	expect_status 0
	[ "$(jq -r .account c.json)" = Acme ]
}

@test "format show -F xlsx without -o is a usage error" {
	seed
	run crm account show Acme -F xlsx
	expect_status 2
	[ "$output" = "crm: xlsx needs a file: give -o FILE.xlsx" ]
}
