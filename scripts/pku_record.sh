#!/usr/bin/env bash
# Records tests/pku/pku.expected: the calls of tests/pku/pku_ops.h on a
# kernel with protection keys. This machine's CPU has none, so the probe
# (tests/pku/pku_probe.c, static) runs as init of Debian's 6.12 kernel
# under qemu with an emulated CPU that has PKU (-cpu max). Installs
# qemu-system-x86 and the kernel image with apt-get when they are missing.
# Not part of the test run: test_pku_recorded compares usermm with the
# committed recording.
set -euo pipefail
cd "$(dirname "$0")/.."
KVER=6.12.107+deb12-amd64
KERNEL=/boot/vmlinuz-$KVER
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v qemu-system-x86_64 >/dev/null || [ ! -f "$KERNEL" ]; then
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends qemu-system-x86 \
		"linux-image-$KVER-unsigned" cpio
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/proc" "$work/root/dev"
gcc -static -O1 -Wall -Wextra -Werror -Itests/pku -o "$work/root/init" tests/pku/pku_probe.c
(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip >"$work/initramfs.gz")
timeout 300 qemu-system-x86_64 -m 512 -cpu max -smp 1 -nographic -no-reboot \
	-kernel "$KERNEL" -initrd "$work/initramfs.gz" \
	-append "console=ttyS0 quiet loglevel=0 panic=-1" >"$work/console.txt" 2>&1
# The console adds carriage returns and terminal escapes before the text.
tr -d '\r' <"$work/console.txt" | sed -n 's/^.*=== pku begin/=== pku begin/; /=== pku begin/,/=== pku end/p' \
	>"$work/pku.txt"
grep -q '^=== pku end' "$work/pku.txt" || { echo "pku_record: no complete output" >&2; exit 1; }
{
	echo "# Recorded by scripts/pku_record.sh under qemu -cpu max (PKU); do not edit."
	cat "$work/pku.txt"
} >tests/pku/pku.expected
echo "pku_record: $(grep -c '^op ' tests/pku/pku.expected) calls recorded in tests/pku/pku.expected"
