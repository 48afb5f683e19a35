#!/bin/sh
# QEMU's image locks between stepvisor, a second stepvisor and QEMU: while
# one writes an image nobody else opens it; readers share it. Each holder
# runs until killed (stepvisor: guests/wfi_echo idle in WFI; QEMU: paused
# with -S) and holds its locks before the others try (seen in /proc/locks).
#
#   disk_lock.sh STEPVISOR QEMU GUEST_DIR
set -u
stepvisor=$1 qemu=$2 guests=$3

if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
    echo "qemu-system-aarch64 not found (scripts/setup installs it)"
    exit 1
fi
out=$(mktemp -d) || exit 1
holder=
trap '[ -n "$holder" ] && kill $holder 2>/dev/null; rm -rf "$out"' EXIT
img=$out/disk.img
truncate -s 1M "$img"
mkfifo "$out/stdin"
exec 3<>"$out/stdin"  # the holder's console input: open, never written
fail=0

# launch LIMIT qemu READONLY | launch LIMIT sv DISK_SPEC GUEST: execs the
# machine (in a subshell) under timeout LIMIT. QEMU runs paused (-S).
launch() {
    limit=$1 kind=$2
    shift 2
    if [ "$kind" = qemu ]; then
        exec timeout "$limit" "$qemu" -M virt -cpu max -nic none -display none -monitor none \
            -serial none -S -global virtio-mmio.force-legacy=false \
            -device virtio-blk-device,drive=d -drive if=none,id=d,file="$img",format=raw,readonly=$1
    fi
    exec timeout "$limit" "$stepvisor" run --idle sleep --disk "$1" "$guests/$2.elf"
}
# Waits until someone holds lock byte $1 of the image.
wait_locked() {
    ino=$(stat -c %i "$img")
    for _ in $(seq 100); do
        awk -v ino="$ino" -v b="$1" \
            '$6 ~ ":" ino "$" && $7 <= b && b <= $8 { f = 1 } END { exit !f }' /proc/locks &&
            return 0
        sleep 0.1
    done
    echo "FAIL: no process took lock byte $1 of the image"; fail=1
}
# hold BYTE MACHINE...: runs the machine in the background until stop.
hold() {
    byte=$1
    shift
    (launch 120 "$@" <&3) >"$out/holder.log" 2>&1 &
    holder=$!
    wait_locked "$byte"
}
stop() { kill $holder; wait $holder 2>/dev/null; holder=; }

# expect WHAT STATUS PATTERN MACHINE...: the machine exits with STATUS and
# its output has PATTERN (grep -F); STATUS 124: still running after 3 s;
# STATUS 2 (stepvisor's bad input): one line of output, no more.
expect() {
    what=$1 status=$2 pattern=$3
    shift 3
    (launch 3 "$@") >"$out/log" 2>&1 </dev/null
    rc=$?
    lines=$(wc -l <"$out/log")
    if [ $rc -ne "$status" ] || ! grep -qF -- "$pattern" "$out/log" ||
        { [ "$status" -eq 2 ] && [ "$lines" -ne 1 ]; }; then
        echo "FAIL: $what: exit $rc (expected $status), output:"; cat "$out/log"; fail=1
    else
        echo "ok: $what: exit $rc $(grep -F -- "$pattern" "$out/log" | head -1)"
    fi
}
sv_error() {
    echo "stepvisor: --disk $img: Failed to get $1 lock (is another process using the image?)"
}

echo "== stepvisor writes the image"
hold 101 sv "$img" wfi_echo
expect "second stepvisor" 2 "$(sv_error '"write"')" sv "$img" hello
expect "second stepvisor, readonly=on" 2 "$(sv_error 'shared "write"')" sv "$img,readonly=on" hello
expect "QEMU" 1 'Failed to get "write" lock' qemu off
expect "QEMU, readonly=on" 1 'Failed to get shared "write" lock' qemu on
stop

echo "== QEMU writes the image"
hold 101 qemu off
expect "stepvisor" 2 "$(sv_error '"write"')" sv "$img" hello
expect "stepvisor, readonly=on" 2 "$(sv_error 'shared "write"')" sv "$img,readonly=on" hello
stop

echo "== QEMU reads the image (readonly=on)"
hold 100 qemu on
expect "stepvisor, readonly=on, shares it" 0 "Hello from EL1" sv "$img,readonly=on" hello
expect "stepvisor" 2 "$(sv_error '"write"')" sv "$img" hello
stop

echo "== stepvisor reads the image (readonly=on)"
hold 100 sv "$img,readonly=on" wfi_echo
expect "QEMU, readonly=on, shares it" 124 "" qemu on
expect "second stepvisor, readonly=on, shares it" 0 "Hello from EL1" sv "$img,readonly=on" hello
expect "QEMU" 1 'Failed to get "write" lock' qemu off
stop

echo "== nobody holds it"
expect "stepvisor" 0 "Hello from EL1" sv "$img" hello
exit $fail
