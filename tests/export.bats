#!/usr/bin/env bats
# crm <noun> export: formats, filters and fields, every row, CSV safety, Excel, and the round trip
# export -> import into a fresh database.

load helper
bats_require_minimum_version 1.5.0

seed() {
	crm account add ACME --industry it --credit-limit 5000 --country DE > /dev/null
	crm account add "Initech, Inc." --parent ACME > /dev/null
	crm location add HQ --account ACME --city Berlin > /dev/null
	crm location add HQ --account "Initech, Inc." --city Austin > /dev/null
	crm contact add Ann Smith --email ann@example.com --account ACME --location 1 --phone "+49 30 1" \
		--notes '=HYPERLINK("http://evil")' > /dev/null
	crm contact add Bob "O'Brien" --email bob@example.com --account "Initech, Inc." --location 2 \
		--title 'Head of "Special" Projects' --notes $'two\nlines' > /dev/null
	crm contact add Zoë Núñez --email zoe@example.com --lifecycle-stage customer > /dev/null
}

@test "export: CSV by default, every field, every row, RFC 4180 quoting" {
	seed
	run crm contact export
	expect_status 0
	[ "${lines[0]}" = "id,first_name,last_name,title,email,phone,mobile,account,location,lifecycle_stage,notes,do_not_email,do_not_mail,created,updated" ]
	run py - <<-'EOF'
	import csv, subprocess, os
	out = subprocess.run([os.environ["CRM_BIN"], "contact", "export"], capture_output=True, text=True).stdout
	rows = list(csv.DictReader(out.splitlines(True)))
	assert len(rows) == 3, rows
	bob = [r for r in rows if r["email"] == "bob@example.com"][0]
	assert bob["title"] == 'Head of "Special" Projects', bob
	assert bob["notes"] == "two\nlines", bob
	assert bob["account"] == "Initech, Inc.", bob
	assert bob["last_name"] == "O'Brien", bob
	EOF
	expect_status 0
}

@test "export: the same filters and --fields as list, with no limit" {
	seed
	run crm contact export account:ACME --fields email,account
	expect_status 0
	[ "$output" = $'email,account\nann@example.com,ACME' ]
	for i in $(seq 1 120); do echo "c$i@example.com,Person$i"; done | (echo "Email,Last Name"; cat) > "$BATS_TEST_TMPDIR/many.csv"
	crm -q contact import "$BATS_TEST_TMPDIR/many.csv"
	run crm contact export --fields email
	[ "${#lines[@]}" = 124 ]
	run crm contact export --fields shoe
	expect_status 2
	run crm contact export --bogus
	expect_status 2
}

@test "export: cells that start like a formula are neutralised; --raw keeps them" {
	seed
	run crm contact export --fields email,phone,notes ann@example.com
	[ "${lines[1]}" = "ann@example.com,'+49 30 1,\"'=HYPERLINK(\"\"http://evil\"\")\"" ]
	run crm contact export --raw --fields email,phone,notes ann@example.com
	[ "${lines[1]}" = "ann@example.com,+49 30 1,\"=HYPERLINK(\"\"http://evil\"\")\"" ]
}

@test "every csv/tsv file written through -o is guarded against formulas; --raw opts out" {
	seed
	run -0 crm contact list email:ann@example.com --fields email,notes -o "$BATS_TEST_TMPDIR/l.csv"
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/l.csv")" = "ann@example.com,\"'=HYPERLINK(\"\"http://evil\"\")\"" ]
	run -0 crm contact list email:ann@example.com --fields email,notes -o "$BATS_TEST_TMPDIR/l.tsv"
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/l.tsv")" = "ann@example.com	'=HYPERLINK(\"http://evil\")" ]
	run -0 crm contact history ann@example.com -o "$BATS_TEST_TMPDIR/h.csv"
	grep -q "'=HYPERLINK" "$BATS_TEST_TMPDIR/h.csv"
	run -0 crm --raw contact list email:ann@example.com --fields email,notes -o "$BATS_TEST_TMPDIR/r.csv"
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/r.csv")" = "ann@example.com,\"=HYPERLINK(\"\"http://evil\"\")\"" ]
	# standard output stays as stored, for scripts
	run -0 crm contact list email:ann@example.com --fields notes --no-headers -F csv
	[ "$output" = "\"=HYPERLINK(\"\"http://evil\"\")\"" ]
}

