#!/usr/bin/env bats
# Distribution lists (issue 14 point 2): static lists (members by reference, by filter, from a
# CSV file), dynamic lists (a saved filter evaluated when used), members in every format with
# do-not-contact, a contact's and an account's lists in their show.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	crm account add Acme --country DE >/dev/null
	crm account add Globex --country FR >/dev/null
	crm contact add Ann Lee --email ann@example.com --account Acme >/dev/null
	crm contact add Bob Ray --email bob@example.com --account Globex --do-not-email yes >/dev/null
	crm contact add Cid Moe --account Acme --do-not-mail yes >/dev/null
	crm contact add Dee Fox --email dee@example.com >/dev/null
}

@test "list add: static by default, of contacts; its number alone; name unique folded (4)" {
	run -0 crm list add Newsletter --description "monthly news"
	[ "$output" = 1 ]
	run -0 crm list list --fields id,name,type,of,members,owner
	[ "$output" = $'id\tname\ttype\tof\tmembers\towner\n1\tNewsletter\tstatic\tcontact\t0\ttester' ]
	run -4 crm list add NEWSLETTER
	[ "$output" = "crm: list with name 'NEWSLETTER' already exists" ]
	run -0 crm list show newsletter -F json
	[[ "$output" == *'"description": "monthly news",'* ]]
	run -6 crm list add X --type sometimes
	[[ "$output" == *"type"*"sometimes"* ]]
	run -6 crm list add X --of lead
	[[ "$output" == *"lead"* ]]
	[ "$(db_sql 'SELECT count(*) FROM lists')" = 1 ]
}

@test "add-member by any reference; twice is once (idempotent, said so); members in order" {
	crm list add News >/dev/null
	run -0 crm list add-member News ann@example.com 2 "Cid Moe"
	[ "$output" = "added 3 contacts to list 'News'" ]
	run -0 crm list add-member News ann@example.com 2
	[ "$output" = "added 0 contacts to list 'News' (2 already members)" ]
	run -0 crm list members News
	[ "$output" = $'id\tfirst_name\tlast_name\temail\taccount\tdo_not_email\tdo_not_mail\n1\tAnn\tLee\tann@example.com\tAcme\t\t\n3\tCid\tMoe\t\tAcme\t\t1\n2\tBob\tRay\tbob@example.com\tGlobex\t1\t' ]
	run -0 crm list list --fields name,members --no-headers
	[ "$output" = $'News\t3' ]
	[ "$(db_sql 'SELECT count(*) FROM list_contacts')" = 3 ]
}

@test "add-member: an unknown reference adds nobody (3); an unknown list is 3; no reference is 2" {
	crm list add News >/dev/null
	run -3 crm list add-member News ann@example.com nobody@example.com
	[ "$output" = "crm: contact 'nobody@example.com' not found" ]
	[ "$(db_sql 'SELECT count(*) FROM list_contacts')" = 0 ]
	run -3 crm list add-member Nope ann@example.com
	[ "$output" = "crm: list 'Nope' not found" ]
	run -3 crm list members Nope
	[ "$output" = "crm: list 'Nope' not found" ]
	run -2 crm list add-member News
	[ "$output" = "crm: add-member needs references, --where or --from-csv" ]
}

@test "add-member --where adds everyone the filter matches, once" {
	crm list add Germans >/dev/null
	run -0 crm list add-member Germans --where "account:Acme"
	[ "$output" = "added 2 contacts to list 'Germans'" ]
	run -0 crm list add-member Germans --where "account:Acme" ann@example.com
	[ "$output" = "added 0 contacts to list 'Germans' (1 already members)" ]
	run -0 crm list members Germans --fields email,last_name --no-headers
	[ "$output" = $'ann@example.com\tLee\n\tMoe' ]
	run -2 crm list add-member Germans --where "nosuch:1"
	[[ "$output" == *"unknown field 'nosuch'"* ]]
}

