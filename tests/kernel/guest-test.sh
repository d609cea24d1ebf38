#!/bin/sh
# tests/kernel/guest-test.sh — runs inside the test VM as /test.sh (see kernel/mkinitramfs.sh).
# It only records; tests/kernel/check.py decides on the host from what lands in $PAT_OUT:
#   uname, tracer (yes|no), events.txt, interval, proc.txt (proc interface transcript),
#   NAME.untraced.{out,trace}, NAME.{out,trace} (traced runs), bystander.out.
# The test programs are in /bin (built static by kernel/kernel.mk).
OUT=${PAT_OUT:-/out}
T=/sys/kernel/tracing
P=/proc/trace_page_access
info() { echo "guest-test: $*"; }

uname -r > "$OUT/uname"
if [ -e "$P" ]; then echo yes > "$OUT/tracer"; else echo no > "$OUT/tracer"; fi
info "tracer: $(cat "$OUT/tracer")"
ls "$T/events/page_access" > "$OUT/events.txt" 2>&1
cat /proc/sys/vm/page_access_trace_interval_us > "$OUT/interval" 2>&1

# --- the proc interface --------------------------------------------------------------
info "proc interface"
{
	echo "## initial"; pa_ctl read
	echo "## mode"; ls -l "$P"
	echo "## nonroot"; pa_ctl -u 65534 write nonroot; pa_ctl -u 65534 write ""; pa_ctl read
	echo "## nonroot-read"; pa_ctl -u 65534 read
	echo "## passfd"; pa_ctl passfd passedname; pa_ctl read; pa_ctl write "" > /dev/null
	echo "## dup"; pa_ctl write dupname dupname dupname; pa_ctl read
	echo "## clear"; pa_ctl write ""; pa_ctl read
	echo "## invalid"; pa_ctl write "a/b" "$(printf '%0300d' 0)"; pa_ctl read
	echo "## fill"; pa_ctl fill 32 name; pa_ctl write name33; pa_ctl write name5; pa_ctl read
	echo "## clear2"; pa_ctl write ""; pa_ctl read
	echo "## concurrent"
	for p in c1_ c2_ c3_ c4_; do pa_ctl fill 8 $p > /dev/null & done
	wait
	pa_ctl read
	echo "## clear3"; pa_ctl write ""; pa_ctl read
	echo "## shell"; echo shellname > "$P"; echo "echo-status $?"; cat "$P"; echo "" > "$P"; echo "clear-status $?"; cat "$P"
	echo "## end"
} > "$OUT/proc.txt" 2>&1

# --- traced runs ---------------------------------------------------------------------
echo 0 > "$T/tracing_on"
echo 16384 > "$T/buffer_size_kb"
echo 1 > "$T/events/page_access/enable" 2>/dev/null || info "cannot enable $T/events/page_access"
# START and END also go to a tracefs instance of their own, where no fault event can
# overwrite them: the runs with a small main buffer (NOSAVE) keep only these lines.
SE=$T/trace
I=$T/instances/startend
if mkdir "$I" 2>/dev/null &&
	echo 1 > "$I/events/page_access/init_page_access_trace/enable" &&
	echo 1 > "$I/events/page_access/__reset_page_access_trace/enable"; then
	SE=$I/trace
fi

# run LABEL TAG PROG ARGS...: run /bin/PROG with TAG tagged ("" = untagged), save its
# output as LABEL.out, exit status as LABEL.exit and the trace as LABEL.trace.
run() {
	label=$1 tag=$2 prog=$3
	shift 3
	echo > "$T/trace"
	echo > "$SE"
	[ -z "$tag" ] || pa_ctl write "$tag" > "$OUT/$label.tag"
	echo 1 > "$T/tracing_on"
	t0=$(date +%s)
	"/bin/$prog" "$@" > "$OUT/$label.out" 2>&1
	echo $? > "$OUT/$label.exit"
	# END is printed once the last thread of a process has exited: wait for one per START.
	if [ -n "$tag" ] && [ "$(cat "$OUT/tracer")" = yes ]; then
		i=0
		while [ $i -lt 100 ]; do
			s=$(grep -c 'init_page_access_trace: START' "$SE")
			e=$(grep -c '__reset_page_access_trace: END' "$SE")
			[ "$e" -gt 0 ] && [ "$s" -le "$e" ] && break
			sleep 0.1
			i=$((i + 1))
		done
	fi
	echo 0 > "$T/tracing_on"
	if [ -z "${NOSAVE:-}" ]; then
		cat "$T/trace" > "$OUT/$label.trace"
	else # only the START/END lines
		grep -E '^#|init_page_access_trace|__reset_page_access_trace' "$SE" > "$OUT/$label.trace"
	fi
	[ -z "$tag" ] || pa_ctl write "" > /dev/null
	info "$label: exit $(cat "$OUT/$label.exit"), $(grep -c handle_mm_fault "$OUT/$label.trace") fault events, $(( $(date +%s) - t0 ))s"
}