@test "export: --excel starts the CSV with a UTF-8 byte-order mark" {
	seed
	crm contact export --excel -o "$BATS_TEST_TMPDIR/x.csv"
	[ "$(head -c 3 "$BATS_TEST_TMPDIR/x.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	crm contact export -o "$BATS_TEST_TMPDIR/y.csv"
	[ "$(head -c 2 "$BATS_TEST_TMPDIR/y.csv")" = id ]
}

@test "export: formats by extension or -F: tsv, json, ndjson, yaml" {
	seed
	crm contact export -o "$BATS_TEST_TMPDIR/x.tsv" --fields email,last_name,notes --sort email
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/x.tsv")" = "ann@example.com	Smith	'=HYPERLINK(\"http://evil\")" ]
	[ "$(sed -n 3p "$BATS_TEST_TMPDIR/x.tsv")" = "bob@example.com	O'Brien	two\nlines" ]
	crm contact export -o "$BATS_TEST_TMPDIR/x.json"
	run py -c "import json,sys; d=json.load(open(sys.argv[1])); assert sorted(r['id'] for r in d)==[1,2,3], d" "$BATS_TEST_TMPDIR/x.json"
	expect_status 0
	run crm contact export -F ndjson --fields id,email
	[ "${#lines[@]}" = 3 ]
	[[ "${lines[0]}" == '{"id":'* ]]
	crm account export -o "$BATS_TEST_TMPDIR/x.yaml"
	run py -c "import yaml,sys; d=yaml.safe_load(open(sys.argv[1])); assert d[0]['credit_limit']==5000, d" "$BATS_TEST_TMPDIR/x.yaml"
	expect_status 0
}

@test "export: xlsx has typed cells, a bold frozen header, an autofilter and an About sheet" {
	seed
	run crm contact export lifecycle_stage: -o "$BATS_TEST_TMPDIR/x.xlsx"
	expect_status 0
	crm account export -o "$BATS_TEST_TMPDIR/a.xlsx"
	run py - "$BATS_TEST_TMPDIR/x.xlsx" "$BATS_TEST_TMPDIR/a.xlsx" <<-'EOF'
	import sys, datetime, openpyxl
	wb = openpyxl.load_workbook(sys.argv[1])
	ws = wb.worksheets[0]
	assert ws.freeze_panes == "A2", ws.freeze_panes
	assert ws.auto_filter.ref, "no autofilter"
	assert ws.cell(1, 1).font.b, "header not bold"
	header = [c.value for c in ws[1]]
	assert header[0] == "id" and "email" in header, header
	assert ws.cell(2, 1).value in (1, 2) and isinstance(ws.cell(2, 1).value, int)
	created = ws.cell(2, header.index("created") + 1).value
	assert isinstance(created, datetime.datetime), created
	ann = [r for r in range(2, ws.max_row + 1) if ws.cell(r, header.index("email") + 1).value == "ann@example.com"][0]
	notes = ws.cell(ann, header.index("notes") + 1).value
	assert notes == '=HYPERLINK("http://evil")', notes  # a string cell, never a formula
	assert ws.max_row == 3, ws.max_row  # two contacts have no lifecycle stage
	about = wb["About"]
	keys = {about.cell(r, 1).value: about.cell(r, 2).value for r in range(1, about.max_row + 1)}
	assert "contact export" in keys["command"], keys
	assert keys["filter"] == "lifecycle_stage:", keys
	assert keys["rows"] == 2, keys
	a = openpyxl.load_workbook(sys.argv[2]).worksheets[0]
	h = [c.value for c in a[1]]
	assert a.cell(2, h.index("credit_limit") + 1).value == 5000
	EOF
	echo "$output"
	expect_status 0
}

@test "export: every kind exports; reading needs no permission beyond opening the database" {
	seed
	for noun in account location contact user; do
		run crm $noun export
		expect_status 0
	done
	crm user add watcher --roles viewer > /dev/null
	run crm --as watcher contact export
	expect_status 0
	run crm --as watcher contact import "$BATS_TEST_TMPDIR/none.csv"
	expect_status 5
}

