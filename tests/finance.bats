#!/usr/bin/env bats
# Financials (issue 15): transactions (invoices, payments, credit notes) on the generic engine,
# their repeatable import keyed by number, receivables (allocation by the invoice named, else
# oldest due first; ageing at a fixed now), the credit rules of `credit:`, contract fulfilment,
# financial reports per account and year.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2026-06-30T10:00:00Z
	use_system_config </dev/null
	crm account add Acme --credit-limit 1000 --credit-rating BBB >/dev/null
	crm account add Globex >/dev/null
}

invoices() {
	crm transaction add invoice INV-1 100 --account Acme --date 2026-01-10 --due 2026-02-09 >/dev/null
	crm transaction add invoice INV-2 200.50 --account Acme --date 2026-05-01 --due 2026-05-31 >/dev/null
	crm transaction add invoice INV-3 300 --account Acme --date 2026-06-01 --due 2026-07-01 >/dev/null
}

# ---------------------------------------------------------------- transactions

@test "transaction add, list, show, edit, rm for each type: exact amounts, default status open" {
	run -0 crm transaction add invoice INV-1 1200.50 --account Acme --date 2026-06-01 --due 2026-07-01
	[ "$output" = 1 ]
	run -0 crm transaction add payment PAY-1 200 --account Acme --applies-to INV-1
	[ "$output" = 2 ]
	run -0 crm transaction add credit_note CN-1 0.50 --account acme --currency eur
	[ "$output" = 3 ]
	run -0 crm transaction list --fields type,number,account,date,due,amount,currency,status,applies_to
	[ "$output" = $'type\tnumber\taccount\tdate\tdue\tamount\tcurrency\tstatus\tapplies_to\ninvoice\tINV-1\tAcme\t2026-06-01\t2026-07-01\t1200.50\tEUR\topen\t\npayment\tPAY-1\tAcme\t2026-06-30\t\t200.00\tEUR\topen\tINV-1\ncredit_note\tCN-1\tAcme\t2026-06-30\t\t0.50\tEUR\topen\t' ]
	[ "$(db_sql "SELECT amount FROM transactions WHERE number = 'INV-1'")" = 120050 ]
	run -0 crm transaction show inv-1 -F json
	[[ "$output" == *'"amount": 1200.50,'* ]]
	[[ "$output" == *'"payments": [{"id": 2,'* ]] || [[ "$output" == *'"payments": ['* ]]
	crm transaction edit CN-1 --status void
	run -0 crm transaction history CN-1
	[[ "$output" == *"status	open	void"* ]]
	run -4 crm transaction rm INV-1
	[[ "$output" == *"PAY-1"* || "$output" == *"transaction"* ]]
	crm transaction rm CN-1
	run -0 crm transaction list --fields number --no-headers
	[ "$output" = $'INV-1\nPAY-1' ]
}

@test "transaction numbers are unique over all types, case ignored (exit 4)" {
	crm transaction add invoice INV-1 10 --account Acme >/dev/null
	run -4 crm transaction add payment inv-1 10 --account Acme
	[[ "$output" == *"already exists"* ]]
}

@test "bad transactions are refused with nothing written: amounts, type, account, currency, applies_to" {
	crm transaction add invoice INV-1 10 --account Acme >/dev/null
	run -6 crm transaction add invoice X1 -5 --account Acme
	[ "$output" = "crm: amount '-5' is below its minimum, 0" ]
	run -6 crm transaction add invoice X1 0 --account Acme
	[ "$output" = "crm: transaction amount '0.00' must be more than 0" ]
	run -6 crm transaction add invoice X1 1.234 --account Acme
	[[ "$output" == *"more decimals than EUR allows"* ]]
	run -6 crm transaction add receipt X1 5 --account Acme
	[[ "$output" == *"invalid type 'receipt'"*"invoice, payment, credit_note"* ]]
	run -3 crm transaction add invoice X1 5 --account Acmee
	[ "$output" = "crm: account 'Acmee' not found; did you mean 'Acme'?" ]
	run -3 crm transaction add invoice X1 5 --account Zeta
	[ "$output" = "crm: account 'Zeta' not found" ]
	run -6 crm transaction add invoice X1 5 --account Acme --currency XYZ
	[ "$output" = "crm: unknown currency 'XYZ' (not an ISO 4217 code: EUR, USD, RON, JPY)" ]
	run -6 crm transaction add payment X1 5 --account Globex --applies-to INV-1
	[ "$output" = "crm: invoice 'INV-1' is another account's" ]
	run -6 crm transaction add payment X1 5 --account Acme --currency USD --applies-to INV-1
	[ "$output" = "crm: invoice 'INV-1' is in EUR, not USD: a payment or credit note is in its invoice's currency" ]
	crm transaction add payment P1 5 --account Acme >/dev/null
	run -6 crm transaction add credit_note X1 5 --account Acme --applies-to P1
	[ "$output" = "crm: transaction 'P1' is a payment, not an invoice" ]
	run -6 crm transaction add invoice X1 5 --account Acme --applies-to INV-1
	[[ "$output" == *"an invoice applies to no other transaction"* ]]
	run -6 crm transaction add invoice X1 5 --account Acme --date 2026-06-01 --due 2026-05-01
	[ "$(db_sql "SELECT count(*) FROM transactions")" = 2 ]
}

