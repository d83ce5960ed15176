#!/usr/bin/env bats
# Configuration: built-in < $CRM_SYSCONFDIR/crm/config.yaml < $XDG_CONFIG_HOME/crm/config.yaml
# (or ~/.config/crm/config.yaml) < CRM_CONFIG / --config (which replace the search) < CRM_DB,
# CRM_USER < --db, --as; `crm config show` says where each value came from; errors exit 78.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	# the search is what these tests are about
	unset CRM_CONFIG CRM_DB
	SYS="$CRM_SYSCONFDIR/crm/config.yaml"
	HOMECONF="$HOME/.config/crm/config.yaml"
	XDG="$BATS_TEST_TMPDIR/xdg"
	XDGCONF="$XDG/crm/config.yaml"
	mkdir -p "$(dirname "$SYS")" "$(dirname "$HOMECONF")" "$(dirname "$XDGCONF")"
}

# write FILE LINES...: one YAML line per argument.
write() {
	local f=$1
	shift
	printf '%s\n' "$@" > "$f"
}

# The value and source of one key in `crm config show` (TSV: key, value, source).
shown() {
	crm config show "${@:2}" | awk -F'\t' -v k="$1" '$1 == k { print $2 "|" $3 }'
}

@test "config show lists key, value and source; built-in defaults when no file exists" {
	run --separate-stderr crm config show
	expect_status 0
	[ "${lines[0]}" = $'key\tvalue\tsource' ]
	[ -z "$stderr" ]
	[ "$(shown busy_timeout)" = "5000|built-in" ]
	[ "$(shown roles.admin)" = "[*]|built-in" ]
	[[ "$(shown picklists.industry)" == "[agriculture, "*"|built-in" ]]
	# the database and user in force, even though nothing set them
	[ "$(shown database)" = "$HOME/.local/share/crm/crm.db|default" ]
	[ "$(shown user)" = "$(id -un)|login name" ]
	# and nothing was created by looking
	[ ! -e "$HOME/.local/share/crm" ]
}

@test "XDG_DATA_HOME moves the default database" {
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/data"
	[ "$(shown database)" = "$XDG_DATA_HOME/crm/crm.db|default" ]
	crm account add Acme >/dev/null
	[ -f "$XDG_DATA_HOME/crm/crm.db" ]
}

@test "config show -F json has key, value and source for each setting" {
	write "$SYS" "busy_timeout: 1234"
	run --separate-stderr crm config show -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '.[] | select(.key == "busy_timeout") | .value + "|" + .source')" = "1234|$SYS" ]
	[ "$(echo "$output" | jq -r '.[0] | keys | join(",")')" = "key,source,value" ]
	[ "$(echo "$output" | jq -r '.[] | select(.key == "user") | .source')" = "login name" ]
}

@test "the system file overrides the built-in defaults" {
	write "$SYS" "busy_timeout: 1111" "user: sysuser"
	[ "$(shown busy_timeout)" = "1111|$SYS" ]
	[ "$(shown user)" = "sysuser|$SYS" ]
	# untouched keys stay built-in
	[ "$(shown roles.admin)" = "[*]|built-in" ]
}

@test "~/.config/crm/config.yaml overrides the system file" {
	write "$SYS" "busy_timeout: 1111" "user: sysuser"
	write "$HOMECONF" "busy_timeout: 2222"
	[ "$(shown busy_timeout)" = "2222|$HOMECONF" ]
	[ "$(shown user)" = "sysuser|$SYS" ]
}

@test "\$XDG_CONFIG_HOME/crm/config.yaml overrides the system file, and ~/.config is then not read" {
	write "$SYS" "busy_timeout: 1111" "user: sysuser"
	write "$HOMECONF" "busy_timeout: 2222" "database: /home-conf.db"
	write "$XDGCONF" "busy_timeout: 3333"
	export XDG_CONFIG_HOME="$XDG"
	[ "$(shown busy_timeout)" = "3333|$XDGCONF" ]
	[ "$(shown user)" = "sysuser|$SYS" ]
	[ "$(shown database)" = "$HOME/.local/share/crm/crm.db|default" ]
	# a relative XDG_CONFIG_HOME is invalid (XDG spec): ~/.config is used
	XDG_CONFIG_HOME=relative/dir
	[ "$(shown busy_timeout)" = "2222|$HOMECONF" ]
}

@test "maps merge key by key across files; lists and scalars replace" {
	write "$SYS" "picklists:" "  industry: [mining, fishing]" "  credit_rating: [A, B]"
	write "$HOMECONF" "picklists:" "  industry: [farming]"
	[ "$(shown picklists.credit_rating)" = "[A, B]|$SYS" ]
	[ "$(shown roles.admin)" = "[*]|built-in" ]
	[ "$(shown picklists.industry)" = "[farming]|$HOMECONF" ]
	[ "$(shown picklists.lifecycle_stage | cut -d'|' -f2)" = built-in ]
}

