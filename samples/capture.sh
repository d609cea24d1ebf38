#!/bin/sh
# capture.sh BUILD: capture real traces of the sample programs on the patched kernel in
# qemu and store them as samples/traces/real-NAME.txt.gz (trace text as the kernel
# printed it: the page_access events of the main ftrace buffer). Needs `make kernel`
# and the test programs (`make ktests`, `make build/demo/phases`) first:
#   make kernel ktests build/demo/phases && sh samples/capture.sh build
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
work="$build/capture"
rm -rf "$work"
mkdir -p "$work"

# Programs and their arguments: name|guest command line
cat > "$work/list" <<LIST
phases|/bin/phases
seqscan|/bin/seqscan 256 4
threads|/bin/threads 4 64
fork|/bin/fork 64
mmops|/bin/mmops 32
LIST

{
	echo '#!/bin/sh'
	echo 'T=/sys/kernel/tracing'
	echo 'echo 65536 > $T/buffer_size_kb'
	echo 'echo 1 > $T/events/page_access/enable'
	while IFS='|' read -r name cmd; do
		prog=${cmd%% *}
		cat <<ONE
echo > \$T/trace
echo ${prog##*/} > /proc/trace_page_access
$cmd > /out/$name.out 2>&1
i=0; while [ \$i -lt 50 ] && [ "\$(grep -c 'init_page_access_trace: START' \$T/trace)" -gt "\$(grep -c '__reset_page_access_trace: END' \$T/trace)" ]; do sleep 0.1; i=\$((i + 1)); done
cat \$T/trace > /out/$name.trace
echo "" > /proc/trace_page_access
ONE
	done < "$work/list"
} > "$work/guest.sh"

"$src/kernel/vm.sh" --script "$work/guest.sh" --out "$work/out" --timeout 600 \
	--kernel "$(cat "$build/kernel/bzImage.path")" \
	--bin "$build/demo/phases:/bin/phases" --bin "$build/ktests/seqscan" \
	--bin "$build/ktests/threads" --bin "$build/ktests/fork" --bin "$build/ktests/mmops"
while IFS='|' read -r name cmd; do
	gzip -9n < "$work/out/$name.trace" > "$src/samples/traces/real-$name.txt.gz"
	echo "samples/traces/real-$name.txt.gz: $(grep -c handle_mm_fault "$work/out/$name.trace") events ($cmd)"
done < "$work/list"
