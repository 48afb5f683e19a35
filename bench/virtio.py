#!/usr/bin/env python3
"""virtio throughput under Debian's arm64 kernel with the initramfs of
`scripts/demo linux`, on stepvisor and on QEMU (TCG, the same devices in the
same order: tests/linux/virtio_guest.py), measured in this run:

- disk write and read: 256 MiB with dd, bs=1M, O_DIRECT (oflag/iflag=direct:
  no guest page cache), to and from a raw image of 256 MiB on /dev/vda;
- TCP send: 100 MiB from the guest (nc -e dd) to a host listener on
  127.0.0.1 through the NAT (10.0.2.2), counted on the host;
- TCP receive: 100 MiB from the host to the guest's nc -l -e dd through a
  port forward (hostfwd), counted in the guest by dd.

Each figure is timed on the host, from typing the command line to its end
marker on the console, less the same for an empty command (the console's
round trip), so both machines are timed the same way whatever their guest
clocks say. Prints MB/s (10^6 bytes/s) and QEMU's time over stepvisor's.

    bench/virtio.py STEPVISOR         (run by scripts/bench virtio)

REPEAT=n (default 1) measures each figure n times in the same boot and
keeps the fastest.
"""
import os
import socket
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "linux"))
from virtio_guest import (Guest, GuestError, debian_packages, machine_argv,  # noqa: E402
                          make_initramfs)

DISK_MIB = 256
NET_MIB = 100
GUEST_PORT = 5000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """A host TCP listener on 127.0.0.1 that counts what one connection sends."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.received = None
        self.thread = None

    def start(self):
        self.received = None
        self.thread = threading.Thread(target=self._count)
        self.thread.start()

    def _count(self):
        conn, _ = self.sock.accept()
        with conn:
            total = 0
            while chunk := conn.recv(1 << 20):
                total += len(chunk)
        self.received = total


def send_to_guest(port, size, timeout=600):
    """Sends size zero bytes to 127.0.0.1:port (the forward to the guest)."""
    block = bytes(1 << 20)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        for _ in range(size >> 20):
            s.sendall(block)


def timed(guest, command, baseline):
    """Seconds the command took, less the console's round trip; its output."""
    start = time.monotonic()
    out = guest.check(command, timeout=1800)
    return time.monotonic() - start - baseline, out


def round_trip(guest):
    best = None
    for _ in range(5):
        start = time.monotonic()
        guest.check("true")
        took = time.monotonic() - start
        best = took if best is None else min(best, took)
    return best


def records(out, count):
    """Fails unless dd's report says it moved count whole 1 MiB blocks."""
    if f"{count}+0 records in\n{count}+0 records out" not in out:
        raise GuestError(f"dd moved other than {count} MiB:\n{out}")


def disk_figures(guest, baseline):
    write, out = timed(guest, f"dd if=/dev/zero of=/dev/vda bs=1M count={DISK_MIB} oflag=direct "
                              "2>&1", baseline)
    records(out, DISK_MIB)
    read, out = timed(guest, "dd if=/dev/vda of=/dev/null bs=1M iflag=direct 2>&1", baseline)
    records(out, DISK_MIB)
    return {"disk write": (DISK_MIB << 20) / write, "disk read": (DISK_MIB << 20) / read}


def net_figures(guest, baseline, sink, fwd_port):
    """busybox nc -e hands the connected socket to dd, which moves up to
    1 MiB per system call (nc's own copy loop moves small pieces)."""
    size = NET_MIB << 20
    sink.start()
    send, out = timed(guest, f"nc 10.0.2.2 {sink.port} -e dd if=/dev/zero bs=1M "
                             f"count={NET_MIB} 2>&1", baseline)
    records(out, NET_MIB)
    sink.thread.join(60)
    if sink.received != size:
        raise GuestError(f"the host received {sink.received} bytes from the guest, want {size}")
    guest.check(f"nc -l -p {GUEST_PORT} -e dd of=/dev/null bs=1M iflag=fullblock "
                "</dev/null >/tmp/rx 2>&1 & true")
    guest.check(f"while ! netstat -ltn | grep -q ':{GUEST_PORT} '; do sleep 0.1; done")
    start = time.monotonic()
    send_to_guest(fwd_port, size)
    out = guest.check("wait; cat /tmp/rx", timeout=1800)
    receive = time.monotonic() - start - baseline
    records(out, NET_MIB)
    return {"tcp send": size / send, "tcp receive": size / receive}


def measure(machine, binary, pkg, initrd, work, repeat):
    image = os.path.join(work, "disk.img")
    with open(image, "wb") as f:
        f.truncate(DISK_MIB << 20)
    sink, fwd_port = Sink(), free_port()
    argv = machine_argv(machine, binary, pkg, initrd, disks=[image],
                        hostfwd=[f"tcp:127.0.0.1:{fwd_port}-:{GUEST_PORT}"])
    guest = Guest(argv)
    try:
        guest.boot()
        baseline = round_trip(guest)
        best = {}
        for _ in range(repeat):
            rates = disk_figures(guest, baseline)
            rates.update(net_figures(guest, baseline, sink, fwd_port))
            best = {k: max(v, best.get(k, 0)) for k, v in rates.items()}
        guest.poweroff()
        return best
    except GuestError as e:
        guest.close()
        sys.exit(f"bench virtio: {machine}: {e}")
    finally:
        sink.sock.close()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/virtio.py STEPVISOR")
    repeat = int(os.environ.get("REPEAT", "1"))
    pkg = debian_packages()
    with tempfile.TemporaryDirectory(prefix="bench-virtio-") as work:
        initrd = os.path.join(work, "initrd.cpio.gz")
        make_initramfs(pkg, initrd)
        results = {m: measure(m, b, pkg, initrd, work, repeat)
                   for m, b in (("stepvisor", sys.argv[1]), ("qemu", "qemu-system-aarch64"))}
    print(f"virtio throughput, {pkg['KERNEL_VERSION']}, 256 MiB, 1 vcpu (best of {repeat}); "
          f"disk {DISK_MIB} MiB dd bs=1M direct, TCP {NET_MIB} MiB:")
    print(f"{'':<12} {'stepvisor MB/s':>15} {'QEMU MB/s':>10} {'stepvisor/QEMU':>15}")
    for name in results["qemu"]:
        sv, qemu = results["stepvisor"][name] / 1e6, results["qemu"][name] / 1e6
        print(f"{name:<12} {sv:>15.1f} {qemu:>10.1f} {sv / qemu:>14.2f}x")


if __name__ == "__main__":
    main()
