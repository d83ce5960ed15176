#!/usr/bin/env bats
# Completion driven through the real shells (issue 16, point 2): bash and zsh on a pseudo-terminal
# (readline; zsh's compinit and _crm), fish through its own entry point with crm.fish autoloaded.
# Each test starts its shell once and completes every line it asserts (tests/shells.bash). The
# shells run the binary under test through `crm __complete`; a shell that is not installed skips
# its tests.
load helper
load shells
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	COMPLETIONS=$(cd "$BATS_TEST_DIRNAME/../completions" && pwd)
	# the completions run "crm" from PATH: the binary under test
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$CRM_BIN" "$BATS_TEST_TMPDIR/bin/crm"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	unset -f crm
	crm account add Acme --country DE --industry Energy >/dev/null
	crm account add Globex --country FR >/dev/null
	crm contact add Ann Lee --email ann@example.com --account Acme >/dev/null
	crm ticket open 'Printer on fire' --account Acme >/dev/null
	# file names are completed in a directory of known content
	mkdir -p "$BATS_TEST_TMPDIR/files"
	cd "$BATS_TEST_TMPDIR/files"
	touch people.csv photo.png sales.db
}

teardown() {
	crm_test_cleanup
}

# The nouns, verbs, options and the values of options with a fixed set.
words() {
	shell_complete "$1" "$COMPLETIONS" 'crm ' 'crm acc' 'crm account ' 'crm account s' \
		'crm account list --so' 'crm account add --li' 'crm --fo' 'crm --format ' 'crm -F j' \
		'crm --format=j' 'crm account list --format ' 'crm account list -F n' 'crm account list --format=c' \
		'crm --color=n' 'crm help account ' 'crm history '
	offers_some 'crm ' account contact ticket config help history
	offers 'crm acc' account
	offers_some 'crm account ' add list show edit rm tree history
	offers 'crm account s' show
	offers 'crm account list --so' --sort
	offers 'crm account add --li' --lifecycle-stage --line-of-business
	offers 'crm --fo' --format
	offers 'crm --format ' csv json ndjson table tsv xlsx yaml
	offers 'crm -F j' json
	offers 'crm --format=j' "$(listed --format=json)"
	offers 'crm account list --format ' csv json ndjson table tsv xlsx yaml
	offers 'crm account list -F n' ndjson
	offers 'crm account list --format=c' "$(listed --format=csv)"
	offers 'crm --color=n' "$(listed --color=never)"
	offers_some 'crm help account ' add list show
	offers_some 'crm history ' account contact ticket
	refute offers_some 'crm history ' config
}

@test "bash: nouns, verbs, options and their values" {
	words bash
}

@test "zsh: nouns, verbs, options and their values" {
	words zsh
}

@test "fish: nouns, verbs, options and their values" {
	words fish
}

# Record references: numbers described by their labels, names and e-mails where typed.
references() {
	shell_complete "$1" "$COMPLETIONS" 'crm account show ' 'crm account edit ' 'crm account rm ' \
		'crm history account ' 'crm contact show ' 'crm account show Gl' 'crm contact show ann' \
		'crm contact rm a' 'crm ticket show '
	offers 'crm account show ' 1 2
	offers_some 'crm account edit ' 1 2
	offers_some 'crm account rm ' 1 2
	offers 'crm history account ' 1 2
	offers_some 'crm contact show ' 1
	offers 'crm account show Gl' Globex
	offers 'crm contact show ann' ann@example.com
	offers_some 'crm ticket show ' 1
	if shows_descriptions; then
		describes 'crm account show ' 1 'Acme energy DE'
		describes 'crm account show ' 2 'Globex FR'
		describes 'crm account edit ' 2 'Globex FR'
		describes 'crm history account ' 1 'Acme energy DE'
		describes 'crm contact show ' 1 'Ann Lee ann@example.com'
		[[ "$(description 'crm ticket show ' 1)" == *'Printer on fire'* ]]
	else
		[ -z "$(description 'crm account show ' 1)" ]
	fi
}

@test "bash: show, edit, rm and history offer record numbers, names, e-mails" {
	references bash
}

@test "zsh: show, edit, rm and history offer record numbers described by their labels, names, e-mails" {
	references zsh
}

