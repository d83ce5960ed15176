# bash completion for crm(1).
#
# The candidates come from the binary itself ("crm __complete <words...>" prints one per line
# for the last word), so they follow the command table and the record kinds without this file
# ever being edited. Install as /usr/share/bash-completion/completions/crm, or source it.

_crm()
{
	local -a words=() reply=()
	local i w n cur prev prefix cands quote= value=

	# The words after "crm" up to and including the one being completed. Bash splits
	# "--format=json" into "--format" "=" "json", a filter's "industry:retail" into
	# "industry" ":" "retail" and "ann@example.com" at "@" (COMP_WORDBREAKS); put such words
	# back together.
	for ((i = 1; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]-}
		n=${#words[@]}
		if ((n > 0)) && [[ $w == [=:@] || ${words[n - 1]} == *[=:@] ]] && [[ ${COMP_WORDS[i - 1]-} == [=:@] || $w == [=:@] ]]; then
			words[n - 1]+=$w
		else
			words+=("$w")
		fi
	done
	((${#words[@]} > 0)) || words=("")
	cur=${words[${#words[@]} - 1]}
	prev=
	((${#words[@]} > 1)) && prev=${words[${#words[@]} - 2]}

	# Bash replaces only the part of the word after its last break character ("=", ":", "@").
	prefix=
	if [[ ${COMP_WORDS[COMP_CWORD]-} == [=:@] ]]; then
		prefix=$cur
	elif [[ $cur != "${COMP_WORDS[COMP_CWORD]-}" ]]; then
		prefix=${cur%"${COMP_WORDS[COMP_CWORD]-}"}
	fi
	# but readline replaces an "@" with what follows it (bash's hostname completion)
	prefix=${prefix%@}
	# The word as crm reads it: an opening quote ("Acme Ho) or backslashes (Acme\ Ho) taken
	# off; readline closes a quote it saw opened, and candidates are escaped otherwise.
	if [[ $cur == [\"\']* ]]; then
		quote=${cur:0:1}
		cur=${cur:1}
		words[${#words[@]} - 1]=$cur
	elif [[ $cur == *\\* ]]; then
		cur=${cur//\\/}
		prefix=${prefix//\\/}
		words[${#words[@]} - 1]=$cur
	fi

	# File names are the shell's business.
	case $prev in
	--db | --config | -o | --output)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null || :
		return 0
		;;
	--from | --to)
		# crm db copy: a file (or a URL); activity list's --from is a date.
		if [[ " ${words[*]} " == *" db "* ]]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			compopt -o filenames 2>/dev/null || :
			return 0
		fi
		;;
	esac
	case $cur in
	--db=* | --config=* | --output=*)
		mapfile -t reply < <(compgen -f -- "${cur#*=}")
		COMPREPLY=("${reply[@]}")
		compopt -o filenames 2>/dev/null || :
		return 0
		;;
	esac

	# One candidate a line, a tab and its description after it (bash shows none); ":files" asks
	# for file names.
	cands=$(crm __complete "${words[@]}" 2>/dev/null | cut -f1) || cands=
	# A verb's option value given with "=" (--fields=na), which crm completes as two words:
	# asked as "--fields" "na", and only the value replaced (bash breaks the word at "=").
	if [[ $cur == --*=* ]] && ! compgen -W "$cands" -- "$cur" >/dev/null; then
		value=${cur#*=}
		words[${#words[@]} - 1]=${cur%%=*}
		words+=("$value")
		cur=$value prefix=
		cands=$(crm __complete "${words[@]}" 2>/dev/null | cut -f1) || cands=
	fi
	if [[ $'\n'$cands$'\n' == *$'\n:files\n'* ]]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null || :
		return 0
	fi
	local IFS=$'\n'
	mapfile -t reply < <(compgen -W "$cands" -- "$cur")
	COMPREPLY=()
	for w in "${reply[@]}"; do
		w=${w#"$prefix"}
		# a name with spaces or quotes is one word: escaped, unless a quote was opened
		[[ -z $quote && $w == *[[:space:]\"\'\\\$\`\(\)\&\;\|\<\>]* ]] && printf -v w '%q' "$w"
		COMPREPLY+=("$w")
	done
	# A filter's field name ("country:") and --set's ("name=") are followed by their value: no
	# space after them.
	if ((${#reply[@]} == 1)) && [[ ${reply[0]} == *[:=] ]]; then
		compopt -o nospace 2>/dev/null || :
	fi
	return 0
}

complete -F _crm crm
