#!/bin/sh
# tests/bench/tracer-guest.sh — runs inside the VM of `make bench-tracer` as /test.sh
# (tests/bench/tracer.sh builds the initramfs and reads the results).
#
# Each program runs untraced and traced by pacollect at each setting, the settings
# interleaved within each of ROUNDS rounds, so that a drift of the machine touches them
# alike. Lines of $PAT_OUT/runs.txt: PROGRAM SETTING ROUND ELAPSED_US EVENTS LOST
# (EVENTS and LOST are - for untraced runs). Then the event rate pacollect sustains:
# lines of $PAT_OUT/rate.txt: PAGES EVENTS DURATION_US LOST for a sequential scan of more
# and more pages at a 1 ms interval.
OUT=${PAT_OUT:-/out}
ROUNDS=$(cat /bench/rounds 2>/dev/null || echo 3)
B=/bench
info() { echo "tracer-guest: $*"; }

# Settings: interval and sample rate (1/1 = every page). Sampling needs a kernel with
# /proc/sys/vm/page_access_trace_sample_shift and a pacollect with --sample. A setting
# with a leading k is the kernel's part alone: the program tagged through
# /proc/trace_page_access, its events written to the ring buffer, no pacollect.
settings="untraced 1ms:1 10ms:1"
if [ -e /proc/sys/vm/page_access_trace_sample_shift ] && pacollect --help 2>&1 | grep -q -- --sample; then
	settings="$settings 1ms:64 10ms:64 k1ms:64"
else
	info "no sampling here: the 1/64 settings are left out"
fi
echo "$settings" > "$OUT/settings"

# NAME|COMMAND (run through `tracerload time`, stdout to /dev/null). Debian's programs by
# their full paths: busybox's applets come first in PATH.
cat > /tmp/programs <<'EOF'
seq|tracerload seq 2048 300
rand|tracerload rand 4096 1000000
mtwrite|tracerload mtwrite 4 512 120
sqlite3|/usr/bin/sqlite3 -init /bench/work.sql /tmp/bench.sqlite .quit
gzip|/usr/bin/gzip -c /bench/input.txt
sort|/usr/bin/sort /bench/lines.txt
EOF

# json FILE KEY: an integer field of paanalyze info --json.
json() { sed -n "s/^ *\"$2\": \\([0-9]*\\),*\$/\\1/p" "$1" | head -n 1; }

T=/sys/kernel/tracing
# kernel_only INTERVAL N COMMAND...: COMMAND traced by the kernel at INTERVAL (1ms, 10ms),
# 1 page in N, its events in the ring buffer and nobody reading them; prints the events.
kernel_only() {
	iv=$1 n=$2
	shift 2
	k=0
	while [ $((1 << k)) -lt "$n" ]; do k=$((k + 1)); done
	old_iv=$(cat /proc/sys/vm/page_access_trace_interval_us)
	old_k=$(cat /proc/sys/vm/page_access_trace_sample_shift)
	echo $((${iv%ms} * 1000)) > /proc/sys/vm/page_access_trace_interval_us
	echo "$k" > /proc/sys/vm/page_access_trace_sample_shift
	echo 0 > $T/tracing_on
	echo > $T/trace
	echo 1 > $T/events/page_access/enable
	echo 1 > $T/tracing_on
	echo tracerload > /proc/trace_page_access
	"$@"
	st=$?
	echo "" > /proc/trace_page_access
	echo 0 > $T/tracing_on
	echo 0 > $T/events/page_access/enable
	echo "$old_iv" > /proc/sys/vm/page_access_trace_interval_us
	echo "$old_k" > /proc/sys/vm/page_access_trace_sample_shift
	grep -c handle_mm_fault $T/trace > /tmp/kev
	return $st
}

# one NAME SETTING ROUND COMMAND...
one() {
	name=$1 setting=$2 round=$3
	shift 3
	rm -f /tmp/bench.sqlite /tmp/t.db /tmp/t.db-wal /tmp/t.db-shm
	if [ "$setting" = untraced ]; then
		tracerload time "$@" > /dev/null 2> /tmp/err
		st=$?
		ev=- lost=-
	elif [ "${setting#k}" != "$setting" ]; then
		s=${setting#k}
		kernel_only "${s%%:*}" "${s#*:}" tracerload time "$@" > /dev/null 2> /tmp/err
		st=$?
		ev=$(cat /tmp/kev) lost=-
	else
		iv=${setting%%:*} n=${setting#*:}
		samp=
		[ "$n" = 1 ] || samp="--sample 1/$n"
		# shellcheck disable=SC2086
		pacollect -q -o /tmp/t.db --interval "$iv" $samp tracerload time "$@" \
			> /dev/null 2> /tmp/err
		st=$?
		paanalyze info --json /tmp/t.db > /tmp/info.json 2>> /tmp/err
		ev=$(json /tmp/info.json events) lost=$(json /tmp/info.json lost_events)
	fi
	us=$(sed -n 's/^elapsed_us //p' /tmp/err)
	if [ "$st" != 0 ] || [ -z "$us" ]; then
		info "$name $setting: exit $st: $(head -c 300 /tmp/err)"
		us=-
	fi
	echo "$name $setting $round $us ${ev:--} ${lost:--}" >> "$OUT/runs.txt"
}

: > "$OUT/runs.txt"
r=1
while [ $r -le "$ROUNDS" ]; do
	while IFS='|' read -r name cmd; do
		for s in $settings; do
			# shellcheck disable=SC2086
			one "$name" "$s" $r $cmd
		done
	done < /tmp/programs
	info "round $r of $ROUNDS done"
	r=$((r + 1))
done

# The event rate: a sequential scan of N pages, 300 rounds, at a 1 ms interval produces
# up to N events a millisecond; the rate pacollect sustains is the largest without loss.
: > "$OUT/rate.txt"
for n in 256 1024 4096 16384; do
	rm -f /tmp/t.db /tmp/t.db-wal /tmp/t.db-shm
	pacollect -q -o /tmp/t.db --interval 1ms tracerload seq $n 300 > /dev/null 2> /tmp/err
	paanalyze info --json /tmp/t.db > /tmp/info.json 2>> /tmp/err
	echo "$n $(json /tmp/info.json events) $(json /tmp/info.json duration_us)" \
		"$(json /tmp/info.json lost_events)" >> "$OUT/rate.txt"
done
uname -r > "$OUT/uname"
info "done"
