#!/bin/sh
# tests/bench/bench.sh BUILD: the benchmark behind `make bench` (tests/bench/bench.mk).
#
# Generates reproducible traces with BUILD/gentrace (fixed seeds), takes the captured
# traces under samples/ (*.txt.gz, *.txt.zst), and prints one Markdown table: import
# rate and stored size, zstd -19 of the same text, rate and peak RSS of every analysis,
# and the obvious alternative (one SQL row per event in the sqlite3 shell). Every
# figure is the median of BENCH_N runs. Rates are events per CPU second (user + system,
# all threads) of the process, so that a loaded machine does not change them much.
#
# Environment (defaults in brackets):
#   BENCH_N         runs per figure [3]
#   BENCH_SIZES     events of the generated traces ["1000000 10000000"]
#   BENCH_PATTERNS  gentrace patterns, and scatter (random over 10^6 pages spread over
#                   the 47-bit address space) ["seq stride chase hotcold threads random
#                   scatter"]
#   BENCH_CMDS      paanalyze commands ["info wss reuse heatmap"]; missing ones are skipped
#   BENCH_SAMPLES   1: also the traces under samples/ [1]
#   BENCH_ZSTD_LINES  zstd -19 reads the first this many lines of a trace [200000]: it
#                   is slow (about 0.7 MB/s, minutes per 10^6 lines), and its bytes per
#                   event hardly change with length (8 MB window; random: 7.99 on 10^5
#                   lines, 8.22 on 10^6). Measured once per distinct text, cached in
#                   BUILD/bench/zstd-cache
#   BENCH_SQL_MAX   the sqlite3 baseline runs on traces of at most this many events [1000000]
#   BENCH_KEEP      0: delete each generated trace text after use [1]
#
# Everything is written under BUILD/bench (traces, databases), never into the tree.
set -eu

build=${1:-build}
src=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_N:-3}
sizes=${BENCH_SIZES:-"1000000 10000000"}
patterns=${BENCH_PATTERNS:-"seq stride chase hotcold threads random scatter"}
cmds=${BENCH_CMDS:-"info wss reuse heatmap"}
zstd_lines=${BENCH_ZSTD_LINES:-200000}
sql_max=${BENCH_SQL_MAX:-1000000}
keep=${BENCH_KEEP:-1}
dir=$build/bench
gentrace=$build/gentrace
pacollect=$build/pacollect
paanalyze=$build/paanalyze
benchtool=$build/benchtool

for tool in zstd sqlite3 python3 /usr/bin/time; do
	if ! command -v "$tool" > /dev/null 2>&1; then
		echo "bench: $tool is missing (Debian packages: zstd sqlite3 python3 time)" >&2
		exit 1
	fi
done
runs=$dir/runs
mkdir -p "$dir/zstd-cache" "$runs"

# Which analyses exist in this build.
have_cmds=
for c in $cmds; do
	if "$paanalyze" help "$c" > /dev/null 2>&1; then
		have_cmds="$have_cmds $c"
	fi
done

median() {
	sort -n | awk '{ a[NR] = $1 }
		END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2];
		      else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# run1 OUT CMD...: runs CMD once (exit status 0, or 3 for pacollect's "some lines were
# malformed"), appending "wall cpu rss_kb" to OUT (runstat.py).
run1() {
	out=$1
	shift
	rc=0
	python3 "$src/tests/bench/runstat.py" "$out" "$@" 2> "$runs/last.err" || rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
		echo "bench: failed ($rc): $*" >&2
		cat "$runs/last.err" >&2
		return 1
	fi
}

# timed OUT CMD...: runs CMD BENCH_N times, "wall cpu rss_kb" per run into OUT.
timed() {
	out=$1
	shift
	: > "$out"
	i=0
	while [ "$i" -lt "$N" ]; do
		run1 "$out" "$@" || return 1
		i=$((i + 1))
	done
}

# run_part WHICH OUT CMD_A... -- CMD_B...: runs CMD_A (WHICH 1) or CMD_B (WHICH 2) once.
run_part() {
	which=$1
	part_out=$2
	shift 2
	part=1
	# the list of a for loop is taken once: the words are shifted off and the chosen
	# ones put back, leaving "$@" with one command
	for w in "$@"; do
		shift
		if [ "$w" = -- ]; then
			part=2
		elif [ "$part" = "$which" ]; then
			set -- "$@" "$w"
		fi
	done
	run1 "$part_out" "$@"
}

