#!/usr/bin/env bash
# kernel/mkinitramfs.sh — build a busybox-static initramfs (cpio newc, gzip) for the test VM.
#
# Usage: kernel/mkinitramfs.sh -o OUT.cpio.gz [--script FILE] [--bin HOST[:GUEST]]...
#                              [--file HOST[:GUEST]]... [--dir HOSTDIR[:GUESTDIR]]...
#
#   --script FILE     guest test script, installed as /test.sh and run by /init
#                     (default: a script that only prints the kernel version)
#   --bin HOST[:GUEST] an executable; static or dynamically linked. For a dynamic one the
#                     shared libraries `ldd` lists and the dynamic loader are copied too,
#                     to the same paths as on the host. GUEST defaults to /bin/<name>.
#   --file HOST[:GUEST] a plain file, copied as is (GUEST defaults to /<name>)
#   --dir HOSTDIR[:GUESTDIR] a directory tree, copied recursively (default /<name>)
#
# The generated /init mounts proc, sysfs, devtmpfs, tmpfs (/tmp), tracefs
# (/sys/kernel/tracing) and debugfs (/sys/kernel/debug), runs `sh /test.sh` with
# PAT_OUT=/out, saves its output (/out/test.log), its exit status (/out/status) and dmesg
# (/out/dmesg.txt), sends /out to the host (see kernel/run-vm.sh) and powers off with
# `reboot -f` (qemu runs with -no-reboot, so it exits).
#
# Environment: BUSYBOX (default /bin/busybox; must be statically linked).
set -euo pipefail

log() { printf 'kernel/mkinitramfs.sh: %s\n' "$*" >&2; }
die() { printf 'kernel/mkinitramfs.sh: error: %s\n' "$*" >&2; exit 1; }

out=
script=
busybox=${BUSYBOX:-/bin/busybox}
bins=() files=() dirs=()
while [ $# -gt 0 ]; do
	case $1 in
	-o|--output) out=$2; shift 2 ;;
	--script) script=$2; shift 2 ;;
	--bin) bins+=("$2"); shift 2 ;;
	--file) files+=("$2"); shift 2 ;;
	--dir) dirs+=("$2"); shift 2 ;;
	-h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$out" ] || die "missing -o OUT.cpio.gz"
[ -x "$busybox" ] || die "busybox '$busybox' not found (install busybox-static)"
if LC_ALL=C file -L "$busybox" 2>/dev/null | grep -q 'dynamically linked'; then
	die "$busybox is dynamically linked; install busybox-static"
fi
command -v cpio >/dev/null || die "cpio is missing (install cpio)"
[ -z "$script" ] || [ -f "$script" ] || die "test script '$script' not found"

