"""The daily data-protection purge, run by every staff app (reception and the desks).

A minute after the app opens and every hour after, a job on the object's own worker
asks the database (shared/reports/privacy.py `daily_purge`) whether the site's purge
has run today; the first app to ask runs it, the others find it done. No one console
has to be open: any staff app that is running on a day purges that day.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from shared.qt.jobs import tell

FIRST_AFTER_MS = 60_000  # after opening (the app's start is not slowed by it)
EVERY_MS = 3_600_000


class _PurgeJob(QRunnable):
    def __init__(self, owner: DailyPurge) -> None:
        super().__init__()
        self.owner = owner
        self.db, self.site, self.place = owner.db, owner.site, owner.place

    def run(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from shared.domain import DomainError
        from shared.reports.privacy import daily_purge

        try:
            result = daily_purge(self.db, self.site, place=self.place)
        except (SQLAlchemyError, DomainError):  # offline, or a login that may not: next hour
            result = None
        tell(self.owner, "purged", result)


class DailyPurge(QObject):
    """Owned by its window (its timers and worker go with it)."""

    purged = Signal(object)  # the Purged result, or None when there was nothing to do

    def __init__(self, db: Any, site: str, place: str, parent: QObject) -> None:
        super().__init__(parent)
        self.db, self.site, self.place = db, site, place
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.first = QTimer(self, singleShot=True, interval=FIRST_AFTER_MS)
        self.first.timeout.connect(self.run)
        self.every = QTimer(self, interval=EVERY_MS)
        self.every.timeout.connect(self.run)
        self.first.start()
        self.every.start()

    def run(self) -> None:
        if self.pool.activeThreadCount() == 0:
            self.pool.start(_PurgeJob(self))

    def stop(self, milliseconds: int = 10_000) -> None:
        self.first.stop()
        self.every.stop()
        self.pool.waitForDone(milliseconds)
