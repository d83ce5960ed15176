#!/usr/bin/env bats
# crm search: one index over every kind, kept by the record engine in the write's transaction;
# folded (case, accents, ß), prefixes, ranked, with a snippet.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	T=$BATS_TEST_TMPDIR
}

seed() {
	crm account add "Zürich Ölwerke" --notes "oil and lubricants" >/dev/null
	crm account add "Acme Corp" --notes "anvils" >/dev/null
	crm contact add Ana Popescu --email ana@acme.example --account "Acme Corp" \
		--notes "Știință și Țară; met at the Zürich fair about lubricants" >/dev/null
}

# ---------------------------------------------------------------- across kinds


# The index rows of a kind (its code, core/search.c): SQLite numbers them id * 32 + code (a
# ticket's comments: code - 32 as rowid % 32), PostgreSQL keeps the kind.
index_rows() {
	if is_pg; then
		db_sql "SELECT count(*) FROM search_index WHERE kind = '$1'"
	else
		db_sql "SELECT count(*) FROM search_index WHERE rowid % 32 IN ($2, $2 - 32)"
	fi
}

@test "search finds records of every kind: accounts, contacts, activities with bodies, tickets with comments, projects, contracts, tasks, documents" {
	seed
	crm activity log "Call about pricing" --type call --account "Acme Corp" --body "they want the quokka discount" >/dev/null
	crm project add "Quokka rollout" --account "Acme Corp" >/dev/null
	crm contract add "MSA quokka" --account "Acme Corp" >/dev/null
	crm task add "Send quokka brochure" >/dev/null
	crm ticket open "Printer jams" --account "Acme Corp" >/dev/null
	crm ticket comment 1 "the quokka chewed the cable" >/dev/null
	printf 'minutes: the quokka question\n' > "$T/notes.txt"
	crm doc attach account "Acme Corp" "$T/notes.txt" >/dev/null
	run --separate-stderr crm search quokka --limit 0 -F tsv --no-headers
	expect_status 0
	[ "$(cut -f1,2 <<<"$output" | sort)" = "$(printf 'activity\t1\ncontract\t1\ndocument\t1\nproject\t1\ntask\t1\nticket\t1')" ]
	[ -z "$stderr" ]
	# the snippet is the words around the match, as written
	run crm search chewed -F tsv --no-headers
	[ "$output" = "$(printf 'ticket\t1\tPrinter jams\tthe quokka chewed the cable')" ]
	run crm search quokka --kind doc -F tsv --no-headers
	[ "$output" = "$(printf 'document\t1\tnotes.txt\tminutes: the quokka question')" ]
}

@test "search prints kind, id, label and snippet through every format, -o included" {
	seed
	run crm search zurich -F json
	expect_status 0
	[ "$(py -c 'import json,sys; d=json.load(sys.stdin); print([(h["kind"], h["id"], h["label"]) for h in d])' <<<"$output")" = "[('account', 1, 'Zürich Ölwerke'), ('contact', 1, 'Ana Popescu')]" ]
	crm search zurich -o "$T/hits.csv"
	[ "$(head -1 "$T/hits.csv")" = "kind,id,label,snippet" ]
	[ "$(wc -l < "$T/hits.csv")" -eq 3 ]
	run crm search zurich -F yaml
	[[ "$output" == *"label: Zürich Ölwerke"* ]]
}

# ---------------------------------------------------------------- folding and prefixes

@test "search ignores case and accents both ways: zurich, ZÜRICH, stiinta, tara, ß as ss" {
	seed
	crm contact add Hans Groß --notes "Hauptstraße 5" >/dev/null
	for q in zurich ZÜRICH Zurich zürich; do
		run crm search "$q" --kind account -F tsv --no-headers
		[ "$(cut -f3 <<<"$output")" = "Zürich Ölwerke" ]
	done
	run crm search stiinta tara -F tsv --no-headers
	[ "$(cut -f1-3 <<<"$output")" = "$(printf 'contact\t1\tAna Popescu')" ]
	run crm search ȘTIINȚĂ -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "Ana Popescu" ]
	run crm search hauptstrasse -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "Hans Groß" ]
	run crm search gross -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "Hans Groß" ]
}

