#!/usr/bin/env bats
# crm account: add, list, show (the relationship view), edit, rm, tree, history.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2024-05-01T10:00:00Z
}

# A small group: Acme (DE) with a French subsidiary, which has one in Lyon; Globex alone.
# Acme has two locations, Ann at HQ and Bob at no location.
seed() {
	crm account add Acme --country DE --industry it --lifecycle-stage customer --line-of-business Tools >/dev/null
	crm account add "Acme France" --parent Acme --country FR --line-of-business Tools >/dev/null
	crm account add "Acme Lyon" --parent "Acme France" --country FR >/dev/null
	crm account add Globex --country US --line-of-business Energy >/dev/null
	crm location add HQ --account Acme --city Berlin --country DE >/dev/null
	crm location add Plant --account Acme --city Munich >/dev/null
	crm contact add Ann Smith --location HQ --email ann@acme.example --title CEO >/dev/null
	crm contact add Bob Jones --account Acme --phone 555-1 >/dev/null
}

# The value of one field of an account, from its JSON.
field() {
	crm account show "$1" -F json | jq -r ".$2"
}

# ---------------------------------------------------------------- add

@test "account add prints only the new number on stdout" {
	run --separate-stderr crm account add Acme
	expect_status 0
	[ "$output" = "1" ]
	[ -z "$stderr" ]
	run --separate-stderr crm account add Globex
	expect_status 0
	[ "$output" = "2" ]
}

@test "account add sets every field from its option" {
	crm account add Parent >/dev/null
	run crm account add Child --parent Parent --industry finance --country CH \
		--line-of-business "Private banking" --lifecycle-stage prospect --relationship-stage growing \
		--credit-rating BBB --credit-limit 2500.5 --website https://child.example --phone "+41 1" \
		--notes "met at fair"
	expect_status 0
	[ "$output" = "2" ]
	run crm account show Child -F json
	expect_status 0
	run jq -c '[.name, .parent, .industry, .country, .line_of_business, .lifecycle_stage,
		.relationship_stage, .credit_rating, .credit_limit, .website, .phone, .notes]' <<<"$output"
	[ "$output" = '["Child","Parent","finance","CH","Private banking","prospect","growing","BBB",2500.5,"https://child.example","+41 1","met at fair"]' ]
}

@test "account add takes --field=value and --set field=value" {
	run crm account add Acme --country=DE --set credit_limit=100 --set line_of_business=Tools
	expect_status 0
	[ "$(field Acme country)" = DE ]
	[ "$(field Acme credit_limit)" = 100 ]
	[ "$(field Acme line_of_business)" = Tools ]
}

@test "account add --parent takes the parent's number as well as its name" {
	crm account add Acme >/dev/null
	run crm account add Sub --parent 1
	expect_status 0
	[ "$(field Sub parent)" = Acme ]
	run crm account list parent_id:1 --fields name
	expect_status 0
	[ "$output" = $'name\nSub' ]
}

@test "account add with an unknown parent is not found" {
	run crm account add Sub --parent Nobody
	expect_status 3
	[ "$output" = "crm: account 'Nobody' not found" ]
	run crm account list --no-headers
	[ -z "$output" ]
}

@test "account pick-lists store the canonical spelling whatever the case typed" {
	run crm account add Acme --lifecycle-stage CUSTOMER --relationship-stage Mature --industry IT --credit-rating aa
	expect_status 0
	run crm account show Acme -F json
	run jq -c '[.lifecycle_stage, .relationship_stage, .industry, .credit_rating]' <<<"$output"
	[ "$output" = '["customer","mature","it","AA"]' ]
}

@test "account add with an invalid lifecycle stage fails with the allowed values" {
	run crm account add Acme --lifecycle-stage hot
	expect_status 6
	[ "$output" = "crm: invalid lifecycle_stage 'hot' for account (one of: lead, prospect, customer, former)" ]
	run crm account list --no-headers
	[ -z "$output" ]
}

@test "account add with an invalid relationship stage fails with the allowed values" {
	run crm account add Acme --relationship-stage dormant
	expect_status 6
	[ "$output" = "crm: invalid relationship_stage 'dormant' for account (one of: growing, mature, declining, closed)" ]
}

