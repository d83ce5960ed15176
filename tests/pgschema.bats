#!/usr/bin/env bats
# PostgreSQL's schema (core/sql/pg): it loads, in order, into an empty database, and the SQLite
# functions it defines for the core's SQL give SQLite's answers. Runs where a cluster is given
# (make test-pg sets CRM_TEST_PG_URL); skipped otherwise.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	[ -n "${CRM_TEST_PG_URL:-}" ] || skip "needs a PostgreSQL cluster (make test-pg)"
	crm_test_cleanup # the database the suite's backend gave this test: not used here
	SQL_DIR="$BATS_TEST_DIRNAME/../core/sql"
	# a database of its own, whatever the backend under test
	CRM_TEST_PG_NAME="crm_s_$(printf '%s' "$BATS_TEST_TMPDIR" | md5sum | cut -c1-20)"
	export CRM_TEST_PG_NAME
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$CRM_TEST_PG_URL" \
		-c "DROP DATABASE IF EXISTS \"$CRM_TEST_PG_NAME\"" -c "CREATE DATABASE \"$CRM_TEST_PG_NAME\"" >/dev/null
	PG=$(pg_url "$CRM_TEST_PG_NAME")
	export PGTZ=UTC
}

pg() {
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$PG" "$@"
}

load_schema() {
	local f
	for f in "$SQL_DIR"/pg/*.sql; do
		pg -f "$f" >/dev/null || return 1
	done
}

@test "pg schema: the same migration numbers as SQLite's, and every file loads in order" {
	[ "$(cd "$SQL_DIR" && ls ./*.sql | sed 's|^\./||; s|_.*||')" = "$(cd "$SQL_DIR/pg" && ls ./*.sql | sed 's|^\./||; s|_.*||')" ]
	load_schema
	# SQLite's tables, one for one (sqlite_sequence is SQLite's own, and FTS5 keeps the search
	# index in shadow tables search_index_*)
	local db="$BATS_TEST_TMPDIR/ref.db"
	CRM_DB="$db" crm init -q
	[ "$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index_%' ORDER BY 1")" = \
	  "$(pg -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\"")" ]
	# and their columns (import_created has rowid as a column here)
	for t in accounts contacts tickets history documents blobs; do
		[ "$(sqlite3 "$db" "SELECT name FROM pragma_table_info('$t') ORDER BY 1")" = \
		  "$(pg -c "SELECT column_name FROM information_schema.columns WHERE table_name = '$t' ORDER BY column_name COLLATE \"C\"")" ]
	done
}

# The query on SQLite (sqlite3) and on PostgreSQL (psql), the same answer.
same() {
	local want got
	want=$(TZ=UTC sqlite3 :memory: "$1") || return 1
	got=$(pg -c "$1") || return 1
	if [ "$want" != "$got" ]; then
		printf 'query: %s\nsqlite:     %s\npostgresql: %s\n' "$1" "$want" "$got" >&2
		return 1
	fi
}

@test "pg schema: SQLite's functions the core calls give SQLite's results" {
	load_schema
	same "SELECT instr('abc', 'c'), instr('abc', 'x'), coalesce(CAST(instr(NULL, 'a') AS TEXT), 'null')"
	same "SELECT ifnull(NULL, 'x'), min(3, 5), max(3, 5), coalesce(CAST(min(1, NULL) AS TEXT), 'null'), max('a', 'b')"
	same "SELECT group_concat(column1) FROM (VALUES (1), (NULL), (3)) AS v"
	same "SELECT group_concat(column1, '|') FROM (VALUES ('a'), ('b')) AS v"
	same "SELECT coalesce(group_concat(column1, ','), 'null') FROM (SELECT 1 AS column1 WHERE 1 = 0) AS v"
	same "SELECT CASE WHEN glob('ab*', 'abc') THEN 1 ELSE 0 END, CASE WHEN glob('A*', 'abc') THEN 1 ELSE 0 END,
		CASE WHEN glob('a?c', 'abc') THEN 1 ELSE 0 END, CASE WHEN glob('[a-c]x', 'bx') THEN 1 ELSE 0 END,
		CASE WHEN glob('[^a]x', 'ax') THEN 1 ELSE 0 END, CASE WHEN glob('a.c', 'abc') THEN 1 ELSE 0 END,
		CASE WHEN glob('* smith', 'ann smith') THEN 1 ELSE 0 END"
	same "SELECT date('2026-11-29T23:30:00Z', 'localtime'), datetime('2026-11-29T19:01:35Z', 'localtime'),
		datetime('2026-11-29T10:00:00+02:00', 'utc'), date('2026-01-15', '+3 days'), datetime('2026-01-01 10:00', 'start of day'),
		coalesce(date('not a date', 'localtime'), 'null')"
	same "SELECT json_object('name', 'Foo', 'n', NULL), json_array('a', NULL, 'b\"c'), json_array()"
	same "SELECT json_object('name', json_array(NULL, 'Foo'), 'x', json_array('1', '2'))"
	same "SELECT json_patch('{\"a\":1,\"b\":2}', json_object('b', NULL, 'c', 'x')), json_patch('{}', json_object('k', 'v'))"
	same "SELECT json_set(json_object('a', '1'), '\$.\"b\"', json_array('1', '2'), '\$.\"a\"', json_array(NULL, '3'))"
	same "SELECT '{\"a\":\"x\",\"n\":5,\"t\":true,\"o\":{\"k\":1}}' ->> '\$.a', '{\"n\":5}' ->> '\$.n', '{\"t\":true}' ->> '\$.t',
		'{\"o\":{\"k\":1}}' ->> '\$.o', '{\"o\":{\"k\":1}}' ->> '\$.o.k', '[1,[2,3]]' ->> '\$[1][0]', '[\"x\",\"y\"]' ->> 1,
		coalesce('{\"a\":\"x\"}' ->> '\$.missing', 'null')"
	same "SELECT j.key, j.value ->> 0, j.value ->> 1 FROM (SELECT '{\"name\":[null,\"Foo\"],\"x\":[\"a\",\"b\"]}' AS changes) AS h,
		json_each(h.changes) AS j ORDER BY j.id"
	[ "$(pg -c "SELECT json_valid('{\"a\":1}'), json_valid('{bad')")" = "t|f" ] # SQLite: 1|0
}

@test "pg schema: crm_fold folds as core/fold.c does for the keys people type" {
	load_schema
	[ "$(pg -c "SELECT crm_fold('  Straße   Ö  ')")" = "strasse o" ]
	[ "$(pg -c "SELECT crm_fold('ÉCOLE'), crm_fold('Жук'), crm_fold('Ș ş'), crm_fold('ΣΟΦΟΣ ς')")" = "ecole|жук|s s|σοφοσ σ" ]
	[ "$(pg -c "SELECT crm_fold(E'Ann\\u00a0\\u2003 Smith\\t')")" = "ann smith" ]
	[ "$(pg -c "SELECT coalesce(crm_fold(NULL), 'null')")" = null ]
}

@test "pg schema: NOCASE columns are citext, documents' large objects go with their last document" {
	load_schema
	pg -c "INSERT INTO accounts (name, created, updated) VALUES ('Acme GmbH', 'x', 'x')"
	[ "$(pg -c "SELECT id FROM accounts WHERE name = 'ACME gmbh'")" = 1 ]
	run ! pg -c "INSERT INTO accounts (name, created, updated) VALUES ('acme gmbh', 'x', 'x')"
	[[ "$output" == *"duplicate key"* ]]
	pg -c "INSERT INTO tickets (title, account_id, priority, status, created, updated) VALUES ('t', 1, 'High', 'Open', 'x', 'x')"
	[ "$(pg -c "SELECT id FROM tickets WHERE status IN ('open') AND priority = 'high'")" = 1 ]
	# the core reads import_created's rowid
	pg -c "INSERT INTO import_batches (at, \"user\", kind, file, mode) VALUES ('t', 'root', 'account', 'f', 'create')"
	pg -c "INSERT INTO import_created (batch_id, kind, first_id, last_id, after_history) VALUES (1, 'account', 1, 1, 0), (1, 'account', 5, 6, 0)"
	[ "$(pg -c "SELECT first_id, rowid FROM import_created ORDER BY rowid")" = $'1|1\n5|2' ]
	# a blob's large object is unlinked with the blobs row, which goes with its last document
	pg -c "INSERT INTO blobs (sha256, size, content) VALUES ('abc', 5, lo_from_bytea(0, 'hello'))"
	pg -c "INSERT INTO documents (name, noun, record_id, size, sha256, blob_id, created, updated)
		VALUES ('a', 'account', 1, 5, 'abc', 1, 'x', 'x'), ('b', 'account', 1, 5, 'abc', 1, 'x', 'x')"
	pg -c "DELETE FROM documents WHERE name = 'a'"
	[ "$(pg -c "SELECT (SELECT count(*) FROM blobs), (SELECT count(*) FROM pg_largeobject_metadata)")" = "1|1" ]
	pg -c "DELETE FROM documents WHERE name = 'b'"
	[ "$(pg -c "SELECT (SELECT count(*) FROM blobs), (SELECT count(*) FROM pg_largeobject_metadata)")" = "0|0" ]
}

@test "pg schema: a ticket's responsible users and their managers, as core/ticket.c computes them" {
	load_schema
	pg -c "INSERT INTO users (login, groups, created, updated) VALUES ('root', 'Support, Ops', 'x', 'x'),
		('Bob', 'support', 'x', 'x'), ('al', NULL, 'x', 'x'), ('zed', 'ops', 'x', 'x')"
	pg -c "UPDATE users SET manager_id = 3 WHERE login IN ('bob', 'zed')"
	pg -c "UPDATE users SET manager_id = 1 WHERE login = 'al'"
	[ "$(pg -c "SELECT crm_ticket_responsible(NULL, 'SUPPORT'), crm_ticket_responsible(2, NULL),
		coalesce(crm_ticket_responsible(NULL, NULL), 'null')")" = "Bob,root|Bob|null" ]
	[ "$(pg -c "SELECT crm_ticket_managers(NULL, 'support'), crm_ticket_managers(4, 'x')")" = "al,root|al,root" ]
}

teardown() {
	if [ -n "${CRM_TEST_PG_NAME:-}" ]; then
		psql -X -q -d "$CRM_TEST_PG_URL" -c "DROP DATABASE IF EXISTS \"$CRM_TEST_PG_NAME\" WITH (FORCE)" >/dev/null 2>&1 || true
	fi
}
