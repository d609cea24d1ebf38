#!/usr/bin/env bash
# kernel/vm.sh — one-shot: build (or reuse) the kernel, pack an initramfs, boot it, bring
# results back. The building block for `make vm-test` and for running host tools such as
# pacollect inside the VM.
#
# Usage: kernel/vm.sh --script GUEST_SCRIPT --out DIR [--bin HOST[:GUEST]]...
#                     [--file HOST[:GUEST]]... [--dir HOSTDIR[:GUESTDIR]]...
#                     [--kernel BZIMAGE] [--timeout SEC] [--mem MB] [--smp N] [-v]
#
# GUEST_SCRIPT runs as root in the guest with PAT_OUT=/out; everything it writes to /out
# arrives byte-exact in DIR (with console.log, test.log, status and dmesg.txt).
# --bin takes static or dynamically linked executables (libraries and loader are added).
# Without --kernel, kernel/build.sh builds or reuses the cached bzImage.
# Exit status: that of kernel/run-vm.sh (the guest script's status, 124 on timeout).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf 'kernel/vm.sh: error: %s\n' "$*" >&2; exit 1; }

kernel= out= script=
mkargs=() runargs=()
while [ $# -gt 0 ]; do
	case $1 in
	--script) script=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--bin|--file|--dir) mkargs+=("$1" "$2"); shift 2 ;;
	--timeout|--mem|--smp|--append) runargs+=("$1" "$2"); shift 2 ;;
	-v|--verbose) runargs+=("$1"); shift ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$script" ] || die "missing --script GUEST_SCRIPT"
[ -n "$out" ] || die "missing --out DIR"
if [ -z "$kernel" ]; then
	kernel=$("$here/build.sh") || die "kernel build failed (kernel/build.sh)"
fi
# The initramfs lives in the cache, outside the checkout, and only for this run.
cache=${PAT_CACHE:-$HOME/.cache/pat}
mkdir -p "$out" "$cache/tmp"
initrd=$(mktemp "$cache/tmp/initramfs.XXXXXX")
trap 'rm -f "$initrd"' EXIT
"$here/mkinitramfs.sh" -o "$initrd" --script "$script" ${mkargs[@]+"${mkargs[@]}"} ||
	die "building the initramfs failed"
"$here/run-vm.sh" --kernel "$kernel" --initrd "$initrd" --out "$out" ${runargs[@]+"${runargs[@]}"}