@test "account add with an invalid industry fails with the allowed values" {
	run crm account add Acme --industry mining
	expect_status 6
	[[ "$output" == "crm: invalid industry 'mining' for account (one of: agriculture, construction, "* ]]
	[[ "$output" == *"transport, other)" ]]
}

@test "account add with an invalid credit rating fails with the allowed values" {
	run crm account add Acme --credit-rating AAAA
	expect_status 6
	[ "$output" = "crm: invalid credit_rating 'AAAA' for account (one of: AAA, AA, A, BBB, BB, B, CCC, CC, C, D)" ]
}

@test "account pick-lists come from the configuration" {
	printf 'picklists:\n  industry: [Widgets, Gadgets]\n  line_of_business: [Retail, Wholesale]\n' >"$BATS_TEST_TMPDIR/crm.yaml"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/crm.yaml"
	run crm account add Acme --industry widgets --line-of-business RETAIL
	expect_status 0
	[ "$(field Acme industry)" = Widgets ]
	[ "$(field Acme line_of_business)" = Retail ]
	run crm account add Beta --industry it
	expect_status 6
	[ "$output" = "crm: invalid industry 'it' for account (one of: Widgets, Gadgets)" ]
	run crm account add Gamma --line-of-business Farming
	expect_status 6
	[ "$output" = "crm: invalid line_of_business 'Farming' for account (one of: Retail, Wholesale)" ]
}

@test "account line of business is free text while its pick-list is empty" {
	run crm account add Acme --line-of-business "anything at all"
	expect_status 0
	[ "$(field Acme line_of_business)" = "anything at all" ]
}

@test "account add with a credit limit that is not a number is invalid" {
	for bad in abc 12abc " 12" inf nan 1e3 0x10 1. .; do
		run crm account add Acme --credit-limit "$bad"
		expect_status 6
		[ "$output" = "crm: credit_limit '$bad' is not a number" ]
	done
	# Thousands separators are refused, never guessed at (1,000 is a thousand, or one in Romania).
	run -6 crm account add Acme --credit-limit "1,000"
	[ "$output" = "crm: credit_limit '1,000' is not a number (write it without thousands separators, with a decimal point: 1234.56)" ]
	run crm account list --no-headers
	[ -z "$output" ]
}

@test "account credit limit is exact money: decimals up to its currency's, not negatives" {
	crm account add A --credit-limit 1000 >/dev/null
	run crm account add B --credit-limit -5
	expect_status 6
	[ "$output" = "crm: credit_limit '-5' is below its minimum, 0" ]
	run -6 crm account add B --credit-limit 0.255
	[ "$output" = "crm: credit_limit '0.255' has more decimals than EUR allows (2)" ]
	crm account add B --credit-limit 0 >/dev/null
	crm account add C --credit-limit 0.25 >/dev/null
	crm account add D --credit-limit 5000 --currency jpy >/dev/null
	crm account add E >/dev/null
	run crm account list --fields name,credit_limit,currency
	expect_status 0
	[ "$output" = $'name\tcredit_limit\tcurrency\nA\t1000.00\tEUR\nB\t0.00\tEUR\nC\t0.25\tEUR\nD\t5000\tJPY\nE\t\t' ]
}

@test "account add without a name is a usage error, like any missing argument" {
	run --separate-stderr crm account add
	expect_status 2
	[ -z "$output" ]
	[[ "$stderr" == "usage: crm account add <name> "* ]]
	run --separate-stderr crm account add --country DE
	expect_status 2
	[[ "$stderr" == "usage: crm account add <name> "* ]]
	# a name given as an option is a name
	run crm account add --name Acme
	expect_status 0
	run crm account list --no-headers --fields name
	[ "$output" = Acme ]
}

@test "account add with a duplicate name is a conflict, whatever the case" {
	crm account add Acme >/dev/null
	run crm account add ACME
	expect_status 4
	[ "$output" = "crm: account with name 'ACME' already exists" ]
	run crm account add acme
	expect_status 4
	run crm account list --no-headers --fields name
	[ "$output" = "Acme" ]
}

@test "account add with an unknown option is a usage error with a suggestion" {
	run crm account add Acme --contry DE
	expect_status 2
	[ "$output" = "crm: unknown option '--contry' for account add; did you mean '--country'?" ]
	# refused before the database was even opened: nothing made
	db_absent
}

