# paanalyze check: every problem reported on a line of its own, exit 1 when there is
# any; --salvage copies exactly the chunks that read whole into a database that checks
# clean; a format 1 database is read and said to have no checksums.
. "$SRC/tests/cli/lib.sh"

gentrace --pattern random --pages 5000 --events 200000 --seed 4 > rnd.txt
pacollect -q --input rnd.txt -o good.db
expect_exit 0 paanalyze check good.db
grep -qx 'good.db: ok: format version 3, 4 chunks, 200000 events read, 0 problems' out ||
	fail "good: $(cat out)"

# sql DB STATEMENT...: a copy-free change to DB
sql() {
	db=$1
	shift
	sqlite3 "$db" "$@"
}

# one bit of chunk 2 flipped
cp good.db bad.db
"$PYTHON" - <<'PY'
import sqlite3
db = sqlite3.connect("bad.db")
data = bytearray(db.execute("SELECT data FROM chunks WHERE id = 2").fetchone()[0])
data[len(data) // 2] ^= 0x10
db.execute("UPDATE chunks SET data = ? WHERE id = 2", (bytes(data),))
db.commit()
PY
expect_exit 1 paanalyze check bad.db
grep -q '^bad.db: chunk 2 (times [0-9.-]* s) is damaged: checksum mismatch$' out ||
	fail "flipped bit: $(cat out)"
grep -qx 'bad.db: damaged: format version 3, 4 chunks (1 damaged), 134464 events read, 1 problem' out ||
	fail "flipped bit summary: $(cat out)"

# salvage: the other three chunks, nothing else, in a database that checks clean
expect_exit 1 paanalyze check --salvage saved.db bad.db
grep -qx 'saved.db: 3 of 4 chunks (134464 events) salvaged' out || fail "salvage: $(cat out)"
expect_exit 0 paanalyze check saved.db
[ "$(sql saved.db 'SELECT sum(events) FROM tasks')" = 134464 ] || fail "tasks of saved.db"
[ "$(sql saved.db "SELECT value FROM meta WHERE key = 'salvage_lost_chunks'")" = 1 ] ||
	fail "salvage_lost_chunks"
# its events are the undamaged run's without chunk 2's (rows 65537..131072 of the export)
paanalyze export --csv good.db | sed '65538,131073d' > want.csv
paanalyze export --csv saved.db > got.csv
cmp -s want.csv got.csv || fail "salvaged events differ from the undamaged chunks'"
# never over an existing file
expect_exit 1 paanalyze check --salvage good.db bad.db
grep -q 'good.db' err || fail "salvage over a file: $(cat err)"
expect_exit 0 paanalyze check good.db

# metadata that lies: a chunk's row, meta's event count, a thread's count
for lie in "UPDATE chunks SET last_ns = last_ns + 1 WHERE id = 3" \
	"UPDATE meta SET value = 5 WHERE key = 'events'" \
	"UPDATE tasks SET events = events + 1 WHERE rowid = (SELECT min(rowid) FROM tasks)"; do
	cp good.db lie.db
	sql lie.db "$lie"
	expect_exit 1 paanalyze check lie.db
	[ "$(grep -c '^lie.db: ' out)" = 2 ] || fail "$lie: $(cat out)"
done
grep -q '^lie.db: thread [0-9]*: tasks says [0-9]* events, the chunks hold [0-9]*$' out ||
	fail "tasks lie: $(cat out)"
cp good.db lie.db
sql lie.db "UPDATE chunks SET last_ns = last_ns + 1 WHERE id = 3"
expect_exit 1 paanalyze wss lie.db
grep -q 'chunk 3 (times [0-9.-]* s) is damaged: its header and its row give different time ranges' err ||
	fail "wss of a lying row: $(cat err)"

# damage below SQLite: a page of the file overwritten; reported, never a crash
cp good.db page.db
size=$(stat -c %s page.db)
dd if=/dev/urandom of=page.db bs=16384 seek=$((size / 16384 / 2)) count=1 conv=notrunc 2> /dev/null
set +e
paanalyze check page.db > out 2> err
rc=$?
set -e
[ "$rc" = 1 ] || fail "page damage: exit $rc: $(cat out err)"

# format version 1 (codec 1, no checksums: tests/unit/test_chunk.c's v1_seq blob)
gentrace --pattern seq --pages 16 --passes 2 | pacollect -q --input - -o v1.db
sql v1.db "UPDATE chunks SET data = x'50430128b52ffd601e00350200740220e80780d0dbc3f40202a0c080041f20000221a442002003200146808080c0c6c43f8041ffce070c0080c01a06000b80b2478e415c7734110688c575589413804888200c'; UPDATE meta SET value = 1 WHERE key = 'format_version'; PRAGMA user_version = 1"
expect_exit 0 paanalyze check v1.db
grep -q '^v1.db: its chunks have no checksums (format version 1)' out || fail "v1: $(cat out)"
expect_exit 0 paanalyze check --salvage v2.db v1.db
expect_exit 0 paanalyze check v2.db
grep -q 'no checksums' out && fail "salvaged v1 has checksums: $(cat out)"
[ "$(sql v2.db 'PRAGMA user_version')" = 3 ] || fail "salvaged version"
for c in "wss" "reuse" "export --csv" "info"; do
	# shellcheck disable=SC2086 # $c is a command and its options
	paanalyze $c v1.db | sed 's/v1\.db (format 1/DB (format/; s/v1\.db/DB/' > a
	# shellcheck disable=SC2086
	paanalyze $c v2.db | sed 's/v2\.db (format 3/DB (format/; s/v2\.db/DB/' > b
	grep -v '^stored ' a > a2
	grep -v '^stored ' b > b2
	cmp -s a2 b2 || fail "$c differs after salvage: $(diff a2 b2 | head -5)"
done

# usage
expect_exit 2 paanalyze check --json good.db
expect_exit 1 paanalyze check missing.db
grep -q 'missing.db' err || fail "missing: $(cat err)"
