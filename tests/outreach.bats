#!/usr/bin/env bats
# Outreach (issue 14): crm contact email queues a message through the outbox, logged as an
# `email` activity on the contact and their account with the files as its documents; crm notify
# send builds it with GMime (read back here by Python's e-mail parser); do_not_email is honoured.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
	use_stub_notify
	crm user edit ann --name "Lee, Ann" >/dev/null
	crm account edit Acme --name "Acme, Inc." >/dev/null
}

# The number of messages queued, and of activities logged.
counts() {
	echo "$(crm notify list -F json | jq length) $(crm activity list -F json | jq length)"
}

@test "contact email: queued from the user, logged as an email activity on the contact and the account, files attached" {
	printf '%%PDF-1.4\n\0\1\377 binary\n' >"$BATS_TEST_TMPDIR/offer.pdf"
	run -0 crm --as ann contact email carl@acme.example --subject "Oferta — 2027" \
		--body $'Bună ziua,\n\nvă trimit oferta.\n.\nAnn' --attach "$BATS_TEST_TMPDIR/offer.pdf"
	[ "$output" = 1 ]
	run -0 crm activity show 1 -F json
	[ "$(echo "$output" | jq -r '[.type, .summary, .account, (.contacts | join(","))] | join("|")')" = "email|Oferta — 2027|Acme, Inc.|Carl Customer" ]
	run -0 crm doc list -F json
	[ "$(echo "$output" | jq -r '.[0] | [.name, .noun, .record] | join("|")')" = "offer.pdf|activity|1" ]
	run -0 crm notify list --pending -F json
	[ "$(echo "$output" | jq -r '.[0] | [.event, .recipient, .subject] | join("|")')" = "email|Carl Customer <carl@acme.example>|Oferta — 2027" ]
	run -0 crm notify send
	[ "$output" = "1 notification delivered" ]
	run -0 py - "$MAILLOG" "$BATS_TEST_TMPDIR/offer.pdf" <<-'EOF2'
	import re, sys, email, email.policy
	raw = [r for r in re.split(rb"(?m)^--\n", open(sys.argv[1], "rb").read()) if r.strip()]
	assert len(raw) == 1, len(raw)
	m = email.message_from_bytes(raw[0], policy=email.policy.default)
	frm = m["From"].addresses[0]
	assert (frm.display_name, frm.addr_spec) == ("Lee, Ann", "ann@example.com"), m["From"]
	to = m["To"].addresses[0]
	assert (to.display_name, to.addr_spec) == ("Carl Customer", "carl@acme.example"), m["To"]
	assert m["Subject"] == "Oferta — 2027", m["Subject"]
	assert m["Auto-Submitted"] is None and m["X-CRM-Event"] is None
	body = m.get_body(("plain",)).get_content()
	assert body == "Bună ziua,\n\nvă trimit oferta.\n.\nAnn", repr(body)
	files = list(m.iter_attachments())
	assert [f.get_filename() for f in files] == ["offer.pdf"], files
	assert files[0].get_content_type() == "application/pdf", files[0].get_content_type()
	assert files[0].get_content() == open(sys.argv[2], "rb").read()
	for line in raw[0].split(b"\n"):
	    assert len(line) <= 78 and max(line or b"\0") < 128, line
	print("ok")
	EOF2
	[ "$output" = ok ]
}

@test "contact email --body - reads the text from standard input; without --attach the message is one text part" {
	printf 'line one\nline two\n' | crm contact email 'Carl Customer' --subject Hi --body - >/dev/null
	run -0 crm activity show 1 -F json
	[ "$(echo "$output" | jq -r .body)" = $'line one\nline two' ]
	crm notify send >/dev/null
	grep -qi '^Content-Type: text/plain; charset=utf-8' "$MAILLOG"
	refute grep -qi 'multipart' "$MAILLOG"
}

@test "contact email honours do_not_email: refused (6), nothing queued or logged; the wish is a field people filter on" {
	crm contact edit carl@acme.example --do-not-email yes >/dev/null
	run --separate-stderr crm contact email carl@acme.example --subject Offer --body x
	expect_status 6
	[ "$stderr" = "crm: contact 1 (Carl Customer) asked for no e-mail (do_not_email): nothing sent" ]
	[ "$(counts)" = "0 0" ]
	run -0 crm contact list do_not_email:yes --fields email --no-headers
	[ "$output" = carl@acme.example ]
	crm contact add Dan Doe --email dan@acme.example >/dev/null
	run -0 crm contact list do_not_email:no --fields email --no-headers
	[ "$output" = dan@acme.example ]
}

