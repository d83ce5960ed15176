#!/usr/bin/env bats
# Campaigns (issue 12, item 7): a kind on the record engine (status through workflow.campaign),
# members kept like a static list's (by reference, --where, --list), responses as activities
# with a result, opportunities and prospects attributed, and the report's exact figures.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
	use_system_config </dev/null
	crm user add bob --roles agent >/dev/null
	crm user add mia --roles manager >/dev/null
	crm user add vic --roles viewer >/dev/null
	crm account add Acme --industry energy >/dev/null
	crm account add Globex --industry energy >/dev/null
	crm account add Initech --industry retail >/dev/null
	crm contact add Ann Smith --email ann@acme.test --account Acme >/dev/null
	crm contact add Bob Jones --email bob@globex.test --account Globex >/dev/null
	crm contact add Cy Dee --email cy@initech.test --account Initech >/dev/null
	crm contact add Di Fox --email di@free.test >/dev/null
}

fair() {
	crm campaign add "Spring fair" --type event --start 2024-03-01 --end 2024-03-31 --budget 1000 --actual-cost 999.99 "$@"
}

# ---------------------------------------------------------------- the kind

@test "campaign add, list, show, edit, rm: planned first, exact money, owner the current user" {
	run -0 fair
	[ "$output" = 1 ]
	run -0 crm campaign list
	[ "$output" = $'id\tname\ttype\tstatus\tstart\tend\tbudget\towner\tmembers\n1\tSpring fair\tevent\tplanned\t2024-03-01\t2024-03-31\t1000.00\ttester\t0' ]
	run -0 crm campaign show "spring FAIR" -F json
	[ "$(jq -r '.status + " " + .currency + " " + (.actual_cost|tostring)' <<<"$output")" = "planned EUR 999.99" ]
	[ "$(db_sql "SELECT budget || '/' || actual_cost FROM campaigns")" = "100000/99999" ]
	crm campaign edit "Spring fair" --actual-cost 0.10 --description "stand 4"
	run -0 crm campaign list actual_cost.under:1 --fields name,actual_cost --no-headers
	[ "$output" = $'Spring fair\t0.10' ]
	run -0 crm campaign history 1
	[[ "$output" == *$'actual_cost\t999.99\t0.10'* ]]
	run -0 crm campaign rm 1
	[ -z "$(db_sql 'SELECT id FROM campaigns')" ]
}

@test "bad campaigns are refused with nothing written: negative budget, unknown type, end before start (6), duplicate name (4)" {
	run -6 crm campaign add X --budget -5
	[ "$output" = "crm: budget '-5' is below its minimum, 0" ]
	run -6 crm campaign add X --actual-cost -0.01
	run -6 crm campaign add X --type fax
	[[ "$output" == *"fax"* ]]
	run -6 crm campaign add X --start 2024-03-01 --end 2024-02-01
	[ -z "$(db_sql 'SELECT id FROM campaigns')" ]
	fair >/dev/null
	run -4 crm campaign add "SPRING fair"
	[ "$(db_sql 'SELECT count(*) FROM campaigns')" = 1 ]
}

@test "an unknown campaign is not found (3) with the nearest name, for every campaign verb" {
	fair >/dev/null
	for verb in report members "add-member" "rm-member"; do
		run -3 crm campaign $verb "Sping fair" ann@acme.test
		[ "$output" = "crm: campaign 'Sping fair' not found; did you mean 'Spring fair'?" ]
	done
	run -3 crm campaign respond "Sping fair" ann@acme.test --result interested
	[ "$output" = "crm: campaign 'Sping fair' not found; did you mean 'Spring fair'?" ]
	run -3 crm campaign report Zzzzzz
	[ "$output" = "crm: campaign 'Zzzzzz' not found" ]
	[ "$(db_sql 'SELECT count(*) FROM activities')" = 0 ]
}