@test "add-member --from-csv: a column of e-mails or numbers; one unknown row adds nobody (6)" {
	crm list add News >/dev/null
	printf 'name,email\nAnn,ann@example.com\nDee,DEE@example.com\n' >"$BATS_TEST_TMPDIR/ok.csv"
	run -0 crm list add-member News --from-csv "$BATS_TEST_TMPDIR/ok.csv"
	[ "$output" = "added 2 contacts to list 'News'" ]
	printf '3\n4\n' >"$BATS_TEST_TMPDIR/ids.csv"
	run -0 crm list add-member News --from-csv "$BATS_TEST_TMPDIR/ids.csv"
	[ "$output" = "added 1 contact to list 'News'" ]
	printf 'email\nbob@example.com\nghost@example.com\n\nzed@example.com\n' >"$BATS_TEST_TMPDIR/bad.csv"
	run -6 crm list add-member News --from-csv "$BATS_TEST_TMPDIR/bad.csv"
	[ "${lines[0]}" = "crm: $BATS_TEST_TMPDIR/bad.csv: line 3: 'ghost@example.com': contact 'ghost@example.com' not found" ]
	[ "${lines[1]}" = "crm: $BATS_TEST_TMPDIR/bad.csv: line 5: 'zed@example.com': contact 'zed@example.com' not found" ]
	[ "${lines[2]}" = "crm: $BATS_TEST_TMPDIR/bad.csv: 2 rows naming no contact; nothing added" ]
	[ "$(db_sql 'SELECT count(*) FROM list_contacts')" = 3 ]
	run -1 crm list add-member News --from-csv "$BATS_TEST_TMPDIR/missing.csv"
	[[ "$output" == "crm: cannot read '$BATS_TEST_TMPDIR/missing.csv': "* ]]
}

@test "rm-member: removes, says who was not a member; --all empties; a list with members is not removed (4)" {
	crm list add News >/dev/null
	crm list add-member News ann@example.com bob@example.com -q
	run -0 crm list rm-member News bob@example.com dee@example.com
	[ "$output" = "removed 1 contact from list 'News' (1 not members)" ]
	run -0 crm list members News --fields email --no-headers
	[ "$output" = "ann@example.com" ]
	run -4 crm list rm News
	[ "$output" = "crm: list 'News' is still referred to by 1 contact; remove or move them first" ]
	run -0 crm list rm-member News --all
	[ "$output" = "removed 1 member from list 'News'" ]
	run -0 crm list rm News
	run -3 crm list show News
}

@test "removing a contact or an account takes its memberships with it" {
	crm list add News >/dev/null
	crm list add Firms --of account >/dev/null
	crm list add-member News ann@example.com dee@example.com -q
	crm list add-member Firms Globex -q
	crm contact rm dee@example.com
	crm contact rm bob@example.com
	crm account rm Globex
	run -0 crm list members News --fields email --no-headers
	[ "$output" = "ann@example.com" ]
	[ "$(db_sql 'SELECT count(*) FROM list_accounts')" = 0 ]
}

@test "dynamic list: its filter is evaluated when used; add-member refused (4); bad or missing filter (2, 6)" {
	run -0 crm list add Germans --type dynamic --filter "account:Acme"
	run -0 crm list members Germans --fields email,last_name --no-headers
	[ "$output" = $'ann@example.com\tLee\n\tMoe' ]
	crm contact add Eve Kim --email eve@example.com --account Acme >/dev/null
	run -0 crm list members Germans --fields last_name --no-headers
	[ "$output" = $'Kim\nLee\nMoe' ]
	run -4 crm list add-member Germans bob@example.com
	[ "$output" = "crm: list 'Germans' is dynamic: its members are who its filter matches (account:Acme)" ]
	run -2 crm list add Broken --type dynamic --filter "nosuch:1"
	[ "$output" = "crm: list filter 'nosuch:1' over contacts: unknown field 'nosuch' for contact in filter 'nosuch:1' (try --fields help)" ]
	run -2 crm list edit Germans --filter "due.before:whenever"
	[[ "$output" == "crm: list filter 'due.before:whenever' over contacts: "* ]]
	run -6 crm list add Empty --type dynamic
	[ "$output" = "crm: dynamic list 'Empty' needs a filter (--filter 'country:DE ...')" ]
	run -6 crm list add Both --type dynamic --of any --filter "account:Acme"
	[[ "$output" == *"--of contact or --of account"* ]]
	run -6 crm list add Static --filter "account:Acme"
	[[ "$output" == *"static list 'Static' keeps no filter"* ]]
	[ "$(db_sql 'SELECT count(*) FROM lists')" = 1 ]
	# a filter with a quoted phrase is one term
	crm list add Named --type dynamic --filter 'last_name:Lee "Ann Lee"' >/dev/null
	run -0 crm list members Named --fields email --no-headers
	[ "$output" = "ann@example.com" ]
}

