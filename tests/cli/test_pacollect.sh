# pacollect --input: exit codes, no clobbering, no half-written databases, messages.
. "$SRC/tests/cli/lib.sh"

gentrace --pattern seq --pages 16 --passes 2 > seq.txt

# stdin and a file give the same events
expect_exit 0 pacollect -q --input seq.txt -o a.db
expect_exit 0 sh -c 'pacollect -q --input - -o b.db < seq.txt'
paanalyze info --json a.db > a.json
paanalyze info --json b.db > b.json
[ "$(json_get a.json 'd["events"]')" = 32 ] || fail "file import: wrong event count"
[ "$(json_get b.json 'd["events"]')" = 32 ] || fail "stdin import: wrong event count"

# the default output is run.db, and it is not overwritten without -f
expect_exit 0 pacollect -q --input seq.txt
[ -f run.db ] || fail "no run.db by default"
cp run.db before.db
expect_exit 1 pacollect -q --input seq.txt
grep -q 'run.db exists; use -f' err || fail "no 'exists' message: $(cat err)"
cmp -s run.db before.db || fail "run.db changed without -f"
gentrace --pattern seq --pages 3 --passes 1 > small.txt
expect_exit 0 pacollect -q -f --input small.txt
paanalyze info --json > r.json
[ "$(json_get r.json 'd["events"]')" = 3 ] || fail "-f did not replace run.db"

# malformed lines: FILE:LINE: reason on stderr, exit 3, the rest imported
{ sed -n 1,5p seq.txt; echo "  gentrace-4242  [002] .....  100.000100: handle_mm_fault: 4242 Q 1 2"
  sed -n '6,$p' seq.txt; echo "total garbage"; } > bad.txt
expect_exit 3 pacollect --input bad.txt -o bad.db
grep -q '^bad.txt:6: handle_mm_fault: access type is not R or W$' err || fail "line 6 not reported: $(cat err)"
grep -q '^bad.txt:38: no "task-pid \[cpu\]" header$' err || fail "line 38 not reported: $(cat err)"
paanalyze info --json bad.db > bad.json
[ "$(json_get bad.json 'd["events"]')" = 32 ] || fail "malformed lines lost good events"
[ "$(json_get bad.json 'd["malformed_lines"]')" = 2 ] || fail "malformed count"

# times the database cannot keep (it stores them as signed 64-bit): past 2^63 ns is
# refused by name, and more than 10 digits of seconds (which would wrap) are malformed
{ sed -n 1,5p seq.txt
  echo " app-7 [000] .... 9300000000.000000: handle_mm_fault: 7 R 401000 7f0000001000"
  echo " app-7 [000] .... 99999999999.000000: handle_mm_fault: 7 R 401000 7f0000001000"
  echo " app-7 [000] .... 9200000000.000000: handle_mm_fault: 7 R 401000 7f0000001000"; } > big.txt
expect_exit 3 pacollect --input big.txt -o big.db
grep -q '^big.txt:6: time past 2^63 ns$' err || fail "time past 2^63 not reported: $(cat err)"
grep -q '^big.txt:7: ' err || fail "11-digit seconds not reported: $(cat err)"
paanalyze info --json big.db > big.json
[ "$(json_get big.json 'd["events"]')" = "$(($(sed -n 1,5p seq.txt | grep -c handle_mm_fault) + 1))" ] ||
	fail "events around the refused times: $(cat big.json)"

# failures leave nothing behind under the name, nor temporary files
expect_exit 1 pacollect --input missing.txt -o m.db
grep -q 'missing.txt: No such file or directory' err || fail "missing input message"
[ ! -e m.db ] || fail "m.db created for a missing input"
mkdir dir.txt
expect_exit 1 pacollect --input dir.txt -o d.db
[ ! -e d.db ] || fail "d.db created for a failed read"
ls | grep -q 'tmp-' && fail "temporary files left: $(ls)"
expect_exit 1 pacollect --input seq.txt -o nodir/x.db
grep -q 'nodir/x.db' err || fail "unwritable output not named: $(cat err)"