@test "account add of a read-only field is a usage error" {
	run crm account add Acme --created 2020-01-01
	expect_status 2
	[ "$output" = "crm: field 'created' of account cannot be set" ]
}

@test "account add --help prints the usage and the fields" {
	run crm account add --help
	expect_status 0
	[[ "${lines[0]}" == "usage: crm account add <name>"* ]]
	[[ "$output" == *"--line-of-business"* ]]
	[[ "$output" == *"--credit-limit"* ]]
}

# ---------------------------------------------------------------- list

@test "account list prints the default columns as TSV with a header off a terminal" {
	seed
	run --separate-stderr crm account list
	expect_status 0
	[ -z "$stderr" ]
	expected=$'id\tname\tparent\tindustry\tcountry\tlifecycle_stage
1\tAcme\t\tit\tDE\tcustomer
2\tAcme France\tAcme\t\tFR\t
3\tAcme Lyon\tAcme France\t\tFR\t
4\tGlobex\t\t\tUS\t'
	[ "$output" = "$expected" ]
}

@test "account ls is an alias of list" {
	seed
	run crm account list
	local want=$output
	run crm account ls
	expect_status 0
	[ "$output" = "$want" ]
}

@test "account list sorts by name ignoring case" {
	crm account add beta >/dev/null
	crm account add Alpha >/dev/null
	crm account add Gamma >/dev/null
	run crm account list --no-headers --fields name
	expect_status 0
	[ "$output" = $'Alpha\nbeta\nGamma' ]
}

@test "account list of no accounts prints only the header and succeeds" {
	crm init -q # reads need a database: they never create one
	run crm account list
	expect_status 0
	[ "$output" = $'id\tname\tparent\tindustry\tcountry\tlifecycle_stage' ]
}

@test "account list with an unknown option is a usage error" {
	crm init -q # reads need a database: they never create one
	run crm account list --bogus
	expect_status 2
	[ "$output" = "crm: unknown option '--bogus' for account list" ]
}

# ---------------------------------------------------------------- show

@test "account show prints the fields, locations with their contacts, loose contacts and subsidiaries" {
	seed
	run --separate-stderr crm account show Acme
	expect_status 0
	[ -z "$stderr" ]
	expected="id                  1
name                Acme
industry            it
country             DE
line_of_business    Tools
lifecycle_stage     customer
created             2024-05-01T10:00:00Z
updated             2024-05-01T10:00:00Z

Locations
  1  HQ  Berlin  DE
      1  Ann  Smith  CEO  ann@acme.example
  2  Plant  Munich

Contacts without a location
id  first_name  last_name  title  email  phone
2   Bob         Jones                    555-1

Subsidiaries
id  name         country  lifecycle_stage
2   Acme France  FR"
	[ "$output" = "$expected" ]
}

@test "account show leaves out empty sections" {
	seed
	run crm account show Globex
	expect_status 0
	[[ "$output" != *Locations* ]]
	[[ "$output" != *Contacts* ]]
	[[ "$output" != *Subsidiaries* ]]
	[ "${lines[1]}" = "name                Globex" ]
}

@test "account show lists only subsidiaries, not grandchildren" {
	seed
	run crm account show "Acme France"
	expect_status 0
	[[ "$output" == *$'Subsidiaries\nid  name       country  lifecycle_stage\n3   Acme Lyon  FR' ]]
	[[ "$output" != *Locations* ]]
}

@test "account show takes the number, and the name in any case" {
	seed
	run crm account show 4
	expect_status 0
	[ "${lines[1]}" = "name                Globex" ]
	run crm account show gLoBeX
	expect_status 0
	[ "${lines[0]}" = "id                  4" ]
}

@test "account show -F json nests contacts under their locations" {
	seed
	run --separate-stderr crm account show Acme -F json
	expect_status 0
	local json=$output
	[ "$(jq -r '.name' <<<"$json")" = Acme ]
	[ "$(jq -r '.id | type' <<<"$json")" = number ]
	[ "$(jq -r '.parent' <<<"$json")" = null ]
	[ "$(jq -c '[.locations[].name]' <<<"$json")" = '["HQ","Plant"]' ]
	[ "$(jq -c '.locations[0].contacts | map([.first_name, .last_name, .email])' <<<"$json")" = '[["Ann","Smith","ann@acme.example"]]' ]
	[ "$(jq -c '.locations[1].contacts' <<<"$json")" = '[]' ]
	[ "$(jq -c '.contacts | map(.last_name)' <<<"$json")" = '["Jones"]' ]
	[ "$(jq -c '.subsidiaries | map([.id, .name])' <<<"$json")" = '[[2,"Acme France"]]' ]
}