for prog in seqscan random threads fork aux mmops sigbus; do
	run "$prog.untraced" "" "$prog"
done
# seqscan traced, with an untagged process running at the same time (must stay untraced).
( sleep 0.05; /bin/random 16 2000 7 > "$OUT/bystander.out" 2>&1 ) &
run seqscan seqscan seqscan 256 4
wait
run random random random 64 3000 12345
run threads threads threads 4 16
run fork fork fork 16 spawn
run aux aux aux 8
run mmops mmops mmops 32
# A traced process that execs another (untagged) program stays traced.
run exec exec exec /bin/seqscan 16 1
# A fault that ends in SIGBUS is no access: no event for it.
run sigbus sigbus sigbus 8
# A traced process that execs a set-user-ID / set-group-ID program stops being traced.
cp /bin/setidexec /bin/suid_scan && chmod 4755 /bin/suid_scan
cp /bin/setidexec /bin/sgid_scan && chmod 2755 /bin/sgid_scan
run setuid setidexec setidexec 1000 /bin/suid_scan
run setgid setidexec setidexec 1000 /bin/sgid_scan
# The reset walk (issue 13): run by the traced process itself (page_access_walk events
# printed by its own thread), not while it sleeps; the system-wide ceiling on pages
# reset per second; removing one name and clearing the list stop tracing at once.
# Timestamps on CLOCK_MONOTONIC, comparable with what the programs print.
echo mono > "$T/trace_clock"
cat /proc/sys/vm/page_access_trace_max_pages_per_sec > "$OUT/max_rate" 2>&1
run walk spin spin 64 300 500
if [ -w /proc/sys/vm/page_access_trace_max_pages_per_sec ]; then
	echo 4000 > /proc/sys/vm/page_access_trace_max_pages_per_sec
	run ceiling spin spin 2048 1000
	echo 1048576 > /proc/sys/vm/page_access_trace_max_pages_per_sec
fi
cp /bin/spin /bin/spin_a && cp /bin/spin /bin/spin_b
echo > "$T/trace"
pa_ctl write spin_a spin_b > "$OUT/untag.tag"
echo 1 > "$T/tracing_on"
/bin/spin_a 16 4000 0 1 > "$OUT/untag_a.out" 2>&1 &
/bin/spin_b 16 4000 > "$OUT/untag_b.out" 2>&1 &
sleep 0.5
{ pa_ctl now; pa_ctl write -spin_a -nosuchname; sleep 1; pa_ctl now; pa_ctl write ""; pa_ctl read; } \
	> "$OUT/untag.ctl" 2>&1
wait
sleep 0.2
echo 0 > "$T/tracing_on"
cat "$T/trace" > "$OUT/untag.trace"
info "untag: $(grep -c page_access_stop "$OUT/untag.trace") stop events"
echo local > "$T/trace_clock"
# Names in the trace are escaped (issue 13): a file name holding a newline and a whole
# fake handle_mm_fault line; a program name holding a backslash and digits.
run escname escname escname
cp /bin/seqscan '/bin/esc\101name'
run escprog 'esc\101name' 'esc\101name' 16 1
# A name longer than the 15 characters of comm, tagged in full.
cp /bin/seqscan /bin/seqscan_with_a_long_name
run longname seqscan_with_a_long_name seqscan_with_a_long_name 16 1
# A longer interval set at run time.
if [ -w /proc/sys/vm/page_access_trace_interval_us ]; then
	echo 20000 > /proc/sys/vm/page_access_trace_interval_us
	cat /proc/sys/vm/page_access_trace_interval_us > "$OUT/interval.set"
	run seqscan-20ms seqscan seqscan 64 2
	echo 1000 > /proc/sys/vm/page_access_trace_interval_us
