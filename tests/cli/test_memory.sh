# Memory of the analyses is bounded by distinct pages, not by events, nor by how the
# pages are spread over the address space: peak RSS of wss, wss --curve, reuse and info
# over 2 million events on 1000 pages stays far below what keeping anything per event
# would take (2e6 events * 16 bytes = 32 MB on top of the
# ~7 MB a run over a tiny database takes, and of the ~12 MB that reading chunks of
# 65536 events one ahead in a thread takes).
. "$SRC/tests/cli/lib.sh"

case "$BUILD" in
*asan*)
	echo "skipped: RSS under AddressSanitizer says nothing about the program"
	exit 0 ;;
esac
[ -x /usr/bin/time ] || fail "GNU time is missing (scripts/install-deps.sh test)"

gentrace --pattern random --pages 1000 --events 2000000 --seed 3 | pacollect -q -f --input - -o big.db
[ "$(sqlite3 big.db 'SELECT sum(events) FROM chunks')" = 2000000 ] || fail "import"
gentrace --pattern seq --pages 10 --passes 2 | pacollect -q -f --input - -o tiny.db

limit_kb=24000
for cmd in "wss" "wss --curve" "reuse" "reuse --sample 0.5" "info"; do
	# shellcheck disable=SC2086
	/usr/bin/time -f '%M' -o rss paanalyze $cmd --json big.db > out.json ||
		fail "paanalyze $cmd failed"
	kb=$(tail -n 1 rss)
	# shellcheck disable=SC2086
	/usr/bin/time -f '%M' -o rss0 paanalyze $cmd --json tiny.db > /dev/null
	echo "$cmd: peak RSS $kb KB over 2e6 events, $(tail -n 1 rss0) KB over 20"
	[ "$kb" -lt "$limit_kb" ] || fail "paanalyze $cmd: peak RSS $kb KB >= $limit_kb KB"
done
# the answer was computed over all the events
[ "$(json_get out.json 'd["events"]')" = 2000000 ] || fail "info did not read every event"

# Pages scattered over the 47-bit address space, one in each 256-page region: at most
# 64 bytes a distinct page, the process itself included (10^6 pages, touched twice).
gentrace --pattern chase --pages 1000000 --passes 2 --scatter | pacollect -q -f --input - -o scat.db
for cmd in "wss" "wss --curve" "reuse" "info"; do
	# shellcheck disable=SC2086
	/usr/bin/time -f '%M' -o rss paanalyze $cmd --json scat.db > out.json ||
		fail "paanalyze $cmd failed on scattered pages"
	kb=$(tail -n 1 rss)
	echo "$cmd: peak RSS $kb KB over 10^6 scattered pages"
	[ "$kb" -le 62500 ] || fail "paanalyze $cmd: $kb KB > 64 bytes a page over 10^6 pages"
done
[ "$(json_get out.json 'd["pages"]')" = 1000000 ] || fail "info: not 10^6 pages: $(cat out.json)"