@test "transaction import is keyed by number and repeatable: a second run changes nothing" {
	cat >"$BATS_TEST_TMPDIR/acct.csv" <<-'EOF'
	type,number,account,date,due,amount,currency
	invoice,INV-1,Acme,2026-01-10,2026-02-09,100.00,EUR
	invoice,INV-2,Acme,2026-05-01,2026-05-31,200.50,EUR
	payment,PAY-1,Acme,2026-06-10,,150,EUR
	invoice,JP-1,Globex,2026-06-01,2026-06-15,5000,JPY
	EOF
	run -0 crm transaction import "$BATS_TEST_TMPDIR/acct.csv" --key number
	[ "$(db_sql "SELECT count(*) FROM transactions")" = 4 ]
	[ "$(db_sql "SELECT amount FROM transactions WHERE number = 'JP-1'")" = 5000 ]
	before=$(db_sql "SELECT group_concat(id || number || amount || updated, ';') FROM transactions")
	hist=$(db_sql "SELECT count(*) FROM history")
	run -0 crm transaction import "$BATS_TEST_TMPDIR/acct.csv" --key number
	[ "$(db_sql "SELECT group_concat(id || number || amount || updated, ';') FROM transactions")" = "$before" ]
	[ "$(db_sql "SELECT count(*) FROM history")" = "$hist" ]
	[[ "$output" == *"0 created, 0 updated, 4 unchanged, 0 rejected (nothing written, no import batch)"* ]]
	# a changed row is an update, found by its number
	sed -i 's/200.50/210.00/' "$BATS_TEST_TMPDIR/acct.csv"
	crm transaction import "$BATS_TEST_TMPDIR/acct.csv" --key number
	[ "$(db_sql "SELECT amount FROM transactions WHERE number = 'INV-2'")" = 21000 ]
	[ "$(db_sql "SELECT count(*) FROM transactions")" = 4 ]
}

@test "transaction import rejects bad rows (negative amount, unknown account or currency): nothing written, exit 6" {
	cat >"$BATS_TEST_TMPDIR/bad.csv" <<-'EOF'
	type,number,account,date,amount,currency
	invoice,INV-1,Acme,2026-01-10,100.00,EUR
	invoice,INV-2,Acme,2026-01-10,-3,EUR
	invoice,INV-3,Nobody,2026-01-10,3,EUR
	invoice,INV-4,Acme,2026-01-10,3,XYZ
	EOF
	run -6 crm transaction import "$BATS_TEST_TMPDIR/bad.csv" --key number
	[[ "$output" == *"line 3"*"amount"* ]]
	[[ "$output" == *"line 4"* ]]
	[[ "$output" == *"line 5"*"XYZ"* ]]
	[ "$(db_sql "SELECT count(*) FROM transactions")" = 0 ]
}

# ---------------------------------------------------------------- receivables

@test "receivables: a payment naming an invoice pays it, the rest pays the oldest due first" {
	invoices
	crm transaction add payment PAY-1 150 --account Acme --date 2026-06-10 >/dev/null
	crm transaction add credit_note CN-1 50 --account Acme --applies-to INV-3 >/dev/null
	run -0 crm report receivables --invoices --account Acme
	# PAY-1 pays INV-1 (100) and 50 of INV-2; CN-1 takes 50 off INV-3
	[ "$output" = $'number\tdate\tdue\tcurrency\tamount\topen\tdays_overdue\nINV-2\t2026-05-01\t2026-05-31\tEUR\t200.50\t150.50\t30\nINV-3\t2026-06-01\t2026-07-01\tEUR\t300.00\t250.00\t0' ]
	# a payment naming an invoice it more than pays: the rest goes oldest first
	crm transaction add payment PAY-2 300 --account Acme --applies-to INV-3 >/dev/null
	run -0 crm report receivables --invoices --account Acme --no-headers
	[ "$output" = $'INV-2\t2026-05-01\t2026-05-31\tEUR\t200.50\t100.50\t30' ]
	# void and draft transactions do not count
	crm transaction edit PAY-2 --status void
	crm transaction add payment PAY-3 1000 --account Acme --status draft >/dev/null
	run -0 crm report receivables --invoices --account Acme --no-headers
	[ "$output" = $'INV-2\t2026-05-01\t2026-05-31\tEUR\t200.50\t150.50\t30\nINV-3\t2026-06-01\t2026-07-01\tEUR\t300.00\t250.00\t0' ]
}

