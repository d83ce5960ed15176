#!/usr/bin/env bats
# Issue 16, point 4: help as git and gh give it, -V, did-you-mean for options and fields, and
# --color=always on every output that has colour.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
}

@test "crm <noun> help is crm help <noun>; crm <noun> help <verb> is crm help <noun> <verb>" {
	run --separate-stderr crm account help
	expect_status 0
	[ -z "$stderr" ]
	[ "$output" = "$(crm help account)" ]
	[[ "${lines[0]}" == "usage: crm account <verb> [options] [arguments]" ]]
	run --separate-stderr crm account help add
	expect_status 0
	[ "$output" = "$(crm help account add)" ]
	[ "$output" = "$(crm account add --help)" ]
	[[ "${lines[0]}" == "usage: crm account add <name> "* ]]
	# a verb with sub-verbs
	run -0 crm project help cost
	[ "$output" = "$(crm help project cost)" ]
	db_absent
}

@test "crm <noun> help with a verb that does not exist: exit 2 with a did-you-mean" {
	run --separate-stderr crm account help lsit
	expect_status 2
	[ "$stderr" = "crm: unknown account verb 'lsit'; did you mean 'list'?" ]
	run --separate-stderr crm help acount
	expect_status 2
	[ "$stderr" = "crm: unknown command 'acount'; did you mean 'account'?" ]
	run --separate-stderr crm help tikcet show
	expect_status 2
	[ "$stderr" = "crm: unknown command 'tikcet'; did you mean 'ticket'?" ]
	run --separate-stderr crm help account add extra
	expect_status 2
	[ "$stderr" = "crm: help takes a noun and a verb: 'crm help account add'" ]
}

@test "-V is --version" {
	run --separate-stderr crm -V
	expect_status 0
	[ "$output" = "$(crm --version)" ]
	[[ "$output" == "crm "* ]]
	run --separate-stderr crm -V=1
	expect_status 2
}

@test "did you mean: misspelt options, field names in --fields, filters, --sort and --set" {
	crm account add Acme >/dev/null
	run --separate-stderr crm account list --sotr name
	expect_status 2
	[ "$stderr" = "crm: unknown option '--sotr' for account list; did you mean '--sort'?" ]
	run --separate-stderr crm --fromat json account list
	expect_status 2
	[ "$stderr" = "crm: unknown option '--fromat'; did you mean '--format'?" ]
	run --separate-stderr crm account list --fields nmae,country
	expect_status 2
	[ "$stderr" = "crm: unknown field 'nmae' for account; did you mean 'name'? (try --fields help)" ]
	run --separate-stderr crm account list contry:DE
	expect_status 2
	[ "$stderr" = "crm: unknown field 'contry' for account in filter 'contry:DE'; did you mean 'country'? (try --fields help)" ]
	run --separate-stderr crm account list --sort -cuontry
	expect_status 2
	[ "$stderr" = "crm: cannot sort accounts by unknown field 'cuontry'; did you mean 'country'?" ]
	run --separate-stderr crm account edit Acme --set contry=DE
	expect_status 2
	[ "$stderr" = "crm: unknown field 'contry' for account; did you mean 'country'?" ]
	# nothing near: no guess
	run --separate-stderr crm account list zzzzzz:1
	expect_status 2
	[ "$stderr" = "crm: unknown field 'zzzzzz' for account in filter 'zzzzzz:1' (try --fields help)" ]
}

@test "--color=always colours every output that has colour, on a pipe too; never and NO_COLOR do not" {
	crm account add Acme >/dev/null
	crm contact add Ann Lee --account Acme >/dev/null
	crm ticket open 'Printer on fire' --account Acme >/dev/null
	esc=$'\e[1m'
	# what has colour on a terminal: tables (lists, history, reports, config show) and the
	# sections of a ticket's show
	for cmdline in "account list -F table" "contact list -F table" "account history Acme -F table" \
		"ticket list --all -F table" "ticket show 1" "report tickets" "user list -F table" \
		"config show -F table"; do
		run --separate-stderr crm --color=always $cmdline
		expect_status 0
		if [[ "$output" != *"$esc"* ]]; then
			echo "no colour in: crm --color=always $cmdline" >&2
			echo "$output" >&2
			return 1
		fi
		run --separate-stderr crm $cmdline
		[[ "$output" != *$'\e'* ]]
		run --separate-stderr crm --color=never $cmdline
		[[ "$output" != *$'\e'* ]]
	done
	# colour does not choose the format: a pipe still gets tsv unless -F table is given
	run -0 crm --color=always account list
	[ "${lines[0]}" = $'id\tname\tparent\tindustry\tcountry\tlifecycle_stage' ]
	# files never get it
	run -0 crm --color=always account list -F table -o "$BATS_TEST_TMPDIR/t.txt"
	refute grep -q $'\e' "$BATS_TEST_TMPDIR/t.txt"
	run --separate-stderr crm --color=sometimes account list
	expect_status 2
	[ "$stderr" = "crm: --color takes always, never or auto, not 'sometimes'" ]
}

