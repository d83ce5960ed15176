#!/usr/bin/env bats
# Filter terms, sorting, limits and columns of `crm <noun> list`, shown on accounts and contacts.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-06-20T12:00:00Z
}

# Four accounts created on different days; two contacts.
seed() {
	CRM_NOW=2024-01-10T09:00:00Z crm account add Acme --country DE --industry it --credit-limit 5000 \
		--notes "key account" --website https://acme.example >/dev/null
	CRM_NOW=2024-03-01T12:00:00Z crm account add "Acme Sub" --parent Acme --country de --credit-limit 500 >/dev/null
	CRM_NOW=2024-06-15T08:00:00Z crm account add Globex --country US --industry energy --credit-limit 20000 >/dev/null
	CRM_NOW=2024-06-19T23:00:00Z crm account add Initech --industry it >/dev/null
	crm contact add Ann Smith --account Acme --email ann@acme.example >/dev/null
	crm contact add Bob Jones --account Globex >/dev/null
}

# The names the filter terms select, one per line.
names() {
	crm account list --no-headers --fields name "$@"
}

# ---------------------------------------------------------------- field:value

@test "filter field:value matches ignoring case" {
	seed
	run names country:DE
	expect_status 0
	[ "$output" = $'Acme\nAcme Sub' ]
	run names COUNTRY:de
	expect_status 0
	[ "$output" = $'Acme\nAcme Sub' ]
}

@test "filter field:value matches the whole value" {
	seed
	run names name:acm
	expect_status 0
	[ -z "$output" ]
	run names name:acme
	[ "$output" = Acme ]
}

@test "filter terms are ANDed" {
	seed
	run names industry:it country:de
	expect_status 0
	[ "$output" = Acme ]
}

@test "filter value may hold a colon" {
	seed
	run names website:https://acme.example
	expect_status 0
	[ "$output" = Acme ]
}

@test "filter wildcard * matches any run of characters" {
	seed
	run names 'name:Ac*'
	expect_status 0
	[ "$output" = $'Acme\nAcme Sub' ]
	run names 'name:*ex'
	[ "$output" = Globex ]
	run names 'name:a*e'
	[ "$output" = Acme ]
	run names 'name:*'
	[ "$output" = $'Acme\nAcme Sub\nGlobex\nInitech' ]
}

@test "a start to match (name:Ac*) ignores case and accents as name:Acme does, e-mails too" {
	seed
	crm account add 'Ştefan & Co' >/dev/null
	run -0 names 'name:aC*'
	[ "$output" = $'Acme\nAcme Sub' ]
	run -0 names 'name:stef*'
	[ "$output" = 'Ştefan & Co' ]
	run -0 names 'name.not:Ac*'
	[ "$output" = $'Globex\nInitech\nŞtefan & Co' ]
	crm contact add Cy Doe --email 'Cy.Doe_x@Acme.example' >/dev/null
	run -0 crm contact list 'email:ANN@*' --fields email -F tsv --no-headers
	[ "$output" = ann@acme.example ]
	run -0 crm contact list 'email:cy.doe_*' --fields email -F tsv --no-headers
	[ "$output" = Cy.Doe_x@Acme.example ]
	# _ and % are the text's own, not wildcards
	run -0 crm contact list 'email:cy.doe%*' --fields email -F tsv --no-headers
	[ -z "$output" ]
	run -0 crm contact list 'email:cy_doe*' --fields email -F tsv --no-headers
	[ -z "$output" ]
}

@test "filter field: with no value matches the unset ones" {
	seed
	run names country:
	expect_status 0
	[ "$output" = Initech ]
	run names parent:
	[ "$output" = $'Acme\nGlobex\nInitech' ]
}

@test "filter field.not: with no value matches the set ones" {
	seed
	run names country.not:
	expect_status 0
	[ "$output" = $'Acme\nAcme Sub\nGlobex' ]
	run names parent.not:
	[ "$output" = "Acme Sub" ]
}

@test "filter field.not:value includes the unset ones" {
	seed
	run names country.not:de
	expect_status 0
	[ "$output" = $'Globex\nInitech' ]
}

@test "filter field.has:text matches a part, ignoring case" {
	seed
	run names name.has:CM
	expect_status 0
	[ "$output" = $'Acme\nAcme Sub' ]
	run names notes.has:account
	[ "$output" = Acme ]
	run names parent.has:cm
	[ "$output" = "Acme Sub" ]
}

@test "filter -field:value negates the term" {
	seed
	run names -country:de
	expect_status 0
	[ "$output" = $'Globex\nInitech' ]
	run names '-name:Ac*'
	[ "$output" = $'Globex\nInitech' ]
	run names -industry:it -country:us
	[ "$output" = "Acme Sub" ]
}

