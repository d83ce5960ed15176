#!/usr/bin/env bats
# One test (at least) per exit code of CONVENTIONS.md: 0 1 2 3 4 5 6 75 78. Each checks the
# message on stderr and that a failure changed nothing.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
}

teardown() {
	if [ -n "${LOCK_PID:-}" ]; then
		kill "$LOCK_PID" 2>/dev/null || true
		wait "$LOCK_PID" 2>/dev/null || true
	fi
	crm_test_cleanup
}

# The accounts as "id name" lines, to compare before and after a failure.
accounts() {
	crm account list --no-headers --fields id,name
}

@test "0: success, and an empty list is success" {
	crm init -q # reads need a database: they never create one
	run --separate-stderr crm account list
	expect_status 0
	[ "$output" = $'id\tname\tparent\tindustry\tcountry\tlifecycle_stage' ]
	[ -z "$stderr" ]
	run --separate-stderr crm account list nomatch
	expect_status 0
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr crm account list -F json
	expect_status 0
	[ "$output" = "[]" ]
	run --separate-stderr crm account add Acme
	expect_status 0
	[ "$output" = 1 ]
}

@test "1: -o into a directory that does not exist" {
	crm account add Acme >/dev/null
	run --separate-stderr crm account list -o "$BATS_TEST_TMPDIR/no/such/dir/out.csv"
	expect_status 1
	[ -z "$output" ]
	[[ "$stderr" == "crm: cannot write '$BATS_TEST_TMPDIR/no/such/dir/out.csv': No such file or directory" ]]
	[ ! -e "$BATS_TEST_TMPDIR/no" ]
}

@test "1: -o onto a directory" {
	crm account add Acme >/dev/null
	mkdir "$BATS_TEST_TMPDIR/adir"
	run --separate-stderr crm account list -o "$BATS_TEST_TMPDIR/adir"
	expect_status 1
	[[ "$stderr" == "crm: cannot write '$BATS_TEST_TMPDIR/adir': "* ]]
}

@test "1: a database path under a regular file" {
	echo "just a file" > "$BATS_TEST_TMPDIR/afile"
	run --separate-stderr crm --db "$BATS_TEST_TMPDIR/afile/crm.db" account list
	expect_status 1
	[[ "$stderr" == "crm: cannot open database '$BATS_TEST_TMPDIR/afile/crm.db'"* ]]
	# one line, lowercase after "crm: "
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR/afile")" = "just a file" ]
	# a directory for the database cannot be made under a file either
	run --separate-stderr crm --db "$BATS_TEST_TMPDIR/afile/sub/crm.db" account add Acme
	expect_status 1
	[[ "$stderr" == "crm: cannot create directory '$BATS_TEST_TMPDIR/afile/sub'"* ]]
}

@test "2: usage error" {
	crm init -q # reads need a database: they never create one
	run --separate-stderr crm account frobnicate
	expect_status 2
	[[ "$stderr" == "crm: unknown account verb 'frobnicate'"* ]]
	run --separate-stderr crm account show
	expect_status 2
	run --separate-stderr crm account list bogusfield:x
	expect_status 2
	[[ "$stderr" == "crm: unknown field 'bogusfield' for account"* ]]
}

@test "3: not found" {
	crm account add Acme >/dev/null
	run --separate-stderr crm account show 999
	expect_status 3
	[ "$stderr" = "crm: account '999' not found" ]
	[ -z "$output" ]
	run --separate-stderr crm account show Globex
	expect_status 3
	[ "$stderr" = "crm: account 'Globex' not found" ]
	run --separate-stderr crm account edit Globex --country DE
	expect_status 3
	run --separate-stderr crm contact add Ann Smith --account Globex
	expect_status 3
	[[ "$stderr" == *"'Globex' not found"* ]]
	[ "$(crm contact list --no-headers)" = "" ]
}

@test "4: conflict: a duplicate key, a record others refer to" {
	crm account add Acme >/dev/null
	crm account add Sub --parent Acme >/dev/null
	before=$(accounts)
	run --separate-stderr crm account add acme
	expect_status 4
	[ "$stderr" = "crm: account with name 'acme' already exists" ]
	run --separate-stderr crm account edit Sub --name ACME
	expect_status 4
	run --separate-stderr crm account rm Acme
	expect_status 4
	[[ "$stderr" == *"'Acme'"* ]]
	[ "$(accounts)" = "$before" ]
}

