# Errors name the file and the problem: an empty file, a file that is not SQLite, a
# page size that is no power of two, a database locked by a writer (a bounded wait),
# a WAL database on a read-only medium; and a FIFO named in a mapping is never opened.
. "$SRC/tests/cli/lib.sh"

gentrace --pattern seq --pages 8 --passes 2 | pacollect -q --input - -o t.db

: > empty.db
expect_exit 1 paanalyze wss empty.db
grep -qx 'paanalyze: empty.db: an empty file, not a pat database' err || fail "empty: $(cat err)"
printf 'x' > short.db
expect_exit 1 paanalyze wss short.db
grep -qx 'paanalyze: short.db: not a pat database (not even SQLite)' err || fail "short: $(cat err)"

cp t.db page.db
sqlite3 page.db "UPDATE meta SET value = 12 WHERE key = 'page_size'"
for c in info wss reuse heatmap "export --csv"; do
	# shellcheck disable=SC2086 # $c is a command and its options
	expect_exit 1 paanalyze $c page.db
	grep -qx 'paanalyze: page.db: meta page_size 12 is not a power of two' err ||
		fail "$c, page size: $(cat err)"
done

# a writer holding the database locked for 8 s: a reader waits 5 s, then says so
cp t.db locked.db
"$PYTHON" -c '
import sqlite3, time
c = sqlite3.connect("locked.db", isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
c.execute("UPDATE meta SET value = value WHERE key = \"source\"")
open("held", "w").close()
time.sleep(8)
' &
holder=$!
while [ ! -e held ]; do sleep 0.1; done
start=$(date +%s)
expect_exit 1 paanalyze info locked.db
waited=$(($(date +%s) - start))
wait "$holder"
grep -q 'locked.db: locked by another process for more than 5 s' err || fail "locked: $(cat err)"
[ "$waited" -ge 4 ] && [ "$waited" -le 7 ] || fail "waited $waited s"

# a FIFO where a mapped file should be: heatmap names no function there, and returns
mkfifo fifo
sqlite3 t.db "INSERT INTO maps (time_ns, tgid, op, start_addr, end_addr, prot, pgoff, path)
	SELECT min(first_ns), 4242, 'snapshot', 0, 140737488355327, 'r-xp', 0, '$PWD/fifo'
	FROM chunks"
sqlite3 t.db "UPDATE maps SET tgid = (SELECT tgid FROM tasks LIMIT 1)"
# (without the fix, heatmap blocks in open() of the FIFO, and timeout ends it: exit 124)
expect_exit 0 timeout 30 paanalyze heatmap t.db
if command -v strace > /dev/null; then
	# LeakSanitizer cannot run under ptrace; the sanitized build skips only that check
	expect_exit 0 env ASAN_OPTIONS=detect_leaks=0 timeout 30 strace -f -o trace paanalyze heatmap t.db
	grep -q 'stat.*fifo' trace || fail "the mapping's file was not looked at"
	grep 'open.*fifo' trace && fail "the FIFO was opened"
fi

# WAL on a read-only medium, without its -shm: what to do (needs a read-only bind mount)
mkdir rw ro
cp t.db rw/w.db
"$PYTHON" -c '
import os, sqlite3
c = sqlite3.connect("rw/w.db")
c.execute("PRAGMA journal_mode=WAL")
c.execute("CREATE TABLE x (y)")
c.commit()
os._exit(0)
'
rm -f rw/w.db-shm
if mount --bind rw ro 2> /dev/null && mount -o remount,ro,bind ro 2> /dev/null; then
	set +e
	paanalyze info ro/w.db > out 2> err
	rc=$?
	set -e
	umount ro
	[ "$rc" = 1 ] || fail "WAL read-only: exit $rc"
	grep -q "ro/w.db: in WAL mode .* copy it (with its -wal file) to writable storage" err ||
		fail "WAL read-only: $(cat err)"
else
	umount ro 2> /dev/null || true
	echo "skipped the read-only medium: no bind mount here"
fi

# control characters in names and paths: escaped in tables, as JSON says in --json
cp t.db ctl.db
sqlite3 ctl.db "UPDATE tasks SET comm = 'a' || char(27) || '[31mred'; UPDATE maps SET path = '/x' || char(10) || 'y'"
expect_exit 0 paanalyze info ctl.db
grep -q ' a\\x1b\[31mred ' out || fail "comm not escaped: $(cat -v out)"
grep -q '/x\\x0ay' out || fail "path not escaped: $(cat -v out)"
[ "$(tr -d '\n' < out | tr -d '[:print:]' | wc -c)" = 0 ] || fail "control characters in the table"
expect_exit 0 paanalyze info --json ctl.db
grep -qi 'a\\u001b\[31mred' out || fail "JSON: $(cat -v out)"
