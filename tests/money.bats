#!/usr/bin/env bats
# Exact money (issue 12): amounts are integers of their currency's minor units, read and written
# as decimal text, summed and multiplied in integers, rounded half away from zero; values that
# floating point gets wrong come out right, on every backend and in every format.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
	crm account add Acme >/dev/null
}

@test "0.1 + 0.2 is 0.30: a project's costs and margin are summed exactly" {
	crm project add Apollo --account Acme --income 0.3 >/dev/null
	crm project cost add Apollo 0.1 first >/dev/null
	crm project cost add Apollo 0.2 second >/dev/null
	run crm project list --fields name,income,costs,margin,currency
	expect_status 0
	[ "$output" = $'name\tincome\tcosts\tmargin\tcurrency\nApollo\t0.30\t0.30\t0.00\tEUR' ]
	run crm project show Apollo -F json
	[[ "$output" == *'"costs": 0.30,'* ]]
	[[ "$output" == *'"margin": 0.00,'* ]]
	# stored as integers of cents, on either backend
	[ "$(db_sql 'SELECT sum(amount) FROM project_costs')" = 30 ]
}

@test "19.99 x 3 is 59.97; a line's amount rounds half away from zero, then lines add up" {
	crm contract add MSA --account Acme >/dev/null
	crm contract line add MSA Widget --quantity 3 --price 19.99 >/dev/null
	crm contract line add MSA Half --quantity 0.5 --price 0.01 >/dev/null
	crm contract line add MSA Third --quantity 0.333 --price 0.03 >/dev/null
	run crm contract line list MSA --fields product,quantity,price,amount
	expect_status 0
	[ "$output" = $'product\tquantity\tprice\tamount\nWidget\t3\t19.99\t59.97\nHalf\t0.5\t0.01\t0.01\nThird\t0.333\t0.03\t0.01' ]
	run crm contract list --fields title,lines_total -F csv
	[ "$output" = $'title,lines_total\nMSA,59.99' ]
	run crm contract line list MSA --fields amount -F ndjson
	[ "$output" = $'{"amount":59.97}\n{"amount":0.01}\n{"amount":0.01}' ]
}

@test "1.005 has too many decimals for EUR (6, nothing written); KWD has three, JPY none" {
	run -6 crm contract add A --account Acme --value 1.005
	[ "$output" = "crm: value '1.005' has more decimals than EUR allows (2)" ]
	run -6 crm contract add A --account Acme --value 100.5 --currency JPY
	[ "$output" = "crm: value '100.5' has more decimals than JPY allows (0)" ]
	run -6 crm contract add A --account Acme --value 1,234.56
	[[ "$output" == "crm: value '1,234.56' is not a number (write it without thousands separators"* ]]
	run -6 crm contract add A --account Acme --value 1e3
	[ "$(db_sql 'SELECT count(*) FROM contracts')" = 0 ]
	crm contract add K --account Acme --value 1.005 --currency kwd >/dev/null
	crm contract add J --account Acme --value 1000 --currency JPY >/dev/null
	crm contract add E --account Acme --value 12.5 >/dev/null
	run crm contract list --fields title,value,currency
	[ "$output" = $'title\tvalue\tcurrency\nE\t12.50\tEUR\nJ\t1000\tJPY\nK\t1.005\tKWD' ]
	[ "$(db_sql "SELECT value FROM contracts WHERE title = 'K'")" = 1005 ]
	[ "$(db_sql "SELECT value FROM contracts WHERE title = 'J'")" = 1000 ]
	# a currency change keeps the amount when the new currency can hold it exactly
	crm contract edit E --currency KWD
	[ "$(db_sql "SELECT value FROM contracts WHERE title = 'E'")" = 12500 ]
	run -6 crm contract edit K --currency EUR
	[ "$output" = "crm: value '1.005' has more decimals than EUR allows (2)" ]
	[ "$(db_sql "SELECT currency FROM contracts WHERE title = 'K'")" = KWD ]
}

