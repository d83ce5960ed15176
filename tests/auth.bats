#!/usr/bin/env bats
# Who may change what: the first admin, users and their roles, roles from the built-in and
# system configuration and the database (never a user's file), and who may act as whom.
# Reading is open to whoever can open the file; every write checks "<noun>.<verb>".
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=admin1
}

# Everything as "name" lines, to prove a refused write changed nothing.
snapshot() {
	crm account list --no-headers --fields name
	crm contact list --no-headers --fields last_name
	crm user list --no-headers --fields login,roles
	db_sql 'SELECT count(*) FROM history'
}

@test "the login that creates the database is its first admin" {
	unset CRM_USER
	crm init -q
	run crm user list --no-headers --fields login,roles
	expect_status 0
	[ "$output" = "$(id -un)"$'\tadmin' ]
	run crm account add Acme
	expect_status 0
}

@test "the --as or CRM_USER in force at creation is the first admin, with the system login" {
	me=$(id -un)
	crm --as alice init -q
	run crm --as alice user list --no-headers --fields id,login,roles
	expect_status 0
	[ "$output" = "$(printf '1\talice\tadmin\n2\t%s\tadmin' "$me")" ]
	# the next user is nobody in particular
	run --separate-stderr crm account add Acme
	expect_status 5
	[[ "$stderr" == *"'admin1' is not a crm user"* ]]
	# the system login, as itself, is an admin
	CRM_USER= run crm account add Acme
	expect_status 0
	[ "$(crm history account Acme -F json | jq -r '.[].user' | sort -u)" = "$me" ]
}

@test "someone who is not a user may read but not write; the message names them" {
	crm account add Acme >/dev/null
	before=$(snapshot)
	run --separate-stderr crm --as bob account add Globex
	expect_status 5
	[ -z "$output" ]
	[ "$stderr" = "crm: permission denied: 'bob' is not a crm user, so may not account.add; an admin can add them with 'crm user add bob --roles agent'" ]
	CRM_USER=bob run --separate-stderr crm account edit Acme --country DE
	expect_status 5
	[[ "$stderr" == *"'bob'"* ]]
	run --separate-stderr crm account rm Acme --as bob
	expect_status 5
	run --separate-stderr crm user add bob --roles admin --as bob
	expect_status 5
	[ "$(snapshot)" = "$before" ]
	# reads work
	CRM_USER=bob run crm account list --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
	run crm account show Acme --as bob
	expect_status 0
	run crm history account Acme --as bob
	expect_status 0
	run crm user list --as bob
	expect_status 0
	run crm config show --as bob
	expect_status 0
}

@test "a viewer may read and nothing else" {
	crm account add Acme >/dev/null
	run crm user add bob --roles viewer
	expect_status 0
	before=$(snapshot)
	for cmd in "account add Globex" "account edit Acme --country DE" "account rm Acme" "contact add Ann Smith" \
		"location add HQ --account Acme" "user add carol" "user edit bob --roles admin"; do
		run --separate-stderr crm --as bob $cmd
		expect_status 5
		[[ "$stderr" == "crm: permission denied: user 'bob' (roles: viewer) may not "* ]]
	done
	run --separate-stderr crm --as bob account add Globex
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: viewer) may not account.add" ]
	[ "$(snapshot)" = "$before" ]
	run crm --as bob account list --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
}

@test "an agent may add contacts and accounts, but not users, nor remove accounts" {
	crm account add Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	run crm --as bob contact add Ann Smith --account Acme
	expect_status 0
	ann=$output
	run crm --as bob contact edit "$ann" --title CEO
	expect_status 0
	run crm --as bob account add Globex
	expect_status 0
	run crm --as bob account edit Globex --country US
	expect_status 0
	run --separate-stderr crm --as bob user add carol
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: agent) may not user.add" ]
	run --separate-stderr crm --as bob account rm Globex
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: agent) may not account.rm" ]
	# nor make themselves admin
	run --separate-stderr crm --as bob user edit bob --roles admin
	expect_status 5
	[ "$(crm user show bob -F json | jq -r ".roles | join(\",\")")" = agent ]
	[ "$(crm account list --no-headers --fields name)" = $'Acme\nGlobex' ]
	# history records who did it
	run crm history account Globex
	[[ "$output" == *$'\tbob\t'* ]]
}