@test "roles: is refused (78) in every file but the system configuration, naming where" {
	# CRM_SYSCONFDIR moves the system file: anyone may set it, so it is not trusted with roles
	write "$SYS" "busy_timeout: 1000" "roles:" "  sales: [account.add]"
	run --separate-stderr crm config show
	expect_status 78
	[ "$stderr" = "crm: $SYS:2:1: roles are defined only in the system configuration (/etc/crm/config.yaml) or in the database ('crm user role'), not in this file: whoever writes it could grant themselves any permission (see crm-config(5))" ]
	rm "$SYS"
	write "$HOMECONF" "picklists:" "  industry: [farming]" "roles: {support: [contact.*]}"
	run --separate-stderr crm config show
	expect_status 78
	[[ "$stderr" == "crm: $HOMECONF:3:1: roles are defined only in the system configuration "* ]]
	rm "$HOMECONF"
	write "$XDGCONF" "roles: {}"
	XDG_CONFIG_HOME=$XDG run --separate-stderr crm config show
	expect_status 78
	[[ "$stderr" == "crm: $XDGCONF:1:1: roles are defined only"* ]]
	[ "$(shown picklists.credit_rating | cut -d'|' -f2)" = built-in ]
}

@test "CRM_CONFIG replaces the search: only built-in defaults and that file" {
	write "$SYS" "busy_timeout: 1111" "user: sysuser"
	write "$HOMECONF" "busy_timeout: 2222" "picklists:" "  industry: [farming]"
	write "$BATS_TEST_TMPDIR/mine.yaml" "busy_timeout: 4444"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/mine.yaml"
	[ "$(shown busy_timeout)" = "4444|$BATS_TEST_TMPDIR/mine.yaml" ]
	[ "$(shown user)" = "$(id -un)|login name" ]
	[ "$(shown picklists.industry | cut -d'|' -f2)" = built-in ]
	[ "$(shown roles.admin)" = "[*]|built-in" ]
	# /dev/null: no settings at all beyond the built-in ones
	CRM_CONFIG=/dev/null
	[ "$(shown busy_timeout)" = "5000|built-in" ]
	# an empty CRM_CONFIG is as if unset: the search again
	CRM_CONFIG=
	[ "$(shown busy_timeout)" = "2222|$HOMECONF" ]
}

@test "--config replaces the search and wins over CRM_CONFIG, wherever it stands" {
	write "$SYS" "busy_timeout: 1111"
	write "$BATS_TEST_TMPDIR/env.yaml" "busy_timeout: 4444" "user: envfile"
	write "$BATS_TEST_TMPDIR/flag.yaml" "busy_timeout: 5555"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/env.yaml"
	[ "$(shown busy_timeout --config "$BATS_TEST_TMPDIR/flag.yaml")" = "5555|$BATS_TEST_TMPDIR/flag.yaml" ]
	[ "$(shown user --config="$BATS_TEST_TMPDIR/flag.yaml")" = "$(id -un)|login name" ]
	run crm --config "$BATS_TEST_TMPDIR/flag.yaml" config show
	expect_status 0
	[[ "$output" == *$'busy_timeout\t5555\t'* ]]
}

@test "CRM_DB overrides database: in the files, and --db overrides CRM_DB" {
	write "$SYS" "database: $BATS_TEST_TMPDIR/sys.db"
	[ "$(shown database)" = "$BATS_TEST_TMPDIR/sys.db|$SYS" ]
	crm account add FromFile >/dev/null
	[ -f "$BATS_TEST_TMPDIR/sys.db" ]
	export CRM_DB="$BATS_TEST_TMPDIR/env.db"
	[ "$(shown database)" = "$CRM_DB|environment CRM_DB" ]
	crm account add FromEnv >/dev/null
	[ "$(shown database --db "$BATS_TEST_TMPDIR/flag.db")" = "$BATS_TEST_TMPDIR/flag.db|option --db" ]
	crm account add FromFlag --db "$BATS_TEST_TMPDIR/flag.db" >/dev/null
	[ "$(crm --db "$BATS_TEST_TMPDIR/sys.db" account list --no-headers --fields name)" = FromFile ]
	[ "$(crm account list --no-headers --fields name)" = FromEnv ]
	[ "$(crm account list --no-headers --fields name --db "$BATS_TEST_TMPDIR/flag.db")" = FromFlag ]
	# an empty CRM_DB is as if unset
	CRM_DB= run crm account list --no-headers --fields name
	[ "$output" = FromFile ]
}

