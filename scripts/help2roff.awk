# help2roff.awk: the --help text of a pat tool (standard input) as man(7) source, so
# that the manual pages say what --help says (scripts/helpdoc.sh).
#
#   awk -v mode=top -f help2roff.awk    SYNOPSIS and DESCRIPTION from the tool's --help
#   awk -v mode=cmd -f help2roff.awk    the body of a subcommand's section (.SS)
#
# The help texts follow one layout: "usage:" lines (continued by lines indented with
# seven spaces), paragraphs of plain lines, option lines ("  -o, --output FILE  text",
# indented 2 to 6 spaces, the text going on in lines indented deeper), and other
# indented lines, shown as they are (lists, formulas).

# esc(s): s with roff's special characters escaped.
function esc(s) {
	gsub(/\\/, "\\\\e", s)
	gsub(/-/, "\\\\-", s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}

# term(s): an option term ("-o, --output FILE"): options bold, their arguments italic.
function term(s,    n, i, w, out, sep) {
	n = split(s, w, / /)
	out = ""
	for (i = 1; i <= n; i++) {
		if (w[i] == "")
			continue
		sep = out == "" ? "" : " "
		if (w[i] ~ /^-/)
			out = out sep "\\fB" esc(w[i]) "\\fR"
		else
			out = out sep "\\fI" esc(w[i]) "\\fR"
	}
	gsub(/,\\fR/, "\\\\fR,", out)
	return out
}

function end_block() {
	if (block == "verbatim")
		print ".fi\n.RE"
	block = ""
}

BEGIN {
	block = ""	# "", "usage", "option", "verbatim"
	para = 0	# a paragraph is open
	if (mode == "top")
		print ".SH SYNOPSIS"
}

/^usage: / {
	sub(/^usage: /, "")
	if (mode == "cmd")
		print ".PP"
	print ".nf\n\\fB" esc($0) "\\fR"
	block = "usage"
	next
}

block == "usage" && /^       [^ ]/ {
	sub(/^ +/, "")
	print "\\fB" esc($0) "\\fR"
	next
}

block == "usage" {
	print ".fi"
	block = ""
	if (mode == "top")
		print ".SH DESCRIPTION"
}

/^$/ {
	end_block()
	para = 0
	next
}

match($0, /^  +-/) && RLENGTH <= 7 {	# indented 2 to 6 spaces (mawk: no {m,n})
	end_block()
	line = $0
	sub(/^ +/, "", line)
	# the term ends where two spaces begin the text
	if (match(line, /  +/)) {
		t = substr(line, 1, RSTART - 1)
		text = substr(line, RSTART + RLENGTH)
	} else {
		t = line
		text = ""
	}
	print ".TP\n" term(t)
	if (text != "")
		print esc(text)
	block = "option"
	next
}

block == "option" && /^        +[^ ]/ {
	line = $0
	sub(/^ +/, "", line)
	print esc(line)
	next
}

/^ / {
	if (block != "verbatim") {
		end_block()
		print ".RS 2\n.nf"
		block = "verbatim"
	}
	line = $0
	sub(/^  /, "", line)
	print esc(line)
	next
}

{
	end_block()
	if (!para)
		print ".PP"
	para = 1
	print esc($0)
}

END {
	if (block == "usage")
		print ".fi"
	else
		end_block()
}
