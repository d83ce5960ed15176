#!/usr/bin/env bats
# crm config get/set (issue 16) and XDG_CONFIG_DIRS in the configuration search.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	unset CRM_CONFIG
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/xdg-home"
	USER_FILE="$XDG_CONFIG_HOME/crm/config.yaml"
}

@test "config get prints one value: a setting, a default, a list item a line, a map's leaves" {
	run --separate-stderr crm config get busy_timeout
	expect_status 0
	[[ "$output" =~ ^[0-9]+$ ]]
	run -0 crm config get database
	[ "$output" = "$CRM_DB" ]
	mkdir -p "$XDG_CONFIG_HOME/crm"
	printf 'picklists:\n  industry: [Energy, Retail]\n' >"$USER_FILE"
	run -0 crm config get picklists.industry
	[ "$output" = "$(printf 'Energy\nRetail')" ]
	run -0 crm config get picklists
	[[ "$output" == *"industry"$'\t'"[Energy, Retail]"* ]]
}

@test "config get: a key not set is exit 3; a misspelt one exit 2 with a did-you-mean" {
	run --separate-stderr crm config get import_profiles.hubspot
	expect_status 3
	[ "$stderr" = "crm: configuration key 'import_profiles.hubspot' is not set" ]
	run --separate-stderr crm config get busy_timout
	expect_status 2
	[ "$stderr" = "crm: unknown setting 'busy_timout'; did you mean 'busy_timeout'? (see crm-config(5))" ]
	# the hint is the whole key, the misspelt word mended wherever it is
	run --separate-stderr crm config get notify.comand
	expect_status 2
	[ "$stderr" = "crm: unknown setting 'notify.comand'; did you mean 'notify.command'? (see crm-config(5))" ]
	run --separate-stderr crm config get notfy.command
	expect_status 2
	[ "$stderr" = "crm: unknown setting 'notfy.command'; did you mean 'notify.command'? (see crm-config(5))" ]
	run --separate-stderr crm config set workflow.tiket.initial new
	expect_status 2
	[ "$stderr" = "crm: unknown setting 'workflow.tiket.initial': there is no kind of record 'tiket' with a status; did you mean 'workflow.ticket.initial'? (see crm-config(5))" ]
	run --separate-stderr crm config get flows.ticket
	expect_status 2
	[[ "$stderr" == "crm: 'flows' is gone: status flows are workflows now."* ]]
	[ ! -e "$USER_FILE" ]
	run --separate-stderr crm config get
	expect_status 2
}

@test "config set writes the user's file through libyaml; the value is in force at once" {
	run --separate-stderr crm config set busy_timeout 1234
	expect_status 0
	[ -z "$stderr" ]
	[ "$(cat "$USER_FILE")" = "busy_timeout: 1234" ]
	[ "$(stat -c %a "$USER_FILE")" = 600 ]
	[ "$(stat -c %a "$XDG_CONFIG_HOME/crm")" = 700 ]
	run -0 crm config get busy_timeout
	[ "$output" = 1234 ]
	# nested keys make their maps; an existing key is replaced, others kept in order
	run -0 crm config set notify.command 'mail -s "crm" ops@example.com'
	run -0 crm config set busy_timeout 99
	run -0 py -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1])))' "$USER_FILE"
	[ "$output" = "{'busy_timeout': 99, 'notify': {'command': 'mail -s \"crm\" ops@example.com'}}" ]
	run -0 crm config show
	[[ "$output" == *"notify.command"$'\t''mail -s "crm" ops@example.com'$'\t'"$USER_FILE"* ]]
}

@test "config set writes the file --config names" {
	printf 'busy_timeout: 5\n' >"$BATS_TEST_TMPDIR/c.yaml"
	run -0 crm --config "$BATS_TEST_TMPDIR/c.yaml" config set user ann
	[ "$(cat "$BATS_TEST_TMPDIR/c.yaml")" = "$(printf 'busy_timeout: 5\nuser: ann')" ]
	[ ! -e "$USER_FILE" ]
	run --separate-stderr crm --config /dev/null config set user ann
	expect_status 1
	[ "$stderr" = "crm: cannot set a key in '/dev/null': not a regular file" ]
}