@test "a static list with members does not become dynamic (4); an empty one may" {
	crm list add News >/dev/null
	crm list add-member News ann@example.com -q
	run -4 crm list edit News --type dynamic --filter "account:Acme"
	[[ "$output" == "crm: list 'News' has 1 members; a dynamic list has none of its own"* ]]
	crm list rm-member News --all -q
	crm list add Mixed --of any >/dev/null
	crm list add-member Mixed --account Acme -q
	run -4 crm list edit Mixed --of contact
	[ "$output" = "crm: list 'Mixed' has 1 account members; remove them first" ]
	run -0 crm list edit Mixed --of account
	run -0 crm list edit News --type dynamic --filter "account:Acme"
	run -0 crm list members News --fields last_name --no-headers
	[ "$output" = $'Lee\nMoe' ]
}

@test "lists of accounts and of both: an account stands for its contacts, once; --accounts lists them" {
	crm list add Firms --of account >/dev/null
	run -0 crm list add-member Firms Acme
	[ "$output" = "added 1 account to list 'Firms'" ]
	run -2 crm list add-member Firms --contact ann@example.com
	[ "$output" = "crm: list 'Firms' is a list of accounts; name them with --account" ]
	run -0 crm list members Firms --fields last_name --no-headers
	[ "$output" = $'Lee\nMoe' ]
	run -0 crm list members Firms --accounts --fields name,country --no-headers
	[ "$output" = $'Acme\tDE' ]
	crm list add Mixed --of any >/dev/null
	crm list add-member Mixed ann@example.com dee@example.com -q
	run -0 crm list add-member Mixed --account Acme
	run -0 crm list members Mixed --fields last_name --no-headers
	[ "$output" = $'Fox\nLee\nMoe' ]
	crm list add People >/dev/null
	run -2 crm list add-member People --account Acme
	[ "$output" = "crm: list 'People' is a list of contacts, not of accounts" ]
	run -2 crm list members People --accounts
	# a dynamic list of accounts: their contacts, or the accounts
	crm list add French --type dynamic --of account --filter "country:FR" >/dev/null
	run -0 crm list members French --fields email --no-headers
	[ "$output" = "bob@example.com" ]
	run -0 crm list members French --accounts --fields name --no-headers
	[ "$output" = "Globex" ]
}

@test "members --reachable email|mail leaves out those who asked not to be (and e-mail without an address)" {
	crm list add All >/dev/null
	crm list add-member All --where "" -q
	run -0 crm list members All --reachable email --fields email --no-headers
	[ "$output" = $'dee@example.com\nann@example.com' ]
	run -0 crm list members All --reachable mail --fields last_name --no-headers
	[ "$output" = $'Fox\nLee\nRay' ]
	run -2 crm list members All --reachable fax
	[ "$output" = "crm: --reachable takes email or mail, not 'fax'" ]
	crm list add Firms --of account >/dev/null
	crm list add-member Firms Acme Globex -q
	run -0 crm list members Firms --reachable email --fields email --no-headers
	[ "$output" = "ann@example.com" ]
	run -0 crm list show All -F json
	[[ "$output" == *'"contacts": 4,'*'"reachable_by_email": 2,'*'"reachable_by_mail": 3'* ]]
}

@test "members in every format: json, ndjson, yaml, csv, tsv, table, xlsx" {
	crm list add News >/dev/null
	crm list add-member News ann@example.com bob@example.com -q
	run -0 crm list members News -F json
	[[ "$output" == *'"email":"ann@example.com",'*'"do_not_email":true,'* ]]
	run -0 py -c "import json,sys; d=json.loads(sys.stdin.read()); print([r['email'] for r in d])" <<<"$output"
	[ "$output" = "['ann@example.com', 'bob@example.com']" ]
	run -0 crm list members News -F ndjson
	[ "${#lines[@]}" = 2 ]
	[[ "${lines[0]}" == '{"id":1,'* ]]
	run -0 crm list members News -F yaml
	[[ "$output" == *"email: ann@example.com"* ]]
	run -0 crm list members News -F csv --fields id,email,do_not_email
	[ "$output" = $'id,email,do_not_email\n1,ann@example.com,\n2,bob@example.com,1' ]
	run -0 crm list members News -F table --fields id,email
	[[ "${lines[0]}" == "id"*"email" ]]
	run -0 crm list members News -o "$BATS_TEST_TMPDIR/m.xlsx"
	[ -s "$BATS_TEST_TMPDIR/m.xlsx" ]
	run -0 py -c "import sys, openpyxl; ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]; print([c.value for c in ws[1]], ws.cell(2, 4).value, ws.max_row)" "$BATS_TEST_TMPDIR/m.xlsx"
	[ "$output" = "['id', 'first_name', 'last_name', 'email', 'account', 'do_not_email', 'do_not_mail'] ann@example.com 3" ]
	run -0 crm list members News --fields help
	[[ "$output" == *"do_not_email"* ]]
}