@test "a yes-or-no field prints 1/0 in tsv and csv, true/false in JSON and YAML; filters take yes, true and 1 alike" {
	crm task add "Whole day" --all-day yes > /dev/null
	crm task add "Timed" --all-day no > /dev/null
	crm task add "Unset" > /dev/null
	run -0 crm task list --fields title,all_day --sort id
	[ "$output" = "$(printf 'title\tall_day\nWhole day\t1\nTimed\t0\nUnset\t')" ]
	run -0 crm task list --fields title,all_day --sort id -F csv
	[ "${lines[1]}" = "Whole day,1" ]
	run -0 crm task list --fields all_day --sort id -F json
	[ "$(printf '%s' "$output" | tr -d '\n ')" = '[{"all_day":true},{"all_day":false},{"all_day":null}]' ]
	run -0 crm task list --fields all_day --sort id --limit 1 -F yaml
	[ "$output" = "- all_day: true" ]
	for v in yes true 1; do
		run -0 crm task list --fields title all_day:$v
		[ "$output" = "$(printf 'title\nWhole day')" ]
	done
	for v in no false 0; do
		run -0 crm task list --fields title all_day:$v --sort id
		[ "${lines[1]}" = "Timed" ]
	done
	run --separate-stderr crm task list all_day:maybe
	expect_status 6
	[[ "$stderr" == *"'maybe' is not yes or no"* ]]
}

@test "crm agenda|calendar|pipeline help: the noun's help, as crm help <noun> gives it, exit 0" {
	local n
	for n in agenda calendar pipeline; do
		run --separate-stderr crm $n help
		expect_status 0
		[ "$output" = "$(crm help $n)" ]
		[[ "$output" == "usage: crm $n "* ]]
		[[ "$output" == *"See crm-$n(1)."* ]]
	done
	db_absent
}

@test "'--' before the noun ends the options; an empty --db is refused, never the user's own database" {
	crm account add Acme >/dev/null
	run -0 crm -F tsv --no-headers -- account list
	[ "$output" = $'1\tAcme\t\t\t\t' ]
	run --separate-stderr crm --db "" account add Q
	expect_status 2
	[ "$stderr" = "crm: --db needs a file or a postgresql:// URL, not an empty word" ]
	run --separate-stderr crm --db= account add Q
	expect_status 2
	[ ! -e "$XDG_DATA_HOME/crm/crm.db" ]
	[ ! -e "$HOME/.local/share/crm/crm.db" ]
	run --separate-stderr crm account edit Acme
	expect_status 2
	[ "$stderr" = "crm: nothing to change: give --<field> <value> (see crm account edit --help)" ]
}

@test "did-you-mean for a format, a filter's comparison, a transition and a kind of record" {
	crm account add Acme >/dev/null
	crm ticket open Outage --account Acme >/dev/null
	run --separate-stderr crm account list -F jsno
	expect_status 2
	[ "$stderr" = "crm: unknown format 'jsno'; did you mean 'json'?" ]
	run --separate-stderr crm task list due.befor:today
	expect_status 2
	[ "$stderr" = "crm: unknown comparison 'befor' in filter 'due.befor:today'; did you mean 'before'?" ]
	run --separate-stderr crm ticket transition 1 reslove
	expect_status 4
	[[ "$stderr" == "crm: ticket 1: cannot go from 'new' to 'reslove' (no such status or transition; did you mean 'resolve'?); allowed: "* ]]
	run --separate-stderr crm history acount 1
	expect_status 2
	[ "$stderr" = "crm: unknown kind of record 'acount'; did you mean 'account'?" ]
	run --separate-stderr crm attr set acount 1 a=b
	expect_status 2
	[ "$stderr" = "crm: unknown kind 'acount'; did you mean 'account'?" ]
	run --separate-stderr crm doc attach acount 1 /etc/hostname
	expect_status 2
	[ "$stderr" = "crm: cannot attach documents to 'acount'; did you mean 'account'?" ]
	# nothing near: the list as before
	run --separate-stderr crm attr list zzz
	expect_status 2
	[ "$stderr" = "crm: unknown kind 'zzz' (account, contact, project, ticket, doc, ...)" ]
}

@test "help: a noun's or verb's summary starts in one column, however long the longest name (transitions, opportunity)" {
	for what in "offer" "campaign" ""; do
		run crm $what --help
		expect_status 0
		# the column where each listed name's summary starts: one value per list
		cols=$(printf '%s\n' "$output" | sed -n '/^\(Verbs\|Nouns\):/,/^$/p' | awk 'NF > 1 && /^  [a-z]/ { match($0, /^  [a-z-]+ +/); print RLENGTH }' | sort -u)
		echo "crm $what --help: $cols"
		[ -n "$cols" ]
		[ "$(printf '%s\n' "$cols" | wc -l)" -eq 1 ]
	done
	run crm --help
	[[ "$output" == *"  opportunity possible sales"* ]]
}

@test "help: a part of a record is named in usage by the word its verbs come under (<section>, <line>)" {
	run crm help offer section show
	expect_status 0
	[ "$(printf '%s\n' "$output" | head -1)" = "usage: crm offer section show <section>" ]
	run crm help contract line rm
	expect_status 0
	[[ "$(printf '%s\n' "$output" | head -1)" == "usage: crm contract line rm <line>"* ]]
	run crm help account show
	[[ "$(printf '%s\n' "$output" | head -1)" == "usage: crm account show <account>"* ]]
}
