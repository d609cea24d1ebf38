# The SQLite extension in the sqlite3 shell: pa_events holds what `paanalyze export`
# writes, row for row and value for value (with and without the filters, which
# pa_events pushes down), the README's query works, and what is not a pat database or
# has a damaged chunk is an error. Pushdown figures: tests/unit/test_sqlext.c.
. "$SRC/tests/cli/lib.sh"

ext=$BUILD/pat
# The sanitized extension needs the ASan runtime loaded first; sqlite3 is not built
# with it, so it is preloaded into sqlite3 alone (it then checks the extension as it
# runs in the shell, leaks at exit included).
preload=$(asan_preload "$ext.so")
sqlx() {	# sqlx DB ARGS...: sqlite3 on DB with the extension loaded
	db=$1
	shift
	env ${preload:+LD_PRELOAD=$preload} sqlite3 "$db" -cmd ".load $ext" "$@"
}
sql() {	# sql DB SQL...: in CSV mode with headers
	db=$1
	shift
	sqlx "$db" -bail -csv -header "$@"
}

# export's columns, written as export writes them
cols="printf('%.3f', time_us) AS time_us, pid, tid, rw, printf('0x%x', ip) AS ip,
	printf('0x%x', addr) AS addr, page, printf('%u', aux) AS aux, fault"

# check DB WHERE EXPORT-FILTERS...: the rows of pa_events WHERE equal the export's
check() {
	db=$1 where=$2
	shift 2
	paanalyze export --csv "$@" "$db" > want.csv
	[ "$(wc -l < want.csv)" -gt 1 ] || fail "export $* selects nothing: proves nothing"
	sql "$db" "SELECT $cols FROM pa_events WHERE $where" > got.csv
	# sqlite3 ends its CSV lines with CRLF
	tr -d '\r' < got.csv > got.txt
	cmp -s want.csv got.txt || {
		diff want.csv got.txt | head -5
		fail "pa_events WHERE $where differs from export $*"
	}
}

varied_run thr
check thr.db 1
check thr.db "pid = 777" --pid 777
check thr.db "tid = 4243" --tid 4243
check thr.db "rw = 'W'" --rw w
check thr.db "time_us >= 20 AND time_us < 150" --from 20us --to 150us
check thr.db "time_us < 0"  --to 0us
check thr.db "tid = 4244 AND time_us >= 7.5" --tid 4244 --from 7500ns

# several chunks: the README's query against Python over the export
gentrace --pattern hotcold --pages 3000 --events 200000 --seed 5 > hot.txt
pacollect -q -f --input hot.txt -o hot.db
check hot.db "time_us >= 70000 AND time_us < 70100" --from 70ms --to 70100us
sqlx hot.db -bail \
	"SELECT page, count(*) FROM pa_events WHERE rw='W' GROUP BY page ORDER BY 2 DESC, 1 LIMIT 10" > top.txt
paanalyze export --csv hot.db > hot.csv
"$PYTHON" - hot.csv > top.want <<'PY'
import collections, csv, sys
n = collections.Counter(r['page'] for r in csv.DictReader(open(sys.argv[1])) if r['rw'] == 'W')
for page, c in sorted(n.items(), key=lambda kv: (-kv[1], int(kv[0])))[:10]:
    print('%s|%d' % (page, c))
PY
[ "$(wc -l < top.want)" -eq 10 ] && cmp -s top.want top.txt || {
	diff top.want top.txt | head
	fail "the README query's top pages differ from the export's"
}
# a time range reads only the chunks it overlaps: 1 of the 4
chunks=$(sqlx hot.db \
	"SELECT count(*) FROM pa_events WHERE time_us < 1000" "SELECT pa_chunks_read()" | tail -n 1)
[ "$chunks" -eq 1 ] || fail "time_us < 1000 read $chunks chunks, not 1"
sqlx hot.db "EXPLAIN QUERY PLAN SELECT * FROM pa_events WHERE tid = 4242" |
	grep -q 'tid=' || fail "EXPLAIN QUERY PLAN does not show the pushed-down tid"

# not a pat database: an error naming the file, exit 1
sqlite3 plain.db 'CREATE TABLE t(x)'
expect_exit 1 sqlx plain.db 'SELECT count(*) FROM pa_events'
grep -q 'plain.db: an SQLite database, but not a pat run database' err ||
	fail "non-pat database: $(cat err)"
# a damaged chunk: an error naming it, never its rows (every column read: the damage
# may lie in any of their frames)
cp hot.db bad.db
sqlite3 bad.db "UPDATE chunks SET data = CAST(substr(data, 1, 100) || x'00' || substr(data, 102)
	AS BLOB) WHERE id = 2"
paanalyze check bad.db > /dev/null && fail "the chunk was not damaged"
# (the shell exits with the error's code: 11, SQLITE_CORRUPT)
expect_exit 11 sqlx bad.db 'SELECT * FROM pa_events'
grep -q 'bad.db: chunk 2 (times .*) is damaged' err || fail "damaged chunk: $(cat err)"
