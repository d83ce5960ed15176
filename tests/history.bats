#!/usr/bin/env bats
# crm history <noun> <ref> and <noun> history <ref>: who changed which field, when, old → new.

load helper

setup() {
	crm_test_env
	export CRM_NOW=2026-03-01T09:00:00Z CRM_USER=root
}

@test "history records add, edit and rm with user, time, field, old and new" {
	crm account add Acme --country RO >/dev/null
	CRM_NOW=2026-03-02T10:00:00Z crm account edit Acme --country DE --phone 123
	run crm history account Acme
	expect_status 0
	[ "${lines[0]}" = $'at\tuser\taction\tfield\told\tnew\treal_user' ]
	[[ "$output" == *$'2026-03-01T09:00:00Z\troot\tadd\tname\t\tAcme'* ]]
	[[ "$output" == *$'2026-03-02T10:00:00Z\troot\tedit\tcountry\tRO\tDE'* ]]
	[[ "$output" == *$'edit\tphone\t\t123'* ]]
	crm account rm Acme
	run crm history account 1
	expect_status 0
	[[ "$output" == *$'rm\tname\tAcme\t'* ]]
}

@test "the acting user is the one recorded" {
	crm user add bob --roles agent >/dev/null
	crm --as bob account add Acme >/dev/null
	run crm account history Acme
	expect_status 0
	[[ "$output" == *$'\tbob\tadd\tname'* ]]
}

@test "with --as the history records the login that ran the command too (real_user), on every kind of row" {
	me=$(id -un)
	export CRM_USER=$me
	crm user add bob --roles agent,manager >/dev/null
	crm account add Acme >/dev/null
	# one's own login: real_user is empty
	run crm account history Acme --no-headers
	expect_status 0
	[ "$output" = $'2026-03-01T09:00:00Z\t'"$me"$'\tadd\tname\t\tAcme\t' ]
	# acting as someone else: both are kept
	CRM_NOW=2026-03-03T10:00:00Z crm --as bob account edit Acme --phone 123
	run crm account history Acme --no-headers
	expect_status 0
	[ "${lines[1]}" = $'2026-03-03T10:00:00Z\tbob\tedit\tphone\t\t123\t'"$me" ]
	run crm account history Acme -F json
	[ "$(echo "$output" | jq -r '.[] | select(.field == "phone") | "\(.user) \(.real_user)"')" = "bob $me" ]
	[ "$(echo "$output" | jq -r '.[] | select(.field == "name") | .real_user')" = null ]
	[ "$(db_sql "SELECT \"user\" || ' ' || real_user FROM history WHERE changes LIKE '%phone%'")" = "bob $me" ]
	# imports: the batch keeps it, and the history shows it on the rows of the records it added
	printf 'name\nGlobex\n' > "$BATS_TEST_TMPDIR/a.csv"
	crm --as bob account import "$BATS_TEST_TMPDIR/a.csv" -q
	run crm account history Globex -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '.[0] | "\(.user) \(.real_user)"')" = "bob $me" ]
	# a role defined in the database
	crm user edit bob --roles admin >/dev/null
	crm --as bob user role add clerks contact.add -q
	[ "$(db_sql "SELECT \"user\" || ' ' || real_user FROM history WHERE kind = 'role'")" = "bob $me" ]
}

@test "an edit that changes nothing leaves no history row" {
	crm account add Acme --country RO >/dev/null
	crm account edit Acme --country RO
	run crm history account Acme
	[ "${#lines[@]}" -eq 3 ]
}

@test "history as JSON parses and keeps references readable" {
	crm account add Acme >/dev/null
	crm account add Sub --parent Acme >/dev/null
	run crm -F json history account Sub
	expect_status 0
	echo "$output" | jq -e '.[] | select(.field == "parent") | .new == "1 (Acme)"'
}

@test "history of a number that never named a record is not found" {
	crm init -q # reads need a database: they never create one
	run crm history account 999
	expect_status 3
	[[ "$output" == *"account '999' not found"* ]]
}

@test "history of an unknown kind is a usage error" {
	crm init -q # reads need a database: they never create one
	run crm history widget 1
	expect_status 2
	run crm history account
	expect_status 2
}

@test "history: a change of more fields than an SQL function takes arguments is one entry" {
	{
		echo "custom_fields:"
		echo "  account:"
		for i in $(seq 1 70); do echo "    - {name: f$i, type: text}"; done
	} > "$BATS_TEST_TMPDIR/config.yaml"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	local args=() i
	for i in $(seq 1 70); do args+=(--f$i "v$i"); done
	run crm account add Acme "${args[@]}"
	expect_status 0
	args=()
	for i in $(seq 1 70); do args+=(--f$i "w$i"); done
	run crm account edit Acme "${args[@]}" --f70 ''
	expect_status 0
	run crm account list --fields f1,f40,f41,f69,f70 -F csv
	[ "${lines[1]}" = "w1,w40,w41,w69," ]
	run crm account history Acme -F json
	local edits='map(select(.action == "edit"))'
	[ "$(echo "$output" | jq -c "$edits | [length, (map(select(.field == \"f41\"))[0] | [.old, .new])]")" = '[70,["v41","w41"]]' ]
	[ "$(echo "$output" | jq -c 'map(select(.action == "add")) | length')" = 71 ]
}
