#!/usr/bin/env bash
# tests/kernel/mm-selftests.sh — build the kernel's own mm selftests (a peer's test
# suite: tools/testing/selftests/mm of the same Debian 6.12 tree the series applies to),
# static, for the debug VM, which runs each untraced and then traced (guest-test.sh) and
# checks that both runs behave the same (check.py).
#
# Usage: tests/kernel/mm-selftests.sh IMAGE_DIR OUT_DIR
#   IMAGE_DIR: the directory of the test kernel's bzImage (kernel/build.sh). Its
#              linux-libc-dev package gives the 6.12 UAPI headers the tests need (the
#              host's may be older).
#   OUT_DIR:   gets src/ (the selftests, unpacked from the kernel tarball once), hdr/ (the
#              headers) and bin/ (one static program per test of TESTS below).
# Environment: PAT_KERNEL_TARBALL (default /usr/src/linux-source-6.12.tar.xz, as
# kernel/build.sh). Exit 0 when every test of TESTS was built, 1 otherwise.
set -euo pipefail

# The tests run: each in its own process, with no arguments, in the test VM's debug
# kernel (1 GiB, 32 huge pages of 2 MiB, KASAN), where it passes or skips untraced and
# takes at most a minute. Left out, measured there with this series:
#   fail or cannot run untraced: hugepage-mmap and map_hugetlb (want 256 MiB of huge
#     pages), hugepage-shm and thuge-gen (SysV shared memory is off), hugetlb-read-hwpoison
#     and hugetlb-soft-offline (MEMORY_FAILURE is off), khugepaged ("Failed to allocate
#     huge page"), mremap_test, va_high_addr_switch, virtual_address_range,
#     uffd-unit-tests, and hmm-tests and gup_test (want test_hmm and GUP_TEST);
#   too long for make check: ksm_functional_tests (a minute each way), uffd-unit-tests
#     (106 s), split_huge_page_test (past 150 s), transhuge-stress (runs until killed);
#   want arguments that run_vmtests.sh picks per machine: uffd-stress, write_to_hugetlbfs.
TESTS="compaction_test cow droppable gup_longterm hugepage-mremap hugepage-vmemmap
hugetlb-madvise hugetlb_dio hugetlb_fault_after_madv hugetlb_madv_vs_map madv_populate
map_fixed_noreplace map_populate mdwe_test memfd_secret migration mkdirty
mlock-random-test mlock2-tests mrelease_test mremap_dontunmap mseal_test on-fault-limit
pagemap_ioctl seal_elf soft-dirty"

die() { printf 'tests/kernel/mm-selftests.sh: error: %s\n' "$*" >&2; exit 1; }
[ $# = 2 ] || die "usage: tests/kernel/mm-selftests.sh IMAGE_DIR OUT_DIR"
img=$1 out=$2
tarball=${PAT_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
[ -r "$tarball" ] || die "$tarball is missing: install linux-source-6.12 (make kernel-deps)"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# 1. The selftests and what they include from the tree, unpacked once per tarball.
stamp="$(stat -c '%s %Y' "$tarball")"
if [ "$(cat "$out/src/.unpacked" 2> /dev/null)" != "$stamp" ]; then
	rm -rf "$out/src" "$out/src.tmp"
	mkdir -p "$out/src.tmp"
	# the tarball's one top directory is left out (--strip-components=1)
	tar -xJf "$tarball" -C "$out/src.tmp" --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/tools/testing/selftests/lib.mk' '*/tools/testing/selftests/mm/*' \
		'*/tools/include/*' '*/tools/arch/x86/*' '*/include/vdso/*' \
		'*/mm/gup_test.h' '*/lib/test_hmm_uapi.h' ||
		die "unpacking the mm selftests from $tarball failed"
	echo "$stamp" > "$out/src.tmp/.unpacked"
	mv "$out/src.tmp" "$out/src"
fi

# 2. The 6.12 UAPI headers, from the build's linux-libc-dev package.
debs=()
while IFS= read -r -d '' d; do debs+=("$d"); done \
	< <(find "$img" -maxdepth 1 -name 'linux-libc-dev_*.deb' -print0)
[ ${#debs[@]} = 1 ] ||
	die "$img holds ${#debs[@]} linux-libc-dev packages, not 1 (was the kernel built with --no-deb?)"
if [ "$(cat "$out/hdr/.from" 2> /dev/null)" != "${debs[0]}" ]; then
	rm -rf "$out/hdr"
	dpkg-deb -x "${debs[0]}" "$out/hdr" || die "dpkg-deb -x ${debs[0]} failed"
	echo "${debs[0]}" > "$out/hdr/.from"
fi

# 3. The programs. khugepaged.c of this tree uses KSFT_SKIP without including
# kselftest.h (fixed upstream later): it is included in front of every file.
mkdir -p "$out/bin"
# only the tests of the list: the guest runs whatever is in bin/
for f in "$out/bin"/*; do
	[ -e "$f" ] || continue
	case " $(echo $TESTS) " in *" ${f##*/} "*) ;; *) rm -f "$f" ;; esac
done
targets=()
for t in $TESTS; do targets+=("$out/bin/$t"); done
inc="$out/hdr/usr/include"
make -C "$out/src/tools/testing/selftests/mm" -j"$(nproc)" --no-print-directory \
	OUTPUT="$out/bin" LDFLAGS=-static \
	EXTRA_CFLAGS="-static -include $out/src/tools/testing/selftests/kselftest.h" \
	KHDR_INCLUDES="-isystem $inc -isystem $inc/$(gcc -print-multiarch)" \
	"${targets[@]}" > "$out/build.log" 2>&1 ||
	die "building the mm selftests failed; see $out/build.log"
echo "mm selftests: ${#targets[@]} programs in $out/bin"