@test "filter .over and .under compare numbers" {
	seed
	run names credit_limit.over:1000
	expect_status 0
	[ "$output" = $'Acme\nGlobex' ]
	run names credit_limit.under:5000
	[ "$output" = "Acme Sub" ]
	run names credit_limit.over:499.5 credit_limit.under:5000.5
	[ "$output" = $'Acme\nAcme Sub' ]
	run names credit_limit:5000
	[ "$output" = Acme ]
	run names id.over:2
	[ "$output" = $'Globex\nInitech' ]
}

@test "filter .over on a number that is not one is invalid" {
	seed
	run names credit_limit.over:lots
	expect_status 6
	[ "$output" = "crm: 'lots' is not a number in filter 'credit_limit.over:lots'" ]
	run names credit_limit:1e
	expect_status 6
	run names id:x
	expect_status 6
	[ "$output" = "crm: 'x' is not a number in filter 'id:x'" ]
}

@test "filter .over on a field that is not a number is a usage error" {
	seed
	run names name.over:3
	expect_status 2
	[ "$output" = "crm: field 'name' is not a number; 'name.over:3' needs one" ]
}

@test "filter .before and .after compare dates" {
	seed
	run names created.before:2024-03-01
	expect_status 0
	[ "$output" = Acme ]
	run names created.after:2024-03-01
	[ "$output" = $'Globex\nInitech' ]
	run names created:2024-03-01
	[ "$output" = "Acme Sub" ]
	run names created.after:2024-01-01 created.before:2024-06-01
	[ "$output" = $'Acme\nAcme Sub' ]
}

@test "filter .before and .after take times" {
	seed
	run names created.after:2024-03-01T11:00
	expect_status 0
	[ "$output" = $'Acme Sub\nGlobex\nInitech' ]
	run names created.before:2024-03-01T13:00
	[ "$output" = $'Acme\nAcme Sub' ]
}

@test "filter dates are relative to CRM_NOW" {
	seed
	run names created.after:-1w
	expect_status 0
	[ "$output" = $'Globex\nInitech' ]
	run names created:yesterday
	[ "$output" = Initech ]
	run names created.before:-4m
	[ "$output" = Acme ]
	CRM_NOW=2024-01-11T00:00:00Z run names created:yesterday
	[ "$output" = Acme ]
}

@test "filter on a bad date is invalid" {
	seed
	run names created.before:someday
	expect_status 6
	[[ "$output" == "crm: "*"someday"* ]]
	run names created:2024-13-45
	expect_status 6
}

@test "filter .before on a field that is not a date is a usage error" {
	seed
	run names name.before:2024-01-01
	expect_status 2
	[ "$output" = "crm: field 'name' is not a date; 'name.before:2024-01-01' needs one" ]
}

# ---------------------------------------------------------------- references

@test "filter on a reference takes the name" {
	seed
	run crm contact list --no-headers --fields last_name account:acme
	expect_status 0
	[ "$output" = Smith ]
	run names parent:Acme
	[ "$output" = "Acme Sub" ]
}

@test "filter on a reference takes the number" {
	seed
	run crm contact list --no-headers --fields last_name account:3
	expect_status 0
	[ "$output" = Jones ]
	run crm contact list --no-headers --fields last_name account_id:1
	[ "$output" = Smith ]
	run names parent_id:1
	[ "$output" = "Acme Sub" ]
}

@test "filter on a reference takes a wildcard" {
	seed
	run crm contact list --no-headers --fields last_name 'account:Glo*'
	expect_status 0
	[ "$output" = Jones ]
}

@test "filter on a reference to nothing matches nothing" {
	seed
	run crm contact list --no-headers account:Nobody
	expect_status 0
	[ -z "$output" ]
}

@test "filter -reference:value negates" {
	seed
	crm contact add Carl Lee >/dev/null
	run crm contact list --no-headers --fields last_name -account:Acme
	expect_status 0
	[ "$output" = $'Jones\nLee' ]
}

# ---------------------------------------------------------------- bare words

@test "filter bare word searches the text fields" {
	seed
	run names glob
	expect_status 0
	[ "$output" = Globex ]
	run names KEY
	[ "$output" = Acme ]
	run crm contact list --no-headers --fields last_name acme.example
	[ "$output" = Smith ]
}

@test "filter bare words are ANDed with each other and with terms" {
	seed
	run names acme sub
	expect_status 0
	[ "$output" = "Acme Sub" ]
	run names acme country:de credit_limit.over:1000
	[ "$output" = Acme ]
}

@test "filter bare word with a space is a text search" {
	seed
	run names "Acme Sub"
	expect_status 0
	[ "$output" = "Acme Sub" ]
}

# ---------------------------------------------------------------- hostile values

