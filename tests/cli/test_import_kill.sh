# An import killed (kill -9) at random points leaves either nothing under its name or
# the whole database, and the next import into the directory removes what it left
# (FILE.tmp-PID and its -wal, -shm); a running import's files are left alone. An input
# that shrinks under the import ends it with an exit status, never SIGBUS.
. "$SRC/tests/cli/lib.sh"

gentrace --pattern random --pages 20000 --events 600000 --seed 9 > big.txt
gentrace --pattern seq --pages 4 --passes 1 > small.txt
start=$(date +%s%N)
pacollect -q --input big.txt -o ref.db
ms=$((($(date +%s%N) - start) / 1000000))
paanalyze export --csv ref.db | md5sum > ref.md5

# only these names may be in the directory (and out.db, whole)
only() {
	extra=$(ls | grep -vxE 'big\.txt|small\.txt|ref\.db|ref\.md5|out\.db|other\.db|out|err' || true)
	[ -z "$extra" ] || fail "$1: left behind: $extra"
}

debris=0
for k in 1 2 3 4 5 6; do
	rm -f out.db other.db
	at=$(awk -v s="$k" -v ms="$ms" 'BEGIN { srand(s); printf "%.3f", rand() * ms * 1.2 / 1000 }')
	pacollect -q --input big.txt -o out.db &
	pid=$!
	sleep "$at"
	kill -9 "$pid" 2> /dev/null || true
	wait "$pid" 2> /dev/null || true
	ls | grep -q "^out\.db\.tmp-$pid" && debris=$((debris + 1))
	if [ -e out.db ]; then	# finished before the kill: all of it
		expect_exit 0 paanalyze check out.db
		paanalyze export --csv out.db | md5sum | cmp -s - ref.md5 || fail "kill at $at s: out.db differs"
	fi
	# the next import into the directory takes the dead import's files away
	pacollect -q --input small.txt -o other.db
	only "kill at $at s"
	echo "killed at $at s of $ms ms"
done
echo "$debris of 6 kills left files for the next import to remove"

# a dead process's files go, a running one's stay
sh -c 'exit 0' &
dead=$!
wait "$dead"
touch "out.db.tmp-$dead" "out.db.tmp-$dead-wal" "out.db.tmp-$dead-shm" "out.db.tmp-$$" "out.db.tmp-$$-wal"
echo "someone else's" > "notes.tmp-$dead"
rm -f other.db
pacollect -q --input small.txt -o other.db
[ -e "out.db.tmp-$$" ] && [ -e "out.db.tmp-$$-wal" ] || fail "a running process's files removed"
[ -e "out.db.tmp-$dead" ] && fail "a dead process's files stayed"
[ -e "notes.tmp-$dead" ] || fail "a file that is no database removed"
rm -f "out.db.tmp-$$" "out.db.tmp-$$-wal" "notes.tmp-$dead"
only "dead and alive"

# -f replaces a database file, never anything else
mkdir dir.db
expect_exit 1 pacollect -q -f --input small.txt -o dir.db
grep -q 'dir.db exists; not a regular file' err || fail "-f over a directory: $(cat err)"
ln -s big.txt link.db
expect_exit 1 pacollect -q -f --input small.txt -o link.db
[ -L link.db ] || fail "-f replaced a symbolic link"
rm -r dir.db link.db

# an input cut short under the import: an exit status, never a signal
cp big.txt shrink.txt
set +e
pacollect -q --input shrink.txt -o cut.db 2> err &
pid=$!
sleep 0.05
truncate -s 1000000 shrink.txt
wait "$pid"
rc=$?
set -e
case $rc in 0 | 1 | 3) ;; *) fail "input cut short: exit $rc: $(cat err)" ;; esac
