#!/usr/bin/env bats
# The command line itself: usage and help, unknown names, options, global options anywhere,
# -q, colour, --version and the completion helper.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
}

nouns() {
	crm __complete ''
}

# ---------------------------------------------------------------- usage and help

@test "crm with no arguments prints usage on stderr and exits 2" {
	run --separate-stderr crm
	expect_status 2
	[ -z "$output" ]
	[[ "$stderr" == "usage: crm [global options] <noun> <verb>"* ]]
	[[ "$stderr" == *"account"* ]]
	db_absent
}

@test "crm --help, crm -h and crm help print usage on stdout and exit 0" {
	for args in --help -h help; do
		run --separate-stderr crm $args
		expect_status 0
		[[ "$output" == "usage: crm [global options] <noun> <verb>"* ]]
		[[ "$output" == *"Global options:"* ]]
		[[ "$output" == *"Exit codes:"* ]]
		[ -z "$stderr" ]
	done
	# help needs no database
	db_absent
}

@test "every noun in help is a completion noun and the other way round" {
	run crm help
	expect_status 0
	listed=$(echo "$output" | sed -n '/^Nouns:/,/^$/p' | awk 'NF > 1 { print $1 }')
	[ -n "$listed" ]
	[ "$listed" = "$(nouns)" ]
}

@test "crm help account lists the verbs, like crm account --help" {
	run --separate-stderr crm help account
	expect_status 0
	[[ "${lines[0]}" == "usage: crm account <verb>"* ]]
	for v in add list show edit rm tree history; do
		echo "$output" | grep -qE "^  $v +"
	done
	[[ "$output" == *"(alias: ls)"* ]]
	help=$output
	run --separate-stderr crm account --help
	expect_status 0
	[ "$output" = "$help" ]
}

@test "crm help account add lists the field options, like crm account add --help" {
	run --separate-stderr crm help account add
	expect_status 0
	[[ "${lines[0]}" == "usage: crm account add "* ]]
	echo "$output" | grep -qE '^  --name +.*\(required\)$'
	for opt in --parent --industry --country --line-of-business --lifecycle-stage --credit-limit --notes; do
		echo "$output" | grep -qE "^  $opt "
	done
	# read-only fields cannot be set, so they are not options
	refute grep -qE '^  --(id|created|updated) ' <<<"$output"
	help=$output
	run --separate-stderr crm account add --help
	expect_status 0
	[ "$output" = "$help" ]
	# --help wins wherever it stands, and adds nothing
	run --separate-stderr crm account add Acme --help
	expect_status 0
	[ "$output" = "$help" ]
	db_absent
}

@test "crm help contact list explains filters" {
	run crm help contact list
	expect_status 0
	[[ "$output" == *"Filters: field:value"* ]]
	[[ "$output" == *"--fields"* ]]
}

@test "every noun and every verb answers --help with its usage and exit 0" {
	local n v count=0
	for n in $(nouns); do
		run --separate-stderr crm "$n" --help
		expect_status 0
		# (crm help --help is the global help)
		[[ "$output" == "usage: crm $n"* || "$n" == help ]] || { echo "crm $n --help: $output" >&2; return 1; }
		[[ "$output" == "usage: crm "* ]] || return 1
		for v in $(crm __complete "$n" ''); do
			[ "$v" = :files ] && continue # merge <template>: a file name, asked of the shell
			run --separate-stderr crm "$n" "$v" --help
			expect_status 0
			[ -z "$stderr" ]
			if [ "$n" = history ] || [ "$n" = help ]; then
				# history and help take nouns, not verbs: their own usage answers
				[[ "$output" == "usage: crm "* ]] || return 1
			else
				[[ "${lines[0]}" == "usage: crm $n $v"* ]] || { echo "crm $n $v --help: $output" >&2; return 1; }
			fi
			run --separate-stderr crm help "$n" "$v"
			if [ "$n" != history ] && [ "$n" != help ]; then
				expect_status 0
			fi
			count=$((count + 1))
		done
	done
	# at least the generic verbs of the four record nouns
	[ "$count" -ge 24 ]
	db_absent
}

# ---------------------------------------------------------------- unknown names

