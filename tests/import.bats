#!/usr/bin/env bats
# crm <noun> import: parsing, mapping, modes, validation, rejects, all-or-nothing, dry runs,
# batches and their revert, progress, and a SIGKILL in the middle.

load helper
bats_require_minimum_version 1.5.0

# The data of every contact, in id order, as TSV without timestamps: what "unchanged" compares.
contacts() {
	crm contact list --fields id,first_name,last_name,title,email,phone,mobile,account,location,lifecycle_stage,notes --sort id
}

count() {
	db_sql "SELECT count(*) FROM $1"
}

csv() {
	printf '%s' "$1" > "$BATS_TEST_TMPDIR/${2:-in.csv}"
}

@test "import: quoted commas, doubled quotes and line breaks arrive intact" {
	printf 'First Name,Last Name,Email,Notes\nAnn,"Smith, Jr.",ann@example.com,"She said ""hi""\nsecond line"\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ "$output" = "1 created, 0 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	run crm contact list --fields last_name,notes
	[ "${lines[1]}" = 'Smith, Jr.	She said "hi"\nsecond line' ]
}

@test "import: CRLF line ends, a UTF-8 byte-order mark and blank lines" {
	printf '\xef\xbb\xbfEmail,Last Name\r\n\r\nann@example.com,Smith\r\n\r\n\r\nbob@example.com,Núñez\r\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	run crm contact list --fields email,last_name --sort email
	[ "${lines[1]}" = "ann@example.com	Smith" ]
	[ "${lines[2]}" = "bob@example.com	Núñez" ]
}

@test "import: the delimiter is sniffed from the header (semicolon, tab) or given" {
	printf 'Email;Last Name;Notes\nann@example.com;Smith;a, b\n' > "$BATS_TEST_TMPDIR/semi.csv"
	run crm contact import "$BATS_TEST_TMPDIR/semi.csv"
	expect_status 0
	printf 'Email\tLast Name\nbob@example.com\tJones\n' > "$BATS_TEST_TMPDIR/tab.tsv"
	run crm contact import "$BATS_TEST_TMPDIR/tab.tsv"
	expect_status 0
	printf 'Email|Last Name\ncid@example.com|Lee\n' > "$BATS_TEST_TMPDIR/pipe.csv"
	run crm contact import --delimiter '|' "$BATS_TEST_TMPDIR/pipe.csv"
	expect_status 0
	printf 'sep=;\nEmail;Last Name\ndan@example.com;Doe\n' > "$BATS_TEST_TMPDIR/excel.csv"
	run crm contact import "$BATS_TEST_TMPDIR/excel.csv"
	expect_status 0
	run crm contact list --fields email,last_name,notes --sort email
	[ "${lines[1]}" = "ann@example.com	Smith	a, b" ]
	[ "${lines[2]}" = "bob@example.com	Jones	" ]
	[ "${lines[3]}" = "cid@example.com	Lee	" ]
	[ "${lines[4]}" = "dan@example.com	Doe	" ]
}

@test "import: standard input with -" {
	run sh -c "printf 'Email,Last Name\nann@example.com,Smith\n' | $CRM_BIN contact import -"
	expect_status 0
	[ "$(count contacts)" = 1 ]
}

@test "import: invalid UTF-8 names the line and writes nothing; --encoding converts" {
	printf 'Email,Last Name\nann@example.com,Smith\n"bob@example.com","M\xfcller"\n' > "$BATS_TEST_TMPDIR/latin1.csv"
	run crm contact import "$BATS_TEST_TMPDIR/latin1.csv"
	expect_status 6
	[[ "$output" == *"line 3: not valid UTF-8; give --encoding"* ]]
	[ "$(count contacts)" = 0 ]
	run crm contact import --encoding latin1 "$BATS_TEST_TMPDIR/latin1.csv"
	expect_status 0
	run crm contact list --fields last_name --sort email
	[ "${lines[2]}" = "Müller" ]
	printf 'Email,Last Name\r\nann@example.com,\x80uro\r\n' > "$BATS_TEST_TMPDIR/cp1252.csv"
	run crm contact import --encoding cp1252 "$BATS_TEST_TMPDIR/cp1252.csv"
	expect_status 0
	run crm contact list --fields last_name --sort email
	[ "${lines[1]}" = "€uro" ]
	run crm contact import --encoding klingon "$BATS_TEST_TMPDIR/cp1252.csv"
	expect_status 2
}

