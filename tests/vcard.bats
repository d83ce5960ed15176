#!/usr/bin/env bats
# vCard (issue 14): contact export -o FILE.vcf writes 4.0 (3.0 with --vcard-version), read back
# by python3-vobject; contact import FILE.vcf reads a phone's 2.1 (quoted-printable, CHARSET,
# PHOTO, folded lines) and khard's or Nextcloud's 3.0/4.0 (groups such as item1.EMAIL) through
# the import engine: upsert by e-mail, dry run, rejected rows and exit codes as for CSV; what
# has no field is kept in notes under a line [vCard].
load helper
bats_require_minimum_version 1.5.0

FIX="$BATS_TEST_DIRNAME/fixtures/vcard"

setup() {
	crm_test_env
	export CRM_USER=tester CRM_NOW=2026-03-04T05:06:07Z
	/usr/bin/python3 -c 'import vobject' 2>/dev/null || skip "python3-vobject is not installed"
}

teardown() {
	crm_test_cleanup
}

# A long note with accents, every character vCard escapes, and a line break.
LONG_NOTE=$'Ştefan Müller, Zoë Ångström; Chloé Durand \\ and Łódź: every one of these names takes two octets somewhere\nsecond line'

seed() {
	crm account add 'Müller & Söhne; GmbH' >/dev/null
	crm contact add Chloé Durand --email chloe@example.com --account 'Müller & Söhne; GmbH' --title 'Directrice, ventes' \
		--phone '+33 1 23 45 67 89' --mobile '+33 6 12 34 56 78' --notes "$LONG_NOTE" >/dev/null
	crm contact add Ann Lee --email ann@example.com --lifecycle-stage customer --do-not-email yes >/dev/null
}

# The cards of a file as vobject reads them, one line each: version|FN|family|given|emails|org|title|tel:types...
cards() {
	py - "$1" <<-'PY'
	import sys, vobject
	text = open(sys.argv[1], encoding='utf-8', newline='').read()
	for c in vobject.readComponents(text):
	    n = c.n.value
	    tels = ','.join('%s:%s' % (t.value, '+'.join(t.params.get('TYPE', []))) for t in c.contents.get('tel', []))
	    org = ';'.join(c.org.value) if hasattr(c, 'org') else '-'
	    title = c.title.value if hasattr(c, 'title') else '-'
	    emails = ','.join(e.value for e in c.contents.get('email', []))
	    print('|'.join([c.version.value, c.fn.value, n.family, n.given, emails, org, title, tels]))
	PY
}

