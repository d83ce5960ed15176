#!/usr/bin/env bats
# The database file: created on first use (0600, parents made, WAL, foreign keys), numbered
# migrations applied in order by PRAGMA user_version, newer and foreign files left alone.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	SQL_DIR="$BATS_TEST_DIRNAME/../core/sql"
	NSQL=$(ls "$SQL_DIR"/*.sql | wc -l)
}

# sha256 of a file, to prove it was not touched.
sum() {
	sha256sum "$1" | cut -d' ' -f1
}

@test "a new database is made on first use: mode 0600, parents 0700, WAL, schema version" {
	export CRM_DB="$BATS_TEST_TMPDIR/deep/er/crm.db"
	[ ! -e "$BATS_TEST_TMPDIR/deep" ]
	run --separate-stderr crm account add Acme
	expect_status 0
	[ -f "$CRM_DB" ]
	[ "$(stat -c %a "$CRM_DB")" = 600 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/deep")" = 700 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/deep/er")" = 700 ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA journal_mode')" = wal ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA user_version')" = "$NSQL" ]
	[ "$NSQL" -ge 2 ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA integrity_check')" = ok ]
	[ -z "$(sqlite3 "$CRM_DB" 'PRAGMA foreign_key_check')" ]
}

@test "the 0600 mode does not depend on the umask" {
	skip_unless_sqlite "the database file's mode"
	umask 000
	crm account add Acme >/dev/null
	[ "$(stat -c %a "$CRM_DB")" = 600 ]
	# and crm's own umask does not leak into files it writes for the user
	crm account list -o "$BATS_TEST_TMPDIR/out.csv"
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/out.csv")" = 666 ]
}

@test "without CRM_DB the database goes to ~/.local/share/crm/crm.db" {
	unset CRM_DB
	crm account add Acme >/dev/null
	[ -f "$HOME/.local/share/crm/crm.db" ]
	[ "$(stat -c %a "$HOME/.local/share/crm/crm.db")" = 600 ]
	[ "$(stat -c %a "$HOME/.local/share/crm")" = 700 ]
}

@test "crm init creates the database and says so; again it says it is in use" {
	export CRM_DB="$BATS_TEST_TMPDIR/new/crm.db"
	run --separate-stderr crm init
	expect_status 0
	[ -z "$output" ]
	# tester, as asked, and the system login, which may go on acting as others
	[ "$stderr" = "created database '$CRM_DB' (schema $NSQL, admins 'tester' and '$(id -un)')" ]
	[ "$(stat -c %a "$CRM_DB")" = 600 ]
	run --separate-stderr crm init
	expect_status 0
	[[ "$stderr" == "using database '$CRM_DB' (schema $NSQL"* ]]
	run --separate-stderr crm init extra
	expect_status 2
}

@test "foreign keys are enforced on crm's connection" {
	crm account add Acme >/dev/null
	# a table crm does not know refers to Acme: only SQLite's foreign keys can protect it
	db_sql 'CREATE TABLE extra (account INTEGER REFERENCES accounts(id)); INSERT INTO extra VALUES (1);' >/dev/null
	run --separate-stderr crm account rm Acme
	expect_status 4
	[[ "$stderr" == crm:*"FOREIGN KEY"* ]]
	[ "$(crm account list --no-headers --fields name)" = Acme ]
	# nothing half-done: no history row for the refused removal
	[ "$(db_sql "SELECT count(*) FROM history WHERE action = 'rm'")" = 0 ]
}

# A database as the first release left it: only 001_base.sql, with data in it. Its admins are
# tester and the system login, which may act as tester because it is an admin.
old_database() {
	sqlite3 "$CRM_DB" < "$SQL_DIR/001_base.sql"
	sqlite3 "$CRM_DB" "PRAGMA user_version = 1;
		INSERT INTO users (login, roles, created, updated) VALUES ('tester', 'admin', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'),
			('$(id -un)', 'admin', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
		INSERT INTO accounts (name, country, created, updated) VALUES ('Old Co', 'DE', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
}

@test "an older database is migrated in place, keeping its data, and history works" {
	skip_unless_sqlite "migrates a database written by SQLite migration 001"
	old_database
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA user_version')" = 1 ]
	# a read does not upgrade: it says what will
	before=$(sum "$CRM_DB")
	run --separate-stderr crm account list
	expect_status 1
	[ "$stderr" = "crm: database '$CRM_DB' has schema 1 and this crm needs $NSQL; a command that writes, or 'crm init', upgrades it" ]
	[ "$(sum "$CRM_DB")" = "$before" ]
	run --separate-stderr crm init
	expect_status 0
	run --separate-stderr crm account list --no-headers --fields id,name,country
	expect_status 0
	[ "$output" = $'1\tOld Co\tDE' ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA user_version')" = "$NSQL" ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA journal_mode')" = wal ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA integrity_check')" = ok ]
	# the existing admins stay the only users: no new "first admin"
	run crm user list --no-headers --fields login,roles
	[ "$output" = "$(printf 'tester\tadmin\n%s\tadmin\n' "$(id -un)" | sort)" ]
	run --separate-stderr crm init
	[[ "$stderr" == "using database"* ]]
	# writing and history work on the migrated schema
	run crm account edit "Old Co" --country FR
	expect_status 0
	run crm account history "Old Co" -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '.[] | select(.field == "country") | .old + ">" + .new')" = "DE>FR" ]
	run crm account add New
	expect_status 0
	[ "$output" = 2 ]
}

@test "every migration step applies to the one before it" {
	# apply the first k files by hand, then let crm do the rest; crm's own SQL function
	# crm_fold (migration 006 fills folded keys with it) is played by lower() in the sqlite3 CLI
	local k
	for k in $(seq 1 "$NSQL"); do
		db="$BATS_TEST_TMPDIR/step$k.db"
		ls "$SQL_DIR"/*.sql | sort | head -n "$k" | xargs cat | sed 's/crm_fold(/lower(/g' | sqlite3 "$db"
		sqlite3 "$db" "PRAGMA user_version = $k; INSERT INTO users (login, roles, created, updated) VALUES ('tester', 'admin', 'x', 'x'), ('$(id -un)', 'admin', 'x', 'x')"
		run --separate-stderr crm --db "$db" account add "Step $k"
		expect_status 0
		[ "$(sqlite3 "$db" 'PRAGMA user_version')" = "$NSQL" ]
	done
}

@test "a database from a newer crm is refused with exit 1 and left byte for byte" {
	skip_unless_sqlite "sets PRAGMA user_version and compares the file byte for byte"
	crm account add Acme >/dev/null
	sqlite3 "$CRM_DB" 'PRAGMA user_version = 999'
	before=$(sum "$CRM_DB")
	for cmd in "account list" "account add Globex" "init" "user list"; do
		run --separate-stderr crm $cmd
		expect_status 1
		[ -z "$output" ]
		[ "$stderr" = "crm: database '$CRM_DB' was written by a newer crm (schema 999; this crm knows $NSQL); upgrade crm to use it" ]
	done
	[ "$(sum "$CRM_DB")" = "$before" ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA user_version')" = 999 ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT name FROM accounts')" = Acme ]
}

@test "a file that is not a database: a clear error, no crash, the file unchanged" {
	skip_unless_sqlite "writes garbage into the database file"
	export CRM_DB="$BATS_TEST_TMPDIR/notes.txt"
	for i in $(seq 50); do echo "line $i of somebody's notes, not a database"; done > "$CRM_DB"
	before=$(sum "$CRM_DB")
	run --separate-stderr crm account list
	expect_status 1
	[ -z "$output" ]
	[ "$stderr" = "crm: '$CRM_DB' is not a crm database or is damaged: file is not a database" ]
	run --separate-stderr crm account add Acme
	expect_status 1
	[ "$(sum "$CRM_DB")" = "$before" ]
	[ ! -e "$CRM_DB-wal" ]
	[ ! -e "$CRM_DB-journal" ]
	# random bytes and a damaged header likewise
	head -c 4096 /dev/urandom > "$CRM_DB"
	before=$(sum "$CRM_DB")
	run --separate-stderr crm account list
	expect_status 1
	[[ "$stderr" == "crm: '$CRM_DB' is not a crm database"* ]]
	[ "$(sum "$CRM_DB")" = "$before" ]
	printf 'SQLite format 3\0but then garbage' > "$CRM_DB"
	run --separate-stderr crm account list
	expect_status 1
	[[ "$stderr" == "crm: '$CRM_DB' is not a crm database"* ]]
}

@test "another program's SQLite database is refused and left unchanged" {
	skip_unless_sqlite "another program's SQLite file"
	export CRM_DB="$BATS_TEST_TMPDIR/other.db"
	# one whose table names clash with crm's, and one whose do not
	sqlite3 "$CRM_DB" 'CREATE TABLE accounts (x); INSERT INTO accounts VALUES (42);'
	before=$(sum "$CRM_DB")
	run --separate-stderr crm account list
	expect_status 1
	[ "$stderr" = "crm: '$CRM_DB' is not a crm database (it holds tables of another program); left unchanged" ]
	[ "$(sum "$CRM_DB")" = "$before" ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA journal_mode')" = delete ]
	sqlite3 "$BATS_TEST_TMPDIR/notes.db" 'CREATE TABLE notes (body TEXT);'
	before=$(sum "$BATS_TEST_TMPDIR/notes.db")
	run --separate-stderr crm --db "$BATS_TEST_TMPDIR/notes.db" account add Acme
	expect_status 1
	[ "$(sum "$BATS_TEST_TMPDIR/notes.db")" = "$before" ]
	[ "$(sqlite3 "$BATS_TEST_TMPDIR/notes.db" .tables)" = notes ]
}

@test "an empty file becomes a new database" {
	skip_unless_sqlite "an empty database file"
	: > "$CRM_DB"
	run crm account add Acme
	expect_status 0
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA user_version')" = "$NSQL" ]
}

@test "a database path that is a directory is a clear error" {
	mkdir "$BATS_TEST_TMPDIR/dir.db"
	run --separate-stderr crm --db "$BATS_TEST_TMPDIR/dir.db" account list
	expect_status 1
	[[ "$stderr" == "crm: cannot open database '$BATS_TEST_TMPDIR/dir.db'"* ]]
}

@test "crm init on an existing database names no admin for a user who is not one" {
	crm init
	run --separate-stderr crm --as bob init
	expect_status 0
	[[ "$stderr" == "using database '$CRM_DB' (schema "*")" ]]
	[[ "$stderr" != *admin* ]]
}

@test "migration numbers run from 001 without a gap, the same on both backends (the build refuses otherwise)" {
	local embed="$BATS_TEST_DIRNAME/../scripts/embed.sh" d="$BATS_TEST_TMPDIR/sql"
	mkdir -p "$d/pg"
	for n in 001 002 004; do echo "SELECT 1;" >"$d/${n}_x.sql"; echo "SELECT 1;" >"$d/pg/${n}_x.sql"; done
	run --separate-stderr sh "$embed" migrations "$d"/0*.sql -- "$d"/pg/0*.sql
	expect_status 1
	[[ "$stderr" == *"found 004 where 003 was expected"* ]]
	mv "$d/004_x.sql" "$d/003_x.sql"
	run --separate-stderr sh "$embed" migrations "$d"/0*.sql -- "$d"/pg/0*.sql
	expect_status 1
	[[ "$stderr" == *"SQLite and PostgreSQL migrations differ"* ]]
	mv "$d/pg/004_x.sql" "$d/pg/003_x.sql"
	run --separate-stderr sh "$embed" migrations "$d"/0*.sql -- "$d"/pg/0*.sql
	expect_status 0
	[[ "$output" == *"crm_migrations_pg[]"* ]]
	# The project's own migrations pass the same check.
	ls "$BATS_TEST_DIRNAME"/../core/sql/*.sql | sed 's#.*/##; s/_.*//' | awk '$1+0 != NR { exit 1 }'
}
