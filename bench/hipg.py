#!/usr/bin/env python3
"""Host instructions per guest instruction: a workload's one-iteration and
two-iteration builds (NAME1.elf, NAME2.elf) run under valgrind's callgrind,
and the difference of the two runs is the cost of one iteration alone,
start-up and first translations removed. The guest instructions come from
`stepvisor run --stats` of the same runs; the host's from callgrind (this
VM has no hardware counters for `perf stat`). Under --jit on and --jit off.

    bench/hipg.py STEPVISOR NAME1.elf NAME2.elf      (scripts/bench mips|fp with HIPG=1)

Prints host instructions per guest instruction, then the functions that
execute them (per guest instruction, and their share); code with no symbol
is generated code (the translation tier's blocks).
"""
import collections
import os
import re
import subprocess
import sys
import tempfile

TOP = 12
GENERATED = "(generated code: no symbol)"


def callgrind(stepvisor, jit, elf, out):
    """Runs elf under callgrind; returns the guest instructions retired."""
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--smc-check=all-non-file", f"--callgrind-out-file={out}",
         stepvisor, "run", "--jit", jit, "--stats", elf],
        capture_output=True, text=True)
    m = re.search(r"^generated code: [0-9.]+% of (\d+) instructions$", run.stderr, re.M)
    if run.returncode != 0 or not m:
        sys.exit(f"hipg: {elf} under callgrind (--jit {jit}) failed: {run.stderr[-600:]}")
    return int(m.group(1))


def by_function(out):
    """Instructions executed (Ir) per function of a callgrind profile. Code
    with no symbol in no object file ("???:0x… [???]") is generated code (an
    anonymous mapping)."""
    text = subprocess.run(["callgrind_annotate", "--threshold=100", "--inclusive=no", "--auto=no",
                           out], capture_output=True, text=True, check=True).stdout
    ir = collections.Counter()
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*?)(?: \[(.*)\])?$", line)
        if not m or m.group(2) == "PROGRAM TOTALS":
            continue
        name = m.group(2).split(":", 1)[-1]
        if name.startswith("0x"):
            obj = m.group(3) or "???"
            name = GENERATED if obj == "???" else f"{os.path.basename(obj)} {name}"
        ir[name] += int(m.group(1).replace(",", ""))
    return ir


def measure(stepvisor, jit, small, large, work):
    profiles = []
    for elf in (small, large):
        out = os.path.join(work, f"{jit}-{os.path.basename(elf)}.out")
        profiles.append((callgrind(stepvisor, jit, elf, out), by_function(out)))
    (g1, f1), (g2, f2) = profiles
    guest = g2 - g1
    delta = collections.Counter({k: f2[k] - f1.get(k, 0) for k in f2})
    host = sum(delta.values())
    print(f"--jit {jit}: {host / guest:.1f} host instructions per guest instruction "
          f"({host} for {guest} guest instructions)")
    for name, n in delta.most_common(TOP):
        if n <= 0:
            break
        print(f"  {n / guest:7.2f} {100 * n / host:5.1f}%  {name[:110]}")


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: bench/hipg.py STEPVISOR NAME1.elf NAME2.elf")
    stepvisor, small, large = sys.argv[1:]
    print(f"host instructions per guest instruction, one iteration of "
          f"{os.path.basename(large).removesuffix('2.elf')} (callgrind: "
          f"{os.path.basename(large)} less {os.path.basename(small)}):")
    with tempfile.TemporaryDirectory() as work:
        for jit in ("on", "off"):
            measure(stepvisor, jit, small, large, work)


if __name__ == "__main__":
    main()
