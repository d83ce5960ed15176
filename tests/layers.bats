#!/usr/bin/env bats
# The layers hold: cmd/ sees the core only through include/crm/ (no SQLite, no struct crm
# fields, no private core header).
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	SRC="$BATS_TEST_DIRNAME/.."
}

@test "SQLite is private to core/: cmd/ and include/crm/ never name it" {
	run grep -n sqlite3 "$SRC"/cmd/*.c "$SRC"/cmd/*.h "$SRC"/include/crm/*.h
	expect_status 1
	[ -z "$output" ]
}

@test "core/ writes its SQL through the storage interface: only the SQLite backend names sqlite3_*" {
	# No exception: a module calling SQLite directly would not run on PostgreSQL.
	run sh -c "grep -l 'sqlite3_\|sqlite3\.h\|crm_store_sqlite_handle' '$SRC'/core/*.c '$SRC'/core/*.h | sed 's,.*/,,' | sort | tr '\n' ' '"
	[ "$output" = "store_sqlite.c " ]
}

@test "cmd/ includes only include/crm/ headers and its own cmd.h" {
	run sh -c "grep -n '#include \"' '$SRC'/cmd/*.c '$SRC'/cmd/*.h | grep -v '#include \"crm/' | grep -v '#include \"cmd.h\"'"
	[ -z "$output" ]
}

@test "cmd/ never reaches into struct crm nor runs transactions itself" {
	run grep -nE 'crm->[a-z_]+|crm_tx_|crm_prepare|crm_stmt' "$SRC"/cmd/*.c "$SRC"/cmd/*.h
	[ -z "$output" ]
}

@test "the environment is read in one place, core/env.c" {
	run grep 'getenv' "$SRC"/cmd/*.c "$SRC"/core/*.c
	[ "$output" = "$SRC/core/env.c:	const char *v = getenv(name);" ]
}

@test "tests/run refuses a '! cmd' line, which cannot fail under bats, naming file and line" {
	mkdir "$BATS_TEST_TMPDIR/t"
	cp "$SRC/tests/run" "$BATS_TEST_TMPDIR/t/run"
	printf '@test "x" {\n\t! false\n\ttrue\n}\n' > "$BATS_TEST_TMPDIR/t/x.bats"
	printf '@test "y" {\n\trun ! false\n\trefute false\n}\n' > "$BATS_TEST_TMPDIR/t/y.bats"
	# the SQLite tally line, whichever backend this suite runs on
	run --separate-stderr env -u CRM_TEST_BACKEND sh "$BATS_TEST_TMPDIR/t/run"
	expect_status 1
	[ "$stderr" = "tests/x.bats:2: a '! cmd' line never fails under bats; use 'run ! cmd' or 'refute cmd'" ]
	[ "$output" = "tests: 0 passed, 1 failed" ]
}

@test "refute fails when the command succeeds, and passes when it fails" {
	run refute true
	expect_status 1
	[ "$output" = "expected to fail: true" ]
	run refute false
	expect_status 0
}

@test "refute fails when the command errs: grep on a missing file is no pass" {
	run refute grep -q x "$BATS_TEST_TMPDIR/missing.txt"
	expect_status 1
	[[ "$output" == *"error (exit 2), not a failure: grep -q x"* ]]
	run refute grep -q x /dev/null
	expect_status 0
}

@test "libpq is loaded only for a postgresql:// database, never linked into every command" {
	run sh -c "ldd '$CRM_BIN' | grep -c libpq"
	[ "$output" = "0" ]
	grep -q 'libpq.so.5' "$CRM_BIN"
}