@test "import: malformed quoting names the line and writes nothing" {
	printf 'Email,Last Name\nann@example.com,Smith\nbob@example.com,Jo"nes\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 3: malformed quoting"* ]]
	printf 'Email,Last Name\nann@example.com,"Smith"x\n' > "$BATS_TEST_TMPDIR/b.csv"
	run crm contact import "$BATS_TEST_TMPDIR/b.csv"
	expect_status 6
	[[ "$output" == *"line 2: malformed quoting"* ]]
	printf 'Email,Last Name\nann@example.com,Smith\nbob@example.com,"Jones\nmore\n' > "$BATS_TEST_TMPDIR/c.csv"
	run crm contact import "$BATS_TEST_TMPDIR/c.csv"
	expect_status 6
	[[ "$output" == *"line 3: a quoted field starting on this line is never closed"* ]]
	[ "$(count contacts)" = 0 ]
}

@test "import: line numbers count the lines inside quoted fields and blank lines" {
	printf 'Email,Last Name,Notes\nann@example.com,Smith,"one\ntwo\nthree"\n\nbob@example.com,,x\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 6: contact needs a last_name"* ]]
}

@test "import: rows with too many or too few fields are rejected with the reason" {
	printf 'Email,Last Name\nann@example.com,Smith,extra\nbob@example.com\ncid@example.com,Lee\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 2: 3 fields where the header has 2"* ]]
	[[ "$output" == *"line 3: 1 field where the header has 2"* ]]
	[[ "$output" == *"nothing written: 1 to create, 0 to update, 0 unchanged, 2 rejected"* ]]
	[ "$(count contacts)" = 0 ]
}

@test "import: an empty file, or one with only a header" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run crm contact import "$BATS_TEST_TMPDIR/empty.csv"
	expect_status 6
	[[ "$output" == *"is empty"* ]]
	printf 'Email,Last Name\n' > "$BATS_TEST_TMPDIR/header.csv"
	run crm contact import "$BATS_TEST_TMPDIR/header.csv"
	expect_status 0
	[ "$output" = "0 created, 0 updated, 0 unchanged, 0 rejected (nothing written, no import batch)" ]
	run crm contact import "$BATS_TEST_TMPDIR/missing.csv"
	expect_status 3
}

@test "import: headers map by name, ignoring case, spaces, _ and -, and by synonyms" {
	printf 'E-mail,Surname,GIVEN NAME,Job Title,Mobile Phone,phone_number,lifecycle-stage\nann@example.com,Smith,Ann,CEO,0170 1,030 2,lead\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	run crm contact list --fields email,first_name,last_name,title,mobile,phone,lifecycle_stage
	[ "${lines[1]}" = "ann@example.com	Ann	Smith	CEO	0170 1	030 2	lead" ]
	printf 'Company,Website,Zip\nACME,acme.example,12345\n' > "$BATS_TEST_TMPDIR/acc.csv"
	run crm account import --ignore-extra "$BATS_TEST_TMPDIR/acc.csv"
	expect_status 0
	run crm account list --fields name,website
	[ "${lines[1]}" = "ACME	acme.example" ]
	printf 'Location Name,Account Name,Postcode,Town\nHQ,ACME,10115,Berlin\n' > "$BATS_TEST_TMPDIR/loc.csv"
	run crm location import "$BATS_TEST_TMPDIR/loc.csv"
	expect_status 0
	run crm location list --fields name,account,postal_code,city
	[ "${lines[1]}" = "HQ	ACME	10115	Berlin" ]
	printf 'Email Address,Last Name,Organization\nbob@example.com,Jones,ACME\n' > "$BATS_TEST_TMPDIR/b.csv"
	run crm contact import "$BATS_TEST_TMPDIR/b.csv"
	expect_status 0
	run crm contact list --fields email,account --sort email
	[ "${lines[2]}" = "bob@example.com	ACME" ]
}

@test "import: unknown columns are an error unless --ignore-extra" {
	printf 'Email,Last Name,Shoe Size,Favourite Colour\nann@example.com,Smith,42,red\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"columns 'Shoe Size', 'Favourite Colour' match no contact field"* ]]
	[ "$(count contacts)" = 0 ]
	run crm contact import --ignore-extra "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ "$(count contacts)" = 1 ]
}

@test "import: a misspelt column, --map column or --map field gets a did-you-mean; nothing is written" {
	printf 'Emial,First Nmae,Last Name\nann@example.com,Ann,Lee\n' > "$BATS_TEST_TMPDIR/a.csv"
	run --separate-stderr crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[ "$stderr" = "crm: '$BATS_TEST_TMPDIR/a.csv' line 1: columns 'Emial' (did you mean 'email'?), 'First Nmae' (did you mean 'first_name'?) match no contact field; map them with --map 'Header=field' or skip them with --ignore-extra" ]
	run --separate-stderr crm contact import --map Emal=email "$BATS_TEST_TMPDIR/a.csv"
	expect_status 2
	[ "$stderr" = "crm: --map 'Emal=email': '$BATS_TEST_TMPDIR/a.csv' has no column 'Emal'; did you mean 'Emial'?" ]
	run --separate-stderr crm contact import --map Emial=emial "$BATS_TEST_TMPDIR/a.csv"
	expect_status 2
	[ "$stderr" = "crm: --map 'Emial=emial': contact has no field 'emial'; did you mean 'email'? (see crm contact list --fields help)" ]
	[ "$(count contacts)" = 0 ]
	run -0 crm contact import --map Emial=email --map 'First Nmae=first_name' "$BATS_TEST_TMPDIR/a.csv"
	[ "$(count contacts)" = 1 ]
}

