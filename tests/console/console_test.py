#!/usr/bin/env python3
"""`--serial stdio` on a real pseudo-terminal (terminal.py), as a person
uses it:

  console_test.py bare STEPVISOR GUEST_DIR
      bare-metal guests (guests/echo.c, spin_loop.S), in seconds: the hint
      on stderr, raw input (Ctrl-C is the guest's), the escapes (Ctrl-A h,
      Ctrl-A Ctrl-A, Ctrl-A x), a paste larger than the UART's FIFO and the
      host's queue arriving whole and in order, quitting a guest that reads
      nothing, and the terminal's settings restored after a quit, a guest
      power-off, a SIGTERM and an error.
  console_test.py linux STEPVISOR SOURCE_DIR
      Debian's kernel with the busybox shell of `scripts/demo linux`
      (scripts/linux-init) on 2 vcpus, 256 MiB and a fixed RTC base: the
      prompt, commands and their answers, Ctrl-C interrupting a running job,
      the PL031's probe and `date`, a 10 KB paste into `cat` arriving whole,
      then Ctrl-A x (status 0) and the
      terminal restored. Prints the wall time from start to the prompt.

Any failure exits 1 with what was expected and the screen's last lines."""
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terminal import Terminal  # noqa: E402

LFLAG = 3
# A newline as the screen gets it: the guest's tty sends "\r\n" and the
# host's (ONLCR, kept on as QEMU keeps it) makes that "\r\r\n".
NL = rb"\r*\n"


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def check_restored(term):
    now = term.termios_now()
    check(now == term.before, "terminal settings not restored: %s, was %s" % (now, term.before))


def echo_session(stepvisor, guests):
    term = Terminal([stepvisor, "run", os.path.join(guests, "echo.elf")])
    try:
        term.expect(rb"Ctrl-A H for help", 10)
        term.expect(rb"echo: type; '\.' ends" + NL, 10)
        during = term.termios_now()
        check(not during[LFLAG] & (termios.ICANON | termios.ECHO | termios.ISIG),
              "terminal not raw while the guest runs")
        # Ctrl-C is a byte for the guest, which echoes it; stepvisor lives on.
        term.type(b"ab\x03")
        term.expect(rb"AB\x03", 10)
        term.type(b"\x01h")
        term.expect(rb"C-a x +exit stepvisor", 10)
        term.type(b"\x01\x01z")
        term.expect(rb"\x01Z", 10)
        # More than the FIFO (16) and the host queue (4096) hold: the guest
        # echoes slower than the paste comes, so the input waits at the pty.
        rng = random.Random(16)
        paste = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789 ") for _ in range(20000))
        term.paste(paste)
        got = term.expect(rb"((?:[A-Z0-9 ]){%d})" % len(paste), 60).group(1)
        if got != paste.upper():
            first = next(i for i in range(len(got)) if got[i] != paste.upper()[i])
            raise AssertionError("the paste arrived changed from byte %d" % first)
        term.type(b"\x01x")
        status = term.wait(10)
        check(status == 0, "Ctrl-A x: exit status %s, want 0" % status)
        term.expect(rb"terminated from the console", 5)
        check_restored(term)
    finally:
        term.close()


def quit_while_guest_reads_nothing(stepvisor, guests):
    term = Terminal([stepvisor, "run", os.path.join(guests, "spin_loop.elf")])
    try:
        term.expect(rb"Ctrl-A H for help", 10)
        term.type(b"x" * 100 + b"\x01x")
        status = term.wait(10)
        check(status == 0, "Ctrl-A x to a guest that reads nothing: status %s" % status)
        check_restored(term)
    finally:
        term.close()


def restored_after(stepvisor, guests, end, guest="echo.elf"):
    term = Terminal([stepvisor, "run", os.path.join(guests, guest)])
    try:
        term.expect(rb"Ctrl-A H for help", 10)
        end(term)
        term.wait(10)
        check_restored(term)
    finally:
        term.close()


def bare(stepvisor, guests):
    echo_session(stepvisor, guests)
    quit_while_guest_reads_nothing(stepvisor, guests)
    restored_after(stepvisor, guests, lambda t: t.type(b"."))  # the guest powers off
    restored_after(stepvisor, guests, lambda t: t.proc.send_signal(signal.SIGTERM))
    # An error: the VMM stops a guest that faults without progress (status 1).
    restored_after(stepvisor, guests, lambda t: t.expect(rb"no progress", 10),
                   "spin_exception.elf")
    print("console: raw input, escapes, a 20000-byte paste, quit and restore: ok")


