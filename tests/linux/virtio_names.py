#!/usr/bin/env python3
"""One kernel and one set of devices get the same names on stepvisor and on
QEMU: two disks, a NIC and an RNG (in that order: every --disk, then --nic,
then --rng) boot on both machines, and each machine's Linux lists every
virtio device (its name on the virtio bus, its device ID, the transport it
sits on) and every block and network device (its virtio device, and what
tells the two disks apart: the size and the first bytes). The two lists
must be equal. (QEMU gives the first device the highest transport and
Linux probes the lowest first: with two disks, the second --disk is vda.)

    virtio_names.py STEPVISOR QEMU
"""
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from virtio_guest import (Guest, GuestError, debian_packages, machine_argv,  # noqa: E402
                          make_initramfs)

# Per virtio device: bus name, device ID, transport (e.g. a003e00.virtio_mmio);
# per disk: name, virtio device, sectors, first 6 bytes; per NIC: name,
# virtio device, MAC address.
LIST = (
    "for v in /sys/bus/virtio/devices/*; do "
    "echo \"virtio $(basename $v) $(cat $v/device) $(basename $(readlink -f $v/..))\"; done; "
    "for b in /sys/block/vd*; do n=$(basename $b); "
    "echo \"block $n $(basename $(readlink -f $b/device)) $(cat $b/size) $(head -c 6 /dev/$n)\"; "
    "done; "
    "for e in /sys/class/net/eth*; do "
    "echo \"net $(basename $e) $(basename $(readlink -f $e/device)) $(cat $e/address)\"; done; "
    "echo \"rng $(cat /sys/class/misc/hw_random/rng_current)\""
)


def names(machine, binary, pkg, initrd, disks):
    guest = Guest(machine_argv(machine, binary, pkg, initrd, disks=disks, hostfwd=[], rng=True))
    try:
        guest.boot()
        listing = guest.check(LIST)
        status = guest.poweroff()
    except GuestError as e:
        guest.close()
        sys.exit(f"FAIL: {machine}: {e}")
    if status != 0:
        sys.exit(f"FAIL: {machine} exited with {status} after poweroff")
    return listing.splitlines()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: virtio_names.py STEPVISOR QEMU")
    for binary in sys.argv[1:]:
        if not binary or not os.access(binary, os.X_OK):
            sys.exit(f"FAIL: machine not found: '{binary}'")
    pkg = debian_packages()
    with tempfile.TemporaryDirectory(prefix="virtio_names-") as work:
        initrd = os.path.join(work, "initrd.cpio.gz")
        make_initramfs(pkg, initrd)
        # Raw disks (not ext4: /init leaves them unmounted) of 1 and 2 MiB,
        # each starting with its own name.
        disks = []
        for i, label in enumerate(("disk-A", "disk-B")):
            disks.append(os.path.join(work, f"{label}.img"))
            with open(disks[-1], "wb") as f:
                f.write(label.encode())
                f.truncate((i + 1) << 20)
        got = {m: names(m, b, pkg, initrd, disks)
               for m, b in (("qemu", sys.argv[2]), ("stepvisor", sys.argv[1]))}
    print("QEMU's names:")
    print("\n".join("  " + line for line in got["qemu"]))
    if got["stepvisor"] != got["qemu"]:
        print("stepvisor's names:")
        print("\n".join("  " + line for line in got["stepvisor"]))
        sys.exit("FAIL: stepvisor names the devices otherwise than QEMU")
    kinds = [line.split()[0] for line in got["qemu"]]
    if kinds != ["virtio"] * 4 + ["block"] * 2 + ["net", "rng"]:
        sys.exit("FAIL: want 4 virtio devices, 2 disks, a NIC and an RNG listed")
    print("virtio_names: stepvisor gives two disks, a NIC and an RNG the names QEMU gives")


if __name__ == "__main__":
    main()