hostile() {
	crm account add "O'Brien & Co" >/dev/null
	crm account add 'Say "hi"' >/dev/null
	crm account add '100% Pure' >/dev/null
	crm account add 'a_b' >/dev/null
	crm account add 'axb' >/dev/null
	crm account add "Robert'); DROP TABLE accounts;--" >/dev/null
	crm account add 'back\slash' >/dev/null
}

# Every account is still there and the table still answers.
intact() {
	run crm account list --no-headers --fields id
	expect_status 0
	[ "${#lines[@]}" -eq 7 ]
}

@test "filter values with quotes match literally" {
	hostile
	run names "name:O'Brien & Co"
	expect_status 0
	[ "$output" = "O'Brien & Co" ]
	run names 'name:Say "hi"'
	[ "$output" = 'Say "hi"' ]
	run names "'"
	[ "$output" = $'O\'Brien & Co\nRobert\'); DROP TABLE accounts;--' ]
	run names '"'
	[ "$output" = 'Say "hi"' ]
	intact
}

@test "filter values with % and _ are not LIKE wildcards" {
	hostile
	run names name.has:%
	expect_status 0
	[ "$output" = "100% Pure" ]
	run names %
	[ "$output" = "100% Pure" ]
	run names name.has:_
	[ "$output" = a_b ]
	run names name:a_b
	[ "$output" = a_b ]
	run names 'name:a_*'
	[ "$output" = a_b ]
	run names _
	[ "$output" = a_b ]
	intact
}

@test "filter values with a backslash match literally" {
	hostile
	run names 'name.has:\'
	expect_status 0
	[ "$output" = 'back\\slash' ]
	run names 'name:back\slash'
	[ "$output" = 'back\\slash' ]
	intact
}

@test "filter values with SQL in them match literally and harm nothing" {
	hostile
	run names "name:Robert'); DROP TABLE accounts;--"
	expect_status 0
	[ "$output" = "Robert'); DROP TABLE accounts;--" ]
	run names "DROP TABLE"
	[ "$output" = "Robert'); DROP TABLE accounts;--" ]
	run names "x' OR '1'='1"
	expect_status 0
	[ -z "$output" ]
	run names "name:x' OR 1=1 --"
	expect_status 0
	[ -z "$output" ]
	run names ';'
	[ "$output" = "Robert'); DROP TABLE accounts;--" ]
	run names 'name.has:--'
	[ "$output" = "Robert'); DROP TABLE accounts;--" ]
	intact
}

@test "filter terms after -- are terms even when they look like options" {
	crm account add -- --fancy-- >/dev/null
	crm account add Plain >/dev/null
	run names -- --fancy--
	expect_status 0
	[ "$output" = "--fancy--" ]
	run names --
	expect_status 0
	[ "$output" = $'--fancy--\nPlain' ]
}

@test "filter hostile values in a reference filter match nothing and harm nothing" {
	hostile
	run crm contact list --no-headers "account:x'); DROP TABLE contacts;--"
	expect_status 0
	[ -z "$output" ]
	run crm contact list
	expect_status 0
	intact
}

# ---------------------------------------------------------------- errors

@test "filter on an unknown field is a usage error" {
	seed
	run names colour:red
	expect_status 2
	[ "$output" = "crm: unknown field 'colour' for account in filter 'colour:red' (try --fields help)" ]
}

@test "filter with an unknown comparison is a usage error" {
	seed
	run names name.like:x
	expect_status 2
	[ "$output" = "crm: unknown comparison in filter 'name.like:x' (use not, has, before, after, over, under or within)" ]
}

@test "filter field.within: the record and every one under it (a group of companies), at any depth" {
	crm account add Holding >/dev/null
	crm account add "Hold DE" --parent Holding >/dev/null
	crm account add "Hold DE Sub" --parent "Hold DE" >/dev/null
	crm account add Other >/dev/null
	crm contact add Ann A --account Holding >/dev/null
	crm contact add Bob B --account "Hold DE Sub" >/dev/null
	crm contact add Cy C --account Other >/dev/null
	run -0 crm contact list account.within:Holding --fields id --no-headers
	[ "$(echo $output)" = "1 2" ]
	run -0 crm contact list account.within:"Hold DE" --fields id --no-headers
	[ "$output" = 2 ]
	run -0 crm contact list -account.within:Holding --fields id --no-headers
	[ "$output" = 3 ]
	# an account's own group: id.within; its subsidiaries only: parent.within
	run -0 crm account list id.within:Holding --fields id --no-headers --sort id
	[ "$(echo $output)" = "1 2 3" ]
	run -0 crm account list parent.within:Holding --fields id --no-headers --sort id
	[ "$(echo $output)" = "2 3" ]
	run -2 crm contact list first_name.within:Ann
	[ "$output" = "crm: 'first_name.within:Ann': within takes a reference to records with a parent (account.within:Acme, or id.within:Acme for accounts)" ]
	run -2 crm contact list account.within:
	[ "$output" = "crm: 'account.within:': within needs a record (account.within:Acme)" ]
}

