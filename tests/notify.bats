#!/usr/bin/env bats
# Notifications: queued by every ticket operation for the people concerned, delivered by
# crm notify send through the configured command (a stub sendmail here), retried on failure,
# exactly once when two senders overlap.
load ticket_helper
bats_require_minimum_version 1.5.0

setup() {
	ticket_setup
	use_stub_notify
}

# The recipients of the queued notifications of one event, in order.
queued() {
	crm notify list -F json | jq -r --arg e "$1" 'map(select(.event == $e)) | map(.recipient) | join(",")'
}

@test "every ticket operation queues a notification for the assignee, reporter, contact and watchers" {
	crm --as ann ticket open "Printer on fire" --account Acme --contact carl@acme.example --assign bob >/dev/null
	# ann opened it: she is the reporter but acted herself.
	[ "$(queued opened)" = "bob@example.com,carl@acme.example" ]
	crm ticket watch 1 --user mia
	crm --as bob ticket comment 1 "on my way"
	[ "$(queued comment)" = "ann@example.com,carl@acme.example,mia@example.com" ]
	crm ticket assign 1 @field
	# The group's members hear of it, and the one who had it.
	[ "$(queued assigned)" = "ann@example.com,bob@example.com,carl@acme.example,mia@example.com" ]
	crm --as bob ticket transition 1 start
	[ "$(queued start)" = "ann@example.com,carl@acme.example,mia@example.com" ]
	crm ticket edit 1 --priority high
	[ "$(queued changed)" = "ann@example.com,bob@example.com,carl@acme.example,mia@example.com" ]
	crm --as mia ticket resolve 1 fixed
	[ "$(queued resolve)" = "ann@example.com,bob@example.com,carl@acme.example" ]
	run crm notify list --pending
	expect_status 0
	[ "${#lines[@]}" -eq 20 ]
}

@test "notify send delivers through the command, the message on its standard input" {
	crm ticket open "Printer on fire" --account Acme --assign ann >/dev/null
	run crm notify send
	expect_status 0
	[ "$output" = "1 notification delivered" ]
	[ "$(grep -c '^--$' "$MAILLOG")" = 1 ]
	grep -qx 'From: CRM <crm@example.com>' "$MAILLOG"
	grep -qx 'To: ann@example.com' "$MAILLOG"
	grep -qx 'Subject: \[crm #1\] Printer on fire' "$MAILLOG"
	grep -qx 'Date: Mon, 02 Mar 2026 09:00:00 +0000' "$MAILLOG"
	grep -qx 'X-CRM-Ticket: 1' "$MAILLOG"
	grep -qx 'root opened the ticket.' "$MAILLOG"
	grep -qx 'Assignee: ann' "$MAILLOG"
	# Headers, a blank line, then the body.
	[ "$(sed -n '/^$/=' "$MAILLOG" | head -1)" -lt "$(grep -n 'opened the ticket' "$MAILLOG" | cut -d: -f1)" ]
	run crm notify list --pending
	[ "${#lines[@]}" -eq 1 ]
	run crm notify list -F json
	[ "$(echo "$output" | jq -r '.[0].delivered[0:16]')" = 2026-03-02T09:00 ]
	# Nothing is sent twice.
	run crm notify send
	expect_status 0
	[ "$(grep -c '^--$' "$MAILLOG")" = 1 ]
}

@test "notify send encodes a non-ASCII subject and keeps one line per header" {
	crm ticket open "Imprimantă în flăcări
Bcc: spy@example.com" --account Acme --assign ann >/dev/null
	crm notify send 2>/dev/null
	# The headers end at the first blank line; the subject is RFC 2047-encoded, one header.
	sed '/^$/q' "$MAILLOG" | grep -qi '^Subject: .*=?utf-8?[bq]?'
	run -0 py -c 'import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["Subject"])' "$MAILLOG"
	[ "$output" = "[crm #1] Imprimantă în flăcări Bcc: spy@example.com" ]
	headers=$(sed '/^$/q' "$MAILLOG")
	refute grep -q '^Bcc:' <<<"$headers"
	[ "$(sed '/^$/q' "$MAILLOG" | grep -c '^Subject:')" = 1 ]
}