fi
# Sampling (issue 14): with vm.page_access_trace_sample_shift = k only the pages whose
# virtual page number hashes to 0 in the top k bits are reset and reported (check.py
# recomputes the hash). The shift is latched when tracing of a process starts and
# inherited by its children: sample-latch changes the sysctl while a traced shell waits,
# and the seqscan it forks afterwards must still be sampled at the shell's shift.
SS=/proc/sys/vm/page_access_trace_sample_shift
if [ -w "$SS" ]; then
	{
		echo "default $(cat "$SS")"
		for v in 17 4294967296 -1 x 16 0; do
			if echo "$v" > "$SS" 2> /dev/null; then r=ok; else r=rejected; fi
			echo "set $v $r now $(cat "$SS")"
		done
	} > "$OUT/sample.proc" 2>&1
	for k in 0 4 6; do
		echo $k > "$SS"
		run sample-$k seqscan seqscan 2048 2
	done
	cp /bin/busybox /bin/busybox_latch
	rm -f /tmp/latch.go
	echo 4 > "$SS"
	echo > "$T/trace"
	pa_ctl write busybox_latch > "$OUT/sample-latch.tag"
	echo 1 > "$T/tracing_on"
	/bin/busybox_latch sh -c 'while [ ! -e /tmp/latch.go ]; do usleep 20000; done
		/bin/seqscan 256 1; echo "seqscan-exit $?"' > "$OUT/sample-latch.out" 2>&1 &
	latch=$!
	sleep 0.3
	echo 0 > "$SS"
	echo "shift when the child started: $(cat "$SS")" > "$OUT/sample-latch.sysctl"
	touch /tmp/latch.go
	wait $latch
	echo $? > "$OUT/sample-latch.exit"
	sleep 0.2
	echo 0 > "$T/tracing_on"
	cat "$T/trace" > "$OUT/sample-latch.trace"
	pa_ctl write "" > /dev/null
	info "sample-latch: exit $(cat "$OUT/sample-latch.exit"), $(grep -c handle_mm_fault "$OUT/sample-latch.trace") fault events"
fi
# Slowdown of a traced program: the same scan untraced, traced at 1 ms and at 10 ms
# (the traces are not kept; see bench.*.out for elapsed_us). 128 pages: qemu's soft TLB
# (256 entries until a flush lets it grow) would thrash on a larger set in the untraced
# run only, making the traced runs look faster.
# A small buffer: the events are produced (their cost counts) but not kept.
NOSAVE=1
echo 1024 > "$T/buffer_size_kb"
run bench.warmup "" bench 128 50000
run bench.untraced "" bench 128 50000
run bench.1ms bench bench 128 50000
if [ -w /proc/sys/vm/page_access_trace_interval_us ]; then
	echo 10000 > /proc/sys/vm/page_access_trace_interval_us
	run bench.10ms bench bench 128 50000
	echo 1000 > /proc/sys/vm/page_access_trace_interval_us
fi
# What the tracer costs a fault-heavy program that is not traced (see also
# tests/kernel/faultcost.sh, which runs it on an unpatched kernel too).
run faultbench.untraced "" faultbench 200 256
# Mapping churn in 4 threads (and forks) at a 100 us interval while another process reads
# the target's smaps and writes its clear_refs: races of the walker with mm.
if [ -w /proc/sys/vm/page_access_trace_interval_us ]; then
	echo 100 > /proc/sys/vm/page_access_trace_interval_us
	rm -f /tmp/stress.done
	(
		while [ ! -e /tmp/stress.done ]; do
			for q in $(pidof stress); do
				cat "/proc/$q/smaps" "/proc/$q/maps" > /dev/null 2>&1
				echo 1 > "/proc/$q/clear_refs" 2>/dev/null
			done
		done
	) &
	run stress stress stress 4 150
	touch /tmp/stress.done
	wait
	echo 1000 > /proc/sys/vm/page_access_trace_interval_us
fi
NOSAVE=
echo 16384 > "$T/buffer_size_kb"

# System calls that copy user memory with page faults disabled (trace_marker), or fault
# it in and retry (futex, write to a file), each on a page reset since the program last
# touched it: they must behave as untraced (issue 13).
run nofault.untraced "" nofault 200
run nofault nofault nofault 200
# Accesses that are not seen: GUP (process_vm_readv, /proc/PID/mem), fault-around,
# VM_PFNMAP (the vDSO data).
run seen.untraced "" seen
run seen seen seen
# Transparent huge pages: the program's own PR_SET_THP_DISABLE setting is its own, a
# traced mm gets no huge PMD (4 KiB granularity), and THP is back once tracing stops
# (the program untags itself). With enabled=madvise and MADV_HUGEPAGE, and with
# enabled=always and no advice.
E=/sys/kernel/mm/transparent_hugepage/enabled
if [ -w "$E" ]; then
	thp_was=$(sed 's/.*\[\(.*\)\].*/\1/' "$E")
	for m in madvise always; do
		echo $m > "$E"
		mode=madvise; [ $m = always ] && mode=plain
		run thp-$m.untraced "" thp $mode untag
		run thp-$m thp thp $mode untag
	done
	echo "$thp_was" > "$E"