@test "status moves through workflow.campaign: allowed, illegal (4), forbidden (5)" {
	fair >/dev/null
	run -4 crm campaign complete "Spring fair"
	[ "$output" = "crm: campaign 'Spring fair': cannot go from 'planned' to 'complete'; allowed: start (to active), cancel (to cancelled)" ]
	run -0 crm --as bob campaign start "Spring fair"
	[ "$(crm campaign show 1 -F json | jq -r .status)" = active ]
	run -4 crm campaign edit 1 --status planned
	run -0 crm campaign transition 1 complete
	[ "$(crm campaign show 1 -F json | jq -r .status)" = completed ]
	run -4 crm campaign cancel 1
	# replanning is for managers and admins; a viewer adds none
	run -5 crm --as bob campaign transition 1 replan
	[ "$(crm campaign show 1 -F json | jq -r .status)" = completed ]
	run -0 crm --as mia campaign transition 1 replan
	[ "$(crm campaign show 1 -F json | jq -r .status)" = planned ]
	run -0 crm campaign cancel 1
	[ "$(crm campaign show 1 -F json | jq -r .status)" = cancelled ]
	run -5 crm --as vic campaign add Other
	run -5 crm --as vic campaign add-member 1 ann@acme.test
	[ "$(db_sql 'SELECT count(*) FROM campaigns')" = 1 ]
	[ "$(db_sql 'SELECT count(*) FROM campaign_contacts')" = 0 ]
}

# ---------------------------------------------------------------- members

@test "members one by one, by filter and from a list; listed; removed; history counts them" {
	fair >/dev/null
	run -0 crm campaign add-member "Spring fair" ann@acme.test
	[ "$output" = "added 1 contact to campaign 'Spring fair'" ]
	run -0 crm campaign add-member "Spring fair" ann@acme.test "Di Fox"
	[ "$output" = "added 1 contact to campaign 'Spring fair' (1 already members)" ]
	run -0 crm campaign add-member "Spring fair" --account --where 'industry:energy'
	[ "$output" = "added 2 accounts to campaign 'Spring fair'" ]
	crm list add Newsletter --of any >/dev/null
	crm list add-member Newsletter cy@initech.test ann@acme.test >/dev/null
	crm list add-member Newsletter --account Initech >/dev/null
	crm list add Retail --type dynamic --of account --filter 'industry:retail' >/dev/null
	run -0 crm campaign add-member "Spring fair" --list Newsletter
	[ "$output" = "added 2 members to campaign 'Spring fair'" ]
	# a dynamic list's members are who its filter matches now: Initech, already there
	run -0 crm campaign add-member "Spring fair" --list Retail
	[ "$output" = "added 0 members to campaign 'Spring fair'" ]
	run -0 crm campaign members "Spring fair" --fields email --no-headers
	[ "$output" = $'cy@initech.test\ndi@free.test\nann@acme.test' ]
	run -0 crm campaign members "Spring fair" --accounts --fields name --no-headers
	[ "$output" = $'Acme\nGlobex\nInitech' ]
	run -0 crm campaign members "Spring fair" account:Acme --fields email --no-headers
	[ "$output" = ann@acme.test ]
	[ "$(crm campaign list --fields members --no-headers)" = 6 ]
	run -0 crm campaign rm-member "Spring fair" "Di Fox" bob@globex.test
	[ "$output" = "removed 1 contact from campaign 'Spring fair' (1 not members)" ]
	run -0 crm campaign rm-member "Spring fair" --account Globex
	[ "$output" = "removed 1 account from campaign 'Spring fair'" ]
	run -0 crm campaign history "Spring fair"
	output=$(awk -F '\t' '$4 == "members" { print $4 "\t" $5 "\t" $6 }' <<<"$output")
	[[ "$output" == $'members\t0\t1\nmembers\t1\t2\nmembers\t2\t4\nmembers\t4\t5\nmembers\t5\t6\nmembers\t6\t5\nmembers\t5\t4'* ]]
	run -0 crm campaign rm-member "Spring fair" --all
	[ "$output" = "removed 4 members from campaign 'Spring fair'" ]
	[ "$(db_sql 'SELECT count(*) FROM campaign_contacts') $(db_sql 'SELECT count(*) FROM campaign_accounts')" = "0 0" ]
}