@test "config set refuses a file with comments unless --force, saying why" {
	mkdir -p "$XDG_CONFIG_HOME/crm"
	printf '# my settings\nbusy_timeout: 5  # ms\n' >"$USER_FILE"
	run --separate-stderr crm config set user ann
	expect_status 1
	[ "$stderr" = "crm: '$USER_FILE' has comments, and crm writes YAML with libyaml, which cannot keep them: edit the file by hand, or give --force to rewrite it without them" ]
	[ "$(head -1 "$USER_FILE")" = "# my settings" ]
	run --separate-stderr crm config set user ann --force
	expect_status 0
	[ "$stderr" = "rewrote '$USER_FILE' without its comments (--force)" ]
	[ "$(cat "$USER_FILE")" = "$(printf 'busy_timeout: 5\nuser: ann')" ]
	# a '#' inside a value is no comment
	run -0 crm config set notify.command 'echo #1'
	run -0 crm config set user bob
	# nor in a block scalar or a quoted one, where libyaml's scanner puts it
	printf 'notify:\n  command: |\n    printf "#1" # sent\n    cat\nuser: "x # y"\n' >"$USER_FILE"
	run -0 crm config set busy_timeout 9
	run -0 crm config get notify.command
	[ "$output" = $'printf "#1" # sent\ncat' ]
	run -0 crm config get user
	[ "$output" = 'x # y' ]
	# but one on a block scalar's first line is
	printf 'notify:\n  command: |  # the mailer\n    cat\n' >"$USER_FILE"
	run -1 crm config set busy_timeout 9
	[[ "$output" == *"has comments"* ]]
}

@test "config set: unknown keys, bad keys, roles in a user's file and a non-map are refused; the file is left as it was" {
	run --separate-stderr crm config set busy_timout 5
	expect_status 2
	[ "$stderr" = "crm: unknown setting 'busy_timout'; did you mean 'busy_timeout'? (see crm-config(5))" ]
	[ ! -e "$USER_FILE" ]
	run --separate-stderr crm config set 'a..b' 5
	expect_status 2
	[ "$stderr" = "crm: 'a..b' is not a key: names joined by dots (tickets.default_priority)" ]
	run --separate-stderr crm config set roles.boss 'ticket.*'
	expect_status 78
	[[ "$stderr" == *"roles are defined only in the system configuration"* ]]
	[[ "$stderr" == *"crm: '$USER_FILE' left as it was" ]]
	[ ! -e "$USER_FILE" ]
	run -0 crm config set busy_timeout 7
	run --separate-stderr crm config set busy_timeout.x 5
	expect_status 2
	[ "$stderr" = "crm: unknown setting 'busy_timeout.x': 'busy_timeout' holds a value, not settings of its own (see crm-config(5))" ]
	[ "$(cat "$USER_FILE")" = "busy_timeout: 7" ]
	run --separate-stderr crm config set user
	expect_status 2
}

@test "XDG_CONFIG_DIRS: its crm/config.yaml files are read, the first directory winning, under the user's" {
	mkdir -p "$BATS_TEST_TMPDIR/a/crm" "$BATS_TEST_TMPDIR/b/crm"
	printf 'busy_timeout: 111\nuser: from-a\n' >"$BATS_TEST_TMPDIR/a/crm/config.yaml"
	printf 'busy_timeout: 222\nnotify:\n  command: from-b\n' >"$BATS_TEST_TMPDIR/b/crm/config.yaml"
	export XDG_CONFIG_DIRS="$BATS_TEST_TMPDIR/a:relative/ignored:$BATS_TEST_TMPDIR/b"
	run -0 crm config get busy_timeout
	[ "$output" = 111 ]
	run -0 crm config get notify.command
	[ "$output" = from-b ]
	run -0 crm config show
	[[ "$output" == *"busy_timeout"$'\t'"111"$'\t'"$BATS_TEST_TMPDIR/a/crm/config.yaml"* ]]
	# the user's file is above them
	run -0 crm config set busy_timeout 333
	run -0 crm config get busy_timeout
	[ "$output" = 333 ]
	# --config replaces the search: they are not read
	run -0 crm --config /dev/null config get busy_timeout
	[ "$output" != 111 ]
}

