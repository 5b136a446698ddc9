"""Test printers: a raw TCP 'printer' on loopback (port 9100 style) that keeps every job it
receives, and the same printer on a serial line (a pseudo-terminal pair).

Both answer ESC/POS real-time status requests (DLE EOT n) the way a thermal printer
does, from a `PrinterState` a test can change while they run: paper present, near its
end or out; online or offline; cover open; or not answering at all. Requests sent
before a job's first printable byte are answered and kept out of the job, so a job
holds exactly the bytes that would print.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import threading
import time
from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
CUTS = (b"\x1dV\x00", b"\x1dV\x01", b"\x1dV0", b"\x1dV1")


@dataclass
class PrinterState:
    """What the emulated printer says when asked (Epson's DLE EOT bit layout)."""

    paper: str = "ok"  # ok | near_end | out
    online: bool = True
    cover_open: bool = False
    answers: bool = True  # False: reads requests and never answers (powered but hung)

    def status(self, n: int) -> bytes:
        """The one-byte answer to DLE EOT n, or nothing when it does not answer."""
        if not self.answers or n not in (1, 2, 3, 4):
            return b""
        byte = 0x12  # bits 1 and 4 are always set, bits 0 and 7 always clear
        offline = not self.online or self.cover_open or self.paper == "out"
        if n == 1 and offline:
            byte |= 0x08
        if n == 2:
            byte |= (0x04 if self.cover_open else 0) | (0x20 if self.paper == "out" else 0)
        if n == 4:
            byte |= {"ok": 0, "near_end": 0x0C, "out": 0x6C}[self.paper]
        return bytes([byte])


class _Session:
    """One stream's bytes: status requests answered until print data starts."""

    def __init__(self, state: PrinterState, requests: list[int]) -> None:
        self.state = state
        self.requests = requests
        self.pending = b""
        self.job = bytearray()
        self.printing = False

    def feed(self, data: bytes) -> bytes:
        """Takes received bytes; returns the printer's answers to send back."""
        if self.printing:
            self.job.extend(data)
            return self._after_cut()
        self.pending += data
        answers = b""
        while self.pending and not self.printing:
            if self.pending.startswith(DLE_EOT) and len(self.pending) >= 3:
                n = self.pending[2]
                self.requests.append(n)
                answers += self.state.status(n)
                self.pending = self.pending[3:]
            elif DLE_EOT.startswith(self.pending[:2]) and len(self.pending) < 3:
                break  # half a request so far
            else:
                self.printing = True
                self.job.extend(self.pending)
                self.pending = b""
        return answers

    def _after_cut(self) -> bytes:
        """Status requests after the job's last command (its paper cut, or the feed that
        ends a ticket on a printer without a cutter: the kiosk asks whether the whole
        ticket arrived) are answered, as a printer answers them at any time, and kept
        out of the job. Elsewhere in a job (picture data) the bytes are print data."""
        job = bytes(self.job)
        end = len(job)
        while end >= 3 and job[end - 3 : end - 1] == DLE_EOT:
            end -= 3
        if end == len(job) or not (
            job[:end].endswith(CUTS) or (end >= 3 and job[end - 3 : end - 1] == b"\x1bd")
        ):
            return b""  # no request at the end, or more print data after it
        tail = job[end:]
        del self.job[end:]
        answers = b""
        for i in range(0, len(tail), 3):
            self.requests.append(tail[i + 2])
            answers += self.state.status(tail[i + 2])
        return answers


class PrinterListener:
    """Accepts connections one after another; each connection's bytes are one job.

    A connection that only asked for status (a probe) is not a job.
    """

    def __init__(self, port: int = 0, state: PrinterState | None = None) -> None:
        self.state = state or PrinterState()
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.finished_at: list[float] = []  # time.perf_counter() at each job's last byte
        self.status_requests: list[int] = []  # every DLE EOT n received, in order
        self.connections = 0
        # Set to N: the next job's connection is dropped (reset) after N bytes of print
        # data, as a printer switched off or a cable pulled mid-ticket; its bytes so far
        # go to `cut_jobs`, not `jobs`. One job only: the one after prints whole.
        self.cut_next: int | None = None
        self.cut_jobs: list[bytes] = []
        self.received = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="loopback-printer", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            session = _Session(self.state, self.status_requests)
            with connection, contextlib.suppress(OSError):
                while chunk := connection.recv(65536):
                    if answer := session.feed(chunk):
                        connection.sendall(answer)
                    if self.cut_next is not None and len(session.job) >= self.cut_next:
                        self.cut_jobs.append(bytes(session.job[: self.cut_next]))
                        self.cut_next = None
                        session.job.clear()
                        # Closed with unread data and no linger: the kernel sends RST.
                        connection.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        break
            if session.job:
                self.finished_at.append(time.perf_counter())
                self.jobs.append(bytes(session.job))
                self.received.set()

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone does not on Linux.
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(5)


class PtyPrinter:
    """A printer on a serial line: `path` is a real tty (the slave end of a pseudo-
    terminal) that pyserial opens like /dev/ttyUSB0; this side reads the other end.

    A job ends at a paper cut; status requests between jobs are answered.
    """

    def __init__(self, state: PrinterState | None = None) -> None:
        self.state = state or PrinterState()
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        self.jobs: list[bytes] = []
        self.status_requests: list[int] = []
        self.received = threading.Event()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="pty-printer", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import select

        session = _Session(self.state, self.status_requests)
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the other end closed: nothing to read until it reopens
                self._stop.wait(0.02)
                continue
            if answer := session.feed(chunk):
                os.write(self.master, answer)
            if session.printing and bytes(session.job).endswith(CUTS):
                self.jobs.append(bytes(session.job))
                self.received.set()
                session = _Session(self.state, self.status_requests)

    def close(self) -> None:
        self._stop.set()
        self.thread.join(5)
        os.close(self.master)
        os.close(self.slave)