@test "an unknown noun exits 2 and says what it might have meant" {
	run --separate-stderr crm acount list
	expect_status 2
	[ -z "$output" ]
	[ "$stderr" = "crm: unknown command 'acount'; did you mean 'account'?" ]
	run --separate-stderr crm contcat
	expect_status 2
	[[ "$stderr" == *"did you mean 'contact'"* ]]
	run --separate-stderr crm zzzzzz
	expect_status 2
	[[ "$stderr" == "crm: unknown command 'zzzzzz'"* ]]
	db_absent
}

@test "an unknown verb exits 2 and says what it might have meant" {
	run --separate-stderr crm account ad Acme
	expect_status 2
	[ "$stderr" = "crm: unknown account verb 'ad'; did you mean 'add'?" ]
	run --separate-stderr crm contact lsit
	expect_status 2
	[[ "$stderr" == *"did you mean 'list'"* ]]
	run --separate-stderr crm account frobnicate
	expect_status 2
	[[ "$stderr" == "crm: unknown account verb 'frobnicate'"* ]]
	db_absent
}

@test "names are exact: no unique-prefix guessing, only explicit aliases" {
	run --separate-stderr crm acc list
	expect_status 2
	[[ "$stderr" == *"unknown command 'acc'"* ]]
	run --separate-stderr crm account li
	expect_status 2
	[[ "$stderr" == *"unknown account verb 'li'; did you mean 'list'?"* ]]
	crm account add Acme >/dev/null
	run crm account ls
	expect_status 0
	[[ "$output" == *Acme* ]]
	run crm account remove Acme
	expect_status 0
	run crm account list --no-headers
	expect_status 0
	[ -z "$output" ]
}

@test "a misspelt global option exits 2 with a hint from the one table of global options" {
	run --separate-stderr crm --formt json account list
	expect_status 2
	[ "$stderr" = "crm: unknown option '--formt'; did you mean '--format'?" ]
	run --separate-stderr crm --verbos=1 account list
	expect_status 2
	[ "$stderr" = "crm: unknown option '--verbos'; did you mean '--verbose'?" ]
	# after the verb, the verb's options and the global ones are candidates
	run --separate-stderr crm account list --formt json
	expect_status 2
	[ "$stderr" = "crm: unknown option '--formt' for account list; did you mean '--format'?" ]
	# a flag given a value
	run --separate-stderr crm --quiet=yes account list
	expect_status 2
	[ "$stderr" = "crm: option '--quiet' takes no value" ]
	# the help lists each global option once, from the same table
	run crm --help
	[[ "$output" == *"  -F, --format FMT     table, tsv"* ]]
	[[ "$output" == *"  --color[=WHEN]       always"* ]]
	db_absent
}

@test "an unknown option exits 2 and changes nothing" {
	crm init -q # reads need a database: they never create one
	run --separate-stderr crm --bogus account list
	expect_status 2
	[ "$stderr" = "crm: unknown option '--bogus'; see 'crm --help'" ]
	run --separate-stderr crm account list --bogus
	expect_status 2
	[ "$stderr" = "crm: unknown option '--bogus' for account list" ]
	run --separate-stderr crm account add Acme --bogus x
	expect_status 2
	[ "$stderr" = "crm: unknown option '--bogus' for account add" ]
	run --separate-stderr crm account add Acme --industy it
	expect_status 2
	[[ "$stderr" == "crm: unknown option '--industy' for account add; did you mean "*industry* ]]
	run crm account list --no-headers
	expect_status 0
	[ -z "$output" ]
}

@test "an unknown option where a record is named exits 2, not 'not found'" {
	crm account add Acme >/dev/null
	for verb in show history; do
		run --separate-stderr crm account $verb --bogus
		expect_status 2
		[ "$stderr" = "crm: unknown option '--bogus' for account $verb" ]
	done
	run --separate-stderr crm history account --bogus
	expect_status 2
	[[ "$stderr" == "crm: unknown option '--bogus'"* ]]
	run --separate-stderr crm account show Acme --bogus
	expect_status 2
}