@test "CRM_USER overrides user: in the files, and --as overrides CRM_USER" {
	export CRM_DB="$BATS_TEST_TMPDIR/crm.db"
	write "$SYS" "user: fileuser"
	[ "$(shown user)" = "fileuser|$SYS" ]
	# the user in force creates the database, so becomes its first admin (with the system login)
	crm init -q
	run crm user list --no-headers --fields login,roles
	[ "$output" = "$(printf 'fileuser\tadmin\n%s\tadmin\n' "$(id -un)" | sort)" ]
	export CRM_USER=envuser
	[ "$(shown user)" = "envuser|environment CRM_USER" ]
	[ "$(shown user --as flaguser)" = "flaguser|option --as" ]
	run --separate-stderr crm account add Acme
	expect_status 5
	[[ "$stderr" == *"'envuser' is not a crm user"* ]]
	run --separate-stderr crm account add Acme --as flaguser
	expect_status 5
	[[ "$stderr" == *"'flaguser' is not a crm user"* ]]
	run crm account add Acme --as fileuser
	expect_status 0
	CRM_USER= run crm account add Globex
	expect_status 0
	run crm history account Globex
	[[ "$output" == *fileuser* ]]
}

@test "a pick-list defined in the configuration changes what account add accepts" {
	export CRM_DB="$BATS_TEST_TMPDIR/crm.db" CRM_USER=tester
	run crm account add Acme --industry it
	expect_status 0
	write "$HOMECONF" "picklists:" "  industry: [widgets, Gadgets]"
	run --separate-stderr crm account add Globex --industry it
	expect_status 6
	[ "$stderr" = "crm: invalid industry 'it' for account (one of: widgets, Gadgets)" ]
	run crm account add Globex --industry widgets
	expect_status 0
	# the list's spelling is kept
	run crm account add Initech --industry gadgets
	expect_status 0
	run crm account list --no-headers --fields name,industry
	[ "$output" = $'Acme\tit\nGlobex\twidgets\nInitech\tGadgets' ]
	# an empty list means free text
	write "$HOMECONF" "picklists:" "  industry: []"
	run crm account add Umbrella --industry "anything at all"
	expect_status 0
}

@test "invalid YAML exits 78 naming path:line:column, in any file of the search" {
	write "$SYS" "busy_timeout: 1000" "roles: [admin"
	run --separate-stderr crm account list
	expect_status 78
	[ -z "$output" ]
	re="^crm: $SYS:[0-9]+:[0-9]+: "
	[[ "$stderr" =~ $re ]]
	write "$SYS" "busy_timeout: 1000"
	write "$HOMECONF" "a: 1" "  b: 2"
	run --separate-stderr crm config show
	expect_status 78
	[ "$stderr" = "crm: $HOMECONF:2:4: mapping values are not allowed in this context" ]
	[ -z "$output" ]
	# the database is not created while the configuration is broken
	[ ! -e "$HOME/.local/share/crm/crm.db" ]
}

@test "configuration errors: not a mapping, duplicate key, two documents, bad characters" {
	f="$BATS_TEST_TMPDIR/c.yaml"
	write "$f" "- a" "- b"
	run --separate-stderr crm --config "$f" account list
	expect_status 78
	[ "$stderr" = "crm: $f:1:1: the configuration must be a mapping" ]
	write "$f" "user: a" "busy_timeout: 10" "user: b"
	run --separate-stderr crm --config "$f" account list
	expect_status 78
	[ "$stderr" = "crm: $f:3:1: duplicate key 'user'" ]
	write "$f" "user: a" "---" "user: b"
	run --separate-stderr crm --config "$f" account list
	expect_status 78
	[ "$stderr" = "crm: $f:2:1: only one YAML document is allowed" ]
	printf 'user: a\n\tbusy_timeout: 1\n' > "$f"
	run --separate-stderr crm --config "$f" account list
	expect_status 78
	re="^crm: $f:2:[0-9]+: "
	[[ "$stderr" =~ $re ]]
	write "$f" "roles: {admin: [a}"
	run --separate-stderr crm --config "$f" account list
	expect_status 78
	[[ "$stderr" == "crm: $f:1:"* ]]
}

@test "busy_timeout that is not a number of milliseconds exits 78 with path:line:column" {
	f="$BATS_TEST_TMPDIR/c.yaml"
	for bad in soon 5s -1 '""' 1.5; do
		write "$f" "# timeouts" "busy_timeout: $bad"
		run --separate-stderr crm --config "$f" account list
		expect_status 78
		[[ "$stderr" == "crm: $f:2:15: busy_timeout must be a number of milliseconds, not '"* ]]
	done
	write "$f" "busy_timeout: [1, 2]"
	run --separate-stderr crm --config "$f" account list
	expect_status 78
	[ "$stderr" = "crm: $f:1:15: busy_timeout must be a number of milliseconds, not a list or map" ]
	[ ! -e "$HOME/.local/share/crm/crm.db" ]
	crm init -q
	write "$f" "busy_timeout: 0"
	run crm --config "$f" account list
	expect_status 0
}

