# Completion as the real shells do it (issue 16): each function below starts its shell once and
# asks it to complete every command line given, as if TAB were pressed at the line's end.
#   bash: a real interactive bash on a pseudo-terminal, readline splitting the words, crm.bash
#         sourced (tests/bash_complete.py); it shows no descriptions, and lists the part of a
#         word after its last "=" or ":" (COMP_WORDBREAKS): see listed
#   zsh:  a real interactive zsh on a pseudo-terminal, compinit and _crm (tests/zsh_complete.zsh)
#   fish: fish's own completion entry point, complete --do-complete, with crm.fish autoloaded
# The answer is left in $completed, a "## LINE" line before each line's candidates; candidates
# and description read it. A shell that is not installed skips the test (CI installs both).

# shell_complete SHELL DIR LINE...: complete each LINE in SHELL with the completion file found in
# DIR (where _crm or crm.fish is), the crm first on PATH being the one the scripts run.
shell_complete() {
	local sh=$1 dir=$2 rc=0
	shift 2
	command -v "$sh" >/dev/null || skip "$sh is not installed (scripts/install-deps.sh installs it; CI runs this test)"
	completing_shell=$sh
	case $sh in
	bash)
		completed=$(timeout 120 /usr/bin/python3 "$BATS_TEST_DIRNAME/bash_complete.py" "$dir/crm.bash" "$@") || rc=$?
		;;
	zsh)
		completed=$(timeout 120 zsh -f "$BATS_TEST_DIRNAME/zsh_complete.zsh" "$dir" "$@") || rc=$?
		;;
	fish)
		# shellcheck disable=SC2016
		completed=$(timeout 120 fish -c '
			set -p fish_complete_path $argv[1]
			for line in $argv[2..-1]
				echo "## $line"
				complete --do-complete "$line"
			end' "$dir" "$@") || rc=$?
		;;
	*)
		echo "shell_complete: no driver for $sh" >&2
		return 1
		;;
	esac
	if [ "$rc" -ne 0 ]; then
		echo "shell_complete: $sh failed (exit $rc); it said:" >&2
		echo "$completed" >&2
		return 1
	fi
}

# candidates LINE: what the shell offered for LINE, without descriptions, sorted.
candidates() {
	awk -v line="## $1" '$0 == line { on = 1; next } /^## / { on = 0 } on' <<<"$completed" | cut -f1 | LC_ALL=C sort
}

# description LINE CANDIDATE: the description the shell shows beside CANDIDATE.
description() {
	awk -v line="## $1" '$0 == line { on = 1; next } /^## / { on = 0 } on' <<<"$completed" |
		awk -F '\t' -v c="$2" '$1 == c { print $2 }'
}

# offers LINE CANDIDATE...: the shell offered exactly these for LINE.
offers() {
	local line=$1 want got
	shift
	want=$(printf '%s\n' "$@" | LC_ALL=C sort)
	[ $# -gt 0 ] || want=
	got=$(candidates "$line")
	if [ "$got" != "$want" ]; then
		printf 'completing: %s\nwant: %s\ngot:  %s\n' "$line" "$(echo $want)" "$(echo $got)" >&2
		return 1
	fi
}

# offers_some LINE CANDIDATE...: the shell offered at least these for LINE.
offers_some() {
	local line=$1 got c
	shift
	got=$(candidates "$line")
	for c in "$@"; do
		if ! grep -qxF -- "$c" <<<"$got"; then
			printf 'completing: %s\nmissing: %s\ngot: %s\n' "$line" "$c" "$(echo $got)" >&2
			return 1
		fi
	done
}

# describes LINE CANDIDATE TEXT: the shell shows TEXT beside CANDIDATE.
describes() {
	local got
	got=$(description "$1" "$2")
	if [ "$got" != "$3" ]; then
		printf 'completing: %s\n%s: want description "%s", got "%s"\n' "$1" "$2" "$3" "$got" >&2
		return 1
	fi
}

# listed WORD: WORD as the shell lists it: bash only the part after its last "=" or ":" (it
# replaces just that part of the word), the others the whole word.
listed() {
	if [ "$completing_shell" = bash ]; then
		printf '%s\n' "${1##*[=:]}"
	else
		printf '%s\n' "$1"
	fi
}

# shows_descriptions: the shell shows descriptions beside candidates (zsh, fish; not bash).
shows_descriptions() {
	[ "$completing_shell" != bash ]
}