@test "search matches prefixes; several words must all match; an address is one phrase" {
	seed
	run crm search acm -F tsv --no-headers
	[ "$(cut -f1,3 <<<"$output")" = "$(printf 'account\tAcme Corp\ncontact\tAna Popescu')" ]
	run crm search acm anv -F tsv --no-headers
	[ "$(cut -f1,3 <<<"$output")" = "$(printf 'account\tAcme Corp')" ]
	run crm search ana@acme -F tsv --no-headers
	[ "$(cut -f1,3 <<<"$output")" = "$(printf 'contact\tAna Popescu')" ]
	# the parts of an address are next to each other, in order
	run crm search acme@ana -F tsv --no-headers
	expect_status 0
	[ -z "$output" ]
}

@test "search ranks a match in the label above one in the text" {
	crm contact add Jo Body --notes "lunch with falcon people" >/dev/null
	crm account add "Falcon Ltd" >/dev/null
	crm project add Apollo --notes "falcon" >/dev/null
	run crm search falcon -F tsv --no-headers
	expect_status 0
	[ "$(head -1 <<<"$output" | cut -f1,3)" = "$(printf 'account\tFalcon Ltd')" ]
	[ "$(wc -l <<<"$output")" -eq 3 ]
	run crm search falcon --limit 1 -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "Falcon Ltd" ]
}

@test "a ticket matched by its title and its comments is one hit; its comments are rebuilt too" {
	crm account add Acme >/dev/null
	crm ticket open "Toner low" --account Acme >/dev/null
	crm ticket comment 1 "toner ordered" >/dev/null
	crm ticket comment 1 "toner replaced, all fine" >/dev/null
	run crm search toner -F tsv --no-headers
	expect_status 0
	[ "$(cut -f1-3 <<<"$output")" = "$(printf 'ticket\t1\tToner low')" ]
	run crm search replaced -F tsv --no-headers
	[ "$output" = "$(printf 'ticket\t1\tToner low\ttoner replaced, all fine')" ]
	crm search --rebuild 2>/dev/null
	run crm search replaced --kind ticket -F tsv --no-headers
	[ "$(cut -f1-3 <<<"$output")" = "$(printf 'ticket\t1\tToner low')" ]
}

# ---------------------------------------------------------------- the index follows every write

@test "the index follows edit and rm, and nothing else changes it" {
	seed
	crm account edit "Acme Corp" --name "Apex Corp" --notes "hammers" >/dev/null
	run crm search acme --kind account -F tsv --no-headers
	[ -z "$output" ]
	run crm search apex hammers -F tsv --no-headers
	[ "$(cut -f1,2,3 <<<"$output")" = "$(printf 'account\t2\tApex Corp')" ]
	crm contact rm ana@acme.example >/dev/null
	run crm search stiinta -F tsv --no-headers
	expect_status 0
	[ -z "$output" ]
	# a ticket's comments are rows of their own: they go with it
	crm ticket open Jammed --account "Apex Corp" >/dev/null
	crm ticket comment Jammed "zebraword in a comment" >/dev/null
	crm ticket comment Jammed "another zebraword" >/dev/null
	[ "$(index_rows ticket 12)" = 3 ]
	run -0 crm search zebraword -F tsv --no-headers
	[ "$(cut -f1,3 <<<"$output")" = "$(printf 'ticket\tJammed')" ]
	run -0 crm ticket rm Jammed
	[ "$(index_rows ticket 12)" = 0 ]
	run -0 crm search zebraword -F tsv --no-headers
	[ -z "$output" ]
}