@test "the largest amounts stay exact in text, json, csv and yaml" {
	crm contract add Big --account Acme --value 92233720368547.75 >/dev/null
	run crm contract list --fields value --no-headers
	[ "$output" = 92233720368547.75 ]
	run crm contract show Big -F json
	[[ "$output" == *'"value": 92233720368547.75,'* ]]
	run crm contract list --fields value -F yaml
	[[ "$output" == *'value: 92233720368547.75'* ]]
	run crm contract list --fields value -F csv --no-headers
	[ "$output" = 92233720368547.75 ]
	[ "$(db_sql 'SELECT value FROM contracts')" = 9223372036854775 ]
	run -6 crm contract add Bigger --account Acme --value 92233720368547758.08
	[ "$output" = "crm: value '92233720368547758.08' is too large" ]
}

@test "filters and sorting compare amounts exactly, across currencies" {
	crm contract add A --account Acme --value 0.3 >/dev/null
	crm contract add B --account Acme --value 0.29 >/dev/null
	crm contract add Y --account Acme --value 1 --currency JPY >/dev/null
	crm contract add K --account Acme --value 0.301 --currency KWD >/dev/null
	run crm contract list value:0.30 --fields title --no-headers
	[ "$output" = A ]
	run crm contract list value.over:0.29 --fields title --sort value --no-headers
	[ "$output" = $'A\nK\nY' ]
	run crm contract list value.under:0.3 --fields title --no-headers
	[ "$output" = B ]
	run crm contract list --sort -value --fields title --no-headers
	[ "$output" = $'Y\nK\nA\nB' ]
	run -6 crm contract list value.over:abc
}

@test "a contract's currency cannot change under its lines (4, nothing written)" {
	crm contract add MSA --account Acme >/dev/null
	crm contract line add MSA Widget --price 19.99 >/dev/null
	run -4 crm contract edit MSA --currency JPY
	[ "$output" = "crm: contract 1 has 1 contract line with a price in EUR; the currency cannot change while they are there" ]
	[ "$(db_sql 'SELECT currency FROM contracts')" = EUR ]
	[ "$(db_sql 'SELECT price FROM contract_lines')" = 1999 ]
}

@test "the configuration's currency is the default; a bad one is a configuration error" {
	printf 'currency: RON\n' > "$BATS_TEST_TMPDIR/c.yaml"
	CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" crm contract add R --account Acme --value 10 >/dev/null
	CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" crm account edit Acme --credit-limit 5000
	run crm account list --fields name,credit_limit,currency --no-headers
	[ "$output" = $'Acme\t5000.00\tRON' ]
	run crm contract list --fields title,value,currency --no-headers
	[ "$output" = $'R\t10.00\tRON' ]
	printf 'currency: euro\n' > "$BATS_TEST_TMPDIR/c.yaml"
	run -78 env CRM_CONFIG="$BATS_TEST_TMPDIR/c.yaml" "$CRM_BIN" account list
	[[ "$output" == *"c.yaml:1:11: currency must be an ISO 4217 code (EUR, RON, JPY), not 'euro'" ]]
	run -6 crm contract add X --account Acme --currency euro
	[ "$output" = "crm: currency 'euro' is not an ISO 4217 code (three letters: EUR, RON, JPY)" ]
}

@test "import takes amounts as exact text and refuses a row with too many decimals" {
	printf 'title,account,value,currency\nA,Acme,19.99,EUR\nB,Acme,0.1,EUR\nC,Acme,1.005,EUR\n' > "$BATS_TEST_TMPDIR/c.csv"
	run -6 crm contract import "$BATS_TEST_TMPDIR/c.csv"
	[[ "$output" == *"line 4"*"value '1.005' has more decimals than EUR allows (2)"* ]]
	[ "$(db_sql 'SELECT count(*) FROM contracts')" = 0 ]
	printf 'title,account,value,currency\nA,Acme,19.99,EUR\nB,Acme,0.1,EUR\n' > "$BATS_TEST_TMPDIR/c.csv"
	crm contract import "$BATS_TEST_TMPDIR/c.csv" -q
	crm contract export -o "$BATS_TEST_TMPDIR/out.csv"
	run cat "$BATS_TEST_TMPDIR/out.csv"
	[[ "$output" == *",19.99,EUR,"* ]]
	[[ "$output" == *",0.10,EUR,"* ]]
	run crm contract list --fields title,value --no-headers
	[ "$output" = $'A\t19.99\nB\t0.10' ]
}