@test "account show -F json of a bare account has empty lists" {
	crm account add Solo >/dev/null
	run crm account show Solo -F json
	expect_status 0
	[ "$(jq -c '[.locations, .contacts, .subsidiaries]' <<<"$output")" = '[[],[],[]]' ]
	[ "$(jq -r '.created' <<<"$output")" = 2024-05-01T10:00:00Z ]
}

@test "account show -F yaml has the same structure" {
	seed
	run --separate-stderr crm account show Acme -F yaml
	expect_status 0
	run py -c 'import sys, yaml
d = yaml.safe_load(sys.stdin)
print(d["name"], d["id"], [l["name"] for l in d["locations"]], d["locations"][0]["contacts"][0]["email"],
      [c["last_name"] for c in d["contacts"]], [s["name"] for s in d["subsidiaries"]])' <<<"$output"
	[ "$status" -eq 0 ]
	[ "$output" = "Acme 1 ['HQ', 'Plant'] ann@acme.example ['Jones'] ['Acme France']" ]
}

@test "account show of an unknown account is not found" {
	crm init -q # reads need a database: they never create one
	run crm account show Nope
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
	run crm account show 42
	expect_status 3
	[ "$output" = "crm: account '42' not found" ]
}

@test "account show without an account is a usage error" {
	crm init -q # reads need a database: they never create one
	run crm account show
	expect_status 2
	[[ "$output" == "usage: crm account show <account>"* ]]
}

# ---------------------------------------------------------------- edit

@test "account edit changes one field and prints nothing" {
	seed
	export CRM_NOW=2024-06-01T08:00:00Z
	run --separate-stderr crm account edit Globex --country CA
	expect_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(field Globex country)" = CA ]
	[ "$(field Globex updated)" = 2024-06-01T08:00:00Z ]
	[ "$(field Globex created)" = 2024-05-01T10:00:00Z ]
}

@test "account edit changes several fields at once" {
	seed
	run crm account edit 4 --industry Energy --credit-limit 750 --relationship-stage GROWING --notes "two lines
here"
	expect_status 0
	run crm account show 4 -F json
	[ "$(jq -c '[.industry, .credit_limit, .relationship_stage, .notes, .country]' <<<"$output")" = '["energy",750,"growing","two lines\nhere","US"]' ]
}

@test "account edit to an empty value clears the field" {
	seed
	run crm account edit Acme --industry ""
	expect_status 0
	[ "$(field Acme industry)" = null ]
}

@test "account edit that changes nothing succeeds and records no history" {
	seed
	run crm account edit Acme --country DE
	expect_status 0
	[ -z "$output" ]
	run crm account history Acme --no-headers
	expect_status 0
	[[ "$output" != *edit* ]]
}

@test "account edit renames the account, also to another case of its own name" {
	seed
	run crm account edit Globex --name GLOBEX
	expect_status 0
	run crm account list --no-headers --fields name id:4
	[ "$output" = GLOBEX ]
	run crm account edit Globex --name "Globex Corp"
	expect_status 0
	[ "$(field 4 name)" = "Globex Corp" ]
}

@test "account edit to another account's name is a conflict" {
	seed
	run crm account edit Globex --name acme
	expect_status 4
	[ "$output" = "crm: account with name 'acme' already exists" ]
	[ "$(field 4 name)" = Globex ]
}

@test "account edit with an unknown field is a usage error suggesting the right one" {
	seed
	run crm account edit Acme --indstry it
	expect_status 2
	[ "$output" = "crm: unknown option '--indstry' for account edit; did you mean '--industry'?" ]
}

@test "account edit without a change is a usage error" {
	seed
	run crm account edit Acme
	expect_status 2
	[[ "$output" == "crm: nothing to change"* ]]
}

@test "account edit of an unknown account is not found" {
	run crm account edit Nope --country DE
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
}