@test "import: --map overrides the mapping, and can skip a column" {
	printf 'Mail,Name,Comment,Junk\nann@example.com,Smith,hello,zzz\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --map 'Name=last_name' --map 'Comment=title' --map 'Junk=' "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	run crm contact list --fields email,last_name,title,notes
	[ "${lines[1]}" = "ann@example.com	Smith	hello	" ]
	run crm contact import --map 'Name=shoe_size' "$BATS_TEST_TMPDIR/a.csv"
	expect_status 2
	[[ "$output" == *"contact has no field 'shoe_size'"* ]]
	run crm contact import --map 'Nope=title' "$BATS_TEST_TMPDIR/a.csv"
	expect_status 2
	run crm contact import --map 'bad' "$BATS_TEST_TMPDIR/a.csv"
	expect_status 2
}

@test "import: named mapping profiles from the configuration" {
	cat > "$BATS_TEST_TMPDIR/config.yaml" <<-'EOF'
	import_profiles:
	  hubspot:
	    Contact Email: email
	    Family: last_name
	    Record ID: ""
	EOF
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	printf 'Record ID,Contact Email,Family\n77,ann@example.com,Smith\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --profile hubspot "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	run crm contact list --fields email,last_name
	[ "${lines[1]}" = "ann@example.com	Smith" ]
	run crm contact import --profile salesforce "$BATS_TEST_TMPDIR/a.csv"
	expect_status 78
	[[ "$output" == *"no import profile 'salesforce'"* ]]
}

@test "import: references resolve by natural key; --create-missing creates accounts" {
	crm account add ACME > /dev/null
	printf 'Email,Last Name,Company\nann@example.com,Smith,acme\nbob@example.com,Jones,Initech\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 3: account 'Initech' not found"* ]]
	[ "$(count contacts)" = 0 ]
	run crm contact import --create-missing "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[[ "$output" == *"2 created, 0 updated, 0 unchanged, 0 rejected (and 1 referenced records created)"* ]]
	run crm contact list --fields email,account --sort email
	[ "${lines[1]}" = "ann@example.com	ACME" ]
	[ "${lines[2]}" = "bob@example.com	Initech" ]
}

@test "import: a location named in several accounts is found through the row's account" {
	crm account add ACME > /dev/null
	crm account add Initech > /dev/null
	crm location add HQ --account ACME > /dev/null
	crm location add HQ --account Initech > /dev/null
	printf 'Email,Last Name,Account,Location\nann@example.com,Smith,Initech,HQ\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	run crm contact list --fields email,account,location_id
	[ "${lines[1]}" = "ann@example.com	Initech	2" ]
}

@test "import: a rejected row undoes the accounts --create-missing made for it (--partial)" {
	printf 'Email,Last Name,Company\nann@example.com,Smith,ACME\nnot-an-email,Jones,Initech\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --create-missing --partial "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[ "$(count contacts)" = 1 ]
	[ "$(count accounts)" = 1 ]
}

@test "import: the same file twice changes nothing the second time and says so" {
	printf 'Email,First Name,Last Name,Title,Notes\nann@example.com,Ann,Smith,CEO,"a\nb"\nbob@example.com,Bob,Jones,,\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	before=$(contacts)
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ "$output" = "0 created, 0 updated, 2 unchanged, 0 rejected (nothing written, no import batch)" ]
	[ "$(count import_batches)" = 1 ]
	[ "$(db_sql "SELECT count(*) FROM history WHERE batch_id = 2")" = 0 ]
}

@test "import: --mode create rejects existing keys; --mode update rejects unknown ones" {
	crm contact add Ann Smith --email ann@example.com > /dev/null
	printf 'Email,Last Name\nann@example.com,Smythe\nbob@example.com,Jones\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --mode create "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 2: contact with email 'ann@example.com' already exists"* ]]
	run crm contact import --mode update "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 3: no contact with email 'bob@example.com' to update"* ]]
	run crm contact import --mode update --partial "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	run crm contact list --fields email,last_name
	[ "${lines[1]}" = "ann@example.com	Smythe" ]
	[ "$(count contacts)" = 1 ]
	run crm contact import --mode upsert "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ "$output" = "1 created, 0 updated, 1 unchanged, 0 rejected (import batch 2)" ]
	run crm contact import --mode sideways "$BATS_TEST_TMPDIR/a.csv"
	expect_status 2
}

