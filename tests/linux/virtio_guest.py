"""Debian's arm64 kernel with the initramfs of `scripts/demo linux`
(scripts/linux-init, the virtio modules) on stepvisor or on QEMU with the
same virtio devices in the same order, driven through its console: the
virtio tests (tests/linux/virtio_*.py) and `scripts/bench virtio` use it.

Both machines get the devices in stepvisor's order (every disk, then the
NIC, then the RNG). On QEMU 7.2 the transports are made modern
(`-global virtio-mmio.force-legacy=false`, as stepvisor's are) and the
default NIC is off (`-nic none`), so one kernel sees the same board.
"""
import os
import re
import select
import subprocess
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APPEND = "console=ttyAMA0 quiet panic=-1"
PROMPT = b"/root # "  # scripts/linux-init starts the shell in HOME=/root
BOOT_LIMIT = 600


class GuestError(Exception):
    pass


def debian_packages():
    out = subprocess.run([os.path.join(SRC, "scripts", "fetch-debian")], capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise GuestError(f"scripts/fetch-debian failed:\n{out.stderr}")
    return dict(re.findall(r"^(\w+)=(.*)$", out.stdout, re.M))


def make_initramfs(pkg, out):
    """The initramfs of `scripts/demo linux`, virtio modules included."""
    subprocess.run([os.path.join(SRC, "scripts", "make-initramfs"), "--modules", pkg["MODULES"],
                    pkg["BUSYBOX"], os.path.join(SRC, "scripts", "linux-init"), out], check=True)


def machine_argv(machine, binary, pkg, initrd, disks=(), hostfwd=None, rng=False, mem="256M",
                 append=APPEND):
    """argv of `machine` (stepvisor or qemu at `binary`) with the disks in
    order, a user-mode NIC when `hostfwd` is not None (a list of
    `tcp:127.0.0.1:HOSTPORT-:GUESTPORT`) and an RNG when `rng`."""
    if machine == "stepvisor":
        argv = [binary, "run", "--no-reboot", "-m", mem, "--initrd", initrd, "--append", append]
        argv += [a for d in disks for a in ("--disk", d)]
        if hostfwd is not None:
            argv += ["--nic", ",".join(["user"] + [f"hostfwd={f}" for f in hostfwd])]
        if rng:
            argv += ["--rng"]
        return argv + [pkg["KERNEL"]]
    if machine != "qemu":
        raise GuestError(f"unknown machine '{machine}'")
    argv = [binary, "-M", "virt,gic-version=3", "-cpu", "cortex-a57", "-m", mem, "-nic", "none",
            "-nographic", "-no-reboot", "-global", "virtio-mmio.force-legacy=false",
            "-kernel", pkg["KERNEL"], "-initrd", initrd, "-append", append]
    for i, d in enumerate(disks):
        argv += ["-drive", f"if=none,id=d{i},file={d},format=raw",
                 "-device", f"virtio-blk-device,drive=d{i}"]
    if hostfwd is not None:
        argv += ["-netdev", ",".join(["user,id=n0"] + [f"hostfwd={f}" for f in hostfwd]),
                 "-device", "virtio-net-device,netdev=n0"]
    if rng:
        argv += ["-device", "virtio-rng-device"]
    return argv


class Guest:
    """A booted machine's busybox shell on a pipe. run() types a command
    and returns its exit status and output, framed by markers that the
    echo of the command line cannot show (`"B"` in the input, `B` in the
    output)."""

    def __init__(self, argv):
        self.argv = argv
        self.seen = b""
        self.start = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.boot_seconds = None
        self.console = b""  # everything the machine printed so far

    def _expect(self, regex, timeout):
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.seen)
            if m:
                self.seen = self.seen[m.end():]
                return m
            left = deadline - time.monotonic()
            ready = left > 0 and select.select([self.proc.stdout], [], [], left)[0]
            chunk = os.read(self.proc.stdout.fileno(), 65536) if ready else b""
            if not chunk:
                why = (f"exited with {self.proc.wait()}" if ready
                       else f"nothing new after {timeout} s")
                raise GuestError(f"{os.path.basename(self.argv[0])}: waiting for "
                                 f"{regex.pattern!r}, {why}; the console ends with:\n"
                                 + self.seen[-2000:].decode(errors="replace"))
            self.seen += chunk
            self.console += chunk

    def boot(self, timeout=BOOT_LIMIT):
        """Waits for the shell's prompt; returns the console up to it."""
        m = self._expect(re.compile(rb"(.*?)" + re.escape(PROMPT), re.S), timeout)
        self.boot_seconds = time.monotonic() - self.start
        return m.group(1).replace(b"\r", b"").decode(errors="replace")

    def run(self, command, timeout=120):
        """(exit status, output) of one shell command line."""
        self.proc.stdin.write(f'echo @@"B"@@; {command}; echo "@@E$?@@"\n'.encode())
        self.proc.stdin.flush()
        m = self._expect(re.compile(rb"@@B@@\r?\n(.*?)@@E(\d+)@@", re.S), timeout)
        return int(m.group(2)), m.group(1).replace(b"\r", b"").decode(errors="replace")

    def check(self, command, timeout=120):
        """The output of a command that must succeed."""
        rc, out = self.run(command, timeout)
        if rc != 0:
            raise GuestError(f"guest: `{command}` exited with {rc}:\n{out}")
        return out

    def poweroff(self, timeout=60):
        """`poweroff -f` (PSCI SYSTEM_OFF); the machine's exit status."""
        self.proc.stdin.write(b"sync; poweroff -f\n")
        self.proc.stdin.flush()
        try:
            self._expect(re.compile(rb"reboot: Power down"), timeout)
            return self.proc.wait(timeout)
        finally:
            self.close()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()

