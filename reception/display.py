"""The call-forward display: `onestop display --site S`.

Full screen in the waiting area: the current call big ("A023 → Desk 4"), the four
calls before it with their desks, a flash for a new call, and a ticker with the
estimated wait per service and reception's delay notice. Readable from 10 m: at
1920x1080 on a 42" screen every ticket number and the ticker have capitals of 3 cm
or more (docs/staff-apps.md has the measurements). Colour-blind safe: dark blue,
white and yellow, the flash inverts them (no red/green). Every call is chimed and
spoken through the announcement queue.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from reception.announcements import AnnouncementQueue, Call
from reception.signage import FitText, HistoryTile, Ticker
from shared.eventlog import EventLog
from shared.notices import Notices
from shared.office import Office
from shared.waits import told_minutes

NAVY, WHITE, YELLOW = "#0b2545", "#ffffff", "#ffdd00"
ARROW = "→"
LATE_SECONDS = 60  # how late a call may be seen after a later one (PostgreSQL, see calls_since)
HISTORY = 4  # earlier calls shown: fewer, larger tiles read from further away
# The ticker's waits are worked out again at most this often on a refresh: a prediction
# is some 140 queries and 80 ms, and every change at the site notifies the display (the
# load test, tests/benchmarks/load_bench.py, found 20 displays doing it at each change
# took more than the council server's two cores). The notice and the calls stay at once.
WAITS_SECONDS = 10.0


class DisplayPresenter(QObject):
    """Watches the site's calls (notified by the store, with a slow poll as a net)."""

    called = Signal(object)  # Call
    ticker_changed = Signal(str)

    def __init__(self, office: Office, site: str, log: EventLog) -> None:
        super().__init__()
        self.office = office
        self.notices = Notices(office.db)
        self.site = office.site(site)
        self.log = log
        self.last_id = office.last_event_id(site)
        # Calls already made when the display opened are not announced; nor is a call
        # twice, though a late-committed one comes back in every window (see calls_since).
        self.seen = {
            row["event_id"]
            for row in office.calls_since(site, 0, limit=1000, late_seconds=LATE_SECONDS)
            if row["event_id"] <= self.last_id
        }
        self.clock = time.monotonic
        self._waits: dict[str, int] | None = None  # told minutes by service, when worked out
        self._waits_at = 0.0
        self.poll = QTimer(self, interval=2000)
        self.poll.timeout.connect(self.refresh)
        self.poll.start()

    def recent(self, count: int = HISTORY + 1) -> list[Call]:
        rows = self.office.calls_since(self.site.code, 0, limit=count)
        return [Call(r["ticket"], r["desk"], r["recall"], r["event_id"], r["at"]) for r in rows]

    def refresh(self, _site: str = "") -> None:
        from sqlalchemy.exc import OperationalError

        try:
            self._refresh()
        except OperationalError:
            self.ticker_changed.emit("Waiting for the queue to come back online…")

    def _refresh(self) -> None:
        rows = self.office.calls_since(
            self.site.code, self.last_id, limit=1000, late_seconds=LATE_SECONDS
        )
        for row in rows:
            if row["event_id"] in self.seen:
                continue
            self.seen.add(row["event_id"])
            self.last_id = max(self.last_id, row["event_id"])
            self.called.emit(
                Call(row["ticket"], row["desk"], row["recall"], row["event_id"], row["at"])
            )
        self.seen &= {row["event_id"] for row in rows}  # the others cannot come back
        due = self._waits is None or self.clock() - self._waits_at >= WAITS_SECONDS
        self.ticker_changed.emit(self.ticker_text(fresh_waits=due))

    def ticker_text(self, *, fresh_waits: bool = True) -> str:
        """The delay notice (read every time) and the waits (worked out again when
        `fresh_waits`, else the last ones)."""
        parts = []
        notice = self.notices.notice(self.site.code)
        if notice.delay_reason:
            minutes = f" (about {notice.delay_minutes} min)" if notice.delay_minutes else ""
            parts.append(f"We are busier than usual: {notice.delay_reason}{minutes}")
        if fresh_waits or self._waits is None:
            self._waits = self._predicted_waits()
            self._waits_at = self.clock()
        for service in self.site.services:
            if service.code in self._waits:
                parts.append(f"{service.name}: about {self._waits[service.code]} min")
        return "   •   ".join(parts) or "Welcome. Please take a seat: we will call your number."

    def _predicted_waits(self) -> dict[str, int]:
        """The wait a visitor arriving now would be told, for each service someone waits for."""
        busy = {w.service for w in self.office.waiting(self.site.code)}
        predicted = self.office.waits.for_new_walk_in(self.site.code, busy) if busy else {}
        return {
            code: told_minutes(minutes)
            for code, minutes in predicted.items()
            if code in busy and minutes is not None
        }


