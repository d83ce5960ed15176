#!/usr/bin/env bats
# Issue 17.4: a full disk. Each test mounts a small tmpfs in a user and mount namespace of its
# own (unshare -rm: no root needed, nothing left mounted), puts the database, TMPDIR or an -o
# file there, and checks: exit 1 with the reason, no partial batch, no half document, no partial
# file, an intact database, and that the same work fits once there is room. SQLite only: a
# PostgreSQL database's disk is the server's.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	skip_unless_sqlite "the database is a local file"
	T=$BATS_TEST_TMPDIR
	SMALL=$T/small
	mkdir -p "$SMALL" "$T/copy"
	export T SMALL CRM_BIN
	unshare -rm sh -c 'mount -t tmpfs -o size=64k tmpfs "$0"' "$SMALL" 2>/dev/null ||
		skip "cannot mount a tmpfs in a user namespace here (unshare -rm)"
}

# Run bash code in a new user and mount namespace, with a tmpfs of $1 mounted on $SMALL (gone
# with the namespace); crm is the binary under test. What is to be checked afterwards the code
# copies out of $SMALL.
on_small_disk() {
	local size=$1 code=$2
	unshare -rm bash -c 'mount -t tmpfs -o size="$1" tmpfs "$SMALL" || exit 99
		crm() { ${CRM_WRAP:-} "$CRM_BIN" "$@"; }
		eval "$2"' _ "$size" "$code"
}

# The disks of the first two tests hold a new database (its schema written twice: the file and
# the WAL, about 1.6 MB at migration 034) with room for a small import, not for a big one.
# n contacts, each row about 150 bytes
contacts_csv() {
	awk -v n="$1" 'BEGIN { print "first_name,last_name,email,notes"
		for (i = 1; i <= n; i++) printf "F%d,L%d,p%d@big.test,%0100d\n", i, i, i, 0 }' >"$2"
}

db_check() {
	[ "$(sqlite3 "$1" 'PRAGMA integrity_check')" = ok ]
	[ -z "$(sqlite3 "$1" 'PRAGMA foreign_key_check')" ]
}

