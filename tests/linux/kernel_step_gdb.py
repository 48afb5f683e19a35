# A gdb-multiarch script (gdb -batch -x) that steps through a kernel function
# from its first hit: a hardware breakpoint on KT_FUNC, then KT_STEPS stepi,
# one "step N PC" line per state (before the first stepi and after each).
# Each call of pl011_console_write seen on the way, and, with KT_NEXT_WRITE=1,
# the next one after the last step, adds "write N HEX": the console text
# (its s and count arguments) the call is about to print, so a trace that
# leaves the other machine's in the printk code can say which line differs.
#
# Environment: KT_OUT (the trace file), KT_FUNC, KT_STEPS, KT_NEXT_WRITE.
import os

import gdb

out = open(os.environ["KT_OUT"], "w")
func = os.environ["KT_FUNC"]
steps = int(os.environ["KT_STEPS"])
next_write = os.environ.get("KT_NEXT_WRITE") == "1"
console_write = int(gdb.parse_and_eval("(long)&pl011_console_write")) & (2**64 - 1)


def reg(name):
    return int(gdb.selected_frame().read_register(name)) & (2**64 - 1)


def log_write(n):
    text = gdb.selected_inferior().read_memory(reg("x1"), min(reg("x2"), 1024)).tobytes()
    out.write(f"write {n} {text.hex()}\n")


def record(n):
    pc = reg("pc")
    out.write(f"step {n} {pc:x}\n")
    if pc == console_write:
        log_write(n)


gdb.execute(f"hbreak {func}")
gdb.execute("continue")
gdb.execute("delete")
record(0)
for n in range(1, steps + 1):
    gdb.execute("stepi", to_string=True)
    record(n)
if next_write:
    gdb.execute("hbreak pl011_console_write")
    gdb.execute("continue")
    log_write(steps + 1)
out.write("done\n")
out.close()
gdb.execute("kill")
