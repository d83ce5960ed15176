#!/usr/bin/env bats
# Sales (issue 12): products and services, opportunities through workflow.opportunity, the
# pipeline by currency and stage, its Excel workbook with charts, and an account's open
# opportunities. Amounts exact (tests/money.bats has the engine's side).
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
	# the built-in roles, whatever a system file of this machine (/etc/crm) says
	use_system_config </dev/null
	crm account add Acme >/dev/null
	crm account add Globex >/dev/null
	crm contact add "Ann Smith" --account Acme >/dev/null
	crm user add bob --roles agent >/dev/null
	crm user add mia --roles manager >/dev/null
	crm user add vic --roles viewer >/dev/null
}

# ---------------------------------------------------------------- products

@test "product add, list, show, edit, rm: exact price, tax rate in percent, active by default" {
	run -0 crm product add SRV-1 "Consulting day" --unit day --price 1200.50 --tax-rate 19
	[ "$output" = 1 ]
	crm product add LIC-RO "Licence" --unit licence --price 99.99 --tax-rate 9 --currency RON >/dev/null
	crm product add BK-1 "Book" --price 10 --tax-rate 5.5 >/dev/null
	run -0 crm product list --fields id,code,name,unit,price,currency,tax_rate,active
	[ "$output" = $'id\tcode\tname\tunit\tprice\tcurrency\ttax_rate\tactive\n3\tBK-1\tBook\t\t10.00\tEUR\t5.5\t1\n2\tLIC-RO\tLicence\tlicence\t99.99\tRON\t9\t1\n1\tSRV-1\tConsulting day\tday\t1200.50\tEUR\t19\t1' ]
	run -0 crm product show srv-1 -F json
	[[ "$output" == *'"price": 1200.50,'* ]]
	[[ "$output" == *'"tax_rate": 19,'* ]]
	crm product edit SRV-1 --active no --price 1250
	run -0 crm product list active:no --fields code,price --no-headers
	[ "$output" = $'SRV-1\t1250.00' ]
	[ "$(db_sql "SELECT price || '/' || tax_rate FROM products WHERE code = 'SRV-1'")" = "125000/1900" ]
	run -0 crm product history SRV-1
	[[ "$output" == *"price	1200.50	1250.00"* ]]
	crm product rm BK-1
	run -3 crm product show BK-1
	[ "$output" = "crm: product 'BK-1' not found" ]
}

@test "a product's code is unique as people read it: case and accents ignored (4, nothing written)" {
	crm product add ÉTÉ-1 Summer >/dev/null
	run -4 crm product add ete-1 Other
	[ "$output" = "crm: product with code 'ete-1' already exists" ]
	[ "$(db_sql 'SELECT count(*) FROM products')" = 1 ]
	run -0 crm product show ete-1 -F json
	[[ "$output" == *'"name": "Summer",'* ]]
}

@test "bad product input: negative price, too many decimals, tax over 100, unknown unit (6, nothing written)" {
	run -6 crm product add P1 X --price -1
	[ "$output" = "crm: price '-1' is below its minimum, 0" ]
	run -6 crm product add P1 X --price 1.999
	[ "$output" = "crm: price '1.999' has more decimals than EUR allows (2)" ]
	run -6 crm product add P1 X --tax-rate 19.005
	[ "$output" = "crm: tax_rate '19.005' has more than 2 decimals" ]
	run -6 crm product add P1 X --tax-rate 101
	[ "$output" = "crm: tax_rate '101' is above its maximum, 100" ]
	run -6 crm product add P1 X --unit parsec
	run -6 crm product add P1 X --currency EURO
	[ "$(db_sql 'SELECT count(*) FROM products')" = 0 ]
	run -3 crm product edit NOPE --price 1
}

@test "products import and export round trip exact prices; a bad row rejects the file (6)" {
	printf 'code,name,unit,price,currency,tax_rate\nA,Alpha,hour,0.10,EUR,19\nB,Beta,day,0.20,EUR,9\nJ,Yen,piece,100,JPY,10\n' > "$BATS_TEST_TMPDIR/p.csv"
	crm product import "$BATS_TEST_TMPDIR/p.csv" -q
	crm product export -o "$BATS_TEST_TMPDIR/out.csv" --fields code,price,currency,tax_rate
	[ "$(cat "$BATS_TEST_TMPDIR/out.csv")" = $'code,price,currency,tax_rate\nA,0.10,EUR,19\nB,0.20,EUR,9\nJ,100,JPY,10' ]
	printf 'code,name,price,currency\nC,Gamma,1.5,JPY\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run -6 crm product import "$BATS_TEST_TMPDIR/bad.csv"
	[[ "$output" == *"price '1.5' has more decimals than JPY allows (0)"* ]]
	[ "$(db_sql 'SELECT count(*) FROM products')" = 3 ]
}

