"""A raw TCP 'printer' on loopback (port 9100 style) that keeps every job it receives."""

from __future__ import annotations

import contextlib
import socket
import threading


class PrinterListener:
    """Accepts connections one after another; each connection's bytes are one job."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.received = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="loopback-printer", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            data = bytearray()
            with connection:
                while chunk := connection.recv(65536):
                    data.extend(chunk)
            self.jobs.append(bytes(data))
            self.received.set()

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone does not on Linux.
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(5)