@test "every verb refuses an unknown option with exit 2" {
	crm account add Acme >/dev/null
	local n v
	for n in account location contact user; do
		for v in $(crm __complete "$n" ''); do
			run --separate-stderr crm "$n" "$v" --no-such-option
			[ "$status" -eq 2 ] || { echo "crm $n $v --no-such-option: $status $stderr" >&2; return 1; }
		done
	done
	run --separate-stderr crm config show --no-such-option
	expect_status 2
	run --separate-stderr crm init --no-such-option
	expect_status 2
}

@test "a missing argument exits 2 with the verb's usage" {
	crm init -q # reads need a database: they never create one
	run --separate-stderr crm account show
	expect_status 2
	[ "$stderr" = "usage: crm account show <account> [--with-subsidiaries]" ]
	run --separate-stderr crm account history
	expect_status 2
	[[ "$stderr" == "usage: crm account history"* ]]
	run --separate-stderr crm history account
	expect_status 2
	[[ "$stderr" == "usage: crm history"* ]]
	run --separate-stderr crm account rm
	expect_status 2
	[[ "$stderr" == "usage: crm account rm"* ]]
	run --separate-stderr crm account edit --country DE
	expect_status 2
	# a noun without its verb: the noun's help, on stderr
	run --separate-stderr crm account
	expect_status 2
	[ -z "$output" ]
	[[ "$stderr" == "usage: crm account <verb>"* ]]
}

@test "an option without its value exits 2" {
	for opt in --db --config --format -F -o --as; do
		run --separate-stderr crm account list $opt
		expect_status 2
		[ "$stderr" = "crm: option '$opt' needs a value" ]
	done
	run --separate-stderr crm account add Acme --industry
	expect_status 2
	[ "$stderr" = "crm: option '--industry' needs a value" ]
	run --separate-stderr crm account list --limit
	expect_status 2
	db_absent || [ -z "$(crm account list --no-headers)" ]
}

@test "a bad value for a global option exits 2" {
	run --separate-stderr crm -F xml account list
	expect_status 2
	[[ "$stderr" == "crm: unknown format 'xml'"* ]]
	run --separate-stderr crm account list -F xlsx
	expect_status 2
	[[ "$stderr" == *"xlsx needs a file"* ]]
}

