#!/usr/bin/env bash
# kernel/install-deps.sh — install what the kernel build and the qemu tests need (Debian 12).
#
# Usage: kernel/install-deps.sh [--check]
#   Does nothing when every package is installed. Otherwise, as root, apt-get installs the
#   missing ones; not as root (or with --check), names them and fails.
set -euo pipefail

# dpkg-dev, debhelper, kmod and rsync: the kernel's `make bindeb-pkg` (the packages);
# linux-config-6.12: Debian's own configurations (tests/kernel/distro-config.sh).
# libnuma-dev, libcap-dev: static libraries of the mm selftests (tests/kernel/mm-selftests.sh).
pkgs=(linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
      dpkg-dev debhelper kmod rsync linux-config-6.12 qemu-system-x86 busybox-static
      libnuma-dev libcap-dev)
check_only=0
[ "${1:-}" = --check ] && check_only=1

command -v dpkg-query >/dev/null ||
	{ echo "kernel/install-deps.sh: error: dpkg-query not found; this script expects Debian 12; needed: ${pkgs[*]}" >&2; exit 1; }
missing=()
for p in "${pkgs[@]}"; do
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$check_only" = 1 ] || [ "$(id -u)" != 0 ]; then
	echo "kernel/install-deps.sh: error: missing packages: ${missing[*]}" >&2
	echo "  install them with: sudo apt-get install ${missing[*]}" >&2
	echo "  (or run: sudo kernel/install-deps.sh)" >&2
	exit 1
fi
echo "kernel/install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || { echo "kernel/install-deps.sh: error: apt-get update failed" >&2; exit 1; }
apt-get install -y -q --no-install-recommends "${missing[@]}" ||
	{ echo "kernel/install-deps.sh: error: apt-get install ${missing[*]} failed" >&2; exit 1; }
