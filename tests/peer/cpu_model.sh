#!/bin/sh
# A CPU model on stepvisor --cpu MODEL and on QEMU -cpu MODEL (-M
# virt,gic-version=3): guests/id_probe.elf prints the identification
# registers and the firmware's answers, one "NAME value" line each. The lines
# must be the same, except in the fields below, where stepvisor's machine
# lacks what QEMU's has (docs/architecture-choices.md, "CPU models"). Each
# such difference is printed with its reason, and every entry must be seen
# to differ on every model, so the list cannot go stale.
#
#   cpu_model.sh STEPVISOR QEMU ID_PROBE.elf MODEL
set -u
stepvisor=$1 qemu=$2 elf=$3 model=$4

if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
    echo "qemu-system-aarch64 not found (scripts/setup installs it)"
    exit 1
fi

# REGISTER, the field's 4-bit-aligned mask as 16 hex digits, why.
deviations='
ID_AA64PFR0_EL1 00000000000000ff EL0 and EL1: AArch64 only, stepvisor has no A32/T32
ID_AA64DFR0_EL1 0000000000000f00 PMUVer: stepvisor has no PMU
ID_AA64DFR0_EL1 00000000f0000000 CTX_CMPs: one context-aware breakpoint, not two
ID_AA64DFR0_EL1 000000f000000000 DoubleLock: no OS Double Lock
ID_AA64MMFR0_EL1 0000000000000f00 BigEnd: no big-endian data accesses
ID_AA64MMFR0_EL1 000000000000f000 SNSMem: no Secure state
'

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT

timeout -k 5 60 "$stepvisor" run --cpu "$model" "$elf" >"$out/stepvisor" 2>"$out/stepvisor.err" </dev/null
sv_rc=$?
timeout -k 5 60 "$qemu" -M virt,gic-version=3 -cpu "$model" -m 128M -nic none -nographic \
    -no-reboot -kernel "$elf" >"$out/qemu" 2>"$out/qemu.err" </dev/null
q_rc=$?
if [ $sv_rc -ne 0 ] || [ $q_rc -ne 0 ]; then
    echo "stepvisor exited with $sv_rc, QEMU with $q_rc"
    cat "$out/stepvisor.err" "$out/qemu.err"
    exit 1
fi

printf '%s\n' "$deviations" | sed '/^$/d' >"$out/allow"
paste -d ' ' "$out/stepvisor" "$out/qemu" | awk -v allow="$out/allow" '
    BEGIN {
        while ((getline line < allow) > 0) {
            n++
            split(line, f, " ")
            reg[n] = f[1]; mask[n] = f[2]; why[n] = substr(line, length(f[1]) + length(f[2]) + 3)
        }
    }
    # NAME SV_VALUE NAME QEMU_VALUE (values 0x + 16 hex digits)
    {
        lines++
        if ($1 != $3) { print "line " NR ": stepvisor " $1 ", QEMU " $3; bad = 1; next }
        if ($2 == $4) next
        sv = tolower(substr($2, 3)); q = tolower(substr($4, 3))
        for (d = 1; d <= 16; d++) {
            if (substr(sv, d, 1) == substr(q, d, 1)) continue
            ok = 0
            for (i = 1; i <= n; i++)
                if (reg[i] == $1 && substr(mask[i], d, 1) == "f") { ok = 1; seen[i] = 1 }
            if (!ok) { print $1 ": stepvisor " $2 ", QEMU " $4 " (digit " d " not a known deviation)"; bad = 1 }
        }
    }
    END {
        for (i = 1; i <= n; i++) {
            if (seen[i]) print "deviation " reg[i] " & 0x" mask[i] ": " why[i]
            else { print "deviation " reg[i] " & 0x" mask[i] " no longer differs: drop it"; bad = 1 }
        }
        if (lines < 20) { print "only " lines " lines: the probe did not finish"; bad = 1 }
        exit bad
    }' || {
    echo "--- stepvisor ---"; cat "$out/stepvisor"; echo "--- QEMU ---"; cat "$out/qemu"
    exit 1
}
if [ "$(wc -l <"$out/stepvisor")" -ne "$(wc -l <"$out/qemu")" ]; then
    echo "line counts differ"
    exit 1
fi
echo "$model: the same on stepvisor and QEMU ($(wc -l <"$out/qemu") lines) but for the deviations above"
