#!/bin/sh
# tests/kernel/accuracy-guest.sh — runs inside the test VM as /test.sh for
# `make vm-sample-accuracy`: samples/programs/phases traced live by pacollect in full
# and at 1/16 and 1/64 (kernel sampling), three runs at each sampled rate (the array
# lands at another address each run, so other pages are sampled). The databases come
# back in $PAT_OUT; tests/kernel/sample-accuracy.py compares them on the host.
OUT=${PAT_OUT:-/out}
for run in full:1/1 s16a:1/16 s16b:1/16 s16c:1/16 s64a:1/64 s64b:1/64 s64c:1/64; do
	label=${run%%:*}
	t0=$(date +%s)
	pacollect -q --sample "${run#*:}" -o "$OUT/$label.db" phases > "$OUT/$label.out" 2>&1
	echo "accuracy-guest: $label (--sample ${run#*:}): exit $?, $(( $(date +%s) - t0 ))s"
done
