# Every file paanalyze writes (--png, --svg, report -o, export -o, check --salvage) that cannot be
# written: a directory, a missing parent, a read-only location, a full device, a file
# grown past its limit. Each must exit 1 with one line naming the file and the problem,
# and leave nothing behind; a device or FIFO is written in place, never replaced.
. "$SRC/tests/cli/lib.sh"

gentrace --pattern random --pages 4000 --events 60000 > r.txt
pacollect -q --input r.txt -o r.db
rm r.txt
mkdir adir ro
# what the directories hold but for expect_exit's out and err
files() {
	ls -A . adir ro | grep -vx 'out\|err'
}
before=$(files)

# the outputs: "OPTION..." with the file to write as its last word left out
outputs='heatmap --png
heatmap --svg
heatmap --by page --png
wss --png
wss --svg
wss --curve --png
reuse --png
reuse --svg
report -o
export --csv -o
export --jsonl --output
check --salvage'

# try PROBLEM FILE: every output into FILE fails naming FILE and PROBLEM, leaves nothing
try() {
	problem=$1
	file=$2
	shift 2
	while read -r opts; do
		# shellcheck disable=SC2086 # $opts is a list of words
		expect_exit 1 "$@" paanalyze $opts "$file" r.db
		[ "$(wc -l < err)" -eq 1 ] && grep -qF "$file: $problem" err ||
			fail "$opts $file: want '$file: $problem', got: $(cat err)"
		[ "$(files)" = "$before" ] ||
			fail "$opts $file ($problem) left: $(files | tr '\n' ' ')"
	done <<EOF
$outputs
EOF
}

try "Is a directory" adir
try "No such file or directory" nodir/x.out

# a read-only place: a read-only bind mount as root, a directory without write
# permission for anyone else (as root without a mount namespace: as nobody)
if [ "$(id -u)" -ne 0 ]; then
	chmod 555 ro
	try "Permission denied" ro/x.out
elif unshare -m true 2> /dev/null; then
	cat > in-ro.sh <<'EOF'
mount --bind ro ro && mount -o remount,ro,bind ro ro && exec "$@"
EOF
	before=$(files)
	try "Read-only file system" ro/x.out unshare -m sh in-ro.sh
else
	chmod 755 . && chmod 755 ro
	try "Permission denied" ro/x.out setpriv --reuid=65534 --regid=65534 --clear-groups
fi

# a full device, through a link to /dev/full: written in place (the link and the device
# stay as they are), and the full disk named. --salvage makes a new file only.
ln -s /dev/full full
before=$(files)
all=$outputs
outputs=$(echo "$outputs" | grep -v salvage)
try "No space left on device" full
outputs=$all
[ -L full ] && [ "$(readlink full)" = /dev/full ] && [ -c /dev/full ] ||
	fail "the link to /dev/full was replaced"
expect_exit 1 paanalyze check --salvage full r.db
grep -qF "full: File exists" err || fail "--salvage over a device: $(cat err)"

# a file grown past its limit (RLIMIT_FSIZE, as a full disk would stop it): 4 KiB holds
# no picture; 100 KB holds a new database's tables (4 KiB pages) but not r.db's chunks
# (about 200 KB)
cat > limited.py <<'EOF'
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
os.execvp(sys.argv[2], sys.argv[2:])
EOF
before=$(files)
outputs=$(echo "$all" | grep -v salvage)
try "File too large" big.out "$PYTHON" limited.py 4096
# SQLite forgets the system's reason when it rolls a failed commit back
outputs="check --salvage"
try "cannot commit: disk I/O error" big.out "$PYTHON" limited.py 100000
outputs=$all

# a run database is never replaced by output: not another run, not the one being read
# (a picture's name and the database swapped on the command line)
cp r.db other.db
md5=$(md5sum < r.db)
while read -r opts; do
	[ "$opts" = "check --salvage" ] && continue
	for target in other.db r.db; do
		# shellcheck disable=SC2086 # $opts is a list of words
		expect_exit 1 paanalyze $opts "$target" r.db
		[ "$(wc -l < err)" -eq 1 ] && grep -qF "$target: it is an SQLite database" err ||
			fail "$opts $target: $(cat err)"
		[ "$(md5sum < "$target")" = "$md5" ] || fail "$opts replaced $target"
	done
done <<EOF
$outputs
EOF

# a FIFO is written in place, as a shell's > would: what comes out is the picture
paanalyze reuse --svg want.svg r.db
mkfifo pipe
cat pipe > got.svg &
paanalyze reuse --svg pipe r.db || fail "--svg into a FIFO"
wait
[ -p pipe ] || fail "the FIFO was replaced"
cmp -s want.svg got.svg || fail "what came through the FIFO is not the picture"

# a link to a regular file: the file is replaced, the link kept
ln -s want.svg link.svg
paanalyze wss --svg link.svg r.db || fail "--svg through a link"
[ -L link.svg ] && grep -q "working set" want.svg || fail "the link was not followed"

# a read-only file is not replaced
paanalyze reuse --png keep.png r.db
chmod 444 keep.png
if [ "$(id -u)" -ne 0 ]; then
	expect_exit 1 paanalyze wss --png keep.png r.db
	grep -qF "keep.png: Permission denied" err || fail "read-only file: $(cat err)"
fi
echo ok
