# scripts/bench gdb-step, inside gdb-multiarch (gdb -batch -x): BENCH_STEPS
# single steps as one `stepi N` command, then as N separate `stepi`
# commands, each timed; prints "gdb-step KIND N SECONDS PC X1 X2" per kind
# (the registers let the caller check both machines stepped alike), then
# kills the target.
import os
import time

import gdb

n = int(os.environ.get("BENCH_STEPS", "5000"))


def state():
    f = gdb.selected_frame()
    return " ".join(f"{int(f.read_register(r)) & (2**64 - 1):#x}" for r in ("pc", "x1", "x2"))


def timed(kind, run):
    t0 = time.perf_counter()
    run()
    t1 = time.perf_counter()
    print(f"gdb-step {kind} {n} {t1 - t0:.6f} {state()}", flush=True)


def separate():
    for _ in range(n):
        gdb.execute("stepi", to_string=True)


timed("one", lambda: gdb.execute(f"stepi {n}", to_string=True))
timed("separate", separate)
gdb.execute("kill")
