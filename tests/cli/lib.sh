# Helpers for tests/cli/test_*.sh (sourced). Each test runs in an empty temporary
# directory with $BUILD on PATH; a failed check prints what and exits 1.
set -eu

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_exit CODE CMD...: run CMD, require exit status CODE; stderr goes to ./err.
expect_exit() {
	want=$1
	shift
	set +e
	"$@" > out 2> err
	got=$?
	set -e
	[ "$got" -eq "$want" ] || {
		cat err >&2
		fail "'$*' exited $got, expected $want"
	}
}

# json_get FILE EXPR: a value from a JSON file, EXPR in Python syntax on 'd'.
json_get() {
	"$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# varied_run NAME: NAME.txt, a trace of what export must get right (threads, two
# processes, aux values and addresses with the top bit set, demand and reset faults,
# events before the START marker: negative times, odd timestamps), imported into NAME.db
varied_run() {
	gentrace --pattern threads --pages 40 --passes 3 --threads 3 > "$1.gen"
	awk '/handle_mm_fault/ && NR % 4 == 0 { gsub(/tgid=4242/, "tgid=777") }
	     /handle_mm_fault/ && NR % 7 == 0 { sub(/aux=0/, "aux=18446744073709551615") }
	     /handle_mm_fault/ && NR % 11 == 0 { sub(/7f12340/, "ffffffffff0") }
	     { print }' "$1.gen" > "$1.txt"
	printf '%s\n' \
		'          late-9 [001] .....    99.999999: handle_mm_fault: 9 W 0 1000 tgid=9 aux=3 fault=demand' \
		'          late-9 [001] .....    99.9999995: handle_mm_fault: 9 R ffffffffffffffff ffffffffffffffff tgid=9 aux=0 fault=reset' >> "$1.txt"
	grep -q 'tgid=777' "$1.txt" && grep -q 'aux=18446744073709551615' "$1.txt" ||
		fail "awk did not vary the trace"
	pacollect -q -f --input "$1.txt" -o "$1.db" || [ $? -eq 3 ]
}

# asan_preload SO: what LD_PRELOAD must hold for a program not built with ASan (sqlite3)
# to load SO, the extension of a `make SANITIZE=1` build (empty for a plain one)
asan_preload() {
	if ldd "$1" | grep -q libasan; then
		${CC:-cc} -print-file-name=libasan.so
	fi
}