@test "products are for managers: an agent or a viewer may not add one (5)" {
	run -5 crm --as bob product add P X
	run -5 crm --as vic product add P X
	run -0 crm --as mia product add P X
}

# ---------------------------------------------------------------- opportunities

@test "opportunity add: qualification first, owner the current user, exact weighted value" {
	crm campaign add "Spring fair" >/dev/null
	run -0 crm opportunity add "ERP rollout" --account Acme --contact "Ann Smith" --value 10000.05 --probability 25 \
		--close 2024-06-30 --campaign "Spring fair"
	[ "$output" = 1 ]
	run -0 crm opportunity show 1 -F json
	[[ "$output" == *'"stage": "qualification",'* ]]
	[[ "$output" == *'"owner": "tester",'* ]]
	[[ "$output" == *'"currency": "EUR",'* ]]
	# 10000.05 x 25% = 2500.0125, rounded half away from zero: 2500.01
	[[ "$output" == *'"weighted": 2500.01,'* ]]
	run -0 crm opportunity list --fields title,account,stage,value,probability,close,owner --no-headers
	[ "$output" = $'ERP rollout\tAcme\tqualification\t10000.05\t25\t2024-06-30\ttester' ]
}

@test "opportunity stages move through workflow.opportunity: allowed, illegal (4), forbidden (5), lost needs a reason (6)" {
	crm opportunity add Deal --account Acme --value 100 --probability 50 >/dev/null
	run -4 crm opportunity win Deal
	[ "$output" = "crm: opportunity 'Deal': cannot go from 'qualification' to 'win'; allowed: propose (to proposal), lose (to lost)" ]
	crm opportunity transition Deal propose
	crm opportunity transition Deal negotiate
	run -6 crm opportunity lose Deal
	[[ "$output" == *"lost_reason"* ]]
	[ "$(crm opportunity show Deal -F json | jq -r .stage)" = negotiation ]
	crm opportunity lose Deal --lost-reason "price too high"
	[ "$(crm opportunity show Deal -F json | jq -r .stage)" = lost ]
	# reopening is for managers and admins
	run -5 crm --as bob opportunity transition Deal reopen
	[ "$(crm opportunity show Deal -F json | jq -r .stage)" = lost ]
	crm --as mia opportunity transition Deal reopen
	run -0 crm opportunity show Deal -F json
	[[ "$output" == *'"stage": "qualification",'* ]]
	[[ "$output" == *'"lost_reason": null,'* ]]
	run -5 crm --as vic opportunity add X --account Acme
	crm --as bob opportunity add Y --account Acme >/dev/null
}

@test "bad opportunity input: probability over 100, too many decimals, unknown account (nothing written)" {
	run -6 crm opportunity add X --account Acme --probability 101
	[ "$output" = "crm: probability '101' is above its maximum, 100" ]
	run -6 crm opportunity add X --account Acme --probability -1
	run -6 crm opportunity add X --account Acme --value 0.001
	run -6 crm opportunity add X --account Acme --value 5.5 --currency JPY
	run -3 crm opportunity add X --account Nobody
	run -6 crm opportunity add X
	[ "$(db_sql 'SELECT count(*) FROM opportunities')" = 0 ]
}

@test "account show lists the account's open opportunities, not won or lost ones" {
	crm opportunity add Open1 --account Acme --value 5 >/dev/null
	crm opportunity add Lost1 --account Acme --value 6 >/dev/null
	crm opportunity add Other --account Globex >/dev/null
	crm opportunity lose Lost1 --lost-reason budget
	run -0 crm account show Acme
	[[ "$output" == *"Open opportunities"*"Open1"* ]]
	[[ "$output" != *"Lost1"* ]]
	[[ "$output" != *"Other"* ]]
	run -0 crm account show Acme -F json
	[ "$(jq -r '.opportunities | map(.title) | join(",")' <<<"$output")" = Open1 ]
}

