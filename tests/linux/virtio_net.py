#!/usr/bin/env python3
"""virtio-net on user-mode networking under Debian's kernel: the guest's
eth0 gets 10.0.2.15 by DHCP (scripts/linux-init's udhcpc), fetches a page
and 2 MiB from a host HTTP server on 127.0.0.1 through 10.0.2.2 (the NAT),
and serves a page and 2 MiB with busybox httpd that the host fetches
through a port forward (`hostfwd=tcp:127.0.0.1:HOSTPORT-:80`).

    virtio_net.py stepvisor|qemu BINARY

`qemu` runs the same on QEMU (virtio_guest.py: same devices, same order),
the reference that the test itself is right.
"""
import functools
import hashlib
import http.server
import os
import random
import socket
import sys
import tempfile
import threading
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from virtio_guest import (Guest, GuestError, debian_packages, machine_argv,  # noqa: E402
                          make_initramfs)

PAGE = "a page from the host\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, timeout=120):
    """The body at url, retried while the forward's guest side is not up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                return r.read()
        except OSError as e:
            if time.monotonic() > deadline:
                raise GuestError(f"host: GET {url}: {e}")
            time.sleep(0.5)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    """A host HTTP server on 127.0.0.1 (a thread); returns it."""
    handler = functools.partial(QuietHandler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def exercise(guest, host_port, fwd_port, blob):
    boot = guest.boot()
    if "init: eth0 is 10.0.2.15/24" not in boot:
        raise GuestError(f"eth0 did not get 10.0.2.15/24 by DHCP:\n{boot[-1500:]}")
    route = guest.check("ip route show default")
    if "default via 10.0.2.2 dev eth0" not in route:
        raise GuestError(f"default route: {route!r}, want via 10.0.2.2")
    # The NAT: the host's loopback is 10.0.2.2 to the guest.
    page = guest.check(f"wget -q -O - http://10.0.2.2:{host_port}/page.txt")
    if page != PAGE:
        raise GuestError(f"guest: the host's page reads {page!r}, want {PAGE!r}")
    got = guest.check(f"wget -q -O - http://10.0.2.2:{host_port}/blob | sha256sum").split()[0]
    if got != hashlib.sha256(blob).hexdigest():
        raise GuestError(f"guest: the host's 2 MiB arrived with sha256 {got}")
    # The port forward: the guest's httpd on port 80.
    guest.check("mkdir -p /www && echo \"guest $(cat /proc/sys/kernel/random/boot_id)\""
                " >/www/index.html && head -c 2097152 /dev/urandom >/www/blob && "
                "httpd -h /www -p 80")
    index = guest.check("cat /www/index.html")
    blobsum = guest.check("sha256sum </www/blob").split()[0]
    got = fetch(f"http://127.0.0.1:{fwd_port}/index.html").decode()
    if got != index:
        raise GuestError(f"host: the guest's page reads {got!r}, want {index!r}")
    got = hashlib.sha256(fetch(f"http://127.0.0.1:{fwd_port}/blob")).hexdigest()
    if got != blobsum:
        raise GuestError(f"host: the guest's 2 MiB arrived with sha256 {got}, sent {blobsum}")
    status = guest.poweroff()
    if status != 0:
        raise GuestError(f"exit status {status} after poweroff")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("stepvisor", "qemu"):
        sys.exit("usage: virtio_net.py stepvisor|qemu BINARY")
    machine, binary = sys.argv[1:]
    if not binary or not os.access(binary, os.X_OK):
        sys.exit(f"FAIL: {machine} not found: '{binary}'")
    pkg = debian_packages()
    with tempfile.TemporaryDirectory(prefix="virtio_net-") as work:
        initrd, www = os.path.join(work, "initrd.cpio.gz"), os.path.join(work, "www")
        make_initramfs(pkg, initrd)
        os.mkdir(www)
        blob = random.Random(23).randbytes(2 << 20)
        with open(os.path.join(www, "page.txt"), "w") as f:
            f.write(PAGE)
        with open(os.path.join(www, "blob"), "wb") as f:
            f.write(blob)
        server = serve(www)
        fwd_port = free_port()
        guest = Guest(machine_argv(machine, binary, pkg, initrd,
                                   hostfwd=[f"tcp:127.0.0.1:{fwd_port}-:80"]))
        try:
            exercise(guest, server.server_address[1], fwd_port, blob)
        except GuestError as e:
            guest.close()
            sys.exit(f"FAIL: {machine}: {e}")
        finally:
            server.shutdown()
    print(f"virtio_net: {machine} booted in {guest.boot_seconds:.1f} s; eth0 10.0.2.15 by DHCP; "
          f"the guest fetched a page and 2 MiB from the host through 10.0.2.2, the host "
          f"a page and 2 MiB from the guest's httpd through hostfwd port {fwd_port}")


if __name__ == "__main__":
    main()
