#!/usr/bin/env bash
# kernel/run-vm.sh — boot a bzImage + initramfs in qemu (TCG only) and bring results back.
#
# Usage: kernel/run-vm.sh --kernel BZIMAGE --initrd INITRAMFS --out DIR
#                         [--timeout SEC] [--mem MB] [--smp N] [--append ARGS] [-v]
#
# The guest (/init of kernel/mkinitramfs.sh) runs /test.sh, then sends a gzip'ed tar of its
# /out directory over the second serial port (ttyS1, a file on the host) as base64 between
# "PAT-RESULTS-BEGIN <size> <sha256>" and "PAT-RESULTS-END" lines. This script decodes it,
# checks size and sha256, and unpacks it into DIR: files arrive byte-exact.
#
# DIR afterwards holds: console.log (the guest console), channel.log (the raw results
# channel), and the guest's /out: test.log, status, dmesg.txt and whatever /test.sh wrote.
#
# Exit status: the guest's /test.sh status when the results arrived; 124 when the guest
# did not finish within --timeout (default 600 s); 1 for any other failure (qemu error,
# guest panic, missing or corrupt results).
#
# KVM is never used (-accel tcg): /dev/kvm hangs on the machines this runs on.
set -euo pipefail

log() { printf 'kernel/run-vm.sh: %s\n' "$*" >&2; }
die() { printf 'kernel/run-vm.sh: error: %s\n' "$*" >&2; exit 1; }

kernel= initrd= out=
tmo=${PAT_VM_TIMEOUT:-600}
mem=${PAT_VM_MEM:-1024}
smp=${PAT_VM_SMP:-2}
append=
verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	-v|--verbose) verbose=1; shift ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$kernel" ] && [ -f "$kernel" ] || die "kernel image '${kernel:-}' not found (--kernel)"
[ -n "$initrd" ] && [ -f "$initrd" ] || die "initramfs '${initrd:-}' not found (--initrd)"
[ -n "$out" ] || die "missing --out DIR"
qemu=${QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || die "$qemu not found (install qemu-system-x86)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
console=$out/console.log
channel=$out/channel.log
rm -f "$console" "$channel" "$out/status"
: > "$console"
: > "$channel"

cmdline="console=ttyS0 panic=-1 rdinit=/init ${append}"
log "booting $(basename "$kernel") (TCG, -smp $smp, -m $mem, timeout ${tmo}s); console: $console"
start=$(date +%s)
tail_pid=
if [ "$verbose" = 1 ]; then
	tail -n +1 -f "$console" >&2 &
	tail_pid=$!
fi
set +e
timeout -k 10 "$tmo" "$qemu" \
	-accel tcg -cpu max -m "$mem" -smp "$smp" \
	-nographic -no-reboot -monitor none \
	-serial "file:$console" -serial "file:$channel" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	</dev/null >"$out/qemu.log" 2>&1
rc=$?
set -e
if [ -n "$tail_pid" ]; then sleep 0.2; kill "$tail_pid" 2>/dev/null || true; wait "$tail_pid" 2>/dev/null || true; fi
elapsed=$(( $(date +%s) - start ))

show_console() {
	log "last lines of the guest console ($console):"
	tail -n "${1:-30}" "$console" | tr -d '\r' >&2
}
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	log "error: the guest did not finish within ${tmo}s (killed)"
	show_console
	exit 124
fi
if [ "$rc" != 0 ]; then
	log "error: $qemu exited with status $rc after ${elapsed}s:"
	cat "$out/qemu.log" >&2
	show_console
	exit 1
fi
if grep -q 'Kernel panic' "$console"; then
	log "error: the guest kernel panicked"
	show_console 60
	exit 1
fi

# Decode the results channel.
tr -d '\r' < "$channel" | awk -v dir="$out" '
	/^PAT-RESULTS-BEGIN / { inside = 1; print $2, $3 > (dir "/.results.hdr"); next }
	/^PAT-RESULTS-END/ { if (inside) { end = 1; inside = 0 } next }
	inside { print > (dir "/.results.b64") }
	END { exit end ? 0 : 1 }' ||
	{ log "error: no complete PAT-RESULTS block in $channel (guest finished after ${elapsed}s)"; show_console; exit 1; }
read -r size sum < "$out/.results.hdr"
base64 -d < "$out/.results.b64" > "$out/.results.tgz" ||
	die "results from the guest are not valid base64 ($channel)"
got_size=$(wc -c < "$out/.results.tgz")
got_sum=$(sha256sum < "$out/.results.tgz" | cut -d' ' -f1)
[ "$got_size" = "$size" ] && [ "$got_sum" = "$sum" ] ||
	die "results corrupted in transit: $got_size bytes sha256 $got_sum, guest sent $size bytes sha256 $sum"
tar -xzf "$out/.results.tgz" -C "$out" || die "unpacking the results into $out failed"
rm -f "$out/.results.hdr" "$out/.results.b64" "$out/.results.tgz"

[ -f "$out/status" ] || die "the guest sent no status file"
status=$(cat "$out/status")
log "guest finished in ${elapsed}s, /test.sh status $status, results in $out ($size bytes transferred)"
case $status in ''|*[!0-9]*) die "bad status '$status' from the guest" ;; esac
exit "$status"