def linux(stepvisor, src):
    packages = subprocess.run([os.path.join(src, "scripts/fetch-debian")], check=True,
                              stdout=subprocess.PIPE, text=True).stdout
    env = dict(line.split("=", 1) for line in packages.split())
    with tempfile.TemporaryDirectory() as tmp:
        initrd = os.path.join(tmp, "initrd.cpio.gz")
        subprocess.run([os.path.join(src, "scripts/make-initramfs"), "--modules",
                        env["MODULES"], env["BUSYBOX"],
                        os.path.join(src, "scripts/linux-init"), initrd], check=True)
        start = time.monotonic()
        term = Terminal([stepvisor, "run", "--smp", "2", "-m", "256M",
                         "--rtc", "base=2026-01-01T00:00:00", "--initrd", initrd,
                         "--append", "console=ttyAMA0 quiet", env["KERNEL"]])
        try:
            linux_session(term, start)
        finally:
            term.close()


def linux_session(term, start):
    prompt = rb"# (?:\x1b\[6n)?$"
    term.expect(rb"Ctrl-A H for help", 10)
    term.expect(prompt, 600)  # ASan (scripts/check --sanitize) boots slower
    print("console: %.1f s from start to the shell prompt" % (time.monotonic() - start))

    def run(command, answer, timeout=60):
        term.type(command.encode() + b"\r")
        m = term.expect(answer + rb".*?" + prompt, timeout)
        return m

    run("echo $((6*7))", NL + rb"42" + NL)
    run("nproc", NL + rb"2" + NL)
    total = int(run("free -m | awk '/Mem:/ {print $2}'", NL + rb"(\d+)" + NL).group(1))
    check(200 <= total <= 256, "free: %d MiB of RAM, want about 256" % total)
    run("cat /proc/cpuinfo | head -n 3", rb"processor\s*: 0" + NL)
    run("dmesg | grep -m 1 rtc-pl031", rb"rtc-pl031 9010000\.pl031: registered as rtc0")
    when = run("date -u +%Y-%m-%dT%H:%M:%S", NL + rb"(2026-01-01T00:\d\d:\d\d)" + NL).group(1)
    print("console: date in the guest with --rtc base=2026-01-01T00:00:00: %s" % when.decode())
    # A paste of 10 KB into `cat`: every byte reaches the guest's file (the
    # UART's FIFO holds 16; the rest waits at the host while Linux reads).
    rng = random.Random(31)
    text = b"".join(b"line %03d %s\n" % (i, bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789")
                                                   for _ in range(40))) for i in range(200))
    term.type(b"cat >/tmp/paste\r")
    term.expect(rb"cat >/tmp/paste" + NL, 30)
    term.paste(text.replace(b"\n", b"\r"))  # Enter is CR; the guest's tty (ICRNL) makes it NL
    term.writer.join(120)
    term.type(b"\x04")
    term.expect(rb"line 199 .*?" + prompt, 120)
    run("md5sum </tmp/paste", NL + hashlib.md5(text).hexdigest().encode() + rb"  -" + NL)
    # Ctrl-C reaches the foreground job through the guest's tty: `yes`, which
    # never ends by itself (`sleep 100` would, in well under a second of host
    # time: an idle guest's WFI jumps to its next timer deadline). The prompt
    # comes back only if it was interrupted, and it is gone.
    term.type(b"yes >/dev/null\r")
    term.expect(rb"yes >/dev/null" + NL, 30)
    time.sleep(1)
    term.type(b"\x03")
    term.expect(rb"\^C" + NL + rb".*?" + prompt, 60)
    run("pidof yes || echo no-yes-left", NL + rb"no-yes-left" + NL)
    term.type(b"\x01x")
    status = term.wait(10)
    check(status == 0, "Ctrl-A x: exit status %s, want 0" % status)
    check_restored(term)
    print("console: Linux shell: commands, Ctrl-C, rtc, Ctrl-A x, restore: ok")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("bare", "linux"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        (bare if sys.argv[1] == "bare" else linux)(sys.argv[2], sys.argv[3])
    except (AssertionError, subprocess.CalledProcessError) as e:
        print("console test failed: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