@test "transaction show: an invoice says what of it is paid and open, as the allocation has it (at CRM_NOW)" {
	invoices
	crm transaction add payment PAY-1 150 --account Acme --date 2026-06-10 >/dev/null
	crm transaction add credit_note CN-1 50 --account Acme --applies-to INV-3 >/dev/null
	# PAY-1 names no invoice: it pays INV-1 whole and 50 of INV-2, oldest due first
	run -0 crm transaction show INV-1
	[[ "$output" == *$'Paid and open\ncurrency  amount  paid    open  days_overdue\nEUR       100.00  100.00  0.00  0\n'* ]]
	run -0 crm transaction show INV-2 -F json
	[[ "$output" == *'"allocation": [
    {
      "currency": "EUR",
      "amount": 200.50,
      "paid": 50.00,
      "open": 150.50,
      "days_overdue": 30
    }
  ],'* ]]
	run -0 crm transaction show INV-3 -F json
	[[ "$output" == *'"paid": 50.00,'*'"open": 250.00,'*'"days_overdue": 0'* ]]
	# a payment, a draft or a void invoice has no such section
	run -0 crm transaction show PAY-1
	[[ "$output" != *"Paid and open"* ]]
	crm transaction edit INV-3 --status void
	run -0 crm transaction show INV-3
	[[ "$output" != *"Paid and open"* ]]
	crm transaction add invoice INV-4 10 --account Acme --status draft >/dev/null
	run -0 crm transaction show INV-4 -F json
	[[ "$output" == *'"allocation": [],'* ]]
}

@test "receivables: ageing buckets at a fixed --now, per account and currency, never mixing currencies" {
	crm transaction add invoice A 10 --account Acme --date 2026-01-01 --due 2026-07-01 >/dev/null  # current
	crm transaction add invoice B 20 --account Acme --date 2026-01-01 --due 2026-06-29 >/dev/null  # 1 day
	crm transaction add invoice C 30 --account Acme --date 2026-01-01 --due 2026-05-31 >/dev/null  # 30
	crm transaction add invoice D 40 --account Acme --date 2026-01-01 --due 2026-05-30 >/dev/null  # 31
	crm transaction add invoice E 50 --account Acme --date 2026-01-01 --due 2026-05-01 >/dev/null  # 60
	crm transaction add invoice F 60 --account Acme --date 2026-01-01 --due 2026-04-01 >/dev/null  # 90
	crm transaction add invoice G 70 --account Acme --date 2026-01-01 --due 2026-03-31 >/dev/null  # 91
	crm transaction add invoice H 1000 --account Globex --currency JPY --date 2026-06-01 >/dev/null # 29
	crm transaction add payment P 5000 --account Globex --currency USD >/dev/null
	run -0 crm report receivables --now 2026-06-30
	[ "$output" = $'account\tcurrency\tbalance\tcurrent\tdays_1_30\tdays_31_60\tdays_61_90\tdays_over_90\toverdue\tunapplied\topen_invoices\nAcme\tEUR\t280.00\t10.00\t50.00\t90.00\t60.00\t70.00\t270.00\t0.00\t7\nGlobex\tJPY\t1000\t0\t1000\t0\t0\t0\t1000\t0\t1\nGlobex\tUSD\t-5000.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\t5000.00\t0' ]
	# another day, another ageing
	run -0 crm report receivables --now 2026-01-15 --account Acme --no-headers
	[ "$output" = $'EUR\t280.00\t280.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\t7' ]
	run -0 crm report receivables --now 2026-06-30 -F json
	[[ "$output" == *'"balance":280.00,'* ]]
	run -6 crm report receivables --now someday
	run -3 crm report receivables --account Nobody
}

@test "account show has the credit, receivables and open invoices sections (at CRM_NOW)" {
	invoices
	crm transaction add payment PAY-1 150 --account Acme --date 2026-06-10 >/dev/null
	run -0 crm account show Acme
	[[ "$output" == *$'Receivables\ncurrency  balance  current  days_1_30  days_31_60  days_61_90  days_over_90  overdue  unapplied  open_invoices\nEUR       450.50   300.00   150.50     0.00        0.00        0.00          150.50   0.00       2'* ]]
	[[ "$output" == *$'Open invoices\nnumber  date        due         currency  amount  open    days_overdue\nINV-2   2026-05-01  2026-05-31  EUR       200.50  150.50  30\nINV-3   2026-06-01  2026-07-01  EUR       300.00  300.00  0'* ]]
	[[ "$output" == *$'Credit\nrating  currency  limit    balance  available  deposit  payment  new_contracts\nBBB     EUR       1000.00  450.50   549.50     0%       invoice  allowed'* ]]
	run -0 crm account show Acme -F json
	run -0 jq -c '[.receivables[0].balance, .open_invoices[0].number, .credit[0].available]' <<<"$output"
	[ "$output" = '[450.5,"INV-2",549.5]' ]
	run -0 crm account show Globex -F json
	run -0 jq -c '[.receivables, .open_invoices]' <<<"$output"
	[ "$output" = '[[],[]]' ]
}

@test "receivables read the index: the plan of one account's walk searches transactions_receivables" {
	skip_unless_sqlite
	run -0 db_sql "EXPLAIN QUERY PLAN SELECT t.account_id, t.currency, t.type, t.id, t.number, t.amount, t.date, t.due_date, t.applies_to_id FROM transactions t WHERE t.account_id = 1 AND t.status = 'open' ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id"
	[[ "$output" == *"USING INDEX transactions_receivables (account_id=?)"* ]]
	[[ "$output" != *"TEMP B-TREE"* ]]
	run -0 db_sql "EXPLAIN QUERY PLAN SELECT t.account_id, t.currency, t.type, t.id, NULL, t.amount, t.date, t.due_date, t.applies_to_id FROM transactions t WHERE t.status = 'open' ORDER BY t.account_id, t.currency, t.due_date, t.date, t.id"
	[[ "$output" == *"USING COVERING INDEX transactions_receivables"* ]]
	[[ "$output" != *"TEMP B-TREE"* ]]
}

# ---------------------------------------------------------------- credit rules

credit_config() {
	cat >"$BATS_TEST_TMPDIR/c.yaml" <<-EOF
	credit:
	  over_limit: {contract: $1, ticket: $2, offer: ${3:-ignore}}
	  overdue_days: 30
	EOF
	export CRM_CONFIG=$BATS_TEST_TMPDIR/c.yaml
}

@test "credit: the limit cannot be negative (exit 6)" {
	run -6 crm account edit Acme --credit-limit -1
	[ "$output" = "crm: credit_limit '-1' is below its minimum, 0" ]
	[ "$(db_sql "SELECT credit_limit FROM accounts WHERE name = 'Acme'")" = 100000 ]
}

@test "credit: a contract's value cannot be negative, which would slip past the limit (exit 6)" {
	credit_config refuse warn
	crm transaction add invoice INV-1 1200 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	run -6 crm contract add "Minus" --account Acme --value -500
	[ "$output" = "crm: value '-500' is below its minimum, 0" ]
	[ "$(db_sql "SELECT count(*) FROM contracts")" = 0 ]
	crm contract add "Zero" --account Globex --value 0 >/dev/null
	run -6 crm contract edit Zero --value -1
	[ "$output" = "crm: value '-1' is below its minimum, 0" ]
	[ "$(db_sql "SELECT value FROM contracts")" = 0 ]
	printf 'title,account,value\nImported,Globex,-3\n' >"$BATS_TEST_TMPDIR/c.csv"
	run -6 crm contract import "$BATS_TEST_TMPDIR/c.csv"
	[ "$(db_sql "SELECT count(*) FROM contracts")" = 1 ]
}

@test "credit: a contract over the limit is refused when over_limit.contract is refuse" {
	credit_config refuse warn
	crm transaction add invoice INV-1 600 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	run -6 crm contract add "Big deal" --account Acme --value 500
	[ "$output" = "crm: account 'Acme' would owe 1100.00 EUR with this contract, over its credit limit of 1000.00 EUR (open balance 600.00)" ]
	[ "$(db_sql "SELECT count(*) FROM contracts")" = 0 ]
	run -0 crm contract add "Small deal" --account Acme --value 400
	[ "$output" = 1 ]
	# another currency is not compared with the limit
	run -0 crm contract add "Dollar deal" --account Acme --value 5000 --currency USD
}

@test "credit: a contract over the limit is a warning when over_limit.contract is warn" {
	credit_config warn warn
	crm transaction add invoice INV-1 600 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	run -0 --separate-stderr crm contract add "Big deal" --account Acme --value 500
	[ "$output" = 1 ]
	[ "$stderr" = "crm: warning: account 'Acme' would owe 1100.00 EUR with this contract, over its credit limit of 1000.00 EUR (open balance 600.00)" ]
	run -0 --separate-stderr crm -q contract add "Other deal" --account Acme --value 500
	[ "$stderr" = "" ]
}

@test "credit: an edit that raises a contract's value is checked again; one that does not, is not" {
	credit_config refuse warn
	crm transaction add invoice INV-1 600 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	crm contract add "Deal" --account Acme --value 300 >/dev/null
	run -6 crm contract edit Deal --value 500
	[ "$output" = "crm: account 'Acme' would owe 1100.00 EUR with this contract, over its credit limit of 1000.00 EUR (open balance 600.00)" ]
	[ "$(db_sql "SELECT value FROM contracts")" = 30000 ]
	run -0 crm contract edit Deal --value 400
	[ "$(db_sql "SELECT value FROM contracts")" = 40000 ]
	# the balance grew past the limit: lowering the value or changing the title is still allowed
	crm transaction add invoice INV-2 500 --account Acme --date 2026-06-21 --due 2026-07-21 >/dev/null
	run -0 crm contract edit Deal --value 100 --title "Smaller deal"
	[ "$(db_sql "SELECT value || ' ' || title FROM contracts")" = "10000 Smaller deal" ]
	credit_config warn warn
	run -0 --separate-stderr crm contract edit "Smaller deal" --value 200
	[ "$stderr" = "crm: warning: account 'Acme' would owe 1300.00 EUR with this contract, over its credit limit of 1000.00 EUR (open balance 1100.00)" ]
}

@test "credit: an offer is checked when added (the balance) and when sent (its total), as over_limit.offer says" {
	crm user add mia --roles manager >/dev/null
	crm transaction add invoice INV-1 900 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	credit_config ignore ignore refuse
	crm offer add "Website" --account Acme >/dev/null
	crm offer line add 1 Design work --price 150 >/dev/null
	crm offer submit 1 >/dev/null
	crm --as mia offer approve 1 >/dev/null
	run -6 crm offer send 1
	[ "$output" = "crm: account 'Acme' would owe 1050.00 EUR with this offer, over its credit limit of 1000.00 EUR (open balance 900.00)" ]
	[ "$(db_sql "SELECT status FROM offers")" = approved ]
	credit_config ignore ignore warn
	run -0 --separate-stderr crm offer send 1
	[ "$stderr" = "crm: warning: account 'Acme' would owe 1050.00 EUR with this offer, over its credit limit of 1000.00 EUR (open balance 900.00)" ]
	[ "$(db_sql "SELECT status FROM offers")" = sent ]
	# over the limit already: a new offer is refused
	crm transaction add invoice INV-2 200 --account Acme --date 2026-06-21 --due 2026-07-21 >/dev/null
	credit_config ignore ignore refuse
	run -6 crm offer add "More" --account Acme
	[ "$output" = "crm: account 'Acme' owes 1100.00 EUR, over its credit limit of 1000.00 EUR: no new offer" ]
	[ "$(db_sql "SELECT count(*) FROM offers")" = 1 ]
	# ignore says nothing
	credit_config ignore ignore
	run -0 --separate-stderr crm offer add "More" --account Acme
	[ "$stderr" = "" ]
	# a rating that refuses stops offers too
	crm account edit Globex --credit-rating D
	run -6 crm offer add "Deal" --account Globex
	[ "$output" = "crm: account 'Globex' has credit rating D: no new offer (credit.ratings)" ]
}

@test "credit: a ticket for an account over its limit is refused or warned as over_limit.ticket says" {
	crm transaction add invoice INV-1 1200 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	credit_config warn refuse
	run -6 crm ticket open "Broken" --account Acme
	[ "$output" = "crm: account 'Acme' owes 1200.00 EUR, over its credit limit of 1000.00 EUR: no new ticket" ]
	[ "$(db_sql "SELECT count(*) FROM tickets")" = 0 ]
	credit_config warn warn
	run -0 --separate-stderr crm ticket open "Broken" --account Acme
	[ "$stderr" = "crm: warning: account 'Acme' owes 1200.00 EUR, over its credit limit of 1000.00 EUR" ]
	# within the limit: nothing said
	run -0 --separate-stderr crm ticket open "Fine" --account Globex
	[ "$stderr" = "" ]
}

@test "credit: a ticket edit that moves it to another account is checked as a new ticket; other edits are not" {
	crm transaction add invoice INV-1 1200 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	credit_config warn ignore
	crm ticket open "Broken" --account Globex >/dev/null
	credit_config warn refuse
	run -6 crm ticket edit 1 --account Acme
	[ "$output" = "crm: account 'Acme' owes 1200.00 EUR, over its credit limit of 1000.00 EUR: no new ticket" ]
	[ "$(db_sql "SELECT a.name FROM tickets t JOIN accounts a ON a.id = t.account_id")" = Globex ]
	credit_config warn warn
	run -0 --separate-stderr crm ticket edit 1 --account Acme
	[ "$stderr" = "crm: warning: account 'Acme' owes 1200.00 EUR, over its credit limit of 1000.00 EUR" ]
	[ "$(db_sql "SELECT a.name FROM tickets t JOIN accounts a ON a.id = t.account_id")" = Acme ]
	# the ticket stays with Acme: its other fields change without a word, even under refuse
	credit_config warn refuse
	run -0 --separate-stderr crm ticket edit 1 --title "Still broken" --priority high
	[ "$stderr" = "" ]
	[ "$(db_sql "SELECT title || ' ' || priority FROM tickets")" = "Still broken high" ]
	# a rating that refuses stops a move too
	crm account edit Globex --credit-rating D
	run -6 crm ticket edit 1 --account Globex
	[ "$output" = "crm: account 'Globex' has credit rating D: no new ticket (credit.ratings)" ]
	# the same refusal, worded as on open, when a transition moves it (and as --status does)
	run -6 crm ticket transition 1 start --account Globex
	[ "$output" = "crm: account 'Globex' has credit rating D: no new ticket (credit.ratings)" ]
	run -6 crm ticket edit 1 --status start --account Globex
	[ "$output" = "crm: account 'Globex' has credit rating D: no new ticket (credit.ratings)" ]
	[ "$(db_sql "SELECT a.name || ' ' || t.status FROM tickets t JOIN accounts a ON a.id = t.account_id")" = "Acme new" ]
	# an unknown account reads as every kind's edit says it
	run -3 crm ticket edit 1 --account Nobody
	[ "$output" = "crm: account 'Nobody' not found" ]
}

@test "credit: a contract moved to another account, or to another currency, is checked for its whole value" {
	credit_config refuse warn
	crm transaction add invoice INV-1 600 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	crm contract add "Deal" --account Globex --value 500 >/dev/null
	run -6 crm contract edit Deal --account Acme
	[ "$output" = "crm: account 'Acme' would owe 1100.00 EUR with this contract, over its credit limit of 1000.00 EUR (open balance 600.00)" ]
	[ "$(db_sql "SELECT account_id FROM contracts")" = 2 ]
	credit_config warn warn
	run -0 --separate-stderr crm contract edit Deal --account Acme
	[ "$stderr" = "crm: warning: account 'Acme' would owe 1100.00 EUR with this contract, over its credit limit of 1000.00 EUR (open balance 600.00)" ]
	# from dollars to euros with a smaller number: all of it is new in euros
	crm contract add "Dollars" --account Acme --value 900 --currency USD >/dev/null
	credit_config refuse warn
	run -6 crm contract edit Dollars --value 450 --currency EUR
	[ "$output" = "crm: account 'Acme' would owe 1050.00 EUR with this contract, over its credit limit of 1000.00 EUR (open balance 600.00)" ]
	[ "$(db_sql "SELECT value || ' ' || currency FROM contracts WHERE title = 'Dollars'")" = "90000 USD" ]
}

@test "credit: a sent offer moved to another account is checked for its total there" {
	crm user add mia --roles manager >/dev/null
	crm transaction add invoice INV-1 900 --account Acme --date 2026-06-20 --due 2026-07-20 >/dev/null
	credit_config ignore ignore refuse
	crm offer add "Website" --account Globex >/dev/null
	crm offer line add 1 Design work --price 150 >/dev/null
	crm offer submit 1 >/dev/null
	crm --as mia offer approve 1 >/dev/null
	crm offer send 1 >/dev/null
	run -6 crm offer edit 1 --account Acme
	[ "$output" = "crm: account 'Acme' would owe 1050.00 EUR with this offer, over its credit limit of 1000.00 EUR (open balance 900.00)" ]
	[ "$(db_sql "SELECT account_id FROM offers")" = 2 ]
	credit_config ignore ignore warn
	run -0 --separate-stderr crm offer edit 1 --account Acme
	[ "$stderr" = "crm: warning: account 'Acme' would owe 1050.00 EUR with this offer, over its credit limit of 1000.00 EUR (open balance 900.00)" ]
	[ "$(db_sql "SELECT account_id FROM offers")" = 1 ]
}

@test "credit: a rating that refuses stops new contracts and tickets (exit 6)" {
	crm account edit Globex --credit-rating D
	run -6 crm contract add "Deal" --account Globex --value 10
	[ "$output" = "crm: account 'Globex' has credit rating D: no new contract (credit.ratings)" ]
	run -6 crm ticket open "Help" --account Globex
	[ "$output" = "crm: account 'Globex' has credit rating D: no new ticket (credit.ratings)" ]
	run -0 crm account show Globex -F json
	run -0 jq -r '.credit[0].new_contracts' <<<"$output"
	[ "$output" = refused ]
}

@test "credit: a rating's deposit and payment method are said when a contract is added" {
	crm account edit Globex --credit-rating B
	run -0 --separate-stderr crm contract add "Deal" --account Globex --value 1000.10
	[ "$stderr" = "crm: warning: account 'Globex' (credit rating B) pays a deposit of 30% (300.03 EUR) before work starts; payment: direct_debit" ]
	crm account edit Globex --credit-rating BBB
	run -0 --separate-stderr crm contract add "Deal 2" --account Globex --value 10
	[ "$stderr" = "" ]
	run -0 crm account show Globex -F json
	run -0 jq -c '.credit[0] | [.rating, .deposit, .payment]' <<<"$output"
	[ "$output" = '["BBB","0%","invoice"]' ]
}

@test "credit: an invoice overdue more than overdue_days is a warning on a new contract" {
	credit_config ignore ignore
	crm transaction add invoice OLD 10 --account Acme --date 2026-01-01 --due 2026-05-01 >/dev/null
	run -0 --separate-stderr crm contract add "Deal" --account Acme --value 10
	[[ "$stderr" == *"crm: warning: account 'Acme' has an invoice 60 days overdue (credit.overdue_days: 30)"* ]]
}

@test "credit: a misspelt key of credit: is a configuration error (78)" {
	printf 'credit:\n  over_limits: {contract: warn}\n' >"$BATS_TEST_TMPDIR/c.yaml"
	CRM_CONFIG=$BATS_TEST_TMPDIR/c.yaml run -78 crm account list
	[[ "$output" == *"over_limits"* ]]
}

# ---------------------------------------------------------------- fulfilment

@test "contract deliver marks a line delivered and makes its draft invoice once" {
	crm contract add "Support 2026" --account Acme --value 2000 >/dev/null
	crm contract line add "Support 2026" "Consulting day" --quantity 2.5 --price 800 >/dev/null
	crm contract line add "Support 2026" "Licence" --price 99.99 >/dev/null
	run -0 crm contract deliver "Support 2026" "consulting day" --date 2026-06-15
	[ "$output" = 1 ]
	run -0 crm transaction list --fields type,number,account,date,amount,currency,status,contract,line --no-headers
	[ "$output" = $'invoice\tD-1-1\tAcme\t2026-06-15\t2000.00\tEUR\tdraft\tSupport 2026\tConsulting day' ]
	[ "$(db_sql "SELECT delivered FROM contract_lines WHERE id = 1")" = 2026-06-15 ]
	# once: again, nothing new
	run -0 --separate-stderr crm contract deliver "Support 2026" 1
	[ "$output" = 1 ]
	[ "$stderr" = "contract line '1' was invoiced already, by transaction 1" ]
	[ "$(db_sql "SELECT count(*) FROM transactions")" = 1 ]
	# a draft is not a receivable until it is issued
	run -0 crm report receivables --no-headers
	[ "$output" = "" ]
	crm transaction edit D-1-1 --status open
	run -0 crm report receivables --no-headers
	[ "$(cut -f2,3 <<<"$output")" = $'EUR\t2000.00' ]
	run -0 crm contract show "Support 2026" -F json
	run -0 jq -c '[.lines[0].delivered, .transactions[0].number]' <<<"$output"
	[ "$output" = '["2026-06-15","D-1-1"]' ]
	run -3 crm contract deliver "Support 2026" "Nothing"
	run -2 crm contract deliver "Support 2026"
}

@test "contract deliver refuses a line without a price, writing nothing" {
	crm contract add "Free" --account Acme >/dev/null
	crm contract line add "Free" "Gift" >/dev/null
	run -6 crm contract deliver Free Gift
	[ "$output" = "crm: contract line 1 ('Gift') has no price: nothing to invoice" ]
	[ "$(db_sql "SELECT count(*) FROM transactions")" = 0 ]
	[ -z "$(db_sql "SELECT delivered FROM contract_lines WHERE id = 1")" ]
}

# ---------------------------------------------------------------- financial reports

@test "financial reports per account and year, with history, shown on the account" {
	run -0 crm financial add --account Acme --year 2025 --revenue 1500000 --profit -20000.50 --employees 42 --source "annual report"
	[ "$output" = 1 ]
	crm financial add --account Acme --year 2024 --revenue 1200000 --profit 10000 --employees 40 >/dev/null
	run -4 crm financial add --account Acme --year 2025 --revenue 1
	# a key of two fields is named by both, the account by its name
	[ "$output" = "crm: financial with account 'Acme' and year '2025' already exists" ]
	run -0 crm financial add --account Globex --year 2025
	run -4 crm financial edit 1 --year 2024
	[ "$output" = "crm: financial with account 'Acme' and year '2024' already exists" ]
	crm financial edit 1 --employees 45
	run -0 crm financial history 1
	[[ "$output" == *"employees	42	45"* ]]
	run -0 crm account show Acme -F json
	run -0 jq -c '[.financials[] | [.year, .revenue, .profit, .employees]]' <<<"$output"
	[ "$output" = '[[2025,1500000,-20000.5,45],[2024,1200000,10000,40]]' ]
	run -6 crm financial add --account Acme --year 2023 --employees -1
	run -6 crm financial add --account Acme --year 2023 --revenue -1
}

# ---------------------------------------------------------------- client value

client_value_data() {
	cat >"$BATS_TEST_TMPDIR/cv.yaml" <<-'EOF'
	client_value:
	  weights: {revenue_12m: 1, margin: 1, pipeline: 0.5, overdue: -1, tickets: -10, activities: 5}
	  segments: {a: 1000, b: 100}
	EOF
	export CRM_CONFIG=$BATS_TEST_TMPDIR/cv.yaml
	crm account add Initech >/dev/null
	crm transaction add invoice I1 2000 --account Acme --date 2026-05-01 --due 2026-05-31 >/dev/null
	crm transaction add invoice I0 500 --account Acme --date 2024-01-01 >/dev/null
	crm transaction add payment P0 500 --account Acme --date 2024-02-01 >/dev/null
	crm transaction add credit_note C1 100 --account Acme --date 2026-06-01 >/dev/null
	crm transaction add invoice U1 9999 --account Acme --currency USD --date 2026-06-01 >/dev/null
	crm project add Apollo --account Globex --income 300 >/dev/null
	crm project cost add Apollo 50 "travel" >/dev/null
	crm opportunity add "Upsell" --account Globex --value 100 >/dev/null
	crm opportunity add "Won one" --account Globex --value 7000 --stage proposal >/dev/null
	crm opportunity win "Won one" >/dev/null
	crm ticket open "Broken" --account Globex >/dev/null
	crm activity log "Call" --type call --account Globex >/dev/null
	crm activity log "Old call" --type call --account Globex --at 2024-01-01 >/dev/null
}

@test "report client-value: revenue, margin, pipeline, receivables, overdue share, tickets, activities, score, segment" {
	client_value_data
	run -0 crm report client-value --now 2026-06-30
	[ "$output" = $'account\tcurrency\trevenue_12m\trevenue\tmargin\tpipeline\treceivables\toverdue\toverdue_share\ttickets\tactivities\tscore\tsegment\nGlobex\tEUR\t0.00\t0.00\t250.00\t100.00\t0.00\t0.00\t\t1\t1\t295.00\tB\nAcme\tEUR\t1900.00\t2400.00\t0.00\t0.00\t1900.00\t1900.00\t100.0\t0\t0\t0.00\tC\nInitech\tEUR\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\t\t0\t0\t0.00\tC' ]
	run -0 crm report client-value --now 2026-06-30 -F json
	run -0 jq -c '.[0] | [.account, .score, .segment, .tickets]' <<<"$output"
	[ "$output" = '["Globex",295,"B",1]' ]
	run -6 crm report client-value --now never
}

@test "report export client-value: typed cells, a chart, the About sheet (openpyxl)" {
	client_value_data
	run -0 crm report export client-value --now 2026-06-30 -o "$BATS_TEST_TMPDIR/v.xlsx"
	run -0 py - "$BATS_TEST_TMPDIR/v.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Segments", "Client value", "About"], wb.sheetnames
ws = wb["Client value"]
head = [c.value for c in ws[1]]
assert head[:3] == ["account", "currency", "revenue_12m"] and head[-1] == "segment", head
rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
assert rows["Acme"][2] == 1900 and isinstance(rows["Acme"][2], (int, float)), rows["Acme"]
assert ws.cell(row=2, column=3).number_format == "#,##0.00", ws.cell(row=2, column=3).number_format
assert rows["Acme"][8] == 100 and rows["Globex"][9] == 1 and rows["Globex"][12] == "B", rows
seg = wb["Segments"]
assert [c.value for c in seg["A"]][:4] == ["Segment", "A", "B", "C"]
assert seg["B3"].value == 1 and seg["B4"].value == 2, (seg["B3"].value, seg["B4"].value)
assert len(seg._charts) == 1, seg._charts
about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
assert about["Filter"] == "as of 2026-06-30" and about["Made by"].startswith("crm "), about
assert "client-value" in about["Command"], about
PY
	echo "$output"
	run -2 crm report export client-value account:Acme -o "$BATS_TEST_TMPDIR/x.xlsx"
	run -2 crm report export tickets --now 2026-01-01 -o "$BATS_TEST_TMPDIR/x.xlsx"
}