@test "a failing delivery is not marked delivered and is retried later with backoff" {
	stub_mailer "echo 'mail server unreachable' >&2; [ -e '$BATS_TEST_TMPDIR/up' ] || exit 75"
	crm ticket open T --account Acme --assign ann >/dev/null
	run crm notify send
	expect_status 1
	[[ "$output" == *"0 notifications delivered, 1 failed"* ]]
	run crm notify list --pending -F json
	# (To the minute: the real seconds a run takes are added to CRM_NOW.)
	[ "$(echo "$output" | jq -c 'map([.attempts, .next_attempt[0:16], .last_error])')" = \
		'[[1,"2026-03-02T09:05","mail server unreachable"]]' ]
	# Not due again yet: nothing is tried.
	touch "$BATS_TEST_TMPDIR/up"
	CRM_NOW=2026-03-02T09:04:00Z run crm notify send
	expect_status 0
	[ ! -s "$MAILLOG" ]
	rm "$BATS_TEST_TMPDIR/up"
	CRM_NOW=2026-03-02T09:06:00Z run crm notify send
	expect_status 1
	run crm notify list --pending -F json
	[ "$(echo "$output" | jq -c 'map([.attempts, .next_attempt[0:16]])')" = '[[2,"2026-03-02T09:16"]]' ]
	touch "$BATS_TEST_TMPDIR/up"
	CRM_NOW=2026-03-02T09:17:00Z run crm notify send
	expect_status 0
	[ "$(grep -c '^--$' "$MAILLOG")" = 1 ]
	run crm notify list --pending
	[ "${#lines[@]}" -eq 1 ]
	run crm notify list -F json
	[ "$(echo "$output" | jq -c 'map([.attempts, .delivered[0:16], .last_error])')" = '[[3,"2026-03-02T09:17",null]]' ]
}

@test "two overlapping notify send runs deliver each message exactly once" {
	stub_mailer 'sleep 0.1'
	for i in 1 2 3 4 5 6; do
		crm ticket open "Ticket $i" --account Acme --contact carl@acme.example --assign ann >/dev/null
	done
	[ "$(crm notify list --pending | tail -n +2 | wc -l)" -eq 12 ]
	crm notify send 2>"$BATS_TEST_TMPDIR/a.err" &
	local a=$!
	crm notify send 2>"$BATS_TEST_TMPDIR/b.err" &
	local b=$!
	wait "$a"
	wait "$b"
	[ "$(grep -c '^--$' "$MAILLOG")" -eq 12 ]
	[ "$(grep -i '^Message-ID:' "$MAILLOG" | sort -u | wc -l)" -eq 12 ]
	run crm notify list --pending
	[ "${#lines[@]}" -eq 1 ]
	run crm notify list -F json
	[ "$(echo "$output" | jq 'map(.attempts) | add')" -eq 12 ]
}

@test "on PostgreSQL a sender passes over a notification another holds (FOR UPDATE SKIP LOCKED)" {
	is_pg || skip "PostgreSQL only: SQLite's writers take turns"
	for i in 1 2 3; do
		crm ticket open "Ticket $i" --account Acme --assign ann >/dev/null
	done
	# Another taker holds notification 1 for 3 seconds; the sender neither waits for it nor
	# fails to serialize: it delivers the two others at once and leaves 1 pending.
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -d "$CRM_DB" -c "BEGIN" \
		-c "SELECT id FROM notifications WHERE id = 1 FOR UPDATE" -c "SELECT pg_sleep(3)" -c "COMMIT" > /dev/null &
	local holder=$!
	sleep 0.5
	run crm notify send
	expect_status 0
	[ "$output" = "2 notifications delivered" ]
	kill -0 "$holder" # still holding it: the sender did not wait
	wait "$holder"
	[ "$(db_sql "SELECT id FROM notifications WHERE delivered IS NULL")" = 1 ]
	run crm notify send
	expect_status 0
	[ "$output" = "1 notification delivered" ]
	[ "$(grep -c '^--$' "$MAILLOG")" -eq 3 ]
}

