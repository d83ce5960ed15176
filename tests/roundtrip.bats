#!/usr/bin/env bats
# Round trips (issue 16): every export re-imports as it is, in every format export writes that
# import reads (csv, tsv, json, ndjson): exported from one database, imported into a fresh one,
# exported again, the two files are the same. The data has what breaks naive formats: tabs,
# line breaks, backslashes and the text "\n", quotes, commas, a leading '=', accents, an empty
# value beside a missing one, and a subsidiary exported before its parent.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester CRM_NOW=2026-03-04T05:06:07Z
	# the first database is the backend under test; the fresh one a SQLite file (so on
	# PostgreSQL the round trip goes from one backend to the other)
	D1="$CRM_DB"
	D2="$BATS_TEST_TMPDIR/fresh.db"
	# Zeta is created first but sorts after its subsidiary "Acme Sub"; "Mid" is between both.
	crm account add Zeta --country DE --notes $'two\tcolumns\nand a line' >/dev/null
	crm account add Mid --parent Zeta --website 'https://mid.example/a\b' >/dev/null
	crm account add 'Acme Sub' --parent Mid --notes 'C:\new\table "quoted", comma' >/dev/null
	crm account add 'Ştefan & Müller' --notes '=1+2' --credit-limit 1500.5 >/dev/null
	crm contact add Ann Lee --email ann@example.com --account Zeta --notes $'back\\slash\r\nCRLF' >/dev/null
	crm contact add Bob "O'Brien" --email bob@example.com --account 'Acme Sub' >/dev/null
	crm contact add Chloé Durand --email chloe@example.com --notes '\n is not a line break' >/dev/null
	# no e-mail, the key that finds contacts: added by a fresh import, found by its id again
	crm contact add Dan Nomail --account Mid --phone '+40 21 000' >/dev/null
}

# exp DB KIND FORMAT: the export of KIND from database DB in FORMAT, to a file named by the
# database (first or fresh), KIND and FORMAT
exp() {
	local db=$1 kind=$2 fmt=$3 out tag=first
	[ "$db" = "$D2" ] && tag=fresh
	out="$BATS_TEST_TMPDIR/$kind.$tag.$fmt"
	CRM_DB="$db" crm "$kind" export --sort id -o "$out"
	echo "$out"
}

round_trip() {
	local fmt=$1 kind f1 f2
	for kind in account contact; do
		f1=$(exp "$D1" $kind "$fmt")
		run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" $kind import "$f1"
		expect_status 0
		[[ "$stderr" == *" created, 0 updated, 0 unchanged, 0 rejected"* ]]
		f2=$(exp "$D2" $kind "$fmt")
		diff -u "$f1" "$f2"
	done
}

@test "round trip: csv" {
	round_trip csv
}

@test "round trip: tsv, backslash escapes and all" {
	round_trip tsv
	# the escapes are really there, and came back as text
	grep -q 'C:\\\\new\\\\table' "$BATS_TEST_TMPDIR/account.first.tsv"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account show 'Acme Sub' -F json
	[[ "$output" == *'"notes": "C:\\new\\table \"quoted\", comma"'* ]]
	run -0 env CRM_DB="$D2" "$CRM_BIN" contact list email:ann@example.com --fields notes -F json
	[ "$output" = $'[\n{"notes":"back\\\\slash\\r\\nCRLF"}\n]' ]
}

@test "round trip: json" {
	round_trip json
}

@test "round trip: ndjson" {
	round_trip ndjson
}

@test "import reads what -F json and -F ndjson write, from stdin too, whatever the file is called" {
	crm contact export -F json --sort id >"$BATS_TEST_TMPDIR/people.txt"
	crm account export -F ndjson --sort id | CRM_DB="$D2" crm account import - 2>/dev/null
	run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" contact import "$BATS_TEST_TMPDIR/people.txt"
	expect_status 0
	[ "$stderr" = "4 created, 0 updated, 0 unchanged, 0 rejected (import batch 2)" ]
	run -0 env CRM_DB="$D2" "$CRM_BIN" contact list --fields email,account --sort email
	[ "$output" = "$(printf 'email\taccount\n\tMid\nann@example.com\tZeta\nbob@example.com\tAcme Sub\nchloe@example.com\t')" ]
}