@test "fish: show, edit, rm and history offer record numbers described by their labels, names, e-mails" {
	references fish
}

# Transitions, field names, filters, pick-lists and reference fields.
values() {
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	printf 'picklists:\n  industry: [Energy, Engineering, Retail]\n' >"$CRM_CONFIG"
	shell_complete "$1" "$COMPLETIONS" 'crm ticket transition 1 ' 'crm ticket transition 1 st' \
		'crm account list --fields na' 'crm account list --fields name,cou' 'crm account list --sort -na' \
		'crm account list coun' 'crm account add X --industry En' 'crm account list industry:R' \
		'crm account list -industry:E' 'crm account list parent:' \
		'crm contact add Bob Roe --account Gl' 'crm account edit 1 --set nam'
	offers_some 'crm ticket transition 1 ' start resolve
	if shows_descriptions; then
		describes 'crm ticket transition 1 ' start 'to open'
		describes 'crm ticket transition 1 ' resolve 'to resolved'
	fi
	offers 'crm ticket transition 1 st' start
	offers 'crm account list --fields na' name
	offers 'crm account list --fields name,cou' name,country
	offers 'crm account list --sort -na' -name
	offers 'crm account list coun' country:
	offers 'crm account add X --industry En' Energy Engineering
	offers 'crm account list industry:R' "$(listed industry:Retail)"
	offers 'crm account list -industry:E' "$(listed -industry:Energy)" "$(listed -industry:Engineering)"
	offers 'crm account list parent:' "$(listed parent:1)" "$(listed parent:2)"
	offers 'crm contact add Bob Roe --account Gl' Globex
	offers 'crm account edit 1 --set nam' name=
}

@test "bash: transitions, field names after --fields and a comma, filters, pick-lists" {
	values bash
}

@test "zsh: transitions with where they go, field names after --fields and a comma, filters, pick-lists" {
	values zsh
}

@test "fish: transitions with where they go, field names after --fields and a comma, filters, pick-lists" {
	values fish
}

# File names where a file is wanted, and nowhere else.
files() {
	shell_complete "$1" "$COMPLETIONS" 'crm contact import peo' 'crm account list -o pe' \
		'crm account list --output s' 'crm ticket attach 1 pho' 'crm --db sal' 'crm --db=sal' \
		'crm db copy --from sal' 'crm activity list --from sal'
	offers 'crm contact import peo' people.csv
	offers 'crm account list -o pe' people.csv
	offers 'crm account list --output s' sales.db
	offers 'crm ticket attach 1 pho' photo.png
	offers 'crm --db sal' sales.db
	offers 'crm --db=sal' "$(listed --db=sales.db)"
	offers 'crm db copy --from sal' sales.db
	offers 'crm activity list --from sal'
}

@test "bash: import, attach, -o and --db complete file names" {
	files bash
}

@test "zsh: import, attach, -o and --db complete file names" {
	files zsh
}

@test "fish: import, attach, -o and --db complete file names" {
	files fish
}

# What TAB inserts when one candidate is left: a space after a complete word, none after a
# filter's "field:" or --set's "name=", whose value comes next.
inserts() {
	shell_complete "$1" "$COMPLETIONS" 'insert:crm account sh' 'insert:crm account list coun' \
		'insert:crm account show Gl' 'insert:crm account edit 1 --set nam' \
		'insert:crm account list industry:R' 'insert:crm --format=j' 'insert:crm --db=sal'
	[ "$(candidates 'insert:crm account sh')" = 'crm account show ' ]
	[ "$(candidates 'insert:crm account list coun')" = 'crm account list country:' ]
	[ "$(candidates 'insert:crm account show Gl')" = 'crm account show Globex ' ]
	[ "$(candidates 'insert:crm account edit 1 --set nam')" = 'crm account edit 1 --set name=' ]
	[ "$(candidates 'insert:crm account list industry:R')" = 'crm account list industry:Retail ' ]
	[ "$(candidates 'insert:crm --format=j')" = 'crm --format=json ' ]
	[ "$(candidates 'insert:crm --db=sal')" = 'crm --db=sales.db ' ]
}

@test "bash: a unique candidate is inserted, with a space only where the word is complete" {
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	printf 'picklists:\n  industry: [Energy, Engineering, Retail]\n' >"$CRM_CONFIG"
	inserts bash
}

