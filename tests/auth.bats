#!/usr/bin/env bats
# Who may change what: the first admin, users and their roles, roles from the configuration.
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

@test "the --as or CRM_USER in force at creation is the first admin, and only it" {
	crm --as alice init -q
	run crm --as alice user list --no-headers --fields id,login,roles
	expect_status 0
	[ "$output" = $'1\talice\tadmin' ]
	# the next login is nobody in particular
	run crm user list --no-headers --fields login
	[ "$output" = alice ]
	run --separate-stderr crm account add Acme
	expect_status 5
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

@test "roles defined in a configuration file work" {
	conf="$BATS_TEST_TMPDIR/roles.yaml"
	printf '%s\n' 'roles:' '  accounts_only: ["account.*"]' '  boss: "*"' > "$conf"
	export CRM_CONFIG="$conf"
	# a role must be defined to be given
	run crm user add bob --roles accounts_only
	expect_status 0
	run crm user add dora --roles boss
	expect_status 0
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
	# a role given as one pattern rather than a list
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
}

@test "a role can be given only if the configuration defines it" {
	run --separate-stderr crm user add bob --roles wizard
	expect_status 6
	[[ "$stderr" == "crm: invalid roles 'wizard' for user (one of: admin, manager, agent, viewer"* ]]
	[ "$(crm user list --no-headers --fields login)" = admin1 ]
}

@test "a user holding a role the configuration does not define: exit 78, reads still work" {
	conf="$BATS_TEST_TMPDIR/roles.yaml"
	printf '%s\n' 'roles:' '  sales: ["account.*"]' > "$conf"
	CRM_CONFIG="$conf" crm user add bob --roles sales >/dev/null
	CRM_CONFIG="$conf" crm account add Acme --as bob >/dev/null
	before=$(snapshot)
	# without that file the role is unknown
	run --separate-stderr crm --as bob account add Globex
	expect_status 78
	[ "$stderr" = "crm: role 'sales' of user 'bob' is not defined in the configuration (roles:)" ]
	[ "$(snapshot)" = "$before" ]
	run crm --as bob account list --no-headers --fields name
	expect_status 0
	[ "$output" = Acme ]
}