@test "5: permission denied" {
	crm account add Acme >/dev/null
	before=$(accounts)
	run --separate-stderr crm --as mallory account add Evil
	expect_status 5
	[[ "$stderr" == "crm: permission denied: 'mallory' is not a crm user"* ]]
	run --separate-stderr crm --as mallory account rm Acme
	expect_status 5
	[ "$(accounts)" = "$before" ]
}

@test "6: invalid data" {
	crm init -q # reads need a database: they never create one
	before=$(accounts)
	run --separate-stderr crm account add Acme --industry rocketry
	expect_status 6
	[[ "$stderr" == "crm: invalid industry 'rocketry' for account (one of: agriculture, "* ]]
	run --separate-stderr crm account add Acme --credit-limit lots
	expect_status 6
	[ "$stderr" = "crm: credit_limit 'lots' is not a number" ]
	run --separate-stderr crm contact add Ann Smith --email not-an-address
	expect_status 6
	run --separate-stderr crm account list credit_limit.over:lots
	expect_status 6
	[ "$(accounts)" = "$before" ]
	[ -z "$(crm contact list --no-headers)" ]
}

# Hold the write lock of $CRM_DB from another process until teardown.
hold_lock() {
	local flag="$BATS_TEST_TMPDIR/locked"
	rm -f "$flag"
	# python3 itself, not the py function, so that $! is the process holding the lock
	/usr/bin/python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(60)
' "$CRM_DB" "$flag" >/dev/null 2>&1 3>&- &
	LOCK_PID=$!
	for _ in $(seq 200); do
		[ -e "$flag" ] && return 0
		sleep 0.05
	done
	echo "the lock was not taken" >&2
	return 1
}

@test "75: the database stays busy past busy_timeout; nothing is written" {
	skip_unless_sqlite "another process holds SQLite's write lock on the file"
	printf 'busy_timeout: 200\n' > "$BATS_TEST_TMPDIR/busy.yaml"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/busy.yaml"
	crm account add Acme >/dev/null
	before=$(accounts)
	nhist=$(sqlite3 "$CRM_DB" 'SELECT count(*) FROM history')
	hold_lock
	start=$(date +%s%N)
	run --separate-stderr crm account add Busy
	end=$(date +%s%N)
	expect_status 75
	[ -z "$output" ]
	[ "$stderr" = "crm: database '$CRM_DB' is busy (starting a transaction); try again" ]
	# it waited about busy_timeout, not the default 5 s
	[ $(( (end - start) / 1000000 )) -ge 150 ]
	[ $(( (end - start) / 1000000 )) -lt 4000 ]
	run --separate-stderr crm account edit Acme --country DE
	expect_status 75
	[[ "$stderr" == *"is busy"* ]]
	# reading still works while another process writes (WAL)
	run crm account list --no-headers --fields id,name
	expect_status 0
	[ "$output" = "$before" ]
	kill "$LOCK_PID"
	wait "$LOCK_PID" 2>/dev/null || true
	LOCK_PID=
	[ "$(accounts)" = "$before" ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT count(*) FROM history')" = "$nhist" ]
	[ -z "$(crm account show Acme | grep country)" ]
	# and once the lock is gone the same command succeeds
	run crm account add Busy
	expect_status 0
}

@test "78: invalid YAML names the file, line and column" {
	printf 'busy_timeout: 5000\nroles:\n  admin: ["*"\n' > "$BATS_TEST_TMPDIR/bad.yaml"
	run --separate-stderr crm --config "$BATS_TEST_TMPDIR/bad.yaml" account list
	expect_status 78
	[ -z "$output" ]
	[[ "$stderr" =~ ^crm:\ $BATS_TEST_TMPDIR/bad\.yaml:[0-9]+:[0-9]+:\ .+ ]]
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	printf 'a: 1\n  b: 2\n' > "$BATS_TEST_TMPDIR/bad.yaml"
	run --separate-stderr crm --config "$BATS_TEST_TMPDIR/bad.yaml" account list
	expect_status 78
	[ "$stderr" = "crm: $BATS_TEST_TMPDIR/bad.yaml:2:4: mapping values are not allowed in this context" ]
	# nothing was created: the configuration is read before the database is opened
	db_absent
}

@test "78: a user's role the configuration does not define" {
	crm account add Acme >/dev/null
	db_sql "UPDATE users SET roles = 'wizard' WHERE login = 'tester'" >/dev/null
	run --separate-stderr crm account add Globex
	expect_status 78
	[ "$stderr" = "crm: role 'wizard' of user 'tester' is not defined in the configuration (roles:)" ]
	[ "$(accounts)" = $'1\tAcme' ]
}