@test "export -o FILE.vcf writes vCard 4.0 that vobject reads: names, e-mail, org, title, phones with TYPE" {
	seed
	run crm contact export -o "$BATS_TEST_TMPDIR/people.vcf"
	expect_status 0
	run cards "$BATS_TEST_TMPDIR/people.vcf"
	expect_status 0
	[ "${lines[0]}" = "4.0|Chloé Durand|Durand|Chloé|chloe@example.com|Müller & Söhne; GmbH|Directrice, ventes|+33 1 23 45 67 89:work+voice,+33 6 12 34 56 78:cell" ]
	[ "${lines[1]}" = "4.0|Ann Lee|Lee|Ann|ann@example.com|-|-|" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "export --vcard-version 3.0 writes vCard 3.0 that vobject reads" {
	seed
	run crm contact export --vcard-version 3.0 -o "$BATS_TEST_TMPDIR/people.vcf"
	expect_status 0
	run cards "$BATS_TEST_TMPDIR/people.vcf"
	expect_status 0
	[ "${lines[0]}" = "3.0|Chloé Durand|Durand|Chloé|chloe@example.com|Müller & Söhne; GmbH|Directrice, ventes|+33 1 23 45 67 89:WORK+VOICE,+33 6 12 34 56 78:CELL" ]
	[ "${lines[1]}" = "3.0|Ann Lee|Lee|Ann|ann@example.com|-|-|" ]
	# without -o, --vcard-version writes the cards to standard output
	run crm contact export --vcard-version 3 email:ann@example.com
	expect_status 0
	[[ "$output" == *"VERSION:3.0"* && "$output" == *"FN:Ann Lee"* && "$output" != *Chlo* ]]
}

@test "a long note is escaped and folded at 75 octets with CRLF, never inside a character, and reads back whole" {
	seed
	for v in 4.0 3.0; do
		crm contact export --vcard-version $v -o "$BATS_TEST_TMPDIR/p.vcf" email:chloe@example.com
		run py - "$BATS_TEST_TMPDIR/p.vcf" "$LONG_NOTE" <<-'PY'
		import sys, vobject
		raw = open(sys.argv[1], 'rb').read()
		assert raw.endswith(b'\r\n'), 'ends in CRLF'
		lines = raw.split(b'\r\n')[:-1]
		assert all(b'\n' not in l and b'\r' not in l for l in lines), 'every line ends in CRLF'
		assert all(len(l) <= 75 for l in lines), [l for l in lines if len(l) > 75]
		for l in lines:
		    l.decode('utf-8')  # a character split by the fold would fail here
		folded = [l for l in lines if l.startswith(b' ')]
		assert len(folded) >= 1, 'the note is folded'
		card = vobject.readOne(raw.decode('utf-8'))
		assert card.note.value == sys.argv[2], repr(card.note.value)
		print('ok')
		PY
		expect_status 0
		[ "$output" = ok ]
	done
}

@test "UID is stable per contact and REV is its last change; other fields and custom fields are X-CRM- properties" {
	cat > "$BATS_TEST_TMPDIR/config.yaml" <<-'EOF'
	custom_fields:
	  contact:
	    - {name: shoe_size, type: number}
	EOF
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	seed
	crm contact edit ann@example.com --shoe-size 42 >/dev/null
	crm attr set contact ann@example.com stage=mature >/dev/null
	crm contact export -o "$BATS_TEST_TMPDIR/a.vcf"
	crm contact export -o "$BATS_TEST_TMPDIR/b.vcf"
	run grep -c '^UID:urn:uuid:[0-9a-f]\{8\}-[0-9a-f]\{4\}-5[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\}.$' "$BATS_TEST_TMPDIR/a.vcf"
	[ "$output" = 2 ]
	[ "$(grep ^UID "$BATS_TEST_TMPDIR/a.vcf")" = "$(grep ^UID "$BATS_TEST_TMPDIR/b.vcf")" ]
	[ "$(grep ^UID "$BATS_TEST_TMPDIR/a.vcf" | sort -u | wc -l)" -eq 2 ]
	run grep -a -e '^REV' -e '^X-CRM' "$BATS_TEST_TMPDIR/a.vcf"
	[ "$output" = $'X-CRM-ID:1\r\nREV:20260304T050607Z\r\nX-CRM-ID:2\r\nX-CRM-LIFECYCLE-STAGE:customer\r\nX-CRM-DO-NOT-EMAIL:1\r\nX-CRM-SHOE-SIZE:42\r\nX-CRM-ATTR-STAGE:mature\r\nREV:20260304T050607Z\r' ]
}

@test "a card without an e-mail: crm's own export finds its contact again by X-CRM-ID; another adds one" {
	seed
	crm contact add Dan Nomail >/dev/null
	crm contact export -o "$BATS_TEST_TMPDIR/a.vcf"
	run --separate-stderr crm contact import "$BATS_TEST_TMPDIR/a.vcf"
	expect_status 0
	[ "$stderr" = "0 created, 0 updated, 3 unchanged, 0 rejected (nothing written, no import batch)" ]
	# a phone's card without an e-mail is a new contact
	printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Phone\r\nN:Phone;Eve;;;\r\nTEL:+40 21 000\r\nEND:VCARD\r\n' >"$BATS_TEST_TMPDIR/p.vcf"
	run --separate-stderr crm contact import "$BATS_TEST_TMPDIR/p.vcf"
	expect_status 0
	[ "$stderr" = "1 created, 0 updated, 0 unchanged, 0 rejected (import batch 1)" ]
	# an X-CRM-ID from another program's card counts for nothing
	printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dan Nomail\r\nN:Nomail;Dan;;;\r\nX-CRM-ID:3\r\nEND:VCARD\r\n' >"$BATS_TEST_TMPDIR/q.vcf"
	run --separate-stderr crm contact import "$BATS_TEST_TMPDIR/q.vcf"
	expect_status 0
	[ "$stderr" = "1 created, 0 updated, 0 unchanged, 0 rejected (import batch 2)" ]
}

@test "export then import into a fresh database gives the same contacts, custom fields included" {
	cat > "$BATS_TEST_TMPDIR/config.yaml" <<-'EOF'
	custom_fields:
	  contact:
	    - {name: shoe_size, type: number}
	EOF
	export CRM_CONFIG="$BATS_TEST_TMPDIR/config.yaml"
	seed
	crm contact edit ann@example.com --shoe-size 42 >/dev/null
	crm contact add Bob "O'Brien" --email bob@example.com --notes $'back\\slash\nnew line, and; more' >/dev/null
	local fields=first_name,last_name,email,title,phone,mobile,account,lifecycle_stage,notes,do_not_email,shoe_size
	for v in 4.0 3.0; do
		crm contact export --vcard-version $v -o "$BATS_TEST_TMPDIR/all.vcf"
		local fresh="$BATS_TEST_TMPDIR/fresh-$v.db"
		CRM_DB="$fresh" crm init >/dev/null 2>&1
		run env CRM_DB="$fresh" "$CRM_BIN" contact import --create-missing "$BATS_TEST_TMPDIR/all.vcf"
		expect_status 0
		[[ "$output" == *"3 created, 0 updated, 0 unchanged, 0 rejected (and 1 referenced records created)"* ]]
		crm contact list --sort email --fields $fields --format json > "$BATS_TEST_TMPDIR/first.json"
		CRM_DB="$fresh" crm contact list --sort email --fields $fields --format json > "$BATS_TEST_TMPDIR/fresh.json"
		diff "$BATS_TEST_TMPDIR/first.json" "$BATS_TEST_TMPDIR/fresh.json"
		[ "$(jq -r '.[1].notes' "$BATS_TEST_TMPDIR/fresh.json")" = $'back\\slash\nnew line, and; more' ]
		# and again: every card finds its contact by e-mail, nothing changes
		run env CRM_DB="$fresh" "$CRM_BIN" contact import "$BATS_TEST_TMPDIR/all.vcf"
		expect_status 0
		[ "$output" = "0 created, 0 updated, 3 unchanged, 0 rejected (nothing written, no import batch)" ]
	done
}

@test "a phone's vCard 2.1: quoted-printable, CHARSET, soft line breaks, a folded PHOTO dropped and counted" {
	run crm contact import --create-missing "$FIX/phone-2.1.vcf"
	expect_status 0
	[ "$output" = "2 created, 0 updated, 0 unchanged, 0 rejected (and 2 referenced records created), 1 photo dropped (import batch 1)" ]
	run crm contact list --sort email --fields first_name,last_name,email,phone,mobile,account,title -F tsv --no-headers
	[ "${lines[0]}" = $'Ewa\tNowak\tewa.nowak@example.pl\t\t+48 600 100 200\tŁódź Sp. z o.o.\t' ]
	[ "${lines[1]}" = $'Jürgen\tMüller\tj.mueller@firma.example\t+49 30 123456\t+49 170 1234567\tFirma GmbH\tEinkauf' ]
	# the ISO-8859-1 note decoded, its soft line break joined; the second e-mail and the
	# unknown property kept below [vCard]; nothing of the photo
	run crm contact show j.mueller@firma.example -F json
	[ "$(echo "$output" | jq -r .notes)" = $'Kunde seit 2019, sehr zufrieden. Grüße an die Familie\nzweite Zeile\n\n[vCard]\nX-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Jogi;1;;;;;;;;;;;;;\nEMAIL;TYPE=HOME:juergen@example.de' ]
	# the same file again: unchanged (upsert by e-mail)
	run crm contact import "$FIX/phone-2.1.vcf"
	expect_status 0
	[ "$output" = "0 created, 0 updated, 2 unchanged, 0 rejected, 1 photo dropped (nothing written, no import batch)" ]
}

@test "khard and Nextcloud (3.0, 4.0): item1. groups, PREF, TYPE=cell, escapes and folds; unknown properties kept" {
	run crm contact import --create-missing "$FIX/khard-3.0.vcf"
	expect_status 0
	[ "$output" = "2 created, 0 updated, 0 unchanged, 0 rejected (and 2 referenced records created) (import batch 1)" ]
	run crm contact list --sort email --fields first_name,last_name,email,phone,mobile,account,title -F tsv --no-headers
	[ "${lines[0]}" = $'Ana\tPopescu\tana@example.ro\t+40 21 000 0000\t+40 721 000 000\tExemplu SRL\tDirector vânzări' ]
	[ "${lines[1]}" = $'Zoë\tÅngström\tzoe@example.se\t\t+46-70-123-4567\tNordisk AB\t' ]
	run crm contact show ana@example.ro -F json
	[ "$(echo "$output" | jq -r .notes)" = 'Met at the fair, Bucharest; follow up
Backslash \ kept. This note is longer than seventy-five octets, so it is folded.

[vCard]
UID:5f1c2a9e-1111-4c3b-9d2a-0e5b7a6c1d01
item1.X-ABLABEL:Work
ORG:Exemplu SRL;Vânzări
ADR;TYPE=WORK:;;Str. Lungă 5;București;;010101;Romania
CATEGORIES:clients,vip
X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ana
item2.EMAIL;TYPE=INTERNET;TYPE=HOME:ana.home@example.ro' ]
	# PREF=1 picks the e-mail, the other is kept
	run crm contact show zoe@example.se -F json
	[ "$(echo "$output" | jq -r .notes)" = $'[vCard]\nUID:urn:uuid:0b5f3c1e-2222-4d6a-8e9f-1a2b3c4d5e6f\nEMAIL;TYPE=home:zoe.home@example.se' ]
	# again: unchanged; --dry-run tells each card's line
	run crm contact import "$FIX/khard-3.0.vcf"
	expect_status 0
	[ "$output" = "0 created, 0 updated, 2 unchanged, 0 rejected (nothing written, no import batch)" ]
	crm contact edit ana@example.ro --title Boss >/dev/null
	run crm contact import --dry-run "$FIX/khard-3.0.vcf"
	expect_status 0
	[ "${lines[1]}" = $'1\tupdate\tcontact\t1\tana@example.ro\t\t\t\t' ]
	[ "${lines[2]}" = $'21\tunchanged\tcontact\t2\tzoe@example.se\t\t\t\t' ]
}

@test "a card without END:VCARD, or with bad quoted-printable, is an error naming the line; nothing is written" {
	crm contact add Keep Me --email keep@example.com >/dev/null
	printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ok;Good\r\nEMAIL:good@example.com\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ann\r\nEMAIL:ann@example.com\r\n' > "$BATS_TEST_TMPDIR/cut.vcf"
	run crm contact import "$BATS_TEST_TMPDIR/cut.vcf"
	expect_status 6
	[ "$output" = "crm: '$BATS_TEST_TMPDIR/cut.vcf' line 6: the vCard begun here has no END:VCARD" ]
	printf 'BEGIN:VCARD\nVERSION:2.1\nN:Ok;Good\nEMAIL:good@example.com\nEND:VCARD\nBEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\nan\nNOTE;QUOTED-PRINTABLE:caf=E9 =G1\nEND:VCARD\n' > "$BATS_TEST_TMPDIR/qp.vcf"
	run crm contact import "$BATS_TEST_TMPDIR/qp.vcf"
	expect_status 6
	[ "$output" = "crm: '$BATS_TEST_TMPDIR/qp.vcf' line 10: bad quoted-printable: '=G1' is not = and two hex digits" ]
	printf 'BEGIN:VCARD\nVERSION:3.0\nN:Ok;Good\nBEGIN:VCARD\nEND:VCARD\n' > "$BATS_TEST_TMPDIR/nested.vcf"
	run crm contact import "$BATS_TEST_TMPDIR/nested.vcf"
	expect_status 6
	[ "$output" = "crm: '$BATS_TEST_TMPDIR/nested.vcf' line 4: BEGIN:VCARD inside the vCard begun on line 1, which has no END:VCARD" ]
	printf 'BEGIN:VCARD\nVERSION:3.0\nthis is not a property\nEND:VCARD\n' > "$BATS_TEST_TMPDIR/junk.vcf"
	run crm contact import "$BATS_TEST_TMPDIR/junk.vcf"
	expect_status 6
	[ "$output" = "crm: '$BATS_TEST_TMPDIR/junk.vcf' line 3: 'this is not a property' is not a vCard property line (NAME:value)" ]
	printf 'BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=NO-SUCH-CHARSET:Lee;Ann\nEND:VCARD\n' > "$BATS_TEST_TMPDIR/cs.vcf"
	run crm contact import "$BATS_TEST_TMPDIR/cs.vcf"
	expect_status 6
	[ "$output" = "crm: '$BATS_TEST_TMPDIR/cs.vcf' line 3: unknown CHARSET 'NO-SUCH-CHARSET'" ]
	run crm contact list --fields email -F tsv --no-headers
	[ "$output" = keep@example.com ]
	run crm import list -F tsv --no-headers
	[ "$output" = "" ]
}

@test "a card the engine refuses is a rejected row at its BEGIN line, as a CSV row would be" {
	printf 'BEGIN:VCARD\nVERSION:3.0\nN:Ok;Good\nEMAIL:good@example.com\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nN:Bad;Mail\nEMAIL:not-an-address\nEND:VCARD\n' > "$BATS_TEST_TMPDIR/bad.vcf"
	run crm contact import "$BATS_TEST_TMPDIR/bad.vcf"
	expect_status 6
	[ "${lines[0]}" = "crm: '$BATS_TEST_TMPDIR/bad.vcf' line 6: email 'not-an-address' is not an e-mail address" ]
	[[ "$output" == *"nothing written: 1 to create, 0 to update, 0 unchanged, 1 rejected"* ]]
	run crm contact list --fields email -F tsv --no-headers
	[ "$output" = "" ]
	run crm contact import --partial "$BATS_TEST_TMPDIR/bad.vcf"
	expect_status 6
	run crm contact list --fields email -F tsv --no-headers
	[ "$output" = good@example.com ]
}

@test "vCard is for contacts; an unknown extension or version is a usage error" {
	run crm account import "$FIX/khard-3.0.vcf"
	expect_status 2
	[ "$output" = "crm: vCard files hold contacts: crm contact import FILE.vcf" ]
	run crm contact export -o "$BATS_TEST_TMPDIR/people.pdf"
	expect_status 2
	[[ "$output" == *"cannot write a '.pdf' file here"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/people.pdf" ]
	run crm contact export --vcard-version 2.1 -o "$BATS_TEST_TMPDIR/p.vcf"
	expect_status 2
	[ "$output" = "crm: --vcard-version takes 4.0 or 3.0, not '2.1'" ]
	run crm contact export --vcard-version 4.0 -o "$BATS_TEST_TMPDIR/p.csv"
	expect_status 2
	[ ! -e "$BATS_TEST_TMPDIR/p.csv" ]
	run crm account export -o "$BATS_TEST_TMPDIR/a.vcf"
	expect_status 2
	[ ! -e "$BATS_TEST_TMPDIR/a.vcf" ]
	# a file named otherwise is known by its first line, or by --input-format
	cp "$FIX/khard-3.0.vcf" "$BATS_TEST_TMPDIR/contacts.txt"
	run crm contact import --create-missing "$BATS_TEST_TMPDIR/contacts.txt"
	expect_status 0
	run crm contact import --input-format vcard - < "$FIX/khard-3.0.vcf"
	expect_status 0
	[ "$output" = "0 created, 0 updated, 2 unchanged, 0 rejected (nothing written, no import batch)" ]
}

@test "completion offers --vcard-version and its two versions" {
	run crm __complete contact export --
	expect_status 0
	[[ $'\n'"$output"$'\n' == *$'\n--vcard-version\n'* ]]
	run crm __complete account export --
	[[ "$output" != *vcard* ]]
	run crm __complete contact export --vcard-version ""
	[ "$output" = $'4.0\n3.0' ]
	run crm __complete contact import --input-format v
	[ "$output" = vcard ]
}