@test "an admin may do anything; roles are checked per write" {
	crm user add bob --roles agent >/dev/null
	crm account add Acme >/dev/null
	run crm user edit bob --roles manager
	expect_status 0
	run crm --as bob account rm Acme
	expect_status 0
	run --separate-stderr crm --as bob user add carol
	expect_status 5
	run crm user rm bob
	expect_status 0
	run --separate-stderr crm --as bob account add Again
	expect_status 5
	[[ "$stderr" == *"'bob' is not a crm user"* ]]
}

@test "roles defined in the database work: crm user role" {
	crm user role add accounts_only "account.*" -q
	crm user role add boss "*" -q
	# a role must be defined to be given
	run crm user add bob --roles accounts_only
	expect_status 0
	run crm user add dora --roles boss
	expect_status 0
	run crm user role list --no-headers
	expect_status 0
	[[ "$output" == *$'\naccounts_only\taccount.*\tdatabase\nboss\t*\tdatabase' ]]
	run crm --as bob account add Acme
	expect_status 0
	run crm --as bob account edit Acme --country DE
	expect_status 0
	run crm --as bob account rm Acme
	expect_status 0
	run --separate-stderr crm --as bob contact add Ann Smith
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: accounts_only) may not contact.add" ]
	run --separate-stderr crm --as bob location add HQ --account 1
	expect_status 5
	run crm --as dora user add erin --roles viewer
	expect_status 0
	# built-in roles are still there beside the new ones
	run crm --as erin account list
	expect_status 0
	# several roles: any one granting is enough
	run crm user edit erin --roles viewer,accounts_only
	expect_status 0
	run crm --as erin account add Globex
	expect_status 0
	# redefined, the role grants what it says now
	run crm user role edit accounts_only account.add contact.add
	expect_status 0
	run crm --as bob contact add Ann Smith
	expect_status 0
	run --separate-stderr crm --as bob account edit Globex --country FR
	expect_status 5
	# every change of a role is in the history
	[ "$(db_sql "SELECT action FROM history WHERE kind = 'role' AND record_id = 1 ORDER BY id" | tr '\n' ' ')" = "add edit " ]
	[ "$(db_sql "SELECT changes FROM history WHERE kind = 'role' AND record_id = 1 ORDER BY id" | jq -c .grants | tr '\n' ' ')" = '[null,"account.*"] ["account.*","account.add,contact.add"] ' ]
}

@test "no self-promotion: user.* and *.add reach no user permission; only roles one's own grants cover can be given" {
	crm account add Acme >/dev/null
	crm user role add helper "user.*" "*.add" "*.edit" "account.*" -q
	crm user role add hr user.add user.edit -q
	crm user add bob --roles helper >/dev/null
	crm user add carol --roles hr >/dev/null
	crm user add dan --roles viewer >/dev/null
	before=$(snapshot)
	# patterns other than a bare "*" do not reach user.add, user.edit, user.role or user.as
	run --separate-stderr crm --as bob user edit bob --roles admin
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: helper) may not user.edit" ]
	run -5 crm --as bob user add eve --roles admin
	run -5 crm --as bob user role add mine "*"
	run -5 crm --as bob user role edit helper "*"
	# but *.add still grants account.add, and user.* patterns the rest
	run crm --as bob account edit Acme --country DE
	expect_status 0
	before=$(snapshot)
	# granted user.edit by name, carol still gives only what her own roles grant
	run --separate-stderr crm --as carol user edit carol --roles admin
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'carol' (roles: hr) may not give role 'admin', which grants *: only what one's own roles grant can be given" ]
	run -5 crm --as carol user edit dan --roles agent
	run -5 crm --as carol user add eve --roles hr,agent
	[ "$(snapshot)" = "$before" ]
	run crm --as carol user add eve --roles viewer
	expect_status 0
	run crm --as carol user edit dan --roles hr
	expect_status 0
	# an admin gives anything
	run crm user edit bob --roles admin
	expect_status 0
}