# ---------------------------------------------------------------- the pipeline

seed_pipeline() {
	crm opportunity add A --account Acme --value 0.1 --probability 50 --close 2024-05-10 >/dev/null
	crm opportunity add B --account Acme --value 0.2 --probability 50 --close 2024-06-10 >/dev/null
	crm opportunity add C --account Acme --value 0.05 --probability 50 --close 2024-07-10 --owner bob >/dev/null
	crm opportunity add D --account Globex --value 1000 --probability 33 --currency JPY --owner bob >/dev/null
	crm opportunity transition C propose
	crm opportunity add E --account Acme --value 19.99 --probability 100 >/dev/null
	crm opportunity transition E propose
	crm opportunity win E
}

@test "crm pipeline: counts, value and weighted value by currency and stage, exact, never mixed" {
	seed_pipeline
	run -0 crm pipeline
	# 0.1 + 0.2 is 0.30; 0.05 x 50% is 0.025, 0.03; 1000 JPY x 33% is 330 JPY, in its own rows
	[ "$output" = $'currency\tstage\tcount\tvalue\tweighted\nEUR\tqualification\t2\t0.30\t0.15\nEUR\tproposal\t1\t0.05\t0.03\nEUR\twon\t1\t19.99\t19.99\nJPY\tqualification\t1\t1000\t330' ]
	run -0 crm pipeline -F json
	[ "${lines[1]}" = '{"currency":"EUR","stage":"qualification","count":2,"value":0.30,"weighted":0.15},' ]
	run -0 crm pipeline open:yes -F csv --no-headers
	[ "$output" = $'EUR,qualification,2,0.30,0.15\nEUR,proposal,1,0.05,0.03\nJPY,qualification,1,1000,330' ]
}

@test "crm pipeline filters by owner and expected close date" {
	seed_pipeline
	run -0 crm pipeline --owner bob --no-headers
	[ "$output" = $'EUR\tproposal\t1\t0.05\t0.03\nJPY\tqualification\t1\t1000\t330' ]
	run -0 crm pipeline --from 2024-05-10 --to 2024-06-10 --no-headers
	[ "$output" = $'EUR\tqualification\t2\t0.30\t0.15' ]
	run -0 crm pipeline --to 2024-05-31 --no-headers
	[ "$output" = $'EUR\tqualification\t1\t0.10\t0.05' ]
	run -0 crm pipeline --owner me stage:won --no-headers
	[ "$output" = $'EUR\twon\t1\t19.99\t19.99' ]
	run -0 crm pipeline --owner nobody
	[ "$output" = $'currency\tstage\tcount\tvalue\tweighted' ]
	run -2 crm pipeline --bogus
	run -2 crm pipeline nofield:x
}

@test "report export pipeline: typed cells, totals per currency, a chart per currency (openpyxl)" {
	seed_pipeline
	run -0 crm report export pipeline -o "$BATS_TEST_TMPDIR/p.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/p.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Pipeline", "Opportunities", "About"], wb.sheetnames
ws = wb["Pipeline"]
rows = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_col=5)]
assert rows[0] == ["Currency", "Stage", "Count", "Value", "Weighted"], rows[0]
assert rows[1] == ["EUR", "qualification", 2, 0.3, 0.15], rows[1]
assert rows[4] == ["EUR", "Total", 4, 20.34, 20.17], rows[4]
assert rows[6] == ["JPY", "qualification", 1, 1000, 330], rows[6]
assert ws.cell(2, 4).data_type == "n" and ws.cell(2, 4).number_format == "#,##0.00", ws.cell(2, 4).number_format
assert ws.cell(8, 4).number_format == "#,##0", ws.cell(8, 4).number_format
assert len(ws._charts) == 2, len(ws._charts)
o = wb["Opportunities"]
head = [c.value for c in o[1]]
assert "value" in head and "weighted" in head, head
assert o.cell(2, head.index("value") + 1).data_type == "n"
EOF
	run -2 crm report export nonsense -o "$BATS_TEST_TMPDIR/x.xlsx"
	run -2 crm report export tickets --owner bob -o "$BATS_TEST_TMPDIR/x.xlsx"
}
