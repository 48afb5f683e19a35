#!/bin/sh
# Nothing observable changes with the translation tier (issue 18): Debian's
# kernel boots the busybox initramfs of busybox_init.sh (its /init runs
# real user space, prints its checks and powers off) twice, --jit off and
# --jit on, with a fixed --rtc base, --cpu cortex-a57 and --idle warp, so
# both runs are reproducible. The exit traces (--trace exits, less the host
# nanoseconds that end each line) and the consoles must be byte for byte the
# same, both runs must retire the same instruction count (--stats), and
# under --jit on generated code must retire at least 95% of them.
#
#   jit_equality.sh STEPVISOR [TIMEOUT_SECONDS]
set -u
stepvisor=$1 limit=${2:-300}
src=$(cd "$(dirname "$0")/../.." && pwd)
packages=$("$src/scripts/fetch-debian") || { echo "scripts/fetch-debian failed"; exit 1; }
eval "$packages"

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
"$src/scripts/make-initramfs" "$BUSYBOX" "$src/tests/linux/init.sh" "$out/initrd.cpio.gz" || exit 1

fail=0
for jit in off on; do
    timeout -k 5 "$limit" "$stepvisor" run --jit $jit --no-reboot --cpu cortex-a57 --idle warp \
        --rtc base=2026-01-01T00:00:00 --trace exits --trace-file "$out/$jit.trace" --stats \
        --initrd "$out/initrd.cpio.gz" --append "console=ttyAMA0 panic=-1" "$KERNEL" \
        >"$out/$jit.console" 2>"$out/$jit.err" </dev/null
    rc=$?
    if [ $rc -ne 0 ] || ! grep -q "init: all checks passed" "$out/$jit.console"; then
        echo "--jit $jit: exit status $rc, console (last 20 lines):"
        tail -n 20 "$out/$jit.console"
        tail -n 5 "$out/$jit.err"
        fail=1
    fi
    # "... userspace 812 ns": the host's time is the one field allowed to differ.
    sed 's/ [0-9]* ns$//' "$out/$jit.trace" >"$out/$jit.exits"
    # "generated code: 97.3% of 903927338 instructions"
    sed -n 's/^generated code: \([0-9.]*\)% of \([0-9]*\) instructions$/\1 \2/p' "$out/$jit.err" \
        >"$out/$jit.share"
    [ -s "$out/$jit.share" ] || { echo "--jit $jit: no 'generated code' line in --stats"; fail=1; }
done
[ $fail -eq 0 ] || exit 1

cmp -s "$out/off.console" "$out/on.console" ||
    { echo "the consoles differ:"; diff "$out/off.console" "$out/on.console" | head -20; fail=1; }
cmp -s "$out/off.exits" "$out/on.exits" ||
    { echo "the exit traces differ (first lines that do):"
      diff "$out/off.exits" "$out/on.exits" | head -20; fail=1; }
read -r off_share off_insns <"$out/off.share"
read -r on_share on_insns <"$out/on.share"
[ "$off_insns" = "$on_insns" ] ||
    { echo "instructions retired: $off_insns under --jit off, $on_insns under --jit on"; fail=1; }
[ "$off_share" = 0.0 ] || { echo "--jit off ran $off_share% in generated code"; fail=1; }
awk -v s="$on_share" 'BEGIN { exit !(s >= 95) }' ||
    { echo "--jit on ran $on_share% of $on_insns instructions in generated code (want >= 95%)"; fail=1; }
[ $fail -eq 0 ] || exit 1
echo "$KERNEL_VERSION: $(wc -l <"$out/on.exits") exits and $(wc -l <"$out/on.console") console" \
     "lines alike under --jit off and on; $on_insns instructions, $on_share% in generated code"