# usage errors: one line, exit 2
expect_exit 2 pacollect --bogus
[ "$(wc -l < err)" = 1 ] || fail "usage error is not one line"
grep -q 'unknown option --bogus' err || fail "unknown option not named"
expect_exit 2 pacollect -o x.db
grep -q 'nothing to do' err || fail "missing command or --input not explained"
expect_exit 2 pacollect --input
expect_exit 0 pacollect --help
grep -q -- '--input FILE' out || fail "--help lacks --input"
grep -q 'Exit status' out || fail "--help lacks exit status"
expect_exit 0 pacollect --version
grep -q '^pacollect ' out || fail "--version"

# live tracing: the readiness checks run first, with the fix for what fails; --check
# prints every item
if [ ! -e /proc/trace_page_access ] && [ "$(id -u)" = 0 ]; then
	expect_exit 1 pacollect -o live.db true
	grep -q "^FAIL  kernel .*this kernel ($(uname -r)) has no page access tracer" err ||
		fail "no-tracer message: $(cat err)"
	grep -q 'fix: install the patched kernel.*kernel/README.md' err ||
		fail "no fix for the missing tracer: $(cat err)"
	[ ! -e live.db ] || fail "live.db created without a tracer"
	expect_exit 1 pacollect --check -o live.db
	for item in kernel privilege tracefs events interval sampling buffer output; do
		grep -q "^[a-zA-Z]* *$item " out || fail "--check lacks $item: $(cat out)"
	done
	grep -q '^FAIL  kernel' out || fail "--check: kernel not failed: $(cat out)"
	grep -q '^ok    privilege' out || fail "--check: root not privileged: $(cat out)"
	tail -n 1 out | grep -qx 'not ready to trace' || fail "--check verdict: $(cat out)"
	touch taken.db
	expect_exit 1 pacollect --check -o taken.db
	grep -q '^FAIL  output .*taken.db exists; use -f' out || fail "--check output: $(cat out)"
	expect_exit 1 pacollect --check -f -o taken.db
	grep -q '^ok    output' out || fail "--check -f output: $(cat out)"
fi
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	chmod 777 .
	expect_exit 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$BUILD/pacollect" -o live.db true
	grep -q '^FAIL  privilege .*uid 65534 without CAP_SYS_ADMIN' err ||
		fail "non-root message: $(cat err)"
	grep -q 'fix: run pacollect as root' err || fail "non-root fix: $(cat err)"
fi
expect_exit 2 pacollect --check true
expect_exit 2 pacollect --check --input seq.txt
expect_exit 2 pacollect --interval 10 true
grep -q -- '--interval needs a duration' err || fail "bad --interval not explained"
expect_exit 2 pacollect --buffer-size 2 true
expect_exit 2 pacollect --input seq.txt --interval 1ms -o y.db
expect_exit 2 pacollect --input seq.txt -o y.db true

# an interrupted import writes nothing: feed slowly, then SIGINT
(sleep 0.3; cat seq.txt; sleep 5) | pacollect -q --input - -o int.db &
pid=$!
sleep 1
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
[ "$rc" -eq 130 ] || fail "interrupted import exited $rc, expected 130"
[ ! -e int.db ] || fail "interrupted import left int.db"
ls | grep -q 'tmp-' && fail "interrupted import left temporary files: $(ls)"
# the file of a small run is its content plus 512 bytes a table (512-byte pages, no
# free pages); a run of 1 MB and more keeps 4 KiB pages
[ "$(sqlite3 a.db 'PRAGMA page_size')" = 512 ] || fail "small run: page size $(sqlite3 a.db 'PRAGMA page_size')"
[ "$(sqlite3 a.db 'PRAGMA freelist_count')" = 0 ] || fail "small run: free pages"
[ "$(wc -c < a.db)" -le 8192 ] || fail "small run: $(wc -c < a.db) bytes"
gentrace --pattern random --pages 100000 --events 300000 --seed 3 > many.txt
expect_exit 0 pacollect -q --input many.txt -o many.db
[ "$(sqlite3 many.db 'PRAGMA page_size')" = 4096 ] || fail "big run: page size"
[ "$(wc -c < many.db)" -ge 1048576 ] || fail "big run: $(wc -c < many.db) bytes, under 1 MiB"
paanalyze info --json many.db > many.json
[ "$(json_get many.json 'd["events"]')" = 300000 ] || fail "big run: event count"

exit 0
