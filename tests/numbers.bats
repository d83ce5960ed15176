#!/usr/bin/env bats
# Record numbers are never reused: a number once given to a record names that record for good,
# with its history, even after it is removed (migration 008, AUTOINCREMENT).
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	SQL_DIR="$BATS_TEST_DIRNAME/../core/sql"
}

@test "a contact added after the newest one was removed gets a new number and no old history" {
	run crm contact add Ann Smith
	[ "$output" = 1 ]
	run crm contact add Bob Jones --title CEO
	[ "$output" = 2 ]
	run crm contact rm 2
	expect_status 0
	run crm contact add Carl Doe
	expect_status 0
	[ "$output" = 3 ]
	run crm history contact 3 -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '[.[] | .action] | unique | join(",")')" = add ]
	[[ "$output" != *Bob* ]]
	[[ "$output" != *CEO* ]]
	# the removed one keeps its own history
	run crm history contact 2 -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '[.[] | .action] | unique | join(",")')" = "add,rm" ]
	run crm contact show 2
	expect_status 3
}

@test "numbers are not reused for accounts, tickets or project costs either" {
	crm account add Acme >/dev/null
	crm account add Globex >/dev/null
	crm account rm Globex
	run crm account add Initech
	[ "$output" = 3 ]
	run crm ticket open "First" --account Acme
	[ "$output" = 1 ]
	crm ticket rm 1 --yes
	run crm ticket open "Second" --account Acme
	[ "$output" = 2 ]
	crm project add Rollout --account Acme >/dev/null
	run crm project cost add Rollout 100 travel
	[ "$output" = 1 ]
	crm project cost rm 1
	run crm project cost add Rollout 50 food
	[ "$output" = 2 ]
}

@test "records an import created and its revert deleted keep their numbers" {
	printf 'Email,Last Name\nann@example.com,Smith\nbob@example.com,Jones\n' > "$BATS_TEST_TMPDIR/a.csv"
	run crm contact import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 0
	run crm import revert 1
	expect_status 0
	run crm contact add Carl Doe
	[ "$output" = 3 ]
	run crm history contact 3 -F json
	[ "$(echo "$output" | jq -r '[.[] | .action] | unique | join(",")')" = add ]
	[[ "$output" != *Jones* ]]
	# the import's add and the revert's removal stay with number 2
	run crm history contact 2
	[[ "$output" == *"add	email		bob@example.com"* ]]
	[[ "$output" == *"	rm	"* ]]
}

@test "migration: an older database keeps its data, indexes and references, and no number comes back" {
	skip_unless_sqlite "migrates a database written by SQLite migrations 001 and 002"
	# schema 2, where contact 2 was added and removed: only its history remembers it
	cat "$SQL_DIR/001_base.sql" "$SQL_DIR/002_history.sql" | sqlite3 "$CRM_DB"
	sqlite3 "$CRM_DB" "PRAGMA user_version = 2;
		INSERT INTO users (login, roles, created, updated) VALUES ('tester', 'admin', 'x', 'x'),
			('$(id -un)', 'admin', 'x', 'x'); -- the system login, acting as tester
		INSERT INTO accounts (name, created, updated) VALUES ('Acme', 'x', 'x');
		INSERT INTO accounts (name, parent_id, created, updated) VALUES ('Acme Sub', 1, 'x', 'x');
		INSERT INTO contacts (first_name, last_name, account_id, created, updated) VALUES ('Ann', 'Smith', 1, 'x', 'x');
		INSERT INTO history (at, user, kind, record_id, action, changes)
			VALUES ('x', 'tester', 'contact', 2, 'add', '{\"last_name\": [null, \"Jones\"]}'),
			       ('x', 'tester', 'contact', 2, 'rm', '{}');"
	run crm init -q
	expect_status 0
	# the same database made new, to compare the schema with
	CRM_DB="$BATS_TEST_TMPDIR/new.db" crm init -q
	schema() {
		sqlite3 "$1" "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1, 2"
		for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"); do
			sqlite3 "$1" "SELECT '$t', * FROM pragma_table_info('$t')"
			sqlite3 "$1" "SELECT '$t', \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('$t')"
		done
	}
	[ "$(schema "$CRM_DB")" = "$(schema "$BATS_TEST_TMPDIR/new.db")" ]
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'")" -ge 11 ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA foreign_key_check')" = "" ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA integrity_check')" = ok ]
	# data kept, references still enforced
	run crm account list --no-headers --fields id,name,parent
	[ "$output" = $'1\tAcme\t\n2\tAcme Sub\tAcme' ]
	run --separate-stderr crm account rm Acme
	expect_status 4
	run crm contact add Carl Doe
	expect_status 0
	[ "$output" = 3 ]
	run crm history contact 3 -F json
	[ "$(echo "$output" | jq -r '[.[] | .action] | unique | join(",")')" = add ]
}