@test "a missing --config or CRM_CONFIG file exits 78; missing search files are fine" {
	run --separate-stderr crm --config "$BATS_TEST_TMPDIR/nope.yaml" account list
	expect_status 78
	[ "$stderr" = "crm: cannot read config '$BATS_TEST_TMPDIR/nope.yaml': No such file or directory" ]
	CRM_CONFIG="$BATS_TEST_TMPDIR/nope.yaml" run --separate-stderr crm config show
	expect_status 78
	[[ "$stderr" == *"nope.yaml"* ]]
	mkdir "$BATS_TEST_TMPDIR/adir"
	run --separate-stderr crm --config "$BATS_TEST_TMPDIR/adir" account list
	expect_status 78
	[[ "$stderr" == "crm: cannot read config '$BATS_TEST_TMPDIR/adir': "* ]]
	# no file anywhere: the built-in defaults
	rm -rf "$CRM_SYSCONFDIR" "$HOME/.config"
	crm init -q
	run crm account list
	expect_status 0
}

@test "an empty file, '---' alone or comments only are no settings" {
	f="$BATS_TEST_TMPDIR/c.yaml"
	for text in "" "---" "# nothing here" "~"; do
		printf '%s\n' "$text" > "$f"
		run crm --config "$f" config show
		expect_status 0
		[[ "$output" == *$'busy_timeout\t5000\tbuilt-in'* ]]
	done
}

@test "a user holding a role the configuration does not define exits 78" {
	export CRM_DB="$BATS_TEST_TMPDIR/crm.db" CRM_USER=tester
	crm user role add sales "account.*" -q
	crm user add sam --roles sales >/dev/null
	run crm account add Acme --as sam
	expect_status 0
	# the role disappears (behind crm's back: crm user role rm refuses while sam holds it)
	db_sql "DELETE FROM roles WHERE name = 'sales'"
	run --separate-stderr crm account add Globex --as sam
	expect_status 78
	[ "$stderr" = "crm: role 'sales' of user 'sam' is not defined in the configuration (roles:)" ]
	# reading needs no role
	run crm account list --as sam --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
}

@test "a misspelt setting is a configuration error naming file, line and column" {
	printf 'picklists:\n  industry: [it]\nbusy_timout: 200\n' > "$BATS_TEST_TMPDIR/typo.yaml"
	run crm --config "$BATS_TEST_TMPDIR/typo.yaml" account list
	expect_status 78
	[[ "$output" == *"typo.yaml:3:"*"unknown setting 'busy_timout'"* ]]
	db_absent
}

@test "configuration: deep nesting is refused early, unknown nested keys too" {
	# 100,000 levels: refused at the 65th, at once rather than after seconds
	py -c 'import sys; sys.stdout.write("a: " + "[" * 100000 + "]" * 100000 + "\n")' > "$BATS_TEST_TMPDIR/deep.yaml"
	SECONDS=0
	run -78 crm --config "$BATS_TEST_TMPDIR/deep.yaml" account list
	[ "$SECONDS" -le 2 ]
	[ "$output" = "crm: $BATS_TEST_TMPDIR/deep.yaml:1:67: nesting is too deep (at most 64 levels)" ]
	printf 'notify:\n  bogus: 1\n' > "$BATS_TEST_TMPDIR/nested.yaml"
	run -78 crm --config "$BATS_TEST_TMPDIR/nested.yaml" account list
	[[ "$output" == *"nested.yaml:2:3: "*"'notify.bogus'"* ]]
}

@test "a workflow or custom fields under a kind spelt otherwise (Ticket, tickets) is 78 with the kind's name" {
	printf 'workflow:\n  Ticket:\n    initial: new\n' > "$BATS_TEST_TMPDIR/w.yaml"
	CRM_CONFIG="$BATS_TEST_TMPDIR/w.yaml" run --separate-stderr crm config show
	expect_status 78
	[[ "$stderr" == *"w.yaml:2:3: unknown setting 'workflow.Ticket': there is no kind of record 'Ticket' with a status; did you mean 'ticket'?"* ]]
	printf 'custom_fields:\n  contacts:\n    - {name: shoe, type: text}\n' > "$BATS_TEST_TMPDIR/c.yaml"
	CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" run --separate-stderr crm config show
	expect_status 78
	[[ "$stderr" == *"did you mean 'contact'?"* ]]
}