# ---------------------------------------------------------------- sort, limit

@test "list --sort orders by a field, ignoring case for text" {
	seed
	run names --sort country
	expect_status 0
	[ "$output" = $'Initech\nAcme\nAcme Sub\nGlobex' ]
	run names --sort credit_limit
	[ "$output" = $'Initech\nAcme Sub\nAcme\nGlobex' ]
}

@test "list --sort -field orders descending" {
	seed
	run names --sort -credit_limit
	expect_status 0
	[ "$output" = $'Globex\nAcme\nAcme Sub\nInitech' ]
	run names --sort=-created
	[ "$output" = $'Initech\nGlobex\nAcme Sub\nAcme' ]
}

@test "list --sort by an unknown field is a usage error" {
	seed
	run names --sort colour
	expect_status 2
	[ "$output" = "crm: cannot sort accounts by unknown field 'colour'" ]
}

@test "list --limit keeps the first rows" {
	seed
	run names --sort -credit_limit --limit 2
	expect_status 0
	[ "$output" = $'Globex\nAcme' ]
	run names --limit 1 country:de
	[ "$output" = Acme ]
}

@test "list --limit that is not a number is a usage error" {
	seed
	run names --limit two
	expect_status 2
	[ "$output" = "crm: --limit takes a number, not 'two'" ]
	run names --limit -1
	expect_status 2
}

@test "list option without its value is a usage error" {
	crm init -q # reads need a database: they never create one
	run crm account list --sort
	expect_status 2
	[ "$output" = "crm: option '--sort' needs a value" ]
}

# ---------------------------------------------------------------- fields, headers

@test "list --fields picks and orders the columns" {
	seed
	run crm account list --fields credit_limit,name country:us
	expect_status 0
	[ "$output" = $'credit_limit\tname\n20000.00\tGlobex' ]
}

@test "list --fields takes a reference's number as <field>_id" {
	seed
	run crm account list --fields name,parent,parent_id name:Acme*
	expect_status 0
	[ "$output" = $'name\tparent\tparent_id\nAcme\t\t\nAcme Sub\tAcme\t1' ]
}

@test "list --fields all shows every field" {
	seed
	run crm account list --fields all --limit 1
	expect_status 0
	[ "${lines[0]}" = $'id\tname\tparent\tindustry\tcountry\tline_of_business\tlifecycle_stage\tcampaign\trelationship_stage\tcredit_rating\tcredit_limit\tcurrency\twebsite\tphone\tnotes\tcreated\tupdated' ]
}

@test "list --fields help lists the fields with their types" {
	crm init -q # reads need a database: they never create one
	run --separate-stderr crm account list --fields help
	expect_status 0
	[[ "$output" == *"credit_limit         money      credit limit"* ]]
	[[ "$output" == *"currency             text       currency of its credit limit"* ]]
	[[ "$output" == *"parent_id            integer    number of the parent"* ]]
	[[ "$output" == *"created              timestamp  when it was added"* ]]
	run crm contact list --fields help
	expect_status 0
	[[ "$output" == *"email                email"* ]]
}

@test "list --fields with an unknown field is a usage error" {
	seed
	run crm account list --fields name,colour
	expect_status 2
	[ "$output" = "crm: unknown field 'colour' for account (try --fields help)" ]
}

@test "list --no-headers leaves out the header line" {
	seed
	run crm account list --no-headers --fields name,country country:us
	expect_status 0
	[ "$output" = $'Globex\tUS' ]
	run crm --no-headers account list -F csv --fields name country:us
	expect_status 0
	[ "$output" = Globex ]
	run crm account list -F table --no-headers --fields id,name country:us
	expect_status 0
	[ "$output" = "3  Globex" ]
}

@test "a date filter is the day in the client's time zone, on every backend" {
	CRM_NOW=2024-06-20T12:00:00Z crm contact add Zoe Zone > /dev/null
	# +14 and -11 hours: 2024-06-21 02:00 in one, 2024-06-20 01:00 in the other
	east=2024-06-21
	west=2024-06-20
	TZ=Pacific/Kiritimati run crm contact list "created:$east" --format tsv --no-headers
	expect_status 0
	[[ "$output" == *Zoe* ]]
	TZ=Pacific/Kiritimati run crm contact list "created:$west" --format tsv --no-headers
	expect_status 0
	[[ "$output" != *Zoe* ]]
	TZ=Pacific/Pago_Pago run crm contact list "created:$west" --format tsv --no-headers
	expect_status 0
	[[ "$output" == *Zoe* ]]
	TZ=Pacific/Pago_Pago run crm contact list "created:$east" --format tsv --no-headers
	expect_status 0
	[[ "$output" != *Zoe* ]]
}