@test "user.edit does not reach those who hold more: no demoting admins, no renaming others" {
	crm user role add hr user.edit "account.*" -q
	crm user add boss --roles admin >/dev/null
	crm user add carol --roles hr >/dev/null
	crm user add dan --roles viewer >/dev/null
	before=$(snapshot)
	run --separate-stderr crm --as carol user edit boss --login nobody2
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'carol' may not change the login of user 'boss': only an admin may rename another user" ]
	run --separate-stderr crm --as carol user edit boss --roles viewer
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'carol' (roles: hr) may not change user 'boss', who holds role 'admin', which grants *: only an admin, or one who holds all that, may change them" ]
	run -5 crm --as carol user edit boss --name Mallory
	run -5 crm --as carol user edit dan --login dan2
	[ "$(snapshot)" = "$before" ]
	# those whose roles she holds, and herself, she may still change
	run crm --as carol user edit dan --name "Dan D"
	expect_status 0
	run crm --as carol user edit carol --login carol2
	expect_status 0
	# an admin renames anyone
	run crm user edit dan --login dan2
	expect_status 0
}

@test "a role is changed only by one who holds all it grants, before and after; '*' the only wildcard" {
	crm user role add roler user.role "account.*" "*.add" -q
	crm user role add wide "*" -q
	crm user add rita --roles roler >/dev/null
	before=$(snapshot; crm user role list --no-headers)
	run --separate-stderr crm --as rita user role edit roler "*"
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'rita' (roles: roler) may not define role 'roler', which grants *: only what one's own roles grant can be given" ]
	run -5 crm --as rita user role add mine contact.edit
	run --separate-stderr crm --as rita user role edit wide account.add
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'rita' (roles: roler) may not change role 'wide', which grants *: only one who holds all it grants may change it" ]
	# patterns are compared by what they grant: no wildcard but a trailing '*'
	for p in '?*' 'user.ed?t' '[u]ser.edit' 'user\.edit'; do
		run --separate-stderr crm user role add odd "$p"
		expect_status 6
		[[ "$stderr" == *"'*' is the only wildcard)" ]]
	done
	[ "$(snapshot; crm user role list --no-headers)" = "$before" ]
	run crm --as rita user role add acc account.add "account.*" "*.add" "account.a*"
	expect_status 0
	run -5 crm --as rita user role add acc2 "*.edit"
}

@test "user role: only a role of the database changes; bad names, in use, not found" {
	crm user add bob --roles agent >/dev/null
	run --separate-stderr crm user role add agent "*"
	expect_status 4
	[ "$stderr" = "crm: role 'agent' is defined by the built-in configuration, not in the database; change it there" ]
	run --separate-stderr crm user role edit admin contact.add
	expect_status 4
	run --separate-stderr crm user role rm viewer
	expect_status 4
	run --separate-stderr crm user role edit nosuch contact.add
	expect_status 3
	run --separate-stderr crm user role rm nosuch
	expect_status 3
	run --separate-stderr crm user role add "a.b" contact.add
	expect_status 6
	run --separate-stderr crm user role add 42
	expect_status 6
	run --separate-stderr crm user role add sales "account.add,contact.add"
	expect_status 6
	run --separate-stderr crm user role add
	expect_status 2
	crm user role add sales account.add -q
	run --separate-stderr crm user role add sales contact.add
	expect_status 4
	crm user edit bob --roles agent,sales >/dev/null
	run --separate-stderr crm user role rm sales
	expect_status 4
	[ "$stderr" = "crm: role 'sales' is held by bob; take it from them first (crm user edit <login> --roles ...)" ]
	crm user edit bob --roles agent >/dev/null
	run crm user role rm sales
	expect_status 0
	[ "$(crm user role list --no-headers | cut -f1 | tr '\n' ' ')" = "admin manager agent viewer " ]
	# only an admin (user.role) defines roles: an agent cannot make one that grants everything
	run --separate-stderr crm --as bob user role add mine "*"
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: agent) may not user.role" ]
	run crm --as bob user role list
	expect_status 0
	[ "$(db_sql "SELECT count(*) FROM roles")" = 0 ]
}

