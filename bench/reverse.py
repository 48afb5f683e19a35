#!/usr/bin/env python3
"""Reverse execution on Debian's arm64 kernel booting (scripts/bench reverse).

    bench/reverse.py STEPVISOR

One `stepvisor run --reverse --gdb` boot of the kernel with the busybox
initramfs of `scripts/demo linux`, driven by gdb-multiarch
(bench/reverse_gdb.py), and plain boots without --reverse for reference,
all in this run:

- live: `monitor goto 8*10^8` from the start (the machine runs live and
  takes its checkpoints), against the same instructions run plainly
  (`--max-insns`, start-up removed): what --reverse costs the boot;
- reverse-stepi: STEPS (default 200) reverse-stepi's from 8*10^8, each
  timed inside gdb: p50 and p99;
- reverse-continue: from 9*10^8 (reached live) back to the last call of
  mpi_powm (the kernel checks its keys' signatures while it boots), timed,
  against the live forward run over as many instructions.

- record: the same boot to 8*10^8 under `--record` (a state hash every
  second), and `stepvisor replay` of it.

Prints each figure with its aim (issue 19): reverse-stepi p50 <= 10 ms and
p99 <= 100 ms; reverse-continue <= 2x the forward run; --reverse and
--record slow the boot by <= 10%; and the checkpoints' memory (`monitor history`). REPEAT=n
(default 1) keeps the best plain boot of n.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPEND = "console=ttyAMA0"
LIVE = 800_000_000
FURTHER = 900_000_000
LIMIT = 600


def packages():
    out = subprocess.run([os.path.join(SRC, "scripts", "fetch-debian")], capture_output=True,
                         text=True, check=True)
    return dict(re.findall(r"^(\w+)=(.*)$", out.stdout, re.M))


def symbol(stepvisor, name):
    listing = subprocess.run([os.path.join(SRC, "scripts", "kernel-kallsyms"), stepvisor],
                             capture_output=True, text=True, check=True).stdout.strip()
    with open(listing) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[2] == name:
                return int(parts[0], 16)
    sys.exit(f"reverse: {name} is not in {listing}")


def machine(stepvisor, pkg, initrd, *extra):
    return [stepvisor, "run", "--cpu", "cortex-a57", "--rtc", "base=2020-01-01T00:00:00",
            "--initrd", initrd, "--append", APPEND, *extra, pkg["KERNEL"]]


def plain_seconds(argv, repeat):
    best = None
    for _ in range(repeat):
        t0 = time.monotonic()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL, timeout=LIMIT)
        t = time.monotonic() - t0
        best = t if best is None else min(best, t)
    return best


def reverse_session(stepvisor, pkg, initrd, mpi_powm, steps):
    proc = subprocess.Popen(machine(stepvisor, pkg, initrd, "--idle", "warp", "--gdb",
                                    "127.0.0.1:0", "--wait-gdb", "--reverse"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        m = re.search(r"listening on ([\d.]+:\d+)", line)
        if not m:
            sys.exit(f"reverse: stepvisor did not listen: {line!r}")
        env = dict(os.environ, BENCH_LIVE=str(LIVE), BENCH_FURTHER=str(FURTHER),
                   BENCH_STEPS=str(steps), BENCH_BREAK=hex(mpi_powm))
        out = subprocess.run(["timeout", str(LIMIT), "gdb-multiarch", "-batch", "-nx",
                              "-ex", "set architecture aarch64",
                              "-ex", f"target remote {m.group(1)}",
                              "-x", os.path.join(SRC, "bench", "reverse_gdb.py")],
                             capture_output=True, text=True, env=env)
        results = dict(re.findall(r"^reverse-bench (\S+) (.*)$", out.stdout, re.M))
        if "done" not in results:
            sys.exit(f"reverse: the gdb session failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
        return results
    finally:
        proc.kill()
        proc.wait()


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/reverse.py STEPVISOR")
    stepvisor = sys.argv[1]
    repeat = int(os.environ.get("REPEAT", "1"))
    steps = int(os.environ.get("STEPS", "200"))
    pkg = packages()
    mpi_powm = symbol(stepvisor, "mpi_powm")
    with tempfile.TemporaryDirectory() as work:
        initrd = os.path.join(work, "initrd.cpio.gz")
        subprocess.run([os.path.join(SRC, "scripts", "make-initramfs"), "--modules",
                        pkg["MODULES"], pkg["BUSYBOX"],
                        os.path.join(SRC, "scripts", "linux-init"), initrd], check=True)
        plain = (plain_seconds(machine(stepvisor, pkg, initrd, "--idle", "warp",
                                       "--max-insns", str(LIVE)), repeat) -
                 plain_seconds(machine(stepvisor, pkg, initrd, "--idle", "warp",
                                       "--max-insns", "1000"), repeat))
        rec = os.path.join(work, "boot.rec")
        startup = plain_seconds(machine(stepvisor, pkg, initrd, "--idle", "warp", "--max-insns",
                                        "1000"), repeat)
        recorded = plain_seconds(machine(stepvisor, pkg, initrd, "--idle", "warp", "--record", rec,
                                         "--max-insns", str(LIVE)), repeat) - startup
        replayed = plain_seconds([stepvisor, "replay", rec], repeat) - startup
        r = reverse_session(stepvisor, pkg, initrd, mpi_powm, steps)

    live = float(r["live"])
    rsi = [float(x) * 1000 for x in r["stepi"].split()]
    p50, p99 = percentile(rsi, 50), percentile(rsi, 99)
    forward = float(r["forward"])
    rc = float(r["continue"])
    crossed = FURTHER - int(r["hit"])
    forward_same = forward * crossed / (FURTHER - LIVE)
    print(f"reverse: Debian {pkg['KERNEL_VERSION']}, --cpu cortex-a57, 1 vcpu, in this run")
    print(f"{'measure':<46} {'value':>14} {'aim':>12} {'met':>4}")
    rows = [
        (f"live to {LIVE:.0e} with --reverse / plain ({plain:.2f} s)", f"{live / plain:.3f}x",
         "<= 1.10x", live / plain <= 1.10),
        (f"live to {LIVE:.0e} with --record / plain", f"{recorded / plain:.3f}x", "<= 1.10x",
         recorded / plain <= 1.10),
        ("  its replay / plain", f"{replayed / plain:.3f}x", "", True),
        (f"reverse-stepi p50 ({len(rsi)} from {LIVE:.0e})", f"{p50:.1f} ms", "<= 10 ms", p50 <= 10),
        ("reverse-stepi p99", f"{p99:.1f} ms", "<= 100 ms", p99 <= 100),
        (f"reverse-continue over {crossed:.2e} insns", f"{rc:.2f} s", "", True),
        ("  / the forward run over as many", f"{rc / forward_same:.2f}x", "<= 2x",
         rc / forward_same <= 2),
    ]
    for name, value, aim, met in rows:
        print(f"{name:<46} {value:>14} {aim:>12} {('yes' if met else 'no') if aim else '':>4}")
    print(f"reverse-stepi ms: min {min(rsi):.1f}, max {max(rsi):.1f} (the first one: {rsi[0]:.1f})")
    print(f"live: {live:.2f} s with --reverse, {plain:.2f} s plain; forward {FURTHER - LIVE:.0e} "
          f"insns live: {forward:.2f} s")
    print(r["history"])


if __name__ == "__main__":
    main()
