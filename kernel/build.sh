#!/usr/bin/env bash
# kernel/build.sh — build the x86_64 kernel with the pat patch series: bzImage and packages.
#
# Source:   Debian's linux-source-6.12 tarball (/usr/src/linux-source-6.12.tar.xz).
# Patches:  kernel/patches/*.patch, applied in name order with `git am`.
# Config:   tinyconfig + kernel/config.fragment (the tracer's) + kernel/vm-test.fragment
#           (what the VM tests and tools need beyond it: BUG, KALLSYMS, madvise, file
#           locks, ...), merged with merge_config.sh -m, then make olddefconfig; every
#           CONFIG_ line of the fragments is checked in the final .config.
#           --base-config FILE: a complete .config (a distribution's /boot/config-*)
#           replaces tinyconfig + vm-test.fragment as the start, with its module signing
#           keys emptied and debug info (with it BTF) off unless --keep-debug-info,
#           and builds in obj-distro/; a partial file is taken like --extra-fragment
#           FILE. The release is VERSION-pat (LOCALVERSION=-pat), VERSION for the
#           unpatched kernel.
# Packages: a patched build also makes Debian packages with the kernel's own
#           `make bindeb-pkg` (linux-image; linux-headers when the config has modules;
#           linux-libc-dev) beside the bzImage in its image directory; --no-deb skips
#           them (the debug kernel does).
# Cache:    ${PAT_CACHE:-$HOME/.cache/pat}/kernel, outside the checkout:
#             pristine/   the unpacked tarball (once)
#             src/        a git work tree of pristine with the series applied (reset per key)
#             obj/        the O= build directory, kept across keys for incremental builds
#             obj-NAME/   the same for --variant NAME (a config built beside the usual one
#                         must not make the two rebuild each other from scratch)
#             images/KEY/ bzImage, packages, config, build.log of each finished build
#                         (the last 8 are kept)
#           KEY = sha256 of the tarball identity, the series, the fragments, this script
#           and the compiler version. A build whose KEY exists is a cache hit (seconds).
#           An empty series (--patches EMPTY_DIR: the unpatched kernel) is built from
#           pristine/ itself, in obj-vanilla/ unless --variant says otherwise.
#
# Usage: kernel/build.sh [--fragment FILE] [--extra-fragment FILE] [--add-fragment FILE]...
#                        [--base-config FILE] [--no-deb]
#                        [--patches DIR] [--variant NAME] [--print-key] [--force]
#                        [--configure-only] [--keep-debug-info]
#   --fragment replaces kernel/config.fragment, --extra-fragment kernel/vm-test.fragment
#   (an empty FILE argument drops it); each --add-fragment is merged after them.
# Prints the absolute path of the bzImage on stdout (with --configure-only, of the
# checked .config, and builds nothing); progress goes to stderr.
#
# Environment: PAT_CACHE, PAT_KERNEL_TARBALL, PAT_KERNEL_FRAGMENT, PAT_KERNEL_PATCHES,
#              PAT_KERNEL_VARIANT, PAT_JOBS (default: nproc).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self="$here/$(basename "${BASH_SOURCE[0]}")"

log() { printf 'kernel/build.sh: %s\n' "$*" >&2; }
die() { printf 'kernel/build.sh: error: %s\n' "$*" >&2; exit 1; }

cache=${PAT_CACHE:-$HOME/.cache/pat}
tarball=${PAT_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
fragment=${PAT_KERNEL_FRAGMENT:-}
extra=${PAT_KERNEL_EXTRA_FRAGMENT-$here/vm-test.fragment}
patches=${PAT_KERNEL_PATCHES:-$here/patches}
variant=${PAT_KERNEL_VARIANT:-}
base=
deb=
added=()
jobs=${PAT_JOBS:-$(nproc)}
print_key=0
force=0
configure_only=0
keep_debug=0

while [ $# -gt 0 ]; do
	case $1 in
	--fragment) fragment=$2; shift 2 ;;
	--extra-fragment) extra=$2; shift 2 ;;
	--patches) patches=$2; shift 2 ;;
	--variant) variant=$2; shift 2 ;;
	--add-fragment) added+=("$2"); shift 2 ;;
	--base-config) base=$2; shift 2 ;;
	--no-deb) deb=0; shift ;;
	--print-key) print_key=1; shift ;;
	--force) force=1; shift ;;
	--configure-only) configure_only=1; shift ;;
	--keep-debug-info) keep_debug=1; shift ;;
	-h|--help) sed -n '2,43p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