@test "bash: a name with spaces is inserted as one word, escaped or inside the quote opened; an e-mail's @ and --opt=value complete" {
	crm account add 'Zeta Sub' >/dev/null
	shell_complete bash "$COMPLETIONS" 'insert:crm account show Ze' 'insert:crm account show Zeta\ S' \
		'insert:crm account show "Zeta S' "insert:crm account show 'Zeta S" 'insert:crm contact show ann@' \
		'insert:crm contact show ann@exa' 'insert:crm account list --fields=na' 'insert:crm account list --fields=name,cou'
	[ "$(candidates 'insert:crm account show Ze')" = 'crm account show Zeta\ Sub ' ]
	[ "$(candidates 'insert:crm account show Zeta\ S')" = 'crm account show Zeta\ Sub ' ]
	[ "$(candidates 'insert:crm account show "Zeta S')" = 'crm account show "Zeta Sub" ' ]
	[ "$(candidates "insert:crm account show 'Zeta S")" = "crm account show 'Zeta Sub' " ]
	[ "$(candidates 'insert:crm contact show ann@')" = 'crm contact show ann@example.com ' ]
	[ "$(candidates 'insert:crm contact show ann@exa')" = 'crm contact show ann@example.com ' ]
	[ "$(candidates 'insert:crm account list --fields=na')" = 'crm account list --fields=name ' ]
	[ "$(candidates 'insert:crm account list --fields=name,cou')" = 'crm account list --fields=name,country ' ]
}

@test "zsh: a unique candidate is inserted, with a space only where the word is complete" {
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	printf 'picklists:\n  industry: [Energy, Engineering, Retail]\n' >"$CRM_CONFIG"
	inserts zsh
}

# Names with characters the shell treats specially (issue 16): completed and inserted exactly as
# they are, quoted for the shell; bash's compgen -W used to expand them (L'Oréal became LOréal,
# "Cost $5 Inc" became "Cost  Inc").
hostile_names() {
	crm account add "L'Oréal" >/dev/null
	crm account add 'Cost $5 Inc' >/dev/null
	crm account add 'Its $HOME' >/dev/null
	crm account add 'Back`tick` \ Star* a=b@c:d' >/dev/null
}

@test "bash: names with quotes, \$, backticks, backslashes, * = @ : are inserted exactly, quoted" {
	hostile_names
	shell_complete bash "$COMPLETIONS" 'crm account show L' 'crm account show Cos' \
		'insert:crm account show L' 'insert:crm account show Cos' 'insert:crm account show It' \
		'insert:crm account show Ba' "insert:crm account show 'L" 'insert:crm account show "Cos' \
		'insert:crm account show "Ba' "insert:crm account show 'Ba" 'insert:crm account show L\'"'"'O' \
		'insert:crm account show "Cost \$' 'insert:crm account show Cost\ \$'
	offers 'crm account show L' "L\\'Oréal"
	offers 'crm account show Cos' 'Cost\ \$5\ Inc'
	[ "$(candidates 'insert:crm account show L')" = "crm account show L\\'Oréal " ]
	[ "$(candidates 'insert:crm account show Cos')" = 'crm account show Cost\ \$5\ Inc ' ]
	[ "$(candidates 'insert:crm account show It')" = 'crm account show Its\ \$HOME ' ]
	[ "$(candidates 'insert:crm account show Ba')" = 'crm account show Back\`tick\`\ \\\ Star\*\ a=b@c:d ' ]
	[ "$(candidates "insert:crm account show 'L")" = "crm account show 'L'\\''Oréal' " ]
	[ "$(candidates 'insert:crm account show "Cos')" = 'crm account show "Cost \$5 Inc" ' ]
	[ "$(candidates 'insert:crm account show "Ba')" = 'crm account show "Back\`tick\` \\ Star* a=b@c:d" ' ]
	[ "$(candidates "insert:crm account show 'Ba")" = "crm account show 'Back\`tick\` \\ Star* a=b@c:d' " ]
	[ "$(candidates "insert:crm account show L\\'O")" = "crm account show L\\'Oréal " ]
	[ "$(candidates 'insert:crm account show "Cost \$')" = 'crm account show "Cost \$5 Inc" ' ]
	[ "$(candidates 'insert:crm account show Cost\ \$')" = 'crm account show Cost\ \$5\ Inc ' ]
	# what is inserted is the name itself to the shell
	eval "set -- $(candidates 'insert:crm account show Ba')"
	[ "$4" = 'Back`tick` \ Star* a=b@c:d' ]
	eval "set -- $(candidates "insert:crm account show 'L")"
	[ "$4" = "L'Oréal" ]
}

@test "zsh: names with quotes, \$, backticks, backslashes, * = @ : are offered and inserted exactly" {
	hostile_names
	shell_complete zsh "$COMPLETIONS" 'crm account show L' 'crm account show Cos' \
		'insert:crm account show L' 'insert:crm account show Cos' 'insert:crm account show It' \
		'insert:crm account show Ba'
	# zsh lists them as it would insert them
	offers 'crm account show L' "L\\'Oréal"
	offers 'crm account show Cos' 'Cost\ \$5\ Inc'
	eval "set -- $(candidates 'insert:crm account show L')"
	[ "$4" = "L'Oréal" ]
	eval "set -- $(candidates 'insert:crm account show Cos')"
	[ "$4" = 'Cost $5 Inc' ]
	eval "set -- $(candidates 'insert:crm account show It')"
	[ "$4" = 'Its $HOME' ]
	eval "set -- $(candidates 'insert:crm account show Ba')"
	[ "$4" = 'Back`tick` \ Star* a=b@c:d' ]
}

@test "fish: names with quotes, \$, backticks, backslashes, * = @ : are offered exactly" {
	hostile_names
	shell_complete fish "$COMPLETIONS" 'crm account show L' 'crm account show Cos' \
		'crm account show It' 'crm account show Ba'
	offers 'crm account show L' "L'Oréal"
	offers 'crm account show Cos' 'Cost $5 Inc'
	offers 'crm account show It' 'Its $HOME'
	offers 'crm account show Ba' 'Back`tick` \ Star* a=b@c:d'
}

# An option's value in the same word (issue 16): "--fields=na" completes to "--fields=name" in
# every shell, for field names, --sort, a pick-list's --<field>= and a reference's.
option_equals() {
	export CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml"
	printf 'picklists:\n  industry: [Energy, Engineering, Retail]\n' >"$CRM_CONFIG"
	shell_complete "$1" "$COMPLETIONS" 'crm account list --fields=na' 'crm account list --fields=name,cou' \
		'crm account list --sort=-na' 'crm account add X --industry=Eng' 'crm contact add Bob Roe --account=Gl' \
		'crm account edit 1 --set=nam' \
		'insert:crm account list --fields=na' 'insert:crm account list --sort=na' \
		'insert:crm account add X --industry=Ret' 'insert:crm contact add Bob Roe --account=Gl'
	offers 'crm account list --fields=na' "$(listed --fields=name)"
	offers 'crm account list --fields=name,cou' "$(listed --fields=name,country)"
	offers 'crm account list --sort=-na' "$(listed --sort=-name)"
	offers 'crm account add X --industry=Eng' "$(listed --industry=Engineering)"
	offers 'crm contact add Bob Roe --account=Gl' "$(listed --account=Globex)"
	if [ "$1" = bash ]; then
		offers 'crm account edit 1 --set=nam' name=
	else
		offers 'crm account edit 1 --set=nam' --set=name=
	fi
	[ "$1" = fish ] && return 0 # fish completes, it does not insert here
	[ "$(candidates 'insert:crm account list --fields=na')" = 'crm account list --fields=name ' ]
	[ "$(candidates 'insert:crm account list --sort=na')" = 'crm account list --sort=name ' ]
	[ "$(candidates 'insert:crm account add X --industry=Ret')" = 'crm account add X --industry=Retail ' ]
	[ "$(candidates 'insert:crm contact add Bob Roe --account=Gl')" = 'crm contact add Bob Roe --account=Globex ' ]
}

@test "bash: --fields=, --sort=, --<picklist>= and --<reference>= complete their values" {
	option_equals bash
}

@test "zsh: --fields=, --sort=, --<picklist>= and --<reference>= complete their values" {
	option_equals zsh
}

@test "fish: --fields=, --sort=, --<picklist>= and --<reference>= complete their values" {
	option_equals fish
}