@test "a user's configuration defining roles is refused (78) and grants nothing" {
	crm account add Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	before=$(snapshot)
	mine="$BATS_TEST_TMPDIR/mine.yaml"
	printf '%s\n' '# my settings' 'busy_timeout: 1000' 'roles:' '  agent: ["*"]' > "$mine"
	for how in "--config $mine" ; do
		run --separate-stderr crm $how --as bob account rm Acme
		expect_status 78
		[ "$stderr" = "crm: $mine:3:1: roles are defined only in the system configuration (/etc/crm/config.yaml) or in the database ('crm user role'), not in this file: whoever writes it could grant themselves any permission (see crm-config(5))" ]
	done
	CRM_CONFIG="$mine" run --separate-stderr crm --as bob user edit bob --roles admin
	expect_status 78
	# the user's own file, where bob would put it
	mkdir -p "$HOME/.config/crm"
	cp "$mine" "$HOME/.config/crm/config.yaml"
	unset CRM_CONFIG
	run --separate-stderr crm --as bob account rm Acme
	expect_status 78
	[[ "$stderr" == "crm: $HOME/.config/crm/config.yaml:3:1: roles are defined only in the system configuration"* ]]
	# the system file moved by CRM_SYSCONFDIR, which anyone may set
	rm "$HOME/.config/crm/config.yaml"
	mkdir -p "$CRM_SYSCONFDIR/crm"
	cp "$mine" "$CRM_SYSCONFDIR/crm/config.yaml"
	run --separate-stderr crm --as bob account rm Acme
	expect_status 78
	[[ "$stderr" == "crm: $CRM_SYSCONFDIR/crm/config.yaml:3:1: roles are defined only"* ]]
	rm "$CRM_SYSCONFDIR/crm/config.yaml"
	export CRM_CONFIG=/dev/null
	[ "$(snapshot)" = "$before" ]
	# without it, bob is the agent he was
	run --separate-stderr crm --as bob account rm Acme
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: agent) may not account.rm" ]
}

