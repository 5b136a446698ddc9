"""The guides' screenshots, taken from the apps themselves so they never go stale.

    python -m installer.guides                  writes docs/guides/img/*.png
    python -m installer.guides --out DIR        somewhere else

It opens each app offscreen on a scratch SQLite database holding a small morning at
Bootle (visitors waiting, desks serving, a call on the display), drives it to the
screen a guide shows, and saves that window as a PNG no wider than 1280 pixels.
Every image the guides in docs/guides/ show is made here (IMAGES lists them), and
tests/integration/test_guides.py checks that the guides name no other.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "guides" / "img"
WIDEST = 1280  # pixels: enough to read every word, small enough to commit
HOME = "/home/kiosk"  # what the scratch folders are shown as in the set-up pages

IMAGES = (
    "kiosk-welcome.png",
    "kiosk-ticket.png",
    "ticket-preview.png",
    "survey.png",
    "reception.png",
    "reception-supervisor.png",
    "desk-sign-in.png",
    "desk-serving.png",
    "display.png",
    "setup-role.png",
    "setup-database.png",
    "setup-site.png",
    "setup-printer.png",
    "setup-voice.png",
    "setup-summary.png",
)


class Shooter:
    def __init__(self, out: Path, scratch: Path) -> None:
        from PySide6.QtWidgets import QApplication

        from shared.office import Office
        from shared.qt.collector import collect_on_gui_thread
        from shared.store import Database

        self.out = out
        self.scratch = scratch
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        collect_on_gui_thread(self.app)
        self.office = Office(Database(f"sqlite:///{scratch / 'guides.db'}"))
        self.office.ensure_default_sites()
        self.logs = scratch / "logs"
        self.keep: list[Any] = []  # windows stay alive until the end

    def settle(self, seconds: float = 0.3, until: Callable[[], bool] | None = None) -> None:
        """Let the windows draw (and their workers answer), up to 20 s for `until`."""
        deadline = time.monotonic() + (20.0 if until else seconds)
        while time.monotonic() < deadline:
            self.app.processEvents()
            if until is not None and until():
                break
            time.sleep(0.02)
        self.app.processEvents()

    def save(self, widget: Any, name: str) -> Path:
        from PySide6.QtCore import Qt

        assert name in IMAGES, name
        image = widget.grab().toImage()
        if image.width() > WIDEST:
            image = image.scaledToWidth(WIDEST, Qt.TransformationMode.SmoothTransformation)
        path = self.out / name
        if not image.save(str(path), "PNG"):
            raise RuntimeError(f"could not write {path}")
        return path

    def show(self, window: Any, width: int, height: int) -> Any:
        window.resize(width, height)
        window.show()
        self.keep.append(window)
        self.settle()
        return window

    # -- a morning at Bootle -----------------------------------------------------------

    def morning(self) -> None:
        from shared.staff import Staff

        office = self.office
        staff = Staff(office.db)
        staff.add("bootle", "Sam Patel", "1234")
        staff.add("bootle", "Pat Reid", "4321", "receptionist")
        for number in range(2, 5):
            staff.add("bootle", f"CSA {number}", "1234")
        staff.add("bootle", "Jo Bloggs", "2468", "supervisor")  # the last: the site's first
        for number, desk in enumerate(("Desk 2", "Desk 3", "Desk 5"), start=2):
            staff.sign_in("bootle", desk, f"CSA {number}", "1234")
        for service in (
            "council-tax", "housing-benefit", "payments", "council-tax", "parking",
            "blue-badges", "council-tax-reduction", "housing", "payments", "business-rates",
        ):  # fmt: skip
            office.checkin("bootle", service)
        pat = staff.login("bootle", "Pat Reid", "4321", place="Reception")
        for ticket in office.waiting("bootle")[:4]:
            office.greet("bootle", ticket.ticket, by=pat)
        office.call_next("bootle", "Desk 2")
        office.start("bootle", desk="Desk 2")
        office.call_next("bootle", "Desk 3")

    # -- the apps ------------------------------------------------------------------------

    def kiosk(self) -> None:
        from kiosk.presenter import KioskPresenter
        from kiosk.survey import SurveyWindow
        from kiosk.window import KioskWindow

        presenter = KioskPresenter(self.office, "bootle", printer="preview", always_open=True)
        kiosk = self.show(KioskWindow(presenter, kiosk_mode=False), 1920, 1080)
        self.save(kiosk, "kiosk-welcome.png")
        presenter.check_in("council-tax", {})
        self.settle(until=lambda: kiosk.current_page == "ticket")
        self.settle(0.5)
        self.save(kiosk, "kiosk-ticket.png")
        tickets = sorted((self.scratch / "data" / "tickets").glob("*.png"), key=os.path.getmtime)
        if tickets:
            shutil.copy(tickets[-1], self.out / "ticket-preview.png")
        kiosk.may_close = True
        survey = SurveyWindow(presenter.notices, presenter.site, kiosk_mode=False)
        self.save(self.show(survey, 1920, 1080), "survey.png")
        survey.may_close = True

    def reception(self) -> None:
        from reception.console import ReceptionWindow
        from shared.eventlog import EventLog

        window = ReceptionWindow(
            self.office, "bootle", log=EventLog("reception", self.logs), printer="preview"
        )
        self.show(window, 1600, 900)
        window.who_name.setText("Pat Reid")  # reception signs in, at the top
        window.who_pin.setText("4321")
        window.sign_in()
        window.refresh()
        self.settle(0.5)
        self.save(window, "reception.png")
        tabs = window.tabs
        tabs.setCurrentIndex(
            next(i for i in range(tabs.count()) if tabs.tabText(i) == "Supervisor")
        )
        window.supervisor_name.setText("Jo Bloggs")
        window.supervisor_pin.setText("2468")
        window.supervisor_sign_in()
        window.supervisor_views.setCurrentWidget(window.audit_view)  # the morning's trail
        self.settle(0.5)
        self.save(window, "reception-supervisor.png")

    def desk(self) -> None:
        from reception.desk import DeskWindow
        from shared.eventlog import EventLog

        window = DeskWindow(self.office, "bootle", "Desk 1", log=EventLog("desk", self.logs))
        window.adjustSize()
        self.show(window, max(window.width(), 560), max(window.height(), 640))
        self.save(window, "desk-sign-in.png")
        window.name.setText("Sam Patel")
        window.pin.setText("1234")
        window.sign_in()
        window.call_next()
        window.refresh()
        self.settle(0.5)
        self.save(window, "desk-serving.png")

    def display(self) -> None:
        from reception.display import build_display
        from shared.eventlog import EventLog

        window, presenter, notifier = build_display(
            self.office,
            "bootle",
            log=EventLog("display", self.logs),
            cache=self.scratch / "announcements",
            mode="silent",
            full_screen=False,
        )
        self.keep += [presenter, notifier]
        self.show(window, 1920, 1080)
        self.office.call_next("bootle", "Desk 5")  # a call as the screen is watching
        self.settle(3.0)
        self.save(window, "display.png")
        notifier.close()

    def setup(self) -> None:
        from PySide6.QtWidgets import QWizard

        from reception.setup_wizard import SetupWizard
        from shared.settings import Settings

        shown = f"{HOME}/.config/onestop/settings.toml"
        wizard = SetupWizard(Settings(), path=Path(shown))
        self.show(wizard, 900, 660)
        scratch = str(self.scratch / "data")
        local = wizard.pages[wizard.DATABASE].local
        local.setText(local.text().replace(scratch, f"{HOME}/.local/share/onestop"))

        def next_page() -> None:
            button = wizard.button(QWizard.WizardButton.NextButton)
            self.settle(until=button.isEnabled)
            wizard.next()
            self.settle()

        wizard.pages[wizard.ROLE].buttons["all"].setChecked(True)
        self.save(wizard, "setup-role.png")
        next_page()
        self.save(wizard, "setup-database.png")
        next_page()
        site = wizard.pages[wizard.SITE]
        self.settle(until=lambda: site.site.count() > 0)
        site.desk.setCurrentText("Desk 4")
        site.kiosk_name.setText("Kiosk 1")
        self.save(wizard, "setup-site.png")
        next_page()
        printer = wizard.pages[wizard.PRINTER]
        self.settle(until=lambda: "Looking" not in printer.usb_note.text())
        printer.preview.setChecked(True)
        printer.print_test()
        self.settle(until=lambda: printer.result.text().startswith(("✓", "✗")))
        printer.result.setText(
            printer.result.text().replace(scratch, f"{HOME}/.local/share/onestop")
        )
        self.save(wizard, "setup-printer.png")
        next_page()
        self.save(wizard, "setup-voice.png")
        next_page()
        table = wizard.pages[wizard.SUMMARY].table
        table.setText(table.text().replace(scratch, f"{HOME}/.local/share/onestop"))
        self.save(wizard, "setup-summary.png")
        wizard.reject()

    def close(self) -> None:
        for window in self.keep:
            if hasattr(window, "may_close"):
                window.may_close = True
            if hasattr(window, "close"):
                window.close()
        self.settle()
        self.office.db.dispose()


def make_all(out: Path) -> list[Path]:
    """Every image of IMAGES in `out` (made afresh); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="onestop-guides-") as scratch:
        folder = Path(scratch)
        os.environ["ONESTOP_DATA_DIR"] = str(folder / "data")
        os.environ["ONESTOP_LOG_DIR"] = str(folder / "logs")
        os.environ["ONESTOP_CONFIG_DIR"] = str(folder / "config")
        os.environ["ONESTOP_SPEECH"] = "off"
        os.environ.pop("ONESTOP_DB", None)
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        shooter = Shooter(out, folder)
        try:
            shooter.morning()
            for step in (shooter.kiosk, shooter.reception, shooter.desk, shooter.display):
                step()
            shooter.setup()
        finally:
            shooter.close()
    missing = [name for name in IMAGES if not (out / name).is_file()]
    if missing:
        raise RuntimeError(f"these screenshots were not made: {', '.join(missing)}")
    return [out / name for name in IMAGES]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.guides", description=__doc__)
    parser.add_argument("--out", default=str(OUT), help=f"the folder (default {OUT})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    made = make_all(Path(args.out))
    size = sum(path.stat().st_size for path in made)
    print(
        f"guides: {len(made)} screenshots in {args.out} ({size / 1024:.0f} KB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
