#!/usr/bin/env bats
# crm db copy: a whole database into another (SQLite or PostgreSQL), record numbers kept,
# verified per table by count and SHA-256; the source never changed, a target with records
# refused. The PostgreSQL tests need a server: CRM_TEST_PG_URL (set by make test-pg) is the URL
# of a database on it that may create others.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	# The source is a SQLite file whichever backend the suite runs on: these tests name the
	# backends themselves.
	eval "$(declare -f crm_test_env | sed '1s/crm_test_env/crm_test_env_base/')"
	crm_test_env() {
		crm_test_env_base
		export CRM_DB="$BATS_TEST_TMPDIR/crm.db"
	}
	ticket_setup
	T=$BATS_TEST_TMPDIR
}

# Every kind of record, history, links, documents (one big, one shared by two records), an
# import batch, alerts and notifications; a contact removed last, so that its number is
# never handed out again.
fill() {
	crm user edit root --manager ann
	crm user role add auditor 'account.*' contact.add >/dev/null
	crm account edit Acme --parent Globex
	crm account edit Acme --credit-limit 1500.5
	crm location add HQ --account Acme >/dev/null
	crm contact add Dora Dé --email dora@acme.example --account Acme --notes "$(printf 'tab\there\nnew line')" >/dev/null
	crm project add Rollout --account Acme >/dev/null
	crm project cost add Rollout 99.25 travel >/dev/null
	crm contract add "Support 2026" --account Acme --value 12000 >/dev/null
	crm activity add "Kick-off call" --type call --account Acme >/dev/null
	crm ticket open "Server down" --account Acme --priority urgent --assign ann >/dev/null
	crm --as ann ticket comment 1 "looking"
	crm ticket watch 1 --user mia
	crm alert run --now 2026-03-02T18:00:00Z >/dev/null
	printf 'hello world\n' > "$T/note.txt"
	head -c 300000 /dev/urandom > "$T/big.bin"
	crm doc attach contact 1 "$T/note.txt" >/dev/null
	crm doc attach account Acme "$T/big.bin" >/dev/null
	crm doc attach account Acme "$T/note.txt" >/dev/null
	printf 'first_name,last_name,email\nEve,Import,eve@x.example\nFay,Import,fay@x.example\n' > "$T/imp.csv"
	crm contact import "$T/imp.csv" >/dev/null
	crm contact rm fay@x.example >/dev/null
	# the columns later migrations added: do-not-contact, a personal e-mail in the outbox, lists
	crm contact edit dora@acme.example --do-not-mail yes >/dev/null
	crm contact email dora@acme.example --subject Hello --body 'see you' >/dev/null
	crm list add Customers >/dev/null
	crm list add-member Customers dora@acme.example >/dev/null
	# offers (migration 028): numbered from a sequence, a line, a section, a revision
	crm product add WEB "Web design" --price 0.10 --tax-rate 19 >/dev/null
	crm offer add "Website" --account Acme --valid-until 2026-12-31 >/dev/null
	crm offer line add 1 WEB --quantity 3 --discount 5 >/dev/null
	crm offer section add 1 "Prices" >/dev/null
	crm offer revise 1 >/dev/null
}

# What a user sees of a database: records, history, documents, import batches.
views() {
	local db=$1
	for c in "contact show 1" "contact show 2" "contact list" "account show Acme" "user list" "ticket show 1" \
		"project show 1" "contract show 1" "activity list" "history contact 4" "import list" "import show 1" \
		"alert list" "notify list" "doc list" "user role list" "offer show 2" "offer line list"; do
		echo "== $c"
		crm --db "$db" $c 2>&1
	done
	crm --db "$db" doc get 2 | sha256sum
}

