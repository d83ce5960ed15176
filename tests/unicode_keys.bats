#!/usr/bin/env bats
# Keys unique whatever the case of their letters (issues 9 and 10): an account's name, a user's
# login, a group's name and a location's name within its account refuse a second record spelt in
# another case, non-ASCII letters included, on SQLite (whose NOCASE folds ASCII only) as on
# PostgreSQL (citext); accents still make another name. A reference spelt as a record's key,
# whatever the case, names that record even when another folds the same.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	crm account add "Zürich Ölwerke AG" > /dev/null
}

@test "a name that differs only in the case of non-ASCII letters is a conflict, nothing written" {
	run --separate-stderr crm account add "ZÜRICH ÖLWERKE AG"
	expect_status 4
	[ "$stderr" = "crm: account with name 'ZÜRICH ÖLWERKE AG' already exists: 1 'Zürich Ölwerke AG' (the case of letters does not make another name)" ]
	run --separate-stderr crm account add "zürich ölwerke ag"
	expect_status 4
	# the same spelling but for ASCII letters says it as before
	run --separate-stderr crm account add "ZüRICH ÖLWERKE AG"
	expect_status 4
	[ "$stderr" = "crm: account with name 'ZüRICH ÖLWERKE AG' already exists" ]
	[ "$(crm account list --fields name --no-headers)" = "Zürich Ölwerke AG" ]
	[ "$(db_sql "SELECT count(*) FROM history WHERE kind = 'account'")" = "$(db_sql "SELECT count(*) FROM history WHERE kind = 'account' AND record_id = 1")" ]
}

@test "accents make another name; a reference spelt as one of them, whatever the case, names it" {
	run -0 crm account add "Zurich Olwerke AG"
	[ "$output" = 2 ]
	[ "$(crm account show "ZÜRICH ÖLWERKE AG" -F json | py -c 'import json,sys; print(json.load(sys.stdin)["id"])')" = 1 ]
	[ "$(crm account show "zürich ölwerke ag" -F json | py -c 'import json,sys; print(json.load(sys.stdin)["id"])')" = 1 ]
	[ "$(crm account show "ZURICH OLWERKE ag" -F json | py -c 'import json,sys; print(json.load(sys.stdin)["id"])')" = 2 ]
	# spelt as neither: both fold the same, so it is ambiguous and says which
	run --separate-stderr crm account show "zürich olwerke ag"
	expect_status 4
	[ "$stderr" = "crm: account 'zürich olwerke ag' is ambiguous: 1 (Zürich Ölwerke AG), 2 (Zurich Olwerke AG); name it by number" ]
}

@test "an edit into another record's name in another case is a conflict, the record unchanged" {
	crm account add Globex > /dev/null
	run --separate-stderr crm account edit Globex --name "ZÜRICH ÖLWERKE AG"
	expect_status 4
	[[ "$stderr" == *"already exists: 1 'Zürich Ölwerke AG'"* ]]
	[ "$(crm account list --fields name --sort id --no-headers | tail -1)" = Globex ]
	# a record may change the case of its own name
	run -0 crm account edit 1 --name "ZÜRICH ÖLWERKE AG"
	[ "$(crm account list --fields name --sort id --no-headers | head -1)" = "ZÜRICH ÖLWERKE AG" ]
}

@test "logins, group names and a location's name within its account likewise" {
	crm user add ÖMER > /dev/null
	run --separate-stderr crm user add ömer
	expect_status 4
	[ "$stderr" = "crm: user with login 'ömer' already exists: $(db_sql "SELECT id FROM users WHERE login = 'ÖMER'") 'ÖMER' (the case of letters does not make another login)" ]
	crm group add Șefi > /dev/null
	run --separate-stderr crm group add șefi
	expect_status 4
	[[ "$stderr" == *"group with name 'șefi' already exists: 1 'Șefi'"* ]]
	crm account add Globex > /dev/null
	crm location add ȘANTIER --account "Zürich Ölwerke AG" > /dev/null
	run --separate-stderr crm location add șantier --account "Zürich Ölwerke AG"
	expect_status 4
	[[ "$stderr" == *"location with name 'șantier' already exists: 1 'ȘANTIER'"* ]]
	# another account's location may have the name
	run -0 crm location add șantier --account Globex
	[ "$(db_sql "SELECT count(*) FROM locations")" = 2 ]
}

@test "an import keyed by name finds a record spelt in another case, as it finds one in other ASCII capitals" {
	crm account add "Zurich Olwerke AG" > /dev/null
	printf 'name,country\nAcme,DE\nZÜRICH ÖLWERKE AG,CH\nșantier nord,RO\nȘANTIER NORD,MD\n' > "$BATS_TEST_TMPDIR/a.csv"
	run -0 crm account import "$BATS_TEST_TMPDIR/a.csv"
	[ "$output" = "2 created, 2 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	run -0 crm account list --fields id,name,country --sort id -F csv
	[ "$output" = "$(printf 'id,name,country\n1,ZÜRICH ÖLWERKE AG,CH\n2,Zurich Olwerke AG,\n3,Acme,DE\n4,ȘANTIER NORD,MD')" ]
	# told to create only, the row spelt in another case is a conflict, and nothing is written
	printf 'name\nNew Co\nzürich ölwerke ag\n' > "$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr crm account import "$BATS_TEST_TMPDIR/b.csv" --mode create
	expect_status 6
	[[ "$stderr" == *"line 3"*"already exists: 1 'ZÜRICH ÖLWERKE AG'"* ]]
	[ "$(db_sql "SELECT count(*) FROM accounts")" = 4 ]
}