@test "a workflow's roles and permissions come only from trusted files: an agent cannot lift them (78)" {
	crm account add Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	crm ticket open T --account Acme >/dev/null
	crm ticket resolve 1 done >/dev/null
	wf="$BATS_TEST_TMPDIR/wf.yaml"
	# close is for manager and admin: a file that redefines the transitions without roles
	printf '%s\n' 'workflow:' '  ticket:' '    transitions:' '      - {name: close, from: [resolved], to: closed}' > "$wf"
	CRM_CONFIG="$wf" run --separate-stderr crm --as bob ticket close 1
	expect_status 78
	[ "$stderr" = "crm: $wf:2:3: workflow.ticket guards its transitions with roles or permissions, so it is changed only in the system configuration (/etc/crm/config.yaml), not in this file: whoever writes it could lift them (see crm-config(5))" ]
	# nor its start: a ticket opened closed
	printf '%s\n' 'workflow:' '  ticket: {initial: closed}' > "$wf"
	CRM_CONFIG="$wf" run -78 crm --as bob ticket open U --account Acme
	printf '%s\n' 'busy_timeout: 100' 'workflow: ~' > "$wf"
	CRM_CONFIG="$wf" run --separate-stderr crm --as bob ticket close 1
	expect_status 78
	[[ "$stderr" == "crm: $wf:2:1: workflow.ticket guards its transitions"* ]]
	# contract sign needs contract.sign: the same
	printf '%s\n' 'workflow:' '  contract:' '    initial: signed' > "$wf"
	CRM_CONFIG="$wf" run -78 crm --as bob contract list
	# roles or a permission on a transition of an unguarded workflow: set only where trusted
	printf '%s\n' 'workflow:' '  project:' '    transitions:' '      - {from: "*", to: won, roles: [agent]}' > "$wf"
	CRM_CONFIG="$wf" run --separate-stderr crm project list
	expect_status 78
	[ "$stderr" = "crm: $wf:4:30: workflow.project: a transition's roles is set only in the system configuration (/etc/crm/config.yaml), not in this file: whoever writes it decides who may take it (see crm-config(5))" ]
	printf '%s\n' 'workflow:' '  project:' '    transitions:' '      - {from: "*", to: won, permission: project.win}' > "$wf"
	CRM_CONFIG="$wf" run --separate-stderr crm project list
	expect_status 78
	[[ "$stderr" == "crm: $wf:4:30: workflow.project: a transition's permission is set only"* ]]
	# an unguarded workflow may still be reshaped by anyone's file
	printf '%s\n' 'workflow:' '  project:' '    initial: qualified' > "$wf"
	CRM_CONFIG="$wf" run crm project list
	expect_status 0
	# the user's own file and one found through CRM_SYSCONFDIR alike
	printf '%s\n' 'workflow:' '  ticket:' '    transitions:' '      - {name: close, from: [resolved], to: closed}' > "$wf"
	unset CRM_CONFIG
	mkdir -p "$HOME/.config/crm" "$CRM_SYSCONFDIR/crm"
	cp "$wf" "$HOME/.config/crm/config.yaml"
	run --separate-stderr crm --as bob ticket close 1
	expect_status 78
	[[ "$stderr" == "crm: $HOME/.config/crm/config.yaml:2:3: workflow.ticket guards"* ]]
	mv "$HOME/.config/crm/config.yaml" "$CRM_SYSCONFDIR/crm/config.yaml"
	run --separate-stderr crm --as bob ticket close 1
	expect_status 78
	[[ "$stderr" == "crm: $CRM_SYSCONFDIR/crm/config.yaml:2:3: workflow.ticket guards"* ]]
	rm "$CRM_SYSCONFDIR/crm/config.yaml"
	export CRM_CONFIG=/dev/null
	run --separate-stderr crm --as bob ticket close 1
	expect_status 5
	[ "$stderr" = "crm: ticket 1: transition 'close' from 'resolved' is for the roles manager, admin only (yours: agent)" ]
	[ "$(crm ticket show 1 -F json | py -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = resolved ]
}

@test "CRM_SYSCONFDIR naming the build's own directory, however spelt, reads its file once, trusted" {
	crm user add bob --roles agent >/dev/null
	use_system_config <<'EOF'
roles:
  agent: [contact.add]
EOF
	for dir in /dev/fd/7/ /dev/fd/7/. "$BATS_TEST_TMPDIR/trusted" "$BATS_TEST_TMPDIR/trusted/crm/.."; do
		CRM_SYSCONFDIR=$dir run --separate-stderr crm --as bob contact add --first-name Ann --last-name Lee
		expect_status 0
		CRM_SYSCONFDIR=$dir run --separate-stderr crm --as bob account add Other
		expect_status 5
	done
}

@test "the build's system file is trusted whatever CRM_SYSCONFDIR says: a role narrowed there refuses (5)" {
	crm account add Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	crm user add meg --roles manager >/dev/null
	crm ticket open T --account Acme >/dev/null
	crm ticket resolve 1 done >/dev/null
	use_system_config <<'EOF'
roles:
  agent: [contact.add]
workflow:
  ticket:
    transitions:
      - {name: close, from: [resolved], to: closed, roles: [admin]}
      - {name: reopen, from: [resolved, closed], to: open, roles: [admin]}
EOF
	# CRM_SYSCONFDIR (set for every test) names another directory: its file is read too, untrusted
	mkdir -p "$CRM_SYSCONFDIR/crm"
	printf 'busy_timeout: 1000\n' > "$CRM_SYSCONFDIR/crm/config.yaml"
	run --separate-stderr crm --as bob account add Other
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: agent) may not account.add" ]
	run crm --as bob contact add --first-name Ann --last-name Lee
	expect_status 0
	run --separate-stderr crm --as meg ticket close 1
	expect_status 5
	[ "$stderr" = "crm: ticket 1: transition 'close' from 'resolved' is for the roles admin only (yours: manager)" ]
	# a file that replaces the search replaces none of it
	CRM_CONFIG=/dev/null run -5 crm --as bob account add Other
	CRM_CONFIG=/dev/null run -5 crm --as meg ticket close 1
	# nor does a CRM_SYSCONFDIR file with roles of its own: it is refused
	printf 'roles:\n  agent: ["*"]\n' > "$CRM_SYSCONFDIR/crm/config.yaml"
	run --separate-stderr crm --as bob account add Other
	expect_status 78
	[[ "$stderr" == "crm: $CRM_SYSCONFDIR/crm/config.yaml:1:1: roles are defined only in the system configuration (/dev/fd/7/crm/config.yaml)"* ]]
	run crm --as admin1 ticket close 1
	expect_status 78
	rm "$CRM_SYSCONFDIR/crm/config.yaml"
	run crm --as admin1 ticket close 1
	expect_status 0
	[ "$(crm account list --no-headers --fields name)" = Acme ]
}