fi

# --- mm features under tracing (issue 4): KSM, userfaultfd, hugetlb, swap ------------
# Each program also runs untagged first, like the others. mmstat LABEL: counters that
# show the mm feature really acted (check.py compares the .before and .after files).
mmstat() {
	{
		grep -E '^(pswpin|pswpout|thp_split_pmd) ' /proc/vmstat
		for f in /sys/kernel/mm/ksm/pages_shared /sys/kernel/mm/ksm/pages_sharing \
			 /sys/kernel/mm/ksm/full_scans; do
			[ -r "$f" ] && echo "ksm_${f##*/} $(cat "$f")"
		done
		[ -r /sys/block/zram0/mm_stat ] && echo "zram_mm_stat $(cat /sys/block/zram0/mm_stat)"
		[ -r /sys/block/zram0/stat ] && echo "zram_stat $(cat /sys/block/zram0/stat)"
		if [ -r /sys/fs/cgroup/pat/memory.events ]; then
			sed 's/^/memcg_/' /sys/fs/cgroup/pat/memory.events
			grep -E '^(anon|swapcached|pswpin|pswpout|pgmajfault) ' /sys/fs/cgroup/pat/memory.stat |
				sed 's/^/memcg_/'
			echo "memcg_swap.peak $(cat /sys/fs/cgroup/pat/memory.swap.peak 2>/dev/null)"
		fi
		grep -E '^HugePages_(Total|Free|Rsvd):' /proc/meminfo | tr -d :
	} > "$OUT/$1" 2>&1
}

# KSM: ksmd scans fast; the program waits until its identical pages share frames.
if [ -d /sys/kernel/mm/ksm ]; then
	echo 1000 > /sys/kernel/mm/ksm/pages_to_scan
	echo 10 > /sys/kernel/mm/ksm/sleep_millisecs
	echo 1 > /sys/kernel/mm/ksm/run
fi
run ksm.untraced "" ksm 32 60
mmstat ksm.before
run ksm ksm ksm 32 60
mmstat ksm.after
[ -d /sys/kernel/mm/ksm ] && echo 2 > /sys/kernel/mm/ksm/run # unmerge all, stop ksmd

# userfaultfd: missing-page faults resolved by UFFDIO_COPY from a thread of the program.
run uffd.untraced "" uffd 64
run uffd uffd uffd 64

# hugetlb: 2 private MAP_HUGETLB pages and 2 of a hugetlbfs memfd (8 reserved).
{ echo 8 > /proc/sys/vm/nr_hugepages; } 2>/dev/null
cat /proc/sys/vm/nr_hugepages > "$OUT/nr_hugepages" 2>&1
run huge.untraced "" huge 2 3
run huge huge huge 2 3
{ echo 0 > /proc/sys/vm/nr_hugepages; } 2>/dev/null

# Swap under memory pressure: zram swap, the program confined to 8 MiB by cgroup v2
# memory.max while it writes and verifies 24 MiB three times.
{
	if [ -e /sys/block/zram0/disksize ]; then
		echo 128M > /sys/block/zram0/disksize
		mkswap /dev/zram0 && swapon /dev/zram0
	fi
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup &&
		echo +memory > /sys/fs/cgroup/cgroup.subtree_control &&
		mkdir /sys/fs/cgroup/pat && echo 8M > /sys/fs/cgroup/pat/memory.max
	echo "memory.max $(cat /sys/fs/cgroup/pat/memory.max)"
	cat /proc/swaps
} > "$OUT/swap.setup" 2>&1
mmstat swap.untraced.before
run swap.untraced "" swap /sys/fs/cgroup/pat 24 3
mmstat swap.before
run swap swap swap /sys/fs/cgroup/pat 24 3
mmstat swap.after

