#!/usr/bin/env python3
"""gdb's stepi through a function of Debian's arm64 kernel, on stepvisor and
on QEMU with the same --cpu, from the first hit of a hardware breakpoint
(nokaslr): the PC after every step must be the same on both machines.

    kernel_step_trace.py STEPVISOR QEMU FUNCTION STEPS [--cpu MODEL] [--console]
                         [--jit on|off]

--jit: stepvisor's translation tier (default: stepvisor's own default).

Symbols come from the kernel's own kallsyms (scripts/kernel-kallsyms,
`stepvisor kallsyms2elf`), the packages from scripts/fetch-debian.

Without --console (the GIC functions: in-kernel MMIO) nothing may differ.
With --console (the PL011 console functions: userspace MMIO), the machines
print different lines (QEMU's board has more devices, an RNG seed, an ITS:
docs/testing.md): the traces may part only inside printk's formatting of a
record, after at least MIN_SAME equal steps, and the line being formatted
must differ between the machines; the test prints where and both lines.
"""
import argparse
import bisect
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GDB_SCRIPT = os.path.join(SRC, "tests", "linux", "kernel_step_gdb.py")
APPEND = "console=ttyAMA0 nokaslr panic=-1"
TIMEOUT = 600
MIN_SAME = 1000
# printk's formatting of one record (record_print_text and what it calls):
# where the code follows the bytes of the line it formats.
PRINTK_FORMATTING = {
    "record_print_text", "info_print_prefix", "memchr", "memmove", "memcpy", "sprintf",
    "snprintf", "vsnprintf", "format_decode", "skip_atoi", "number", "put_dec",
    "put_dec_trunc8", "put_dec_full8", "string", "widen_string",
}


def fail(msg):
    print(f"kernel_step_trace: FAIL: {msg}")
    sys.exit(1)


def debian_packages():
    out = subprocess.run([os.path.join(SRC, "scripts", "fetch-debian")], capture_output=True,
                         text=True)
    if out.returncode != 0:
        fail(f"scripts/fetch-debian failed:\n{out.stderr}")
    return dict(re.findall(r"^(\w+)=(.*)$", out.stdout, re.M))