# paired A B CMD_A... -- CMD_B...: runs the two commands in turn, BENCH_N times each,
# into A and B, so that both see the same load: the figures compared are side by side.
paired() {
	out_a=$1
	out_b=$2
	shift 2
	: > "$out_a"
	: > "$out_b"
	i=0
	while [ "$i" -lt "$N" ]; do
		run_part 1 "$out_a" "$@" || return 1
		run_part 2 "$out_b" "$@" || return 1
		i=$((i + 1))
	done
}

col() { awk -v k="$1" '{ print $k }' "$2" | median; }

# rate EVENTS SECONDS: millions of events per second, 3 significant digits; "-" for
# fewer than 10^5 events, where process start-up (some ms) is most of what is measured.
rate() { awk -v n="$1" -v s="$2" "$fmt"'BEGIN { print (n < 1e5 || s <= 0 ? "-" : f(n / s / 1e6)) }'; }
per() { awk -v a="$1" -v b="$2" "$fmt"'BEGIN { print f(a / b) }'; }
fmt='function f(x) { return x >= 100 ? sprintf("%.0f", x) : sprintf("%.3g", x) } '

# Generated trace NAME with gentrace ARGS, unless it is there already.
generate() {
	name=$1
	shift
	if [ ! -s "$dir/$name.txt" ] || [ "$(cat "$dir/$name.args" 2>/dev/null)" != "$*" ]; then
		"$gentrace" "$@" > "$dir/$name.txt.tmp"
		mv "$dir/$name.txt.tmp" "$dir/$name.txt"
		echo "$*" > "$dir/$name.args"
	fi
}

# zstd -19 of the first BENCH_ZSTD_LINES lines of TEXT: "bytes cpu_seconds events".
zstd19() {
	text=$1
	head -n "$zstd_lines" "$text" > "$dir/zstd.in"
	key=$(md5sum < "$dir/zstd.in" | cut -c1-32)
	if [ ! -s "$dir/zstd-cache/$key" ]; then
		/usr/bin/time -f '%U %S' -o "$runs/zstd.t" zstd -19 -T1 -q -f -o "$dir/zstd.out" \
			"$dir/zstd.in"
		echo "$(wc -c < "$dir/zstd.out") $(tail -n 1 "$runs/zstd.t" | awk '{ print $1 + $2 }')" \
			"$(grep -c ' handle_mm_fault: ' "$dir/zstd.in" || true)" > "$dir/zstd-cache/$key"
		rm -f "$dir/zstd.out"
	fi
	rm -f "$dir/zstd.in"
	cat "$dir/zstd-cache/$key"
}

# The alternative: one SQL row per event. awk turns the text into CSV (time in us, tid,
# tgid, R/W, ip, page as "tgid:hex page"; not timed), the sqlite3 shell imports it in
# one transaction, and a GROUP BY gives the working set per 10 ms window.
sql_baseline() {
	text=$1
	awk '{
		for (i = 1; i <= NF; i++) if ($i == "handle_mm_fault:") break
		if (i > NF || i < 2) next
		ts = $(i - 1); sub(/:$/, "", ts); split(ts, p, ".")
		frac = substr(p[2] "000000", 1, 6)
		tid = $(i + 1); tgid = tid; addr = $(i + 4)
		for (k = i + 5; k <= NF; k++) if ($k ~ /^tgid=/) tgid = substr($k, 6)
		page = length(addr) > 3 ? substr(addr, 1, length(addr) - 3) : "0"
		printf "%.0f,%s,%s,%s,%s,%s:%s\n", p[1] * 1000000 + frac, tid, tgid, $(i + 2),
			$(i + 3), tgid, page
	}' "$text" > "$runs/sql.csv"
	cat > "$runs/sql-import.sql" <<EOF
CREATE TABLE ev (t INTEGER, tid INTEGER, tgid INTEGER, rw TEXT, ip TEXT, page TEXT);
BEGIN;
.import --csv $runs/sql.csv ev
COMMIT;
EOF
	cat > "$runs/sql-wss.sql" <<'EOF'
SELECT w, count(DISTINCT page), count(DISTINCT CASE WHEN rw = 'R' THEN page END),
       count(DISTINCT CASE WHEN rw = 'W' THEN page END)