@test "import: --key finds records by other fields, composite keys included" {
	crm contact add Ann Smith --email ann@example.com > /dev/null
	printf 'First Name,Last Name,Email,Title\nAnn,Smith,ann@new.example,CEO\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --key first_name,last_name "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ "$output" = "0 created, 1 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	run crm contact list --fields email,title
	[ "${lines[1]}" = "ann@new.example	CEO" ]
	printf 'id,Title\n1,CTO\n' > "$BATS_TEST_TMPDIR/b.csv"
	run crm contact import --key id --mode update "$BATS_TEST_TMPDIR/b.csv"
	expect_status 0
	run crm contact list --fields title
	[ "${lines[1]}" = "CTO" ]
	run crm contact import --key shoe "$BATS_TEST_TMPDIR/a.csv"
	expect_status 2
	printf 'Last Name\nSmith\n' > "$BATS_TEST_TMPDIR/c.csv"
	run crm contact import "$BATS_TEST_TMPDIR/c.csv"
	expect_status 6
	[[ "$output" == *"no column gives the key field email"* ]]
	run crm contact import --mode create "$BATS_TEST_TMPDIR/c.csv"
	expect_status 0
}

@test "import: validation is add's: types, required fields, pick-lists, e-mails, dates, references" {
	printf 'Name,Credit Limit,Industry,Parent\nACME,lots,it,\nInitech,10,mining,\nGlobex,5,it,Nowhere\n,1,it,\nHooli,1e3,IT,\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm account import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 2: credit_limit 'lots' is not a number"* ]]
	[[ "$output" == *"line 3: invalid industry 'mining' for account"* ]]
	[[ "$output" == *"line 4: account 'Nowhere' not found"* ]]
	[[ "$output" == *"line 5: name is empty, and it is the key that finds the account"* ]]
	[ "$(count accounts)" = 0 ]
	printf 'Email,Last Name\nann@,Smith\n' > "$BATS_TEST_TMPDIR/b.csv"
	run crm contact import "$BATS_TEST_TMPDIR/b.csv"
	expect_status 6
	[[ "$output" == *"line 2: email 'ann@' is not an e-mail address"* ]]
}

@test "import: --reject writes the rejected rows with _line, _field and _error, importable as they are" {
	printf 'Email,Last Name,Lifecycle Stage\nann@example.com,Smith,lead\nbob@example.com,Jones,unknown\ncid@example,Lee,lead\ndan@example.com,"Doe, Jr.",lead,extra\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --partial --reject "$BATS_TEST_TMPDIR/rejects.csv" "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[ "$(count contacts)" = 1 ]
	run py - "$BATS_TEST_TMPDIR/rejects.csv" <<-'EOF'
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline='')))
	assert rows[0] == ['Email', 'Last Name', 'Lifecycle Stage', '_line', '_field', '_error'], rows[0]
	assert rows[1][:5] == ['bob@example.com', 'Jones', 'unknown', '3', 'lifecycle_stage'], rows[1]
	assert rows[2][:5] == ['cid@example', 'Lee', 'lead', '4', 'email'], rows[2]
	assert rows[3][:5] == ['dan@example.com', 'Doe, Jr.', 'lead', 'extra', '5'], rows[3]
	assert 'fields where the header has 3' in rows[3][6], rows[3]
	EOF
	expect_status 0
	# Fixed as a user would in a spreadsheet, then imported as it is.
	py - "$BATS_TEST_TMPDIR/rejects.csv" <<-'EOF'
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline='')))
	rows[1][2] = 'prospect'; rows[2][0] = 'cid@example.com'; del rows[3][3]
	csv.writer(open(sys.argv[1], 'w', newline='')).writerows(rows)
	EOF
	run crm contact import --reject "$BATS_TEST_TMPDIR/rejects2.csv" "$BATS_TEST_TMPDIR/rejects.csv"
	expect_status 0
	[ "$(count contacts)" = 4 ]
	[ ! -e "$BATS_TEST_TMPDIR/rejects2.csv" ]
}

@test "import: all or nothing by default (exit 6, nothing written); --partial keeps the good rows" {
	crm contact add Zed Zero --email zed@example.com > /dev/null
	printf 'Email,Last Name\nann@example.com,Smith\nzed@example.com,\nbob@example.com,Jones\n' > "$BATS_TEST_TMPDIR/a.csv"
	before=$(contacts)
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"line 3: contact needs a last_name"* ]]
	[[ "$output" == *"nothing written"* ]]
	[ "$(contacts)" = "$before" ]
	run crm import list
	[ "${#lines[@]}" = 1 ]
	run crm contact import --partial "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"2 created, 0 updated, 0 unchanged, 1 rejected (import batch 1)"* ]]
	[ "$(count contacts)" = 3 ]
}

