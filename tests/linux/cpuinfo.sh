#!/bin/sh
# A named CPU model under Debian's kernel, on stepvisor --cpu MODEL and on
# QEMU -cpu MODEL: /proc/cpuinfo (Features, CPU part ...), the Spectre
# vulnerability files and the kernel's PSCI/SMCCC and CPU-feature lines
# (tests/linux/cpuinfo_init.sh) must be the same, so the kernel took the same
# paths on both. Lines only QEMU's machine can give are listed below with
# their reason (docs/architecture-choices.md, "CPU models"); each is printed,
# and must be seen, so the list cannot go stale.
#
#   cpuinfo.sh STEPVISOR QEMU MODEL [TIMEOUT_SECONDS]
set -u
stepvisor=$1 qemu=$2 model=$3 limit=${4:-300}
src=$(cd "$(dirname "$0")/../.." && pwd)

for b in "$stepvisor" "$qemu"; do
    if [ -z "$b" ] || [ ! -x "$b" ]; then
        echo "machine not found: '$b' (scripts/setup installs qemu-system-arm)"
        exit 1
    fi
done
packages=$("$src/scripts/fetch-debian") || { echo "scripts/fetch-debian failed"; exit 1; }
eval "$packages"

# Lines on QEMU's console only: the line, then why.
qemu_only='
cpuinfo: dmesg: CPU features: detected: 32-bit EL0 Support|stepvisor has no AArch32 (ID_AA64PFR0_EL1.EL0 = 1)
cpuinfo: dmesg: CPU features: detected: 32-bit EL1 Support|stepvisor has no AArch32 (ID_AA64PFR0_EL1.EL1 = 1)
'

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
"$src/scripts/make-initramfs" "$BUSYBOX" "$src/tests/linux/cpuinfo_init.sh" "$out/initrd.cpio.gz" || exit 1

# nokaslr: QEMU's device tree carries a random kaslr-seed, stepvisor's none
# (its runs are reproducible), and a randomised kernel turns KPTI on.
append="console=ttyAMA0 panic=-1 nokaslr"
timeout -k 5 "$limit" "$stepvisor" run --cpu "$model" --no-reboot --initrd "$out/initrd.cpio.gz" \
    --append "$append" "$KERNEL" >"$out/stepvisor" 2>&1 </dev/null
sv_rc=$?
timeout -k 5 "$limit" "$qemu" -M virt,gic-version=3 -cpu "$model" -m 128M -nic none -nographic \
    -no-reboot -kernel "$KERNEL" -initrd "$out/initrd.cpio.gz" -append "$append" \
    >"$out/qemu" 2>&1 </dev/null
q_rc=$?

for side in stepvisor qemu; do
    grep -a '^cpuinfo: ' "$out/$side" | tr -d '\r' >"$out/$side.lines"
done
fail=0
printf '%s\n' "$qemu_only" | sed '/^$/d' | while IFS='|' read -r line why; do
    if grep -qxF "$line" "$out/qemu.lines" && ! grep -qxF "$line" "$out/stepvisor.lines"; then
        echo "QEMU only: ${line#cpuinfo: } ($why)"
    else
        echo "expected on QEMU only, but not so: $line"
    fi
done >"$out/qemu_only"
cat "$out/qemu_only"
grep -q '^expected' "$out/qemu_only" && fail=1
printf '%s\n' "$qemu_only" | sed '/^$/d' | cut -d'|' -f1 >"$out/qemu_only.lines"
grep -vxF -f "$out/qemu_only.lines" "$out/qemu.lines" >"$out/qemu.kept"
mv "$out/qemu.kept" "$out/qemu.lines"
[ $sv_rc -eq 0 ] && [ $q_rc -eq 0 ] || { echo "stepvisor exited with $sv_rc, QEMU with $q_rc"; fail=1; }
grep -q '^cpuinfo: CPU part' "$out/qemu.lines" || { echo "QEMU printed no /proc/cpuinfo"; fail=1; }
if ! cmp -s "$out/stepvisor.lines" "$out/qemu.lines"; then
    echo "differs (< stepvisor, > QEMU):"
    diff "$out/stepvisor.lines" "$out/qemu.lines"
    fail=1
fi
if [ $fail -ne 0 ]; then
    echo "--- stepvisor console (last 40 lines) ---"; tail -n 40 "$out/stepvisor"
    exit 1
fi
cat "$out/qemu.lines"
echo "$KERNEL_VERSION on $model: the same on stepvisor and QEMU"
