"""A Qt app whose presenters (objects with running timers, in reference cycles) come and
go while a worker thread allocates, as print jobs and the notification thread do.

    python -m tests.gui.gc_threads [collector]

Prints "survived" after three seconds. Without the collector, Python's collector
sometimes runs on the worker thread and frees a presenter there: Qt cannot stop
its timer from that thread and the app crashes.
"""

from __future__ import annotations

import os
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication


class Presenter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.poll = QTimer(self, interval=20)
        self.poll.timeout.connect(self.tick)
        self.poll.start()
        self.me = self  # a reference cycle, as a presenter with its own slots has

    def tick(self) -> None:
        pass


def main() -> int:
    app = QApplication([])
    if sys.argv[1:] == ["collector"]:
        from shared.qt.collector import collect_on_gui_thread

        collect_on_gui_thread(app)
    stop = threading.Event()

    def allocate() -> None:
        while not stop.is_set():
            junk = [[i] for i in range(2000)]
            del junk
            time.sleep(0.001)

    worker = threading.Thread(target=allocate)
    worker.start()
    end = time.monotonic() + 3
    while time.monotonic() < end:
        Presenter()
        app.processEvents()
    stop.set()
    worker.join()
    print("survived", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
