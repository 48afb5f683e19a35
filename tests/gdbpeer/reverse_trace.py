# A gdb-multiarch script (gdb -batch -x) that runs a list of commands on a
# target served with `stepvisor run --gdb --wait-gdb --reverse` and writes,
# after each one, the full machine state gdb reads: PC, X0-X30, SP, CPSR
# without PSTATE.SS, FPSR, FPCR, TCR_EL1, ESR_EL1, V0-V31 (raw 128 bits), the
# retired-instruction count (`monitor icount`) and the size of the serial
# output file. tests/gdbpeer/reverse_test.cpp parses the trace.
#
# Trace lines (numbers hex unless said otherwise):
#   label NAME ADDR                     every row_*/vector* label, _start, data
#   op SEQ HEXCMD                       command SEQ (decimal) starts
#   said SEQ HEXTEXT                    what gdb.execute returned (no packets)
#   error SEQ HEXTEXT                   the gdb.error the command raised
#   state SEQ ICOUNT PC X0..X30 SP CPSR FPSR FPCR TCR ESR V0..V31 SERIAL
#                                       after command SEQ (ICOUNT and SERIAL
#                                       decimal, -1 if unknown; Vn as 32 hex
#                                       digits, high half first)
#   icount-said SEQ HEXTEXT             `monitor icount`'s answer if it was
#                                       not "icount N"
#   exited CODE                         the guest powered off
# gdb prints a stop (the location, "Breakpoint N, …", a watchpoint's Old and
# New value, "No more reverse-execution history.") on its stdout, outside
# what gdb.execute captures: the script writes "@@reverse-trace op SEQ" to
# stdout before each command, so the reader can cut gdb's stdout by command;
# and to stderr, where the remote packet log goes (`set debug remote 1`).
#
# Environment: REVERSE_TRACE_OUT (the trace file), REVERSE_TRACE_SERIAL (the
# target's serial output file), REVERSE_TRACE_COMMANDS: commands separated
# by ';', each a gdb command or one of
#   stepi-until LABEL LIMIT    stepi, each one a command of its own, until
#                              PC is at LABEL (at most LIMIT times)
#   reverse-stepi-to-start LIMIT
#                              reverse-stepi, each one a command of its own,
#                              until one changes nothing or fails (at most
#                              LIMIT times)
#   goto-recorded              `monitor goto K` and `maintenance flush
#                              register-cache` (one command) for every K the
#                              stepi commands so far recorded, from the
#                              highest to the lowest, then from the lowest to
#                              the highest
#   goto-label LABEL           the same for the first K recorded at LABEL
import os
import re
import sys

import gdb

# gdb does not put this script's directory on sys.path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_labels  # noqa: E402

PSTATE_SS = 1 << 21
REGS = [f"x{i}" for i in range(31)] + ["sp"]

out = open(os.environ["REVERSE_TRACE_OUT"], "w")
serial = os.environ.get("REVERSE_TRACE_SERIAL", "")
commands = [c.strip() for c in os.environ.get("REVERSE_TRACE_COMMANDS", "").split(";")]
exit_code = trace_labels.record_exit_code()
labels = trace_labels.read_labels(r"\[\s*\d+\] [tTdD] 0x([0-9a-f]+) ((row_|vector)\S*|data|_start) ", out)


def hexed(text):
    return text.encode().hex() or "-"


def serial_size():
    try:
        return os.path.getsize(serial)
    except OSError:
        return -1


def alive():
    return not exit_code and gdb.selected_inferior().pid != 0


# A line of gdb's packet log; one may also start in the middle of a line of
# the command's output (x/i writes the address, reads memory, then the
# instruction).
PACKET_LINE = re.compile(r"^[ \t]*\[remote\] [^\n]*\n|\[remote\] [^\n]*\n", re.M)


def execute(command):
    """gdb.execute(command) captured; the packet log in what it captured
    goes on to stderr."""
    said = gdb.execute(command, to_string=True)
    gdb.write("".join(m.group(0).lstrip(" \t") for m in PACKET_LINE.finditer(said)), gdb.STDERR)
    return PACKET_LINE.sub("", said)