@test "db copy sqlite to sqlite: every table copied, counts and checksums printed, the records the same" {
	fill
	views "$CRM_DB" > "$T/before"
	sum=$(sha256sum "$CRM_DB")
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$T/copy.db"
	expect_status 0
	[ "${lines[0]}" = "$(printf 'table\trows\tsha256\tok')" ]
	# One line per table of the schema, each verified; the search index is not copied but made
	# again by the target from what it received (tests/search.bats).
	[ "$(echo "$output" | sed 1d | cut -f1 | sort | tr '\n' ' ')" = \
		"$(sqlite3 "$CRM_DB" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%' ORDER BY name" | tr '\n' ' ')" ]
	[ "$(echo "$output" | sed 1d | cut -f4 | sort -u)" = 1 ]
	[ "$(echo "$output" | awk -F'\t' '$1 == "contacts" { print $2 }')" = 3 ]
	[ "$(echo "$output" | awk -F'\t' '$1 == "documents" { print $2 }')" = 3 ]
	[ "$(echo "$output" | awk -F'\t' '$1 == "blobs" { print $2 }')" = 2 ]
	[ "$(echo "$output" | awk -F'\t' '$1 == "import_batches" { print $2 }')" = 1 ]
	[ "$(echo "$output" | sed 1d | cut -f3 | grep -cvE '^[0-9a-f]{64}$')" = 0 ]
	ntables=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%'")
	[[ "$stderr" == "copied "*" rows in $ntables tables from '$CRM_DB' to '$T/copy.db'; counts and checksums match" ]]
	# The source is untouched; the copy shows the same records, documents and history.
	[ "$(sha256sum "$CRM_DB")" = "$sum" ]
	views "$T/copy.db" > "$T/after"
	diff "$T/before" "$T/after"
	crm --db "$T/copy.db" doc get 2 | cmp - "$T/big.bin"
	# every column of every table arrives, whichever migration added it (the contents get new
	# internal numbers; the search index is made again)
	local t
	for t in $(sqlite3 "$CRM_DB" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%' AND name NOT IN ('blobs', 'documents')"); do
		diff <(sqlite3 "$CRM_DB" "SELECT * FROM \"$t\" ORDER BY 1, 2") <(sqlite3 "$T/copy.db" "SELECT * FROM \"$t\" ORDER BY 1, 2") ||
			{ echo "table $t differs" >&2; return 1; }
	done
	[ "$(sqlite3 "$T/copy.db" "SELECT do_not_mail FROM contacts WHERE email = 'dora@acme.example'")" = 1 ]
	[ "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM notifications WHERE activity_id IS NOT NULL")" = 1 ]
	# Copied again, the copy gives the same checksums.
	run --separate-stderr crm db copy --from "$T/copy.db" --to "$T/copy2.db"
	expect_status 0
	[ "$(echo "$output" | cut -f3)" = "$(crm db copy --from "$CRM_DB" --to "$T/copy3.db" 2>/dev/null | cut -f3)" ]
}

@test "db copy: a thousand records, several to a statement, arrive whole and in order" {
	py -c "
print('first_name,last_name,email,notes')
for i in range(1000): print(f'F{i},L{i},u{i}@x.example,\"n {i}, with a comma\"')" > "$T/many.csv"
	crm contact import "$T/many.csv" >/dev/null
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$T/copy.db"
	expect_status 0
	[ "$(echo "$output" | awk -F'\t' '$1 == "contacts" { print $2, $4 }')" = "1001 1" ]
	[ "$(crm --db "$T/copy.db" contact export -F csv | sha256sum)" = "$(crm contact export -F csv | sha256sum)" ]
	if [ -n "${CRM_TEST_PG_URL:-}" ]; then
		pg=$(pg_database many)
		run crm db copy --from "$CRM_DB" --to "$pg"
		expect_status 0
		[ "$(crm --db "$pg" contact export -F csv | sha256sum)" = "$(crm contact export -F csv | sha256sum)" ]
	fi
}

@test "db copy -q: nothing on stdout nor stderr, the copy made" {
	fill
	run --separate-stderr crm db copy -q --from "$CRM_DB" --to "$T/quiet.db"
	expect_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(crm --db "$T/quiet.db" contact export -F csv | sha256sum)" = "$(crm contact export -F csv | sha256sum)" ]
}

@test "db copy: a record added after the copy gets the next number, a removed one's never again" {
	fill
	crm db copy --from "$CRM_DB" --to "$T/copy.db" >/dev/null 2>&1
	# Contact 4 (Fay) was removed in the source: 5 is next on both.
	run crm --db "$T/copy.db" contact add New Person
	expect_status 0
	[ "$output" = 5 ]
	run crm contact add New Person
	[ "$output" = 5 ]
	run crm --db "$T/copy.db" ticket open "Another" --account Acme --priority low
	[ "$output" = 2 ]
	run crm --db "$T/copy.db" doc attach contact 5 "$T/note.txt"
	[ "$output" = 4 ]
}

@test "db copy refuses a target that holds records (exit 4) and changes nothing; --force empties it first" {
	fill
	crm --db "$T/other.db" account add Initech >/dev/null
	crm --db "$T/other.db" contact add Peter Gibbons --account Initech >/dev/null
	before=$(sqlite3 "$T/other.db" .dump)
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$T/other.db"
	expect_status 4
	[ "$output" = "" ]
	[ "$stderr" = "crm: database '$T/other.db' already holds records; nothing was copied (--force empties it first)" ]
	[ "$(sqlite3 "$T/other.db" .dump)" = "$before" ]
	# Emptying it takes the permission db.copy there (admins).
	crm --db "$T/other.db" user add bob --roles manager >/dev/null
	before=$(sqlite3 "$T/other.db" .dump)
	run --separate-stderr crm --as bob db copy --from "$CRM_DB" --to "$T/other.db" --force
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: manager) may not db.copy" ]
	[ "$(sqlite3 "$T/other.db" .dump)" = "$before" ]
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$T/other.db" --force
	expect_status 0
	[[ "$stderr" == *" (emptied first); counts and checksums match" ]]
	run crm --db "$T/other.db" account list --fields name
	[ "$output" = "$(printf 'name\nAcme\nGlobex')" ]
	views "$CRM_DB" > "$T/before"
	views "$T/other.db" > "$T/after"
	diff "$T/before" "$T/after"
}