@test "members: one unknown reference or a bad filter adds nothing (one transaction); usage errors (2)" {
	fair >/dev/null
	run -3 crm campaign add-member "Spring fair" ann@acme.test nobody@x.test
	run -2 crm campaign add-member "Spring fair" --where 'nosuchfield:1'
	run -3 crm campaign add-member "Spring fair" ann@acme.test --list Nolist
	[ "$(db_sql 'SELECT count(*) FROM campaign_contacts')" = 0 ]
	run -2 crm campaign add-member "Spring fair"
	[ "$output" = "crm: add-member needs references, --where or --list" ]
	run -2 crm campaign rm-member "Spring fair"
	run -2 crm campaign rm-member "Spring fair" ann@acme.test --all
}

@test "contact show and account show list their campaigns, in every format" {
	fair >/dev/null
	crm campaign add Webinar --type webinar >/dev/null
	crm campaign add-member "Spring fair" ann@acme.test >/dev/null
	crm campaign add-member Webinar --account Acme >/dev/null
	run -0 crm contact show ann@acme.test
	[[ "$output" == *$'Campaigns\n  1  Spring fair  event  planned  member\n  2  Webinar  webinar  planned  through its account'* ]]
	run -0 crm contact show ann@acme.test -F json
	[ "$(jq -c '[.campaigns[] | [.id, .name, .status, .how]]' <<<"$output")" = '[[1,"Spring fair","planned","member"],[2,"Webinar","planned","through its account"]]' ]
	run -0 crm account show Acme -F json
	[ "$(jq -c '[.campaigns[] | .name]' <<<"$output")" = '["Webinar"]' ]
	run -0 crm contact show cy@initech.test -F json
	[ "$(jq -c '.campaigns' <<<"$output")" = '[]' ]
	# a contact removed takes its memberships with it; a campaign with members stays (4)
	crm contact rm ann@acme.test
	[ "$(db_sql 'SELECT count(*) FROM campaign_contacts')" = 0 ]
	run -4 crm campaign rm Webinar
	[ "$(db_sql 'SELECT count(*) FROM campaigns')" = 2 ]
}

# ---------------------------------------------------------------- responses

@test "respond records an activity with the result, linked to the campaign and the contact, who becomes a member" {
	fair >/dev/null
	run -0 crm campaign respond "Spring fair" bob@globex.test --result interested --at 2024-03-05T09:00
	[ "$output" = 1 ]
	run -0 crm activity show 1 -F json
	[ "$(jq -r '[.summary, .type, .result, .campaign, .account, (.contacts|join(","))] | join("|")' <<<"$output")" = "Response to Spring fair: interested|response|interested|Spring fair|Globex|Bob Jones" ]
	[ "$(db_sql 'SELECT record_id FROM campaign_contacts')" = 2 ]
	# activity log names the campaign as well
	run -0 crm activity log "Called back" --type call --contact "Ann Smith" --campaign "Spring fair" --result not_interested
	run -0 crm activity list campaign:"Spring fair" --fields id,result --no-headers
	[ "$output" = $'2\tnot_interested\n1\tinterested' ]
	run -0 crm campaign show 1 -F json
	[ "$(jq -c '[.responses[] | .result]' <<<"$output")" = '["not_interested","interested"]' ]
}

