"""Turns the store's change notifications into a Qt signal.

The subscription's thread emits `changed`; Qt queues the signal to receivers in
the GUI thread, so slots can refresh widgets directly.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from shared.store.notify import subscribe


class QueueNotifier(QObject):
    changed = Signal(str)  # the site code whose queue changed

    def __init__(
        self, url: str | None, sites: Iterable[str] | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._subscription = subscribe(url, sites, self.changed.emit)

    @property
    def ready(self) -> bool:
        return self._subscription.ready.is_set()

    def close(self) -> None:
        self._subscription.close()
