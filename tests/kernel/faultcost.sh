#!/usr/bin/env bash
# tests/kernel/faultcost.sh [RUNS] — what the tracer costs a process that is not traced.
#
# Boots the patched test kernel and the same kernel without the series (kernel/build.sh
# --patches EMPTY_DIR, config.fragment without CONFIG_TRACE_PAGE_ACCESS; both cached)
# in the same qemu configuration, and runs the fault-heavy tests/kernel/faultbench.c
# (200 x 256 demand faults) RUNS times (default 15) per boot, nothing traced; each kernel
# is booted twice, alternately, so that a change in the host's load hits both. Prints
# each kernel's elapsed times and the ratio of the medians. TCG timings: indicative only.
# PAT_PATCHED_KERNEL / PAT_VANILLA_KERNEL name bzImages to use instead of building.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${1:-15}
build=${BUILD:-$top/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$build/ktests" "$work/none"
gcc -static -O1 -Wall -Wextra -o "$build/ktests/faultbench" "$here/faultbench.c"
grep -v '^CONFIG_TRACE_PAGE_ACCESS=' "$top/kernel/config.fragment" > "$work/vanilla.fragment"
patched=${PAT_PATCHED_KERNEL:-$("$top/kernel/build.sh")}
vanilla=${PAT_VANILLA_KERNEL:-$("$top/kernel/build.sh" --patches "$work/none" \
	--fragment "$work/vanilla.fragment")}
cat > "$work/guest.sh" <<GUEST
#!/bin/sh
i=0
while [ \$i -lt $runs ]; do
	/bin/faultbench 200 256 | sed -n 's/^elapsed_us //p'
	i=\$((i + 1))
done > "\$PAT_OUT/us"
GUEST
for boot in 1 2; do
	for k in patched vanilla; do
		"$top/kernel/vm.sh" --kernel "${!k}" --script "$work/guest.sh" --out "$work/$k.$boot" \
			--bin "$build/ktests/faultbench" > "$work/$k.log" 2>&1 ||
			{ echo "faultcost: the $k VM failed:" >&2; cat "$work/$k.log" >&2; exit 1; }
		cat "$work/$k.$boot/us" >> "$work/$k.us"
	done
done
python3 - "$work" <<'PY'
import statistics, sys
w = sys.argv[1]
med = {}
for k in ("vanilla", "patched"):
    us = [int(x) for x in open("%s/%s.us" % (w, k)).read().split()]
    med[k] = statistics.median(us)
    print("%s: median %d us of %d runs: %s" % (k, med[k], len(us), " ".join(map(str, us))))
print("patched/vanilla: %.3f" % (med["patched"] / med["vanilla"]))
PY
