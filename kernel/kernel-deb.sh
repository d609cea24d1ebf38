#!/usr/bin/env bash
# kernel/kernel-deb.sh — Debian packages of the patched kernel for a real machine
# (make kernel-deb). kernel/README.md says how to install, check and remove them.
#
# Usage: kernel/kernel-deb.sh [--base-config FILE] [--out DIR] [--keep-debug-info]
#   --base-config FILE  the configuration to start from: a complete one (default: the
#                       running kernel's /boot/config-$(uname -r), as distributions
#                       ship it), or a fragment merged over tinyconfig like the test
#                       kernel's (kernel/vm-test.fragment gives the test kernel itself).
#                       kernel/config.fragment, the tracer's, is merged over either.
#   --out DIR           where the packages are copied (default: build)
#   --keep-debug-info   keep the base's debug info and BTF (longer, far larger)
# Says what the build needs (packages, disk, time) before it starts; exit 1 when
# something is missing, with what to do.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf 'kernel-deb: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'kernel-deb: %s\n' "$*" >&2; }

base=/boot/config-$(uname -r)
base_given=0
out=build
keep=()
while [ $# -gt 0 ]; do
	case $1 in
	--base-config) base=$2; base_given=1; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--keep-debug-info) keep=(--keep-debug-info); shift ;;
	-h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
if [ ! -f "$base" ]; then
	[ "$base_given" = 1 ] && die "base configuration '$base' not found"
	die "the running kernel ($(uname -r)) has no $base: pass BASE_CONFIG=FILE, a complete configuration (e.g. Debian's, from the package linux-config-6.12) or a fragment such as kernel/vm-test.fragment"
fi

# --- what it needs ---------------------------------------------------------------
cache=${PAT_CACHE:-$HOME/.cache/pat}
full=0
grep -q '^# Linux/.* Kernel Configuration' "$base" && full=1
need_mb=1024
what="a fragment over tinyconfig: about 20 minutes on 2 cores (measured for the test kernel), 1 GB of disk"
if [ "$full" = 1 ]; then
	mods=$(grep -c '=m$' "$base" || true)
	need_mb=8192
	what="a complete configuration with $mods modules: several hours on 2 cores (an estimate: about 15 times the objects of the test kernel, which takes 20 minutes), 8 GB of disk"
	[ "${#keep[@]}" = 0 ] || { need_mb=32768; what="$what; with debug info about twice the time and 32 GB"; }
fi
[ -f "$cache/kernel/pristine/.pat-unpacked" ] ||
	{ need_mb=$((need_mb + 4096)); what="$what, plus 4 GB for the kernel source (once)"; }
say "base configuration: $base"
say "needs: $what"
say "packages: kernel/install-deps.sh (installs what is missing when run as root)"
"$here/install-deps.sh" || die "missing packages (see above)"
mkdir -p "$cache"
free_mb=$(df -Pm "$cache" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge "$need_mb" ] ||
	die "$cache has $free_mb MB free, the build needs about $need_mb MB (set PAT_CACHE to a larger disk)"

# --- build -------------------------------------------------------------------------
bz=$("$here/build.sh" --base-config "$base" ${keep[@]+"${keep[@]}"}) || die "the kernel build failed (see above)"
dir=$(dirname "$bz")
mkdir -p "$out"
n=0
for d in "$dir"/linux-*.deb; do
	[ -e "$d" ] || continue
	cp "$d" "$out/" && n=$((n + 1))
	echo "$out/$(basename "$d")"
done
[ "$n" -gt 0 ] || die "$dir holds no package (was it built with --no-deb?)"
img=$(ls "$out"/linux-image-*"$(cat "$dir/kernelrelease")"_*.deb 2>/dev/null | grep -v -- '-dbg_' | head -n 1)
say "$n packages in $out/; install the kernel with: sudo dpkg -i $img (see kernel/README.md, Install)"