@test "only an admin acts as someone else: --as, CRM_USER and user: by a non-admin are 5 and write nothing" {
	me=$(id -un)
	crm account add Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	# the system login, an admin at creation, is made an agent
	crm user edit "$me" --roles agent >/dev/null
	before=$(snapshot)
	history=$(db_sql 'SELECT * FROM history ORDER BY id')
	msg="crm: permission denied: '$me' (roles: agent) may not act as 'admin1' (--as, CRM_USER or user:): only an admin, or a role granting user.as, may act as someone else"
	run --separate-stderr crm account rm Acme
	expect_status 5
	[ "$stderr" = "$msg" ]
	run --separate-stderr crm --as admin1 user edit "$me" --roles admin
	expect_status 5
	[ "$stderr" = "$msg" ]
	CRM_USER= run --separate-stderr crm --as bob account rm Acme
	expect_status 5
	[[ "$stderr" == *"may not act as 'bob'"* ]]
	printf 'user: admin1\n' > "$BATS_TEST_TMPDIR/me.yaml"
	CRM_USER= run --separate-stderr crm --config "$BATS_TEST_TMPDIR/me.yaml" account rm Acme
	expect_status 5
	[ "$stderr" = "$msg" ]
	# reads are refused alike: --as is for admins
	run --separate-stderr crm account list
	expect_status 5
	[ "$(db_sql 'SELECT * FROM history ORDER BY id')" = "$history" ]
	CRM_USER= run crm account list --no-headers --fields name
	[ "$output" = Acme ]
	# as itself it does what an agent may
	CRM_USER= run crm account edit Acme --country DE
	expect_status 0
	CRM_USER= run --separate-stderr crm account rm Acme
	expect_status 5
	[[ "$stderr" == *"user '$me' (roles: agent) may not account.rm" ]]
}

@test "--as root by a system login that is no crm user is 5 and writes nothing" {
	[ "$(id -u)" = 0 ] || skip "needs root to run crm as another system user"
	skip_unless_sqlite "a database file another system user may write"
	dir=$(mktemp -d /tmp/crm-auth.XXXXXX)
	chmod 755 "$dir"
	export CRM_DB="$dir/crm.db"
	crm account add Acme >/dev/null
	chown -R nobody "$dir"
	before=$(snapshot)
	as_nobody() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups env -u CRM_USER "$CRM_BIN" "$@"
	}
	run --separate-stderr as_nobody --as root account rm Acme
	expect_status 5
	[ "$stderr" = "crm: permission denied: 'nobody' may not act as 'root' (--as, CRM_USER or user:): the system login 'nobody' is not a crm user; only an admin, or a role granting user.as, may act as someone else" ]
	run --separate-stderr as_nobody --as admin1 user add nobody --roles admin
	expect_status 5
	run --separate-stderr as_nobody user add nobody --roles admin
	expect_status 5
	[[ "$stderr" == *"'nobody' is not a crm user"* ]]
	[ "$(snapshot)" = "$before" ]
	rm -rf "$dir"
}

@test "an admin acts as another user: the history records the user acted as" {
	crm account add Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	run crm --as bob account edit Acme --country DE
	expect_status 0
	run crm history account Acme -F json
	[ "$(jq -r '.[] | .user + " " + .action' <<<"$output" | sort -u)" = $'admin1 add\nbob edit' ]
	# admin1 was made by the first write, beside the system login (crm user(1))
	run crm user list --no-headers --fields login,roles roles:admin
	[ "$output" = "$(printf 'admin1\tadmin\n%s\tadmin\n' "$(id -un)" | sort)" ]
}

