"""A test's hands on the real apps: a visitor at `onestop kiosk`, a CSA at `onestop desk`.

The process runs the real command (its options, composition root, windows, change
notifications and event log, exactly as `onestop kiosk ...` would) and, from inside
its event loop, presses the window's buttons as a person would:

    python -m tests.e2e.drivers kiosk SERVICE -- KIOSK OPTIONS...
        taps SERVICE on the welcome screen, prints "ticket Y001", and carries on
    python -m tests.e2e.drivers desk NAME PIN -- DESK OPTIONS...
        signs in, prints "signed in", and at each "call" line on its input presses
        Call next and prints "called Y001"

Both keep running, as the apps do, until they are stopped.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

TIMEOUT = 120.0  # seconds for a window or a result, on a loaded two-core PC


def say(line: str) -> None:
    print(line, flush=True)


def tap(button: QPushButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


class Hand:
    """Steps run one after another inside the app's event loop, each waiting for its moment."""

    def __init__(self) -> None:
        self.steps: list[tuple[Callable[[], object], Callable[[object], None]]] = []
        self.deadline = time.monotonic() + TIMEOUT
        self.timer = QTimer(interval=50)
        self.timer.timeout.connect(self._tick)

    def when(self, ready: Callable[[], object], then: Callable[[object], None]) -> Hand:
        """Once `ready()` gives something, `then(it)`."""
        self.steps.append((ready, then))
        return self

    def start(self) -> None:
        self.timer.start()

    def _tick(self) -> None:
        if not self.steps:
            self.timer.stop()
            return
        ready, then = self.steps[0]
        found = ready()
        if found:
            self.steps.pop(0)
            self.deadline = time.monotonic() + TIMEOUT
            then(found)
        elif time.monotonic() > self.deadline:
            say(f"driver: gave up waiting for {ready.__name__}")
            QApplication.instance().exit(3)  # type: ignore[union-attr]


def window_named(name: str) -> Callable[[], QWidget | None]:
    def window() -> QWidget | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()),
            None,
        )

    window.__name__ = f"the {name} window"
    return window


def kiosk(service: str, options: list[str]) -> int:
    from kiosk.app import main
    from kiosk.window import KioskWindow

    shown: list[KioskWindow] = []

    def kiosk_window() -> KioskWindow | None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        return next((w for w in windows if w.isVisible()), None)

    def tap_service(window: KioskWindow) -> None:
        shown.append(window)
        tap(next(b for b in window.findChildren(QPushButton) if b.text() == service))

    def the_ticket() -> str:
        return shown[0].ticket_number.text()

    hand = Hand().when(kiosk_window, tap_service).when(the_ticket, lambda t: say(f"ticket {t}"))
    hand.start()
    return main(options)


def desk(name: str, pin: str, options: list[str]) -> int:
    from reception.app import desk_main

    orders: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(
        target=lambda: [orders.put(line.strip()) for line in sys.stdin], daemon=True
    )
    shown: list[QWidget] = []
    waiting_for: list[str] = []  # the ticket shown before Call next was pressed
    calls = QTimer(interval=50)

    def button(name: str) -> QPushButton:
        found = shown[0].findChild(QPushButton, name)
        assert found is not None, name
        return found

    def sign_in(window: QWidget) -> None:
        shown.append(window)
        window.findChild(QWidget, "name").setText(name)  # type: ignore[union-attr]
        window.findChild(QWidget, "pin").setText(pin)  # type: ignore[union-attr]
        tap(button("sign_in"))

    def signed_in() -> bool:
        return button("call_next").isVisible()

    def listen(_yes: object) -> None:
        say("signed in")
        reader.start()
        calls.start()

    def current() -> str:
        return shown[0].current.text()  # type: ignore[attr-defined]

    def take_order() -> None:
        if waiting_for:
            if current() != waiting_for[0]:
                waiting_for.clear()
                say(f"called {current()}")
            return
        try:
            order = orders.get_nowait()
        except queue.Empty:
            return
        if order == "call":
            waiting_for.append(current())
            tap(button("call_next"))

    calls.timeout.connect(take_order)
    hand = Hand().when(window_named("desk"), sign_in).when(signed_in, listen)
    hand.start()
    return desk_main(options)


def main(argv: list[str]) -> int:
    role, rest = argv[0], argv[1:]
    split = rest.index("--")
    mine, options = rest[:split], rest[split + 1 :]
    app = QApplication(sys.argv[:1])  # the command takes this application as its own
    code = kiosk(*mine, options) if role == "kiosk" else desk(*mine, options)
    del app
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
