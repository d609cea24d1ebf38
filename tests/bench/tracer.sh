#!/bin/sh
# tests/bench/tracer.sh BUILD BZIMAGE — `make bench-tracer`: the slowdown of programs
# traced by pacollect against the same programs untraced, in the test VM (qemu TCG:
# the figures are indicative of hardware, not equal to it), and the event rate
# pacollect sustains before it loses events. Prints the table of
# tests/bench/tracer-report.py.
#
# The programs: tests/bench/tracerload.c (a sequential scan, random accesses, a
# 4-thread writer) and Debian's own sqlite3 (a query workload), gzip and sort (on
# generated files), copied into the VM with their shared libraries.
# Environment: BENCH_TRACER_ROUNDS (default 9: with 3, a ratio moved by up to 1.4
# between two runs of the bench), VM_TIMEOUT (default 3600 s).
set -eu
build=$1
kernel=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$build/bench-tracer
rounds=${BENCH_TRACER_ROUNDS:-9}
rm -rf "$work"
mkdir -p "$work/bench"
for f in /usr/bin/sqlite3 /usr/bin/gzip /usr/bin/sort; do
	[ -x "$f" ] || { echo "bench-tracer: $f is missing (apt-get install sqlite3 gzip coreutils)" >&2; exit 1; }
done

${CC:-gcc} -static -O2 -Wall -Wextra -Werror -pthread -o "$work/tracerload" \
	"$top/tests/bench/tracerload.c"
echo "$rounds" > "$work/bench/rounds"
# Inputs, the same on every run: 4 MB of words for gzip, 200000 lines for sort.
python3 - "$work/bench" <<'PY'
import random, sys
d = sys.argv[1]
r = random.Random(7)
words = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 9)))
         for _ in range(5000)]
with open(d + "/input.txt", "w") as f:
    n = 0
    while n < 4 << 20:
        line = " ".join(r.choice(words) for _ in range(12)) + "\n"
        f.write(line)
        n += len(line)
with open(d + "/lines.txt", "w") as f:
    for _ in range(200000):
        f.write("%08x %s\n" % (r.getrandbits(32), r.choice(words)))
PY
cat > "$work/bench/work.sql" <<'SQL'
CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
INSERT INTO t SELECT i, (i * 7919) % 1000, hex(randomblob(16)) FROM n;
CREATE INDEX t_k ON t (k);
SELECT k, count(*), max(v) FROM t GROUP BY k ORDER BY 2 DESC LIMIT 5;
SELECT count(*) FROM t a JOIN t b ON a.k = b.k AND a.id < b.id WHERE a.id < 2000;
SELECT sum(length(v)) FROM t WHERE v LIKE '%AB%';
SQL

"$top/kernel/mkinitramfs.sh" -o "$work/initramfs.cpio.gz" \
	--script "$top/tests/bench/tracer-guest.sh" \
	--bin "$work/tracerload" --bin "$build/pacollect" --bin "$build/paanalyze" \
	--bin /usr/bin/sqlite3:/usr/bin/sqlite3 --bin /usr/bin/gzip:/usr/bin/gzip \
	--bin /usr/bin/sort:/usr/bin/sort --dir "$work/bench:/bench"
start=$(date +%s)
rc=0
"$top/kernel/run-vm.sh" --kernel "$kernel" --initrd "$work/initramfs.cpio.gz" \
	--out "$work/out" --timeout "${VM_TIMEOUT:-3600}" --mem 2048 || rc=$?
if [ "$rc" != 0 ] || [ ! -s "$work/out/runs.txt" ]; then
	echo "bench-tracer: the VM gave no results (run-vm.sh status $rc); see $work/out/console.log" >&2
	exit 1
fi
echo "bench-tracer: guest $(( $(date +%s) - start )) s, kernel $(cat "$work/out/uname"), $rounds rounds"
python3 "$top/tests/bench/tracer-report.py" "$work/out"