@test "an import indexes what it adds and changes, its revert takes it out again" {
	seed
	printf 'first_name,last_name,email,notes\nBea,Kowalczyk,bea@example.org,wombat farming\nAna,Popescu,ana@acme.example,now wombats too\n' > "$T/c.csv"
	run crm contact import "$T/c.csv"
	expect_status 0
	run crm search wombat -F tsv --no-headers
	[ "$(cut -f3 <<<"$output" | sort)" = "$(printf 'Ana Popescu\nBea Kowalczyk')" ]
	run crm search stiinta -F tsv --no-headers
	[ -z "$output" ]
	crm import revert 1 >/dev/null
	run crm search wombat -F tsv --no-headers
	[ -z "$output" ]
	run crm search stiinta -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "Ana Popescu" ]
}

@test "a new record's row is written over a stale one left at its number, one by one and in an import" {
	is_pg && skip "on PostgreSQL a row is always written over by kind and number"
	seed
	local next
	next=$(($(db_sql "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'contacts'") + 1))
	# rows a record of these numbers never had: a new record's row is first tried as a plain insert
	db_sql "INSERT INTO search_index (rowid, lterms, bterms) VALUES ($((next * 32 + 3)), 'stale', 'leftover'), ($(((next + 1) * 32 + 3)), 'stale', 'leftover')"
	run crm contact add Zed Fresh
	expect_status 0
	printf 'first_name,last_name\nYan,Bulkload\n' > "$T/c.csv"
	run crm contact import --mode create "$T/c.csv"
	expect_status 0
	run crm search leftover -F tsv --no-headers
	expect_status 0
	[ -z "$output" ]
	[ "$(crm search fresh -F tsv --no-headers | cut -f2,3)" = "$next	Zed Fresh" ]
	[ "$(crm search bulkload -F tsv --no-headers | cut -f2,3)" = "$((next + 1))	Yan Bulkload" ]
	db_sql "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 0)"
}

@test "a failed write leaves the index as it was" {
	seed
	run crm contact add Bo Dup --email ana@acme.example --notes "gnu herding"
	expect_status 4
	run crm search gnu -F tsv --no-headers
	[ -z "$output" ]
}

@test "search --rebuild recreates the index from the records; it needs the right to" {
	seed
	# on SQLite the index is made anew: as the migrations made it, tokenizer and prefix index
	local made=""
	is_pg || made=$(db_sql "SELECT sql FROM sqlite_schema WHERE name = 'search_index'")
	db_sql "DELETE FROM search_index"
	run crm search zurich -F tsv --no-headers
	[ -z "$output" ]
	run --separate-stderr crm search --rebuild
	expect_status 0
	[ "$stderr" = "search index rebuilt: 4 records" ]
	if ! is_pg; then
		[[ "$made" == *"fts5(lterms, bterms, tokenize = 'unicode61 remove_diacritics 0', prefix = '3')"* ]]
		[ "$(db_sql "SELECT sql FROM sqlite_schema WHERE name = 'search_index'")" = "$made" ]
	fi
	run crm search zurich -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "$(printf 'Zürich Ölwerke\nAna Popescu')" ]
	crm user add vic --roles viewer >/dev/null
	run crm --as vic search zurich -F tsv --no-headers
	expect_status 0
	run crm --as vic search --rebuild
	expect_status 5
	[[ "$output" == *"may not search.rebuild"* ]]
}

@test "a copied database has its own index, made from what it received" {
	skip_unless_sqlite
	seed
	crm db copy --from "$CRM_DB" --to "$T/copy.db" >/dev/null 2>&1
	run crm --db "$T/copy.db" search zurich -F tsv --no-headers
	expect_status 0
	[ "$(cut -f3 <<<"$output")" = "$(printf 'Zürich Ölwerke\nAna Popescu')" ]
}

@test "custom fields are searched" {
	cat > "$T/c.yaml" <<-'EOF'
	custom_fields:
	  account:
	    - {name: motto, type: text}
	EOF
	export CRM_CONFIG=$T/c.yaml
	crm account add Acme --motto "Nemo saltat sobrius" >/dev/null
	run crm search saltat -F tsv --no-headers
	[ "$(cut -f1,3 <<<"$output")" = "$(printf 'account\tAcme')" ]
}