@test "a role granting user.as is the configured list of those who may act for others" {
	me=$(id -un)
	crm user add bob --roles agent >/dev/null
	crm user role add gateway user.as -q
	crm user edit "$me" --roles gateway >/dev/null
	# acting as bob, bob's roles decide
	run crm --as bob account add Acme
	expect_status 0
	[ "$(crm history account Acme -F json | jq -r '.[].user' | sort -u)" = bob ]
	run --separate-stderr crm --as bob account rm Acme
	expect_status 5
	[ "$stderr" = "crm: permission denied: user 'bob' (roles: agent) may not account.rm" ]
	# as itself, the gateway role grants nothing else
	CRM_USER= run --separate-stderr crm account add Globex
	expect_status 5
	[ "$stderr" = "crm: permission denied: user '$me' (roles: gateway) may not account.add" ]
	# without the role, no more acting for others
	crm user edit "$me" --roles viewer >/dev/null
	run --separate-stderr crm --as bob account add Globex
	expect_status 5
	[[ "$stderr" == *"'$me' (roles: viewer) may not act as 'bob'"* ]]
}

@test "a role can be given only if the configuration defines it" {
	run --separate-stderr crm user add bob --roles wizard
	expect_status 6
	[[ "$stderr" == "crm: invalid roles 'wizard' for user (one of: admin, manager, agent, viewer"* ]]
	[ "$(crm user list --no-headers --fields login)" = "$(printf 'admin1\n%s\n' "$(id -un)" | sort)" ]
}

@test "a user holding a role the configuration does not define: exit 78, reads still work" {
	crm user role add sales "account.*" -q
	crm user add bob --roles sales >/dev/null
	crm account add Acme --as bob >/dev/null
	# the role goes behind crm's back (crm user role rm refuses while bob holds it)
	db_sql "DELETE FROM roles WHERE name = 'sales'"
	before=$(snapshot)
	run --separate-stderr crm --as bob account add Globex
	expect_status 78
	[ "$stderr" = "crm: role 'sales' of user 'bob' is not defined in the configuration (roles:)" ]
	[ "$(snapshot)" = "$before" ]
	run crm --as bob account list --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
}

@test "CRM_NOW dates a change only when an admin's login runs it; reads honour it for anyone" {
	me=$(id -un)
	crm account add Acme >/dev/null
	CRM_USER= CRM_NOW=2001-01-01T00:00:00Z run crm account edit Acme --country FR
	expect_status 0
	[ "$(db_sql "SELECT at FROM history ORDER BY id DESC LIMIT 1")" = 2001-01-01T00:00:00Z ]
	crm user edit "$me" --roles agent >/dev/null
	before=$(snapshot)
	CRM_USER= CRM_NOW=2001-01-01T00:00:00Z run --separate-stderr crm account edit Acme --country DE
	expect_status 5
	[ "$stderr" = "crm: permission denied: CRM_NOW would date this change; only an admin's login sets the clock crm records (unset CRM_NOW)" ]
	[ "$(snapshot)" = "$before" ]
	CRM_USER= CRM_NOW=2001-01-01T00:00:00Z run crm account list --no-headers --fields name
	expect_status 0
	CRM_USER= run crm account edit Acme --country DE
	expect_status 0
	[ "$(db_sql "SELECT at FROM history ORDER BY id DESC LIMIT 1" | cut -c1-4)" != 2001 ]
}

@test "--as one's own login in another case is oneself, recorded as the system spells it" {
	me=$(id -un)
	crm account add Acme >/dev/null
	crm user edit "$me" --roles agent >/dev/null
	CRM_USER= run --separate-stderr crm --as "${me^^}" account edit Acme --country DE
	expect_status 0
	[ "$(db_sql "SELECT user || ':' || coalesce(real_user, '-') FROM history ORDER BY id DESC LIMIT 1")" = "$me:-" ]
}