@test "a subsidiary before its parent in a hand-made csv: imported after it" {
	printf 'name,parent\nLeaf,Branch\nBranch,Root\nRoot,\n' >"$BATS_TEST_TMPDIR/tree.csv"
	run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/tree.csv"
	expect_status 0
	[ "$stderr" = "3 created, 0 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	run -0 env CRM_DB="$D2" "$CRM_BIN" account list --fields name,parent --sort name
	[ "$output" = "$(printf 'name\tparent\nBranch\tRoot\nLeaf\tBranch\nRoot\t')" ]
	# a parent nobody has is still an error, naming the row's own line
	printf 'name,parent\nOrphan,Nobody\nOther,\n' >"$BATS_TEST_TMPDIR/orphan.csv"
	run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/orphan.csv"
	expect_status 6
	[[ "$stderr" == "crm: '$BATS_TEST_TMPDIR/orphan.csv' line 2: account 'Nobody' not found"* ]]
}

@test "bad json and ndjson: the line and what is wrong, exit 6, nothing written" {
	printf '[\n{"name": "A"},\n{"name": "B", "colour": "red"}\n]\n' >"$BATS_TEST_TMPDIR/extra.json"
	# a file: every object's keys are columns, and this one is no field
	run --separate-stderr crm account import "$BATS_TEST_TMPDIR/extra.json"
	expect_status 6
	[[ "$stderr" == "crm: '$BATS_TEST_TMPDIR/extra.json' line 1: column 'colour' matches no account field"* ]]
	# standard input is read once: the first object's keys are the columns
	run --separate-stderr crm account import --input-format json - <"$BATS_TEST_TMPDIR/extra.json"
	expect_status 6
	[ "$stderr" = "crm: 'stdin' line 3: key 'colour' is not in the first record; every record takes its keys from those (a file, not standard input, may have different keys in each record)" ]
	printf '{"name": "A"}\n{"name": "B"\n' >"$BATS_TEST_TMPDIR/broken.ndjson"
	run --separate-stderr crm account import "$BATS_TEST_TMPDIR/broken.ndjson"
	expect_status 6
	[[ "$stderr" == "crm: '$BATS_TEST_TMPDIR/broken.ndjson' line "[23]": not valid NDJSON (one JSON object a line): "* ]]
	printf '{"name": "A", "notes": {"x": 1}}\n' >"$BATS_TEST_TMPDIR/nested.ndjson"
	run --separate-stderr crm account import "$BATS_TEST_TMPDIR/nested.ndjson"
	expect_status 6
	[[ "$stderr" == *"line 1: 'notes' is an object; a value is text, a number, true, false, null or an array of them" ]]
	printf '{"name": "A"}' >"$BATS_TEST_TMPDIR/one.json"
	run --separate-stderr crm account import "$BATS_TEST_TMPDIR/one.json"
	expect_status 6
	[[ "$stderr" == *"line 1: a JSON file to import is an array of objects ([{...}, ...]); NDJSON is one object a line" ]]
	# nothing was written: the four accounts of setup alone
	run -0 crm account list --fields name --no-headers
	[ "$(echo "$output" | wc -l)" -eq 4 ]
}

@test "json is read as RFC 8259 JSON, not as the YAML libyaml would take: each form exits 6 naming the line, nothing written" {
	d="$BATS_TEST_TMPDIR"
	printf '[{"name": "A"}]\n\n[{"name": "B"}]\n' >"$d/two.json"
	printf '[{"name": "A"}]\ngarbage\n' >"$d/garbage.json"
	printf '[{"name": "A"},\n{name: "Unquoted"}]\n' >"$d/unquoted-key.json"
	printf '[{"name": Unquoted}]\n' >"$d/unquoted-value.json"
	printf "[{'name': 'Single'}]\n" >"$d/single.json"
	printf '[{"name": "A"},\n{"name": !!binary "SGk="}]\n' >"$d/binary.json"
	printf '[{"name": &a "X"}, {"name": *a}]\n' >"$d/anchor.json"
	printf '[{"name": "A"},\n# comment\n{"name": "B"}]\n' >"$d/comment.json"
	printf '[{"name": "A"},\n{"name": "C",}]\n' >"$d/trailing.json"
	printf '[{"name": "A"},]\n' >"$d/trailing-array.json"
	printf -- '--- [{"name": "A"}]\n' >"$d/document.json"
	printf '[{"name": "a\\x41"}]\n' >"$d/escape.json"
	printf '[{"name": "a\nb"}]\n' >"$d/linebreak.json"
	printf '[{"name": "N", "credit_limit": .5}]\n' >"$d/number.json"
	printf '[{"name": "N", "notes": ~}]\n' >"$d/yaml-null.json"
	printf '{"name": "A"}\n{"name": "B"} {"name": "C"}\n' >"$d/two.ndjson"
	printf '{name: "A"}\n' >"$d/unquoted.ndjson"
	printf '{"name": "A"}\n{"name": '"'B'"'}\n' >"$d/single.ndjson"
	printf '{"name":\n"A"}\n' >"$d/split.ndjson"
	printf '{"name": "A"}\n# comment\n' >"$d/comment.ndjson"
	printf '{"name": "A",}\n' >"$d/trailing.ndjson"
	printf '{"name": !!str "A"}\n' >"$d/tag.ndjson"
	printf -- '- {"name": "A"}\n' >"$d/list.ndjson"
	# file, line, what the error says
	while IFS='|' read -r name line what; do
		f="$d/$name"
		run --separate-stderr crm account import "$f"
		[ "$status" -eq 6 ] || { echo "$name: exit $status: $stderr"; false; }
		[[ "$stderr" == "crm: '$f' line $line: "*"$what"* ]] || { echo "$name: $stderr"; false; }
	done <<'EOF'
two.json|3|not valid JSON: text after the array
garbage.json|2|not valid JSON: text after the array
unquoted-key.json|2|not valid JSON: text outside double quotes
unquoted-value.json|1|not valid JSON: text outside double quotes
single.json|1|not valid JSON: a single quote
binary.json|2|not valid JSON: a YAML tag
anchor.json|1|not valid JSON: a YAML anchor or alias
comment.json|2|not valid JSON: a comment ('#')
trailing.json|2|not valid JSON: a comma before '}'
trailing-array.json|1|not valid JSON: a comma before ']'
document.json|1|a JSON file to import is an array of objects
escape.json|1|not valid JSON: an escape JSON does not have: \x
linebreak.json|1|not valid JSON: a control character
number.json|1|not valid JSON: the value of 'credit_limit' is neither text in double quotes nor a number
yaml-null.json|1|not valid JSON: text outside double quotes
two.ndjson|2|not valid NDJSON (one JSON object a line): text after the line's object
unquoted.ndjson|1|not valid NDJSON (one JSON object a line): text outside double quotes
single.ndjson|2|not valid NDJSON (one JSON object a line): a single quote
split.ndjson|1|not valid NDJSON (one JSON object a line): the record does not end on its line
comment.ndjson|2|not valid NDJSON (one JSON object a line): a comment ('#')
trailing.ndjson|1|not valid NDJSON (one JSON object a line): a comma before '}'
tag.ndjson|1|not valid NDJSON (one JSON object a line): a YAML tag
list.ndjson|1|each record is an object
EOF
	# nothing was written: the four accounts of setup alone
	run -0 crm account list --fields name --no-headers
	[ "$(echo "$output" | wc -l)" -eq 4 ]
	# what JSON has is still read: numbers, true, false, null, \/ and \u escapes
	printf '[{"name": "J\\/1 \\u00e9", "credit_limit": 150.5, "notes": null},\n {"name": "J2", "credit_limit": 0, "notes": "t"}]\n' >"$d/fine.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account import "$d/fine.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account list --fields name,credit_limit -F tsv --no-headers --sort name
	[ "$output" = "$(printf 'J/1 é\t150.50\nJ2\t0.00')" ]
}

@test "json: an object may have keys the first lacks (a file is read twice); missing keys are empty" {
	printf '[{"name": "P"},\n {"name": "C", "parent": "P"},\n {"notes": "n", "name": "D", "parent": null}]\n' >"$BATS_TEST_TMPDIR/py.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/py.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account list --fields name,parent,notes -F tsv --sort name
	[ "$output" = "$(printf 'name\tparent\tnotes\nC\tP\t\nD\t\tn\nP\t\t')" ]
	printf '{"name": "Q"}\n{"name": "R", "parent": "Q"}\n' >"$BATS_TEST_TMPDIR/py.ndjson"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/py.ndjson"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account show R -F json
	[[ "$output" == *'"parent": "Q"'* ]]
	# an error late in the file stops the first pass: nothing written
	printf '[{"name": "S"},\n{"name": "T", "parent": "S"},\n{"name": bad}]\n' >"$BATS_TEST_TMPDIR/late.json"
	run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/late.json"
	expect_status 6
	[[ "$stderr" == *"line 3: not valid JSON: text outside double quotes"* ]]
	run -0 env CRM_DB="$D2" "$CRM_BIN" account list name:S --no-headers
	[ -z "$output" ]
}

@test "a spreadsheet or YAML given to import: what import reads, exit 2, nothing written" {
	printf 'PK\003\004\024\000\000\000' >"$BATS_TEST_TMPDIR/acc.xlsx"
	cp "$BATS_TEST_TMPDIR/acc.xlsx" "$BATS_TEST_TMPDIR/zipped.csv"
	printf 'name\nX\n' >"$BATS_TEST_TMPDIR/sheet.ods"
	printf 'name\nX\n' >"$BATS_TEST_TMPDIR/old.XLS"
	for f in acc.xlsx zipped.csv sheet.ods old.XLS; do
		run --separate-stderr crm account import "$BATS_TEST_TMPDIR/$f"
		expect_status 2
		[ "$stderr" = "crm: '$BATS_TEST_TMPDIR/$f' is a spreadsheet (xlsx, ods or xls); import reads csv, tsv, json and ndjson: save the sheet as CSV" ]
	done
	crm account export -F yaml >"$BATS_TEST_TMPDIR/acc.yaml"
	head -1 "$BATS_TEST_TMPDIR/acc.yaml" | grep -q '^- '
	cp "$BATS_TEST_TMPDIR/acc.yaml" "$BATS_TEST_TMPDIR/acc.txt"
	printf -- '---\nname: X\n' >"$BATS_TEST_TMPDIR/doc.data"
	printf 'name\nX\n' >"$BATS_TEST_TMPDIR/named.yml"
	for f in acc.yaml acc.txt doc.data named.yml; do
		run --separate-stderr crm account import "$BATS_TEST_TMPDIR/$f"
		expect_status 2
		[ "$stderr" = "crm: '$BATS_TEST_TMPDIR/$f' is YAML; import reads csv, tsv, json and ndjson: export with -F csv, -F json or -F ndjson to re-import" ]
	done
	run -0 crm account list --fields name --no-headers
	[ "$(echo "$output" | wc -l)" -eq 4 ]
	# --input-format says what it is: a csv whose first field starts "- " is read as csv
	printf -- '- name\n- X\n' >"$BATS_TEST_TMPDIR/dash.txt"
	run --separate-stderr crm account import --input-format csv --map '- name=name' "$BATS_TEST_TMPDIR/dash.txt"
	expect_status 0
	run -0 crm account list --fields name --no-headers
	[ "$(echo "$output" | wc -l)" -eq 5 ]
}

@test "--input-format names the format; a bad one and --delimiter with json are usage errors" {
	crm account export -F tsv --sort id >"$BATS_TEST_TMPDIR/acc.data"
	run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" account import --input-format tsv "$BATS_TEST_TMPDIR/acc.data"
	expect_status 0
	run -0 env CRM_DB="$D2" "$CRM_BIN" account show Zeta -F json
	[[ "$output" == *'"notes": "two\tcolumns\nand a line"'* ]]
	run --separate-stderr crm account import --input-format xml "$BATS_TEST_TMPDIR/acc.data"
	expect_status 2
	[ "$stderr" = "crm: --input-format takes csv, tsv, json, ndjson or vcard, not 'xml'" ]
	run --separate-stderr crm account import --input-format json --delimiter ';' "$BATS_TEST_TMPDIR/acc.data"
	expect_status 2
	[ "$stderr" = "crm: --delimiter is for csv files, not json" ]
}

@test "a spreadsheet's tab-delimited text with quotes: --delimiter tab reads it as csv" {
	printf 'name\tnotes\nAcme\t"said ""hi""\tthen left"\n' >"$BATS_TEST_TMPDIR/sheet.tsv"
	run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" account import --delimiter tab "$BATS_TEST_TMPDIR/sheet.tsv"
	expect_status 0
	run -0 env CRM_DB="$D2" "$CRM_BIN" account show Acme -F json
	[[ "$output" == *'"notes": "said \"hi\"\tthen left"'* ]]
}

@test "round trip in export's own order (by name: a subsidiary before its parent), every format" {
	local fmt f1 f2 fields=name,parent,industry,country,notes,website,credit_limit
	for fmt in csv tsv json ndjson; do
		rm -f "$D2"
		f1="$BATS_TEST_TMPDIR/by-name.$fmt"
		crm account export -o "$f1"
		[ "$(sed -n 2p "$f1" | cut -c1-40)" != "" ]
		run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" account import "$f1"
		expect_status 0
		[ "$stderr" = "4 created, 0 updated, 0 unchanged, 0 rejected (import batch 1)" ]
		diff -u <(crm account export --fields $fields -F $fmt) \
			<(CRM_DB="$D2" crm account export --fields $fields -F $fmt)
	done
	# the file really had the subsidiary first
	[[ "$(sed -n 2p "$BATS_TEST_TMPDIR/by-name.csv")" == 3,Acme\ Sub,Mid,* ]]
}

@test "a contact without the key (no e-mail): added on a fresh import, its own again by id, never another's" {
	for fmt in csv tsv json ndjson; do
		f=$(exp "$D1" contact $fmt)
		# into the same database: every row is its record, Dan's found by his number
		run --separate-stderr crm contact import "$f"
		expect_status 0
		[ "$stderr" = "0 created, 0 updated, 4 unchanged, 0 rejected (nothing written, no import batch)" ]
	done
	# an edit of the keyless row comes back as an update of that contact
	sed -i 's/+40 21 000/+40 21 999/' "$BATS_TEST_TMPDIR/contact.first.csv"
	run --separate-stderr crm contact import --mode update "$BATS_TEST_TMPDIR/contact.first.csv"
	expect_status 0
	[ "$stderr" = "0 created, 1 updated, 3 unchanged, 0 rejected (import batch 1)" ]
	run -0 crm contact list last_name:Nomail --fields id,phone -F tsv
	[ "$output" = $'id\tphone\n4\t+40 21 999' ]
	# a number that is another contact's (a keyless one of other name, or one with an e-mail) adds
	printf 'id,first_name,last_name,email\n4,Eve,Other,\n1,Fay,Other,\n' > "$BATS_TEST_TMPDIR/other.csv"
	run --separate-stderr crm contact import "$BATS_TEST_TMPDIR/other.csv"
	expect_status 0
	[ "$stderr" = "2 created, 0 updated, 0 unchanged, 0 rejected (import batch 2)" ]
	run -0 crm contact list --sort id --fields id,first_name,last_name,email -F csv
	[ "$output" = $'id,first_name,last_name,email\n1,Ann,Lee,ann@example.com\n2,Bob,O\'Brien,bob@example.com\n3,Chloé,Durand,chloe@example.com\n4,Dan,Nomail,\n5,Eve,Other,\n6,Fay,Other,' ]
	# --mode update cannot add: the keyless row that finds none is rejected, saying why
	printf 'id,first_name,last_name,email\n4,Gus,Nobody,\n' > "$BATS_TEST_TMPDIR/upd.csv"
	run crm contact import --mode update "$BATS_TEST_TMPDIR/upd.csv"
	expect_status 6
	[[ "$output" == *"line 2: no contact to update: its email is empty, and its id finds no contact named 'Gus Nobody' without one"* ]]
	# without an id column update has nothing to find it by
	printf 'email,first_name\n,Nob\n' > "$BATS_TEST_TMPDIR/upd2.csv"
	run crm contact import --mode update "$BATS_TEST_TMPDIR/upd2.csv"
	expect_status 6
	[[ "$output" == *"line 2: email is empty, and it is the key that finds the contact"* ]]
	[ "$(crm contact list -F tsv | wc -l)" = 7 ]
}

@test "link names holding commas come back as themselves: json arrays item by item, csv and tsv by the longest name" {
	crm project add 'Alpha, phase 2' --account Zeta >/dev/null
	crm project add Alpha --account Zeta >/dev/null
	crm project add Gamma --account Zeta >/dev/null
	crm project add 'phase 2' --account Zeta >/dev/null
	crm activity log --type call one --projects 'Alpha, phase 2' --projects Gamma >/dev/null
	crm activity log --type call two --projects Alpha --projects Gamma --contacts ann@example.com >/dev/null
	crm activity log --type call three --projects 'Alpha, phase 2, Alpha' >/dev/null
	run -0 crm activity list --sort id --fields projects -F json
	[ "$output" = $'[\n{"projects":["Alpha, phase 2","Gamma"]},\n{"projects":["Alpha","Gamma"]},\n{"projects":["Alpha","Alpha, phase 2"]}\n]' ]
	local want=$output fmt
	for fmt in csv tsv json ndjson; do
		rm -f "$D2"
		for kind in account contact project activity; do
			f=$(exp "$D1" $kind $fmt)
			run --separate-stderr env CRM_DB="$D2" "$CRM_BIN" $kind import "$f"
			[ "$status" -eq 0 ] || { echo "$kind $fmt: $stderr" >&2; return 1; }
		done
		run -0 env CRM_DB="$D2" "$CRM_BIN" activity list --sort id --fields projects -F json
		[ "$output" = "$want" ] || { echo "$fmt: $output" >&2; return 1; }
	done
	# "Alpha" and "phase 2" read as text are the other project's name; a json array says which
	crm activity log --type call four --projects Alpha --projects 'phase 2' >/dev/null
	crm activity export id:4 -F json -o "$BATS_TEST_TMPDIR/four.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" activity import "$BATS_TEST_TMPDIR/four.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" activity list id:4 --fields projects -F json
	[ "$output" = $'[\n{"projects":["Alpha","phase 2"]}\n]' ]
	# an array under a field of one value is its items joined, as csv has it
	printf '[{"first_name":["Ann","Marie"],"last_name":"Lee","email":"ann@example.com"}]' > "$BATS_TEST_TMPDIR/names.json"
	run -0 crm contact import "$BATS_TEST_TMPDIR/names.json"
	run -0 crm contact list email:ann@example.com --fields first_name -F tsv
	[ "$output" = $'first_name\nAnn, Marie' ]
	# a name that is no project is still an error naming it, and nothing is written
	printf '[{"id":null,"summary":"five","type":"call","projects":["Alpha, phase 3"]}]' > "$BATS_TEST_TMPDIR/bad.json"
	run crm activity import "$BATS_TEST_TMPDIR/bad.json"
	expect_status 6
	[[ "$output" == *"project 'Alpha, phase 3' not found"* ]]
	[ "$(crm activity list -F tsv | wc -l)" = 5 ]
}

@test "an empty export re-imports as nothing, in every format, for every kind that imports" {
	for noun in location project contract task event group product opportunity; do
		for fmt in csv tsv json ndjson; do
			run -0 crm "$noun" export id:0 -o "$BATS_TEST_TMPDIR/e.$fmt"
			run --separate-stderr crm "$noun" import "$BATS_TEST_TMPDIR/e.$fmt"
			[ "$status" -eq 0 ] || { echo "$noun $fmt: $stderr" >&2; return 1; }
			[ "$stderr" = "0 created, 0 updated, 0 unchanged, 0 rejected (nothing written, no import batch)" ]
		done
	done
}

@test "json as Python and JavaScript write it: a character beyond U+FFFF as a surrogate pair of escapes" {
	python3 - >"$BATS_TEST_TMPDIR/py.json" <<'PY'
import json
names = ["Smile \U0001F600 Co", "lit \\ud83d\\ude00 text", "back\\\\ud83d", "\u03a9mega \u4e2d \U0001D11E", "\\", "\U0001F600\U0001F601"]
print(json.dumps([{"name": n} for n in names]))
PY
	grep -q '\\ud83d\\ude00' "$BATS_TEST_TMPDIR/py.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/py.json"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account list --fields name -F json
	python3 -c 'import json,sys; a=[r["name"] for r in json.load(open(sys.argv[1]))]; b=[r["name"] for r in json.loads(sys.argv[2])]; sys.exit(sorted(a)!=sorted(b))' \
		"$BATS_TEST_TMPDIR/py.json" "$output"
	# ndjson too
	printf '{"name":"nd \\ud83d\\ude00"}\n' >"$BATS_TEST_TMPDIR/py.ndjson"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/py.ndjson"
	run -0 env CRM_DB="$D2" "$CRM_BIN" account list 'name:nd*' --fields name -F tsv --no-headers
	[ "$output" = "nd 😀" ]
	# half a pair is no character: an error naming the line, nothing written
	printf '[{"name":"ok"},\n{"name":"lone \\ud83d x"}]' >"$BATS_TEST_TMPDIR/lone.json"
	run env CRM_DB="$D2" "$CRM_BIN" account import "$BATS_TEST_TMPDIR/lone.json"
	expect_status 6
	[[ "$output" == *"line 2: not valid JSON"* ]]
	run -0 env CRM_DB="$D2" "$CRM_BIN" account list name:ok
	[ "${#lines[@]}" -eq 1 ]
}
