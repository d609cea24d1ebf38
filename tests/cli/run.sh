#!/bin/sh
# run.sh BUILD: run every tests/cli/test_*.sh against the binaries in BUILD, one line
# "PASS name" or "FAIL name" each; a failing test's output follows its FAIL line.
set -u
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
# Debian's python3 (with python3-jsonschema from install-deps.sh), not a private one.
PYTHON=${PYTHON:-/usr/bin/python3}
export BUILD="$build" SRC="$src" PATH="$build:$PATH" PYTHON
for t in "$src"/tests/cli/test_*.sh; do
	name=cli/$(basename "$t" .sh)
	work=$(mktemp -d)
	if (cd "$work" && sh "$t") > "$work.log" 2>&1; then
		echo "PASS $name"
	else
		echo "FAIL $name"
		tail -n 30 "$work.log" | sed 's/^/    /'
	fi
	rm -rf "$work" "$work.log"
done
