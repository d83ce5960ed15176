#!/usr/bin/env bats
# The manual pages: mdoc that lints clean, one page per noun, every verb and field of a noun
# in its page, every page reachable from crm(1).
load helper

setup() {
	crm_test_env
	MAN=$BATS_TEST_DIRNAME/../man
	command -v mandoc >/dev/null || skip "mandoc is not installed"
}

# The nouns help lists (help itself has no page of its own: it is in crm(1)).
nouns() {
	crm __complete '' | grep -vx help
}

# The verbs of a noun, from its help ("Verbs:" up to the blank line); none for history, init.
verbs() {
	crm help "$1" | sed -n '/^Verbs:/,/^$/p' | awk 'NF && $1 != "Verbs:" { print $1 }'
}

# The aliases of a noun's verbs: "(alias: ls)".
aliases() {
	crm help "$1" | sed -n 's/.*(alias: \([a-z-]*\)).*/\1/p'
}

@test "man: mandoc -T lint -W warning prints nothing for any page" {
	run mandoc -T lint -W warning "$MAN"/*.1 "$MAN"/*.5
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "man: every page is mdoc, not man(7)" {
	local f
	for f in "$MAN"/*.1 "$MAN"/*.5; do
		grep -q '^\.Dd ' "$f" || { echo "$f: no .Dd" >&2; return 1; }
		grep -q '^\.Sh NAME' "$f" || { echo "$f: no .Sh NAME" >&2; return 1; }
		if grep -q '^\.TH ' "$f"; then echo "$f: man(7) .TH" >&2; return 1; fi
	done
}

@test "man: every page renders without error" {
	local f
	for f in "$MAN"/*.1 "$MAN"/*.5; do
		mandoc "$f" >/dev/null || { echo "$f does not render" >&2; return 1; }
	done
	run mandoc -T markdown "$MAN/crm.1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"EXIT STATUS"* ]]
}

@test "man: every noun has a page crm-<noun>.1" {
	local n missing=
	run nouns
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	for n in $output; do
		[ -f "$MAN/crm-$n.1" ] || missing="$missing $n"
	done
	[ -z "$missing" ] || { echo "no page for:$missing" >&2; return 1; }
}

@test "man: every verb and alias of a noun appears in its page" {
	local n v missing=
	for n in $(nouns); do
		[ -f "$MAN/crm-$n.1" ] || continue # the test above reports a missing page
		for v in $(verbs "$n") $(aliases "$n"); do
			grep -Eq "(^|[ .])Cm ([a-z-]+ )?$v( |$)" "$MAN/crm-$n.1" || missing="$missing $n.$v"
		done
	done
	[ -z "$missing" ] || { echo "not in the page:$missing" >&2; return 1; }
}

@test "man: every field option of add appears in the noun's page" {
	local n opt missing=
	for n in $(nouns); do
		[ -f "$MAN/crm-$n.1" ] || continue
		crm help "$n" add >/dev/null 2>&1 || continue
		for opt in $(crm help "$n" add | sed -n '/^Fields/,$p' | awk '$1 ~ /^--/ { print $1 }'); do
			# mdoc writes --name as "Fl -name"
			grep -Eq -- "Fl ${opt#-}( |\$)" "$MAN/crm-$n.1" || missing="$missing $n:$opt"
		done
	done
	[ -z "$missing" ] || { echo "fields not in the page:$missing" >&2; return 1; }
}

@test "man: crm.1 names every exit status and SEE ALSO lists every page" {
	local code f page
	for code in 0 1 2 3 4 5 6 75 78; do
		sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$MAN/crm.1" | grep -qx "\.It $code" ||
			{ echo "exit status $code not in crm.1" >&2; return 1; }
	done
	for f in "$MAN"/*.[15]; do
		page=$(basename "$f")
		[ "$page" = crm.1 ] && continue
		sed -n '/^\.Sh SEE ALSO/,/^\.Sh /p' "$MAN/crm.1" | grep -q "^\.Xr ${page%.*} ${page##*.}" ||
			{ echo "$page not in the SEE ALSO of crm.1" >&2; return 1; }
	done
}

@test "man: every verb's SYNOPSIS names the options its --help usage names, and no others" {
	# tests/man_synopsis.py reads each page's SYNOPSIS and each verb's usage from the binary:
	# both come from the verb's option table, so a page that disagrees names the verb and option.
	run py "$BATS_TEST_DIRNAME/man_synopsis.py" "$MAN"
	echo "$output"
	expect_status 0
	[ -z "$output" ]
}

@test "man: the SYNOPSIS check finds a page that disagrees" {
	cp -r "$MAN" "$BATS_TEST_TMPDIR/man"
	sed -i 's/^\.Op Fl -limit Ar n$//' "$BATS_TEST_TMPDIR/man/crm-account.1"
	sed -i 's/^\.Op Fl -stop$/.Op Fl -stpo/' "$BATS_TEST_TMPDIR/man/crm-ticket.1"
	run py "$BATS_TEST_DIRNAME/man_synopsis.py" "$BATS_TEST_TMPDIR/man"
	expect_status 1
	[[ "$output" == *"account list: --limit is in --help but not in the SYNOPSIS"* ]]
	[[ "$output" == *"ticket watch: --stop is in --help but not in the SYNOPSIS"* ]]
	[[ "$output" == *"ticket watch: --stpo is in the SYNOPSIS but not in --help"* ]]
}