@test "disk full: an import fails with the reason, writes nothing, leaves the database intact; a smaller one then fits" {
	contacts_csv 20000 "$T/big.csv"
	contacts_csv 3 "$T/few.csv"
	run -0 on_small_disk 1800k '
		export CRM_DB=$SMALL/crm.db
		crm account add Acme >/dev/null || exit 98
		crm contact import "$T/big.csv" >"$T/out" 2>"$T/err"; echo "big $?"
		crm contact import "$T/few.csv" >>"$T/out" 2>>"$T/err"; echo "few $?"
		cp "$SMALL"/crm.db* "$T/copy/"'
	[ "${lines[0]}" = "big 1" ]
	[ "${lines[1]}" = "few 0" ]
	[ "$(cat "$T/err")" = "crm: committing: the disk holding database '$SMALL/crm.db' is full; nothing was written
3 created, 0 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	[ -z "$(cat "$T/out")" ]
	db_check "$T/copy/crm.db"
	# nothing of the big file, the account kept, the small import is batch 1 with its 3 rows
	[ "$(sqlite3 "$T/copy/crm.db" "SELECT count(*) FROM contacts")" = 3 ]
	[ "$(sqlite3 "$T/copy/crm.db" "SELECT group_concat(id || ':' || rows) FROM import_batches")" = "1:3" ]
	[ "$(sqlite3 "$T/copy/crm.db" "SELECT name FROM accounts")" = Acme ]
	[ "$(sqlite3 "$T/copy/crm.db" "SELECT batch_id || ':' || first_id || '-' || last_id FROM import_created")" = "1:1-3" ]
}

@test "disk full: doc attach of a large file fails with the reason, no half document; a small one then fits" {
	head -c 3000000 /dev/urandom >"$T/big.bin"
	echo hello >"$T/small.txt"
	run -0 on_small_disk 1800k '
		export CRM_DB=$SMALL/crm.db
		crm account add Acme >/dev/null || exit 98
		crm doc attach account Acme "$T/big.bin" >"$T/out" 2>"$T/err"; echo "big $?"
		crm doc attach account Acme "$T/small.txt" >>"$T/out" 2>>"$T/err"; echo "small $?"
		crm doc verify >>"$T/out" 2>>"$T/err"; echo "verify $?"
		cp "$SMALL"/crm.db* "$T/copy/"'
	[ "${lines[0]}" = "big 1" ]
	[ "${lines[1]}" = "small 0" ]
	[ "${lines[2]}" = "verify 0" ]
	[ "$(cat "$T/err")" = "crm: storing a document: the disk holding database '$SMALL/crm.db' is full; nothing was written
1 document checked, all intact" ]
	[ "$(cat "$T/out")" = 1 ]
	db_check "$T/copy/crm.db"
	[ "$(sqlite3 "$T/copy/crm.db" "SELECT group_concat(id || ':' || name || ':' || size) FROM documents")" = "1:small.txt:6" ]
	[ "$(sqlite3 "$T/copy/crm.db" "SELECT count(*) FROM history WHERE kind = 'document'")" = 1 ]
}

@test "disk full: standard input spooled to a full TMPDIR is refused with the reason, nothing attached" {
	crm account add Acme >/dev/null
	run -0 on_small_disk 256k '
		head -c 1000000 /dev/zero | TMPDIR=$SMALL crm doc attach account Acme - --name zeros.bin 2>"$T/err"
		echo "attach $?"
		ls -A "$SMALL"'
	[ "$output" = "attach 1" ]
	[[ "$(cat "$T/err")" == "crm: "*"No space left on device"* ]]
	db_check "$CRM_DB"
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM documents")" = 0 ]
}

@test "disk full: doc get -o and export -o leave no partial file and keep the file they would replace" {
	crm account add Acme >/dev/null
	head -c 600000 /dev/urandom >"$T/big.bin"
	crm doc attach account Acme "$T/big.bin" >/dev/null
	contacts_csv 5000 "$T/many.csv"
	crm contact import "$T/many.csv" >/dev/null
	run -0 on_small_disk 256k '
		echo old >"$SMALL/doc.bin"
		echo old >"$SMALL/contacts.csv"
		crm doc get 1 -o "$SMALL/new.bin" 2>"$T/err1"; echo "get $?"
		crm doc get 1 -o "$SMALL/doc.bin" --force 2>>"$T/err1"; echo "get-force $?"
		crm contact export -o "$SMALL/contacts.csv" 2>"$T/err2"; echo "export $?"
		ls -A "$SMALL" | tr "\n" " "; echo
		cat "$SMALL/doc.bin" "$SMALL/contacts.csv"'
	[ "${lines[0]}" = "get 1" ]
	[ "${lines[1]}" = "get-force 1" ]
	[ "${lines[2]}" = "export 1" ]
	[ "${lines[3]}" = "contacts.csv doc.bin " ]
	[ "${lines[4]}" = old ]
	[ "${lines[5]}" = old ]
	[[ "$(head -1 "$T/err1")" == "crm: "*"No space left on device"* ]]
	[[ "$(cat "$T/err2")" == "crm: "*"No space left on device"* ]]
}

@test "the database's WAL and SHM files are made 0600 whatever the umask, as the database" {
	umask 000
	crm account add Acme >/dev/null
	mkfifo "$T/pipe"
	# an export waiting for its FIFO's reader holds the database open
	crm account export -o "$T/pipe" &
	for _ in $(seq 50); do [ -e "$CRM_DB-shm" ] && break; sleep 0.1; done
	run stat -c '%a %n' "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"
	cat "$T/pipe" >/dev/null
	wait
	[ "$output" = "600 $CRM_DB
600 $CRM_DB-wal
600 $CRM_DB-shm" ]
}

@test "temporary files go to TMPDIR, 0600, and are gone once crm exits" {
	umask 000
	mkdir "$T/tmp"
	crm account add Acme >/dev/null
	# standard input is kept in an unlinked temporary file while the import runs (for a retry):
	# look at it while crm still reads the pipe
	mkfifo "$T/in"
	TMPDIR=$T/tmp ${CRM_WRAP:-} "$CRM_BIN" contact import - <"$T/in" >/dev/null 2>&1 &
	pid=$!
	exec 5>"$T/in"
	printf 'first_name,last_name,email\nA,B,a@b.test\n' >&5
	spool=
	for _ in $(seq 50); do
		spool=$(find /proc/$pid/fd -lname "$T/tmp/crm-stdin.*" 2>/dev/null | head -1)
		[ -n "$spool" ] && break
		sleep 0.1
	done
	mode=$(stat -L -c %a "$spool")
	exec 5>&-
	wait $pid
	[ -n "$spool" ]
	[ "$mode" = 600 ]
	[ -z "$(ls -A "$T/tmp")" ]
	[ "$(crm contact list --fields email --no-headers)" = a@b.test ]
}