# --- inputs ------------------------------------------------------------------
# A complete .config (from `make`, as distributions ship them in /boot) rather than a
# fragment: it names the kernel configuration it is for.
full_base=0
if [ -n "$base" ]; then
	[ -f "$base" ] || die "base config '$base' not found"
	base=$(cd "$(dirname "$base")" && pwd)/$(basename "$base")
	if grep -q '^# Linux/.* Kernel Configuration' "$base"; then
		full_base=1
		extra=
	else
		extra=$base
		base=
	fi
fi
if [ -z "$fragment" ]; then
	[ -f "$here/config.fragment" ] ||
		die "no config fragment: $here/config.fragment does not exist (or pass --fragment FILE)"
	fragment=$here/config.fragment
fi
[ -f "$fragment" ] || die "config fragment '$fragment' not found"
fragment=$(cd "$(dirname "$fragment")" && pwd)/$(basename "$fragment")
fragments=("$fragment")
if [ -n "$extra" ]; then
	[ -f "$extra" ] || die "extra config fragment '$extra' not found"
	fragments+=("$(cd "$(dirname "$extra")" && pwd)/$(basename "$extra")")
fi
for f in ${added[@]+"${added[@]}"}; do
	[ -f "$f" ] || die "added config fragment '$f' not found"
	fragments+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
done
[ -f "$tarball" ] || die "kernel source '$tarball' not found (install linux-source-6.12: kernel/install-deps.sh)"

series=()
if [ -d "$patches" ]; then
	while IFS= read -r -d '' p; do series+=("$p"); done \
		< <(find "$patches" -maxdepth 1 -name '*.patch' -type f -print0 | LC_ALL=C sort -z)
fi

