"""A person at a terminal, for the console tests: stepvisor runs on the
slave side of a real pseudo-terminal (its stdin, stdout and stderr, and its
controlling terminal, as in a shell), and the test types on the master side
and reads what the screen would show."""
import fcntl
import os
import pty
import re
import select
import subprocess
import termios
import threading
import time


class Terminal:
    def __init__(self, argv):
        self.master, self.slave = pty.openpty()
        self.before = termios.tcgetattr(self.slave)
        self.screen = b""  # what came since the last match
        self.transcript = b""  # everything that came
        self.proc = subprocess.Popen(
            argv, stdin=self.slave, stdout=self.slave, stderr=self.slave,
            start_new_session=True, preexec_fn=self._take_terminal, close_fds=True)
        self.writer = None

    @staticmethod
    def _take_terminal():
        # The child's controlling terminal: stdin, as a login shell has it.
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def type(self, data):
        """Writes data as keystrokes, all of it (the pty may take it in parts)."""
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view):]

    def paste(self, data):
        """Types data from another thread, so that reading the echo cannot
        deadlock with a pty that is full both ways."""
        self.writer = threading.Thread(target=self.type, args=(data,))
        self.writer.start()

    def _read(self, timeout):
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: no process holds the slave any more
            return False
        self.screen += chunk
        self.transcript += chunk
        return bool(chunk)

    def expect(self, pattern, timeout):
        """Reads until the screen since the last match matches pattern (bytes
        regex); returns the match. Fails with the screen's tail."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.S)
        while True:
            m = regex.search(self.screen)
            if m:
                self.screen = self.screen[m.end():]
                return m
            left = deadline - time.monotonic()
            if left <= 0 or (not self._read(min(left, 1.0)) and self.proc.poll() is not None
                             and not self._read(0)):
                raise AssertionError(
                    "waited %.0f s for %r; the screen ends with:\n%s" %
                    (timeout, pattern, self.screen[-1500:].decode(errors="replace")))

    def wait(self, timeout):
        """The exit status; the rest of the output stays readable."""
        try:
            return self.proc.wait(timeout)
        finally:
            while self._read(0.2):
                pass

    def termios_now(self):
        return termios.tcgetattr(self.slave)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.writer:
            self.writer.join(5)
        os.close(self.master)
        os.close(self.slave)
