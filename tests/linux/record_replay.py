#!/usr/bin/env python3
"""A recorded Linux shell session replays to the same console (issue 19).

Debian's kernel boots the initramfs of `scripts/demo linux` under
`stepvisor run --record`, with an ext4 disk (snapshot=on) and a virtio RNG;
commands are typed on the serial console one at a time, each after the
previous one's output came back, so the input arrives at points of the run
that only the recording knows. Then:
  - `stepvisor replay` prints the same console, byte for byte, and exits 0
    as the recorded run did; the disk image is unchanged (snapshot=on);
  - the replay with another initramfs in place of the recorded one is
    refused (status 2) before anything runs.

With --net, the machine has a user-mode NIC too, and the session fetches a
page from a host HTTP server through the NAT; the server is gone before
the replay, whose packets come from the recording.

    record_replay.py STEPVISOR [--net] [RUN-OPTION...]   (--smp 2: two vcpus)
"""
import functools
import hashlib
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from virtio_guest import Guest, GuestError, debian_packages, machine_argv, make_initramfs  # noqa: E402

COMMANDS = [
    "uname -sr",
    "cat /mnt/note.txt",
    "echo typed at the console > /mnt/new.txt; sync; cat /mnt/new.txt",
    "head -c 16 /dev/hwrng | od -An -tx1",
    "cat /proc/uptime",
    "date",
    "ls /mnt",
]


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: record_replay.py STEPVISOR [RUN-OPTION...]")
    binary, extra = sys.argv[1], sys.argv[2:]
    net = "--net" in extra
    extra = [a for a in extra if a != "--net"]
    pkg = debian_packages()
    with tempfile.TemporaryDirectory(prefix="record_replay-") as work:
        initrd = os.path.join(work, "initrd.cpio.gz")
        make_initramfs(pkg, initrd)
        files = os.path.join(work, "files")
        os.mkdir(files)
        with open(os.path.join(files, "note.txt"), "w") as f:
            f.write("a file the host put on the disk\n")
        disk = os.path.join(work, "disk.img")
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-d", files, disk, "16M"], check=True)
        disk_before = sha(disk)
        rec = os.path.join(work, "session.rec")

        commands = list(COMMANDS)
        server = None
        if net:
            with open(os.path.join(files, "page.txt"), "w") as f:
                f.write("a page from the host's HTTP server\n")
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=files)
            handler.log_message = lambda *a: None
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            commands.append(f"wget -qO- http://10.0.2.2:{server.server_address[1]}/page.txt")
        argv = machine_argv("stepvisor", binary, pkg, initrd, disks=[disk + ",snapshot=on"],
                            rng=True, hostfwd=[] if net else None)
        # --idle sleep, as at a terminal: the guest's clock keeps pace with
        # the host's, and the input ends a sleep without moving it.
        argv[2:2] = ["--record", rec, "--idle", "sleep"] + extra
        guest = Guest(argv)
        try:
            guest.boot()
            for cmd in commands:
                guest.check(cmd)
                time.sleep(0.2)  # the guest idles between commands, as at a desk
            # Read to the end: the replay must print the last byte too.
            guest.proc.stdin.write(b"sync; poweroff -f\n")
            guest.proc.stdin.flush()
            recorded = guest.console + guest.proc.stdout.read()
            status = guest.proc.wait(60)
        except (GuestError, subprocess.TimeoutExpired) as e:
            sys.exit(f"FAIL: the recorded run: {e}")
        finally:
            guest.close()
        if status != 0:
            sys.exit(f"FAIL: the recorded run exited {status}:\n{recorded[-2000:].decode(errors='replace')}")
        print(f"recorded: {len(recorded)} console bytes, {os.path.getsize(rec)} bytes of recording")
        if server:
            server.shutdown()
            server.server_close()

        start = time.monotonic()
        out = subprocess.run([binary, "replay", rec], capture_output=True, timeout=900)
        print(f"replayed in {time.monotonic() - start:.1f} s, status {out.returncode}")
        if out.returncode != 0 or out.stderr:
            sys.exit(f"FAIL: replay exited {out.returncode}: {out.stderr.decode(errors='replace')}")
        if out.stdout != recorded:
            a, b = recorded, out.stdout
            i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
            sys.exit(f"FAIL: the replay's console differs at byte {i} of {len(a)}/{len(b)}:\n"
                     f"recorded: {a[max(0, i - 200):i + 200]!r}\nreplayed: {b[max(0, i - 200):i + 200]!r}")
        wants = [b"a file the host put on the disk", b"typed at the console", b"new.txt"]
        if net:
            wants.append(b"a page from the host's HTTP server")
        for want in wants:
            if want not in recorded:
                sys.exit(f"FAIL: {want!r} is not in the console:\n{recorded.decode(errors='replace')}")
        if sha(disk) != disk_before:
            sys.exit("FAIL: the disk image changed under snapshot=on")

        other = os.path.join(work, "other.cpio.gz")
        with open(initrd, "rb") as src, open(other, "wb") as dst:
            dst.write(src.read() + b"\0" * 512)
        bad = subprocess.run([binary, "replay", rec, "--initrd", other], capture_output=True,
                             timeout=60)
        msg = bad.stderr.decode(errors="replace")
        if bad.returncode != 2 or "is not the one recorded" not in msg or bad.stdout:
            sys.exit(f"FAIL: a replay with another initramfs: status {bad.returncode}, {msg!r}")
        print("PASS: the replay's console is the recorded one, byte for byte")


if __name__ == "__main__":
    main()
