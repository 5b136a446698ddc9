"""Processes that play a visitor at the kiosk and a CSA at a desk, through the real windows.

python -m tests.e2e.drivers kiosk URL LOGDIR       -> prints the ticket issued
python -m tests.e2e.drivers desk URL LOGDIR DESK   -> signs in, presses Call next
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def kiosk(url: str, log_dir: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPushButton

    from kiosk.presenter import KioskPresenter
    from kiosk.window import KioskWindow
    from shared.office import Office
    from shared.store import Database

    app = QApplication([])
    office = Office(Database(url))
    from shared.eventlog import EventLog

    presenter = KioskPresenter(
        office, "bootle", printer="preview", always_open=True, log=EventLog("kiosk", log_dir)
    )
    window = KioskWindow(presenter, kiosk_mode=False)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    target = next(b for b in window.findChildren(QPushButton) if b.text() == "Payments")
    QTest.mouseClick(target, Qt.MouseButton.LeftButton)
    presenter.wait_for_printing()
    app.processEvents()
    print(window.ticket_number.text(), flush=True)


def desk(url: str, log_dir: str, desk_name: str) -> None:
    from PySide6.QtWidgets import QApplication

    from reception.desk import DeskWindow
    from shared.eventlog import EventLog
    from shared.office import Office
    from shared.staff import Staff
    from shared.store import Database

    app = QApplication([])
    office = Office(Database(url))
    Staff(office.db).add("bootle", "E2E CSA", "4321")
    window = DeskWindow(office, "bootle", desk_name, log=EventLog("desk", log_dir))
    window.show()
    window.name.setText("E2E CSA")
    window.pin.setText("4321")
    window._guard(window.sign_in)
    window._guard(window.call_next)
    app.processEvents()
    print(window.current.text(), flush=True)


if __name__ == "__main__":
    role, *rest = sys.argv[1:]
    {"kiosk": kiosk, "desk": desk}[role](*rest)
