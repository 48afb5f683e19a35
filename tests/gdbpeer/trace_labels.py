# What tests/gdbpeer/step_trace.py and reverse_trace.py (gdb-multiarch
# scripts, gdb -batch -x) share: the guest's labels as gdb reads them from
# its minimal symbols, and the exit code of a guest that powered off. gdb
# does not put a script's directory on sys.path: each script adds its own
# before `import trace_labels`.
import re

import gdb


def read_labels(pattern, out):
    """The labels (name -> address) of the `maint print msymbols` lines that
    `pattern` matches (group 1: the address in hex, group 2: the name); each
    written to `out` as "label NAME ADDR", by address."""
    labels = {}
    for line in gdb.execute("maint print msymbols", to_string=True).splitlines():
        m = re.match(pattern, line)
        if m:
            labels[m.group(2)] = int(m.group(1), 16)
    for name, addr in sorted(labels.items(), key=lambda kv: kv[1]):
        out.write(f"label {name} {addr:#x}\n")
    return labels


def record_exit_code():
    """A list that gets the exit code (-1 if gdb does not know it) of every
    inferior that exits from now on."""
    codes = []
    gdb.events.exited.connect(lambda event: codes.append(getattr(event, "exit_code", -1)))
    return codes
