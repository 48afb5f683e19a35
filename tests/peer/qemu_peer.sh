#!/bin/sh
# One guest on stepvisor and on QEMU (the reference machine): the serial
# output must be byte for byte the same.
#
#   qemu_peer.sh STEPVISOR QEMU GUEST [TIMEOUT_SECONDS]   (GUEST: any -kernel image)
#
# QEMU is -M virt,gic-version=3 -cpu max, the board stepvisor copies
# (docs: /work/shared/DESIGN.md, "vmm/"). Either side running past the
# timeout is killed and fails the test. Exit: 0 same output, 1 different,
# a side failed, or QEMU is missing (the peer is part of the suite).
# STEPVISOR_TEST_JIT=on|off runs stepvisor with --jit on|off (tests/test_jit.h).
set -u
stepvisor=$1 qemu=$2 elf=$3 limit=${4:-60}

if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
    echo "qemu-system-aarch64 not found (scripts/setup installs it)"
    exit 1
fi

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT

timeout -k 5 "$limit" "$stepvisor" run ${STEPVISOR_TEST_JIT:+--jit "$STEPVISOR_TEST_JIT"} "$elf" >"$out/stepvisor" 2>"$out/stepvisor.err" </dev/null
sv_rc=$?
timeout -k 5 "$limit" "$qemu" -M virt,gic-version=3 -cpu max -m 128M -nic none -nographic -no-reboot \
    -kernel "$elf" >"$out/qemu" 2>"$out/qemu.err" </dev/null
q_rc=$?

show() {
    echo "--- $1 (exit $2) ---"
    cat "$out/$1"
    if [ -s "$out/$1.err" ]; then
        echo "--- $1 stderr ---"
        cat "$out/$1.err"
    fi
}

fail=0
for side in "stepvisor $sv_rc" "qemu $q_rc"; do
    set -- $side
    if [ "$2" -ne 0 ]; then
        [ "$2" -ge 124 ] && echo "$1 ran past ${limit} s and was killed" || echo "$1 exited with $2"
        fail=1
    fi
done
if ! cmp -s "$out/stepvisor" "$out/qemu"; then
    echo "serial output differs:"
    diff "$out/stepvisor" "$out/qemu" | head -40
    fail=1
fi
if [ $fail -ne 0 ]; then
    show stepvisor $sv_rc
    show qemu $q_rc
    exit 1
fi
echo "same serial output on stepvisor and QEMU ($(wc -l <"$out/qemu") lines)"
