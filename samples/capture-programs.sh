#!/bin/sh
# capture-programs.sh BUILD: capture traces of real Debian programs on the patched
# kernel in qemu and store them as samples/traces/prog-NAME.txt.zst, the benchmark
# traces of `make bench` (docs/performance.md). The programs are the host's own
# (sqlite3, gzip, xz, sort, python3.11, cc1), copied into the VM's initramfs with their
# shared libraries; each runs a fixed workload (below) while the guest reads
# trace_pipe, so that no event is overwritten in the ring buffer (losses would show
# as "[LOST N EVENTS]" lines), compressed there (the serial line that brings /out back
# is slow). Needs the kernel (`make kernel`) first:
#   make kernel && sh samples/capture-programs.sh build
# The traces depend on the host's binaries and on timing, so they differ from run to
# run; the workloads do not.
set -eu
# TCG runs programs 10-30 times slower than hardware: a 10 ms interval in the VM resets
# pages about as often per instruction as the default 1 ms does on hardware.
interval_us=${PAT_CAPTURE_INTERVAL_US:-10000}
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
work="$build/capture-programs"
rm -rf "$work"
mkdir -p "$work/files"
py=$(readlink -f /usr/bin/python3)
pyver=$(basename "$py")
cc1=$(gcc -print-prog-name=cc1)
for f in /usr/bin/sqlite3 /usr/bin/gzip /usr/bin/xz /usr/bin/sort "$py" "$cc1"; do
	[ -x "$f" ] || { echo "capture-programs: $f is missing" >&2; exit 1; }
done

# python: the standard library modules the script needs, not all 60 MB of it
pylib=/usr/lib/$pyver
mkdir -p "$work/pylib"
cp "$pylib"/*.py "$work/pylib/"
for d in encodings json collections re importlib lib-dynload __pycache__; do
	[ -d "$pylib/$d" ] && cp -r "$pylib/$d" "$work/pylib/"
done
cat > "$work/files/work.py" <<'EOF'
import random, collections, json
random.seed(1)
words = ["w%d" % random.randrange(20000) for _ in range(20000)]
counts = collections.Counter(words)
top = counts.most_common(50)
nums = sorted(random.random() for _ in range(10000))
s = sum(x * x for x in nums)
print(len(json.dumps({"top": top, "s": s})), len(counts))
EOF
# cc1: a sample program, preprocessed here so that the guest needs no headers
gcc -E "$src/samples/programs/phases.c" > "$work/files/unit.i"
cat > "$work/files/work.sql" <<'EOF'
CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
INSERT INTO t SELECT i, (i * 7919) % 1000, hex(randomblob(16)) FROM n;
CREATE INDEX t_k ON t (k);
SELECT k, count(*), max(v) FROM t GROUP BY k ORDER BY 2 DESC LIMIT 5;
SELECT count(*) FROM t a JOIN t b ON a.k = b.k AND a.id < b.id WHERE a.id < 3000;
SELECT sum(length(v)) FROM t WHERE v LIKE '%AB%';
EOF

# name|tag|lines kept (0: all)|guest command line. xz's run gives 4.7 million events
# (590 MB of text) and losses from the 2.58 millionth line on: its first 500000 lines
# are kept, a trace of a few MB like the others.
cat > "$work/list" <<LIST
sqlite3|sqlite3|0|/usr/bin/sqlite3 /tmp/w.db < /files/work.sql
gzip|gzip|0|/usr/bin/gzip -6 -c /tmp/in.txt > /tmp/in.gz
xz|xz|500000|/usr/bin/xz -2 -T1 -c /tmp/in.txt > /tmp/in.xz
sort|sort|0|/usr/bin/sort -k2 -n -S 64M /tmp/in.txt > /tmp/sorted.txt
python3|$pyver|0|/usr/bin/$pyver -S -I /files/work.py
cc1|cc1|0|$cc1 -quiet -O1 -fpreprocessed /files/unit.i -o /tmp/unit.s
LIST

{
	echo '#!/bin/sh'
	echo 'T=/sys/kernel/tracing'
	echo 'echo 65536 > $T/buffer_size_kb'
	echo 'echo 1 > $T/events/page_access/enable'
	echo "echo $interval_us > /proc/sys/vm/page_access_trace_interval_us"
	# the input of gzip, xz and sort: 4 MB of numbers and words (fixed seed)
	echo "awk 'BEGIN { srand(1); for (i = 0; i < 200000; i++)" \
		"print i, int(rand() * 1000000), \"word\" int(rand() * 500) }' > /tmp/in.txt"
	while IFS='|' read -r name tag keep cmd; do
		cat <<ONE
echo > \$T/trace
cat \$T/trace_pipe > /out/$name.trace &
reader=\$!
echo $tag > /proc/trace_page_access
$cmd 2> /out/$name.err; echo "$name: exit \$?" >> /out/summary
echo "" > /proc/trace_page_access
i=0; while [ \$i -lt 300 ] && [ "\$(grep -c 'init_page_access_trace: START' /out/$name.trace)" -gt "\$(grep -c '__reset_page_access_trace: END' /out/$name.trace)" ]; do sleep 1; i=\$((i + 1)); done
sleep 1
kill \$reader
wait \$reader 2> /dev/null
gzip -1 /out/$name.trace
ONE
	done < "$work/list"
	echo 'exit 0'
} > "$work/guest.sh"

"$src/kernel/vm.sh" --script "$work/guest.sh" --out "$work/out" --timeout 1800 --mem 2048 \
	--kernel "$(cat "$build/kernel/bzImage.path")" \
	--bin /usr/bin/sqlite3:/usr/bin/sqlite3 --bin /usr/bin/gzip:/usr/bin/gzip \
	--bin /usr/bin/xz:/usr/bin/xz --bin /usr/bin/sort:/usr/bin/sort \
	--bin "$py:/usr/bin/$pyver" --bin "$cc1:$cc1" \
	--dir "$work/pylib:$pylib" --dir "$work/files:/files"
cat "$work/out/summary"
while IFS='|' read -r name tag keep cmd; do
	if [ "$keep" = 0 ]; then
		gzip -dc "$work/out/$name.trace.gz" > "$work/$name.trace"
	else
		gzip -dc "$work/out/$name.trace.gz" | head -n "$keep" > "$work/$name.trace"
	fi
	zstd -19 -q -f "$work/$name.trace" -o "$src/samples/traces/prog-$name.txt.zst"
	echo "samples/traces/prog-$name.txt.zst: $(grep -c handle_mm_fault "$work/$name.trace")" \
		"events, $(grep -c 'LOST' "$work/$name.trace") loss reports ($cmd)"
done < "$work/list"