@test "contact email: bad input is refused and nothing is queued or logged" {
	crm contact add Nomail Person >/dev/null
	run --separate-stderr crm contact email 'Nomail Person' --subject Hi --body x
	expect_status 6
	[ "$stderr" = "crm: contact 2 (Nomail Person) has no e-mail address" ]
	run --separate-stderr crm contact email carl@acme.example --body x
	expect_status 2
	[ "$stderr" = "crm: an e-mail needs a subject: --subject TEXT" ]
	run -3 crm contact email nobody@nowhere.example --subject Hi --body x
	run -3 crm contact email carl@acme.example --subject Hi --attach "$BATS_TEST_TMPDIR/missing.pdf"
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	run -2 timeout 10 ${CRM_WRAP:-} "$CRM_BIN" contact email carl@acme.example --subject Hi --attach "$BATS_TEST_TMPDIR/fifo"
	[ "$(counts)" = "0 0" ]
	run -0 crm doc list -F json
	[ "$output" = "[]" ]
}

@test "contact email takes contact.email: a viewer may not (5), nothing queued" {
	run -5 crm --as vic contact email carl@acme.example --subject Hi --body x
	[ "$(counts)" = "0 0" ]
}

@test "contact email: a body that fits Latin-1 (German, French) is sent as the UTF-8 its label says" {
	run -0 crm contact email carl@acme.example --subject 'Grüße' --body $'Schöne Grüße aus Köln — à bientôt'
	run -0 crm notify send
	run -0 py - "$MAILLOG" <<-'EOF2'
	import re, sys, email, email.policy
	raw = [r for r in re.split(rb"(?m)^--\n", open(sys.argv[1], "rb").read()) if r.strip()]
	m = email.message_from_bytes(raw[-1], policy=email.policy.default)
	part = m.get_body(("plain",))
	assert part.get_content_charset() == "utf-8", part.get_content_charset()
	assert part.get_content() == "Schöne Grüße aus Köln — à bientôt", repr(part.get_content())
	assert "Sch=C3=B6ne" in raw[-1].decode("ascii") or "base64" in part["Content-Transfer-Encoding"], raw[-1]
	print("ok")
	EOF2
	[ "$output" = ok ]
}

@test "contact email --template: the merge template filled for the contact, its Subject line the subject; bad templates are errors, nothing queued" {
	printf 'Subject: Offer for {{account.name|you}}\n\nDear {{first_name}},\n{{#if title}}as {{title}}, {{/if}}see the offer.\n' >"$BATS_TEST_TMPDIR/t.txt"
	run -0 crm contact email carl@acme.example --template "$BATS_TEST_TMPDIR/t.txt"
	[ "$output" = 1 ]
	run -0 crm activity show 1 -F json
	[ "$(echo "$output" | jq -r '[.summary, .body] | join("|")')" = $'Offer for Acme, Inc.|Dear Carl,\nsee the offer.' ]
	# --subject wins over the template's
	run -0 crm contact email carl@acme.example --subject Hello --template "$BATS_TEST_TMPDIR/t.txt"
	run -0 crm activity show 2 -F json
	[ "$(echo "$output" | jq -r .summary)" = Hello ]
	# an unknown placeholder, no subject at all, or both --body and --template: nothing queued
	printf 'Subject: x\n\n{{frist_name}}\n' >"$BATS_TEST_TMPDIR/bad.txt"
	run crm contact email carl@acme.example --template "$BATS_TEST_TMPDIR/bad.txt"
	expect_status 6
	[[ "$output" == *"frist_name"*"did you mean"*"first_name"* ]]
	printf 'Dear {{first_name}}\n' >"$BATS_TEST_TMPDIR/nosubj.txt"
	run crm contact email carl@acme.example --template "$BATS_TEST_TMPDIR/nosubj.txt"
	expect_status 2
	[[ "$output" == *"an e-mail needs a subject"* ]]
	run crm contact email carl@acme.example --body x --template "$BATS_TEST_TMPDIR/t.txt"
	expect_status 2
	run crm contact email carl@acme.example --template "$BATS_TEST_TMPDIR/none.txt"
	expect_status 3
	run -0 crm notify list --pending -F tsv --no-headers
	[ "${#lines[@]}" -eq 2 ]
}
