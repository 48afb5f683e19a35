#!/bin/sh
# With the -dbg package (scripts/fetch-debian --dbg, as `scripts/demo linux
# --dbg` uses it), gdb-multiarch debugs the kernel booted on stepvisor with
# its vmlinux: a breakpoint by name stops in the C source
# (drivers/tty/serial/amba-pl011.c), and the DWARF unwinding walks past the
# ftrace entry that stops gdb's prologue analysis without it, up to printk.
#
#   dbg_vmlinux.sh STEPVISOR [TIMEOUT_SECONDS]
set -u
stepvisor=$1 limit=${2:-180}
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/linux/gdb_boot.sh"
command -v gdb-multiarch >/dev/null || { echo "gdb-multiarch not found (scripts/setup installs it)"; exit 1; }
packages=$("$src/scripts/fetch-debian" --dbg) || { echo "scripts/fetch-debian --dbg failed"; exit 1; }
eval "$packages"

out=$(mktemp -d) || exit 1
trap 'kill $sv 2>/dev/null; rm -rf "$out"' EXIT
gdb_boot "$out" "$limit" "$stepvisor" --no-reboot --serial none \
    --append "console=ttyAMA0 nokaslr panic=-1" "$KERNEL"

timeout "$limit" gdb-multiarch -batch -nx "$VMLINUX" -ex "target remote 127.0.0.1:$port" \
    -ex 'break pl011_console_putchar' -ex continue -ex 'info line *$pc' -ex bt -ex kill \
    >"$out/gdb" 2>&1
wait $sv

gdb_expect "$out" "in pl011_console_putchar () at drivers/tty/serial/amba-pl011.c:" \
    " in uart_console_write (" " in pl011_console_write (" " console_emit_next_record (" \
    " in kernel_init ("
grep -E "^Breakpoint 1|^Line|^#[0-9] " "$out/gdb" | cut -c1-160
echo "gdb debugged $KERNEL_VERSION with its vmlinux ($VMLINUX)"