@test "export: CSV exported then imported with --mode upsert into a fresh database gives the same records" {
	seed
	crm user add boss --name "The Boss" --roles manager > /dev/null
	crm user add ann --name "Ann" --manager boss --groups "sales,emea" --roles agent > /dev/null
	crm account add "ACME Germany" --parent ACME --credit-rating AA > /dev/null
	d="$BATS_TEST_TMPDIR"
	for noun in user account location contact; do
		crm $noun export -o "$d/$noun.csv"
	done
	compare() {
		for noun in user account location contact; do
			fields=$(crm $noun export --fields help | cut -d" " -f1 | grep -v -x -e id -e created -e updated -e '.*_id' | paste -sd, -)
			crm $noun export --fields "$fields" --sort "$(crm $noun export --fields help | sed -n 2p | cut -d" " -f1)"
		done
	}
	before=$(compare)
	export CRM_DB="$d/fresh.db"
	for noun in user account location contact; do
		run crm $noun import --mode upsert --create-missing "$d/$noun.csv"
		echo "$noun: $output"
		expect_status 0
	done
	after=$(compare)
	diff <(echo "$before") <(echo "$after")
	# And the import of the export changes nothing the second time.
	run crm contact import --mode upsert "$d/contact.csv"
	[ "$output" = "0 created, 0 updated, 3 unchanged, 0 rejected (nothing written, no import batch)" ]
}

@test "export and list --fields all keep every field of a kind with many custom fields" {
	{
		echo "custom_fields:"
		echo "  account:"
		for i in $(seq 1 70); do echo "    - {name: f$i, type: text}"; done
	} > "$BATS_TEST_TMPDIR/config.yaml"
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	crm account add Acme --f1 first --f70 last > /dev/null
	run crm account export -F json
	expect_status 0
	[ "$(echo "$output" | jq -c '.[0] | [.f1, .f70]')" = '["first","last"]' ]
	run crm account list --fields all -F json
	[ "$(echo "$output" | jq -c '.[0] | [.f1, .f70]')" = '["first","last"]' ]
	run crm account show Acme -F json
	[ "$(echo "$output" | jq -c '[.f1, .f70]')" = '["first","last"]' ]
}

@test "export --fields help prints what list --fields help prints: one option, one help" {
	crm init -q
	for noun in account contact ticket alert; do
		list=$(crm $noun list --fields help)
		[ -n "$list" ]
		[ "$(crm $noun export --fields help)" = "$list" ]
	done
	[[ "$(crm account export --fields help)" == *"name                 text"* ]]
}

@test "export: the README's contact export works verbatim, a filter as list takes" {
	crm account add "Acme Holding" --country RO >/dev/null
	crm account add Other >/dev/null
	crm contact add "Ana Popescu" --account "Acme Holding" >/dev/null
	crm contact add "Bob Other" --account Other >/dev/null
	cd "$BATS_TEST_TMPDIR"
	line=$(grep '^crm contact export ' "$BATS_TEST_DIRNAME/../README.md")
	[ -n "$line" ]
	run eval "${line%%#*}"
	expect_status 0
	run py - contacts.xlsx <<-'EOF2'
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
	print([c.value for c in ws[2]][1:3], ws.max_row)
	EOF2
	expect_status 0
	[ "$output" = "['Ana', 'Popescu'] 2" ]
}

@test "export is atomic: a temporary file beside the target, renamed when complete, with the target's mode" {
	seed
	d=$BATS_TEST_TMPDIR/out
	mkdir "$d"
	echo precious > "$d/x.csv"
	chmod 600 "$d/x.csv"
	# a failure after the file was opened leaves the target as it was, and no temporary file
	run -2 crm contact export --sort bogus -o "$d/x.csv"
	[ "$(cat "$d/x.csv")" = precious ]
	[ "$(ls "$d")" = x.csv ]
	run -0 crm contact export --fields email -o "$d/x.csv"
	grep -qx ann@example.com "$d/x.csv"
	[ "$(stat -c %a "$d/x.csv")" = 600 ]
	[ "$(ls "$d")" = x.csv ]
	echo precious > "$d/x.xlsx"
	chmod 640 "$d/x.xlsx"
	run -2 crm contact export --sort bogus -o "$d/x.xlsx"
	[ "$(cat "$d/x.xlsx")" = precious ]
	run -0 crm contact export -o "$d/x.xlsx"
	[ "$(head -c 2 "$d/x.xlsx")" = PK ]
	[ "$(stat -c %a "$d/x.xlsx")" = 640 ]
	[ "$(ls "$d" | sort | tr '\n' ' ')" = "x.csv x.xlsx " ]
	# a new file gets the mode any new file would
	(umask 027; crm contact export -o "$d/new.csv")
	[ "$(stat -c %a "$d/new.csv")" = 640 ]
}

