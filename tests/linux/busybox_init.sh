#!/bin/sh
# Debian's arm64 cloud kernel boots a busybox initramfs and its /init
# (tests/linux/init.sh) runs real user space: the console must show every
# check passed and the kernel powering off, and the machine must exit 0.
#
#   busybox_init.sh stepvisor|qemu BINARY [TIMEOUT_SECONDS]
#
# The packages come from scripts/fetch-debian (cached outside git; the first
# run downloads them). `qemu` runs the same initramfs on qemu-system-aarch64
# -M virt -cpu cortex-a57, the reference that the test itself is right. A
# missing machine, a failed fetch or a run past the timeout fails.
set -u
machine=$1 binary=$2 limit=${3:-900}
src=$(cd "$(dirname "$0")/../.." && pwd)

if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "$machine not found: '$binary' (scripts/setup installs qemu-system-arm)"
    exit 1
fi
packages=$("$src/scripts/fetch-debian") || { echo "scripts/fetch-debian failed"; exit 1; }
eval "$packages"

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
"$src/scripts/make-initramfs" "$BUSYBOX" "$src/tests/linux/init.sh" "$out/initrd.cpio.gz" || exit 1

append="console=ttyAMA0 panic=-1"
case $machine in
    stepvisor)
        timeout -k 5 "$limit" "$binary" run --no-reboot --initrd "$out/initrd.cpio.gz" \
            --append "$append" "$KERNEL" >"$out/console" 2>&1 </dev/null ;;
    qemu)
        timeout -k 5 "$limit" "$binary" -M virt,gic-version=3 -cpu cortex-a57 -m 128M -nic none \
            -nographic -no-reboot -kernel "$KERNEL" -initrd "$out/initrd.cpio.gz" \
            -append "$append" >"$out/console" 2>&1 </dev/null ;;
    *) echo "usage: busybox_init.sh stepvisor|qemu BINARY [TIMEOUT_SECONDS]"; exit 2 ;;
esac
rc=$?

fail=0
if [ $rc -ne 0 ]; then
    [ $rc -ge 124 ] && echo "$machine ran past $limit s and was killed" || echo "$machine exited with $rc"
    fail=1
fi
for line in "init: all checks passed" "reboot: Power down"; do
    grep -q "$line" "$out/console" || { echo "missing on the console: $line"; fail=1; }
done
if [ $fail -ne 0 ]; then
    echo "--- console of $KERNEL_VERSION on $machine (last 60 lines) ---"
    tail -n 60 "$out/console"
    exit 1
fi
grep -a "^init:" "$out/console"
echo "$KERNEL_VERSION ran busybox's /init to power-off on $machine"
