# The manual pages and the bash completion say what --help says: every option of every
# --help (pacollect's, paanalyze's and each `paanalyze help CMD`) is in the manual page
# and offered by the completion, and nothing else is; the pages render without
# warnings; the completion completes subcommands, options, their values and *.db
# files; `make install DESTDIR=` puts everything where Debian looks for it.
. "$SRC/tests/cli/lib.sh"

man1=$BUILD/man
comp=$BUILD/completion/pat.bash

# help_opts TEXT-FILE: the options of the option lines of a help text, one a line, sorted
# (read here with grep, apart from the awk scripts that make the pages)
help_opts() {
	grep -E '^ {2,6}-' "$1" | sed -E 's/^ +//; s/  .*//' |
		grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u
}

# man_opts PAGE [SECTION]: the options of the .TP terms of PAGE (of subsection SECTION)
man_opts() {
	awk -v sect="${2:-}" 'BEGIN { on = sect == "" }
		on && sect != "" && /^\.S[SH] / { exit }
		sect != "" && $0 == ".SS " sect { on = 1 }
		prev == ".TP" && on { print } { prev = $0 }' "$1" |
		sed 's/\\-/-/g' | grep -oE -- '\\fB--?[A-Za-z][A-Za-z-]*' | sed 's/^\\fB//' | sort -u
}

# comp_words TOOL WORDS...: what the completion offers for the last of WORDS, sorted
comp_words() {
	bash -c '. "$1"; fn=_pat_$2; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMPREPLY=(); $fn; printf "%s\n" "${COMPREPLY[@]}" | sort -u' sh "$comp" "$@"
}

same() {	# same WHAT WANT GOT: the two files list the same lines
	cmp -s "$2" "$3" || {
		diff "$2" "$3" | head
		fail "$1"
	}
}

for page in pacollect paanalyze; do
	[ -s "$man1/$page.1" ] || fail "$man1/$page.1 not built"
	groff -man -ww -z "$man1/$page.1" 2> warn
	[ ! -s warn ] || fail "$page.1: $(cat warn)"
	MANWIDTH=80 man -l "$man1/$page.1" > page.txt 2> warn
	grep -q "^SYNOPSIS" page.txt && [ ! -s warn ] || fail "man -l $page.1: $(cat warn)"
done

pacollect --help > h.txt
help_opts h.txt > want
[ "$(wc -l < want)" -ge 10 ] || fail "pacollect --help: no options found"
man_opts "$man1/pacollect.1" > got
same "pacollect.1 and --help list other options" want got
comp_words pacollect pacollect - > got
same "the completion of pacollect and --help offer other options" want got

paanalyze --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
	on && $1 != "help" { print $1 }' | sort > cmds
[ "$(wc -l < cmds)" -ge 6 ] || fail "paanalyze --help: no commands found"
grep '^\.SS ' "$man1/paanalyze.1" | cut -d' ' -f2 | sort > got
same "paanalyze.1's commands are not those of --help" cmds got
{ cat cmds; printf '%s\n' help --help --version; } | sort > want
comp_words paanalyze paanalyze '' > got
same "the completion of paanalyze's commands" want got
for c in $(cat cmds); do
	paanalyze help "$c" > h.txt
	help_opts h.txt > want
	[ -s want ] || fail "paanalyze help $c: no options found"
	man_opts "$man1/paanalyze.1" "$c" > got
	same "paanalyze.1 ($c) and 'paanalyze help $c' list other options" want got
	comp_words paanalyze paanalyze "$c" - > got
	same "the completion of paanalyze $c offers other options than its help" want got
done

# values, files and subcommands
mkdir sub
touch a.db b.db notes.txt
[ "$(comp_words paanalyze paanalyze w)" = wss ] || fail "paanalyze w"
[ "$(comp_words paanalyze paanalyze help h)" = heatmap ] || fail "paanalyze help h"
[ "$(comp_words paanalyze paanalyze heatmap --by '' | tr '\n' ' ')" = "page time " ] ||
	fail "heatmap --by: $(comp_words paanalyze paanalyze heatmap --by '')"
[ "$(comp_words paanalyze paanalyze wss --rw '' | tr '\n' ' ')" = "r w " ] || fail "--rw"
[ -z "$(comp_words paanalyze paanalyze wss --pid '')" ] || fail "--pid offers words"
[ "$(comp_words paanalyze paanalyze info '' | tr '\n' ' ')" = "a.db b.db sub " ] ||
	fail "paanalyze info: $(comp_words paanalyze paanalyze info '')"
[ "$(comp_words paanalyze paanalyze wss --pid 5 a)" = a.db ] ||
	fail "paanalyze wss --pid 5 a: $(comp_words paanalyze paanalyze wss --pid 5 a)"
[ "$(comp_words paanalyze paanalyze check --salvage n | tr '\n' ' ')" = "notes.txt " ] ||
	fail "check --salvage takes any file"
[ "$(comp_words pacollect pacollect -o n | tr '\n' ' ')" = "notes.txt " ] || fail "-o"
[ -z "$(comp_words pacollect pacollect --interval '')" ] || fail "--interval offers words"
comp_words pacollect pacollect -q l | grep -qx ls || fail "pacollect: commands to trace"
# the traced command's words are its own: files here (without bash-completion)
[ "$(comp_words pacollect pacollect -o x.db ls n)" = notes.txt ] || fail "the command's words"

# make install DESTDIR=: the files where Debian looks for them, and they work there
case "$BUILD" in */build-asan) sanitize=1 ;; *) sanitize= ;; esac
make -s -C "$SRC" install SANITIZE="$sanitize" BUILD="$BUILD" PREFIX=/usr \
	DESTDIR="$PWD/inst" > install.log 2>&1 || { cat install.log; fail "make install"; }
for f in bin/pacollect bin/paanalyze lib/pat/pat.so share/man/man1/pacollect.1 \
	share/man/man1/paanalyze.1 share/bash-completion/completions/pacollect \
	share/bash-completion/completions/paanalyze; do
	[ -s "inst/usr/$f" ] || fail "make install did not install /usr/$f"
done
MANPATH="$PWD/inst/usr/share/man" man -w paanalyze | grep -q "inst/usr/share/man/man1/paanalyze.1" ||
	fail "man does not find the installed paanalyze(1)"
printf '%s\n' '          p-1 [000] ..... 1.000000: handle_mm_fault: 1 W 401000 7f0000001000 tgid=1 aux=0 fault=demand' > one.txt
pacollect -q -f --input one.txt -o one.db
n=$(env LD_PRELOAD="$(asan_preload inst/usr/lib/pat/pat.so)" sqlite3 one.db \
	-cmd ".load $PWD/inst/usr/lib/pat/pat" 'SELECT count(*) FROM pa_events')
[ "$n" = 1 ] || fail "the installed pat.so: $n"
# bash-completion finds the installed completion by the command's name
if [ -f /usr/share/bash-completion/bash_completion ]; then
	got=$(XDG_DATA_DIRS="$PWD/inst/usr/share" bash -c '
		. /usr/share/bash-completion/bash_completion
		__load_completion paanalyze && complete -p paanalyze')
	[ "$got" = "complete -F _pat_paanalyze paanalyze" ] ||
		fail "bash-completion does not load the installed completion: $got"
fi