@test "account edit validates like add" {
	seed
	run crm account edit Acme --credit-limit lots
	expect_status 6
	[ "$output" = "crm: credit_limit 'lots' is not a number" ]
	run crm account edit Acme --lifecycle-stage hot
	expect_status 6
	[[ "$output" == "crm: invalid lifecycle_stage 'hot' for account (one of: lead, prospect, customer, former)" ]]
	run crm account edit Acme --name ""
	expect_status 6
	[ "$output" = "crm: account needs a name" ]
	[ "$(field Acme lifecycle_stage)" = customer ]
}

@test "account edit over a filter refuses without --yes and changes nothing" {
	seed
	run --separate-stderr crm account edit country:FR --lifecycle-stage lead
	expect_status 2
	[ "$stderr" = "crm: refusing to edit 2 accounts without --yes" ]
	run crm account list lifecycle_stage:lead --no-headers
	[ -z "$output" ]
}

@test "account edit over a filter with --yes changes every match" {
	seed
	run --separate-stderr crm account edit country:FR --lifecycle-stage lead --yes
	expect_status 0
	[ "$stderr" = "2 accounts changed" ]
	run crm account list lifecycle_stage:lead --no-headers --fields name
	[ "$output" = $'Acme France\nAcme Lyon' ]
	[ "$(field Acme lifecycle_stage)" = customer ]
}

@test "account edit over a filter matching nothing succeeds" {
	seed
	run crm account edit country:JP --lifecycle-stage lead --yes
	expect_status 0
	[ "$output" = "no accounts match" ]
}

@test "account edit over a filter is all or nothing" {
	seed
	# Acme France cannot become its own grandchild's child; Acme Lyon could.
	run crm account edit country:FR --parent "Acme Lyon" --yes
	expect_status 6
	[ "$output" = "crm: account 2 cannot be its own parent (directly or through others)" ]
	[ "$(field 3 parent)" = "Acme France" ]
	[ "$(field 2 parent)" = Acme ]
}

# ---------------------------------------------------------------- parents

@test "account cannot be its own parent" {
	seed
	run crm account edit Globex --parent Globex
	expect_status 6
	[ "$output" = "crm: account 4 cannot be its own parent (directly or through others)" ]
	[ "$(field Globex parent)" = null ]
}

@test "account parent cycles through others are rejected" {
	seed
	run crm account edit Acme --parent "Acme Lyon"
	expect_status 6
	[ "$output" = "crm: account 1 cannot be its own parent (directly or through others)" ]
	run crm account edit Acme --parent "Acme France"
	expect_status 6
	[ "$(field Acme parent)" = null ]
}

@test "account can move under another parent that is not its descendant" {
	seed
	run crm account edit "Acme Lyon" --parent Globex
	expect_status 0
	[ "$(field 3 parent)" = Globex ]
	run crm account edit "Acme Lyon" --parent ""
	expect_status 0
	[ "$(field 3 parent)" = null ]
}

# ---------------------------------------------------------------- rm

@test "account rm is refused while records refer to it, naming them" {
	seed
	run --separate-stderr crm account rm Acme
	expect_status 4
	[ -z "$output" ]
	[ "$stderr" = "crm: account 'Acme' is still referred to by 1 account (subsidiaries), 2 locations, 2 contacts; remove or move them first" ]
	run crm account show Acme -F json
	expect_status 0
}

@test "account rm of a parent names its subsidiaries" {
	seed
	run crm account rm "Acme France"
	expect_status 4
	[ "$output" = "crm: account 'Acme France' is still referred to by 1 account (subsidiaries); remove or move them first" ]
}

@test "account rm succeeds once nothing refers to it" {
	seed
	run --separate-stderr crm account rm "Acme Lyon"
	expect_status 0
	[ -z "$output" ]
	[ -z "$stderr" ]
	run crm account show "Acme Lyon"
	expect_status 3
	run crm account rm "Acme France"
	expect_status 0
	run crm account list --no-headers --fields name
	[ "$output" = $'Acme\nGlobex' ]
}

@test "account rm takes several accounts" {
	crm account add A >/dev/null
	crm account add B >/dev/null
	crm account add C >/dev/null
	run --separate-stderr crm account rm A 3
	expect_status 0
	[ "$stderr" = "2 accounts removed" ]
	run crm account list --no-headers --fields name
	[ "$output" = B ]
}