@test "on PostgreSQL four overlapping senders deliver each of 20 notifications exactly once, none failing" {
	is_pg || skip "PostgreSQL only: the SQLite run has the two-sender test above"
	stub_mailer 'sleep 0.05'
	for i in $(seq 10); do
		crm ticket open "Ticket $i" --account Acme --contact carl@acme.example --assign ann >/dev/null
	done
	local pids="" s
	for s in 1 2 3 4; do
		crm notify send > "$BATS_TEST_TMPDIR/$s.out" 2> "$BATS_TEST_TMPDIR/$s.err" &
		pids="$pids $!"
	done
	for s in $pids; do
		wait "$s"
	done
	# Each says what it delivered, and nothing else (no busy, no serialization failure).
	[ "$(cat "$BATS_TEST_TMPDIR"/*.err | grep -cv '^[0-9]* notifications\? delivered$')" = 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/*.err | awk '{ n += $1 } END { print n }')" = 20 ]
	[ "$(grep -c '^--$' "$MAILLOG")" -eq 20 ]
	[ "$(grep -i '^Message-ID:' "$MAILLOG" | sort -u | wc -l)" -eq 20 ]
	[ "$(db_sql "SELECT count(*) FROM notifications WHERE delivered IS NULL OR attempts <> 1")" = 0 ]
}

@test "a sender that died leaves a lease that runs out, and the message is sent later" {
	crm ticket open T --account Acme --assign ann >/dev/null
	# A sender claims the message and is killed while the command runs.
	stub_mailer "echo \$\$ > '$BATS_TEST_TMPDIR/started'; exec sleep 30"
	crm notify send 2>/dev/null &
	local pid=$! i
	for i in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/started" ] && break
		sleep 0.1
	done
	kill -9 "$pid"
	kill "$(cat "$BATS_TEST_TMPDIR/started")"
	wait "$pid" || true
	stub_mailer
	# Held until the lease (10 minutes) runs out.
	run crm notify send
	expect_status 0
	[ ! -s "$MAILLOG" ]
	CRM_NOW=2026-03-02T09:11:00Z run crm notify send
	expect_status 0
	[ "$(grep -c '^--$' "$MAILLOG")" = 1 ]
}

@test "notify send needs a command; notify list takes --pending only" {
	use_config <<'EOF'
notify:
  command: ""
EOF
	crm ticket open T --account Acme --assign ann >/dev/null
	run -78 crm notify send
	[[ "$output" == *"notify.command is not set"* ]]
	run -2 crm notify list --bogus
	run -2 crm notify send --limit x
	run -5 crm --as ann notify send
}

@test "notify list is the generic list: filters, --fields, --sort, --limit, -F" {
	crm --as ann ticket open "Printer on fire" --account Acme --contact carl@acme.example --assign bob >/dev/null
	run crm notify list --fields recipient --sort -recipient --no-headers
	expect_status 0
	[ "$output" = $'carl@acme.example\nbob@example.com' ]
	run crm notify list recipient:bob@example.com --fields event -F csv --pending
	[ "$output" = $'event\nopened' ]
	run crm notify list --limit 1 --fields id --no-headers
	[ "$output" = 1 ]
	run crm notify show 1 -F json
	[[ "$(jq -r .body <<<"$output")" == *"Printer on fire"* ]]
}

# Every message is built by GMime (issue 14): what Python's e-mail parser reads back is what was
# written, byte for byte, whatever the text holds.
@test "notify send: a body's lone dot, long lines and non-ASCII, a non-ASCII sender's name and a long subject survive a mail parser" {
	use_config <<EOF
notify:
  command: $BATS_TEST_TMPDIR/sendmail -t
  from: "Zoë Ştefănescu, Suport <suport@example.com>"
EOF
	local title="Imprimanta din sala de ședințe a etajului trei nu mai tipărește nimic de luni dimineață — urgent"
	crm ticket open "$title" --account Acme --assign ann >/dev/null
	local long
	long=$(printf 'x%.0s' $(seq 1 300))
	printf 'first line\n.\nafter a lone dot\n..two dots\nFrom the start\n%s\n \tblanks at the end \t\nşi diacritice: ăâîșț' "$long" >"$BATS_TEST_TMPDIR/comment"
	crm ticket comment 1 - <"$BATS_TEST_TMPDIR/comment" >/dev/null
	crm notify send >/dev/null
	run -0 py - "$MAILLOG" "$BATS_TEST_TMPDIR/comment" "$title" <<-'EOF2'
	import re, sys, email, email.policy
	raw = re.split(rb"(?m)^--\n", open(sys.argv[1], "rb").read())
	want = "root commented.\n\n" + open(sys.argv[2], encoding="utf-8").read() + "\n\nTicket:   #1 "
	msgs = [email.message_from_bytes(r, policy=email.policy.default) for r in raw if r.strip()]
	m = [m for m in msgs if m["X-CRM-Event"] == "comment"][0]
	# every line of the message within RFC 5322's 78 characters, 7-bit
	for r in raw:
	    for line in r.split(b"\n"):
	        assert len(line) <= 78, line
	        assert max(line or b"\0") < 128, line
	frm = m["From"].addresses[0]
	assert (frm.display_name, frm.addr_spec) == ("Zoë Ştefănescu, Suport", "suport@example.com"), (frm.display_name, frm.addr_spec)
	assert m["Subject"] == "[crm #1] " + sys.argv[3], m["Subject"]
	assert m["Message-ID"].startswith("<crm-notification-"), m["Message-ID"]
	assert m["Date"].datetime.year == 2026, m["Date"]
	body = m.get_content()
	assert body.startswith(want), (body, want)
	assert body.endswith("\nAssignee: ann\n"), body
	assert "\n.\nafter a lone dot\n" in body
	print("ok")
	EOF2
	[ "$output" = ok ]
}

@test "notify send: the default sender takes a lone dot as text (sendmail -t -i)" {
	CRM_CONFIG=/dev/null run -0 crm config get notify.command
	[ "$output" = "sendmail -t -i" ]
}

@test "notify send: a notification whose address is none fails as a delivery, saying why, and is kept" {
	use_config <<EOF
notify:
  command: $BATS_TEST_TMPDIR/sendmail -t
  from: "not an address <"
EOF
	crm ticket open T --account Acme --assign ann >/dev/null
	run crm notify send
	expect_status 1
	[[ "$output" == *"0 notifications delivered, 1 failed"* ]]
	[ ! -s "$MAILLOG" ]
	run -0 crm notify list --pending -F json
	[[ "$(echo "$output" | jq -r '.[0].last_error')" == *"is not an e-mail address"* ]]
}
