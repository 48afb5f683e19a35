#!/bin/sh
# guests/blk_dma_code on stepvisor and on QEMU, each with a blank image: the
# guest writes code to sector 0, reads it over a function it ran, and runs
# it again. Both serial outputs must be the expected one, and both images
# must hold the code the guest wrote.
#
#   dma_code.sh STEPVISOR QEMU GUEST_ELF
set -u
stepvisor=$1 qemu=$2 elf=$3

if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
    echo "qemu-system-aarch64 not found (scripts/setup installs it)"
    exit 1
fi
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
truncate -s 4096 "$out/sv.img" "$out/qemu.img"

printf '%s\n' "call: 1" "write sector 0: status 0" "read sector 0 over the code: status 0" \
    "call: 42" >"$out/expected"
timeout -k 5 60 "$stepvisor" run --disk "$out/sv.img" "$elf" >"$out/sv" 2>&1 </dev/null
echo "stepvisor exit $?" >>"$out/sv"
timeout -k 5 60 "$qemu" -M virt,gic-version=3 -cpu max -m 128M -nic none -nographic -no-reboot \
    -global virtio-mmio.force-legacy=false -device virtio-blk-device,drive=d \
    -drive if=none,id=d,file="$out/qemu.img",format=raw -kernel "$elf" >"$out/qemu" 2>&1 </dev/null
echo "qemu exit $?" >>"$out/qemu"

fail=0
for side in sv qemu; do
    name=$([ $side = sv ] && echo stepvisor || echo qemu)
    { cat "$out/expected"; echo "$name exit 0"; } >"$out/want"
    if ! cmp -s "$out/want" "$out/$side"; then
        echo "--- $name: got ---"; cat "$out/$side"
        fail=1
    fi
    # mov w0, #42 and ret, little-endian, at the start of the image.
    code=$(od -An -tx4 -N8 "$out/$side.img" | tr -s ' ')
    if [ "$code" != " 52800540 d65f03c0" ]; then
        echo "$name's image starts with$code, not the guest's code"
        fail=1
    fi
done
[ $fail -eq 0 ] || { echo "--- expected ---"; cat "$out/expected"; exit 1; }
echo "DMA over code: the new code ran on stepvisor and on QEMU"