@test "account rm of several removes none when one is unknown" {
	crm account add A >/dev/null
	crm account add B >/dev/null
	run crm account rm A Nope B
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
	run crm account list --no-headers --fields name
	[ "$output" = $'A\nB' ]
}

@test "account rm of several removes none when one is still referred to" {
	seed
	run crm account rm Globex "Acme France"
	expect_status 4
	run crm account list --no-headers --fields name
	[ "$output" = $'Acme\nAcme France\nAcme Lyon\nGlobex' ]
}

@test "account remove is an alias of rm" {
	crm account add A >/dev/null
	run crm account remove A
	expect_status 0
	run crm account list --no-headers
	[ -z "$output" ]
}

@test "account rm over a filter refuses without --yes, removes with it" {
	crm account add A --country DE >/dev/null
	crm account add B --country DE >/dev/null
	crm account add C --country FR >/dev/null
	run crm account rm country:DE
	expect_status 2
	[ "$output" = "crm: refusing to remove 2 accounts without --yes" ]
	run crm account list --no-headers --fields name
	[ "$output" = $'A\nB\nC' ]
	run --separate-stderr crm account rm country:DE --yes
	expect_status 0
	[ "$stderr" = "2 accounts removed" ]
	run crm account list --no-headers --fields name
	[ "$output" = C ]
}

@test "account rm takes names that look like options after --" {
	crm account add -- --odd-- >/dev/null
	run crm account rm --odd--
	expect_status 2
	[ "$output" = "crm: unknown option '--odd--' for account rm" ]
	run crm account rm -- --odd--
	expect_status 0
	run crm account list --no-headers
	[ -z "$output" ]
}

@test "account rm of an unknown account is not found" {
	run crm account rm Nope
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
}

@test "account rm without an account is a usage error" {
	run crm account rm
	expect_status 2
	[[ "$output" == "usage: crm account rm "* ]]
}

# ---------------------------------------------------------------- tree