class Symbols:
    """The kernel's text symbols, for naming a PC."""

    def __init__(self, listing):
        syms = []
        with open(listing) as f:
            for line in f:
                p = line.split()
                if len(p) >= 3 and p[1] in "tTwW":
                    syms.append((int(p[0], 16), p[2]))
        syms.sort()
        self.addrs = [a for a, _ in syms]
        self.names = [n for _, n in syms]

    def function(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else "?"

    def name(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return f"{self.names[i]}+{pc - self.addrs[i]:#x}" if i >= 0 else f"{pc:#x}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_stepvisor(binary, kernel, args, log):
    jit = ["--jit", args.jit] if args.jit else []
    proc = subprocess.Popen(
        ["timeout", "-k", "5", str(TIMEOUT), binary, "run", "--cpu", args.cpu, *jit, "--serial",
         "none", "--gdb", "127.0.0.1:0", "--wait-gdb", "--append", APPEND, kernel],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        log.write(line)
        m = re.search(r"gdb: listening on [\d.]+:(\d+)", line)
        if m:
            # Keep draining stderr, so stepvisor never blocks on a full pipe.
            threading.Thread(target=lambda: log.writelines(proc.stderr), daemon=True).start()
            return proc, int(m.group(1))
    fail(f"stepvisor exited before its gdb stub listened (exit {proc.wait()})")


def start_qemu(binary, kernel, args, log):
    port = free_port()
    proc = subprocess.Popen(
        ["timeout", "-k", "5", str(TIMEOUT), binary, "-M", "virt,gic-version=3", "-cpu", args.cpu,
         "-m", "128M", "-nic", "none", "-display", "none", "-serial", "null", "-monitor", "none",
         "-kernel", kernel, "-append", APPEND, "-gdb", f"tcp:127.0.0.1:{port}", "-S"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    return proc, port


def start_gdb(port, symbols_elf, trace, func, steps, console):
    env = dict(os.environ, KT_OUT=trace, KT_FUNC=func, KT_STEPS=str(steps),
               KT_NEXT_WRITE="1" if console else "0")
    return subprocess.Popen(
        ["timeout", "-k", "5", str(TIMEOUT), "gdb-multiarch", "-batch", "-nx",
         "-ex", "set pagination off", "-ex", "set confirm off",
         "-ex", f"add-symbol-file {symbols_elf}", "-ex", f"target remote 127.0.0.1:{port}",
         "-x", GDB_SCRIPT],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)


def read_trace(path, steps):
    pcs, writes, done = [], [], False
    with open(path) as f:
        for line in f:
            p = line.split()
            if p[0] == "step":
                pcs.append(int(p[2], 16))
            elif p[0] == "write":
                writes.append((int(p[1]), bytes.fromhex(p[2]).decode(errors="replace")))
            elif p[0] == "done":
                done = True
    return pcs, writes, done and len(pcs) == steps + 1


def line_at(writes, step):
    """The first console text written at or after `step`."""
    return next((text for n, text in writes if n >= step), None)


def start_trace(name, start, args, kernel, symbols_elf, work):
    """One machine's run under gdb, started: finish_trace collects it."""
    log = open(os.path.join(work, f"{name}.log"), "w")
    machine, port = start(args.stepvisor if name == "stepvisor" else args.qemu, kernel, args, log)
    trace = os.path.join(work, f"{name}.trace")
    gdb = start_gdb(port, symbols_elf, trace, args.function, args.steps, args.console)
    return name, machine, gdb, trace


def finish_trace(run, args):
    """(PCs, console writes) of a run start_trace started."""
    name, machine, gdb, trace = run
    gdb_out = gdb.communicate()[0]
    machine.wait()
    pcs, writes, complete = read_trace(trace, args.steps) if os.path.exists(trace) else ([], [], False)
    if not complete:
        fail(f"the trace on {name} is incomplete ({len(pcs)} of {args.steps + 1} states); "
             f"gdb said:\n{gdb_out[-3000:]}")
    return pcs, writes


def first_difference(traces):
    (sv_pcs, _), (q_pcs, _) = traces
    return next((i for i, (a, b) in enumerate(zip(sv_pcs, q_pcs)) if a != b), None)


def qemu_step_stalled(traces, first):
    """QEMU's stepi at `first` left the PC where it was while stepvisor's
    moved on: a step of QEMU's that retired nothing (seen once under load,
    at a plain STP), not a difference between the machines."""
    (sv_pcs, _), (q_pcs, _) = traces
    return first and q_pcs[first] == q_pcs[first - 1] and sv_pcs[first] != sv_pcs[first - 1]


def compare(args, syms, traces):
    (sv_pcs, sv_writes), (q_pcs, q_writes) = traces
    first = first_difference(traces)
    if first is None:
        print(f"kernel_step_trace: {args.function} on --cpu {args.cpu}: {args.steps} steps, "
              f"the same PC after every one, through {len(set(sv_pcs))} distinct PCs in "
              f"{len({syms.function(pc) for pc in sv_pcs})} functions")
        return
    where = f"step {first}: stepvisor at {syms.name(sv_pcs[first])}, QEMU at {syms.name(q_pcs[first])}"
    print(f"kernel_step_trace: {args.function} on --cpu {args.cpu}: the same PC for "
          f"{first} steps, then {where}")
    if not args.console:
        fail("the GIC functions' traces may not differ")
    if first < MIN_SAME:
        fail(f"parted before {MIN_SAME} equal steps")
    funcs = {syms.function(sv_pcs[first - 1]), syms.function(sv_pcs[first]),
             syms.function(q_pcs[first])}
    if not funcs <= PRINTK_FORMATTING:
        fail(f"parted outside printk's record formatting ({', '.join(sorted(funcs))})")
    sv_line, q_line = line_at(sv_writes, first), line_at(q_writes, first)
    print(f"  the line being formatted, stepvisor: {sv_line!r}")
    print(f"  the line being formatted, QEMU:      {q_line!r}")
    if sv_line is None or q_line is None or sv_line == q_line:
        fail("the traces parted in printk, but over the same line")
    print("  (the machines' boards differ, so their logs do; the step trace agrees up to there)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stepvisor")
    ap.add_argument("qemu")
    ap.add_argument("function")
    ap.add_argument("steps", type=int)
    ap.add_argument("--cpu", default="cortex-a57")
    ap.add_argument("--console", action="store_true")
    ap.add_argument("--jit", choices=["on", "off"])
    args = ap.parse_args()
    for what, path in (("stepvisor", args.stepvisor), ("qemu-system-aarch64", args.qemu)):
        if not path or not os.access(path, os.X_OK):
            fail(f"{what} not found: '{path}'")

    kernel = debian_packages()["KERNEL"]
    listing = subprocess.run([os.path.join(SRC, "scripts", "kernel-kallsyms"), args.stepvisor],
                             capture_output=True, text=True)
    if listing.returncode != 0:
        fail(f"scripts/kernel-kallsyms failed:\n{listing.stderr}")
    listing = listing.stdout.strip()
    syms = Symbols(listing)
    with tempfile.TemporaryDirectory() as work:
        symbols_elf = os.path.join(work, "kernel.syms")
        subprocess.run([args.stepvisor, "kallsyms2elf", "-o", symbols_elf, listing], check=True,
                       stdout=subprocess.DEVNULL)
        runs = [start_trace(name, start, args, kernel, symbols_elf, work)
                for name, start in (("stepvisor", start_stepvisor), ("QEMU", start_qemu))]
        traces = [finish_trace(run, args) for run in runs]
        first = first_difference(traces)
        if qemu_step_stalled(traces, first):
            # stepvisor is deterministic, so its trace stands; QEMU's is taken again once.
            print(f"kernel_step_trace: QEMU's step {first} retired nothing "
                  f"(PC {syms.name(traces[1][0][first])} again); taking QEMU's trace again")
            traces[1] = finish_trace(
                start_trace("QEMU", start_qemu, args, kernel, symbols_elf, work), args)
        compare(args, syms, traces)


if __name__ == "__main__":
    main()
