#!/usr/bin/env bats
# Completion of what users type after the verb (issue 16, point 2): record references with
# their labels, transition names, field names, pick-list values and file names. Driven through
# bash's own entry point (the _crm function that `complete -F` registers, as bash calls it),
# and through `crm __complete`, whose "value<TAB>description" lines zsh and fish show.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	# the completion runs "crm": the binary under test
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -s "$CRM_BIN" "$BATS_TEST_TMPDIR/bin/crm"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	source "$BATS_TEST_DIRNAME/../completions/crm.bash"
	crm account add Acme --country DE --industry Energy >/dev/null
	crm account add Globex --country FR >/dev/null
	crm contact add Ann Lee --email ann@example.com --account Acme >/dev/null
	crm ticket open 'Printer on fire' --account Acme >/dev/null
}

comp() {
	COMP_WORDS=(crm "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_crm crm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	reply=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}

@test "bash registers _crm for crm" {
	run -0 complete -p crm
	[ "$output" = "complete -F _crm crm" ]
}

@test "show, edit, rm and history complete record numbers; __complete gives their labels" {
	comp account show ''
	[ "$reply" = "$(printf '1\n2')" ]
	comp account edit ''
	[[ "$reply" == *"1"*"2"* ]]
	comp contact rm ''
	[[ "$reply" == "1"* ]]
	comp history account ''
	[ "$reply" = "$(printf '1\n2')" ]
	run -0 crm __complete account show ''
	[ "${lines[0]}" = "1	Acme DE Energy " ] || [[ "${lines[0]}" == "1	Acme"* ]]
	[[ "${lines[1]}" == "2	Globex"* ]]
	# by name, where a name is typed
	comp account show Gl
	[ "$reply" = Globex ]
	comp contact show ann
	[ "$reply" = ann@example.com ]
}

@test "ticket transition completes the transitions the user may take now, with where they go" {
	comp ticket transition 1 ''
	# a new ticket: what `crm ticket transitions 1` lists, not resume or close
	[ "$reply" = $'resolve\nstart\nwait' ]
	run -0 crm __complete ticket transition 1 st
	[ "$output" = "start	to open" ]
	crm ticket transition 1 wait >/dev/null
	comp ticket transition 'Printer on fire' ''
	[[ "$reply" == *resume* && "$reply" != *start* ]]
	# a record that is not there: every transition the workflow has
	comp ticket transition 99 ''
	[[ "$reply" == *close* ]]
}

@test "--fields, --sort and filters complete field names; --fields after a comma too" {
	comp account list --fields na
	[ "$reply" = name ]
	comp account list --fields name,cou
	[ "$reply" = name,country ]
	comp account list --sort -na
	[ "$reply" = -name ]
	comp account list coun
	[ "$reply" = country: ]
}

@test "pick-list values complete for --<field> and in filters; references for reference fields" {
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	printf 'picklists:\n  industry: [Energy, Engineering, Retail]\n' >"$CRM_CONFIG"
	comp account add X --industry En
	[ "$reply" = "$(printf 'Energy\nEngineering')" ]
	comp account list industry:R
	[ "$reply" = industry:Retail ]
	comp contact add Bob Roe --account Gl
	[ "$reply" = Globex ]
}

@test "import, attach and -o complete file names" {
	cd "$BATS_TEST_TMPDIR"
	touch people.csv photo.png
	comp contact import peo
	[ "$reply" = people.csv ]
	comp account list -o pe
	[ "$reply" = people.csv ]
	comp ticket attach 1 pho
	[ "$reply" = photo.png ]
	run -0 crm __complete contact import ''
	[ "$output" = ":files" ]
	# every option whose value is a file
	comp ticket open Broken --attach pho
	[ "$reply" = photo.png ]
	comp contact email 1 --attach pho
	[ "$reply" = photo.png ]
	comp contact import people.csv --reject peo
	[ "$reply" = people.csv ]
}

@test "no database: references complete to nothing, quietly" {
	export CRM_DB="$BATS_TEST_TMPDIR/none.db"
	run --separate-stderr crm __complete account show ''
	expect_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ ! -e "$CRM_DB" ]
}

@test "completion finds a record however many come before it; at most 200 candidates are offered" {
	{ echo name; for i in $(seq 1 260); do echo "Bulk $i"; done; echo Zeta; } >"$BATS_TEST_TMPDIR/a.csv"
	crm account import "$BATS_TEST_TMPDIR/a.csv" >/dev/null 2>&1
	run -0 crm __complete account show Ze
	[ "$output" = Zeta ]
	run -0 crm __complete account show 26
	[ "$(cut -f1 <<<"$output" | tr '\n' ' ')" = "26 260 261 262 263 " ]
	# numbers by their ranges, smallest first: 1, 10-19, 100-199 (no 1000 yet)
	run -0 crm __complete account show 1
	[ "${#lines[@]}" -eq 111 ]
	[ "$(cut -f1 <<<"$output" | head -13 | tr '\n' ' ')" = "1 10 11 12 13 14 15 16 17 18 19 100 101 " ]
	[ "$(cut -f1 <<<"$output" | tail -1)" = 199 ]
	run -0 crm __complete account show 0
	[ -z "$output" ]
	run -0 crm __complete account show Bulk
	[ "${#lines[@]}" -eq 200 ]
	comp account show Ze
	[ "$reply" = Zeta ]
}

@test "roles complete for --roles and in filters, from the configuration's roles" {
	run -0 crm __complete user add bob --roles ''
	[ "$output" = $'admin\nmanager\nagent\nviewer' ]
	run -0 crm __complete user list roles:ag
	[ "$output" = roles:agent ]
}

@test "references complete from the database the line names with --db, not CRM_DB's" {
	CRM_DB="$BATS_TEST_TMPDIR/other.db" crm account add Othercorp >/dev/null
	run -0 crm __complete --db "$BATS_TEST_TMPDIR/other.db" account show O
	[ "$output" = Othercorp ]
	run -0 crm __complete --db="$BATS_TEST_TMPDIR/other.db" account show ''
	[ "$output" = "1	Othercorp" ]
	run -0 crm __complete account show O
	[ "$output" = "" ]
}

@test "config get and set complete keys: settings, kinds where a setting names one, names the configuration gives" {
	run -0 crm __complete config get notify.
	[ "$output" = $'notify.command\nnotify.from\nnotify.retry\nnotify.retry_max\nnotify.lease' ]
	run -0 crm __complete config set picklists.ind
	[ "$output" = picklists.industry ]
	run -0 crm __complete config get workflow.ticket.t
	# a list is set whole: nothing is offered under it
	[ "$output" = workflow.ticket.transitions ]
	run -0 crm __complete config get custom_fields.co
	[[ "$output" == *custom_fields.contact* ]] && [[ "$output" == *custom_fields.contract* ]]
	# the value is no key
	run -0 crm __complete config set busy_timeout ''
	[ -z "$output" ]
	comp config get busy_t
	[ "$reply" = busy_timeout ]
}

@test "nouns without verbs complete their options and values: search --kind, calendar --" {
	run -0 crm __complete search --kind con
	[ "$output" = $'contact\ncontract' ]
	# only kinds search takes: not alerts, notifications or import batches
	run -0 crm __complete search --kind ''
	[[ "$output" == *ticket* ]] && [[ "$output" != *alert* ]] && [[ "$output" != *notify* ]] && [[ "$output" != *import* ]]
	run --separate-stderr crm search Acme --kind acount
	expect_status 2
	[ "$stderr" = "crm: unknown kind 'acount'; did you mean 'account'?" ]
	# "crm search help" looks for the word; "crm agenda help" is help
	crm account add 'Help Desk Ltd' >/dev/null
	run -0 crm search help -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = 'Help Desk Ltd' ]
	run -0 crm __complete search --li
	[[ "$output" == *--limit* ]] && [[ "$output" == *--kind* ]]
	comp search --li
	[ "$reply" = --limit ]
	comp calendar --mo
	[ "$reply" = --month ]
	comp search --kind tic
	[ "$reply" = ticket ]
}

@test "a placeholder that names what to give is not offered as a value: FILE|URL, text|-, login|@group" {
	run -0 crm __complete --db ''
	[ -z "$output" ]
	run -0 crm __complete contact email 1 --body ''
	[ -z "$output" ]
	run -0 crm __complete ticket open x --assign ''
	[[ "$output" != *login* ]] && [[ "$output" != *@group* ]]
	# a field, named as --fields names it
	run -0 crm __complete account tree --by ''
	[[ $'\n'"$output"$'\n' == *$'\ncountry\n'*$'\nlifecycle_stage\n'* ]]
	[[ "$output" != *field* ]]
	run -0 crm __complete account tree --by lin
	[ "$output" = line_of_business ]
}
