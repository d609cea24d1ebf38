# pacollect and kernel sampling: --sample on the command line, the rate of a trace
# recorded (meta sample_shift, format 3), and a trace of mixed rates refused.
. "$SRC/tests/cli/lib.sh"

gentrace --pattern seq --pages 64 --passes 2 > full.txt
sed 's/START gentrace pid=4242/& ppid=1 sample_shift=5/' full.txt > five.txt
pacollect -q --input five.txt -o five.db
[ "$(sqlite3 five.db "SELECT value FROM meta WHERE key = 'sample_shift'")" = 5 ] ||
	fail "meta sample_shift of a trace at shift 5"
[ "$(sqlite3 five.db 'PRAGMA user_version')" = 3 ] || fail "format version"
pacollect -q --input full.txt -o full.db
[ "$(sqlite3 full.db "SELECT value FROM meta WHERE key = 'sample_shift'")" = 0 ] ||
	fail "meta sample_shift of a trace without the field"

# A run holds one rate: processes traced at different shifts are refused, nothing written.
sed 's/START gentrace pid=4242/START gentrace pid=4242 sample_shift=0/' full.txt > mixed.txt
grep -m1 'handle_mm_fault' full.txt |
	sed 's/handle_mm_fault: .*/init_page_access_trace: START other pid=99 ppid=1 sample_shift=6/' >> mixed.txt
expect_exit 1 pacollect -q --input mixed.txt -o mixed.db
grep -q '^pacollect: mixed.txt: line [0-9]*: process 99 was traced at sample_shift=6 (1 page in 64) but process 4242 at sample_shift=0' err ||
	fail "mixed shifts: $(cat err)"
[ ! -e mixed.db ] || fail "mixed shifts: a database was written"

# --sample takes 1/N with N a power of two up to 65536, and only for tracing.
for bad in 1/3 16 1/0 1/131072 1/+16 1/16x 2/16 ""; do
	expect_exit 2 pacollect --sample "$bad" true
	grep -q "^pacollect: --sample needs 1/N with N a power of two from 1 to 65536 (1/16, 1/64), not '$bad'" err ||
		fail "--sample '$bad': $(cat err)"
done
expect_exit 2 pacollect --sample 1/16 --input full.txt
grep -q -- '--sample and --buffer-size apply to tracing' err || fail "--sample --input: $(cat err)"
