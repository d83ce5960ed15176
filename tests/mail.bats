#!/usr/bin/env bats
# crm activity import-mail: real messages (tests/fixtures/mail) become email activities linked
# to known contacts and users, attachments become documents, a Message-ID is captured once.
load helper
bats_require_minimum_version 1.5.0

setup() {
	crm_test_env
	export CRM_USER=tester
	export CRM_NOW=2026-12-01T10:00:00Z
	M=$BATS_TEST_DIRNAME/fixtures/mail
}

seed() {
	crm account add Acme >/dev/null
	crm contact add "Ann Smith" --account Acme --email ann@acme.test >/dev/null
	crm contact add "Bob Jones" --account Acme --email bob@acme.test >/dev/null
	crm user add bob --roles agent --email bob@us.test >/dev/null
	crm user add vic --roles viewer >/dev/null
}

# A field from the json of show; link fields (arrays) joined by ", ".
act() {
	crm activity show "$1" -F json | jq -r ".$2 | if type == \"array\" then join(\", \") else . end"
}

count() {
	crm "$1" list --no-headers | wc -l
}

@test "a multipart message with attachments becomes an email activity with documents" {
	seed
	run --separate-stderr crm activity import-mail < "$M/multipart-attachments.eml"
	expect_status 0
	[ "$output" = 1 ]
	[ "$(act 1 type)" = email ]
	[ "$(act 1 summary)" = "Quote for the Apollo project" ]
	[ "$(act 1 at)" = 2026-11-24T08:15:00Z ]
	[ "$(act 1 message_id)" = quote-1@acme.test ]
	[ "$(act 1 body)" = "$(printf 'Hello Bob,\n\nplease find our quote and the price list attached.\n\nAnn')" ]
	[ "$(act 1 account)" = Acme ]
}

@test "mail capture links contacts by From, To and Cc, and users by their address" {
	seed
	crm activity import-mail < "$M/multipart-attachments.eml" >/dev/null 2>&1
	# Cc BOB@ACME.TEST is Bob Jones: addresses compare without case.
	[ "$(act 1 contacts)" = "Ann Smith, Bob Jones" ]
	[ "$(act 1 users)" = bob ]
	[ "$(crm activity list --contact "Ann Smith" --no-headers --fields id)" = 1 ]
	[ "$(crm activity list --user bob --no-headers --fields id)" = 1 ]
}

@test "an address nobody knows is reported, not invented" {
	seed
	users=$(count user)
	run --separate-stderr crm activity import-mail < "$M/multipart-attachments.eml"
	expect_status 0
	[[ "$stderr" == *"no contact or user has the address 'carl@nowhere.test'"* ]]
	[ "$(count contact)" -eq 2 ]
	[ "$(count user)" -eq "$users" ]
	run --separate-stderr crm -q activity import-mail < "$M/quoted-printable.eml"
	[ -z "$stderr" ]
}

@test "attachments are stored as documents of the activity, bytes identical" {
	seed
	crm activity import-mail < "$M/multipart-attachments.eml" >/dev/null 2>&1
	run crm doc list activity 1 --fields id,name,type
	expect_status 0
	[ "${lines[1]}" = "$(printf '1\tquote.pdf\tapplication/pdf')" ]
	[ "${lines[2]}" = "$(printf '2\tPreisliste Müller.csv\ttext/csv')" ]
	crm doc get 1 | cmp - "$M/quote.pdf"
	crm doc get 2 -o "$BATS_TEST_TMPDIR/prices.csv"
	cmp "$BATS_TEST_TMPDIR/prices.csv" "$M/prices.csv"
	run crm activity show 1
	[[ "$output" == *"Documents"*"quote.pdf"* ]]
}

@test "the same Message-ID a second time does nothing" {
	seed
	crm activity import-mail < "$M/multipart-attachments.eml" >/dev/null 2>&1
	run --separate-stderr crm activity import-mail < "$M/multipart-attachments.eml"
	expect_status 0
	[ "$output" = 1 ]
	[[ "$stderr" == *"already captured as activity 1; nothing done"* ]]
	# The same message as another mail system delivers it: other headers, the same id.
	run --separate-stderr crm activity import-mail < "$M/resent-same-id.eml"
	expect_status 0
	[ "$output" = 1 ]
	[ "$(count activity)" -eq 1 ]
	[ "$(count doc)" -eq 3 ]
	[ "$(db_sql 'SELECT count(*) FROM blobs')" -eq 3 ]
}

@test "quoted-printable bodies and RFC 2047 headers are decoded to UTF-8" {
	seed
	run --separate-stderr crm activity import-mail < "$M/quoted-printable.eml"
	expect_status 0
	[ "$(act 1 summary)" = "Angebot für Müller – Q4" ]
	[[ "$(act 1 body)" == "Grüße aus München,"* ]]
	[[ "$(act 1 body)" == *"weichen Zeilenumbruch fortgesetzt wird."* ]]
	[[ "$(act 1 body)" == *"Jürgen" ]]
	[ "$(act 1 contacts)" = "Ann Smith" ]
	[[ "$stderr" == *"'juergen@mueller.test'"* ]]
}