@test "import: --dry-run reports what the real run does, and writes nothing" {
	crm contact add Ann Smith --email ann@example.com --title CEO > /dev/null
	printf 'Email,Last Name,Title\nann@example.com,Smith,CTO\nbob@example.com,Jones,\nnobody,X,\nann@example.com,Smith,CTO\n' > "$BATS_TEST_TMPDIR/a.csv"
	before=$(contacts)
	run crm contact import --dry-run --partial "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	dry="$output"
	[ "$(contacts)" = "$before" ]
	[[ "$dry" == *"2	update	contact	1	ann@example.com"* ]]
	[[ "$dry" == *"3	create	contact	"*"bob@example.com"* ]]
	[[ "$dry" == *"4	reject	contact		nobody	email"*"is not an e-mail address"* ]]
	[[ "$dry" == *"5	unchanged	contact	1	ann@example.com"* ]]
	[[ "$dry" == *"dry run, nothing written: 1 to create, 1 to update, 1 unchanged, 1 rejected"* ]]
	run crm contact import --partial "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	[[ "$output" == *"1 created, 1 updated, 1 unchanged, 1 rejected (import batch 1)"* ]]
	[ "$(count import_batches)" = 1 ]
}

@test "import: --diff shows the field changes of updated records" {
	crm contact add Ann Smith --email ann@example.com --title CEO --phone 1 > /dev/null
	printf 'Email,Last Name,Title,Phone\nann@example.com,Smith,CTO,2\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --dry-run --diff "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[[ "$output" == *"2	update	contact	1	ann@example.com	title	CEO	CTO"* ]]
	[[ "$output" == *"2	update	contact	1	ann@example.com	phone	1	2"* ]]
	run crm contact import --diff -F json "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[[ "$output" == *'"field":"title"'* ]]
	run crm contact list --fields title
	[ "${lines[1]}" = CTO ]
}

@test "import: batches are listed and shown; history shows the import's changes with who and when" {
	export CRM_NOW=2026-03-01T10:00:00Z
	printf 'Email,Last Name\nann@example.com,Smith\nbob@example.com,Jones\n' > "$BATS_TEST_TMPDIR/a.csv"
	crm contact import "$BATS_TEST_TMPDIR/a.csv" 2> /dev/null
	printf 'Email,Last Name\nann@example.com,Smythe\n' > "$BATS_TEST_TMPDIR/b.csv"
	crm contact import --mode update "$BATS_TEST_TMPDIR/b.csv" 2> /dev/null
	run crm import list
	expect_status 0
	[[ "${lines[1]}" == "2	2026-03-01T10:00:00Z	"*"	contact	"*"b.csv	update	email	1	0	1	0	0	0"* ]]
	[[ "${lines[2]}" == "1	2026-03-01T10:00:00Z	"*"	contact	"*"a.csv	upsert	email	2	2	0	0	0	0"* ]]
	run crm import show 1
	expect_status 0
	[[ "$output" == *"created   contact 1 (Smythe)"* ]]
	[[ "$output" == *"created   contact 2 (Jones)"* ]]
	run crm import show 1 -F json
	[[ "$output" == *'"records": ['* ]]
	run crm history contact ann@example.com
	[[ "$output" == *"2026-03-01T10:00:00Z	"*"	add	email		ann@example.com"* ]]
	run crm import show 99
	expect_status 3
	run crm import show x
	expect_status 2
}

@test "import: revert deletes what a batch created and restores what it updated" {
	crm contact add Ann Smith --email ann@example.com --title CEO > /dev/null
	before=$(contacts)
	printf 'Email,Last Name,Title,Company\nann@example.com,Smith,CTO,ACME\nbob@example.com,Jones,,ACME\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import --create-missing "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ "$(count accounts)" = 1 ]
	run crm import revert 1
	expect_status 0
	[[ "$output" == *"import batch 1 reverted: 2 records deleted, 1 restored"* ]]
	[ "$(contacts)" = "$before" ]
	[ "$(count accounts)" = 0 ]
	run crm import revert 1
	expect_status 4
	[[ "$output" == *"already reverted"* ]]
	run crm import list
	[[ "${lines[1]}" == *"Z	$(id -un)" ]]
}

