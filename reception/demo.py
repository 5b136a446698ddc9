"""`onestop demo` with windows: kiosk, reception, a desk and the display on one screen.

A morning at Bootle runs by itself: visitors check in at the kiosk (tickets go to
the preview printer), reception greets most of them, four simulated CSAs call,
serve and finish, and the display shows and speaks every call. Desk 1 is left for
you: sign in as "Demo CSA" with PIN 1234 and press Call next. SQLite, nothing to
configure; the database is made afresh in the data folder each time.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from pathlib import Path
from typing import Any

from shared.demo import MIX, OUTCOMES

SIMULATED_DESKS = ["Desk 2", "Desk 3", "Desk 5", "Interview Room 1"]


def run_window_demo(minutes: float = 30.0, screenshot: str | None = None, seed: int = 7) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.presenter import KioskPresenter
    from kiosk.window import KioskWindow
    from reception.console import ReceptionWindow
    from reception.desk import DeskWindow
    from reception.display import build_display
    from shared.domain import DomainError, Outcome
    from shared.eventlog import EventLog
    from shared.office import Office
    from shared.qt.collector import collect_on_gui_thread
    from shared.staff import Staff
    from shared.store import Database
    from shared.store.db import data_dir

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)
    path = data_dir() / "demo-windows.db"
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    office = Office(Database(f"sqlite:///{path}"))
    office.ensure_default_sites()
    staff = Staff(office.db)
    staff.add("bootle", "Demo CSA", "1234")
    for index, desk in enumerate(SIMULATED_DESKS):
        name = f"CSA {index + 2}"
        staff.add("bootle", name, "1234")
        staff.sign_in("bootle", desk, name, "1234")
    staff.add("bootle", "Demo Receptionist", "4321", "receptionist")
    staff.add("bootle", "Demo Supervisor", "2468", "supervisor")  # the last: the site's first
    logs = data_dir() / "demo-logs"
    rng = random.Random(seed)

    kiosk = KioskWindow(
        KioskPresenter(office, "bootle", printer="preview", always_open=True),
        kiosk_mode=False,
        screen_scale=0.5,  # a quarter of the monitor, not a kiosk's whole screen
    )
    reception = ReceptionWindow(
        office, "bootle", log=EventLog("reception", logs), printer="preview"
    )
    reception.who_name.setText("Demo Receptionist")  # reception signed in: its greets are named
    reception.who_pin.setText("4321")
    reception.sign_in()
    desk = DeskWindow(office, "bootle", "Desk 1", log=EventLog("desk", logs))
    display, _presenter, notifier = build_display(
        office,
        "bootle",
        log=EventLog("display", logs),
        cache=data_dir() / "announcements",
        full_screen=False,
    )
    notifier.changed.connect(reception.refresh)
    screen = app.primaryScreen().availableGeometry()
    half_w, half_h = screen.width() // 2, screen.height() // 2
    for window, (x, y) in (
        (kiosk, (0, 0)),
        (display, (half_w, 0)),
        (reception, (0, half_h)),
        (desk, (half_w, half_h)),
    ):
        window.setGeometry(screen.x() + x, screen.y() + y, half_w, half_h)
        window.show()

    services = list(MIX)
    weights = list(MIX.values())

    def later(seconds: float, action: Any) -> None:
        # Qt keeps the one-shot timer (the application is its context) until it fires.
        QTimer.singleShot(int(seconds * 1000), app, action)

    def visitor() -> None:
        if kiosk.current_page in ("welcome", "ticket"):
            kiosk.next_visitor()
            kiosk.presenter.check_in(rng.choices(services, weights)[0], {})
            ticket = kiosk.ticket_number.text()
            if rng.random() < 0.8:
                later(rng.uniform(15, 90), lambda t=ticket: greet(t))
        later(rng.uniform(20, 45), visitor)

    def greet(ticket: str) -> None:
        with contextlib.suppress(DomainError):  # a desk called them first: that greeted them
            office.greet("bootle", ticket, by=reception.actor)

    def csa(desk_name: str) -> None:
        try:
            called = office.call_next("bootle", desk_name)
        except DomainError:
            called = None
        if called is None or called.ticket is None:
            later(10, lambda: csa(desk_name))
            return
        later(rng.uniform(10, 25), lambda: serve(desk_name))

    def serve(desk_name: str) -> None:
        with contextlib.suppress(DomainError):
            office.start("bootle", desk=desk_name)
        later(rng.uniform(60, 180), lambda: finish(desk_name))

    def finish(desk_name: str) -> None:
        kind, detail, _ = rng.choices(OUTCOMES, weights=[w for *_, w in OUTCOMES])[0]
        with contextlib.suppress(DomainError):
            office.finish("bootle", Outcome(kind, detail), desk=desk_name)
        later(rng.uniform(5, 20), lambda: csa(desk_name))

    for _ in range(6):
        kiosk.presenter.check_in(rng.choices(services, weights)[0], {})
    later(3, visitor)
    for index, desk_name in enumerate(SIMULATED_DESKS):
        later(5 + 4 * index, lambda d=desk_name: csa(d))
    if screenshot:

        def shoot() -> None:
            folder = Path(screenshot)
            folder.mkdir(parents=True, exist_ok=True)
            for name, window in (
                ("kiosk", kiosk),
                ("display", display),
                ("reception", reception),
                ("desk", desk),
            ):
                window.grab().save(str(folder / f"demo-{name}.png"))
            app.quit()

        later(minutes * 60, shoot)
    else:
        later(minutes * 60, app.quit)
    print(
        f"OneStop demo: Bootle, {minutes:g} minutes. Desk 1 is yours: "
        "sign in as 'Demo CSA', PIN 1234. Reception's Supervisor tab (the audit trail, "
        "Reports): 'Demo Supervisor', PIN 2468. Logs in " + str(logs),
        flush=True,
    )
    code = app.exec()
    notifier.close()
    return code


def has_screen() -> bool:
    """A screen to show windows on, or a Qt platform chosen on purpose
    (QT_QPA_PLATFORM=offscreen: the windows run, drawn nowhere)."""
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
        or sys.platform in ("win32", "darwin")
    )
