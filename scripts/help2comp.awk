# help2comp.awk: the options of a pat tool's --help text (standard input) as shell
# variables for the bash completion (scripts/helpdoc.sh, scripts/completion.bash):
#
#   _pat_KEY_opts='-o --output ...'       every option
#   _pat_KEY_args=' -o=@file --rw=r,w --pid= '
#                                         the options that take an argument, with what
#                                         completes it: @file a file name, a,b the
#                                         words (from a lower-case argument such as
#                                         r|w, or one line per value: --by time), or
#                                         nothing
#
# Option lines are those of scripts/help2roff.awk: "  -o, --output FILE  text".

match($0, /^  +-/) && RLENGTH <= 7 {	# indented 2 to 6 spaces (mawk: no {m,n})
	line = $0
	sub(/^ +/, "", line)
	if (match(line, /  +/))
		line = substr(line, 1, RSTART - 1)
	n = split(line, w, /[ ,]+/)
	arg = ""
	for (i = n; i >= 1; i--)
		if (w[i] !~ /^-/) {
			arg = w[i]
			break
		}
	if (arg ~ /^[a-z][a-z|]*$/) {
		spec = arg
		gsub(/\|/, ",", spec)
	} else if (arg ~ /FILE|OUT|DB/) {
		spec = "@file"
	} else {
		spec = ""
	}
	for (i = 1; i <= n; i++) {
		o = w[i]
		if (o !~ /^-/)
			continue
		if (!(o in seen)) {
			seen[o] = 1
			order[++nopts] = o
		}
		if (arg == "")
			continue
		if (!(o in takes)) {
			takes[o] = spec
		} else if (spec != "" && spec != "@file" && takes[o] != "@file") {
			takes[o] = takes[o] == "" ? spec : takes[o] "," spec
		}
	}
}

END {
	opts = ""
	args = " "
	for (i = 1; i <= nopts; i++) {
		opts = opts (i > 1 ? " " : "") order[i]
		if (order[i] in takes)
			args = args order[i] "=" takes[order[i]] " "
	}
	printf "_pat_%s_opts='%s'\n_pat_%s_args='%s'\n", key, opts, key, args
}
