#!/bin/sh
# check-vanilla.sh - does the pat series (kernel/patches/*.patch) apply to a
# given kernel source tree?  The tree is never modified: the files that the
# series touches are copied to a scratch directory and the patches are applied
# there one after the other (0001 -> 0004), as `patch -p1` would apply them.
# Per patch it prints every hunk that did not apply exactly at the line the
# patch names (offset, fuzz or failure), and, when git is installed, the
# verdict of `git apply --check` on the same cumulative state.

prog=${0##*/}
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
patchdir=$here/patches
keep=0

usage() {
	cat <<EOF
Usage: $prog [-k] [-p PATCHDIR] KERNEL_TREE

Dry-run the pat kernel series against the kernel source tree KERNEL_TREE
(an unpacked vanilla v6.12.y tarball or git checkout, or Debian's
linux-source-6.12) and print a per-patch result:

  ok      every hunk applies at the line the patch names
  offset  every hunk applies, some at other lines (harmless)
  FUZZ    some hunk only applies with fuzz (context lines differ: review it)
  FAIL    some hunk does not apply

  -p PATCHDIR  the series to check (default: $patchdir)
  -k           keep the scratch directory and print its path
  -h           this help

KERNEL_TREE is not modified.

Exit status:
  0  the whole series applies (exactly or at offsets), with patch(1) and,
     if installed, git apply
  1  at least one hunk fails
  2  usage error, KERNEL_TREE is not a kernel tree, or patch(1) is missing
  3  the series applies, but only with fuzz (or git apply refuses it)
EOF
}

while getopts khp: opt; do
	case $opt in
	k) keep=1 ;;
	p) patchdir=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ]; then
	usage >&2
	exit 2
fi
tree=$1

if [ ! -f "$tree/Makefile" ] || [ ! -d "$tree/mm" ] || [ ! -d "$tree/kernel" ]; then
	echo "$prog: $tree: not a kernel source tree (no Makefile, mm/, kernel/)" >&2
	exit 2
fi
if ! command -v patch >/dev/null 2>&1; then
	echo "$prog: patch(1) is not installed" >&2
	exit 2
fi
set -- "$patchdir"/[0-9][0-9][0-9][0-9]-*.patch
if [ ! -f "$1" ]; then
	echo "$prog: no NNNN-*.patch files in $patchdir" >&2
	exit 2
fi

version=$(awk '/^VERSION *=/ { v = $3 } /^PATCHLEVEL *=/ { p = $3 }
	/^SUBLEVEL *=/ { s = $3 } /^EXTRAVERSION *=/ { e = $3 }
	END { printf "%s.%s.%s%s", v, p, s, e }' "$tree/Makefile")
echo "tree:    $tree"
echo "version: $version (from its Makefile)"
case $version in
6.12.*) ;;
*) echo "note:    the series is made for 6.12.y; other versions are expected to fail" ;;
esac
if grep -q unprivileged_userns_clone "$tree/kernel/fork.c" 2>/dev/null; then
	echo "flavour: Debian-patched (kernel/fork.c has Debian's unprivileged_userns_clone)"
else
	echo "flavour: no Debian patch seen in kernel/fork.c (vanilla or other vendor)"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-vanilla.XXXXXX") || exit 2
# shellcheck disable=SC2317  # called through trap
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "scratch: $scratch kept"
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

# Copy only the files the series touches (twice: one copy for patch(1),
# one for git apply); files the series creates are absent from the tree.
sed -n 's|^--- a/||p; s|^+++ b/||p' "$@" | sort -u > "$scratch/files"
mkdir "$scratch/patch" "$scratch/git"
while IFS= read -r f; do
	[ -f "$tree/$f" ] || continue
	for d in patch git; do
		mkdir -p "$scratch/$d/$(dirname "$f")"
		cp "$tree/$f" "$scratch/$d/$f"
	done
done < "$scratch/files"

have_git=0
command -v git >/dev/null 2>&1 && have_git=1
# git apply must treat the scratch copy as a plain directory, even when
# TMPDIR lies inside some git work tree
GIT_CEILING_DIRECTORIES=$scratch
export GIT_CEILING_DIRECTORIES

fails=0
fuzz=0
gitbad=0
for p in "$@"; do
	name=${p##*/}
	# applied for real in the scratch copy, so that the next patch sees the
	# cumulative state; hunks that fail go to rejects and the rest applies,
	# so later patches can still be judged
	(cd "$scratch/patch" && patch -p1 -f --no-backup-if-mismatch -r "$scratch/rej" < "$p") \
		> "$scratch/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -q 'FAILED' "$scratch/out"; then
		verdict=FAIL
		fails=$((fails + 1))
	elif grep -q 'with fuzz' "$scratch/out"; then
		verdict=FUZZ
		fuzz=$((fuzz + 1))
	elif grep -q 'offset' "$scratch/out"; then
		verdict=offset
	else
		verdict=ok
	fi
	gitv=
	if [ $have_git = 1 ]; then
		# all or nothing; when it fails, --reject applies what it can
		if (cd "$scratch/git" && git apply "$p") > "$scratch/gitout" 2>&1; then
			gitv="git apply: ok"
		else
			(cd "$scratch/git" && git apply --reject "$p") > /dev/null 2>&1
			gitv="git apply: FAIL"
			gitbad=$((gitbad + 1))
		fi
	fi
	printf '%-6s  %s%s\n' "$verdict" "$name" "${gitv:+  ($gitv)}"
	# the hunks that were not applied exactly where the patch says, by file
	awk '/^patching file / { f = $3; next }
	     /^checking file / { f = $3; next }
	     /^Hunk #/ { sub(/\.$/, ""); printf "        %s: %s\n", f, $0; next }
	     /FAILED|malformed|can.t find file|No file to patch|Reversed/ {
		sub(/ -- saving rejects.*/, ""); printf "        %s\n", $0 }' "$scratch/out"
	if [ "$gitv" = "git apply: FAIL" ]; then
		sed 's/^/        git: /' "$scratch/gitout"
	fi
done

if [ $fails -gt 0 ]; then
	echo "result:  the series does NOT apply ($fails patch(es) with failed hunks)"
	exit 1
elif [ $fuzz -gt 0 ] || [ $gitbad -gt 0 ]; then
	echo "result:  the series applies, but only with fuzz or not with git apply: review the hunks above"
	exit 3
fi
echo "result:  the series applies"
exit 0
