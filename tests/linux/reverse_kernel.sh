#!/bin/sh
# Reverse execution on Debian's kernel booting (docs/reverse.md): the state
# at an instruction count is the same whether the machine got there in one
# live run, in a run cut into a thousand pieces by checkpoints, by a replay
# from a checkpoint, or by reverse-stepi's back and stepi's forwards; and the
# console is the plain run's, byte for byte, with nothing written twice.
#
#   reverse_kernel.sh STEPVISOR [INSTRUCTIONS]
set -u
stepvisor=$1 insns=${2:-150000000}
half=$((insns / 2))
src=$(cd "$(dirname "$0")/../.." && pwd)
packages=$("$src/scripts/fetch-debian") || { echo "scripts/fetch-debian failed"; exit 1; }
eval "$packages"

out=$(mktemp -d) || exit 1
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT
append="console=ttyAMA0 earlycon=pl011,0x9000000 nokaslr"
regs="info registers pc sp cpsr x0 x1 x2 x3 x4 x5 x19 x20 x29 x30 fpsr fpcr"

# session NAME STEPVISOR-OPTIONS GDB-COMMANDS...: one reverse run driven by
# gdb; its console in NAME.console, gdb's output in NAME.gdb.
session() {
    name=$1 opts=$2
    shift 2
    # shellcheck disable=SC2086
    timeout -k 5 300 "$stepvisor" run --max-insns $((insns + 1000)) --append "$append" \
        --gdb 127.0.0.1:0 --wait-gdb --reverse $opts "$KERNEL" \
        >"$out/$name.console" 2>"$out/$name.err" </dev/null &
    for _ in $(seq 100); do
        port=$(sed -n 's/^gdb: listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$out/$name.err")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "$name: stepvisor did not listen:"; cat "$out/$name.err"; return 1; }
    set -- -ex "target remote 127.0.0.1:$port" "$@" -ex kill
    timeout -k 5 300 gdb-multiarch -batch -nx -ex 'set architecture aarch64' "$@" \
        >"$out/$name.gdb" 2>&1
    wait
}
# The lines of `info registers` after the Nth "@@ mark" line of a session.
state() { awk -v n="$2" '/^@@ mark/ { k++; next } k == n && /^[a-z0-9]+ +0x/' "$out/$1.gdb"; }

flush="maintenance flush register-cache"
session one "" -ex "monitor goto $insns" -ex "$flush" -ex "echo @@ mark\n" -ex "$regs" ||
    exit 1
session pieces "--reverse-interval 999983" \
    -ex "monitor goto $insns" -ex "$flush" -ex "echo @@ mark\n" -ex "$regs" \
    -ex "monitor goto $half" -ex "monitor goto $insns" -ex "$flush" -ex "echo @@ mark\n" -ex "$regs" \
    -ex "reverse-stepi 3" -ex "echo @@ mark\n" -ex "$regs" -ex "monitor icount" \
    -ex "stepi 3" -ex "echo @@ mark\n" -ex "$regs" -ex "monitor history" || exit 1
timeout -k 5 120 "$stepvisor" run --max-insns "$insns" --append "$append" "$KERNEL" \
    >"$out/plain.console" 2>/dev/null </dev/null

fail=0
want=$(state one 1)
[ "$(echo "$want" | wc -l)" -eq 15 ] || { echo "no registers read:"; cat "$out/one.gdb"; exit 1; }
for k in 1 2 4; do
    [ "$(state pieces $k)" = "$want" ] ||
        { echo "state $k of the run in pieces differs:"; echo "$want" | diff - "$(state pieces $k)"; \
          state pieces $k; fail=1; }
done
grep -q "^icount $((insns - 3))$" "$out/pieces.gdb" ||
    { echo "reverse-stepi 3 is not at $((insns - 3)):"; grep icount "$out/pieces.gdb"; fail=1; }
[ "$(state pieces 3)" != "$want" ] || { echo "reverse-stepi 3 changed nothing"; fail=1; }
for s in one pieces; do
    cmp -s "$out/plain.console" "$out/$s.console" ||
        { echo "$s: console differs from the plain run's:"; \
          diff "$out/plain.console" "$out/$s.console" | head -10; fail=1; }
done
if [ $fail -ne 0 ]; then
    echo "--- gdb (pieces) ---"; tail -n 40 "$out/pieces.gdb"; cat "$out/pieces.err"
    exit 1
fi
echo "$KERNEL_VERSION: the same state at $insns in one run and in pieces, after a replay and" \
     "after reverse-stepi 3 / stepi 3; $(grep '^history' "$out/pieces.gdb")"
