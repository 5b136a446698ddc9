"""Turns the store's change notifications into a Qt signal.

The subscription's thread emits `changed`; Qt queues the signal to receivers in
the GUI thread, so slots can refresh widgets directly.

The thread must never emit on a notifier that is gone: `close()` (also run when
the notifier is destroyed, e.g. with the window that owns it) waits for an emit
in progress, stops any later one, and stops the thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from shared.store.notify import Subscription, subscribe


class _Gate:
    """Lets the subscription's calls through until closed; closing waits for one in flight."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open = True
        self.subscription: Subscription | None = None

    def close(self, *_args: object) -> None:
        with self.lock:
            self.open = False
        if self.subscription is not None:
            self.subscription.close()


class QueueNotifier(QObject):
    changed = Signal(str)  # the site code whose queue changed

    def __init__(
        self, url: str | None, sites: Iterable[str] | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        gate = _Gate()
        emit = self.changed.emit

        def deliver(site: str) -> None:
            with gate.lock:
                if gate.open:
                    emit(site)

        gate.subscription = subscribe(url, sites, deliver)
        self._gate = gate
        # A plain object's method: it must still run while the QObject is being destroyed.
        self.destroyed.connect(gate.close)

    @property
    def ready(self) -> bool:
        subscription = self._gate.subscription
        return subscription is not None and subscription.ready.is_set()

    def close(self) -> None:
        self._gate.close()
