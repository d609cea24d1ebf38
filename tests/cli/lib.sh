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
