# paanalyze info against values computed independently from the trace text (awk).
. "$SRC/tests/cli/lib.sh"

check() {	# check TRACE: compare info --json with an awk count over the text
	trace=$1
	pacollect -q -f --input "$trace" -o t.db || [ $? -eq 3 ]
	paanalyze info --json t.db > info.json
	awk '
	/handle_mm_fault:/ {
		sub(/.*handle_mm_fault: /, "")
		if ($2 != "R" && $2 != "W") next
		tgid = $1
		for (i = 5; i <= NF; i++) if ($i ~ /^tgid=/) tgid = substr($i, 6)
		n++; if ($2 == "W") w++
		if ($0 ~ /fault=demand/) dm++
		# page = addr >> 12: drop the last three hex digits
		a = $4; p = (length(a) > 3) ? substr(a, 1, length(a) - 3) : "0"
		if (!((tgid, p) in pages)) { pages[tgid, p]; np++ }
		if (!((tgid, $3) in ips)) { ips[tgid, $3]; ni++ }
		if (!($1 in tids)) { tids[$1]; nt++ }
	}
	/\[LOST [0-9]+ EVENTS\]/ { lost += $3 }
	END { printf "%d %d %d %d %d %d %d %d\n", n, n - w, w, dm, np, ni, nt, lost }
	' "$trace" > want
	"$PYTHON" -c '
import json, sys
d = json.load(open("info.json"))
print(d["events"], d["reads"], d["writes"], d["demand_faults"], d["pages"], d["ips"],
      d["tasks"], d["lost_events"])' > got
	cmp -s want got || fail "$trace: info says $(cat got), the text says $(cat want)"
}

gentrace --pattern seq --pages 100 --passes 3 > seq.txt
gentrace --pattern random --pages 5000 --events 200000 --seed 3 --lost-every 5000 > rnd.txt
gentrace --pattern threads --pages 50 --passes 2 --threads 4 > thr.txt
gentrace --pattern hotcold --pages 1000 --events 50000 --original-format > orig.txt
for t in seq.txt rnd.txt thr.txt orig.txt; do
	check "$t"
done
# the bundled samples, including the hand-written one with every line shape
for z in "$SRC"/samples/traces/*.txt.gz; do
	gzip -dc "$z" > sample.txt
	check sample.txt
done
gzip -dc "$SRC/samples/traces/variations.txt.gz" > var.txt
pacollect -q -f --input var.txt -o t.db
paanalyze info --json t.db > info.json
[ "$(json_get info.json '(d["lost_events"], d["other_lines"], d["malformed_lines"])')" = "(17, 1, 0)" ] ||
	fail "variations: lost/other/malformed"
[ "$(sqlite3 t.db "SELECT group_concat(kind || ' ' || pid || ' ' || coalesce(ppid, '-'), ',') FROM markers")" = \
	"START 1716 1700,END 1716 -" ] || fail "variations: markers"
[ "$(sqlite3 t.db "SELECT op, printf('%x', start_addr), path FROM maps ORDER BY id")" = \
	"$(printf 'map|7ffff7dd3000|/lib/x86_64-linux-gnu/ld-2.31.so\nunmap|7ffff7ff0000|')" ] ||
	fail "variations: maps"

# time span: 300 events 1 us apart from the START marker to END
pacollect -q -f --input seq.txt -o t.db
paanalyze info --json t.db > info.json
[ "$(json_get info.json 'd["duration_us"]')" = 300 ] || fail "duration_us"
[ "$(json_get info.json 'd["start_ns"]')" = 100000000000 ] || fail "start_ns"
[ "$(json_get info.json 'd["processes"]')" = 1 ] || fail "processes"

# two processes with the same addresses: their pages are counted apart
sed 's/4242/5151/g' seq.txt > other.txt
cat seq.txt other.txt > two.txt
pacollect -q -f --input two.txt -o t.db
paanalyze info --json t.db > info.json
[ "$(json_get info.json 'd["pages"]')" = 200 ] || fail "pages of two processes merged"
paanalyze info --json --pid 5151 t.db > info.json
[ "$(json_get info.json 'd["pages"]')" = 100 ] || fail "--pid filter"
paanalyze info --json --rw w --pid 4242 t.db > info.json
[ "$(json_get info.json 'd["events"]')" = 100 ] || fail "--rw w filter"

# the table for people names the numbers
paanalyze info t.db > table
grep -q '^events  *600 (400 reads, 200 writes' table || fail "table: $(cat table)"

# bad databases: one message naming the file, exit 1
expect_exit 1 paanalyze info nothere.db
grep -q 'nothere.db: No such file' err || fail "missing db: $(cat err)"
echo "not a database at all, just text that is long enough to fill a header......" > text.db
expect_exit 1 paanalyze info text.db
grep -q 'text.db: not a pat database' err || fail "text db: $(cat err)"
sqlite3 foreign.db 'CREATE TABLE x (y)'
expect_exit 1 paanalyze info foreign.db
grep -q 'foreign.db: an SQLite database, but not a pat run database' err || fail "foreign: $(cat err)"
cp t.db future.db
sqlite3 future.db 'PRAGMA user_version = 4'
expect_exit 1 paanalyze info future.db
grep -q 'format version 4; this build reads versions 1 to 3 (a newer pat wrote it' err || fail "future version: $(cat err)"
head -c $(($(wc -c < t.db) / 2)) t.db > cut.db
expect_exit 1 paanalyze info cut.db
[ "$(wc -l < err)" = 1 ] || fail "truncated db: $(cat err)"

# usage errors: exit 2, one line
expect_exit 2 paanalyze info --bogus t.db
[ "$(wc -l < err)" = 1 ] || fail "unknown option: more than one line"
expect_exit 2 paanalyze nosuchcmd
grep -q "no such command 'nosuchcmd'" err || fail "unknown command message"
expect_exit 2 paanalyze info --from 10 t.db
expect_exit 2 paanalyze info --rw x t.db
expect_exit 2 paanalyze info a.db b.db
expect_exit 2 paanalyze
expect_exit 0 paanalyze --help
grep -q '^  info ' out || fail "--help lacks info"
expect_exit 0 paanalyze help info
grep -q -- '--json' out || fail "help info lacks --json"
expect_exit 2 paanalyze help nosuch
# a full disk is a failure, not success
if [ -w /dev/full ]; then
	expect_exit 1 sh -c 'paanalyze info --json t.db > /dev/full'
fi
exit 0
