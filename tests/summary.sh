#!/bin/sh
# summary.sh RESULTS_FILE...: count PASS and FAIL lines, print the one summary line that
# ends `make check`, and fail if any test failed or no test ran.
set -u
pass=$(cat "$@" 2>/dev/null | grep -c '^PASS')
fail=$(cat "$@" 2>/dev/null | grep -c '^FAIL')
if [ "$fail" -ne 0 ]; then
	cat "$@" 2>/dev/null | grep '^FAIL' | sed 's/^/  /'
fi
echo "make check: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
