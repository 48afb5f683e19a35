#!/bin/sh
# /proc/cpuinfo under Debian's kernel is the same on stepvisor --cpu MODEL
# and on QEMU -cpu MODEL: the Features line (the hwcaps the kernel derived
# from the ID registers), CPU implementer, architecture, variant, part and
# revision, and BogoMIPS (from the generic timer's frequency).
#
#   cpuinfo.sh MODEL STEPVISOR QEMU
set -u
model=$1 stepvisor=$2 qemu=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
for b in "$stepvisor" "$qemu"; do
    [ -n "$b" ] && [ -x "$b" ] || { echo "machine not found: '$b'"; exit 1; }
done
packages=$("$src/scripts/fetch-debian") || { echo "scripts/fetch-debian failed"; exit 1; }
eval "$packages"
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
"$src/scripts/make-initramfs" "$BUSYBOX" "$src/tests/linux/cpuinfo_init.sh" "$out/initrd.cpio.gz" || exit 1

append="console=ttyAMA0 panic=-1 quiet"
timeout -k 5 300 "$stepvisor" run --cpu "$model" --no-reboot --initrd "$out/initrd.cpio.gz" \
    --append "$append" "$KERNEL" >"$out/stepvisor.console" 2>&1 </dev/null &
timeout -k 5 300 "$qemu" -M virt,gic-version=3 -cpu "$model" -m 128M -nic none -nographic \
    -no-reboot -kernel "$KERNEL" -initrd "$out/initrd.cpio.gz" -append "$append" \
    >"$out/qemu.console" 2>&1 </dev/null
wait
fail=0
for m in stepvisor qemu; do
    tr -d '\r' <"$out/$m.console" | sed -n '/^cpuinfo: begin$/,/^cpuinfo: end$/p' | sed '1d;$d' >"$out/$m"
    if ! grep -q '^cpuinfo: end' "$out/$m.console" || [ ! -s "$out/$m" ]; then
        echo "no /proc/cpuinfo on the $m console; its last lines:"
        tail -n 20 "$out/$m.console"
        fail=1
    fi
done
[ $fail -eq 0 ] || exit 1
echo "--- /proc/cpuinfo with --cpu $model on stepvisor"
cat "$out/stepvisor"
if ! diff -u "$out/qemu" "$out/stepvisor" >"$out/diff"; then
    echo "--- differs from QEMU's (- QEMU, + stepvisor):"
    cat "$out/diff"
    exit 1
fi
echo "--- the same on QEMU -cpu $model"