FROM (SELECT (t - (SELECT min(t) FROM ev)) / 10000 AS w, rw, page FROM ev) GROUP BY w;
EOF
	: > "$runs/sql-import.runs"
	i=0
	while [ "$i" -lt "$N" ]; do
		rm -f "$dir/sql.db"
		python3 "$src/tests/bench/runstat.py" "$runs/sql-import.runs" sh -c \
			"sqlite3 '$dir/sql.db' < '$runs/sql-import.sql'"
		i=$((i + 1))
	done
	timed "$runs/sql-wss.runs" sqlite3 "$dir/sql.db" ".read $runs/sql-wss.sql"
	sql_bytes=$(wc -c < "$dir/sql.db")
	rm -f "$runs/sql.csv" "$dir/sql.db"
}

rows=
colrows=
ratios=

# measure NAME TEXT: one row of each table.
measure() {
	name=$1
	text=$2
	db=$dir/$name.db
	echo "bench: $name" >&2
	paired "$runs/$name.import" "$runs/$name.zstd3" "$pacollect" -q -f --input "$text" \
		-o "$db" -- zstd -3 -T1 -q -c "$text"
	events=$(sqlite3 "$db" 'SELECT coalesce(sum(events), 0) FROM chunks')
	if [ "$events" -eq 0 ]; then
		echo "bench: $name: no events, skipped" >&2
		return 0
	fi
	chunk_bytes=$(sqlite3 "$db" 'SELECT sum(length(data)) FROM chunks')
	db_bytes=$(wc -c < "$db")
	imp=$(col 2 "$runs/$name.import")
	z3=$(col 2 "$runs/$name.zstd3")
	set -- $(zstd19 "$text")
	# zstd -19 of the whole text, extrapolated from its first BENCH_ZSTD_LINES lines
	z19=$(awk -v b="$1" -v n="$3" -v e="$events" 'BEGIN { print b / n * e }')
	row="| $name | $events | $(rate "$events" "$imp") | $(per "$z3" "$imp")"
	row="$row | $(per "$chunk_bytes" "$events") | $(per "$db_bytes" "$events")"
	row="$row | $(per "$1" "$3") | $(per "$db_bytes" "$z19") | $(rate "$3" "$2")"
	for c in $have_cmds; do
		if [ "$c" = info ] || [ ! -x "$benchtool" ]; then
			timed "$runs/$name.$c" "$paanalyze" "$c" "$db"
		else
			paired "$runs/$name.$c" "$runs/$name.$c.decode" "$paanalyze" "$c" "$db" -- \
				"$benchtool" decode "$c" "$db"
		fi
		t=$(col 2 "$runs/$name.$c")
		w=$(col 1 "$runs/$name.$c")
		mb=$(col 3 "$runs/$name.$c" | awk '{ printf "%.0f", $1 / 1024 }')
		cell="$(rate "$events" "$t") / $(rate "$events" "$w") ($mb MB)"
		if [ -s "$runs/$name.$c.decode" ]; then
			cell="$cell, x$(per "$t" "$(col 2 "$runs/$name.$c.decode")")"
		fi
		row="$row | $cell"
	done
	if [ "$events" -le "$sql_max" ]; then
		sql_baseline "$text"
		row="$row | $(rate "$events" "$(col 2 "$runs/sql-import.runs")"),"
		row="$row $(per "$sql_bytes" "$events") B/ev | $(rate "$events" "$(col 2 "$runs/sql-wss.runs")")"
	else
		row="$row | | "
	fi
	rows="$rows$row |
"
	if [ -x "$benchtool" ]; then
		colrows="$colrows$("$benchtool" columns "$db" | awk -v name="$name" '{
			n = $2; line = "| " name " | " n; total = 0
			for (i = 3; i < NF; i += 2) { line = line sprintf(" | %.3g", $(i + 1) / n); total += $(i + 1) }
			print line sprintf(" | %.3g |", total / n) }')
"
	fi
}

# time ratio of the largest to the smallest size of one pattern, per figure
ratio() {
	p=$1
	small=$2
	big=$3
	line="$p: events x$(awk -v a="$big" -v b="$small" 'BEGIN { printf "%g", a / b }')"
	for f in import $have_cmds; do
		a=$runs/$p-$small.$f
		b=$runs/$p-$big.$f
		[ -s "$a" ] && [ -s "$b" ] || continue
		line="$line, $f x$(awk -v a="$(col 2 "$b")" -v b="$(col 2 "$a")" \
			'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
	done
	ratios="$ratios- $line
"
}

