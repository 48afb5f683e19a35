#!/usr/bin/env python3
"""Boot-to-prompt wall time of Debian's arm64 kernel with the busybox shell
of `scripts/demo linux`, on stepvisor --cpu MODEL and QEMU -cpu MODEL (TCG),
measured in this run: from process start to the shell's first prompt on
the console. `max` runs on stepvisor only (QEMU's max is another CPU).

    bench/linux_boot.py STEPVISOR [MODEL...]      (run by scripts/bench linux)

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
LIMIT = 600


def packages():
    out = subprocess.run([os.path.join(SRC, "scripts", "fetch-debian")], capture_output=True,
                         text=True, check=True)
    return dict(re.findall(r"^(\w+)=(.*)$", out.stdout, re.M))


def boot_seconds(argv):
    """Seconds from start until PROMPT shows on the machine's stdout."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    seen = b""
    try:
        while PROMPT not in seen:
            left = LIMIT - (time.monotonic() - start)
            ready = left > 0 and select.select([proc.stdout], [], [], left)[0]
            chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                sys.exit(f"linux_boot: no prompt from {argv[0]} within {LIMIT} s; "
                         f"last output: {seen[-400:]!r}")
            seen = seen[-4096:] + chunk
        return time.monotonic() - start
    finally:
        proc.kill()
        proc.wait()


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: bench/linux_boot.py STEPVISOR [MODEL...]")
    stepvisor = sys.argv[1]
    models = sys.argv[2:] or ["cortex-a53", "cortex-a57", "cortex-a72", "max"]
    repeat = int(os.environ.get("REPEAT", "1"))
    pkg = packages()
    with tempfile.TemporaryDirectory() as work:
        initrd = os.path.join(work, "initrd.cpio.gz")
        subprocess.run([os.path.join(SRC, "scripts", "make-initramfs"), "--modules",
                        pkg["MODULES"], pkg["BUSYBOX"],
                        os.path.join(SRC, "scripts", "linux-init"), initrd], check=True)
        print(f"boot to the busybox prompt, {pkg['KERNEL_VERSION']}, 128 MiB, 1 vcpu "
              f"(best of {repeat}):")
        print(f"{'--cpu':<12} {'stepvisor s':>12} {'QEMU s':>8} {'stepvisor/QEMU speed':>21}")
        for model in models:
            sv = min(boot_seconds([stepvisor, "run", "--cpu", model, "--initrd", initrd,
                                   "--append", APPEND, pkg["KERNEL"]]) for _ in range(repeat))
            if model == "max":
                print(f"{model:<12} {sv:>12.2f} {'-':>8} {'-':>21}")
                continue
            qemu = min(boot_seconds(["qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu",
                                     model, "-m", "128M", "-nic", "none", "-nographic",
                                     "-kernel", pkg["KERNEL"], "-initrd", initrd,
                                     "-append", APPEND]) for _ in range(repeat))
            print(f"{model:<12} {sv:>12.2f} {qemu:>8.2f} {qemu / sv:>20.2f}x")


if __name__ == "__main__":
    main()
