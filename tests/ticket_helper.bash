# Shared by the ticket, workflow, sla, alert, notify and report tests: a database with an admin
# (root), a manager (mia) over two agents of group support (ann, bob), a viewer (vic), an
# account with a customer contact. The clock is fixed (CRM_NOW) on Monday 2 March 2026.
load helper

ticket_setup() {
	crm_test_env
	export CRM_USER=root
	export CRM_NOW=2026-03-02T09:00:00Z
	crm -q init
	crm user edit root --email root@example.com
	crm user add mia --name "Mia Manager" --email mia@example.com --roles manager >/dev/null
	crm user add ann --email ann@example.com --roles agent --groups support --manager mia >/dev/null
	crm user add bob --email bob@example.com --roles agent --groups support,field --manager mia >/dev/null
	crm user add vic --email vic@example.com --roles viewer >/dev/null
	crm account add Acme >/dev/null
	crm account add Globex >/dev/null
	crm contact add Carl Customer --email carl@acme.example --account Acme >/dev/null
}

# A configuration file from standard input, used by every crm after it.
use_config() {
	cat > "$BATS_TEST_TMPDIR/config.yaml"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
}

# One field of a ticket, from its JSON.
tfield() {
	crm ticket show "$1" -F json | py -c "import json,sys; v=json.load(sys.stdin).get('$2'); print('' if v is None else v)"
}

# A stub mail command that appends each message to $MAILLOG, then a line "--".
stub_mailer() {
	export MAILLOG="$BATS_TEST_TMPDIR/mail.log"
	cat > "$BATS_TEST_TMPDIR/sendmail" <<EOS
#!/bin/sh
${1:-}
cat >> "$MAILLOG"
echo -- >> "$MAILLOG"
EOS
	chmod +x "$BATS_TEST_TMPDIR/sendmail"
}

# The stub mail command as notify.command, from "CRM <crm@example.com>": what notify send
# delivers lands in $MAILLOG.
use_stub_notify() {
	stub_mailer
	use_config <<EOF
notify:
  command: $BATS_TEST_TMPDIR/sendmail -t
  from: "CRM <crm@example.com>"
EOF
}
