"""The kiosk's composition root: `onestop kiosk --site S` and `python -m kiosk`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from typing import Any


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onestop kiosk", description="The check-in kiosk.")
    parser.add_argument("--site", help="site code, e.g. bootle (default: this PC's settings)")
    parser.add_argument(
        "--db", help="database URL (default: $ONESTOP_DB, this PC's settings, or local SQLite)"
    )
    parser.add_argument(
        "--printer", help="printer instead of the site's (tcp://HOST:9100, preview, ...)"
    )
    parser.add_argument("--name", help='this kiosk\'s name on staff screens (default "Kiosk 1")')
    parser.add_argument("--mode", choices=["checkin", "survey"], default="checkin")
    parser.add_argument("--windowed", action="store_true", help="a normal window, not kiosk mode")
    parser.add_argument("--language", choices=["en", "pl", "ar"], default="en")
    parser.add_argument(
        "--always-open",
        action="store_true",
        help="ignore the opening hours (trying it out, an out-of-hours event); "
        "reception can still close it",
    )
    parser.add_argument("--log-dir", help="where the JSON-lines event log goes")
    parser.add_argument("--screenshot", metavar="PNG", help="save the welcome screen and quit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    parser = build_parser()
    args = parser.parse_args(argv)
    from shared.settings import apply_defaults  # under the arguments; see shared/settings.py

    apply_defaults(args, site="site", printer="printer", name="kiosk_name")
    if not args.site:
        parser.error("say which site (--site S), or set this PC up: onestop setup")
    args.name = args.name or "Kiosk 1"
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.presenter import KioskPresenter
    from kiosk.window import KioskWindow
    from shared.devices.speech import Speaker
    from shared.domain import DomainError
    from shared.eventlog import EventLog
    from shared.office import Office
    from shared.qt.collector import collect_on_gui_thread
    from shared.store import Database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)
    from sqlalchemy.exc import OperationalError

    try:
        try:
            db = Database(args.db)
        except OperationalError:  # unreachable: start offline, from what this kiosk kept
            db = Database(args.db, migrate=False)
        office = Office(db)
        with contextlib.suppress(OperationalError):
            office.ensure_default_sites()
        if args.mode == "survey":
            survey = _survey(office, args)
        else:
            presenter = KioskPresenter(
                office,
                args.site,
                printer=args.printer,
                name=args.name,
                always_open=args.always_open,
                log=EventLog("kiosk", args.log_dir),
            )
    except DomainError as error:
        print(f"onestop kiosk: error: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(
            f"onestop kiosk: error: the database cannot be reached ({error.orig}) and this "
            f"kiosk has not kept a copy of {args.site}'s settings yet: start it once online",
            file=sys.stderr,
        )
        return 1
    speaker = Speaker()
    if args.mode == "survey":
        from kiosk.survey import SurveyWindow

        notices, site, outbox = survey
        window = SurveyWindow(
            notices, site, kiosk_mode=not args.windowed, speak=speaker.say, outbox=outbox
        )
    else:
        window = KioskWindow(presenter, kiosk_mode=not args.windowed, speak=speaker.say)
        if args.language != "en":
            window.set_language(args.language)
        from shared.qt.notifier import QueueNotifier

        # Reception closing the office or setting a delay notice shows at once.
        notifier = QueueNotifier(office.db.url, [presenter.site.code], parent=window)
        notifier.changed.connect(window.refresh_state)
    if args.windowed:
        window.resize(1920, 1080)
        window.show()
    else:
        window.showFullScreen()
    print(f"kiosk ready in {time.perf_counter() - started:.2f} s", flush=True)
    if args.screenshot:
        app.processEvents()
        window.grab().save(args.screenshot)
        window.may_close = True
        window.close()
        return 0
    return app.exec()


def _survey(office: Any, args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """The exit survey's notices, site and outbox (its answers wait there while the
    database is away); the site as this PC last kept it when the database is away."""
    from kiosk.link import Link
    from kiosk.outbox import Outbox, OutboxError, outbox_path
    from shared.notices import Notices
    from shared.store.db import data_dir

    try:
        outbox = Outbox(outbox_path(data_dir(), office.db.url, args.site, f"survey {args.name}"))
    except (OSError, OutboxError) as error:
        print(f"onestop kiosk: {error}: answers given offline will be lost", file=sys.stderr)
        outbox = None
    site, _online = Link(office, outbox, args.site, args.name, _now).load_site()
    return Notices(office.db), site, outbox


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


if __name__ == "__main__":
    raise SystemExit(main())
