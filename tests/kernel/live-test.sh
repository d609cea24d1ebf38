#!/bin/sh
# tests/kernel/live-test.sh — runs inside the test VM as /test.sh: pacollect traces the
# test programs live (issue 5). It only records into $PAT_OUT; tests/kernel/check-live.sh
# decides on the host, with paanalyze and sqlite3, from the databases brought back.
OUT=${PAT_OUT:-/out}
info() { echo "live-test: $*"; }

# run LABEL ARGS...: pacollect ARGS, output in LABEL.out/.err, exit status in LABEL.exit
run() {
	label=$1
	shift
	t0=$(date +%s)
	pacollect "$@" > "$OUT/$label.out" 2> "$OUT/$label.err"
	echo $? > "$OUT/$label.exit"
	info "$label: exit $(cat "$OUT/$label.exit"), $(( $(date +%s) - t0 ))s"
}

uname -r > "$OUT/uname"
cat /proc/trace_page_access > "$OUT/tags.before" 2>&1
ls /sys/kernel/tracing/instances > "$OUT/instances.before" 2>&1

run seq -q -o "$OUT/seq.db" seqscan 64 2
run threads -q -o "$OUT/threads.db" threads 4 16
run fork -q -o "$OUT/fork.db" fork 16
run exit7 -q -o "$OUT/exit7.db" livetarget exit 7
run signaled -q -o "$OUT/signaled.db" livetarget kill
run interval -q --interval 20ms -o "$OUT/interval.db" seqscan 32 2
cat /proc/sys/vm/page_access_trace_interval_us > "$OUT/interval.after"
# --sample sets the sample shift for one run and restores it, also when the command
# fails to start; --check says what the run would set.
echo 2 > /proc/sys/vm/page_access_trace_sample_shift
run sample -q --sample 1/16 -o "$OUT/sample.db" seqscan 512 1
cat /proc/sys/vm/page_access_trace_sample_shift > "$OUT/sample.after"
run samplemissing -q --sample 1/64 -o "$OUT/samplemissing.db" /bin/no-such-program
cat /proc/sys/vm/page_access_trace_sample_shift > "$OUT/samplemissing.after"
run samplecheck --check --sample 1/64 -o "$OUT/samplecheck.db"
echo 0 > /proc/sys/vm/page_access_trace_sample_shift
# On a terminal: the live status line (and with -q, none); the runs above, with stderr
# in a file, must show no trace of it. ptyrun needs devpts, which /init does not mount.
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts 2>/dev/null
ptyrun pacollect -o "$OUT/tty.db" seqscan 64 16 > "$OUT/tty.pty" 2>&1
echo $? > "$OUT/tty.exit"
ptyrun pacollect -q -o "$OUT/ttyq.db" seqscan 64 1 > "$OUT/ttyq.pty" 2>&1

# A ring buffer of one page per CPU cannot hold a 2048-page scan: losses are reported.
run lost -o "$OUT/lost.db" --buffer-size 4 seqscan 2048 1
run check --check -o "$OUT/check.db"
run missing -q -o "$OUT/missing.db" /bin/no-such-program
run exists -q -o "$OUT/seq.db" seqscan 8 1

# pid_of LABEL: the pid the traced livetarget printed (its "prog" line), once it has
pid_of() {
	i=0
	while [ $i -lt 50 ] && ! grep -q '^prog ' "$OUT/$1.out" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	sed -n 's/^prog livetarget pid=//p' "$OUT/$1.out"
}

# An intruder with the same name, started by someone else while pacollect traces it:
# the kernel traces it too, pacollect must leave it out.
run sametag -q -o "$OUT/sametag.db" livetarget wait &
sleep 0.5
/bin/livetarget exit 0 > "$OUT/intruder.out" 2>&1
sleep 0.3
kill -TERM "$(pid_of sametag)"
wait

# SIGTERM sent to pacollect alone reaches the command, which exits 40 + 15.
pacollect -q -o "$OUT/term.db" livetarget wait > "$OUT/term.out" 2> "$OUT/term.err" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
echo $? > "$OUT/term.exit"

cat /proc/trace_page_access > "$OUT/tags.after" 2>&1
ls /sys/kernel/tracing/instances > "$OUT/instances.after" 2>&1

# kill -9 of pacollect at random points of a collection (0 to 3 s after its first
# commit, which paanalyze sees beside the writer: the point is counted from there so
# that a slow guest cannot kill it before it committed anything), each into a
# directory of its own: what was committed stays readable, and nothing else is left.
# (Each leaves its tag and tracefs instance behind: the two lines above come first.)
for i in 1 2 3 4; do
	ms=$(($(od -An -N2 -tu2 /dev/urandom) % 3000))
	mkdir -p "$OUT/killed$i"
	pacollect -q -o "$OUT/killed$i/run.db" livetarget wait > "$OUT/killed$i.out" \
		2> "$OUT/killed$i.err" &
	pid=$!
	t=0
	until paanalyze info --json "$OUT/killed$i/run.db" 2>/dev/null | grep -q '"events": [1-9]'; do
		[ $t -lt 300 ] || break
		sleep 0.1
		t=$((t + 1))
	done
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	kill -KILL $pid
	wait $pid 2>/dev/null
	kill -TERM "$(pid_of "killed$i")"
	sleep 0.2
	ls -A "$OUT/killed$i" > "$OUT/killed$i.files"
	info "killed$i: kill -9 $ms ms after the first commit (seen after $((t * 100)) ms), left: $(cat "$OUT/killed$i.files" | tr '\n' ' ')"
done
ls "$OUT" > "$OUT/files"
info "done"