@test "export: a write that fails part way leaves the old file as it was; a hard link stays one; xlsx to a FIFO" {
	seed
	# 20 accounts with 30,000 random characters of notes: 600 kB of CSV, past a 64 KiB file size cap
	{
		echo name,notes
		for i in $(seq 1 20); do echo "Big$i,$(head -c 15000 /dev/urandom | od -An -tx1 | tr -d ' \n')"; done
	} > "$BATS_TEST_TMPDIR/big.csv"
	crm account import "$BATS_TEST_TMPDIR/big.csv" 2>/dev/null
	d=$BATS_TEST_TMPDIR/out
	mkdir "$d"
	for f in x.csv x.json; do
		echo precious > "$d/$f"
		chmod 600 "$d/$f"
		run bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' capped "$CRM_BIN" account export -o "$d/$f"
		[ "$status" -eq 1 ]
		[ "$output" = "crm: cannot write '$d/$f': File too large" ]
		[ "$(cat "$d/$f")" = precious ]
	done
	# a hard-linked file is written where it is, and only once complete
	ln "$d/x.csv" "$d/link.csv"
	run bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' capped "$CRM_BIN" account export -o "$d/x.csv"
	[ "$status" -eq 1 ]
	[ "$(cat "$d/link.csv")" = precious ]
	[ "$(ls "$d" | sort | tr '\n' ' ')" = "link.csv x.csv x.json " ]
	run -0 crm account export --fields name --sort name -o "$d/x.csv"
	[ "$(head -2 "$d/link.csv" | tr '\n' ' ')" = "name ACME " ]
	[ "$(stat -c '%h %a' "$d/x.csv")" = "2 600" ]
	# no set-ID bits on what replaces a file; its owner kept where the user may give it
	echo x > "$d/s.tsv"
	chmod 4750 "$d/s.tsv"
	run -0 crm account list -o "$d/s.tsv"
	[ "$(stat -c %a "$d/s.tsv")" = 750 ]
	if [ "$(id -u)" = 0 ]; then
		chown nobody "$d/s.tsv"
		run -0 crm account list -o "$d/s.tsv"
		[ "$(stat -c '%U %a' "$d/s.tsv")" = "nobody 750" ]
	fi
	# libxlsxwriter writes a spool file, copied into a FIFO (or device) once complete
	mkfifo "$d/pipe.xlsx"
	timeout 30 cat "$d/pipe.xlsx" > "$BATS_TEST_TMPDIR/got.xlsx" &
	run -0 timeout 30 "$CRM_BIN" account export --fields name -o "$d/pipe.xlsx"
	wait
	[ -p "$d/pipe.xlsx" ]
	[ "$(head -c 2 "$BATS_TEST_TMPDIR/got.xlsx")" = PK ]
}

@test "-o never replaces the database being read, nor a read-only file" {
	crm account add Acme > /dev/null
	if ! is_pg; then
		sum=$(sha256sum < "$CRM_DB")
		run --separate-stderr crm account list -F tsv -o "$CRM_DB"
		expect_status 1
		[ "$stderr" = "crm: will not write '$CRM_DB': it is the database being read" ]
		# another spelling of the same file
		other="$(dirname "$CRM_DB")/./$(basename "$CRM_DB")"
		run -1 crm account list -F tsv -o "$other"
		[ "$(sha256sum < "$CRM_DB")" = "$sum" ]
		run crm account list --no-headers --fields name
		[ "$output" = Acme ]
	fi
	printf 'keep\n' > "$BATS_TEST_TMPDIR/ro.tsv"
	chmod 0444 "$BATS_TEST_TMPDIR/ro.tsv"
	run --separate-stderr crm account list -o "$BATS_TEST_TMPDIR/ro.tsv"
	expect_status 1
	[ "$stderr" = "crm: will not replace '$BATS_TEST_TMPDIR/ro.tsv': it is read-only (make it writable, or remove it, first)" ]
	[ "$(cat "$BATS_TEST_TMPDIR/ro.tsv")" = keep ]
	chmod 0644 "$BATS_TEST_TMPDIR/ro.tsv"
	run crm account list --fields name -o "$BATS_TEST_TMPDIR/ro.tsv"
	expect_status 0
	[ "$(tail -1 "$BATS_TEST_TMPDIR/ro.tsv")" = Acme ]
}