@test "import: revert refuses with exit 4 when the batch's records changed since" {
	printf 'Email,Last Name\nann@example.com,Smith\nbob@example.com,Jones\n' > "$BATS_TEST_TMPDIR/a.csv"
	crm contact import "$BATS_TEST_TMPDIR/a.csv" 2> /dev/null
	crm contact edit bob@example.com --title Boss
	before=$(contacts)
	run crm import revert 1
	expect_status 4
	[[ "$output" == *"1 record changed since: contact 2 (Jones)"* ]]
	[ "$(contacts)" = "$before" ]
}

@test "import: batches revert newest first, like undo" {
	printf 'Email,Last Name\nann@example.com,Smith\n' > "$BATS_TEST_TMPDIR/a.csv"
	crm contact import "$BATS_TEST_TMPDIR/a.csv" 2> /dev/null
	printf 'Email,Last Name\nann@example.com,Smythe\n' > "$BATS_TEST_TMPDIR/b.csv"
	crm contact import "$BATS_TEST_TMPDIR/b.csv" 2> /dev/null
	run crm import revert 1
	expect_status 4
	run crm import revert 2
	expect_status 0
	run crm import revert 1
	expect_status 0
	[ "$(count contacts)" = 0 ]
}

@test "import: permission <noun>.import; revert needs import.revert" {
	crm user role add clerk contact.import -q
	crm user add clerk --roles clerk > /dev/null
	printf 'Login\nzed\n' > "$BATS_TEST_TMPDIR/u.csv"
	run crm --as clerk user import "$BATS_TEST_TMPDIR/u.csv"
	expect_status 5
	printf 'Email,Last Name,Company\nann@example.com,Smith,ACME\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm --as clerk contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	run crm --as clerk contact import --create-missing "$BATS_TEST_TMPDIR/a.csv"
	expect_status 5
	[[ "$output" == *"account.add"* ]]
	[ "$(count contacts)" = 0 ]
	printf 'Email,Last Name\nann@example.com,Smith\n' > "$BATS_TEST_TMPDIR/b.csv"
	run crm --as clerk contact import "$BATS_TEST_TMPDIR/b.csv"
	expect_status 0
	run crm --as clerk import revert 1
	expect_status 5
}

@test "import: a revert needs what its changes need by hand: a manager reverts no import of users" {
	crm user add mgr --roles manager > /dev/null
	crm user add yan --roles agent > /dev/null
	printf 'Login,Name\nzed,Zed\n' > "$BATS_TEST_TMPDIR/u.csv"
	crm user import "$BATS_TEST_TMPDIR/u.csv" 2> /dev/null
	printf 'Login,Roles\nyan,viewer\n' > "$BATS_TEST_TMPDIR/v.csv"
	crm user import "$BATS_TEST_TMPDIR/v.csv" 2> /dev/null
	before=$(crm user list --no-headers --fields login,roles --sort login)
	run --separate-stderr crm --as mgr import revert 2
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'mgr' (roles: manager) may not user.edit" ]
	[ "$(crm user list --no-headers --fields login,roles --sort login)" = "$before" ]
	run crm import revert 2
	expect_status 0
	run --separate-stderr crm --as mgr import revert 1
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'mgr' (roles: manager) may not user.rm" ]
	[ "$(crm user list --no-headers --fields login --sort login | grep -c zed)" = 1 ]
	# contacts a manager may change: the revert goes through
	printf 'Email,Last Name\nann@example.com,Smith\n' > "$BATS_TEST_TMPDIR/c.csv"
	crm contact import "$BATS_TEST_TMPDIR/c.csv" 2> /dev/null
	run crm --as mgr import revert 3
	expect_status 0
}

@test "import: off a terminal only the summary; nothing with -q" {
	printf 'Email,Last Name\nann@example.com,Smith\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm -q contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ -z "$output" ]
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	[ "${#lines[@]}" = 1 ]
}

@test "import: cells export neutralised against formulas come back as they were (--raw keeps them)" {
	printf "Email,Last Name,Phone,Notes\nann@example.com,Smith,'+49 30 1,'=SUM(A1)\n" > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	run crm contact list --fields phone,notes
	[ "${lines[1]}" = "+49 30 1	=SUM(A1)" ]
	run crm contact import --raw "$BATS_TEST_TMPDIR/a.csv"
	run crm contact list --fields phone,notes
	[ "${lines[1]}" = "'+49 30 1	'=SUM(A1)" ]
}

@test "import: users, accounts with parents, and locations import through the same verbs" {
	printf 'Login,Name,Manager,Roles\nboss,The Boss,,manager\nann,Ann,boss,agent\n' > "$BATS_TEST_TMPDIR/u.csv"
	run crm user import "$BATS_TEST_TMPDIR/u.csv"
	expect_status 0
	run crm user list --fields login,manager,roles --sort login
	[ "${lines[1]}" = "ann	boss	agent" ]
	printf 'Name,Parent\nACME Germany,ACME\nACME,\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm account import --create-missing "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	# the subsidiary waits for its parent, further down the file: nothing to create as missing
	[[ "$output" == "2 created, 0 updated, 0 unchanged, 0 rejected (import batch "* ]]
	run crm account list --fields name,parent
	[ "${lines[2]}" = "ACME Germany	ACME" ]
}

