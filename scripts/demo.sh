#!/bin/sh
# demo.sh BUILD: the main job on a bundled trace, until live collection lands (issue 5):
# import samples/traces/threads-4x32.txt.gz into BUILD/demo/run.db and show what
# paanalyze makes of it.
set -eu
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
out="$build/demo"
mkdir -p "$out"
trace="$src/samples/traces/threads-4x32.txt.gz"

echo "== pacollect: importing $trace"
gzip -dc "$trace" | "$build/pacollect" -f --input - -o "$out/run.db"
echo
echo "== paanalyze info $out/run.db"
"$build/paanalyze" info "$out/run.db"
for cmd in wss heatmap; do
	if "$build/paanalyze" help "$cmd" > /dev/null 2>&1; then
		echo
		echo "== paanalyze $cmd $out/run.db"
		"$build/paanalyze" "$cmd" "$out/run.db"
	fi
done
if "$build/paanalyze" help heatmap > /dev/null 2>&1; then
	"$build/paanalyze" heatmap --json "$out/run.db" > "$out/heatmap.json"
fi
echo
echo "Files: $out/run.db$( [ -f "$out/heatmap.json" ] && echo " $out/heatmap.json")"
