#!/usr/bin/env zsh
# zsh_complete.zsh DIR LINE...: what zsh's completion offers when TAB is pressed at the end of
# each LINE, asked of one real interactive zsh (zsh -f, compinit, DIR first on $fpath: DIR holds
# _crm) on a pseudo-terminal (the zsh/zpty module). For each LINE it prints "## LINE", then one
# candidate a line as it would be inserted, a tab and its description where zsh shows one.
# A LINE written "insert:LINE" is completed for real instead: what follows "## insert:LINE" is
# the command line after TAB, as the user sees it (a unique candidate inserted, its suffix).
# Exits 2 when zsh does not answer within CRMZ_TIMEOUT seconds (30).
emulate -L zsh
zmodload zsh/zpty zsh/datetime || exit 2
dir=${1:a}; shift
out=$(mktemp -d "${TMPDIR:-/tmp}/zsh_complete.XXXXXX") || exit 2
trap 'zpty -d crmz 2>/dev/null; rm -rf $out' EXIT

# The zsh under test. TAB runs a widget that completes the line; compadd is wrapped so that the
# candidates are written to a file instead of offered (the technique of zsh-capture-completion),
# except in "insert:" mode. The files tell this script when each answer is complete.
cat > $out/init.zsh <<'INIT'
PS1= PROMPT= RPROMPT=
unsetopt zle_bracketed_paste 2>/dev/null
fpath=($CRMZ_DIR $fpath)
autoload -U compinit && compinit -u -D
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
integer crmz_n=0 crmz_real=0
compadd() {
	# real insertion, and internal calls that only gather matches (-O, -A, -D), are left alone
	if (( crmz_real )) || [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a hits dscr opre ppre osuf
	local v i d tab=$'\t'
	if (( $@[(I)-d] )); then
		v=${@[$@[(i)-d]+1]}
		if [[ $v == \(* ]]; then eval "dscr=$v"; else dscr=("${(@P)v}"); fi
	fi
	builtin compadd -A hits -D dscr "$@"
	zparseopts -E P:=opre p:=ppre S:=osuf 2>/dev/null
	(( $#hits )) || return 1
	for i in {1..$#hits}; do
		d=${dscr[i]-}
		# _describe's display strings are "value  -- description"
		[[ $d == *' -- '* ]] && d=${d#* -- } || d=
		print -r -- "$IPREFIX${opre[2]-}${ppre[2]-}$hits[i]${osuf[2]-}${d:+$tab$d}" >>$CRMZ_OUT/cands.$crmz_n
	done
}
crmz_done() { : >>$CRMZ_OUT/cands.$crmz_n; }
crmz_complete() {
	comppostfuncs=(crmz_done)
	zle complete-word
	(( crmz_real )) && print -r -- "$BUFFER" >$CRMZ_OUT/cands.$crmz_n
	BUFFER=
	: >$CRMZ_OUT/done.$crmz_n
}
zle -N crmz_complete
bindkey '^I' crmz_complete
: >$CRMZ_OUT/ready
INIT

# wait_for FILE WHAT: until FILE exists, draining what the terminal shows meanwhile.
wait_for() {
	local line t0=$EPOCHREALTIME
	while [[ ! -e $1 ]]; do
		while zpty -rt crmz line 2>/dev/null; do :; done
		if (( EPOCHREALTIME - t0 > ${CRMZ_TIMEOUT:-30} )); then
			print -ru2 -- "zsh_complete: zsh gave no answer for '$2' within ${CRMZ_TIMEOUT:-30}s"
			exit 2
		fi
		sleep 0.02
	done
}

export CRMZ_DIR=$dir CRMZ_OUT=$out
zpty crmz zsh -f -i || exit 2
zpty -w crmz "source ${(q)out}/init.zsh"
wait_for $out/ready "source init.zsh"
integer n=0
for line in "$@"; do
	if [[ $line == insert:* ]]; then
		zpty -w crmz "crmz_n=$n crmz_real=1"
		zpty -w -n crmz "${line#insert:}"$'\t'
	else
		zpty -w crmz "crmz_n=$n crmz_real=0"
		zpty -w -n crmz "$line"$'\t'
	fi
	wait_for $out/done.$n "$line"
	print -r -- "## $line"
	cat $out/cands.$n
	n+=1
done
