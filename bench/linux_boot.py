#!/usr/bin/env python3
"""Boot wall time of Debian's arm64 kernel with the busybox initramfs of
`scripts/demo linux`, measured in this run on stepvisor and QEMU (TCG).

    bench/linux_boot.py STEPVISOR [MODEL...]      (scripts/bench linux)

From process start to the shell's first prompt on the console, on
stepvisor --cpu MODEL and QEMU -cpu MODEL. `max` runs on stepvisor only
(QEMU's max is another CPU).

    bench/linux_boot.py --to-init STEPVISOR       (scripts/bench linux-boot)

From process start to the kernel's "Run /init as init process" line (the
kernel's own boot, before user space), --cpu cortex-a57 on both: stepvisor
--jit on, stepvisor --jit off for reference, and QEMU; the last line,
"linux-boot: ... QEMU/stepvisor R", is what `scripts/bench all` reads.

REPEAT=n (default 1) boots each machine n times and keeps the fastest.
"""
import os
import re
import select
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPEND = "console=ttyAMA0 quiet"
PROMPT = b"/root # "  # scripts/linux-init starts the shell in HOME=/root
# init/main.c prints it at KERN_INFO: not under `quiet`.
INIT_APPEND = "console=ttyAMA0"
RUN_INIT = b"Run /init as init process"
LIMIT = 600


def packages():
    out = subprocess.run([os.path.join(SRC, "scripts", "fetch-debian")], capture_output=True,
                         text=True, check=True)
    return dict(re.findall(r"^(\w+)=(.*)$", out.stdout, re.M))


def boot_seconds(argv, marker=PROMPT):
    """Seconds from start until marker shows on the machine's stdout."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    seen = b""
    try:
        while marker not in seen:
            left = LIMIT - (time.monotonic() - start)
            ready = left > 0 and select.select([proc.stdout], [], [], left)[0]
            chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                sys.exit(f"linux_boot: no {marker.decode()!r} from {argv[0]} within {LIMIT} s; "
                         f"last output: {seen[-400:]!r}")
            seen = seen[-4096:] + chunk
        return time.monotonic() - start
    finally:
        proc.kill()
        proc.wait()


def qemu(model, kernel, initrd, append):
    return ["qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", model, "-m", "128M",
            "-nic", "none", "-nographic", "-kernel", kernel, "-initrd", initrd, "-append", append]


def best(argv, repeat, marker=PROMPT):
    return min(boot_seconds(argv, marker) for _ in range(repeat))


def to_prompt(stepvisor, models, pkg, initrd, repeat):
    print(f"boot to the busybox prompt, {pkg['KERNEL_VERSION']}, 128 MiB, 1 vcpu "
          f"(best of {repeat}):")
    print(f"{'--cpu':<12} {'stepvisor s':>12} {'QEMU s':>8} {'stepvisor/QEMU speed':>21}")
    for model in models:
        sv = best([stepvisor, "run", "--cpu", model, "--initrd", initrd, "--append", APPEND,
                   pkg["KERNEL"]], repeat)
        if model == "max":
            print(f"{model:<12} {sv:>12.2f} {'-':>8} {'-':>21}")
            continue
        q = best(qemu(model, pkg["KERNEL"], initrd, APPEND), repeat)
        print(f"{model:<12} {sv:>12.2f} {q:>8.2f} {q / sv:>20.2f}x")


def to_init(stepvisor, pkg, initrd, repeat):
    print(f"linux-boot: spawn to \"Run /init\", {pkg['KERNEL_VERSION']}, --cpu cortex-a57, "
          f"128 MiB, 1 vcpu (best of {repeat}):")
    runs = {}
    for jit in ("on", "off"):
        runs[f"stepvisor --jit {jit}"] = best(
            [stepvisor, "run", "--jit", jit, "--cpu", "cortex-a57", "--initrd", initrd,
             "--append", INIT_APPEND, pkg["KERNEL"]], repeat, RUN_INIT)
    runs["qemu (TCG)"] = best(qemu("cortex-a57", pkg["KERNEL"], initrd, INIT_APPEND), repeat,
                              RUN_INIT)
    q = runs["qemu (TCG)"]
    print(f"{'machine':<22} {'seconds':>8} {'speed vs QEMU':>14}")
    for name, t in runs.items():
        print(f"{name:<22} {t:>8.2f} {q / t:>13.2f}x")
    print(f"linux-boot: QEMU/stepvisor {q / runs['stepvisor --jit on']:.2f}")


def main():
    args = sys.argv[1:]
    init = args[:1] == ["--to-init"]
    if init:
        args = args[1:]
    if not args or (init and len(args) != 1):
        sys.exit("usage: bench/linux_boot.py STEPVISOR [MODEL...]\n"
                 "       bench/linux_boot.py --to-init STEPVISOR")
    stepvisor = args[0]
    repeat = int(os.environ.get("REPEAT", "1"))
    pkg = packages()
    with tempfile.TemporaryDirectory() as work:
        initrd = os.path.join(work, "initrd.cpio.gz")
        subprocess.run([os.path.join(SRC, "scripts", "make-initramfs"), "--modules",
                        pkg["MODULES"], pkg["BUSYBOX"],
                        os.path.join(SRC, "scripts", "linux-init"), initrd], check=True)
        if init:
            to_init(stepvisor, pkg, initrd, repeat)
        else:
            models = args[1:] or ["cortex-a53", "cortex-a57", "cortex-a72", "max"]
            to_prompt(stepvisor, models, pkg, initrd, repeat)


if __name__ == "__main__":
    main()