@test "the migration fills the index from the records already kept" {
	skip_unless_sqlite
	seed
	db_sql "DROP TABLE offer_sections; DROP TABLE offer_lines; DROP TABLE offers; DROP TABLE sequences;
		DROP TABLE transactions; DROP TABLE financials; ALTER TABLE contract_lines DROP COLUMN delivered;
		ALTER TABLE contract_lines DROP COLUMN discount;
		DROP TABLE record_merge_cells; DROP TABLE record_merges; DROP INDEX ticket_watchers_by_contact;
		DROP TABLE merge_sent; DROP TABLE list_contacts; DROP TABLE list_accounts; DROP TABLE lists;
		DROP TABLE campaign_contacts; DROP TABLE campaign_accounts; DROP INDEX accounts_campaign;
		ALTER TABLE accounts DROP COLUMN campaign_id; DROP INDEX activities_campaign;
		ALTER TABLE activities DROP COLUMN campaign_id;
		DROP TABLE search_index; DROP TABLE attributes; DROP TABLE opportunities; DROP TABLE products;
		DROP TABLE campaigns;
		ALTER TABLE contacts DROP COLUMN do_not_email; ALTER TABLE contacts DROP COLUMN do_not_mail;
		ALTER TABLE notifications DROP COLUMN sender; ALTER TABLE notifications DROP COLUMN activity_id;
		DROP TABLE process_runs; DROP INDEX tasks_process_step; ALTER TABLE tasks DROP COLUMN process_id;
		ALTER TABLE tasks DROP COLUMN process_step; ALTER TABLE tasks DROP COLUMN approval; DROP INDEX users_manager; DROP TABLE task_attendees;
		DROP TABLE milestone_deliverables; DROP TABLE milestone_tasks; DROP TABLE milestones; DROP TABLE deliverables;
		DROP TABLE task_after; ALTER TABLE projects DROP COLUMN template; PRAGMA user_version = 18"
	crm init >/dev/null
	run crm search zurich -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "$(printf 'Zürich Ölwerke\nAna Popescu')" ]
}

@test "migration 33 indexes the kinds added since the index: products, opportunities, lists, campaigns, offers" {
	skip_unless_sqlite
	crm account add Acme >/dev/null
	crm product add WIDGET-1 "Blue widget" --price 10 --currency EUR >/dev/null
	crm opportunity add "Widget rollout" --account Acme >/dev/null
	crm campaign add "Spring fair" --description "widgets at the fair" >/dev/null
	crm list add Newsletter --description "monthly widget news" >/dev/null
	crm offer add --account Acme --title "Widgets for Acme" >/dev/null
	run -0 crm search widget -F tsv --no-headers
	[ "$(cut -f1-3 <<<"$output" | sort)" = "$(printf 'campaign\t1\tSpring fair\nlist\t1\tNewsletter\noffer\t1\tOF-2026-0001\nopportunity\t1\tWidget rollout\nproduct\t1\tBlue widget')" ]
	# a database from before: the index held none of them
	# (rowid % 32: the kind's code, core/search.c: product 14, opportunity 15, list 16,
	# campaign 19, offer 20)
	db_sql "DELETE FROM search_index WHERE rowid % 32 IN (14, 15, 16, 19, 20);
		DROP TABLE milestone_deliverables; DROP TABLE milestone_tasks; DROP TABLE milestones; DROP TABLE deliverables;
		DROP TABLE task_after; ALTER TABLE projects DROP COLUMN template;
		ALTER TABLE contract_lines DROP COLUMN discount; PRAGMA user_version = 32"
	crm init >/dev/null
	run -0 crm search widget -F tsv --no-headers
	[ "$(cut -f1 <<<"$output" | sort)" = "$(printf 'campaign\nlist\noffer\nopportunity\nproduct')" ]
	run -0 crm search fair --kind campaign -F tsv --no-headers
	[ "$(cut -f3 <<<"$output")" = "Spring fair" ]
}