@test "contact show and account show list their lists: member, through the account, matching a dynamic filter" {
	crm list add News >/dev/null
	crm list add Firms --of account >/dev/null
	crm list add Germans --type dynamic --filter "account:Acme" >/dev/null
	crm list add DE --type dynamic --of account --filter "country:DE" >/dev/null
	crm list add-member News ann@example.com -q
	crm list add-member Firms Acme -q
	run -0 crm contact show ann@example.com -F json
	run -0 py -c "import json,sys; d=json.loads(sys.stdin.read()); print(';'.join(l['name']+'/'+l['type']+'/'+l['how'] for l in d['lists']))" <<<"$output"
	[ "$output" = "News/static/member;Firms/static/through its account;Germans/dynamic/matches its filter;DE/dynamic/its account matches the filter" ]
	run -0 crm account show Acme -F json
	run -0 py -c "import json,sys; d=json.loads(sys.stdin.read()); print(';'.join(l['name']+'/'+l['how'] for l in d['lists']))" <<<"$output"
	[ "$output" = "Firms/member;DE/matches its filter" ]
	run -0 crm contact show dee@example.com -F json
	[[ "$output" == *'"lists": []'* ]]
	run -0 crm contact show ann@example.com
	[[ "$output" == *$'\nLists\n'* ]]
	# the static memberships are a filter of contacts too
	run -0 crm contact list lists:News --fields email --no-headers
	[ "$output" = "ann@example.com" ]
}

@test "list edit, history, export; lists as a filter of accounts" {
	crm list add News >/dev/null
	crm list edit News --name "Monthly news" --description "first Monday"
	run -0 crm list history "monthly NEWS"
	[[ "$output" == *"name	News	Monthly news"* ]]
	run -0 crm list export -F csv --fields name,type,of
	[ "$output" = $'name,type,of\nMonthly news,static,contact' ]
	crm list add Firms --of account >/dev/null
	crm list add-member Firms Globex -q
	run -0 crm account list lists:Firms --fields name --no-headers
	[ "$output" = "Globex" ]
}

@test "completion: the verbs, list names, --reachable and --of values" {
	crm list add Newsletter >/dev/null
	run -0 crm __complete list ""
	[[ "$output" == *$'\nmembers\nadd-member\nrm-member'* ]]
	run -0 crm __complete list members ""
	[[ "$output" == *"Newsletter"* ]]
	run -0 crm __complete list members News --reachable ""
	[ "$output" = $'email\nmail' ]
	run -0 crm __complete list add X --of ""
	[ "$output" = $'contact\naccount\nany' ]
}

@test "membership changes are in the list's history, one row a command; who may change lists (5)" {
	use_system_config </dev/null
	crm user add bob --roles agent >/dev/null
	crm user add vic --roles viewer >/dev/null
	crm list add News >/dev/null
	crm list add-member News ann@example.com bob@example.com -q
	crm list add-member News --where "account:Acme" -q
	crm list rm-member News --all -q
	run -0 crm list history News
	[[ "$output" == *$'\tedit\tmembers\t0\t2\t'*$'\tedit\tmembers\t2\t3\t'*$'\tedit\tmembers\t3\t0\t'* ]]
	run -0 crm --as bob list add-member News dee@example.com
	run -5 crm --as bob list rm News
	run -5 crm --as vic list add-member News ann@example.com
	run -0 crm --as vic list members News --fields email --no-headers
	[ "$output" = "dee@example.com" ]
}