@test "import: SIGKILL at random moments never leaves a partial batch" {
	py - "$BATS_TEST_TMPDIR/big.csv" <<-'EOF'
	import sys
	with open(sys.argv[1], 'w') as f:
	    f.write('Email,First Name,Last Name,Notes\n')
	    for i in range(60000):
	        f.write(f'p{i}@example.com,Zoë,"Smith, {i}","note ""{i}""\nline two"\n')
	EOF
	crm contact add Keep Me --email keep@example.com > /dev/null
	for delay in 0.05 0.3 0.15 0.6 0.9 0.02; do
		before=$(count contacts)
		"$CRM_BIN" -q contact import "$BATS_TEST_TMPDIR/big.csv" &
		pid=$!
		sleep "$delay"
		kill -9 "$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true
		is_pg || [ "$(sqlite3 "$CRM_DB" 'PRAGMA integrity_check')" = ok ]
		after=$(count contacts)
		[ "$after" = "$before" ] || [ "$after" = 60001 ]
		[ "$(db_sql 'SELECT count(*) FROM import_batches WHERE created > 0')" = "$([ "$after" = 60001 ] && echo 1 || echo 0)" ]
	done
	run crm -q contact import "$BATS_TEST_TMPDIR/big.csv"
	expect_status 0
	[ "$(count contacts)" = 60001 ]
}

@test "import: --key may be a custom field" {
	cat > "$BATS_TEST_TMPDIR/config.yaml" <<'YAML'
custom_fields:
  account:
    - {name: vat_number, type: text}
YAML
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	crm account add Acme --vat-number RO1 > /dev/null
	printf 'name,vat_number\nAcme Ltd,ro1\nGlobex,RO2\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm account import --key vat_number "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	[ "$output" = "1 created, 1 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	run crm account list --fields name,vat_number
	[ "$output" = "$(printf 'name\tvat_number\nAcme Ltd\tro1\nGlobex\tRO2')" ]
}

@test "import list is the generic list: filters, --fields, --sort, --limit, -F" {
	printf 'Email,Last Name\nann@example.com,Smith\nbob@example.com,Jones\n' > "$BATS_TEST_TMPDIR/a.csv"
	crm contact import "$BATS_TEST_TMPDIR/a.csv" 2> /dev/null
	crm account import /dev/stdin <<<$'name\nAcme' 2> /dev/null
	run crm import list --fields id,kind,created --no-headers
	expect_status 0
	[ "$output" = $'2\taccount\t1\n1\tcontact\t2' ]
	run crm import list kind:contact --fields id -F json
	[ "$(jq -c 'map(.id)' <<<"$output")" = '[1]' ]
	run crm import list --sort id --limit 1 --fields id --no-headers
	[ "$output" = 1 ]
}

@test "import show gives times as import list does off a terminal: ISO 8601, as stored" {
	printf 'name\nZed\n' > "$BATS_TEST_TMPDIR/a.csv"
	CRM_NOW=2026-11-29T17:35:04Z crm account import "$BATS_TEST_TMPDIR/a.csv" >/dev/null 2>&1
	run crm import show 1
	expect_status 0
	[[ "$output" == *"at                  2026-11-29T17:35:04Z"* ]]
	run crm import list --fields at --no-headers
	[ "$output" = 2026-11-29T17:35:04Z ]
}

