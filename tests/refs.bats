#!/usr/bin/env bats
# References: a record named by its number, e-mail or name is resolved first, through indexes,
# then the query runs; names and keys compare case- and accent-insensitively in every script.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
}

seed() {
	crm account add "Zürich Ölwerke AG" >/dev/null
	crm contact add Ștefan Müller --email stefan@x.ro --account "zurich olwerke ag" >/dev/null # 1
	crm contact add Ana Straße --email ana@x.de >/dev/null                                    # 2
	crm contact add Иван Жуков --email ivan@x.ru >/dev/null                                  # 3
	crm contact add Ann Lee --email ann@x.com >/dev/null                                     # 4
	crm contact add Bob "5th Avenue" --email bob@x.com >/dev/null                            # 5
	crm contact add Eve Ionescu --email eve@x.com >/dev/null                                 # 6
}

@test "contact show resolves a number, an e-mail in any case, a full name in any case" {
	seed
	run crm contact show 4 -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .email)" = ann@x.com ]
	run crm contact show ANN@X.COM -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 4 ]
	run crm contact show "ann LEE" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 4 ]
	run --separate-stderr crm contact show "Ann Lees"
	expect_status 3
	[ "$stderr" = "crm: contact 'Ann Lees' not found" ]
}

@test "folded names: Ș and ş, ß and SS, Ö and o, Cyrillic in any case" {
	seed
	for name in "ștefan müller" "STEFAN MULLER" "Ştefan Muller" "ȘTEFAN MÜLLER"; do
		run crm contact show "$name" -F json
		expect_status 0
		[ "$(echo "$output" | jq -r .id)" = 1 ]
	done
	for name in "ana strasse" "ANA STRASSE" "Ana Straße" "ANA STRAẞE"; do
		run crm contact show "$name" -F json
		expect_status 0
		[ "$(echo "$output" | jq -r .id)" = 2 ]
	done
	for name in "иван жуков" "ИВАН ЖУКОВ"; do
		run crm contact show "$name" -F json
		expect_status 0
		[ "$(echo "$output" | jq -r .id)" = 3 ]
	done
	run crm account show "zürich ölwerke ag" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .name)" = "Zürich Ölwerke AG" ]
	run crm account show "ZURICH OLWERKE AG" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 1 ]
}

@test "list and filters fold the same way: bare words, field:value, wildcards, references" {
	seed
	run crm contact list MÜLLER --no-headers --fields id
	expect_status 0
	[ "$output" = 1 ]
	run crm contact list muller --no-headers --fields id
	[ "$output" = 1 ]
	run crm contact list STRASSE --no-headers --fields id
	[ "$output" = 2 ]
	run crm contact list ЖУКОВ --no-headers --fields id
	[ "$output" = 3 ]
	run crm contact list last_name:MULLER --no-headers --fields id
	expect_status 0
	[ "$output" = 1 ]
	run crm contact list "last_name:strasse" --no-headers --fields id
	[ "$output" = 2 ]
	run crm contact list "last_name:STRA*" --no-headers --fields id
	[ "$output" = 2 ]
	run crm contact list "first_name:ș*" --no-headers --fields id
	[ "$output" = 1 ]
	run crm contact list "email:STEFAN@X.RO" --no-headers --fields id
	[ "$output" = 1 ]
	run crm contact list "account:ZURICH ÖLWERKE AG" --no-headers --fields id
	expect_status 0
	[ "$output" = 1 ]
	run crm contact list "account:zür*" --no-headers --fields id
	[ "$output" = 1 ]
	run crm account list "name:zurich*" --no-headers --fields id
	[ "$output" = 1 ]
	# GLOB's own metacharacters are literal; only * is a wildcard
	run crm contact list "last_name:?uller" --no-headers --fields id
	expect_status 0
	[ -z "$output" ]
}

@test "contacts:5 is record 5, not anyone with a 5 in the name" {
	seed
	crm activity add "call one" --type call --contact 5 >/dev/null           # 1, with Bob "5th Avenue"
	crm activity add "call two" --type call --contact "Ann Lee" >/dev/null   # 2
	crm activity add "call three" --type call --contact "ștefan müller" >/dev/null # 3
	run crm activity list contacts:5 --no-headers --fields id
	expect_status 0
	[ "$output" = 1 ]
	run crm activity list contacts:4 --no-headers --fields id
	[ "$output" = 2 ]
	run crm activity list --contact ann@x.com --no-headers --fields id
	expect_status 0
	[ "$output" = 2 ]
	run crm activity list "contact:STEFAN MULLER" --no-headers --fields id
	[ "$output" = 3 ]
	run crm activity list --contact stefan@x.ro --no-headers --fields id
	[ "$output" = 3 ]
	# one word of a linked contact's name still finds the activity
	run crm activity list contact:ann --no-headers --fields id
	expect_status 0
	[ "$output" = 2 ]
	run crm activity list contact:müller --no-headers --fields id
	[ "$output" = 3 ]
	# a number that is no contact matches nothing
	run crm activity list contacts:99 --no-headers --fields id
	expect_status 0
	[ -z "$output" ]
}

