#!/usr/bin/env python3
"""virtio-blk and virtio-rng under Debian's kernel: an ext4 image made on the
host (`mke2fs -t ext4 -d DIR`) holding a file is the guest's /dev/vda,
which scripts/linux-init mounts at /mnt. The guest reads the host's file,
writes two of its own, unmounts and powers off; then `e2fsck -fn` finds the
image clean and `debugfs` reads the guest's files back. The same boot
checks /dev/hwrng: the virtio RNG is the current source and gives bytes.

    virtio_disk.py stepvisor|qemu BINARY

`qemu` runs the same on QEMU (virtio_guest.py: same devices, same order),
the reference that the test itself is right.
"""
import hashlib
import os
import random
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from virtio_guest import (Guest, GuestError, debian_packages, machine_argv,  # noqa: E402
                          make_initramfs)

NOTE = "written by the guest"


def host(argv):
    return subprocess.run(argv, capture_output=True)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("stepvisor", "qemu"):
        sys.exit("usage: virtio_disk.py stepvisor|qemu BINARY")
    machine, binary = sys.argv[1:]
    if not binary or not os.access(binary, os.X_OK):
        sys.exit(f"FAIL: {machine} not found: '{binary}'")
    pkg = debian_packages()
    with tempfile.TemporaryDirectory(prefix="virtio_disk-") as work:
        initrd, image, files = (os.path.join(work, name)
                                for name in ("initrd.cpio.gz", "ext4.img", "root"))
        make_initramfs(pkg, initrd)
        # 3 MiB of random bytes: reads of many requests, each of many segments.
        data = random.Random(17).randbytes(3 << 20)
        os.mkdir(files)
        with open(os.path.join(files, "hostfile"), "wb") as f:
            f.write(data)
        with open(image, "wb") as f:
            f.truncate(64 << 20)
        made = host(["mke2fs", "-q", "-F", "-t", "ext4", "-d", files, image])
        if made.returncode != 0:
            sys.exit(f"FAIL: mke2fs: {made.stderr.decode()}")

        guest = Guest(machine_argv(machine, binary, pkg, initrd, disks=[image], rng=True))
        try:
            boot = guest.boot()
            if "init: /dev/vda mounted at /mnt" not in boot:
                raise GuestError(f"/dev/vda not mounted at boot:\n{boot[-1500:]}")
            got = guest.check("sha256sum /mnt/hostfile").split()[0]
            if got != hashlib.sha256(data).hexdigest():
                raise GuestError(f"the guest read hostfile as sha256 {got}")
            guest.check(f"echo '{NOTE}' >/mnt/newfile")
            bigsum = guest.check("head -c 2097152 /dev/urandom >/mnt/bigfile && "
                                 "sha256sum /mnt/bigfile").split()[0]
            guest.check("umount /mnt")
            rng = guest.check("cat /sys/class/misc/hw_random/rng_current; "
                              "head -c 64 /dev/hwrng | od -An -tx1 | tr -d ' \\n'").split()
            if rng[0] != "virtio_rng.0" or len(rng) != 2 or len(rng[1]) != 128 or \
                    rng[1] == "0" * 128:
                raise GuestError(f"/dev/hwrng: want virtio_rng.0 and 64 bytes, got {rng}")
            status = guest.poweroff()
            if status != 0:
                raise GuestError(f"{machine} exited with {status} after poweroff")
        except GuestError as e:
            guest.close()
            sys.exit(f"FAIL: {e}")

        fsck = host(["e2fsck", "-fn", image])
        if fsck.returncode != 0:
            sys.exit(f"FAIL: e2fsck -fn exited {fsck.returncode}:\n{fsck.stdout.decode()}")
        note = host(["debugfs", "-R", "cat /newfile", image]).stdout.decode()
        if note != NOTE + "\n":
            sys.exit(f"FAIL: debugfs reads /newfile as {note!r}, want {NOTE!r}")
        big = host(["debugfs", "-R", "cat /bigfile", image]).stdout
        if hashlib.sha256(big).hexdigest() != bigsum:
            sys.exit(f"FAIL: debugfs reads /bigfile ({len(big)} bytes) with another sha256 "
                     f"than the guest wrote ({bigsum})")
    print(f"virtio_disk: {machine} booted in {guest.boot_seconds:.1f} s, read 3 MiB from "
          f"the host's ext4 image, wrote 2 MiB and a note back (e2fsck clean, debugfs "
          f"reads them), /dev/hwrng is virtio_rng.0")


if __name__ == "__main__":
    main()