@test "--version prints the version and the schema, exit 0" {
	nsql=$(ls "$BATS_TEST_DIRNAME"/../core/sql/*.sql | wc -l)
	run --separate-stderr crm --version
	expect_status 0
	[[ "$output" =~ ^crm\ [0-9]+\.[0-9]+\.[0-9]+\ \(schema\ $nsql,\ SQLite\ 3\.[0-9.]+,\ libpq\ ([0-9]+\.[0-9]+|not\ installed)\)$ ]]
	[ -z "$stderr" ]
	# wherever it stands, and without touching the database
	run crm account list --version
	expect_status 0
	[[ "$output" == "crm "* ]]
	db_absent
}

# ---------------------------------------------------------------- global options anywhere

@test "global options work before the noun, between noun and verb, and after the verb" {
	other="$BATS_TEST_TMPDIR/other.db"
	crm --db "$other" account add Acme >/dev/null
	crm account --db "$other" add Globex >/dev/null
	crm account add Initech --db "$other" >/dev/null
	crm account add Local >/dev/null
	want=$(printf '1\tAcme\n2\tGlobex\n3\tInitech')
	run crm --db "$other" account list --fields id,name --no-headers
	expect_status 0
	[ "$output" = "$want" ]
	run crm account list --no-headers --fields id,name --db="$other"
	expect_status 0
	[ "$output" = "$want" ]
	run crm account --no-headers list --db "$other" --fields=id,name
	[ "$output" = "$want" ]
	run crm account list --fields id,name --no-headers
	[ "$output" = $'1\tLocal' ]
	# format and user too
	run crm account list -F json --fields name --db "$other"
	expect_status 0
	[ "$(echo "$output" | jq -r '.[0].name')" = Acme ]
	run crm -Fcsv account list --fields name
	[ "${lines[0]}" = name ]
	[ "${lines[1]}" = Local ]
	run crm account add Newco --as tester --format json
	expect_status 0
	run --separate-stderr crm account add Nope --as nobody
	expect_status 5
	[[ "$stderr" == *"'nobody'"* ]]
}

@test "words after -- are arguments, not options" {
	run crm account add -- --weird-name
	expect_status 0
	[ "$output" = 1 ]
	run crm account list --no-headers --fields name
	[ "$output" = "--weird-name" ]
}

# ---------------------------------------------------------------- messages: -q, -v

@test "-q silences informational messages, not data or errors" {
	run --separate-stderr crm init
	expect_status 0
	[[ "$stderr" == "created database '$CRM_DB'"* ]]
	run --separate-stderr crm -q init
	expect_status 0
	[ -z "$stderr" ]
	[ -z "$output" ]
	run --separate-stderr crm init --quiet
	expect_status 0
	[ -z "$stderr" ]
	run --separate-stderr crm init
	[[ "$stderr" == "using database '$CRM_DB'"* ]]
	# bulk changes report on stderr; -q keeps stdout data and errors
	crm account add A --country DE >/dev/null
	crm account add B --country DE >/dev/null
	run --separate-stderr crm account edit country:DE --country FR --yes
	expect_status 0
	[ "$stderr" = "2 accounts changed" ]
	run --separate-stderr crm account edit country:FR --country DE --yes -q
	expect_status 0
	[ -z "$stderr" ]
	run --separate-stderr crm -q account add C
	expect_status 0
	[ "$output" = 3 ]
	run --separate-stderr crm -q account show nope
	expect_status 3
	[ "$stderr" = "crm: account 'nope' not found" ]
}

# ---------------------------------------------------------------- colour

@test "--color=always colours a table, --color=never does not, a bad value exits 2" {
	crm account add Acme >/dev/null
	run crm -F table --color=always account list
	expect_status 0
	[[ "$output" == *$'\e['* ]]
	run crm -F table account list --color
	expect_status 0
	[[ "$output" == *$'\e['* ]]
	run crm -F table --color=never account list
	expect_status 0
	[[ "$output" != *$'\e'* ]]
	run crm -F table --color=auto account list
	expect_status 0
	[[ "$output" != *$'\e'* ]]
	run --separate-stderr crm --color=bogus account list
	expect_status 2
	[ "$stderr" = "crm: --color takes always, never or auto, not 'bogus'" ]
	[ -z "$output" ]
	# data formats never carry colour
	run crm -F tsv --color=always account list
	[[ "$output" != *$'\e'* ]]
	run crm -F json --color=always account list
	[[ "$output" != *$'\e'* ]]
}


@test "on a terminal: colour unless NO_COLOR or TERM=dumb; --color wins" {
	crm account add Acme >/dev/null
	unset NO_COLOR
	export TERM=xterm
	run crm_on_tty account list
	expect_status 0
	[[ "$output" == *$'\e['* ]]
	[[ "$output" == *Acme* ]]
	NO_COLOR=1 run crm_on_tty account list
	expect_status 0
	[[ "$output" == *Acme* ]]
	[[ "$output" != *$'\e'* ]]
	TERM=dumb run crm_on_tty account list
	[[ "$output" == *Acme* ]]
	[[ "$output" != *$'\e'* ]]
	run crm_on_tty --color=never account list
	[[ "$output" == *Acme* ]]
	[[ "$output" != *$'\e'* ]]
	NO_COLOR=1 run crm_on_tty --color=always account list
	[[ "$output" == *$'\e['* ]]
	# -o writes a file: no colour in it
	run crm_on_tty --color=always account list -o "$BATS_TEST_TMPDIR/out.txt"
	expect_status 0
	[ -s "$BATS_TEST_TMPDIR/out.txt" ]
	refute grep -q $'\e' "$BATS_TEST_TMPDIR/out.txt"
}

@test "off a terminal the default is TSV with a header and no colour" {
	unset NO_COLOR
	crm account add Acme --country DE >/dev/null
	run crm account list
	expect_status 0
	[ "${lines[0]}" = $'id\tname\tparent\tindustry\tcountry\tlifecycle_stage' ]
	[ "${lines[1]}" = $'1\tAcme\t\t\tDE\t' ]
	[[ "$output" != *$'\e'* ]]
}

# ---------------------------------------------------------------- completion

@test "crm __complete lists the nouns, without hidden ones, and needs no database" {
	run --separate-stderr crm __complete ''
	expect_status 0
	for n in account location contact user history config init help; do
		echo "$output" | grep -qx "$n"
	done
	[[ "$output" != *__complete* ]]
	# one per line, each a noun help knows
	for n in $output; do
		crm help "$n" >/dev/null
	done
	db_absent
}

@test "crm __complete <noun> '' lists its verbs" {
	local v
	run crm __complete account ''
	expect_status 0
	for v in add list show edit rm tree history; do
		echo "$output" | grep -qx "$v"
	done
	# names, not aliases
	refute grep -qxE 'ls|remove' <<<"$output"
	run crm __complete contact ''
	expect_status 0
	for v in add list show edit rm history; do
		echo "$output" | grep -qx "$v"
	done
	run crm __complete config ''
	echo "$output" | grep -qx show
	# history and help take a noun
	run crm __complete history ''
	expect_status 0
	for v in account location contact user; do
		echo "$output" | grep -qx "$v"
	done
	refute grep -qxE 'config|init|help' <<<"$output"

	run crm __complete help ''
	[[ "$output" == *account*config*help* ]]
	# unknown words complete to nothing, quietly
	run --separate-stderr crm __complete nosuch ''
	expect_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
	db_absent
}

@test "crm __complete lists -- options of a verb and the global ones" {
	run crm __complete account add --
	expect_status 0
	for opt in --help --name --parent --industry --line-of-business --credit-limit --set; do
		echo "$output" | grep -qx -- "$opt"
	done
	refute grep -qxE -- '--(id|created|updated)' <<<"$output"
	run crm __complete account list --
	expect_status 0
	for opt in --help --fields --sort --limit; do
		echo "$output" | grep -qx -- "$opt"
	done
	run crm __complete account rm --
	echo "$output" | grep -qx -- --yes
	run crm __complete user add --
	echo "$output" | grep -qx -- --roles
	echo "$output" | grep -qx -- --login
	run crm __complete --
	expect_status 0
	for opt in --db --config --format --as --quiet --verbose --color --version --help --no-headers; do
		echo "$output" | grep -qx -- "$opt"
	done
	# global options before the noun do not count as the noun
	run crm __complete --db x.db account ''
	expect_status 0
	[[ "$output" == *add*list* ]]
	run crm __complete -q contact ''
	[[ "$output" == *add*list* ]]
	db_absent
	[ ! -e x.db ]
}

# ---------------------------------------------------------------- the option parser (issue 8)

@test "options: --opt value and --opt=value are the same, for every verb" {
	crm account add Acme --country DE >/dev/null
	crm account add Beta --country=FR >/dev/null
	run crm account list --sort=-name --fields=name,country --no-headers
	expect_status 0
	[ "$output" = $'Beta\tFR\nAcme\tDE' ]
	run crm account list --sort -name --fields name --limit=1 --no-headers
	[ "$output" = Beta ]
}

@test "options: -- ends the options: a record may be named like one" {
	run crm account add -- "-Minus Corp"
	expect_status 0
	run crm account show -- "-Minus Corp"
	expect_status 0
	[[ "$output" == *"-Minus Corp"* ]]
	run crm history account -- "-Minus Corp"
	expect_status 0
	[[ "$output" == *"add"*"-Minus Corp"* ]]
	run crm account history -- "-Minus Corp"
	expect_status 0
	[[ "$output" == *"-Minus Corp"* ]]
	run crm account add -- --dashing
	expect_status 0
	run crm account list --no-headers --fields name -- --dashing
	expect_status 0
	[ "$output" = --dashing ]
	# before "--" the same word is an option nobody knows
	run --separate-stderr crm account show --dashing
	expect_status 2
	[ "$stderr" = "crm: unknown option '--dashing' for account show" ]
}

@test "options: -h and --help print the verb's help on stdout and exit 0, also after arguments" {
	for h in -h --help; do
		run --separate-stderr crm account list $h
		expect_status 0
		[[ "$output" == "usage: crm account list [<filter>...] [--fields <f,...>] [--sort <field>] [--limit <n>]"* ]]
		[[ "$output" == *"Options:"*"--limit <n>"*"at most n rows"* ]]
		[ -z "$stderr" ]
		run --separate-stderr crm project cost add P1 $h
		expect_status 0
		[[ "$output" == "usage: crm project cost add <project> <amount> <what>..."* ]]
	done
	db_absent
}

@test "options: a misspelt option is exit 2 with the option it resembles" {
	run --separate-stderr crm account list --sot name
	expect_status 2
	[ "$stderr" = "crm: unknown option '--sot' for account list; did you mean '--sort'?" ]
	run --separate-stderr crm account import x.csv --dry-rn
	expect_status 2
	[ "$stderr" = "crm: unknown option '--dry-rn' for account import; did you mean '--dry-run'?" ]
	run --separate-stderr crm ticket list --tema
	expect_status 2
	[ "$stderr" = "crm: unknown option '--tema' for ticket list; did you mean '--team'?" ]
	run --separate-stderr crm project cost list --limt 3
	expect_status 2
	[ "$stderr" = "crm: unknown option '--limt' for project cost list; did you mean '--limit'?" ]
	run --separate-stderr crm alert list -x
	expect_status 2
	[ "$stderr" = "crm: unknown option '-x' for alert list" ]
	# a flag given a value
	run --separate-stderr crm account rm Acme --yes=no
	expect_status 2
	[ "$stderr" = "crm: option '--yes' takes no value" ]
	db_absent
}

@test "options: a word that only starts with a dash is an argument: -field:value, a negative amount" {
	crm account add Acme --country DE >/dev/null
	crm account add Beta --country FR >/dev/null
	run crm account list -country:DE --fields name --no-headers
	expect_status 0
	[ "$output" = Beta ]
	crm project add Apollo --account Acme >/dev/null
	# -5 is the amount, not an option: the engine's minimum refuses it (6), not the parser (2).
	run crm project cost add Apollo -5 refund
	expect_status 6
	[ "$output" = "crm: amount '-5' is below its minimum, 0" ]
	run crm project cost add Apollo 5 -refund
	expect_status 0
	run crm project cost list Apollo --fields amount,what --no-headers
	[ "$output" = $'5.00\t-refund' ]
}

@test "options: --<field> options come from the kind, custom fields included, and --help lists them" {
	cat > "$BATS_TEST_TMPDIR/config.yaml" <<'YAML'
custom_fields:
  account:
    - {name: tax_region, type: text}
YAML
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	run crm account add --help
	expect_status 0
	[[ "$output" == *"--tax-region "* ]]
	[[ "$output" == *"--industry "* ]]
	run crm account edit --help
	[[ "$output" == *"--tax-region "* ]]
	run crm account add Acme --tax-region EU
	expect_status 0
	run crm account list --fields name,tax_region --no-headers
	[ "$output" = $'Acme\tEU' ]
	run --separate-stderr crm account edit Acme --tax-regio US
	expect_status 2
	[ "$stderr" = "crm: unknown option '--tax-regio' for account edit; did you mean '--tax-region'?" ]
	run crm __complete account add --
	[[ "$output" == *"--tax-region"* ]]
}

@test "every kind answers the generic verbs: add, list, show, edit, rm, history, import, export" {
	local n v
	for n in account location contact user activity project contract doc ticket; do
		for v in list show rm history import export; do
			run crm __complete "$n" ''
			grep -qx "$v" <<<"$output" || { echo "crm $n has no $v" >&2; return 1; }
		done
	done
	for n in project; do
		for v in add list show edit rm history import export; do
			run crm __complete "$n" cost ''
			grep -qx "$v" <<<"$output" || { echo "crm $n cost has no $v" >&2; return 1; }
		done
	done
}

@test "every kind exports and imports its export back: activities, projects, contracts, tickets, documents" {
	crm account add Acme >/dev/null
	crm project add Apollo --account Acme >/dev/null
	crm contract add Deal --account Acme >/dev/null
	crm activity log "First call" --type call --account Acme >/dev/null
	crm ticket open "Printer on fire" --account Acme >/dev/null
	echo hello > "$BATS_TEST_TMPDIR/note.txt"
	crm doc attach account Acme "$BATS_TEST_TMPDIR/note.txt" >/dev/null
	local n
	for n in activity project contract ticket doc; do
		run crm "$n" export -o "$BATS_TEST_TMPDIR/$n.csv"
		expect_status 0
		[ "$(wc -l < "$BATS_TEST_TMPDIR/$n.csv")" -eq 2 ] || { cat "$BATS_TEST_TMPDIR/$n.csv" >&2; return 1; }
		run crm "$n" import "$BATS_TEST_TMPDIR/$n.csv"
		expect_status 0
		[[ "$output" == "0 created, 0 updated, 1 unchanged, 0 rejected"* ]] || { echo "$n: $output" >&2; return 1; }
	done
	# an activity (no natural key) is found by its number: the change goes in
	sed -i 's/First call/Second call/' "$BATS_TEST_TMPDIR/activity.csv"
	run crm activity import "$BATS_TEST_TMPDIR/activity.csv"
	expect_status 0
	[[ "$output" == "0 created, 1 updated, 0 unchanged, 0 rejected"* ]]
	run crm activity list --fields summary --no-headers
	[ "$output" = "Second call" ]
}

@test "project cost list and contract line list are the generic list of their kind" {
	crm account add Acme >/dev/null
	crm project add Apollo --account Acme >/dev/null
	crm project add Zeus --account Acme >/dev/null
	crm project cost add Apollo 10 travel >/dev/null
	crm project cost add Apollo 30 hotel >/dev/null
	crm project cost add Zeus 5 taxi >/dev/null
	run crm project cost list Apollo --fields what,amount --sort -amount --no-headers
	expect_status 0
	[ "$output" = $'hotel\t30.00\ntravel\t10.00' ]
	run crm project cost list amount.over:6 --fields what -F csv --sort what
	[ "$output" = $'what\nhotel\ntravel' ]
	run crm project cost ls --limit 1 --fields what --no-headers
	[ "$output" = travel ]
	crm contract add Deal --account Acme >/dev/null
	crm contract line add Deal widget --price 3 --quantity 2 >/dev/null
	crm contract line add Deal gadget --price 10 >/dev/null
	run crm contract line list Deal --fields product,amount --sort -amount -F json
	[ "$(jq -c 'map([.product, .amount])' <<<"$output")" = '[["gadget",10],["widget",6]]' ]
	run crm contract line list -o "$BATS_TEST_TMPDIR/lines.csv" --fields product
	[ "$(cat "$BATS_TEST_TMPDIR/lines.csv")" = $'product\nwidget\ngadget' ]
}

@test "a misspelt field in --fields or --sort suggests the right one" {
	crm account add Acme >/dev/null
	run crm account list --fields=id,nme
	expect_status 2
	[ "$output" = "crm: unknown field 'nme' for account; did you mean 'name'? (try --fields help)" ]
	run crm account list --sort=-contry
	expect_status 2
	[ "$output" = "crm: cannot sort accounts by unknown field 'contry'; did you mean 'country'?" ]
	run crm account list --sort=zzzz
	expect_status 2
	[ "$output" = "crm: cannot sort accounts by unknown field 'zzzz'" ]
}

@test "messages quoting user data show its control characters escaped, never raw" {
	crm account add Other > /dev/null
	run --separate-stderr crm account show "$(printf 'Acme \033]0;owned\007 Red')"
	expect_status 3
	[[ "$stderr" != *$'\033'* && "$stderr" != *$'\007'* ]]
	[[ "$stderr" == *'Acme \x1b]0;owned\x07 Red'* ]]
	run --separate-stderr crm account show "$(printf 'No\033[2Jsuch')"
	expect_status 3
	[[ "$stderr" == *'No\x1b[2Jsuch'* && "$stderr" != *$'\033'* ]]
	# C1 controls too (U+009B is a CSI on some terminals); other UTF-8 stays as it is
	run --separate-stderr crm account show "$(printf 'Caf\303\251 \302\233')"
	expect_status 3
	[[ "$stderr" == *'Café \u009b'* ]]
}
