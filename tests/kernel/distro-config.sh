#!/usr/bin/env bash
# tests/kernel/distro-config.sh — `make kernel-deb` on a distribution's configuration,
# configured only (a full build of it takes hours): Debian's own amd64 configuration of
# the same 6.12 release (package linux-config-6.12) as BASE_CONFIG. Passes when
# kernel/build.sh honours every line of kernel/config.fragment (it checks that itself),
# the release is VERSION-pat, and the resulting .config differs from Debian's only
# where kernel/build.sh says it changes it: the tracer, the module signing keys, debug
# info and BTF (and what the compiler found here, e.g. its version text). Anything else
# would mean that the series' fragment overrides a distribution's choice.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz
fail() { echo "FAIL distro-config: $*"; exit 1; }
[ -f "$src" ] || fail "$src missing (Debian package linux-config-6.12; kernel/install-deps.sh)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
xz -dc "$src" > "$work/config"

cfg=$("$top/kernel/build.sh" --base-config "$work/config" --configure-only 2>"$work/log") ||
	{ cat "$work/log"; fail "kernel/build.sh --base-config $src --configure-only failed"; }
release=$(sed -n 's/.*configured (release \([^)]*\)).*/\1/p' "$work/log")
case $release in
*-pat) ;;
*) fail "release '$release' does not end in -pat" ;;
esac

# Every option whose line differs, by name; those kernel/build.sh changes on purpose
# or that describe the build machine are allowed.
allowed='^(TRACE_PAGE_ACCESS|MODULE_SIG_KEY|MODULE_SIG_ALL|SYSTEM_TRUSTED_KEYS|SYSTEM_REVOCATION_KEYS|DEBUG_INFO.*|.*BTF.*|PAHOLE_.*|GDB_SCRIPTS|SCHED_CLASS_EXT|CC_VERSION_TEXT|BUILD_SALT|RUSTC_.*|GCC_VERSION|CLANG_VERSION|LD_VERSION|AS_VERSION|CC_HAS_.*|CC_CAN_.*|AS_HAS_.*|LD_CAN_.*|LD_IS_.*|TOOLS_SUPPORT_.*)$'
opts() { sed -n 's/^CONFIG_\([A-Za-z0-9_]*\)=.*/\1 &/p; s/^# CONFIG_\([A-Za-z0-9_]*\) is not set/\1 &/p' "$1" | sort; }
changed=$({ diff <(opts "$work/config") <(opts "$cfg") || true; } | sed -n 's/^[<>] \([A-Za-z0-9_]*\) .*/\1/p' | sort -u)
unexpected=$(printf '%s\n' "$changed" | grep -Ev "$allowed" | grep -v '^$' || true)
[ -z "$unexpected" ] || fail "options changed from Debian's configuration: $(echo $unexpected)"
grep -q '^CONFIG_TRACE_PAGE_ACCESS=y' "$cfg" || fail "CONFIG_TRACE_PAGE_ACCESS not set in $cfg"
echo "PASS distro-config: Debian's amd64 configuration + kernel/config.fragment -> $release;" \
	"$(printf '%s\n' "$changed" | grep -c .) options changed, all by design"
