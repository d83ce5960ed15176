#!/usr/bin/env bats
# The pager (issue 16): on a terminal, what a reading command prints goes through $CRM_PAGER,
# $PAGER, else "less -FRX"; not with --no-pager, not when stdout is not a terminal, not for
# commands that write. The terminal is a pseudo-terminal made by script(1); the pager a script
# that marks every line it shows.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	unset CRM_PAGER PAGER LESS
	export TERM=xterm
	PAGER_BIN="$BATS_TEST_TMPDIR/pager"
	printf '#!/bin/sh\necho "[pager $*]"\nsed "s/^/| /"\n' >"$PAGER_BIN"
	chmod +x "$PAGER_BIN"
	command -v script >/dev/null || skip "script(1) (util-linux) is not installed"
	crm account add Acme --country DE >/dev/null
	crm account add Globex >/dev/null
}

# Run a crm command line on a pseudo-terminal; output is what the terminal showed.
on_tty() {
	run crm_on_tty "$@"
	mapfile -t lines <<<"$output"
}

@test "on a terminal, list goes through CRM_PAGER, with its arguments" {
	export CRM_PAGER="$PAGER_BIN -x"
	on_tty account list --fields id,name
	expect_status 0
	[ "${lines[0]}" = "[pager -x]" ]
	[[ "${lines[2]}" == "| 1"*"Acme" ]]
	[[ "${lines[3]}" == "| 2"*"Globex" ]]
}

@test "PAGER is used when CRM_PAGER is not set; CRM_PAGER wins over it" {
	export PAGER="$PAGER_BIN from-pager"
	on_tty account show Acme
	expect_status 0
	[ "${lines[0]}" = "[pager from-pager]" ]
	[[ "$output" == *"| "*"Acme"* ]]
	export CRM_PAGER="$PAGER_BIN from-crm-pager"
	on_tty account show Acme
	[ "${lines[0]}" = "[pager from-crm-pager]" ]
}

@test "a pager command with shell syntax runs through the shell" {
	export CRM_PAGER="$PAGER_BIN | tr a-z A-Z"
	on_tty account list --fields name
	expect_status 0
	[ "${lines[0]}" = "[PAGER ]" ]
	[[ "$output" == *"| ACME"* ]]
}

@test "without CRM_PAGER or PAGER the pager is less -FRX" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "[less $*]"\ncat\n' >"$BATS_TEST_TMPDIR/bin/less"
	chmod +x "$BATS_TEST_TMPDIR/bin/less"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH" on_tty account list --fields name
	expect_status 0
	[ "${lines[0]}" = "[less -FRX]" ]
	[[ "$output" == *"Globex"* ]]
}

@test "--no-pager, CRM_PAGER=cat, an empty PAGER and TERM=dumb print straight to the terminal" {
	export PAGER="$PAGER_BIN"
	on_tty --no-pager account list --fields name
	expect_status 0
	[[ "$output" != *"[pager"* ]]
	[[ "$output" == *"Globex"* ]]
	# a global option: it stands anywhere
	on_tty account list --fields name --no-pager
	[[ "$output" != *"[pager"* ]]
	CRM_PAGER=cat on_tty account list --fields name
	[[ "$output" != *"[pager"* ]]
	[[ "$output" == *"Acme"* ]]
	PAGER= on_tty account list --fields name
	[[ "$output" != *"[pager"* ]]
	unset PAGER
	TERM=dumb on_tty account list --fields name
	expect_status 0
	[[ "$output" != *"[pager"* ]]
	[[ "$output" == *"Acme"* ]]
}

@test "stdout not a terminal: no pager, as git" {
	export CRM_PAGER="$PAGER_BIN"
	run --separate-stderr crm account list --fields name
	expect_status 0
	[ "$output" = "$(printf 'name\nAcme\nGlobex')" ]
}

@test "-o FILE and commands that write are not paged" {
	export CRM_PAGER="$PAGER_BIN"
	on_tty account list -o "$BATS_TEST_TMPDIR/out.tsv"
	expect_status 0
	[[ "$output" != *"[pager"* ]]
	grep -q Globex "$BATS_TEST_TMPDIR/out.tsv"
	on_tty account add Initech
	expect_status 0
	[ "$output" = 3 ]
}

@test "help is paged; the exit code is the command's, paged or not" {
	export CRM_PAGER="$PAGER_BIN"
	on_tty help account
	expect_status 0
	[ "${lines[0]}" = "[pager ]" ]
	[ "${lines[1]}" = "| usage: crm account <verb> [options] [arguments]" ]
	on_tty account show 999
	expect_status 3
	[[ "$output" == *"crm: account '999' not found"* ]]
}

@test "a pager that cannot be started: said once, the output printed without it" {
	export CRM_PAGER="$BATS_TEST_TMPDIR/no-such-pager"
	on_tty account list --fields name
	expect_status 0
	[[ "$output" == *"crm: cannot run the pager '$CRM_PAGER': No such file or directory; printing without it"* ]]
	[[ "$output" == *"Globex"* ]]
}

@test "--no-pager takes no value" {
	run --separate-stderr crm --no-pager=yes account list
	expect_status 2
	[ "$stderr" = "crm: option '--no-pager' takes no value" ]
}

@test "the pager is given LESS=FRX (colour, one screen) unless LESS is set, as git does" {
	printf '#!/bin/sh\necho "[LESS=${LESS-unset} LV=${LV-unset}]"\ncat >/dev/null\n' >"$PAGER_BIN"
	export PAGER="$PAGER_BIN"
	on_tty account list
	expect_status 0
	[ "${lines[0]}" = "[LESS=FRX LV=-c]" ]
	export LESS=-S LV=-x
	on_tty account list
	[ "${lines[0]}" = "[LESS=-S LV=-x]" ]
}