@test "db copy verifies before it commits: a target that changes what it is given is left as it was" {
	fill
	crm --db "$T/odd.db" -q init
	# A trigger of the target's own alters each contact as it arrives.
	sqlite3 "$T/odd.db" "CREATE TRIGGER odd AFTER INSERT ON contacts BEGIN
		UPDATE contacts SET notes = 'altered' WHERE id = new.id; END"
	before=$(sqlite3 "$T/odd.db" .dump)
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$T/odd.db"
	expect_status 1
	[ "$(echo "$output" | awk -F'\t' '$4 == 0 { print $1 }')" = contacts ]
	[ "$(echo "$output" | awk -F'\t' '$1 == "contacts" { print $2 }')" = 3 ]
	[[ "$stderr" == "crm: contacts: 3 rows read, 3 written; sha256 "*$'\n'"crm: the copy of table 'contacts' does not match its source (3 rows read, 3 written); nothing was written to '$T/odd.db'" ]]
	[ "$(sqlite3 "$T/odd.db" .dump)" = "$before" ]
}

@test "db copy: a failure half-way writes nothing and prints no report" {
	fill
	crm --db "$T/odd.db" -q init
	sqlite3 "$T/odd.db" "CREATE TRIGGER odd BEFORE INSERT ON tickets BEGIN SELECT RAISE(ABORT, 'no tickets here'); END"
	before=$(sqlite3 "$T/odd.db" .dump)
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$T/odd.db"
	expect_status 4
	[ "$output" = "" ]
	[ "$stderr" = "crm: copying tickets: no tickets here" ]
	[ "$(sqlite3 "$T/odd.db" .dump)" = "$before" ]
}

@test "db copy into a database that holds only its first admin, as crm init leaves it" {
	fill
	crm --db "$T/new.db" -q init
	run crm db copy --from "$CRM_DB" --to "$T/new.db"
	expect_status 0
	run crm --db "$T/new.db" user list --fields login
	[ "$output" = "$(crm user list --fields login)" ]
}

@test "db copy refuses a source at another schema version, creating nothing" {
	fill
	v=$(crm --version | sed 's/.*(schema \([0-9]*\),.*/\1/')
	cp "$CRM_DB" "$T/old.db"
	sqlite3 "$T/old.db" "PRAGMA user_version = $((v - 1))"
	run --separate-stderr crm db copy --from "$T/old.db" --to "$T/copy.db"
	expect_status 1
	[ "$stderr" = "crm: database '$T/old.db' has schema $((v - 1)) and this crm needs $v; a command that writes, or 'crm init', upgrades it" ]
	[ ! -e "$T/copy.db" ]
	sqlite3 "$T/old.db" "PRAGMA user_version = 99"
	run --separate-stderr crm db copy --from "$T/old.db" --to "$T/copy.db"
	expect_status 1
	[ "$stderr" = "crm: database '$T/old.db' was written by a newer crm (schema 99; this crm knows $v); upgrade crm to use it" ]
	[ ! -e "$T/copy.db" ]
}

@test "db copy: usage errors exit 2; a missing source is an error and creates nothing" {
	run --separate-stderr crm db copy --from "$CRM_DB"
	expect_status 2
	[ "$stderr" = "crm: db copy needs --from <database> and --to <database>" ]
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$CRM_DB"
	expect_status 2
	[ "$stderr" = "crm: --from and --to name the same database '$CRM_DB'" ]
	ln -s "$CRM_DB" "$T/link.db"
	run crm db copy --from "$T/link.db" --to "$CRM_DB"
	expect_status 2
	run crm db copy --from "$CRM_DB" --to "$T/x.db" extra
	expect_status 2
	run --separate-stderr crm db copy --from "$T/missing.db" --to "$T/x.db"
	expect_status 1
	[ "$stderr" = "crm: no database at '$T/missing.db'; a command that writes, or 'crm init', creates it" ]
	[ ! -e "$T/x.db" ]
	[ ! -e "$T/missing.db" ]
}