stage=$(mktemp -d "${TMPDIR:-/tmp}/pat-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,out,etc,root,lib,lib64}
chmod 1777 "$stage/tmp"
cp "$busybox" "$stage/bin/busybox"
# Applet links, as `busybox --install -s` would make them.
"$busybox" --list-full | while read -r applet; do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
[ -e "$stage/bin/sh" ] || ln -s /bin/busybox "$stage/bin/sh"

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"

# Destination path inside the staging tree; refuses paths escaping it.
dest() {
	case $1 in /*) ;; *) die "guest path '$1' must be absolute" ;; esac
	case /$1/ in */../*) die "guest path '$1' contains '..'" ;; esac
	printf '%s%s' "$stage" "$1"
}
copy() { # HOST GUEST-PATH
	local d
	d=$(dest "$2")
	mkdir -p "$(dirname "$d")"
	rm -f "$d" # may be a busybox applet link: replace it, never write through it
	cp -L "$1" "$d" || die "copying $1 to $2 failed"
}
split() { # SPEC DEFAULT-DIR -> sets host, guest
	host=${1%%:*}
	if [ "$host" != "$1" ]; then guest=${1#*:}; else guest=$2/$(basename "$host"); fi
	guest=/${guest#/}
}

for spec in ${bins[@]+"${bins[@]}"}; do
	split "$spec" /bin
	[ -f "$host" ] || die "binary '$host' not found"
	[ -x "$host" ] || die "'$host' is not executable"
	copy "$host" "$guest"
	chmod 0755 "$(dest "$guest")"
	# Shared libraries and the loader of a dynamic executable, at their host paths.
	if ldd_out=$(LC_ALL=C ldd "$host" 2>/dev/null) && ! grep -q 'not a dynamic executable\|statically linked' <<<"$ldd_out"; then
		if grep -q 'not found' <<<"$ldd_out"; then
			die "ldd $host: missing libraries: $(grep 'not found' <<<"$ldd_out" | tr -s '\t\n' '  ')"
		fi
		while read -r lib; do
			[ -n "$lib" ] || continue
			[ -e "$(dest "$lib")" ] && continue
			copy "$lib" "$lib"
		done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$ldd_out")
		interp=$(LC_ALL=C readelf -l "$host" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
		if [ -n "$interp" ] && [ ! -e "$(dest "$interp")" ]; then copy "$interp" "$interp"; fi
		log "added $host as $guest with $(awk '$2 == "=>" && $3 ~ /^\// {n++} END {print n+0}' <<<"$ldd_out") shared libraries"
	else
		log "added $host as $guest (static)"
	fi
done
for spec in ${files[@]+"${files[@]}"}; do
	split "$spec" ""
	[ -f "$host" ] || die "file '$host' not found"
	copy "$host" "$guest"
done
for spec in ${dirs[@]+"${dirs[@]}"}; do
	split "$spec" ""
	[ -d "$host" ] || die "directory '$host' not found"
	mkdir -p "$(dest "$guest")"
	cp -a "$host/." "$(dest "$guest")/" || die "copying directory $host to $guest failed"
done

if [ -n "$script" ]; then
	cp "$script" "$stage/test.sh"
else
	printf '#!/bin/sh\nuname -a\n' > "$stage/test.sh"
fi
chmod 0755 "$stage/test.sh"

cat > "$stage/init" <<'EOF'
#!/bin/sh
# Generated by kernel/mkinitramfs.sh.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
say() { echo "pat-init: $*"; }
mount -t proc proc /proc || say "mounting proc failed"
mount -t sysfs sysfs /sys || say "mounting sysfs failed"
# a tmpfs on /tmp, unless the image has files there (a checkout under /tmp) it would hide
if [ -z "$(ls -A /tmp 2>/dev/null)" ]; then
	mount -t tmpfs tmpfs /tmp || say "mounting tmpfs on /tmp failed"
fi
chmod 1777 /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || say "mounting tracefs on /sys/kernel/tracing failed"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || say "mounting debugfs on /sys/kernel/debug failed"
export PAT_OUT=/out
mkdir -p "$PAT_OUT"
say "kernel $(uname -r), $(nproc) cpu(s); running /test.sh"
(sh /test.sh; echo $? > /tmp/.pat-status) 2>&1 | tee "$PAT_OUT/test.log"
status=$(cat /tmp/.pat-status 2>/dev/null || echo 255)
echo "$status" > "$PAT_OUT/status"
say "/test.sh exited with status $status"
dmesg > "$PAT_OUT/dmesg.txt" 2>&1

# Results channel: the second serial port (ttyS1) when there is one, else the console.
# Framing: a BEGIN line with the size and sha256 of a gzip'ed tar of $PAT_OUT, its base64,
# an END line. kernel/run-vm.sh decodes and checks it.
port=/dev/ttyS1
if ! stty -F "$port" raw -echo 2>/dev/null; then
	say "no $port; sending results on the console"
	port=/dev/console
fi
tar -C "$PAT_OUT" -cf - . | gzip -1 > /tmp/.pat-results.tgz
size=$(wc -c < /tmp/.pat-results.tgz)
sum=$(sha256sum /tmp/.pat-results.tgz | cut -d' ' -f1)
say "sending results: $size bytes on $port"
{
	echo
	echo "PAT-RESULTS-BEGIN $size $sum"
	base64 /tmp/.pat-results.tgz
	echo "PAT-RESULTS-END $sum"
} > "$port"
# Closing the tty waits until the UART has sent everything.
say "done"
sync
reboot -f
sleep 5
poweroff -f
EOF
chmod 0755 "$stage/init"

# Device nodes for the time before devtmpfs is mounted (only possible as root; /init copes).
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$stage/dev/console" c 5 1
	mknod -m 666 "$stage/dev/null" c 1 3
fi

mkdir -p "$(dirname "$out")"
( cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 ) |
	gzip -6 > "$out.tmp.$$" || { rm -f "$out.tmp.$$"; die "creating the cpio archive failed"; }
mv "$out.tmp.$$" "$out"
log "wrote $out ($(du -k "$out" | cut -f1) KiB)"
