#!/usr/bin/env bats
# Commands that only read open the database read-only: they never create one (nor its
# directory), never change it, and work on a file the user may only read.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	# Tests run as root, whom file modes do not stop: the reader is then nobody, in a
	# directory nobody can reach (bats's own are private).
	RO=$(mktemp -d /tmp/crm-readonly.XXXXXX)
	chmod 755 "$RO"
}

teardown() {
	rm -rf "$RO"
	crm_test_cleanup
}

# Run crm as someone whom the file modes bind.
reader() {
	if [ "$(id -u)" = 0 ]; then
		# as nobody itself: acting as tester would take an admin (tests/auth.bats)
		setpriv --reuid=nobody --regid=nogroup --clear-groups env -u CRM_USER "$CRM_BIN" "$@"
	else
		CRM_USER= crm "$@"
	fi
}

# The database files left in a directory, one a line.
files() {
	ls -A "$1"
}

@test "a read of a database under a missing directory is an error that leaves nothing behind" {
	run --separate-stderr crm --db "$RO/no/such/dir/x.db" account list
	expect_status 1
	[ "$stderr" = "crm: no database at '$RO/no/such/dir/x.db'; a command that writes, or 'crm init', creates it" ]
	[ -z "$output" ]
	[ ! -e "$RO/no" ]
}

@test "a read of a missing database file creates nothing; a write creates it" {
	cd "$RO"
	for cmd in "account list" "contact show 1" "account history 1" "ticket list" "account export"; do
		# shellcheck disable=SC2086
		run --separate-stderr crm --db new.db $cmd
		expect_status 1
		[[ "$stderr" == "crm: no database at 'new.db'"* ]]
		[ -z "$(files "$RO")" ]
	done
	run crm --db new.db account add Acme
	expect_status 0
	[ "$output" = 1 ]
	[ -f new.db ]
}

@test "a read changes nothing and leaves no -wal or -shm file behind" {
	export CRM_DB="$RO/crm.db"
	crm account add Acme >/dev/null
	[ "$(files "$RO")" = crm.db ]
	before=$(sha256sum "$CRM_DB")
	run crm account list --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
	run crm account show Acme
	expect_status 0
	[ "$(sha256sum "$CRM_DB")" = "$before" ]
	[ "$(files "$RO")" = crm.db ]
}

@test "a database file the user may only read can be listed and shown, not written" {
	export CRM_DB="$RO/crm.db"
	crm account add Acme >/dev/null
	crm contact add Ann Smith --account Acme --email ann@example.com >/dev/null
	[ "$(id -u)" != 0 ] || crm user add nobody --roles agent >/dev/null
	[ "$(id -u)" != 0 ] || chown -R nobody "$RO"
	chmod 0400 "$CRM_DB"
	run --separate-stderr reader account list --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
	run --separate-stderr reader contact show ann@example.com
	expect_status 0
	[[ "$output" == *"Ann"* ]]
	run --separate-stderr reader account history Acme
	expect_status 0
	# nothing made beside it: a -shm with the file's mode would stop its owner writing later
	[ "$(files "$RO")" = crm.db ]
	run --separate-stderr reader account add Globex
	expect_status 1
	[ "$stderr" = "crm: cannot write database '$CRM_DB': permission denied (commands that only read can use it)" ]
	[ "$(files "$RO")" = crm.db ]
	# given back its write permission, the owner writes as before
	chmod 0600 "$CRM_DB"
	run --separate-stderr reader account add Globex
	expect_status 0
	[ "$output" = 2 ]
}

@test "a database in a directory the user may not write can be read" {
	[ "$(id -u)" = 0 ] || skip "needs root to make a file only another user owns"
	export CRM_DB="$RO/crm.db"
	crm account add Acme >/dev/null
	chmod 0644 "$CRM_DB"
	run --separate-stderr reader account list --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
	[ "$(files "$RO")" = crm.db ]
	run --separate-stderr reader account add Globex
	expect_status 1
}

@test "a read of a database another connection is writing sees its committed rows" {
	[ "$(id -u)" = 0 ] || skip "needs root to make a file only another user owns"
	export CRM_DB="$RO/crm.db"
	crm account add Acme >/dev/null
	chmod 0644 "$CRM_DB"
	# a writer holding the database open, with a committed row still in its -wal file
	coproc WRITER { py -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_autocheckpoint = 0")
db.execute("INSERT INTO accounts (name, created, updated) VALUES (?, ?, ?)", ("Globex", "x", "x"))
db.commit()
print("done", flush=True)
sys.stdin.readline()' "$CRM_DB"; }
	read -r line <&"${WRITER[0]}"
	[ "$line" = done ]
	[ -s "$CRM_DB-wal" ]
	chmod 0644 "$CRM_DB-wal" "$CRM_DB-shm"
	run --separate-stderr reader account list --no-headers --fields name --sort name
	expect_status 0
	[ "$output" = $'Acme\nGlobex' ]
	echo quit >&"${WRITER[1]}"
	wait "$WRITER_PID" || true
}