@test "an ambiguous name is an error listing the candidates, everywhere it names one record" {
	seed
	crm contact add ИВАН Жуков --email ivan2@x.ru >/dev/null # 7
	run --separate-stderr crm contact show "иван жуков"
	expect_status 4
	[ "$stderr" = "crm: contact 'иван жуков' is ambiguous: 3 (Иван Жуков), 7 (ИВАН Жуков); name it by number" ]
	run --separate-stderr crm activity add call --type call --contact "Иван Жуков"
	expect_status 4
	[[ "$stderr" == *"is ambiguous: 3 (Иван Жуков), 7 (ИВАН Жуков)"* ]]
	# by e-mail or number each is one
	run crm contact show ivan2@x.ru -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 7 ]
	# a filter selects every record the name fits
	crm activity add a --type call --contact 3 --contact 7 >/dev/null
	run crm activity list "contact:иван жуков" --no-headers --fields id
	expect_status 0
	[ "$output" = 1 ]
}

@test "an edit keeps the folded keys: the new name is found, the old one is not" {
	seed
	crm contact edit 6 --last-name Șerban >/dev/null
	run crm contact show "eve serban" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 6 ]
	run crm contact show "eve ionescu"
	expect_status 3
	crm contact edit eve@x.com --email EVE@Y.COM >/dev/null
	run crm contact show eve@y.com -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 6 ]
	run crm account edit "zurich olwerke ag" --name "Genève Öl SA"
	expect_status 0
	run crm account show "geneve ol sa" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 1 ]
}

@test "an import resolves reference cells folded: accounts by any case and accent" {
	seed
	printf 'first_name,last_name,email,account\nMaria,Pop,maria@x.ro,ZURICH OLWERKE AG\nIon,Pop,ion@x.ro,1\n' > "$BATS_TEST_TMPDIR/c.csv"
	run crm contact import "$BATS_TEST_TMPDIR/c.csv"
	expect_status 0
	run crm contact list "account:Zürich Ölwerke AG" --no-headers --fields email
	[ "$output" = $'stefan@x.ro\nion@x.ro\nmaria@x.ro' ]
	run crm contact show "maria pop" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .email)" = maria@x.ro ]
}

@test "migration 006 fills the folded keys of records an older crm kept" {
	skip_unless_sqlite "migrates a database written by SQLite migrations 001 to 005"
	# a database at schema 5, written by hand as an older crm would have left it
	local sql_dir="$BATS_TEST_DIRNAME/../core/sql"
	ls "$sql_dir"/00[1-5]_*.sql | sort | xargs cat | sqlite3 "$CRM_DB"
	sqlite3 "$CRM_DB" "PRAGMA user_version = 5;
		INSERT INTO users (login, roles, created, updated) VALUES ('tester', 'admin', 'x', 'x'),
			('$(id -un)', 'admin', 'x', 'x'); -- the system login, acting as tester
		INSERT INTO accounts (name, created, updated) VALUES ('Zürich Ölwerke AG', 'x', 'x');
		INSERT INTO contacts (first_name, last_name, email, account_id, created, updated)
			VALUES ('Ștefan', 'Müller', 'Stefan@X.ro', 1, 'x', 'x');"
	crm init -q # a read does not upgrade the schema
	run crm contact show "stefan muller" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .email)" = Stefan@X.ro ]
	run crm contact list "account:zurich olwerke ag" --no-headers --fields id
	[ "$output" = 1 ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT label_fold FROM contacts')" = "stefan muller" ]
	run crm contact show STEFAN@x.RO -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 1 ]
}

@test "e-mail addresses compare as their unique index does: ASCII case, not accents" {
	seed
	crm contact add Jürgen Alt --email jürgen@x.de >/dev/null # 7
	crm contact add Jurgen Neu --email jurgen@x.de >/dev/null  # 8: another mailbox
	run crm contact show JüRGEN@X.DE -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 7 ]
	run crm contact show JURGEN@x.de -F json
	expect_status 0
	[ "$(echo "$output" | jq -r .id)" = 8 ]
	run crm contact list email:Jurgen@X.DE --no-headers --fields id
	[ "$output" = 8 ]
	# a word search folds: both
	run crm contact list jurgen --no-headers --fields id
	[ "$output" = $'7\n8' ]
}
