#!/usr/bin/env bats
# The shell completions ask the binary (crm __complete), so they cannot drift from the command
# table. bash is tested by calling _crm as bash would; zsh and fish are syntax-checked when
# installed.
load helper

setup() {
	crm_test_env
	COMPLETIONS=$BATS_TEST_DIRNAME/../completions
	# The scripts call "crm" from PATH, as in a user's shell: the binary under test comes first
	# (through a link named crm, whatever $CRM_BIN is called), and the helper's function goes.
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$CRM_BIN" "$BATS_TEST_TMPDIR/bin/crm"
	PATH="$BATS_TEST_TMPDIR/bin:$(dirname "$CRM_BIN"):$PATH"
	unset -f crm
	# shellcheck source=../completions/crm.bash
	source "$COMPLETIONS/crm.bash"
}

# comp WORD...: complete "crm WORD..." with the cursor at the end of the last word, as bash
# would call _crm; the candidates are left in COMPREPLY and, one per line, in $reply.
comp() {
	COMP_WORDS=(crm "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_crm crm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	reply=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}

# expect WORD...: $reply is exactly these candidates, in any order.
expect() {
	local want
	want=$(printf '%s\n' "$@" | sort)
	if [ "$reply" != "$want" ]; then
		printf 'for: crm %s\nwant: %s\ngot:  %s\n' "${COMP_WORDS[*]:1}" "$(echo $want)" "$(echo $reply)" >&2
		return 1
	fi
}

# expect_has WORD...: $reply holds at least these candidates (nouns and verbs grow).
expect_has() {
	local w
	for w in "$@"; do
		if ! grep -qxF -- "$w" <<<"$reply"; then
			printf 'for: crm %s\nmissing: %s\ngot: %s\n' "${COMP_WORDS[*]:1}" "$w" "$(echo $reply)" >&2
			return 1
		fi
	done
}

@test "completion: crm.bash is valid bash and registers _crm for crm" {
	run bash -n "$COMPLETIONS/crm.bash"
	[ "$status" -eq 0 ]
	run complete -p crm
	[ "$status" -eq 0 ]
	[[ "$output" == *"-F _crm crm"* ]]
	[ "$(type -t crm)" = file ]
}

@test "completion: the nouns after 'crm '" {
	comp ''
	expect_has account location contact user history config init help
	refute grep -q __complete <<<"$reply"
	comp acc
	expect account
	comp co
	expect_has contact config
	refute grep -qv '^co' <<<"$reply"
}

@test "completion: the verbs after 'crm account '" {
	comp account ''
	expect_has add list show edit rm tree history
	refute grep -qxE 'ls|remove' <<<"$reply"
	comp account s
	expect show
	comp contact ''
	expect_has add list show edit rm history
	comp config ''
	expect get set show
}

@test "completion: field options after 'crm account add --li'" {
	comp account add --li
	expect --lifecycle-stage --line-of-business
	comp contact edit 1 --la
	expect --last-name
	comp user add --ro
	expect --roles
}

@test "completion: a verb's own options, and no duplicates" {
	comp account list --
	expect --help --fields --sort --limit
	comp account rm --
	expect --help --yes
	comp account tree --
	expect --help --by
}

@test "completion: global options, before the noun or skipped over" {
	comp --fo
	expect --format
	comp --no-h
	expect --no-headers
	comp --no-p
	expect --no-pager
	comp -F json account l
	expect list
	comp --db x.db --as ann contact ''
	expect_has add list show edit rm history
	comp -q account ''
	expect_has add list show edit rm tree history
}

@test "completion: option values: formats, --opt=value, file names" {
	comp --format ''
	expect table tsv csv json ndjson yaml xlsx
	comp -F j
	expect json
	# bash splits --format=j into "--format" "=" "j"
	comp --format = j
	expect json
	comp --color = ''
	expect always never auto
	cd "$BATS_TEST_TMPDIR"
	touch sales.db
	comp --db sal
	expect sales.db
	comp account list -o sal
	expect sales.db
	# db copy's --from and --to name databases: files; activity list's --from is a date.
	comp db copy --from sal
	expect sales.db
	comp db copy --from sales.db --to sal
	expect sales.db
	comp activity list --from sal
	expect
}

@test "completion: help and history take nouns, help then verbs" {
	comp help ''
	expect_has account location contact user history config init help
	comp help account ''
	expect_has add list show edit rm tree history
	comp history ''
	expect_has account location contact user
	refute grep -qxE 'config|init|help' <<<"$reply"
}

@test "completion: arguments that are not options complete to nothing, quietly" {
	comp account add ''
	expect
	comp account show ''
	expect
	comp nosuch ''
	expect
	run _crm crm '' ''
	[ -z "$output" ]
	db_absent
}

@test "completion: the verbs offered are those of crm help, for every noun" {
	local n
	comp ''
	for n in $reply; do
		crm help "$n" | grep -q '^Verbs:' || continue
		comp "$n" ''
		expect $(crm help "$n" | sed -n '/^Verbs:/,/^$/p' | awk 'NF && $1 != "Verbs:" { print $1 }')
	done
}

@test "completion: _crm (zsh) is valid zsh" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	head -n 1 "$COMPLETIONS/_crm" | grep -qx '#compdef crm'
	run zsh -n "$COMPLETIONS/_crm"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "completion: crm.fish is valid fish" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish --no-execute "$COMPLETIONS/crm.fish"
	echo "$output"
	[ "$status" -eq 0 ]
}
