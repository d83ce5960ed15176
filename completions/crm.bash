# bash completion for crm(1).
#
# The candidates come from the binary itself ("crm __complete <words...>" prints one per line
# for the last word), so they follow the command table and the record kinds without this file
# ever being edited. Install as /usr/share/bash-completion/completions/crm, or source it.

# The lines of $1 that begin with $2, taken literally (compgen -W would expand "$", quotes
# and backslashes in the candidates, turning L'Oréal into LOréal).
_crm_matching()
{
	local c found=1
	while IFS= read -r c; do
		[[ -n $c && $c == "$2"* ]] && printf '%s\n' "$c" && found=0
	done <<<"$1"
	return $found
}

# $1 as the shell reads it back as one word: every character the shell treats specially
# escaped with a backslash, or, inside an opened quote ($2), what that quote needs. The answer
# is left in REPLY (no subshell for each candidate).
_crm_quote()
{
	local w=$1 out= c i
	case $2 in
	\')
		REPLY=${w//\'/\'\\\'\'}
		return
		;;
	\")
		for ((i = 0; i < ${#w}; i++)); do
			c=${w:i:1}
			[[ $c == [\$\`\"\\] ]] && out+=\\
			out+=$c
		done
		REPLY=$out
		return
		;;
	esac
	for ((i = 0; i < ${#w}; i++)); do
		c=${w:i:1}
		[[ $c == [[:space:]\"\'\\\$\`\(\)\&\;\|\<\>\*\?\[\]\{\}\~\#\!^] ]] && out+=\\
		out+=$c
	done
	REPLY=$out
}

_crm()
{
	local -a words=() reply=()
	local i w n cur prev prefix cands quote= value= REPLY

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
		# inside double quotes a backslash keeps its next character only before $ ` " \
		if [[ $quote == \" ]]; then
			cur=${cur//\\\$/\$} cur=${cur//\\\`/\`} cur=${cur//\\\"/\"} cur=${cur//\\\\/\\}
		fi
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
	if [[ $cur == --*=* ]] && ! _crm_matching "$cands" "$cur" >/dev/null; then
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
	mapfile -t reply < <(_crm_matching "$cands" "$cur")
	COMPREPLY=()
	for w in "${reply[@]}"; do
		w=${w#"$prefix"}
		# a name with spaces, quotes or "$" is one word, inserted as it is: escaped, or quoted
		# for the quote opened (readline closes it)
		_crm_quote "$w" "$quote"
		COMPREPLY+=("$REPLY")
	done
	# A filter's field name ("country:") and --set's ("name=") are followed by their value: no
	# space after them.
	if ((${#reply[@]} == 1)) && [[ ${reply[0]} == *[:=] ]]; then
		compopt -o nospace 2>/dev/null || :
	fi
	return 0
}

complete -F _crm crm