@test "a bare word of list goes through the same index: word prefixes, accents, attributes and custom fields, with other terms" {
	seed
	crm attr set account "Acme Corp" stage=mature >/dev/null
	crm contact add Bob Goldsmith --email bob@x.test >/dev/null
	run -0 crm contact list popes -F tsv --no-headers --fields id
	[ "$output" = "1" ]
	run -0 crm contact list "ana popes" -F tsv --no-headers --fields id
	[ "$output" = "1" ]
	run -0 crm account list ZURICH -F tsv --no-headers --fields name
	[ "$output" = "Zürich Ölwerke" ]
	# the index holds what LIKE over the fields never saw: an attribute
	run -0 crm account list mature -F tsv --no-headers --fields name
	[ "$output" = "Acme Corp" ]
	run -0 crm account list lubricants -F tsv --no-headers --fields name
	[ "$output" = "Zürich Ölwerke" ]
	# with field terms (ANDed), and after an edit
	run -0 crm contact list gold email:bob@x.test -F tsv --no-headers --fields id
	[ "$output" = "2" ]
	crm contact edit 2 --last-name Silversmith >/dev/null
	run -0 crm contact list gold -F tsv --no-headers --fields id
	[ "$output" = "" ]
	run -0 crm contact list silver -F tsv --no-headers --fields id
	[ "$output" = "2" ]
	# a ticket's comments are the ticket's words
	crm ticket open "Printer jams" --account "Acme Corp" >/dev/null
	crm ticket open "Screen flickers" --account "Acme Corp" >/dev/null
	crm ticket comment 1 "the toner smudges" >/dev/null
	run -0 crm ticket list --all toner -F tsv --no-headers --fields id
	[ "$output" = "1" ]
	run -0 crm ticket list --all screen -F tsv --no-headers --fields id
	[ "$output" = "2" ]
	# a word is a prefix, not any part of a word: a * asks for that (LIKE over the fields)
	run -0 crm contact list smith -F tsv --no-headers --fields id
	[ "$output" = "" ]
	run -0 crm contact list '*smith' -F tsv --no-headers --fields id
	[ "$output" = "2" ]
}

@test "the search is served by the index, not a scan" {
	seed
	run crm search --explain zurich
	expect_status 0
	if is_pg; then
		[[ "$output" == *"search_index"* ]]
	else
		[[ "$output" == *"VIRTUAL TABLE INDEX"* ]]
		[[ "$output" != *"SCAN accounts"* ]]
	fi
}

# ---------------------------------------------------------------- bad input

@test "search without words, with only punctuation, an unknown kind or a bad limit is a usage error" {
	seed
	run crm search
	expect_status 2
	run crm search '!!' '--'
	expect_status 2
	run crm search '?!'
	expect_status 2
	[[ "$output" == *"search for what?"* ]]
	run crm search zurich --kind alert
	expect_status 2
	[[ "$output" == *"unknown kind 'alert'"* ]]
	run crm search zurich --limit -1
	expect_status 2
	run crm search --rebuild zurich
	expect_status 2
}

@test "search words are data, never the index's syntax" {
	seed
	for q in '"' 'NEAR(a b)' 'zurich OR acme' '*' 'a:*' "'; DROP TABLE accounts; --" 'col:zurich'; do
		run crm search "$q"
		[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
	done
	run crm search 'zurich OR acme' -F tsv --no-headers
	expect_status 0
	[ -z "$output" ]
	run crm account list -F tsv --no-headers
	[ "$(wc -l <<<"$output")" -eq 2 ]
}

@test "search finds a project's deliverables and milestones" {
	crm account add Acme >/dev/null
	crm project add Rollout --account Acme >/dev/null
	crm deliverable add "Quokka manual" --project Rollout >/dev/null
	crm milestone add "Quokka go-live" --project Rollout >/dev/null
	run -0 crm search quokka -F tsv --no-headers
	[ "$(cut -f1-3 <<<"$output" | sort)" = "$(printf 'deliverable\t1\tQuokka manual\nmilestone\t1\tQuokka go-live')" ]
}
