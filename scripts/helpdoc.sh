#!/bin/sh
# helpdoc.sh man TOOL TEMPLATE | helpdoc.sh completion PACOLLECT PAANALYZE
#
# man: TOOL's manual page, TEMPLATE (docs/man/TOOL.1.in) with @HELP@ replaced by the
# SYNOPSIS and DESCRIPTION of `TOOL --help` and, for paanalyze, a COMMANDS section of
# every `paanalyze help CMD`, and @VERSION@ by its version.
# completion: the bash completion of both tools, their options from the same texts.
# Run by make whenever the tools change, so the manuals and the completion say what
# --help says. help2man(1) is not used: it knows no subcommands.
set -eu
here=$(dirname "$0")

# commands PAANALYZE: the commands of `paanalyze --help`, but help
commands() {
	"$1" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
		on && $1 != "help" { print $1 }'
}

case "$1" in
man)
	tool=$2 template=$3
	gen=$(mktemp)
	trap 'rm -f "$gen"' EXIT
	"$tool" --help | awk -v mode=top -f "$here/help2roff.awk" > "$gen"
	if [ "$(basename "$tool")" = paanalyze ]; then
		echo '.SH COMMANDS' >> "$gen"
		for c in $(commands "$tool"); do
			echo ".SS $c" >> "$gen"
			"$tool" help "$c" | awk -v mode=cmd -f "$here/help2roff.awk" >> "$gen"
		done
	fi
	version=$("$tool" --version | awk '{ print $NF }')
	sed -e "s/@VERSION@/$version/" -e "/^@HELP@\$/{r $gen" -e 'd;}' "$template"
	;;
completion)
	pacollect=$2 paanalyze=$3
	echo "# bash completion for pacollect and paanalyze, made by scripts/helpdoc.sh"
	echo "# from their --help: do not edit."
	"$pacollect" --help | awk -v key=pacollect -f "$here/help2comp.awk"
	cmds=$(commands "$paanalyze")
	echo "_pat_paanalyze_commands='$(echo $cmds)'"
	for c in $cmds; do
		"$paanalyze" help "$c" | awk -v key="paanalyze_$c" -f "$here/help2comp.awk"
	done
	echo
	cat "$here/completion.bash"
	;;
*)
	echo "usage: helpdoc.sh man TOOL TEMPLATE | completion PACOLLECT PAANALYZE" >&2
	exit 2
	;;
esac