@test "account tree draws the whole hierarchy" {
	seed
	run --separate-stderr crm account tree
	expect_status 0
	expected="Acme (1)  DE  customer
\`-- Acme France (2)  FR
    \`-- Acme Lyon (3)  FR
Globex (4)  US"
	[ "$output" = "$expected" ]
}

@test "account tree draws siblings with branches" {
	crm account add Root >/dev/null
	crm account add A --parent Root >/dev/null
	crm account add A1 --parent A >/dev/null
	crm account add B --parent Root >/dev/null
	run crm account tree
	expect_status 0
	expected="Root (1)
|-- A (2)
|   \`-- A1 (3)
\`-- B (4)"
	[ "$output" = "$expected" ]
}

@test "account tree of one account shows its subtree only" {
	seed
	run crm account tree "Acme France"
	expect_status 0
	expected="Acme France (2)  FR
\`-- Acme Lyon (3)  FR"
	[ "$output" = "$expected" ]
	run crm account tree 4
	expect_status 0
	[ "$output" = "Globex (4)  US" ]
}

@test "account tree --by country groups the trees by country" {
	seed
	run crm account tree --by country
	expect_status 0
	expected="DE
  Acme (1)  DE  customer
FR
  Acme France (2)  FR
  \`-- Acme Lyon (3)  FR
US
  Globex (4)  US"
	[ "$output" = "$expected" ]
}

@test "account tree --by line-of-business groups with the unset ones last" {
	seed
	run crm account tree --by line-of-business
	expect_status 0
	expected="Energy
  Globex (4)  US
Tools
  Acme (1)  DE  customer
  \`-- Acme France (2)  FR
(none)
  Acme Lyon (3)  FR"
	[ "$output" = "$expected" ]
}

@test "account tree -F json nests subsidiaries" {
	seed
	run --separate-stderr crm account tree -F json
	expect_status 0
	local json=$output
	[ "$(jq -c 'map(.name)' <<<"$json")" = '["Acme","Globex"]' ]
	[ "$(jq -c '.[0].subsidiaries | map(.name)' <<<"$json")" = '["Acme France"]' ]
	[ "$(jq -c '.[0].subsidiaries[0].subsidiaries | map([.id, .name, .country])' <<<"$json")" = '[[3,"Acme Lyon","FR"]]' ]
	[ "$(jq -c '.[0].subsidiaries[0].subsidiaries[0].subsidiaries' <<<"$json")" = '[]' ]
	[ "$(jq -c '.[1].subsidiaries' <<<"$json")" = '[]' ]
}

@test "account tree <account> --by country groups that account's hierarchy" {
	seed
	crm account add "Acme Berlin" --parent Acme --country DE >/dev/null
	run --separate-stderr crm account tree Acme --by country
	expect_status 0
	[ -z "$stderr" ]
	expected="DE
  Acme (1)  DE  customer
  \`-- Acme Berlin (5)  DE
FR
  Acme France (2)  FR
  \`-- Acme Lyon (3)  FR"
	[ "$output" = "$expected" ]
	run crm account tree "Acme France" --by line-of-business
	expect_status 0
	expected="Tools
  Acme France (2)  FR
(none)
  Acme Lyon (3)  FR"
	[ "$output" = "$expected" ]
	run crm account tree Acme --by lifecycle-stage -F json
	expect_status 0
	[ "$(jq -c 'map([.lifecycle_stage, (.accounts | map(.name))])' <<<"$output")" = '[["customer",["Acme"]],[null,["Acme Berlin","Acme France"]]]' ]
	[ "$(jq -c '.[1].accounts[1].subsidiaries | map(.name)' <<<"$output")" = '["Acme Lyon"]' ]
	run crm account tree Globex --by country -F csv
	expect_status 0
	[ "$output" = "group,level,id,name,parent_id,country,line_of_business,lifecycle_stage
US,0,4,Globex,,US,Energy," ]
}

@test "account tree --by country -F json lists the accounts of each group" {
	seed
	run crm account tree --by country -F json
	expect_status 0
	[ "$(jq -c 'map([.country, (.accounts | map(.name))])' <<<"$output")" = '[["DE",["Acme"]],["FR",["Acme France"]],["US",["Globex"]]]' ]
}

@test "account tree of an unknown account is not found" {
	seed
	run crm account tree Nope
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
}

@test "account tree --by an unknown grouping is a usage error" {
	crm init -q # reads need a database: they never create one
	run crm account tree --by colour
	expect_status 2
	[ "$output" = "crm: unknown field 'colour' for account (try --fields help)" ]
}

@test "account tree --by any field, a custom field or an attribute groups the trees by its value" {
	crm account add Holding --country RO >/dev/null
	crm account add "Hold DE" --parent Holding --country DE --industry energy >/dev/null
	crm account add "Hold DE Sub" --parent "Hold DE" --industry energy >/dev/null
	crm account add Other >/dev/null
	crm attr set account Holding region=EMEA -q
	crm attr set account "Hold DE" region=EMEA -q
	run -0 crm account tree --by attr.region
	[ "$output" = "EMEA
  Holding (1)  RO
  \`-- Hold DE (2)  DE
(none)
  Hold DE Sub (3)
  Other (4)" ]
	run -0 crm account tree --by industry -F json
	[ "$(jq -c 'map([.industry, [.accounts[] | .id, (.subsidiaries[] | .id)]])' <<<"$output")" = '[["energy",[2,3]],[null,[1,4]]]' ]
	run -0 crm account tree --by attr.region -F csv --no-headers
	[ "$output" = "EMEA,0,1,Holding,,RO,,
EMEA,1,2,Hold DE,1,DE,,
,0,3,Hold DE Sub,2,,,
,0,4,Other,,,," ]
}

@test "account tree of no accounts prints nothing" {
	crm init -q # reads need a database: they never create one
	run crm account tree
	expect_status 0
	[ -z "$output" ]
}

# ---------------------------------------------------------------- history

@test "account history lists each change with who and when" {
	crm account add Acme --country DE >/dev/null
	crm account add Parent >/dev/null
	CRM_NOW=2024-05-02T09:30:00Z crm account edit Acme --country FR --parent Parent >/dev/null
	run --separate-stderr crm account history Acme
	expect_status 0
	[ -z "$stderr" ]
	# real_user, last, is the login that ran the command when it acted as someone else (tester)
	[ "$(cut -f7 <<<"$output" | sort -u)" = $'real_user\n'"$(id -un)" ]
	output=$(cut -f1-6 <<<"$output")
	expected=$'at\tuser\taction\tfield\told\tnew
2024-05-01T10:00:00Z\ttester\tadd\tname\t\tAcme
2024-05-01T10:00:00Z\ttester\tadd\tcountry\t\tDE
2024-05-02T09:30:00Z\ttester\tedit\tparent\t\t2 (Parent)
2024-05-02T09:30:00Z\ttester\tedit\tcountry\tDE\tFR'
	[ "$output" = "$expected" ]
}

@test "account history stays readable by number after rm" {
	crm account add Acme >/dev/null
	crm account rm Acme >/dev/null
	run crm account history 1 --no-headers
	expect_status 0
	[ "$(cut -f1-6 <<<"$output")" = $'2024-05-01T10:00:00Z\ttester\tadd\tname\t\tAcme\n2024-05-01T10:00:00Z\ttester\trm\tname\tAcme\t' ]
}

@test "account history -F json is a list of changes" {
	crm account add Acme --credit-limit 10 >/dev/null
	run crm account history Acme -F json
	expect_status 0
	[ "$(jq -c 'map([.action, .field, .old, .new])' <<<"$output")" = '[["add","name",null,"Acme"],["add","credit_limit",null,"10.00"],["add","currency",null,"EUR"]]' ]
}

@test "account history of an unknown account is not found" {
	crm init -q # reads need a database: they never create one
	run crm account history Nope
	expect_status 3
	[ "$output" = "crm: account 'Nope' not found" ]
}

@test "an unknown account verb is a usage error with a suggestion" {
	run crm account lst
	expect_status 2
	[ "$output" = "crm: unknown account verb 'lst'; did you mean 'list'?" ]
}

@test "account tree to a file or csv writes one row per account with its depth" {
	crm account add A --country RO >/dev/null
	crm account add B --parent A --country DE >/dev/null
	crm account add C --parent B >/dev/null
	run crm account tree -F csv
	expect_status 0
	[ "${lines[0]}" = "group,level,id,name,parent_id,country,line_of_business,lifecycle_stage" ]
	[ "${lines[1]}" = ",0,1,A,,RO,," ]
	[ "${lines[3]}" = ",2,3,C,2,,," ]
	run crm account tree --by country -o "$BATS_TEST_TMPDIR/tree.xlsx"
	expect_status 0
	run py -c "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).worksheets[0]; print([[c.value for c in r] for r in ws.iter_rows(min_row=2)])" "$BATS_TEST_TMPDIR/tree.xlsx"
	expect_status 0
	[ "$output" = "[['DE', 0, 2, 'B', 1, 'DE', None, None], ['RO', 0, 1, 'A', None, 'RO', None, None], [None, 0, 3, 'C', 2, None, None, None]]" ]
}

@test "account show --with-subsidiaries: the group's contacts, tickets and the rest, and its totals" {
	crm account add Holding >/dev/null
	crm account add "Hold DE" --parent Holding >/dev/null
	crm account add "Hold DE Sub" --parent "Hold DE" >/dev/null
	crm account add Other >/dev/null
	crm contact add Ann A --account Holding >/dev/null
	crm contact add Bob B --account "Hold DE Sub" >/dev/null
	crm contact add Cy C --account Other >/dev/null
	crm ticket open T1 --account "Hold DE" >/dev/null
	crm ticket open T2 --account Other >/dev/null
	# without it, the account's own
	run -0 crm account show Holding -F json
	[ "$(jq -c '[.contacts[].id, .tickets, (has("group_totals"))]' <<<"$output")" = '[1,[],false]' ]
	run -0 crm account show Holding --with-subsidiaries -F json
	[ "$(jq -c '[[.contacts[].id], [.tickets[].id], [.subsidiaries[].id]]' <<<"$output")" = '[[1,2],[1],[2,3]]' ]
	[ "$(jq -c '.group_totals | map(select(.records > 0)) | map([.section, .records])' <<<"$output")" = \
		'[["accounts",3],["contacts",2],["tickets",1],["open tickets",1]]' ]
	run -0 crm account show "Hold DE Sub" --with-subsidiaries
	[[ "$output" == *"Group totals"*"accounts            1"*"contacts            1"* ]]
	run -2 crm contact show 1 --with-subsidiaries
}
