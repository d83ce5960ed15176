#!/usr/bin/env bats
# What the record engine makes of values: ISO 8601 times with an offset, a day given to a time
# field, minimum values declared in the descriptor, the history of records that are parts of
# others (a project's costs, a contract's lines), and bare words across fields.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	crm account add Acme >/dev/null
}

ats() {
	crm activity list --no-headers --fields summary,at --sort at -F tsv
}

@test "a time with an offset or Z is stored in UTC" {
	run crm activity add Call --type call --at 2026-11-29T09:30:00+02:00
	expect_status 0
	run crm activity add Mail --type email --at 2026-11-29T09:30:00Z
	expect_status 0
	run crm activity add Visit --type meeting --at "2026-11-29 08:15-0500"
	expect_status 0
	run crm activity add Letter --type letter --at 2026-11-29T09:30:00.250+05:30
	expect_status 0
	[ "$(ats)" = $'Letter\t2026-11-29T04:00:00Z\nCall\t2026-11-29T07:30:00Z\nMail\t2026-11-29T09:30:00Z\nVisit\t2026-11-29T13:15:00Z' ]
}

@test "a time with a malformed offset is invalid data" {
	for bad in 2026-11-29T09:30:00+2 2026-11-29T09:30:00+24:00 2026-11-29T09:30:00+02:60 \
		2026-11-29T09:30:00+02:0 2026-11-29T09:30:00Z+01 2026-11-29T09:30:00. 2026-11-29+02:00; do
		run --separate-stderr crm activity add Call --type call --at "$bad"
		expect_status 6
		[ "$stderr" = "crm: at: invalid date '$bad'" ]
	done
	[ -z "$(ats)" ]
}

@test "an offset is accepted in filters too" {
	crm activity add Early --type call --at 2026-11-29T06:00:00Z >/dev/null
	crm activity add Late --type call --at 2026-11-29T10:00:00Z >/dev/null
	run crm activity list --no-headers --fields summary at.after:2026-11-29T09:00:00+02:00
	expect_status 0
	[ "$output" = Late ]
}

@test "a day given to a time field is its local midnight, stored in UTC, so it sorts with times" {
	export CRM_NOW=2026-11-29T12:00:00Z
	crm activity add Late --type call --at 2026-11-28T23:00:00Z >/dev/null
	crm activity add Today --type call --at today >/dev/null
	crm activity add Dated --type call --at 2026-11-28 >/dev/null
	[ "$(ats)" = $'Dated\t2026-11-28T00:00:00Z\nLate\t2026-11-28T23:00:00Z\nToday\t2026-11-29T00:00:00Z' ]
	# local midnight: in Bucharest (UTC+2) the day starts at 22:00 UTC the day before
	TZ=Europe/Bucharest crm activity add Local --type call --at 2026-11-30 >/dev/null
	run crm activity list --no-headers --fields at Local
	[ "$output" = 2026-11-29T22:00:00Z ]
}

@test "a negative credit limit is invalid data, exit 6; zero and more are fine" {
	run --separate-stderr crm account add Debtor --credit-limit -5
	expect_status 6
	[ "$stderr" = "crm: credit_limit '-5' is below its minimum, 0" ]
	run --separate-stderr crm account edit Acme --credit-limit -0.01
	expect_status 6
	run crm account edit Acme --credit-limit 0
	expect_status 0
	run crm account add Rich --credit-limit 5000
	expect_status 0
	printf 'name,credit_limit\nBad Co,-1\n' > "$BATS_TEST_TMPDIR/a.csv"
	run --separate-stderr crm account import "$BATS_TEST_TMPDIR/a.csv"
	expect_status 6
	run crm account list --no-headers --fields name,credit_limit --sort name
	[ "$output" = $'Acme\t0.00\nRich\t5000.00' ]
}