@test "respond: an unknown result (6), no result (2), an unknown contact (3): nothing written" {
	fair >/dev/null
	run -6 crm campaign respond "Spring fair" ann@acme.test --result maybe
	[[ "$output" == "crm: invalid result 'maybe' for activity"* ]]
	run -2 crm campaign respond "Spring fair" ann@acme.test
	run -3 crm campaign respond "Spring fair" nobody@x.test --result interested
	[ "$(db_sql 'SELECT count(*) FROM activities') $(db_sql 'SELECT count(*) FROM campaign_contacts')" = "0 0" ]
	[ "$(db_sql "SELECT count(*) FROM history WHERE kind = 'campaign' AND action <> 'add'")" = 0 ]
}

# ---------------------------------------------------------------- attribution

@test "opportunities name their campaign by name: add, filter, export and import round trip; unknown one (3)" {
	fair >/dev/null
	crm campaign add Webinar >/dev/null
	run -0 crm opportunity add Deal --account Acme --value 100 --campaign "spring fair"
	crm opportunity add Other --account Globex --value 5 --campaign Webinar >/dev/null
	run -0 crm opportunity list campaign:"Spring fair" --fields title,campaign --no-headers
	[ "$output" = $'Deal\tSpring fair' ]
	run -3 crm opportunity add Lost --account Acme --campaign Nowhere
	[ "$(db_sql 'SELECT count(*) FROM opportunities')" = 2 ]
	crm opportunity export -o "$BATS_TEST_TMPDIR/o.csv" --fields title,account,campaign
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/o.csv")" = "Deal,Acme,Spring fair" ]
	printf 'title,account,campaign\nImported,Acme,Webinar\n' > "$BATS_TEST_TMPDIR/i.csv"
	crm opportunity import "$BATS_TEST_TMPDIR/i.csv" --mode create -q
	[ "$(db_sql "SELECT c.name FROM opportunities o JOIN campaigns c ON c.id = o.campaign_id WHERE o.title = 'Imported'")" = Webinar ]
	run -0 crm campaign show Webinar -F json
	[ "$(jq -c '[.opportunities[] | .title]' <<<"$output")" = '["Other","Imported"]' ]
}

@test "prospects: accounts at lifecycle stage prospect with the campaign that brought them" {
	fair >/dev/null
	run -0 crm account add Newco --lifecycle-stage prospect --campaign "Spring fair"
	crm account add Oldco --lifecycle-stage customer --campaign "Spring fair" >/dev/null
	run -0 crm account list lifecycle_stage:prospect campaign:"Spring fair" --fields name,campaign --no-headers
	[ "$output" = $'Newco\tSpring fair' ]
	run -0 crm campaign show "Spring fair" -F json
	[ "$(jq -c '[.prospects[] | .name]' <<<"$output")" = '["Newco","Oldco"]' ]
	run -0 crm campaign report "Spring fair" -F json
	[ "$(jq -r '.[] | select(.measure == "prospects") | .value' <<<"$output")" = 1 ]
}

# ---------------------------------------------------------------- the report

report_data() {
	fair >/dev/null
	crm campaign add-member "Spring fair" ann@acme.test bob@globex.test cy@initech.test >/dev/null
	crm campaign add-member "Spring fair" --account Acme >/dev/null
	crm campaign respond "Spring fair" ann@acme.test --result interested >/dev/null
	crm campaign respond "Spring fair" ann@acme.test --result registered >/dev/null
	crm campaign respond "Spring fair" bob@globex.test --result not_interested >/dev/null
	# a response with no result is an activity, not a response
	crm activity log "Mailed" --type email --contact "Cy Dee" --campaign "Spring fair" >/dev/null
	# 0.10 + 0.20 = 0.30 exactly; 1000.05 won; another currency kept apart
	crm opportunity add A --account Acme --value 0.10 --campaign "Spring fair" >/dev/null
	crm opportunity add B --account Acme --value 0.20 --campaign "Spring fair" >/dev/null
	crm opportunity add C --account Globex --value 1000.05 --campaign "Spring fair" >/dev/null
	crm opportunity transition C propose >/dev/null
	crm opportunity win C >/dev/null
	crm opportunity add D --account Globex --value 7 --currency JPY --campaign "Spring fair" >/dev/null
	crm opportunity add E --account Initech --value 99 >/dev/null
}