# gentrace arguments giving pattern P about N events (fixed seeds).
gen_args() {
	p=$1
	n=$2
	case "$p" in
	seq | stride | chase) echo "--pattern $p --pages 100000 --passes $((n / 100000)) --seed 1" ;;
	threads) echo "--pattern threads --threads 4 --pages 25000 --passes $((n / 100000)) --seed 1" ;;
	hotcold) echo "--pattern hotcold --pages 100000 --events $n --seed 1" ;;
	random) echo "--pattern random --pages 1000000 --events $n --seed 1" ;;
	scatter) echo "--pattern random --pages 1000000 --events $n --seed 1 --scatter" ;;
	*) echo "bench: unknown pattern $p" >&2; return 1 ;;
	esac
}

label() { awk -v n="$1" 'BEGIN { e = int(log(n) / log(10) + 0.5); printf (n == 10 ^ e ? "1e%d" : "%d"), (n == 10 ^ e ? e : n) }'; }

load=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
start=$(date +%s)

for p in $patterns; do
	for n in $sizes; do
		name=$p-$(label "$n")
		# shellcheck disable=SC2046
		generate "$name" $(gen_args "$p" "$n")
		measure "$name" "$dir/$name.txt"
		[ "$keep" = 1 ] || rm -f "$dir/$name.txt" "$dir/$name.args"
	done
	set -- $sizes
	if [ $# -ge 2 ]; then
		small=$1
		eval "big=\${$#}"
		ratio "$p" "$(label "$small")" "$(label "$big")"
	fi
done

if [ "${BENCH_SAMPLES:-1}" = 1 ]; then
	for f in $(find "$src/samples" -name '*.txt.gz' -o -name '*.txt.zst' | sort); do
		base=$(basename "$f")
		name=sample-${base%.txt.*}
		case "$f" in
		*.gz) gzip -dc "$f" > "$dir/$name.txt" ;;
		*.zst) zstd -dc -q "$f" > "$dir/$name.txt" ;;
		esac
		measure "$name" "$dir/$name.txt"
	done
fi

head="| trace | events | import M/s | import speed / zstd -3 | chunks B/ev | file B/ev"
head="$head | zstd -19 B/ev | file / zstd -19 | zstd -19 M/s"
sep="| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:"
for c in $have_cmds; do
	if [ "$c" = info ]; then
		head="$head | $c M/s: CPU / wall (RSS)"
	else
		head="$head | $c M/s: CPU / wall (RSS), CPU x decode"
	fi
	sep="$sep | ---:"
done
head="$head | sqlite3 rows: import M/s, size | sqlite3 GROUP BY wss M/s |"
sep="$sep | ---: | ---: |"

echo
echo "Machine: $(nproc) CPUs ($cpu), load average at start $load; $(uname -sr);" \
	"pat $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?'); $(date -u +%Y-%m-%d)."
echo "Median of $N runs; rates in million events per CPU second (user + system, all"
echo "threads) of the process, and for the analyses, which read and decode chunks in a"
echo "second thread, also per second of wall time; RSS is the peak resident set (GNU time %M)."
echo
echo "$head"
echo "$sep"
printf '%s' "$rows"
echo
echo "import speed / zstd -3: CPU time of \`zstd -3 -T1\` on the same text over that of"
echo "the import, run in turn with it (above 1: the import is faster)."
echo "chunks: chunk blob bytes per event; file: the whole database file."
echo "zstd -19: \`zstd -19 -T1\` of the first $zstd_lines lines of the same text, one run;"
echo "file / zstd -19: the file over zstd -19's bytes per event times the events."
echo "x decode: CPU time of the analysis over that of decoding the same chunks with the same"
echo "reader and columns and nothing else (tests/bench/benchtool.c), run in turn with it."
echo "sqlite3 rows: the text as CSV (awk, not timed) \`.import\`ed by the sqlite3 shell in one"
echo "transaction, one row per event; wss as one GROUP BY over 10 ms windows."
echo "Reuse distance, PARDA (docs/design.md §7): 0.4 M/s on 10^7 random accesses over 10^6 pages."
if [ -n "$colrows" ]; then
	echo
	echo "Chunk bytes per event by part (benchtool columns; schema/chunk.c has the layout):"
	echo
	echo "| trace | events | header | time | tid | tgid | sym | page | offset | aux | total |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	printf '%s' "$colrows"
fi
if [ -n "$ratios" ]; then
	echo
	echo "CPU time ratios, largest to smallest trace of a pattern (proportional = events ratio):"
	echo
	printf '%s' "$ratios"
fi
echo
echo "($(($(date +%s) - start)) s)"