def icount(seq):
    try:
        said = execute("monitor icount")
    except gdb.error as e:
        said = f"error: {e}"
    m = re.fullmatch(r"icount (\d+)\n", said)
    if not m:
        out.write(f"icount-said {seq} {hexed(said)}\n")
        return -1
    return int(m.group(1))


def record(seq):
    frame = gdb.selected_frame()
    value = lambda r: int(frame.read_register(r)) & (2**64 - 1)
    regs = " ".join(f"{value(r):x}" for r in ["pc"] + REGS)
    cpsr = value("cpsr") & 0xFFFFFFFF & ~PSTATE_SS
    other = " ".join(f"{value(r):x}" for r in ["fpsr", "fpcr", "TCR_EL1", "ESR_EL1"])
    vregs = []
    for i in range(32):
        lanes = frame.read_register(f"v{i}")["d"]["u"]
        lo, hi = (int(lanes[k]) & (2**64 - 1) for k in (0, 1))
        vregs.append(f"{hi:016x}{lo:016x}")
    # The serial size before icount: `monitor icount` must not write output.
    size = serial_size()
    count = icount(seq)
    global last_state, state_before
    state_before, last_state = last_state, f"{count} {regs} {cpsr:x} {other} {' '.join(vregs)} {size}"
    out.write(f"state {seq} {last_state}\n")
    out.flush()
    return value("pc")


last_state = state_before = None


seq = 0
errors = 0


def run(command, then=None):
    """Runs one gdb command (and `then`, uncaptured) as command number seq,
    and records the state after. Returns (what gdb said, PC or None if the
    target is gone)."""
    global seq, errors
    seq += 1
    out.write(f"op {seq} {hexed(command)}\n")
    for stream in (gdb.STDOUT, gdb.STDERR):
        gdb.write(f"@@reverse-trace op {seq} {command}\n", stream)
        gdb.flush(stream)
    said = ""
    try:
        said = execute(command)
    except gdb.error as e:
        out.write(f"error {seq} {hexed(str(e))}\n")
        errors += 1
    gdb.flush()
    if said:
        out.write(f"said {seq} {hexed(said)}\n")
    if not alive():
        out.write(f"exited {exit_code[0] if exit_code else -1}\n")
        out.flush()
        return said, None
    if then:
        execute(then)
    return said, record(seq)


def last_icount():
    return int(last_state.split()[0])


gdb.execute("set debug remote 1")
# The state before any command, as command 0.
out.write(f"op 0 {hexed('(start)')}\n")
recorded = {}  # icount -> PC, for goto-recorded and goto-label
pc = record(0)
if last_icount() >= 0:
    recorded[last_icount()] = pc


def goto(k):
    return run(f"monitor goto {k}", then="maintenance flush register-cache")

for command in commands:
    if not command or pc is None:
        continue
    words = command.split()
    if words[0] == "stepi-until":
        target, limit = labels.get(words[1], -1), int(words[2])
        for _ in range(limit):
            if pc == target or pc is None:
                break
            said, pc = run("stepi")
            if pc is not None and last_icount() >= 0:
                recorded.setdefault(last_icount(), pc)
    elif words[0] == "reverse-stepi-to-start":
        for _ in range(int(words[1])):
            errors_before = errors
            said, pc = run("reverse-stepi")
            # gdb prints "No more reverse-execution history." with the stop,
            # on stdout, where the script cannot see it (the C++ side reads
            # it there; it may come with the step that reaches the start):
            # the script stops when a reverse-stepi changed nothing, or
            # failed.
            if pc is None or errors != errors_before or last_state == state_before:
                break
    elif words[0] == "goto-recorded":
        counts = sorted(recorded)
        for k in list(reversed(counts)) + counts:
            said, pc = goto(k)
            if pc is None:
                break
    elif words[0] == "goto-label":
        at = [k for k, p in sorted(recorded.items()) if p == labels.get(words[1])]
        said, pc = goto(at[0] if at else -1)
    else:
        said, pc = run(command)
out.close()
