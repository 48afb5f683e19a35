#!/usr/bin/env bash
# scripts/bench gdb-step (from the repository root): gdb-multiarch
# single-steps guests/spin_loop.S on `stepvisor run --gdb 127.0.0.1:0
# --wait-gdb` and on qemu-system-aarch64
# -M virt,gic-version=3 -cpu cortex-a57 -S (its gdbstub, default sstep
# flags), in this invocation: STEPS single steps as one `stepi N` command,
# then as N separate `stepi` commands (bench/gdb_step.py), timed inside gdb;
# REPEAT rounds (default 1), the machines taking turns, the best of each.
# Prints stepi's per second for each and the ratios stepvisor/QEMU; fails if
# the two machines' PC, X1 and X2 disagree after either phase.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
STEPS=${STEPS:-5000}
REPEAT=${REPEAT:-1}
SV=$BUILD/stepvisor ELF=$BUILD/guests/spin_loop.elf
for f in "$SV" "$ELF"; do
    [[ -e $f ]] || { echo "bench: missing $f (build stepvisor bench_guests)" >&2; exit 2; }
done
for p in gdb-multiarch qemu-system-aarch64; do
    command -v $p >/dev/null || { echo "bench: $p not found" >&2; exit 2; }
done
[[ $STEPS =~ ^[1-9][0-9]*$ ]] || { echo "bench: STEPS=$STEPS is not a count" >&2; exit 2; }
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "bench: REPEAT=$REPEAT is not a count" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
# Every process is bounded: a machine stepping at 100 stepi/s still ends.
limit=$((60 + STEPS / 50))

# gdb_bench PORT: the "gdb-step KIND N SECONDS PC X1 X2" lines.
gdb_bench() {
    BENCH_STEPS=$STEPS timeout -k 5 $limit gdb-multiarch -batch -nx \
        -ex 'set architecture aarch64' -ex "file $ELF" -ex "target remote 127.0.0.1:$1" \
        -x bench/gdb_step.py 2>"$tmp/gdb.err" | grep '^gdb-step ' || {
        echo "bench: gdb failed: $(tail -n 8 "$tmp/gdb.err")" >&2
        return 1
    }
}

bench_stepvisor() {
    # A fresh file each round: the background job truncates it only once it
    # runs, so under load the loop below could read the last round's port
    # (gdb then met a refused connect, retried for 15 s and said
    # "Connection timed out").
    rm -f "$tmp/sv.err"
    timeout -k 5 $limit "$SV" run --gdb 127.0.0.1:0 --wait-gdb "$ELF" >/dev/null 2>"$tmp/sv.err" &
    local port="" i
    for ((i = 0; i < 1000; i++)); do
        port=$(sed -n 's/^gdb: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/sv.err" 2>/dev/null)
        [[ -z $port ]] || break
        sleep 0.01
    done
    [[ -n $port ]] || { echo "bench: stepvisor did not listen: $(cat "$tmp/sv.err")" >&2; return 1; }
    local pid=$! status=0
    gdb_bench "$port" || status=1
    wait $pid || true  # gdb's kill ends stepvisor with status 1
    [[ $status -eq 0 ]] || echo "bench: stepvisor said: $(tail -n 3 "$tmp/sv.err")" >&2
    return $status
}

bench_qemu() {
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    timeout -k 5 $limit qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -m 128M \
        -nic none -display none -monitor none -serial none -kernel "$ELF" -gdb "tcp:127.0.0.1:$port" -S \
        >"$tmp/qemu.out" 2>&1 &
    local pid=$! status=0
    gdb_bench "$port" || status=1  # gdb retries the connection while QEMU starts
    wait $pid || true
    [[ $status -eq 0 ]] || echo "bench: QEMU said: $(tail -n 3 "$tmp/qemu.out")" >&2
    return $status
}

# REPEAT rounds, the machines taking turns; the best time of each phase.
sv="" qemu=""
for ((r = 0; r < REPEAT; r++)); do
    sv+=$(bench_stepvisor)$'\n' || exit 1
    qemu+=$(bench_qemu)$'\n' || exit 1
done

# regs KIND LINES: the distinct "pc x1 x2" after KIND's phase.
regs() { awk -v k="$1" '$2 == k { print $5, $6, $7 }' <<<"$2" | sort -u; }
# best KIND LINES: stepi's per second of KIND's fastest round.
best() {
    awk -v k="$1" -v n="$STEPS" '$2 == k && (t == "" || $4 < t) { t = $4 }
        END { printf "%.0f", n / t }' <<<"$2"
}
status=0
for kind in one separate; do
    a=$(regs $kind "$sv") b=$(regs $kind "$qemu")
    if [[ $a != "$b" ]]; then
        echo "bench: after the $kind phase stepvisor has pc x1 x2 = $a, QEMU $b" >&2
        status=1
    fi
done
sv_one=$(best one "$sv") sv_sep=$(best separate "$sv")
q_one=$(best one "$qemu") q_sep=$(best separate "$qemu")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "gdb-step: $STEPS stepi per phase, best of $REPEAT, through $(gdb-multiarch --version | head -n 1)"
printf '%-16s %14s %16s\n' engine "stepi N (/s)" "N x stepi (/s)"
printf '%-16s %14s %16s\n' stepvisor "$sv_one" "$sv_sep"
printf '%-16s %14s %16s\n' "qemu (TCG)" "$q_one" "$q_sep"
printf '%-16s %14s %16s\n' stepvisor/qemu "$(ratio "$sv_one" "$q_one")" "$(ratio "$sv_sep" "$q_sep")"
exit $status