@test "campaign report: members, responses by result, rate, opportunities, pipeline and won value per currency, costs, exact" {
	report_data
	run -0 crm campaign report "Spring fair"
	[ "$output" = "measure	value	currency
members	4	
contacts	3	
accounts	1	
responses	3	
responses:interested	1	
responses:not_interested	1	
responses:registered	1	
responders	2	
response_rate	66.7	
opportunities	4	
won	1	
pipeline	0.30	EUR
won_value	1000.05	EUR
pipeline	7	JPY
won_value	0	JPY
prospects	0	
budget	1000.00	EUR
cost	999.99	EUR
cost_per_response	333.33	EUR
cost_per_won	999.99	EUR" ]
}

@test "campaign report in json and csv carries the same figures; half a cent rounds away from zero" {
	report_data
	crm campaign edit "Spring fair" --actual-cost 0.05
	crm campaign respond "Spring fair" cy@initech.test --result attended >/dev/null
	run -0 crm campaign report "Spring fair" -F json
	[ "$(jq -c '[.[] | select(.measure | test("^(cost_per_response|response_rate|won_value)$")) | [.measure, .value, .currency]]' <<<"$output")" = '[["response_rate",100,null],["won_value",1000.05,"EUR"],["won_value",0,"JPY"],["cost_per_response",0.01,"EUR"]]' ]
	run -0 crm campaign report "Spring fair" -F csv
	[[ "$output" == *$'\ncost_per_response,0.01,EUR'* ]]
	[[ "$output" == *$'\ncost_per_won,0.05,EUR'* ]]
	# 0.05 / 4 responses = 0.0125: 0.01; nothing to divide by: empty
	crm campaign add Empty >/dev/null
	run -0 crm campaign report Empty -F csv
	[[ "$output" == *$'\nresponse_rate,,\n'* ]]
	[[ "$output" == *$'\ncost_per_response,,EUR\n'* ]]
}

# ---------------------------------------------------------------- migration

@test "migration: each distinct free-text campaign of opportunities becomes a campaign they refer to" {
	skip_unless_sqlite "builds a database of migration 026 with the sqlite3 CLI"
	db="$BATS_TEST_TMPDIR/old.db"
	ls "$BATS_TEST_DIRNAME"/../core/sql/0*.sql | sort | awk -F/ '$NF < "027"' | xargs cat | sed 's/crm_fold(/lower(/g' | sqlite3 "$db"
	sqlite3 "$db" "PRAGMA user_version = 26;
		INSERT INTO users (login, roles, created, updated) VALUES ('tester', 'admin', 'x', 'x'), ('$(id -un)', 'admin', 'x', 'x');
		INSERT INTO accounts (name, name_fold, created, updated) VALUES ('Acme', 'acme', 'x', 'x');
		INSERT INTO opportunities (title, account_id, stage, campaign, created, updated) VALUES
			('A', 1, 'qualification', 'Spring fair', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'),
			('B', 1, 'qualification', ' SPRING FAIR ', '2024-01-03T00:00:00Z', '2024-01-03T00:00:00Z'),
			('C', 1, 'won', 'Webinar', '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z'),
			('D', 1, 'qualification', '', 'x', 'x'),
			('E', 1, 'qualification', NULL, 'x', 'x')"
	crm --db "$db" init -q
	run -0 crm --db "$db" campaign list --fields id,name,status,members --no-headers
	[ "$output" = $'1\tSpring fair\tactive\t0\n2\tWebinar\tactive\t0' ]
	run -0 crm --db "$db" opportunity list --fields title,campaign --no-headers
	[ "$output" = $'A\tSpring fair\nB\tSpring fair\nC\tWebinar\nD\t\nE\t' ]
	[ -z "$(sqlite3 "$db" "SELECT name FROM pragma_table_info('opportunities') WHERE name = 'campaign'")" ]
}