@test "a message read from a pipe is captured the same" {
	seed
	cat "$M/quoted-printable.eml" | crm activity import-mail >/dev/null 2>&1
	[ "$(act 1 summary)" = "Angebot für Müller – Q4" ]
	run --separate-stderr sh -c "cat '$M/quoted-printable.eml' | '$CRM_BIN' activity import-mail"
	[ "$output" = 1 ]
	[ "$(count activity)" -eq 1 ]
}

@test "an HTML-only message keeps its text; without a Message-ID its digest stands in" {
	seed
	crm activity import-mail < "$M/html-no-message-id.eml" >/dev/null
	[ "$(act 1 body)" = "Visit on Monday & Tuesday." ]
	[[ "$(act 1 message_id)" == *@sha256.crm.invalid ]]
	[ "$(act 1 contacts)" = "Bob Jones" ]
	[ "$(act 1 users)" = bob ]
	run crm activity import-mail < "$M/html-no-message-id.eml"
	expect_status 0
	[ "$(count activity)" -eq 1 ]
}

@test "a forwarded message is kept as an .eml document" {
	seed
	crm activity import-mail < "$M/forwarded.eml" >/dev/null
	[ "$(act 1 body)" = "See below." ]
	run crm doc list activity 1 --fields name,type --no-headers
	[ "$output" = "$(printf 'contract draft.eml\tmessage/rfc822\nmessage.eml\tmessage/rfc822')" ]
	run crm doc get 1
	[[ "$output" == *"Subject: contract draft"*"The draft is ready."* ]]
}

@test "what is not a message is invalid data and writes nothing" {
	seed
	run -6 crm activity import-mail < "$M/not-a-message.txt"
	[[ "$output" == *"not an e-mail message"* ]]
	run -6 crm activity import-mail < /dev/null
	[ "$(count activity)" -eq 0 ]
	run -2 crm activity import-mail extra
}

@test "captured mail shows on the contact and the account" {
	seed
	crm activity import-mail < "$M/multipart-attachments.eml" >/dev/null 2>&1
	run crm contact show "Ann Smith"
	[[ "$output" == *"Activities"*"email"*"Quote for the Apollo project"* ]]
	run crm account show Acme
	[[ "$output" == *"Recent activities"*"Quote for the Apollo project"* ]]
	run crm activity history 1
	[[ "$output" == *"add	message_id		quote-1@acme.test"* ]]
}

@test "mail capture needs activity.import-mail" {
	seed
	run crm --as bob activity import-mail < "$M/quoted-printable.eml"
	expect_status 0
	run -5 crm --as vic activity import-mail < "$M/forwarded.eml"
}

@test "a body keeps what is not valid UTF-8 (as U+FFFD) and what follows a NUL; the message is kept as an .eml" {
	seed
	printf 'From: Ann Smith <ann@acme.test>\r\nTo: bob@us.test\r\nSubject: bytes\r\nMessage-ID: <bytes@acme.test>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nCaf\xe9 au lait\r\nbefore\0after the NUL\r\n' > "$BATS_TEST_TMPDIR/m.eml"
	run -0 --separate-stderr crm activity import-mail < "$BATS_TEST_TMPDIR/m.eml"
	[ "$output" = 1 ]
	[ "$(act 1 body)" = "$(printf 'Caf\xef\xbf\xbd au lait\nbefore\xef\xbf\xbdafter the NUL')" ]
	run -0 crm doc list activity 1 --fields name,type --no-headers
	[ "$output" = "$(printf 'message.eml\tmessage/rfc822')" ]
	crm doc get 1 > "$BATS_TEST_TMPDIR/back.eml"
	cmp "$BATS_TEST_TMPDIR/back.eml" "$BATS_TEST_TMPDIR/m.eml"
	# latin-1 declared as such converts
	printf 'From: ann@acme.test\r\nSubject: latin\r\nMessage-ID: <l1@acme.test>\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nCaf\xe9\r\n' | crm activity import-mail >/dev/null 2>&1
	[ "$(act 2 body)" = "Café" ]
}

# Found by tests/fuzz/fuzz_mail.c: an empty text part (no bytes at all) crashed the capture
# (GLib's g_utf8_make_valid refuses NULL); the fuzz corpus replays the fuzzer's own input.
@test "a message with an empty body, plain or html, is captured without one" {
	seed
	run --separate-stderr crm activity import-mail < <(printf 'From: ann@acme.test\nSubject: empty\nMessage-ID: <e1@acme.test>\n\n')
	expect_status 0
	[ "$output" = 1 ]
	[ "$(act 1 summary)" = empty ]
	[ "$(act 1 body)" = null ]
	run --separate-stderr crm activity import-mail < <(printf 'From: ann@acme.test\nSubject: html\nContent-Type: text/html\n\n')
	expect_status 0
	[ "$output" = 2 ]
	[ "$(act 2 body)" = null ]
}
