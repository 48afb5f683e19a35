#!/bin/sh
# Kernel symbols without the -dbg package: Debian's kernel's own kallsyms
# listing (scripts/kernel-kallsyms, cached per kernel build) through
# `stepvisor kallsyms2elf`, loaded by gdb-multiarch with add-symbol-file
# while the same kernel boots on stepvisor: a breakpoint set by
# name is hit, and gdb names the PC, the caller and the instructions, and
# finds a function's address by name and a function by an address in it.
#
#   kallsyms_gdb.sh STEPVISOR [TIMEOUT_SECONDS]
set -u
stepvisor=$1 limit=${2:-120}
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/linux/gdb_boot.sh"
command -v gdb-multiarch >/dev/null || { echo "gdb-multiarch not found (scripts/setup installs it)"; exit 1; }
packages=$("$src/scripts/fetch-debian") || { echo "scripts/fetch-debian failed"; exit 1; }
eval "$packages"
listing=$("$src/scripts/kernel-kallsyms" "$stepvisor") || { echo "scripts/kernel-kallsyms failed"; exit 1; }

out=$(mktemp -d) || exit 1
trap 'kill $sv 2>/dev/null; rm -rf "$out"' EXIT
"$stepvisor" kallsyms2elf "$listing" -o "$out/kernel.syms" >/dev/null || exit 1
"$src/scripts/make-initramfs" "$BUSYBOX" "$src/tests/linux/kallsyms_init.sh" "$out/initrd.cpio.gz" || exit 1

gdb_boot "$out" "$limit" "$stepvisor" --no-reboot --serial none --initrd "$out/initrd.cpio.gz" \
    --append "console=ttyAMA0 nokaslr quiet panic=-1" "$KERNEL"

addr() { awk -v name="$1" '$3 == name { print $1; exit }' "$listing"; }
putchar=$(addr pl011_console_putchar) write=$(addr pl011_console_write)
timeout "$limit" gdb-multiarch -batch -nx -ex 'set architecture aarch64' \
    -ex "target remote 127.0.0.1:$port" -ex "add-symbol-file $out/kernel.syms" \
    -ex 'break pl011_console_putchar' -ex continue -ex 'info symbol $pc' -ex bt \
    -ex 'x/3i $pc' -ex 'info address pl011_console_write' \
    -ex "info symbol 0x$write + 0x10" -ex kill >"$out/gdb" 2>&1
wait $sv

gdb_expect "$out" "Breakpoint 1, 0x$putchar in pl011_console_putchar ()" \
    "pl011_console_putchar in section .text" \
    " in uart_console_write ()" \
    "<pl011_console_putchar+8>:" \
    "Symbol \"pl011_console_write\" is at 0x$write in a file compiled without debugging." \
    "pl011_console_write + 16 in section .text"
grep -E "^Breakpoint 1|in section|^#|^Symbol" "$out/gdb"
echo "gdb named $KERNEL_VERSION's functions from its kallsyms ($(wc -l <"$listing") symbols)"
