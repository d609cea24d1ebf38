#!/bin/sh
# install-deps.sh GROUP...: make sure the Debian packages of each group are installed.
# As root, missing packages are installed with apt-get; otherwise the missing ones are
# named and the script fails. Groups: build, test, fuzz, bench.
set -eu

pkgs=
for group in "$@"; do
	case "$group" in
	build) pkgs="$pkgs gcc make libc6-dev libsqlite3-dev libzstd-dev libjansson-dev libdw-dev libpng-dev" ;;
	fuzz) pkgs="$pkgs clang" ;;
	test) pkgs="$pkgs libcmocka-dev python3 python3-jsonschema python3-pandas sqlite3 time bash-completion groff-base man-db chromium" ;;
	bench) pkgs="$pkgs zstd sqlite3 python3" ;;
	*) echo "install-deps.sh: unknown group '$group'" >&2; exit 2 ;;
	esac
done

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: missing Debian packages:$missing" >&2
	echo "install-deps.sh: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "install-deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || apt-get update >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
