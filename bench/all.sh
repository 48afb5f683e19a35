#!/usr/bin/env bash
# scripts/bench all (from the repository root): mips, fp, api-step,
# gdb-step and linux-boot one after another in this invocation, each
# printing its own report, then one table of the ratios against issue 18's
# aims. REPEAT, STEPS, HIPG and BUILD reach every benchmark. A benchmark
# that fails shows as "failed" and makes the status 1; an aim not met does
# not (these are measurements, not tests).
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

status=0
for b in mips fp api-step gdb-step linux-boot; do
    echo "== scripts/bench $b"
    scripts/bench "$b" 2>&1 | tee "$logs/$b" || { status=1; echo "bench all: $b failed"; }
    echo
done

# The ratio each benchmark printed, or nothing.
# mips and fp: "stepvisor/qemu: R  stepvisor/unicorn: R" (fp: all kernels, the first).
vs_qemu() { sed -n 's/^stepvisor\/qemu: \([0-9.]*\) .*/\1/p' "$logs/$1" | head -n 1; }
# api-step: "stepvisor API, state-machine   N   Rx unicorn", the best of REPEAT.
api_step() {
    sed -n 's/^stepvisor API, state-machine .* \([0-9.]*\)x unicorn$/\1/p' "$logs/api-step" |
        sort -g | tail -n 1
}
# gdb-step: "stepvisor/qemu  R_one  R_separate"; $1 = 2 (stepi N) or 3 (N x stepi).
gdb_step() { awk -v f="$1" '$1 == "stepvisor/qemu" { print $f }' "$logs/gdb-step"; }
# linux-boot: "linux-boot: QEMU/stepvisor R".
linux_boot() { sed -n 's/^linux-boot: QEMU\/stepvisor \([0-9.]*\)$/\1/p' "$logs/linux-boot"; }

row() {  # NAME RATIO AIM
    local met
    if [[ -z $2 ]]; then
        printf '%-44s %8s %7.1fx %6s\n' "$1" failed "$3" -
        return
    fi
    met=$(awk -v r="$2" -v a="$3" 'BEGIN { print (r >= a) ? "yes" : "no" }')
    printf '%-44s %7.2fx %7.1fx %6s\n' "$1" "$2" "$3" "$met"
}

echo "== issue 18's aims (REPEAT=${REPEAT:-1}; stepvisor with its default --jit)"
printf '%-44s %8s %8s %6s\n' benchmark ratio aim met
row "integer workload (mips) vs QEMU" "$(vs_qemu mips)" 1.5
row "FP/SIMD workload (fp, all kernels) vs QEMU" "$(vs_qemu fp)" 1.5
row "linux-boot (spawn to Run /init) vs QEMU" "$(linux_boot)" 1.0
row "api-step (state-machine) vs Unicorn" "$(api_step)" 2
row "gdb-step, one stepi N, vs QEMU" "$(gdb_step 2)" 3
row "gdb-step, N separate stepi, vs QEMU" "$(gdb_step 3)" 3
exit $status
