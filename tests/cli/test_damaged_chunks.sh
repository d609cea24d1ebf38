# Damaged chunks: every analysis either reads the run (a flipped bit no reader uses,
# such as one of a column it does not decode) with the undamaged run's answer, or stops
# with exit 1 and one message naming the file, the chunk and its time range; never
# another answer, a crash, a hang or another exit status. (Damage that shows only in a
# later piece of a chunk, found by the reader thread mid-chunk, is
# tests/unit/test_ahead.c's.)
. "$SRC/tests/cli/lib.sh"

# Random single-bit flips in the chunk blobs of a real trace (one chunk of 43958 events)
# and of a synthetic one (four chunks): wss gives the right answer or refuses, never
# another answer (before checksums: 7 of 30 flips gave another answer with exit 0).
zcat "$SRC/samples/traces/real-phases.txt.gz" | pacollect -q --input - -o phases.db
"$PYTHON" "$SRC/tests/cli/bitflips.py" phases.db 150 1 wss > figures ||
	fail "$(cat figures)"
cat figures

# four chunks of 64Ki events; chunk 2 is damaged at one byte at a time
gentrace --pattern random --pages 5000 --events 200000 --seed 4 > rnd.txt
pacollect -q --input rnd.txt -o good.db
[ "$(sqlite3 good.db 'SELECT count(*) FROM chunks')" -ge 3 ] || fail "fewer than 3 chunks"
len=$(sqlite3 good.db 'SELECT length(data) FROM chunks WHERE id = 2')
for cmd in "wss" "reuse" "export --csv"; do
	# shellcheck disable=SC2086 # $cmd is a command and its options
	"$PYTHON" "$SRC/tests/cli/bitflips.py" good.db 60 2 $cmd > figures || fail "$(cat figures)"
	cat figures
done

# flip DB OFFSET: a copy of good.db with byte OFFSET of chunk 2 inverted
flip() {
	cp good.db "$1"
	"$PYTHON" - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
data = bytearray(db.execute("SELECT data FROM chunks WHERE id = 2").fetchone()[0])
data[int(sys.argv[2])] ^= 0xff
db.execute("UPDATE chunks SET data = ? WHERE id = 2", (bytes(data),))
db.commit()
PY
}

failed=0
offsets="1 3 5 8 12 20 40 100 $((len / 4)) $((len / 2)) $((len * 3 / 4)) $((len - 2)) $((len - 1))"
for at in $offsets; do
	flip bad.db "$at"
	for cmd in "info" "wss" "wss --curve" "reuse" "heatmap" "export --csv"; do
		set +e
		# shellcheck disable=SC2086 # $cmd is a command and its options
		timeout 60 paanalyze $cmd bad.db > out 2> err
		rc=$?
		set -e
		case $rc in
		0) ;;
		1)
			[ "$(wc -l < err)" = 1 ] || fail "$cmd, byte $at: $(cat err)"
			grep -q '^paanalyze: bad.db: chunk 2 (times [0-9.-]* s) is damaged: ' err ||
				grep -q '^paanalyze: bad.db: database is damaged' err ||
				fail "$cmd, byte $at: $(cat err)"
			failed=$((failed + 1))
			;;
		*) fail "$cmd, byte $at: exit $rc: $(cat err)" ;;
		esac
	done
done
# most flips are caught; the run is not read as if nothing happened
[ "$failed" -ge 40 ] || fail "only $failed of 78 runs refused the damage"

# data that is not a blob at all
cp good.db text.db
sqlite3 text.db "UPDATE chunks SET data = 'PC' WHERE id = 2"
expect_exit 1 paanalyze wss text.db
grep -q 'text.db: chunk 2 (times [0-9.-]* s) is damaged' err || fail "text data: $(cat err)"
