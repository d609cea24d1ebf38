#!/bin/sh
# demo.sh BUILD: the main job, end to end. Boots the patched kernel (built and cached by
# `make kernel`) in qemu, runs `pacollect -o run.db` on samples/programs/phases inside,
# brings run.db back and shows what paanalyze makes of it. Run by `make demo`.
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
out="$build/demo"
prog="$out/phases"	# the same path in the guest, so symbols resolve on the host
mkdir -p "$out"
start=$(date +%s)

# The guest's script: trace the program, keep its output.
cat > "$out/guest.sh" <<GUEST
#!/bin/sh
cd /out
echo "guest: pacollect -o run.db $prog"
pacollect -o /out/run.db "$prog" > /out/program.out 2> /out/pacollect.err
echo \$? > /out/pacollect.exit
cat /out/pacollect.err
GUEST

echo "== building the guest's initramfs (pacollect with its libraries, the program)"
"$src/kernel/mkinitramfs.sh" -o "$out/initramfs.cpio.gz" --script "$out/guest.sh" \
	--bin "$build/pacollect" --bin "$prog:$prog" 2>&1 | sed 's/^/   /'
echo "== booting the patched kernel in qemu (TCG) and tracing $prog"
rm -rf "$out/vm"
if ! "$src/kernel/run-vm.sh" --kernel "$(cat "$build/kernel/bzImage.path")" \
	--initrd "$out/initramfs.cpio.gz" --out "$out/vm" --timeout 600 2> "$out/vm.log"; then
	echo "demo: the VM run failed; see $out/vm.log and $out/vm/console.log" >&2
	tail -n 20 "$out/vm.log" >&2
	exit 1
fi
sed 's/^/   /' "$out/vm/pacollect.err"
rc=$(cat "$out/vm/pacollect.exit")
[ "$rc" = 0 ] || { echo "demo: pacollect exited $rc in the guest" >&2; exit 1; }
cp "$out/vm/run.db" "$out/run.db"

echo
echo "== paanalyze info $out/run.db"
"$build/paanalyze" info "$out/run.db"
echo
echo "== paanalyze wss --window 100ms (pages per 100 ms: the init, hot and stride phases)"
"$build/paanalyze" wss --window 100ms "$out/run.db"
echo
echo "== paanalyze heatmap --top 8 --bins 40"
"$build/paanalyze" heatmap --top 8 --bins 40 "$out/run.db"
"$build/paanalyze" heatmap --json "$out/run.db" > "$out/heatmap.json"
"$build/paanalyze" wss --json --window 100ms "$out/run.db" > "$out/wss.json"
"$build/paanalyze" reuse --json "$out/run.db" > "$out/reuse.json"
echo
echo "demo: done in $(( $(date +%s) - start )) s. Files:"
echo "   $out/run.db         the run database (paanalyze info|wss|reuse|heatmap|export $out/run.db)"
echo "   $out/heatmap.json   per-instruction heatmap"
echo "   $out/wss.json       working sets per 100 ms window"
echo "   $out/reuse.json     reuse distances and miss-ratio curve"
echo "   $out/vm/            the guest's console log and dmesg"