@test "db copy --help and the db noun's help" {
	run crm db copy --help
	expect_status 0
	[[ "$output" == *"--from <DB>"* && "$output" == *"--to <DB>"* && "$output" == *"--force"* ]]
	run crm help db
	expect_status 0
	[[ "$output" == *"copy "* ]]
}

# A new, empty database on the test server: its URL. teardown drops it.
pg_database() {
	local name
	name="crm_copy_$(printf '%s' "$BATS_TEST_TMPDIR" | md5sum | cut -c1-12)_$1"
	psql -X -q "$CRM_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
	echo "$name" >> "$BATS_TEST_TMPDIR/pg_databases"
	pg_url "$name"
}

teardown() {
	crm_test_cleanup
	if [ -s "$BATS_TEST_TMPDIR/pg_databases" ]; then
		while read -r name; do
			psql -X -q -d "$CRM_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
		done < "$BATS_TEST_TMPDIR/pg_databases"
	fi
}

@test "db copy sqlite to PostgreSQL and back: the same records, numbers continuing" {
	[ -n "${CRM_TEST_PG_URL:-}" ] || skip "no PostgreSQL server for the tests (CRM_TEST_PG_URL unset; make test-pg sets it)"
	fill
	views "$CRM_DB" > "$T/before"
	pg=$(pg_database a)
	pg2=$(pg_database b)
	run --separate-stderr crm db copy --from "$CRM_DB" --to "$pg"
	expect_status 0
	first=$(echo "$output" | cut -f1-4)
	[ "$(echo "$output" | sed 1d | cut -f4 | sort -u)" = 1 ]
	# The same records on the server.
	views "$pg" > "$T/pg"
	diff "$T/before" "$T/pg"
	# Into a server database with records: refused, unless --force.
	run crm db copy --from "$CRM_DB" --to "$pg"
	expect_status 4
	# Server to server, and back to a file: every checksum as the first time.
	run --separate-stderr crm db copy --from "$pg" --to "$pg2"
	expect_status 0
	[ "$(echo "$output" | cut -f1-4)" = "$first" ]
	run --separate-stderr crm db copy --from "$pg2" --to "$T/back.db"
	expect_status 0
	[ "$(echo "$output" | cut -f1-4)" = "$first" ]
	views "$T/back.db" > "$T/after"
	diff "$T/before" "$T/after"
	crm --db "$T/back.db" doc get 2 | cmp - "$T/big.bin"
	# Numbers continue past the largest ever given (contact 4 was removed) on the server too.
	run crm --db "$pg" contact add New Person
	expect_status 0
	[ "$output" = 5 ]
	run crm --db "$T/back.db" contact add New Person
	[ "$output" = 5 ]
	run crm --db "$pg" ticket open "Another" --account Acme --priority low
	[ "$output" = 2 ]
	run crm db copy --from "$CRM_DB" --to "$pg" --force
	expect_status 0
	run crm --db "$pg" contact add New Person
	[ "$output" = 5 ]
}

@test "db copy to PostgreSQL: keys that differ only in a non-ASCII letter's case are named, nothing written" {
	if [ -z "${CRM_TEST_PG_URL:-}" ]; then
		skip "needs a PostgreSQL server (make test-pg)"
	fi
	src="$T/accents.db"
	crm --db "$src" init -q
	crm --db "$src" account add ábaco > /dev/null
	crm --db "$src" account add Other > /dev/null
	crm --db "$src" account add Zeta > /dev/null
	# as a database made before crm refused it (SQLite's NOCASE folds ASCII only)
	sqlite3 "$src" "UPDATE accounts SET name = 'ÁBACO', name_fold = 'abaco' WHERE id = 2"
	pg=$(pg_database accents)
	run --separate-stderr crm db copy --from "$src" --to "$pg"
	expect_status 4
	[ -z "$output" ]
	[[ "$stderr" == *"which '"*"' takes as the same: accounts 1 'ábaco' and 2 'ÁBACO'; nothing was copied (rename one of each)" ]]
	[ -z "$(psql -X -q -A -t -d "$pg" -c "SELECT name FROM accounts" 2>/dev/null)" ]
	# renamed, it copies
	crm --db "$src" account edit 2 --name "ÁBACO 2" > /dev/null
	run --separate-stderr crm db copy -q --from "$src" --to "$pg"
	expect_status 0
	[ "$(psql -X -q -A -t -d "$pg" -c "SELECT count(*) FROM accounts")" = 3 ]
}
