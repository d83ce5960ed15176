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

@test "cmd/ includes only include/crm/ headers and its own cmd.h" {
	run sh -c "grep -n '#include \"' '$SRC'/cmd/*.c '$SRC'/cmd/*.h | grep -v '#include \"crm/' | grep -v '#include \"cmd.h\"'"
	[ -z "$output" ]
}

@test "cmd/ never reaches into struct crm nor runs transactions itself" {
	run grep -nE 'crm->[a-z_]+|crm_tx_|crm_prepare|crm_stmt' "$SRC"/cmd/*.c "$SRC"/cmd/*.h
	[ -z "$output" ]
}

@test "the environment is read in one place, core/env.c" {
	run grep -n 'getenv' "$SRC"/cmd/*.c "$SRC"/core/*.c
	[ "$output" = "$SRC/core/env.c:8:	const char *v = getenv(name);" ]
}