case $variant in
*[!A-Za-z0-9_-]*) die "--variant '$variant': letters, digits, '-' and '_' only" ;;
esac
[ ${#series[@]} -gt 0 ] || variant=${variant:-vanilla}
# A distribution's configuration builds beside the test kernels, not over them.
[ "$full_base" = 0 ] || variant=${variant:-distro}
localversion=-pat
[ ${#series[@]} -gt 0 ] || localversion=
[ -n "$deb" ] || { deb=0; [ ${#series[@]} -eq 0 ] || deb=1; }

for tool in make gcc bc bison flex git xz tar sha256sum; do
	command -v "$tool" >/dev/null || die "'$tool' is missing (run kernel/install-deps.sh as root)"
done
if [ "$deb" = 1 ]; then
	for tool in dpkg-buildpackage dpkg-deb dh_listpackages depmod rsync cpio; do
		command -v "$tool" >/dev/null ||
			die "'$tool' is missing, which the Debian packages need (run kernel/install-deps.sh as root, or pass --no-deb)"
	done
fi

# --- cache key -----------------------------------------------------------------
key=$(
	{
		echo "tarball $(basename "$tarball") $(stat -c '%s %Y' "$tarball")"
		echo "gcc $(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion)"
		echo "build.sh $(sha256sum < "$self")"
		for f in "${fragments[@]}"; do echo "fragment $(sha256sum < "$f")"; done
		[ -z "$base" ] || echo "base $full_base $keep_debug $(sha256sum < "$base")"
		[ "$deb" = 0 ] || echo "deb"
		for p in ${series[@]+"${series[@]}"}; do
			echo "patch $(basename "$p") $(sha256sum < "$p")"
		done
	} | sha256sum | cut -c1-16
)
if [ "$print_key" = 1 ]; then echo "$key"; exit 0; fi

kdir=$cache/kernel
img=$kdir/images/$key
mkdir -p "$kdir/images"

if [ "$force" = 0 ] && [ "$configure_only" = 0 ] && [ -f "$img/bzImage" ]; then
	log "cached: key $key (${#series[@]} patches, ${base:+$base, }${fragments[*]})"
	echo "$img/bzImage"
	exit 0
fi

# One build at a time per cache directory.
exec 9>"$kdir/lock"
if ! flock -n 9; then
	log "waiting for another build holding $kdir/lock"
	flock 9
fi
if [ "$force" = 0 ] && [ "$configure_only" = 0 ] && [ -f "$img/bzImage" ]; then
	log "cached (built meanwhile): key $key"
	echo "$img/bzImage"
	exit 0
fi

start=$(date +%s)
log "building key $key: ${#series[@]} patches from $patches, ${fragments[*]}, -j$jobs"
buildlog=$kdir/build-$key.log
: > "$buildlog"
fail() {
	printf 'kernel/build.sh: error: %s\n' "$1" >&2
	printf 'kernel/build.sh: full log: %s\n--- last lines ---\n' "$buildlog" >&2
	tail -n "${2:-40}" "$buildlog" >&2
	exit 1
}

# fd 9 (the lock) is closed for children so that nothing outlives us holding it.
git_() { git -C "$kdir/src" -c user.name=pat-build -c user.email=pat-build@localhost \
	-c core.autocrlf=false -c advice.detachedHead=false -c gc.auto=0 \
	-c maintenance.auto=false "$@" 9>&-; }

# --- 1. pristine source + git work tree -----------------------------------------
if [ ! -f "$kdir/pristine/.pat-unpacked" ] ||
   [ "$(cat "$kdir/pristine/.pat-unpacked")" != "$(stat -c '%s %Y' "$tarball")" ]; then
	log "unpacking $tarball (once, ~1 min)"
	rm -rf "$kdir/pristine" "$kdir/src" "$kdir/obj" "$kdir"/obj-*
	mkdir -p "$kdir/pristine.tmp"
	tar -xJf "$tarball" -C "$kdir/pristine.tmp" --strip-components=1 ||
		die "unpacking $tarball into $kdir/pristine.tmp failed"
	stat -c '%s %Y' "$tarball" > "$kdir/pristine.tmp/.pat-unpacked"
	mv "$kdir/pristine.tmp" "$kdir/pristine"
fi
if ! git_ rev-parse -q --verify refs/tags/pat-base >/dev/null 2>&1; then
	log "creating git work tree $kdir/src (once)"
	rm -rf "$kdir/src"
	cp -a "$kdir/pristine" "$kdir/src"
	rm -f "$kdir/src/.pat-unpacked"
	git init -q "$kdir/src" >>"$buildlog" 2>&1 || fail "git init in $kdir/src failed"
	git_ add -f -A . >>"$buildlog" 2>&1 || fail "git add in $kdir/src failed"
	git_ commit -q -m "linux-source $(basename "$tarball")" >>"$buildlog" 2>&1 ||
		fail "git commit in $kdir/src failed"
	git_ tag pat-base
fi

# --- 2. apply the series -------------------------------------------------------
srcdir=$kdir/src
[ ${#series[@]} -gt 0 ] || srcdir=$kdir/pristine
applied=$(cat "$kdir/src/.git/pat-series" 2>/dev/null || true)
want=$(for p in ${series[@]+"${series[@]}"}; do sha256sum < "$p"; done | sha256sum)
if [ ${#series[@]} -gt 0 ] && [ "$applied" != "$want" ]; then
	git_ am --abort >/dev/null 2>&1 || true
	# Blob and mtime of every file the previous series touched: a file the new
	# series leaves byte-identical gets its old mtime back after `git am`, so that
	# a change to one patch recompiles what that change touches, not everything
	# that includes a header some other patch modifies.
	kept=$kdir/src/.git/pat-kept-mtimes
	: > "$kept"
	if [ -n "$applied" ]; then
		git_ diff --name-only -z pat-base HEAD 2>/dev/null |
			while IFS= read -r -d '' f; do
				[ -f "$kdir/src/$f" ] || continue
				printf '%s %s %s\n' "$(git_ rev-parse "HEAD:$f")" \
					"$(stat -c '%.9Y' "$kdir/src/$f")" "$f"
			done > "$kept"
	fi
	# reset --hard rewrites only files that differ, so unchanged sources keep their
	# mtimes and the kept obj/ tree rebuilds only what the series touches.
	git_ checkout -q -f -B pat-build pat-base >>"$buildlog" 2>&1 || fail "git checkout pat-base failed"
	git_ reset -q --hard pat-base >>"$buildlog" 2>&1 || fail "git reset --hard pat-base failed"
	git_ clean -q -fd >>"$buildlog" 2>&1 || fail "git clean failed"
	rm -f "$kdir/src/.git/pat-series"
	for p in ${series[@]+"${series[@]}"}; do
		log "applying $(basename "$p")"
		if ! git_ am -q --keep-cr "$p" >>"$buildlog" 2>&1; then
			git_ am --abort >/dev/null 2>&1 || true
			fail "patch $(basename "$p") ($p) does not apply to $(basename "$tarball")" 20
		fi
	done
	restored=0
	while read -r blob mtime f; do
		if [ "$(git_ rev-parse -q --verify "HEAD:$f" 2>/dev/null)" = "$blob" ]; then
			touch -m -d "@$mtime" "$kdir/src/$f" && restored=$((restored + 1))
		fi
	done < "$kept"
	log "$restored files unchanged by the new series keep their mtimes"
	echo "$want" > "$kdir/src/.git/pat-series"
fi

# --- 3. configure ------------------------------------------------------------------
obj=$kdir/obj${variant:+-$variant}
mkdir -p "$obj"
mk() { make -C "$srcdir" O="$obj" ARCH=x86_64 LOCALVERSION="$localversion" "$@" 9>&-; }
merge() { "$srcdir/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$@" 9>&-; }
cfg() { "$srcdir/scripts/config" --file "$obj/.config" "$@" 9>&-; }
# Regenerating an unchanged .config recompiles nothing: kconfig touches only the
# include/config/ files of symbols whose value changed, and fixdep tracks those.
if [ "$full_base" = 1 ]; then
	log "configuring: $base + ${fragments[*]##*/}"
	# A distribution's key files are not in this tree (Debian names
	# debian/certs/...); the build makes its own signing key. Debug info makes
	# the build about twice as long and the packages gigabytes large; BTF (for
	# BPF CO-RE tools) needs it, and pahole.
	nodebug=(--disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT --disable DEBUG_INFO_DWARF4
		--disable DEBUG_INFO_DWARF5 --disable DEBUG_INFO_BTF --enable DEBUG_INFO_NONE)
	[ "$keep_debug" = 0 ] || nodebug=()
	if [ "$keep_debug" = 1 ] && grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$base" &&
		! command -v pahole >/dev/null; then
		die "--keep-debug-info: $base asks for BTF, which needs pahole (apt-get install dwarves)"
	fi
	{
		cp "$base" "$obj/.config" &&
		cfg --set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" \
			--set-str MODULE_SIG_KEY "certs/signing_key.pem" ${nodebug[@]+"${nodebug[@]}"} &&
		merge "${fragments[@]}" &&
		mk olddefconfig
	} >>"$buildlog" 2>&1 || fail "configuring the kernel from $base failed"
else
	log "configuring: tinyconfig + ${fragments[*]##*/}"
	{
		mk tinyconfig &&
		merge "${fragments[@]}" &&
		mk olddefconfig
	} >>"$buildlog" 2>&1 || fail "configuring the kernel failed"
fi

# Every CONFIG_ line of the fragments must have its requested value (the last fragment
# wins where two set the same option, as with merge_config.sh).
missing=$(awk '
	FNR == NR {
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) {
			name = substr($0, 1, RLENGTH - 1); val = substr($0, RLENGTH + 1)
		} else if (match($0, /^# CONFIG_[A-Za-z0-9_]+ is not set/)) {
			name = $2; val = "n"
		} else next
		if (!(name in want)) order[++n] = name
		want[name] = val; next
	}
	/^CONFIG_[A-Za-z0-9_]+=/ { i = index($0, "="); have[substr($0, 1, i - 1)] = substr($0, i + 1) }
	END {
		for (k = 1; k <= n; k++) {
			name = order[k]; w = want[name]; h = (name in have) ? have[name] : "n"
			if (w != h) printf "%s (wanted %s, got %s)\n", name, w, h
		}
	}' <(cat "${fragments[@]}") "$obj/.config")
if [ -n "$missing" ]; then
	printf 'kernel/build.sh: error: options of %s not honoured by the final .config (unmet dependencies?):\n' "${fragments[*]}" >&2
	printf '  %s\n' "$missing" | sed 's/^  */  /' >&2
	printf 'kernel/build.sh: final config: %s/.config\n' "$obj" >&2
	exit 1
fi
if [ "$configure_only" = 1 ]; then
	log "configured (release $(mk -s kernelrelease 2>/dev/null)): $obj/.config"
	rm -f "$buildlog"
	echo "$obj/.config"
	exit 0
fi

# --- 4. build ----------------------------------------------------------------------
log "make -j$jobs bzImage (log: $buildlog)"
mk -j"$jobs" bzImage >>"$buildlog" 2>&1 || fail "kernel build failed"

rm -rf "$img.tmp"
mkdir -p "$img.tmp"
if [ "$deb" = 1 ]; then
	# bindeb-pkg writes its packages into the parent of the build directory.
	rm -f "$kdir"/linux-*.deb "$kdir"/linux-*.buildinfo "$kdir"/linux-*.changes
	# The package version names the upstream release and this build's key. -d:
	# debian/control asks for gcc-x86-64-linux-gnu, a cross compiler a native build
	# does not use; the tools it does use were checked above.
	log "make -j$jobs bindeb-pkg (log: $buildlog)"
	mk -j"$jobs" bindeb-pkg DPKG_FLAGS=-d \
		KDEB_PKGVERSION="$(mk -s kernelversion 2>/dev/null)-1+pat.$key" \
		>>"$buildlog" 2>&1 || fail "make bindeb-pkg failed"
	mv "$kdir"/linux-*.deb "$img.tmp/" || fail "make bindeb-pkg made no package"
	rm -f "$kdir"/linux-*.buildinfo "$kdir"/linux-*.changes
fi
cp "$obj/arch/x86/boot/bzImage" "$img.tmp/bzImage"
cp "$obj/.config" "$img.tmp/config"
cp "$obj/System.map" "$img.tmp/System.map" 2>/dev/null || true
cat "${fragments[@]}" > "$img.tmp/config.fragments"
mv "$buildlog" "$img.tmp/build.log"
mk -s kernelrelease > "$img.tmp/kernelrelease" 2>/dev/null || true
rm -rf "$img"
mv "$img.tmp" "$img"
ln -sfn "images/$key" "$kdir/latest"
# Keep the 8 most recent images (a few MB each: the usual, debug and unpatched kernels
# of a few series); obj/ and src/ are shared by all keys.
(cd "$kdir/images" && ls -1t | grep -v '\.tmp$' | tail -n +9 | xargs -r rm -rf --)
log "built in $(( $(date +%s) - start )) s: $img/bzImage"
echo "$img/bzImage"