@test "XDG_CONFIG_DIRS is not trusted with roles: they are refused there, as in a user's file" {
	mkdir -p "$BATS_TEST_TMPDIR/a/crm"
	printf 'roles:\n  boss: ["*"]\n' >"$BATS_TEST_TMPDIR/a/crm/config.yaml"
	export XDG_CONFIG_DIRS="$BATS_TEST_TMPDIR/a"
	run --separate-stderr crm config show
	expect_status 78
	[[ "$stderr" == "crm: $BATS_TEST_TMPDIR/a/crm/config.yaml:1:1: roles are defined only in the system configuration"* ]]
}

@test "config set refuses a value every command would refuse, and leaves the file as it was (78)" {
	mkdir -p "$XDG_CONFIG_HOME/crm"
	printf 'busy_timeout: 4000\n' >"$USER_FILE"
	run --separate-stderr crm config set busy_timeout abc
	expect_status 78
	[[ "$stderr" == *"busy_timeout must be a number of milliseconds, not 'abc'"* ]]
	[ "$(cat "$USER_FILE")" = "busy_timeout: 4000" ]
	run --separate-stderr crm config set picklists.industry '[a, b]'
	expect_status 78
	[[ "$stderr" == *"picklists.industry must be a list of values"* ]]
	run --separate-stderr crm config set currency 'euro'
	expect_status 78
	[ "$(cat "$USER_FILE")" = "busy_timeout: 4000" ]
	# put back whole, with its mode, by a rename: no copy is left beside it
	chmod 0640 "$USER_FILE"
	run --separate-stderr crm config set busy_timeout -5
	expect_status 78
	[ "$(stat -c %a "$USER_FILE")" = 640 ]
	[ "$(ls -A "$XDG_CONFIG_HOME/crm")" = config.yaml ]
	run -0 crm config set busy_timeout 6000
	run -0 crm config get busy_timeout
	[ "$output" = 6000 ]
}

@test "config set: a value that is not UTF-8, or a key below a setting that holds a value, is refused; a link stays a link" {
	mkdir -p "$XDG_CONFIG_HOME/crm"
	run --separate-stderr crm config set user $'caf\xe9'
	expect_status 6
	[ "$stderr" = "crm: the value is not valid UTF-8 (byte 4 is 0xe9); convert it first, e.g. with iconv -f cp1252 -t utf-8" ]
	[ ! -e "$USER_FILE" ]
	run --separate-stderr crm config set user.foo x
	expect_status 2
	[ "$stderr" = "crm: unknown setting 'user.foo': 'user' holds a value, not settings of its own (see crm-config(5))" ]
	run --separate-stderr crm config set picklists.industry.x y
	expect_status 2
	[ ! -e "$USER_FILE" ]
	# the user's names below picklists and import profiles are theirs to choose
	run -0 crm config set import_profiles.hub.Email email
	run -0 crm config get import_profiles.hub.Email
	[ "$output" = email ]
	# a configuration kept in a dotfiles repository and linked: the target is written, the link kept
	mkdir -p "$BATS_TEST_TMPDIR/dotfiles"
	printf 'busy_timeout: 5\n' >"$BATS_TEST_TMPDIR/dotfiles/config.yaml"
	ln -sf "$BATS_TEST_TMPDIR/dotfiles/config.yaml" "$USER_FILE"
	run -0 crm config set busy_timeout 7
	[ -L "$USER_FILE" ]
	[ "$(cat "$BATS_TEST_TMPDIR/dotfiles/config.yaml")" = "busy_timeout: 7" ]
	# and a refused value is put back there, the link still a link
	run crm config set busy_timeout abc
	expect_status 78
	[ -L "$USER_FILE" ]
	[ "$(cat "$BATS_TEST_TMPDIR/dotfiles/config.yaml")" = "busy_timeout: 7" ]
	[ "$(ls -A "$BATS_TEST_TMPDIR/dotfiles")" = config.yaml ]
}