@test "a transaction links to an offer: the offer implies the account; another account's offer is refused" {
	crm offer add "Website" --account Acme >/dev/null
	run -0 crm transaction add invoice INV-1 100 --offer OF-2026-0001 --date 2026-06-01
	[ "$output" = 1 ]
	run -0 crm transaction list --fields number,account,offer --no-headers
	[ "$output" = $'INV-1\tAcme\tOF-2026-0001' ]
	run -0 crm transaction list offer:OF-2026-0001 --fields number --no-headers
	[ "$output" = INV-1 ]
	run -6 crm transaction add payment PAY-1 100 --account Globex --offer OF-2026-0001
	[ "$output" = "crm: offer 'OF-2026-0001' belongs to account 'Acme', not 'Globex'" ]
	run -3 crm transaction add payment PAY-1 100 --account Acme --offer OF-2026-0099
	[ "$output" = "crm: offer 'OF-2026-0099' not found; did you mean 'OF-2026-0001'?" ]
	[ "$(db_sql "SELECT count(*) FROM transactions")" = 1 ]
	# an offer with transactions is not removed from under them
	run -4 crm offer rm 1
	[ "$output" = "crm: offer 'OF-2026-0001' is still referred to by 1 transaction; remove or move them first" ]
	[ "$(db_sql "SELECT offer_id FROM transactions")" = 1 ]
}

@test "allocation: oldest due first, ties by date; an invoice without a due date is due on its date" {
	crm transaction add invoice A 100 --account Acme --date 2026-05-10 --due 2026-06-10 >/dev/null
	crm transaction add invoice B 100 --account Acme --date 2026-05-01 --due 2026-06-10 >/dev/null
	crm transaction add invoice C 100 --account Acme --date 2026-06-20 >/dev/null
	# stored without a due date (an import may leave it so): the walk meets it first
	db_sql "UPDATE transactions SET due_date = NULL WHERE number = 'C'"
	crm transaction add payment P1 150 --account Acme --date 2026-06-25 >/dev/null
	run -0 crm account show Acme -F json
	run -0 jq -c '[.open_invoices[] | [.number, .open]]' <<<"$output"
	[ "$output" = '[["A",50],["C",100]]' ]
	run -0 crm report receivables --now 2026-06-30 -F tsv --no-headers
	[ "$output" = $'Acme\tEUR\t150.00\t0.00\t150.00\t0.00\t0.00\t0.00\t150.00\t0.00\t2' ]
}