def big(text: str, size: int, bold: bool = True, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    weight = "bold" if bold else "normal"
    label.setStyleSheet(f"color: {WHITE}; font-size: {size}px; font-weight: {weight};")
    if name:
        label.setObjectName(name)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class DisplayWindow(QWidget):
    def __init__(
        self,
        presenter: DisplayPresenter,
        announcer: AnnouncementQueue,
        log: EventLog,
        *,
        full_screen: bool = True,
    ) -> None:
        super().__init__()
        # The window owns its presenter and announcer: they (and their timers and worker
        # pool) go with it, on the GUI thread, never when a worker thread drops them.
        presenter.setParent(self)
        announcer.setParent(self)
        self.presenter = presenter
        self.announcer = announcer
        self.log = log
        self.setObjectName("display")
        self.setStyleSheet(f"QWidget#display {{ background: {NAVY}; }}")
        self.setWindowTitle(f"OneStop display — {presenter.site.name}")
        root = QVBoxLayout(self)
        self.root = root
        self.heading = big("Now calling", 48, False)
        root.addWidget(self.heading)
        self.current = FitText(max_lines=3, name="current")
        root.addWidget(self.current, 1)
        self.history_row = QWidget()
        QGridLayout(self.history_row).setContentsMargins(0, 0, 0, 0)
        self.history = [HistoryTile(name=f"history_{index}") for index in range(HISTORY)]
        self._columns = 0
        root.addWidget(self.history_row)
        self.ticker = Ticker(NAVY, YELLOW)
        root.addWidget(self.ticker)
        self.sizes: dict[str, int] = {}
        self._fit_to(1920, 1080)
        self.flashes = 0
        self.flash_timer = QTimer(self, interval=400)
        self.flash_timer.timeout.connect(self._flash)
        self.calls: list[Call] = []
        presenter.called.connect(self.show_call)
        presenter.ticker_changed.connect(self.set_ticker)
        for call in presenter.recent():
            self._remember(call)
        self._render_history()
        if self.calls:
            self.current.setText(f"{self.calls[-1].ticket} {ARROW} {self.calls[-1].desk}")
        self.set_ticker(presenter.ticker_text())
        if full_screen:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint)

    def resizeEvent(self, event: Any) -> None:
        self._fit_to(self.width(), self.height())
        super().resizeEvent(event)

    def _fit_to(self, width: int, height: int) -> None:
        """Letters in proportion to the screen's height; any text too wide shrinks to fit.

        At 1920x1080 (a 42" screen: 0.048 cm a pixel) the calls before the current one
        and the ticker get capitals of about 3 cm, enough for 10 m; the current call
        takes all the room left and grows as large as its words allow."""
        base = max(min(width, height), 200)  # a screen turned upright keeps its letter sizes
        side, top = int(base * 0.035), int(base * 0.02)
        self.root.setContentsMargins(side, top, side, top)
        self.root.setSpacing(int(base * 0.015))
        self.sizes = {
            "heading": int(base * 0.045),
            "current": int(max(height, 200) * 0.3),
            "history": int(base * 0.095),
            "ticker": int(base * 0.082),
        }
        self.heading.setStyleSheet(f"color: {WHITE}; font-size: {self.sizes['heading']}px;")
        self.current.set_padding(int(base * 0.03))  # the flash's white panel has a margin
        self.current.set_max_pixels(self.sizes["current"])
        self._place_history(HISTORY if width >= height else 2, int(base * 0.02))
        self.history_row.setFixedHeight(int(max(height, 200) * 0.34))
        for item in self.history:
            item.set_max_pixels(self.sizes["history"])
        self.ticker.set_pixel_size(self.sizes["ticker"], int(base * 0.012))

    def _place_history(self, columns: int, spacing: int) -> None:
        """One row of tiles on a wide screen, two rows on one turned upright."""
        grid = self.history_row.layout()
        assert isinstance(grid, QGridLayout)
        grid.setSpacing(spacing)
        if columns == self._columns:
            return
        self._columns = columns
        for index, item in enumerate(self.history):
            grid.removeWidget(item)
            grid.addWidget(item, index // columns, index % columns)

    def closeEvent(self, event: Any) -> None:
        for timer in (self.flash_timer, self.presenter.poll):
            timer.stop()
        self.ticker.stop()
        super().closeEvent(event)

    def _remember(self, call: Call) -> None:
        self.calls = [c for c in self.calls if c.ticket != call.ticket] + [call]
        self.calls = self.calls[-(HISTORY + 1) :]

    def _render_history(self) -> None:
        earlier = list(reversed(self.calls[:-1]))
        for index, item in enumerate(self.history):
            call = earlier[index] if index < len(earlier) else None
            item.setText(f"{call.ticket}\n{call.desk}" if call else "")
            item.setVisible(call is not None)  # no empty frames: its place is kept

    def show_call(self, call: Call) -> None:
        self._remember(call)
        self.current.setText(f"{call.ticket} {ARROW} {call.desk}")
        self._render_history()
        self.flashes = 8
        self.flash_timer.start()
        self.current.repaint()
        self.log.write(
            "displayed",
            site=self.presenter.site.code,
            ticket=call.ticket,
            desk=call.desk,
            recall=call.recall,
            event_id=call.event_id,
            called_at=call.called_at,
            monotonic=time.monotonic(),
        )
        self.announcer.announce(call)

    def _flash(self) -> None:
        self.flashes -= 1
        inverted = self.flashes % 2 == 1
        self.current.set_colours(*((NAVY, WHITE) if inverted else (WHITE, None)))
        if self.flashes <= 0:
            self.flash_timer.stop()

    def set_ticker(self, text: str) -> None:
        self.ticker.setText(text)


def build_display(
    office: Office,
    site: str,
    *,
    log: EventLog,
    cache: Any,
    mode: str = "voice",
    language: str = "en",
    full_screen: bool = True,
    url: str | None = None,
) -> tuple[DisplayWindow, DisplayPresenter, Any]:
    from shared.qt.notifier import QueueNotifier

    presenter = DisplayPresenter(office, site, log)
    announcer = AnnouncementQueue(cache, log, site, mode=mode, language=language)
    window = DisplayWindow(presenter, announcer, log, full_screen=full_screen)
    notifier = QueueNotifier(url or office.db.url, [site], parent=window)
    notifier.changed.connect(presenter.refresh)
    return window, presenter, notifier