@test "a project's history shows its costs being added and removed" {
	crm project add Rollout --account Acme --income 1000 >/dev/null
	run crm project cost add Rollout 100 travel
	expect_status 0
	crm project cost add Rollout 50 hotel >/dev/null
	crm project cost rm 1
	run crm project history Rollout -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '[.[] | select(.action == "edit") | .field + ":" + .old + ">" + .new] | join(" ")')" = \
		"costs:0.00>100.00 margin:1000.00>900.00 costs:100.00>150.00 margin:900.00>850.00 costs:150.00>50.00 margin:850.00>950.00" ]
	# the cost's own history has the detail
	run crm history cost 1 -F json
	[ "$(echo "$output" | jq -r '[.[] | .action] | unique | join(",")')" = "add,rm" ]
}

@test "a contract's history shows its lines being added and removed" {
	crm contract add Deal --account Acme >/dev/null
	crm contract line add Deal Widget --quantity 2 --price 5 >/dev/null
	crm contract line add Deal Support --price 30 >/dev/null
	crm contract line rm 1
	run crm contract history Deal -F json
	expect_status 0
	[ "$(echo "$output" | jq -r '[.[] | select(.action == "edit") | .field + ":" + (.old // "") + ">" + .new] | join(" ")')" = \
		"lines_total:>10.00 lines_total:10.00>40.00 lines_total:40.00>30.00" ]
}

@test "a bare word with a space matches the name as people write it" {
	crm contact add Ana Popescu --email ana@example.com >/dev/null
	crm contact add Ana Ionescu >/dev/null
	crm contact add Popescu Ana >/dev/null
	run crm contact list --no-headers --fields id "Ana Popescu"
	expect_status 0
	[ "$output" = 1 ]
	run crm contact list --no-headers --fields id "ana  popescu"
	[ "$output" = 1 ]
	run crm contact list --no-headers --fields id "Ana Pop"
	[ "$output" = 1 ]
	run crm contact list --no-headers --fields id --sort id Ana
	[ "$output" = $'1\n2\n3' ]
	run crm contact list --no-headers --fields id "Ana Smith"
	expect_status 0
	[ -z "$output" ]
}

@test "text that is not UTF-8 is refused wherever it is stored, naming the field and the byte; nothing changes" {
	local bad=$'caf\xe9'
	crm ticket open Outage --account Acme >/dev/null
	run crm account add "$bad"
	expect_status 6
	[ "$output" = "crm: name is not valid UTF-8 (byte 4 is 0xe9); convert it first, e.g. with iconv -f cp1252 -t utf-8" ]
	run crm contact add Ann --notes "$bad"
	expect_status 6
	[[ "$output" == "crm: notes is not valid UTF-8 (byte 4 is 0xe9)"* ]]
	run crm account edit Acme --notes $'ok\xff'
	expect_status 6
	[[ "$output" == "crm: notes is not valid UTF-8 (byte 3 is 0xff)"* ]]
	run crm ticket comment 1 "$bad"
	expect_status 6
	[[ "$output" == "crm: the comment is not valid UTF-8 (byte 4 is 0xe9)"* ]]
	run crm attr set account Acme "colour=$bad"
	expect_status 6
	[[ "$output" == "crm: colour is not valid UTF-8 (byte 4 is 0xe9)"* ]]
	run crm activity log --type note Note --body - <<<"$bad"
	expect_status 6
	[[ "$output" == "crm: body is not valid UTF-8 (byte 4 is 0xe9)"* ]]
	[ "$(crm contact list -F tsv | wc -l)" = 1 ]
	[ "$(crm activity list -F tsv | wc -l)" = 1 ]
	run -0 crm account list --fields name,notes -F tsv
	[ "$output" = $'name\tnotes\nAcme\t' ]
	run -0 crm ticket show 1 -F json
	[[ "$output" != *caf* ]]
	run -0 crm attr list account Acme -F tsv
	[ "$output" = $'kind\tid\tlabel\tkey\tvalue' ]
}
