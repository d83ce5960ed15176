#!/bin/sh
# A first look at crm on a throw-away database: add accounts, locations and contacts, list
# them and show one account's relationship tree. Usage: demo.sh [path-to-crm]
set -eu
crm=${1:-./crm}
demo_dir=$(pwd)/demo
rm -rf "$demo_dir"
mkdir -p "$demo_dir"
export CRM_DB="$demo_dir/crm.db" CRM_CONFIG=/dev/null

run() {
	printf '\n$ crm %s\n' "$*"
	"$crm" "$@"
}

run init
holding=$("$crm" account add "Acme Holding" --industry manufacturing --country RO \
	--lifecycle-stage customer --relationship-stage mature --credit-rating A --credit-limit 250000)
"$crm" account add "Acme Deutschland GmbH" --parent "$holding" --country DE --lifecycle-stage customer >/dev/null
"$crm" account add "Acme Logistics" --parent "$holding" --country RO --line-of-business transport >/dev/null
"$crm" account add "Globex Corporation" --country US --industry energy --lifecycle-stage prospect >/dev/null
"$crm" location add "Bucharest HQ" --account "Acme Holding" --address "Str. Fabricii 12" --city Bucharest --country RO >/dev/null
"$crm" location add "Cluj plant" --account "Acme Holding" --city Cluj-Napoca --country RO >/dev/null
"$crm" contact add "Ana Popescu" --title CFO --email ana.popescu@acme.example --account "Acme Holding" --location "Bucharest HQ" >/dev/null
"$crm" contact add "Mihai Ionescu" --title "Plant manager" --email mihai@acme.example --location "Cluj plant" >/dev/null
"$crm" contact add "Jürgen Weiß" --title CTO --email jw@acme.example --account "Acme Deutschland GmbH" >/dev/null
"$crm" contact add "Hank Scorpio" --email hank@globex.example --account "Globex Corporation" --lifecycle-stage lead >/dev/null

"$crm" activity log "Quarterly review" --type meeting --account "Acme Holding" \
	--contact ana.popescu@acme.example --result interested >/dev/null
"$crm" project add "ERP rollout" --account "Acme Holding" --income 120000 >/dev/null
"$crm" ticket open "Invoice export fails" --account "Acme Holding" --contact ana.popescu@acme.example \
	--priority high >/dev/null

run account list
run contact list
run account show "Acme Holding"
run account tree
run account tree --by country
printf '\nThe demo database is %s; try: CRM_DB=%s %s account list -F json\n' "$CRM_DB" "$CRM_DB" "$crm"