@test "import: an import that writes nothing leaves no batch (a header alone, an unchanged file)" {
	csv $'Email,Last Name\n' h.csv
	run -0 crm contact import "$BATS_TEST_TMPDIR/h.csv"
	[ "$output" = "0 created, 0 updated, 0 unchanged, 0 rejected (nothing written, no import batch)" ]
	[ "$(count import_batches)" = 0 ]
	csv $'Email,Last Name\nann@example.com,Smith\n' a.csv
	run -0 crm contact import "$BATS_TEST_TMPDIR/a.csv"
	[ "$output" = "1 created, 0 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	run -0 crm contact import "$BATS_TEST_TMPDIR/a.csv"
	[ "$output" = "0 created, 0 updated, 1 unchanged, 0 rejected (nothing written, no import batch)" ]
	run -0 crm import list --no-headers
	[ "${#lines[@]}" = 1 ]
	[ "$(count import_batches)" = 1 ]
}

@test "import --reject is written as every -o: atomic, keeping the mode, never through a link, a device never removed" {
	d=$BATS_TEST_TMPDIR/out
	mkdir "$d"
	printf 'Email,Last Name\nann@example.com,Smith\nbob@example.com,\n' > "$BATS_TEST_TMPDIR/a.csv"
	printf 'Email,Last Name\ncid@example.com,Lee\n' > "$BATS_TEST_TMPDIR/good.csv"
	echo old > "$d/rej.csv"
	chmod 600 "$d/rej.csv"
	run -6 crm contact import "$BATS_TEST_TMPDIR/a.csv" --reject "$d/rej.csv"
	grep -q 'bob@example.com' "$d/rej.csv"
	[ "$(stat -c %a "$d/rej.csv")" = 600 ]
	[ "$(ls "$d")" = rej.csv ]
	# a symbolic link is neither followed nor replaced
	echo secret > "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$d/link"
	run --separate-stderr crm contact import "$BATS_TEST_TMPDIR/a.csv" --reject "$d/link"
	expect_status 1
	[ "$stderr" = "crm: will not write through the symbolic link '$d/link'; name the file itself" ]
	[ "$(cat "$BATS_TEST_TMPDIR/elsewhere")" = secret ]
	# nothing rejected: a stale regular file goes, a FIFO (or a device) stays
	run -0 crm contact import "$BATS_TEST_TMPDIR/good.csv" --reject "$d/rej.csv"
	[ ! -e "$d/rej.csv" ]
	mkfifo "$d/fifo"
	cat "$d/fifo" > /dev/null &
	printf 'Email,Last Name\ndan@example.com,Doe\n' > "$BATS_TEST_TMPDIR/good2.csv"
	run -0 crm contact import "$BATS_TEST_TMPDIR/good2.csv" --reject "$d/fifo"
	wait
	[ -p "$d/fifo" ]
}

# Hundreds of rows: on PostgreSQL they are written ahead in stretches (core/store_pg.c), and a
# row the database refuses part-way through a stretch has the stretch imported again row by row.
@test "import: rows the database refuses part-way through hundreds are reported row by row; the batch reverts" {
	a=$BATS_TEST_TMPDIR/a.csv b=$BATS_TEST_TMPDIR/b.csv c=$BATS_TEST_TMPDIR/c.csv
	{
		echo 'Email,Last Name,Title,Company'
		for i in $(seq 1 700); do echo "p$i@example.com,P$i,first,Acme $((i % 7))"; done
	} > "$a"
	run -0 crm contact import "$a" --create-missing
	[ "$output" = "700 created, 0 updated, 0 unchanged, 0 rejected (and 7 referenced records created) (import batch 1)" ]
	# existing and new rows in turn: each new one is added first, each existing one after it is
	# refused by the unique e-mail and becomes an update (or nothing)
	{
		echo 'Email,Last Name,Title,Company'
		for i in $(seq 1 300); do
			if [ $((i % 3)) -eq 0 ]; then t=second; else t=first; fi
			echo "p$i@example.com,P$i,$t,Acme $((i % 7))"
			echo "q$i@example.com,Q$i,new,Acme $((i % 7))"
		done
	} > "$b"
	run -0 crm contact import "$b"
	[ "$output" = "300 created, 100 updated, 200 unchanged, 0 rejected (import batch 2)" ]
	[ "$(count contacts)" = 1000 ]
	[ "$(db_sql "SELECT count(*) FROM contacts WHERE title = 'second'")" = 100 ]
	# create mode: two rows name existing contacts, one repeats an earlier row of the file
	{
		echo 'Email,Last Name,Title,Company'
		for i in $(seq 1 600); do
			case $i in
			400) echo "p5@example.com,P5,x,Acme 1" ;;
			450) echo "r420@example.com,R420,x,Acme 1" ;;
			500) echo "q7@example.com,Q7,x,Acme 1" ;;
			*) echo "r$i@example.com,R$i,x,Acme 1" ;;
			esac
		done
	} > "$c"
	run -6 crm contact import --mode create "$c" --reject "$BATS_TEST_TMPDIR/rej.csv"
	[ "$output" = "nothing written: 597 to create, 0 to update, 0 unchanged, 3 rejected; fix the rejected rows (in the --reject file), or import the others with --partial" ]
	[ "$(cut -d, -f1,5- "$BATS_TEST_TMPDIR/rej.csv")" = "Email,_line,_field,_error
p5@example.com,401,email,contact with email 'p5@example.com' already exists
r420@example.com,451,email,contact with email 'r420@example.com' already exists
q7@example.com,501,email,contact with email 'q7@example.com' already exists" ]
	[ "$(count contacts)" = 1000 ]
	run -0 crm import revert 2
	[ "$(count contacts)" = 700 ]
	[ "$(db_sql "SELECT count(*) FROM contacts WHERE title = 'first'")" = 700 ]
}
