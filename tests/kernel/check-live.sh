#!/bin/sh
# check-live.sh OUT BUILD: judge what tests/kernel/live-test.sh left in OUT (the guest's
# /out, brought back by kernel/run-vm.sh), with BUILD/paanalyze and sqlite3. Prints one
# line per check, "PASS ..." or "FAIL ..." (counted by `make check`), and exits 1 if any
# failed.
set -u
out=$1
pa=$2/paanalyze
failed=0

ok() { echo "PASS $*"; }
bad() { echo "FAIL $*"; failed=1; }
check() {	# check DESCRIPTION COMMAND...: ok if COMMAND succeeds
	d=$1
	shift
	if "$@" > /dev/null 2>&1; then ok "$d"; else bad "$d"; fi
}
equal() {	# equal DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
q() { sqlite3 "$out/$1" "$2" 2>&1; }
meta() { q "$1" "SELECT value FROM meta WHERE key = '$2'"; }
pid_of() { sed -n 's/^prog [a-z]* pid=//p' "$out/$1.out" | head -1; }
json() {	# json DB EXPR: a value of `paanalyze info --json DB`
	"$pa" info --json "$out/$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}

equal "kernel has the tracer" "$(cat "$out/uname" 2>/dev/null | grep -c .)" 1

# A sequential scan: every page of its region, written once, read in both rounds.
equal "seq: exit status passed through" "$(cat "$out/seq.exit")" 0
equal "seq: meta source" "$(meta seq.db source)" live
equal "seq: meta command" "$(meta seq.db command)" "seqscan 64 2"
equal "seq: meta exit_status" "$(meta seq.db exit_status)" 0
equal "seq: meta interval_us" "$(meta seq.db interval_us)" 1000
equal "seq: meta kernel_release" "$(meta seq.db kernel_release)" "$(cat "$out/uname")"
pid=$(pid_of seq)
equal "seq: only the command's process" "$(q seq.db 'SELECT group_concat(DISTINCT tgid) FROM tasks')" "$pid"
set -- $(sed -n 's/^region scan //p' "$out/seq.out")
lo=$((0x$1)) hi=$((0x$2))
"$pa" export --csv "$out/seq.db" > "$out/seq.csv" 2>&1
# distinct pages, writes and reads of events in [lo, hi) (columns: paanalyze help export)
region=$(python3 -c '
import csv, sys
lo, hi = int(sys.argv[2]), int(sys.argv[3])
pages, w, r = set(), 0, 0
for e in csv.DictReader(open(sys.argv[1])):
    if lo <= int(e["addr"], 16) < hi:
        pages.add(e["page"])
        w, r = (w + 1, r) if e["rw"] == "W" else (w, r + 1)
print(len(pages), w, r)' "$out/seq.csv" $lo $hi)
set -- $region
equal "seq: pages of the scanned region" "$1" 64
check "seq: at least one write per page ($2)" test "$2" -ge 64
check "seq: at least one read per page per round ($3)" test "$3" -ge 128
check "seq: a mapping record covers the region" test "$(q seq.db "SELECT count(*) FROM maps
	WHERE tgid = $pid AND op IN ('map', 'snapshot') AND start_addr <= $lo AND end_addr >= $hi")" -ge 1
check "seq: /proc/PID/maps snapshots stored" test "$(q seq.db "SELECT count(*) FROM maps WHERE op = 'snapshot'")" -ge 1
check "seq: no events lost" test "$(json seq.db 'd["lost_events"]')" -eq 0

# Threads: all in one process, each with its own tid.
equal "threads: exit status" "$(cat "$out/threads.exit")" 0
pid=$(pid_of threads)
equal "threads: one process" "$(q threads.db 'SELECT group_concat(DISTINCT tgid) FROM tasks')" "$pid"
check "threads: 4 threads and main have events" test "$(q threads.db 'SELECT count(*) FROM tasks WHERE events > 0')" -ge 5

# Fork: the child is traced too, with its own START naming its parent.
equal "fork: exit status" "$(cat "$out/fork.exit")" 0
pid=$(pid_of fork)
equal "fork: two processes" "$(json fork.db 'd["processes"]')" 2
check "fork: the child's START names the parent" test "$(q fork.db "SELECT count(*) FROM markers WHERE kind = 'START' AND ppid = $pid")" -eq 1
equal "fork: both processes ended" "$(q fork.db "SELECT count(*) FROM markers WHERE kind = 'END'")" 2

# Exit statuses, a signal, a missing program, an existing database.
equal "exit 7 passed through" "$(cat "$out/exit7.exit")" 7
equal "exit 7 recorded" "$(meta exit7.db exit_status)" 7
equal "death by SIGUSR1 gives 128+10" "$(cat "$out/signaled.exit")" 138
equal "--check: ready (exit 0)" "$(cat "$out/check.exit")" 0
check "--check: every item ok or a note" sh -c "! grep -q '^FAIL' '$out/check.out'"
for item in kernel privilege tracefs events interval sampling buffer output; do
	check "--check: $item" grep -q "^[a-z]* *$item " "$out/check.out"
done
check "--check: the events found in tracefs" grep -q '^ok    events' "$out/check.out"
check "--check: no database written" test ! -e "$out/check.db"
equal "missing program: exit 127" "$(cat "$out/missing.exit")" 127
check "missing program: message" grep -q 'cannot run /bin/no-such-program' "$out/missing.err"
check "missing program: no database left" test ! -e "$out/missing.db"
equal "existing database: exit 1" "$(cat "$out/exists.exit")" 1
check "existing database: message" grep -q 'seq.db exists; use -f' "$out/exists.err"
equal "existing database: untouched" "$(meta seq.db command)" "seqscan 64 2"

# The live status line: on a terminal only, and not with -q.
equal "tty: exit status through the pty" "$(cat "$out/tty.exit")" 0
check "tty: status line with elapsed, events, rate, lost, size" \
	grep -qE 'pacollect: [0-9.]+ s, [0-9]+ events \([0-9]+/s\), [0-9]+ lost, [0-9.]+ MB' "$out/tty.pty"
check "tty: the line is redrawn in place" grep -q "$(printf '\r\033\\[K')pacollect:" "$out/tty.pty"
check "tty: -q shows no status line" sh -c "! grep -q 'events (' '$out/ttyq.pty'"
check "no status line in redirected output" sh -c "! cat '$out'/*.err | grep -q \"\$(printf '\\033')\""

# Ring-buffer overruns are counted, stored and explained.
check "lost: events lost with a 4 KB buffer" test "$(json lost.db 'd["lost_events"]')" -gt 0
check "lost: the summary suggests --buffer-size" grep -q 'larger --buffer-size' "$out/lost.err"
equal "lost: the command still succeeded" "$(cat "$out/lost.exit")" 0

# --interval is used for the run and restored after it.
equal "interval: recorded" "$(meta interval.db interval_us)" 20000
equal "interval: restored" "$(cat "$out/interval.after")" 1000

# --sample 1/16: the run is traced at shift 4 (START, meta), only sampled pages have
# events, and the shift before the run (2) is back afterwards, also after a failed start.
equal "sample: exit status" "$(cat "$out/sample.exit")" 0
equal "sample: meta sample_shift" "$(meta sample.db sample_shift)" 4
equal "sample: info --json sample_shift" "$(json sample.db 'd["sample_shift"]')" 4
equal "sample: restored" "$(cat "$out/sample.after")" 2
equal "sample: restored after a failed start" "$(cat "$out/samplemissing.after")" 2
"$pa" export --csv "$out/sample.db" > "$out/sample.csv" 2>&1
equal "sample: every event's page is sampled at shift 4" "$(python3 -c '
import csv, sys
bad = [e for e in csv.DictReader(open(sys.argv[1]))
       if ((int(e["addr"], 16) >> 12) * 0x61C8864680B583EB) % 2**64 >> 60]
print(len(bad))' "$out/sample.csv")" 0
check "sample: wss says estimates" sh -c "'$pa' wss '$out/sample.db' | grep -q '^estimates: the kernel traced 1 page in 2^4'"
check "sample: --check names the run's rate" grep -q 'sampling .*this run sets 1/64' "$out/samplecheck.out"

# Another process of the same name, not started by pacollect, is left out.
intruder=$(sed -n 's/^prog livetarget pid=//p' "$out/intruder.out")
check "same name: the intruder ran" test -n "$intruder"
equal "same name: only the command's process" "$(q sametag.db 'SELECT group_concat(DISTINCT tgid) FROM tasks')" "$(pid_of sametag)"

# SIGTERM to pacollect reaches the command; the database is complete.
equal "SIGTERM: the command's status (40 + 15)" "$(cat "$out/term.exit")" 55
check "SIGTERM: the command got it" grep -q 'got signal 15' "$out/term.out"
equal "SIGTERM: exit status recorded" "$(meta term.db exit_status)" 55

# pacollect leaves the tags and tracefs instances as it found them.
equal "tags restored" "$(cat "$out/tags.after")" "$(cat "$out/tags.before")"
equal "no tracefs instance left" "$(cat "$out/instances.after")" "$(cat "$out/instances.before")"

# kill -9 at random points: the database checks clean (every committed chunk whole,
# its metadata true), and beside it are only its WAL files: no temporary, no journal.
for i in 1 2 3 4; do
	check "kill -9 #$i: paanalyze check passes" "$pa" check "$out/killed$i/run.db"
	check "kill -9 #$i: committed events are there" test "$(json "killed$i/run.db" 'd["events"]')" -gt 0
	equal "kill -9 #$i: nothing else in the directory" \
		"$(grep -cvx 'run\.db\|run\.db-wal\|run\.db-shm' "$out/killed$i.files")" 0
done

# dmesg
if [ -f "$out/dmesg.txt" ]; then
	check "dmesg: no WARN, BUG or oops" sh -c "! grep -E 'WARNING:|BUG:|Oops|Bad page|general protection' '$out/dmesg.txt'"
fi
exit $failed
