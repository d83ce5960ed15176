#!/usr/bin/env bats
# Mail merge (issue 14.4): crm merge renders a template for each contact a filter selects, to
# files (.txt, .md, .eml), to one PDF of letters (read back with pdftotext and pdfinfo), or as
# e-mails queued through the outbox (delivered to the stub sender) with --limit and
# continuation; --dry-run writes and sends nothing; placeholders are checked before anything.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
	use_stub_notify
	crm account edit Acme --name "Acme SRL" --credit-limit 1234.5 --currency RON >/dev/null
	crm contact edit carl@acme.example --title Director >/dev/null
	crm contact add Ana Popescu --email ana@acme.example --account "Acme SRL" --lifecycle-stage customer >/dev/null
	crm contact add Ștefan Țăranu --email stefan@globex.example --account Globex --lifecycle-stage customer >/dev/null
	crm attr set contact 'Ana Popescu' vat=RO123 >/dev/null
	T="$BATS_TEST_TMPDIR/offer.txt"
	cat >"$T" <<-'EOF'
	Subject: Oferta pentru {{account.name|dumneavoastră}}

	Stimate {{name}},

	{{#if title}}
	Ca {{title}}, primiți oferta noastră.
	{{else}}
	Primiți oferta noastră.
	{{/if}}
	{{#unless account.credit_limit}}
	Nu aveți o limită de credit.
	{{/unless}}
	Limita: {{account.credit_limit|n/a}}. TVA: {{attr.vat|-}}. \{{literal}}
	EOF
}

# How many messages are queued, activities logged, and contacts remembered as sent.
counts() {
	echo "$(crm notify list -F json | jq length) $(crm activity list -F json | jq length)"
}

@test "merge --to-files: one .txt per contact with fields, account fields, attributes, defaults and conditionals" {
	run -0 --separate-stderr crm merge "$T" --where lifecycle_stage:customer --to-files "$BATS_TEST_TMPDIR/out"
	[ "$output" = "$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt
$BATS_TEST_TMPDIR/out/3-Ștefan-Țăranu.txt" ]
	[ "$stderr" = "2 files written to $BATS_TEST_TMPDIR/out" ]
	[ "$(cat "$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt")" = "Stimate Ana Popescu,

Primiți oferta noastră.
Limita: 1234.50 RON. TVA: RO123. {{literal}}" ]
	[ "$(cat "$BATS_TEST_TMPDIR/out/3-Ștefan-Țăranu.txt")" = "Stimate Ștefan Țăranu,

Primiți oferta noastră.
Nu aveți o limită de credit.
Limita: n/a. TVA: -. {{literal}}" ]
	run -0 crm merge "$T" --where carl@acme.example --to-files "$BATS_TEST_TMPDIR/out" -q
	grep -qx 'Ca Director, primiți oferta noastră.' "$BATS_TEST_TMPDIR/out/1-Carl-Customer.txt"
}

@test "merge --to-files never overwrites without --force, and names never leave the directory" {
	crm contact add '../../x' 'y/..' --email evil@example.com >/dev/null
	run -0 crm merge "$T" --where evil@example.com --to-files "$BATS_TEST_TMPDIR/out" -q
	[ "$output" = "$BATS_TEST_TMPDIR/out/4-x-y.txt" ]
	[ "$(ls -A "$BATS_TEST_TMPDIR/out")" = 4-x-y.txt ]
	echo old >"$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt"
	run --separate-stderr crm merge "$T" --where lifecycle_stage:customer --to-files "$BATS_TEST_TMPDIR/out"
	expect_status 4
	[ "$stderr" = "crm: '$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt' exists: nothing written (--force replaces)" ]
	[ "$(cat "$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt")" = old ]
	[ ! -e "$BATS_TEST_TMPDIR/out/3-Ștefan-Țăranu.txt" ]
	run -0 crm merge "$T" --where lifecycle_stage:customer --to-files "$BATS_TEST_TMPDIR/out" --force -q
	grep -q 'Stimate Ana Popescu' "$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt"
	[ "$(ls -A "$BATS_TEST_TMPDIR/out" | wc -l)" -eq 3 ]
}

@test "merge --format md and eml; the .eml parsed by Python's email module" {
	run -0 crm merge "$T" --where ana@acme.example --to-files "$BATS_TEST_TMPDIR/md" --format md -q
	[ "$output" = "$BATS_TEST_TMPDIR/md/2-Ana-Popescu.md" ]
	grep -q '^Stimate Ana Popescu,$' "$BATS_TEST_TMPDIR/md/2-Ana-Popescu.md"
	run -0 crm --as ann merge "$T" --where lifecycle_stage:customer --to-files "$BATS_TEST_TMPDIR/eml" --format eml -q
	run -0 py - "$BATS_TEST_TMPDIR/eml/3-Ștefan-Țăranu.eml" <<-'EOF'
	import sys, email, email.policy
	m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
	to = m["To"].addresses[0]
	assert (to.display_name, to.addr_spec) == ("Ștefan Țăranu", "stefan@globex.example"), m["To"]
	assert m["From"].addresses[0].addr_spec == "ann@example.com", m["From"]
	assert m["Subject"] == "Oferta pentru Globex", m["Subject"]
	assert m["Message-ID"] and m["Date"]
	body = m.get_body(("plain",)).get_content()
	assert body.startswith("Stimate Ștefan Țăranu,\n\nPrimiți oferta noastră.\n"), repr(body)
	print("ok")
	EOF
	[ "$output" = ok ]
	run --separate-stderr crm merge "$T" --where '' --to-files "$BATS_TEST_TMPDIR/x" --format pdf
	expect_status 2
	[ "$stderr" = "crm: --format takes txt, md or eml, not 'pdf'" ]
	[ ! -e "$BATS_TEST_TMPDIR/x" ]
}

@test "merge --pdf: one letter per contact, pages as needed, names and Romanian diacritics in the text" {
	command -v pdftotext >/dev/null || skip "pdftotext (poppler-utils) not installed"
	run -0 --separate-stderr crm merge "$T" --where lifecycle_stage:customer --pdf "$BATS_TEST_TMPDIR/letters.pdf"
	[ "$stderr" = "2 letters, 2 pages written to $BATS_TEST_TMPDIR/letters.pdf" ]
	run -0 pdfinfo "$BATS_TEST_TMPDIR/letters.pdf"
	[[ "$output" == *"Pages:           2"* ]]
	[[ "$output" == *"(A4)"* ]]
	run -0 pdftotext -layout "$BATS_TEST_TMPDIR/letters.pdf" -
	[[ "$output" == *"Stimate Ana Popescu,"* ]]
	[[ "$output" == *"Stimate Ștefan Țăranu,"* ]]
	[[ "$output" == *"Primiți oferta noastră."* ]]
	[[ "$output" == *"Limita: 1234.50 RON."* ]]
	# the second letter starts on its own page
	run -0 pdftotext -f 2 -l 2 "$BATS_TEST_TMPDIR/letters.pdf" -
	[[ "$output" == *"Ștefan"* && "$output" != *"Ana Popescu"* ]]
	# a long letter takes more pages, wrapped within the margins
	{ echo 'Dragă {{name}},'; for i in $(seq 1 120); do echo "Paragraful $i: în această scrisoare lungă își găsesc locul și literele ă, â, î, ș, ț."; done; } >"$BATS_TEST_TMPDIR/long.txt"
	run -0 crm merge "$BATS_TEST_TMPDIR/long.txt" --where ana@acme.example --pdf "$BATS_TEST_TMPDIR/long.pdf" -q
	pages=$(pdfinfo "$BATS_TEST_TMPDIR/long.pdf" | awk '/^Pages:/ {print $2}')
	[ "$pages" -ge 3 ]
	run -0 pdftotext "$BATS_TEST_TMPDIR/long.pdf" -
	[[ "$output" == *"Paragraful 120: în această scrisoare lungă își găsesc locul și literele ă, â, î, ș, ț."* ]]
	# an existing file is kept without --force
	run --separate-stderr crm merge "$T" --where '' --pdf "$BATS_TEST_TMPDIR/long.pdf"
	expect_status 4
	[ "$(pdfinfo "$BATS_TEST_TMPDIR/long.pdf" | awk '/^Pages:/ {print $2}')" = "$pages" ]
}

@test "merge --email: queued through the outbox with an email activity each; --limit per run, a re-run continues" {
	crm contact add Nomail Person --lifecycle-stage customer >/dev/null
	run -0 --separate-stderr crm --as ann merge "$T" --where lifecycle_stage:customer --email --limit 1
	[ "$stderr" = "1 e-mail queued; crm notify send delivers them
1 skipped: no e-mail address
1 left for the next run (--limit 1)" ]
	[ "$(counts)" = "1 1" ]
	run -0 crm activity show 1 -F json
	[ "$(echo "$output" | jq -r '[.type, .summary, .account, (.contacts | join(","))] | join("|")')" = "email|Oferta pentru Acme SRL|Acme SRL|Ana Popescu" ]
	run -0 --separate-stderr crm --as ann merge "$T" --where lifecycle_stage:customer --email
	[ "$stderr" = "1 e-mail queued; crm notify send delivers them
1 already sent by an earlier run
1 skipped: no e-mail address" ]
	[ "$(counts)" = "2 2" ]
	run -0 --separate-stderr crm --as ann merge "$T" --where lifecycle_stage:customer --email
	[[ "$stderr" == "0 e-mails queued; crm notify send delivers them"* ]]
	[ "$(counts)" = "2 2" ]
	run -0 crm notify send
	[ "$output" = "2 notifications delivered" ]
	run -0 py - "$MAILLOG" <<-'EOF'
	import re, sys, email, email.policy
	raw = [r for r in re.split(rb"(?m)^--\n", open(sys.argv[1], "rb").read()) if r.strip()]
	ms = [email.message_from_bytes(r, policy=email.policy.default) for r in raw]
	got = sorted((m["To"].addresses[0].display_name, str(m["Subject"])) for m in ms)
	assert got == [("Ana Popescu", "Oferta pentru Acme SRL"), ("Ștefan Țăranu", "Oferta pentru Globex")], got
	for m in ms:
	    assert m["From"].addresses[0].addr_spec == "ann@example.com", m["From"]
	body = [m for m in ms if "Ana" in str(m["To"])][0].get_body(("plain",)).get_content()
	assert body == "Stimate Ana Popescu,\n\nPrimiți oferta noastră.\nLimita: 1234.50 RON. TVA: RO123. {{literal}}\n", repr(body)
	print("ok")
	EOF
	[ "$output" = ok ]
	# the same filter spaced otherwise is the same run; another filter is another run
	run -0 --separate-stderr crm --as ann merge "$T" --where ' lifecycle_stage:customer  ' --email
	[[ "$stderr" == "0 e-mails queued; crm notify send delivers them"* ]]
	run -0 crm merge "$T" --where ana@acme.example --email -q
	[ "$(counts)" = "3 3" ]
}

@test "merge --email honours do_not_email and merge --pdf and files honour do_not_mail, counting who was skipped" {
	crm contact edit ana@acme.example --do-not-email yes >/dev/null
	crm contact edit stefan@globex.example --do-not-mail yes >/dev/null
	run -0 --separate-stderr crm merge "$T" --where lifecycle_stage:customer --email
	[ "$stderr" = "1 e-mail queued; crm notify send delivers them
1 skipped: they asked for no e-mail (do_not_email)" ]
	run -0 crm notify list -F json
	[ "$(echo "$output" | jq -r '.[].recipient')" = "Ștefan Țăranu <stefan@globex.example>" ]
	run -0 --separate-stderr crm merge "$T" --where lifecycle_stage:customer --to-files "$BATS_TEST_TMPDIR/out"
	[ "$output" = "$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt" ]
	[ "$stderr" = "1 file written to $BATS_TEST_TMPDIR/out
1 skipped: they asked for no letters (do_not_mail)" ]
	run -0 --separate-stderr crm merge "$T" --where stefan@globex.example --pdf "$BATS_TEST_TMPDIR/none.pdf"
	[ "$stderr" = "no letters to write: $BATS_TEST_TMPDIR/none.pdf not written
1 skipped: they asked for no letters (do_not_mail)" ]
	[ ! -e "$BATS_TEST_TMPDIR/none.pdf" ]
}

@test "merge --dry-run prints the first rendering and the count, and writes and sends nothing" {
	run -0 --separate-stderr crm merge "$T" --where lifecycle_stage:customer --dry-run
	[ "$output" = "Subject: Oferta pentru Acme SRL

Stimate Ana Popescu,

Primiți oferta noastră.
Limita: 1234.50 RON. TVA: RO123. {{literal}}" ]
	[ "$stderr" = "dry run: 2 contacts, 2 would be written; nothing written or sent" ]
	run -0 --separate-stderr crm merge "$T" --where lifecycle_stage:customer --email --dry-run
	[ "${lines[1]}" = "To: Ana Popescu <ana@acme.example>" ]
	[ "$stderr" = "dry run: 2 contacts, 2 would be e-mailed; nothing written or sent" ]
	run -0 crm merge "$T" --where '' --to-files "$BATS_TEST_TMPDIR/out" --dry-run
	run -0 crm merge "$T" --where '' --pdf "$BATS_TEST_TMPDIR/x.pdf" --dry-run
	[ ! -e "$BATS_TEST_TMPDIR/out" ] && [ ! -e "$BATS_TEST_TMPDIR/x.pdf" ]
	[ "$(counts)" = "0 0" ]
}

@test "merge: an unknown placeholder is an error naming it, its line and the nearest name; nothing written or sent" {
	printf 'Subject: Hi\n\nDear {{first_name}},\n{{#if title}}\n{{frist_name}}\n{{/if}}\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --email
	expect_status 6
	[ "$stderr" = "crm: template 'bad.txt' line 5: unknown placeholder '{{frist_name}}' (did you mean '{{first_name}}'?)" ]
	[ "$(counts)" = "0 0" ]
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --to-files "$BATS_TEST_TMPDIR/out"
	expect_status 6
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
	printf 'Hi {{acount.name}}\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --dry-run
	expect_status 6
	[ "$stderr" = "crm: template 'bad.txt' line 1: unknown placeholder '{{acount.name}}' (did you mean '{{account.name}}'?)" ]
	printf 'Hi\n{{country}}\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --dry-run
	expect_status 6
	[ "$stderr" = "crm: template 'bad.txt' line 2: unknown placeholder '{{country}}' (did you mean '{{account.country}}'?)" ]
	printf 'Hi {{account.attr.Bad}}\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --dry-run
	expect_status 6
	[[ "$stderr" == "crm: template 'bad.txt' line 1: unknown placeholder '{{account.attr.Bad}}'"* ]]
}

@test "merge: custom fields are placeholders like the others" {
	use_config <<-EOF
	notify:
	  command: $BATS_TEST_TMPDIR/sendmail -t
	custom_fields:
	  contact:
	    - {name: salutation, type: text}
	EOF
	crm contact edit ana@acme.example --salutation "Doamna" >/dev/null
	printf '{{salutation|Stimate}} {{last_name}}\n' >"$BATS_TEST_TMPDIR/c.txt"
	run -0 crm merge "$BATS_TEST_TMPDIR/c.txt" --where lifecycle_stage:customer --to-files "$BATS_TEST_TMPDIR/out" -q
	[ "$(cat "$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt")" = "Doamna Popescu" ]
	[ "$(cat "$BATS_TEST_TMPDIR/out/3-Ștefan-Țăranu.txt")" = "Stimate Țăranu" ]
}

@test "merge: bad template syntax is an error with its line number" {
	printf 'Dear {{name}},\n\n{{#if title}}\nText\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --dry-run
	expect_status 6
	[ "$stderr" = "crm: template 'bad.txt' line 3: {{#if title}} is never closed (no {{/if}})" ]
	printf 'a\nb {{/if}}\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --dry-run
	expect_status 6
	[ "$stderr" = "crm: template 'bad.txt' line 2: '{{/if}}' closes no block" ]
	printf 'a\n\nb {{name\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --dry-run
	expect_status 6
	[ "$stderr" = "crm: template 'bad.txt' line 3: '{{' without '}}' on the same line" ]
	printf 'Subject: x\nFrom: y\n\nHi\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/bad.txt" --where '' --dry-run
	expect_status 6
	[ "$stderr" = "crm: template 'bad.txt' line 2: unknown header 'From' (the header block holds Subject only)" ]
}

@test "merge: usage errors" {
	run --separate-stderr crm merge "$T" --to-files "$BATS_TEST_TMPDIR/out"
	expect_status 2
	[ "$stderr" = "crm: which contacts? --list NAME or --where FILTER ('' for every contact)" ]
	run --separate-stderr crm merge "$T" --where ''
	expect_status 2
	run --separate-stderr crm merge "$T" --where '' --email --pdf x.pdf
	expect_status 2
	run --separate-stderr crm merge "$T" --where '' --email --limit 0
	expect_status 2
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/missing.txt" --where '' --dry-run
	expect_status 3
	run --separate-stderr crm merge "$T" --where 'bogus:1' --dry-run
	expect_status 2
	printf 'Hi {{name}}\n' >"$BATS_TEST_TMPDIR/nosubject.txt"
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/nosubject.txt" --where '' --email
	expect_status 2
	[ "$stderr" = "crm: template 'nosubject.txt' has no Subject: header; give one on its first line or --subject TEXT" ]
	# the dry run of that refuses it too
	run --separate-stderr crm merge "$BATS_TEST_TMPDIR/nosubject.txt" --where '' --email --dry-run
	expect_status 2
	[ "$stderr" = "crm: template 'nosubject.txt' has no Subject: header; give one on its first line or --subject TEXT" ]
	run -0 crm merge "$BATS_TEST_TMPDIR/nosubject.txt" --where '' --email --dry-run --subject Salut
	run -0 crm merge "$BATS_TEST_TMPDIR/nosubject.txt" --where ana@acme.example --email --subject Salut -q
	[ "$(crm notify list -F json | jq -r '.[0].subject')" = Salut ]
	run --separate-stderr crm --as vic merge "$T" --where '' --email
	expect_status 5
}

@test "merge completion: the template is a file, then its options, --format's three values, files for --pdf and --to-files" {
	run -0 crm __complete merge ''
	[ "$output" = :files ]
	run -0 crm __complete merge "$T" --
	[[ "$output" == *"--where"*"--to-files"*"--format"*"--pdf"*"--email"*"--limit"*"--dry-run"* ]]
	run -0 crm __complete merge "$T" --format ''
	[ "$output" = "txt
md
eml" ]
	run -0 crm __complete merge "$T" --pdf x
	[ "$output" = :files ]
	run -0 crm __complete merge "$T" --to-files x
	[ "$output" = :files ]
}

@test "merge --list: the members of a static list or a dynamic one, narrowed by --where; a run per list" {
	crm list add Clients >/dev/null
	crm list add-member Clients ana@acme.example stefan@globex.example -q
	crm list add Directors --type dynamic --filter "title:Director" >/dev/null
	run -0 crm merge "$T" --list Clients --to-files "$BATS_TEST_TMPDIR/out" -q
	[ "$output" = "$BATS_TEST_TMPDIR/out/2-Ana-Popescu.txt
$BATS_TEST_TMPDIR/out/3-Ștefan-Țăranu.txt" ]
	run -0 crm merge "$T" --list Directors --to-files "$BATS_TEST_TMPDIR/dir" -q
	[ "$output" = "$BATS_TEST_TMPDIR/dir/1-Carl-Customer.txt" ]
	# --where narrows the list's members
	run -0 --separate-stderr crm merge "$T" --list Clients --where account:Globex --dry-run
	[ "${lines[1]}" = "Stimate Ștefan Țăranu," ]
	[ "$stderr" = "dry run: 1 contact, 1 would be written; nothing written or sent" ]
	run -0 --separate-stderr crm merge "$T" --list Clients --email --limit 1
	[ "$stderr" = "1 e-mail queued; crm notify send delivers them
1 left for the next run (--limit 1)" ]
	run -0 --separate-stderr crm merge "$T" --list Clients --email
	[ "$stderr" = "1 e-mail queued; crm notify send delivers them
1 already sent by an earlier run" ]
	[ "$(crm notify list -F json | jq -r '[.[].recipient] | sort | join(",")')" = "Ana Popescu <ana@acme.example>,Ștefan Țăranu <stefan@globex.example>" ]
	run --separate-stderr crm merge "$T" --list Nosuch --dry-run
	expect_status 3
	run -0 crm __complete merge "$T" --list ''
	[[ "$output" == *Clients* && "$output" == *Directors* ]]
}
