# gdb-multiarch's half of bench/reverse.py (gdb -batch -x), connected to
# `stepvisor run --reverse --gdb`: prints "reverse-bench NAME VALUE" lines.
# Environment: BENCH_LIVE and BENCH_FURTHER (instruction counts),
# BENCH_STEPS (reverse-stepi's to time), BENCH_BREAK (an address).
import os
import time

import gdb

live = int(os.environ["BENCH_LIVE"])
further = int(os.environ["BENCH_FURTHER"])
steps = int(os.environ["BENCH_STEPS"])
brk = os.environ["BENCH_BREAK"]


def run(command):
    return gdb.execute(command, to_string=True)


def timed(command):
    t0 = time.monotonic()
    out = run(command)
    return time.monotonic() - t0, out


def icount():
    return int(run("monitor icount").split()[1])


t, out = timed(f"monitor goto {live}")
if icount() != live:
    raise gdb.GdbError(f"goto {live}: {out}")
print(f"reverse-bench live {t:.4f}")
run("maintenance flush register-cache")

times = []
for _ in range(steps):
    t, _ = timed("reverse-stepi")
    times.append(t)
if icount() >= live:
    raise gdb.GdbError("reverse-stepi did not go back")
print("reverse-bench stepi " + " ".join(f"{x:.5f}" for x in times))

t, out = timed(f"monitor goto {further}")
if icount() != further:
    raise gdb.GdbError(f"goto {further}: {out}")
print(f"reverse-bench forward {t:.4f}")
run("maintenance flush register-cache")
run(f"break *{brk}")
t, _ = timed("reverse-continue")
pc = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
if pc != int(brk, 16):
    raise gdb.GdbError(f"reverse-continue stopped at {pc:#x}, not at {brk}")
print(f"reverse-bench continue {t:.4f}")
print(f"reverse-bench hit {icount()}")
print(f"reverse-bench history {run('monitor history').strip()}")
print("reverse-bench done 1")
run("kill")
