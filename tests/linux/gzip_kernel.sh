#!/bin/sh
# Ubuntu ships its arm64 kernel gzip'd (vmlinuz); QEMU's -kernel inflates
# it, and so does `stepvisor run`. Debian's Image, gzip'd here, boots exactly
# as the Image itself: runs are reproducible, so the console (earlycon on,
# timestamps included) up to the same instruction count is byte for byte
# the same. A short run: a few seconds each.
#
#   gzip_kernel.sh STEPVISOR [INSTRUCTIONS]
set -u
stepvisor=$1 insns=${2:-100000000}
src=$(cd "$(dirname "$0")/../.." && pwd)
packages=$("$src/scripts/fetch-debian") || { echo "scripts/fetch-debian failed"; exit 1; }
eval "$packages"

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
gzip -1c "$KERNEL" >"$out/vmlinuz.gz" || exit 1
append="console=ttyAMA0 earlycon=pl011,0x9000000 nokaslr"
for k in image gz; do
    file=$KERNEL
    [ $k = gz ] && file=$out/vmlinuz.gz
    timeout -k 5 120 "$stepvisor" run --max-insns "$insns" --append "$append" "$file" \
        >"$out/$k.console" 2>"$out/$k.err" </dev/null
    echo $? >"$out/$k.rc"
done

fail=0
for k in image gz; do
    [ "$(cat "$out/$k.rc")" = 1 ] && grep -q "stopped after $insns instructions" "$out/$k.err" ||
        { echo "$k: not stopped by --max-insns (exit $(cat "$out/$k.rc")):"; cat "$out/$k.err"; fail=1; }
done
grep -q "Machine model: linux,dummy-virt" "$out/gz.console" ||
    { echo "the gzip'd kernel printed no machine model"; fail=1; }
cmp -s "$out/image.console" "$out/gz.console" ||
    { echo "consoles differ:"; diff "$out/image.console" "$out/gz.console" | head -20; fail=1; }
if [ $fail -ne 0 ]; then
    echo "--- gzip'd kernel's console (last 20 lines) ---"; tail -n 20 "$out/gz.console"
    exit 1
fi
echo "$KERNEL_VERSION gzip'd ($(wc -c <"$out/vmlinuz.gz") bytes) printed the Image's $(wc -l <"$out/gz.console") console lines in $insns instructions"
