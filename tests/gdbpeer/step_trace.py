# A gdb-multiarch script (gdb -batch -x) that writes a step trace of the
# target gdb is connected to: a "label NAME ADDR" line per row label of the
# guest, then one "step" line for the state before any stepi and after each
# one: PC, X0-X30, SP, CPSR without PSTATE.SS, TCR_EL1, ESR_EL1 and the size
# of the serial output file, all read through gdb; "exited CODE" when the
# guest powers off.
#
# Environment: STEP_TRACE_OUT (the trace file), STEP_TRACE_SERIAL (the
# target's serial output file), STEP_TRACE_MAX (stepi limit, default 500),
# STEP_TRACE_LOG_AT (a label: gdb's remote packet log of the stepi from it
# goes to stderr between "step-trace: log begin/end" lines),
# STEP_TRACE_SLEEP_AT (a label: gdb holds the target 50 ms of host time
# before the stepi from it).
import os
import sys
import time

import gdb

# gdb does not put this script's directory on sys.path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_labels  # noqa: E402

PSTATE_SS = 1 << 21
REGS = [f"x{i}" for i in range(31)] + ["sp"]
# System registers that show a step's effect (both stubs name them so).
SYSREGS = ["TCR_EL1", "ESR_EL1"]

out = open(os.environ["STEP_TRACE_OUT"], "w")
serial = os.environ.get("STEP_TRACE_SERIAL", "")
limit = int(os.environ.get("STEP_TRACE_MAX", "500"))
log_at = os.environ.get("STEP_TRACE_LOG_AT", "")
sleep_at = os.environ.get("STEP_TRACE_SLEEP_AT", "")
exit_code = trace_labels.record_exit_code()
labels = trace_labels.read_labels(r"\[\s*\d+\] [tT] 0x([0-9a-f]+) ((row_|vector)\S*) ", out)


def serial_size():
    try:
        return os.path.getsize(serial)
    except OSError:
        return -1


def record(n):
    frame = gdb.selected_frame()
    value = lambda r: int(frame.read_register(r)) & (2**64 - 1)
    regs = " ".join(f"{value(r):x}" for r in ["pc"] + REGS)
    cpsr = value("cpsr") & 0xFFFFFFFF & ~PSTATE_SS
    sysregs = " ".join(f"{value(r):x}" for r in SYSREGS)
    out.write(f"step {n} {regs} {cpsr:x} {sysregs} {serial_size()}\n")
    out.flush()
    return value("pc")


pc = record(0)
for n in range(1, limit + 1):
    if sleep_at and pc == labels.get(sleep_at):
        time.sleep(0.05)
    logging = log_at and pc == labels.get(log_at)
    if logging:
        gdb.execute("set debug remote 1")
    try:
        said = gdb.execute("stepi", to_string=True)
    except gdb.error as e:
        out.write(f"error {e}\n")
        break
    finally:
        if logging:
            gdb.execute("set debug remote 0")
    if logging:
        # gdb.execute captures the debug log with the command's output.
        sys.stderr.write(f"step-trace: log begin\n{said}step-trace: log end\n")
    if exit_code or not gdb.selected_inferior().pid:
        out.write(f"exited {exit_code[0] if exit_code else -1}\n")
        break
    pc = record(n)
out.close()
