#!/usr/bin/env bash
# kernel/deb-vmlinuz.sh — take the kernel out of a build's linux-image package, as
# dpkg would install it, so that the tests boot what users install.
#
# Usage: kernel/deb-vmlinuz.sh IMAGE_DIR OUT_DIR
#   IMAGE_DIR: the directory of a bzImage from kernel/build.sh (its packages are there).
#   Unpacks the linux-image-*.deb into OUT_DIR (emptied first) with `dpkg-deb -x` and
#   prints "PATH RELEASE PACKAGE": the unpacked /boot/vmlinuz-RELEASE, the release
#   and the package's file name. Exit 1 with a message when there is no package.
set -euo pipefail

die() { printf 'kernel/deb-vmlinuz.sh: error: %s\n' "$*" >&2; exit 1; }
[ $# = 2 ] || die "usage: kernel/deb-vmlinuz.sh IMAGE_DIR OUT_DIR"
dir=$1 out=$2
debs=()
while IFS= read -r -d '' d; do debs+=("$d"); done \
	< <(find "$dir" -maxdepth 1 -name 'linux-image-*.deb' ! -name 'linux-image-*-dbg_*' -print0)
[ ${#debs[@]} = 1 ] ||
	die "$dir holds ${#debs[@]} linux-image packages, not 1 (was the kernel built with --no-deb?)"
rm -rf "$out"
mkdir -p "$out"
dpkg-deb -x "${debs[0]}" "$out" || die "dpkg-deb -x ${debs[0]} failed"
vmlinuz=$(find "$out/boot" -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] || die "${debs[0]} has no /boot/vmlinuz-*"
printf '%s %s %s\n' "$(cd "$(dirname "$vmlinuz")" && pwd)/$(basename "$vmlinuz")" \
	"${vmlinuz##*/vmlinuz-}" "$(basename "${debs[0]}")"