# --- the debug kernel (make vm-test-debug, booted with numa=fake=2) -----------------
# Bounded stress with every result checked; check.py --debug fails on any KASAN,
# lockdep, BUG, WARNING or RCU stall line in dmesg.
if grep -q 'numa=fake' /proc/cmdline; then
	cat /proc/sys/kernel/numa_balancing > "$OUT/numa_balancing" 2>&1
	ls -d /sys/devices/system/node/node[0-9]* > "$OUT/numa_nodes" 2>&1
	echo 100 > /proc/sys/vm/page_access_trace_interval_us
	NOSAVE=1
	run churn churn churn 4 20
	# Tags set and cleared while targets start and run.
	rm -f /tmp/tagloop.done
	(
		while [ ! -e /tmp/tagloop.done ]; do
			pa_ctl write churn seqscan > /dev/null
			sleep 0.05
			pa_ctl write -churn > /dev/null
			sleep 0.02
			pa_ctl write "" > /dev/null
			sleep 0.03
		done
	) &
	(
		i=0
		while [ $i -lt 20 ]; do
			/bin/seqscan 16 1 | grep '^result' >> "$OUT/tagloop.out"
			i=$((i + 1))
		done
	) &
	scans=$!
	run churn-tagloop "" churn 2 10
	wait $scans
	touch /tmp/tagloop.done
	wait
	# mm features racing the walker, with every result checked: a shared file mapping
	# (page_mkwrite after msync) on tmpfs and on ext4 over a loop device, soft-dirty,
	# userfaultfd write-protect, migrate_pages() between the nodes, a GUP reader.
	mkdir -p /mnt/ext4
	{
		dd if=/dev/zero of=/tmp/ext4.img bs=1M count=32 2>&1 &&
			losetup /dev/loop0 /tmp/ext4.img && mke2fs -q /dev/loop0 &&
			mount -t ext4 /dev/loop0 /mnt/ext4 && grep ' /mnt/ext4 ' /proc/mounts
	} > "$OUT/ext4.setup" 2>&1
	run mmstress-tmpfs.untraced "" mmstress /tmp 3
	run mmstress-tmpfs mmstress mmstress /tmp 10
	run mmstress-ext4.untraced "" mmstress /mnt/ext4 3
	run mmstress-ext4 mmstress mmstress /mnt/ext4 10
	# O_DIRECT on a block device: GUP pins the program's buffers (whole trace kept).
	NOSAVE=
	run odirect.untraced "" odirect /mnt/ext4
	run odirect odirect odirect /mnt/ext4
	NOSAVE=1
	umount /mnt/ext4 2>/dev/null; losetup -d /dev/loop0 2>/dev/null; rm -f /tmp/ext4.img
	NOSAVE=
	echo 1000 > /proc/sys/vm/page_access_trace_interval_us
	# NUMA balancing and the tracer side by side: it scans an untraced program, and a
	# program that runs beside a traced one, but not the traced one, whose PROT_NONE
	# PTEs are the tracer's. Its scan delay and period are cut from 1000 ms to 100 ms.
	N=/sys/kernel/debug/sched/numa_balancing
	delay=$(cat $N/scan_delay_ms) period=$(cat $N/scan_period_min_ms)
	echo 100 > $N/scan_delay_ms
	echo 100 > $N/scan_period_min_ms
	run numascan.untraced "" numascan 256 3
	cp /bin/numascan /bin/numaother
	( sleep 0.05; /bin/numaother 256 4 > "$OUT/numascan.bystander.out" 2>&1 ) &
	run numascan numascan numascan 256 3
	wait
	echo "$delay" > $N/scan_delay_ms
	echo "$period" > $N/scan_period_min_ms
	# The kernel's own mm selftests (tests/kernel/mm-selftests.sh), each run untraced and
	# then traced; check.py compares their exit status and kselftest totals. A line
	# "TEST MODE EXIT STARTS SECONDS" per run in mm-selftests.txt, the output in
	# kst.TEST.MODE.out; STARTS counts the START lines of the run (0 untraced).
	if [ -d /kselftest-mm ]; then
		echo 32 > /proc/sys/vm/nr_hugepages
		echo "nr_hugepages $(cat /proc/sys/vm/nr_hugepages)" > "$OUT/mm-selftests.setup"
		for t in $(ls /kselftest-mm); do
			for mode in untraced traced; do
				[ $mode = untraced ] || pa_ctl write "$t" > /dev/null
				echo > "$SE"
				t0=$(date +%s)
				(cd /kselftest-mm && timeout 150 "./$t") > "$OUT/kst.$t.$mode.out" 2>&1 < /dev/null
				rc=$?
				starts=$(grep -c 'init_page_access_trace: START' "$SE")
				[ $mode = untraced ] || pa_ctl write "" > /dev/null
				echo "$t $mode $rc $starts $(( $(date +%s) - t0 ))" >> "$OUT/mm-selftests.txt"
				info "mm selftest $t $mode: exit $rc, $starts START, $(( $(date +%s) - t0 ))s"
			done
		done
		echo 0 > /proc/sys/vm/nr_hugepages
	fi
fi

echo > "$T/trace"
info "done"
