"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a
threshold is crossed: a print job, the change-notification thread, the speech
worker. If it then frees a Qt object with a running timer, Qt cannot stop that
timer from the wrong thread ("Timers cannot be stopped from another thread") and
the GUI thread later fires a timer whose object is gone: the app crashes.

So every app turns automatic collection off and collects here, from a timer on
the GUI thread (qutebrowser does the same).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start()
        self.destroyed.connect(_enable_gc)

    @staticmethod
    def collect_if_due() -> int:
        """Collect the young generation at every tick, so a cycle is freed within about a
        second (cheap: only objects made since); an older generation when its threshold
        is passed, as Python itself would (about every 10 and 100 ticks). The young one
        is not left to its threshold: Python counts allocations less deallocations, so a
        burst of frees can hold a cycle back for as long as the app runs quietly."""
        thresholds = gc.get_threshold()
        counts = gc.get_count()
        for generation in (2, 1):
            if counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return gc.collect(0)


def _enable_gc(*_args: object) -> None:
    gc.enable()


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Install the collector on the application (call once, from the GUI thread)."""
    existing = app.findChild(GuiThreadCollector)
    return existing if existing is not None else GuiThreadCollector(app)