@test "an older database's floating-point amounts become exact integers of minor units" {
	skip_unless_sqlite "builds a SQLite file at schema 16 by hand"
	export CRM_DB="$BATS_TEST_TMPDIR/old.db"
	local sql_dir="$BATS_TEST_DIRNAME/../core/sql"
	ls "$sql_dir"/*.sql | sort | head -n 16 | xargs cat | sed 's/crm_fold(/lower(/g' | sqlite3 "$CRM_DB"
	sqlite3 "$CRM_DB" "PRAGMA user_version = 16;
		INSERT INTO users (login, roles, created, updated) VALUES ('tester', 'admin', 'x', 'x'), ('$(id -un)', 'admin', 'x', 'x');
		INSERT INTO accounts (name, name_fold, credit_limit, created, updated) VALUES ('Old', 'old', 19.99, 'x', 'x');
		INSERT INTO projects (name, name_fold, income, created, updated) VALUES ('P', 'p', 0.1, 'x', 'x');
		INSERT INTO project_costs (project_id, amount, what, date, created, updated) VALUES (1, 1.005, 'odd', '2024-01-01', 'x', 'x');
		INSERT INTO contracts (title, title_fold, account_id, value, currency, created, updated) VALUES ('J', 'j', 1, 1234.0, 'JPY', 'x', 'x'), ('E', 'e', 1, 92233720368.54, NULL, 'x', 'x');
		INSERT INTO contract_lines (contract_id, product, quantity, price, created, updated) VALUES (1, 'w', 2.5, 3.0, 'x', 'x'), (2, 'v', 3, 19.99, 'x', 'x');"
	crm init -q
	[ "$(sqlite3 "$CRM_DB" 'SELECT credit_limit, typeof(credit_limit) FROM accounts')" = "1999|integer" ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT amount FROM project_costs')" = 101 ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT value FROM contracts ORDER BY id')" = $'1234\n9223372036854' ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT quantity || "x" || price FROM contract_lines ORDER BY id')" = $'2500x3\n3000x1999' ]
	run crm contract list --fields title,value,lines_total --no-headers
	[ "$output" = $'E\t92233720368.54\t59.97\nJ\t1234\t8' ]
	run crm project list --fields name,income,costs,margin --no-headers
	[ "$output" = $'P\t0.10\t1.01\t-0.91' ]
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA integrity_check')" = ok ]
}

@test "on PostgreSQL too, an older schema's double precision amounts become exact bigints" {
	is_pg || skip "PostgreSQL only (the SQLite migration has its own test)"
	# the test's database again, empty (setup made the schema in it)
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$CRM_TEST_PG_URL" \
		-c "DROP DATABASE \"$CRM_TEST_PG_NAME\" WITH (FORCE)" -c "CREATE DATABASE \"$CRM_TEST_PG_NAME\"" >/dev/null
	local sql_dir="$BATS_TEST_DIRNAME/../core/sql/pg" f
	for f in $(ls "$sql_dir"/*.sql | sort | head -n 16); do
		PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$CRM_DB" -f "$f" >/dev/null
	done
	db_sql "CREATE TABLE crm_schema (version integer NOT NULL); INSERT INTO crm_schema VALUES (16);
		INSERT INTO users (login, roles, created, updated) VALUES ('tester', 'admin', 'x', 'x'), ('$(id -un)', 'admin', 'x', 'x');
		INSERT INTO accounts (name, name_fold, credit_limit, created, updated) VALUES ('Old', 'old', 19.99, 'x', 'x');
		INSERT INTO contracts (title, title_fold, account_id, value, currency, created, updated) VALUES ('J', 'j', 1, 1234.0, 'JPY', 'x', 'x'), ('E', 'e', 1, 1.005, NULL, 'x', 'x');
		INSERT INTO contract_lines (contract_id, product, quantity, price, created, updated) VALUES (2, 'v', 3, 19.99, 'x', 'x');" >/dev/null
	crm init -q
	[ "$(db_sql 'SELECT credit_limit FROM accounts')" = 1999 ]
	[ "$(db_sql 'SELECT value FROM contracts ORDER BY id')" = $'1234\n101' ]
	run crm contract list --fields title,value,lines_total --no-headers
	[ "$output" = $'E\t1.01\t59.97\nJ\t1234\t' ]
}
