# The completion functions of pacollect and paanalyze; scripts/helpdoc.sh puts the
# options of their --help (as _pat_*_opts and _pat_*_args) above this, so that the
# completion offers what --help documents. Works with or without bash-completion.

# _pat_reply WORDS CUR / _pat_files PATTERN CUR: complete CUR from WORDS, or from file
# names matching PATTERN and directories
_pat_reply() {
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_pat_files() {
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -X "!$1" -- "$2") $(compgen -d -- "$2"))
	compopt -o filenames 2>/dev/null
}

# _pat_option KEY PREV CUR: complete the argument of option PREV of KEY; 1 when PREV
# takes none
_pat_option() {
	local args=_pat_${1}_args spec
	case "${!args}" in
	*" $2="*) ;;
	*) return 1 ;;
	esac
	spec=${!args#*" $2="}
	spec=${spec%% *}
	case "$spec" in
	@file) _pat_files '*' "$3" ;;
	"") COMPREPLY=() ;;
	*) _pat_reply "${spec//,/ }" "$3" ;;
	esac
	return 0
}

# _pat_skip KEY I: the index of the first word from I on that is not an option or an
# option's argument
_pat_skip() {
	local args=_pat_${1}_args i=$2
	while ((i < COMP_CWORD)); do
		case "${COMP_WORDS[i]}" in
		--) echo $((i + 1)); return ;;
		-*=*) ;;
		-*) [[ "${!args}" == *" ${COMP_WORDS[i]}="* ]] && ((i++)) ;;
		*) break ;;
		esac
		((i++))
	done
	echo "$i"
}

_pat_paanalyze() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd key opts
	if ((COMP_CWORD == 1)); then
		_pat_reply "$_pat_paanalyze_commands help --help --version" "$cur"
		return
	fi
	cmd=${COMP_WORDS[1]}
	if [[ $cmd == help ]]; then
		((COMP_CWORD == 2)) && _pat_reply "$_pat_paanalyze_commands" "$cur"
		return
	fi
	[[ " $_pat_paanalyze_commands " == *" $cmd "* ]] || return
	key=paanalyze_$cmd
	_pat_option "$key" "$prev" "$cur" && return
	if [[ $cur == -* ]]; then
		opts=_pat_${key}_opts
		_pat_reply "${!opts}" "$cur"
	else
		_pat_files '*.db' "$cur"
	fi
}

_pat_pacollect() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} i
	i=$(_pat_skip pacollect 1)
	if ((i < COMP_CWORD)); then
		# the words of the command to trace: complete them as that command's
		if declare -F _command_offset > /dev/null; then
			_command_offset "$i"
		else
			_pat_files '*' "$cur"
		fi
		return
	fi
	_pat_option pacollect "$prev" "$cur" && return
	if [[ $cur == -* ]]; then
		_pat_reply "$_pat_pacollect_opts" "$cur"
	else
		local IFS=$'\n'
		COMPREPLY=($(compgen -c -- "$cur") $(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
	fi
}

complete -F _pat_paanalyze paanalyze
complete -F _pat_pacollect pacollect
