"""Composition roots: `onestop display`, `onestop desk`, `onestop reception`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any


def _common(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--site", help="site code, e.g. bootle (default: this PC's settings)")
    parser.add_argument(
        "--db", help="database URL (default: $ONESTOP_DB, this PC's settings, or local SQLite)"
    )
    parser.add_argument("--log-dir", help="where the JSON-lines event log goes")
    parser.add_argument("--windowed", action="store_true", help="a normal window")
    parser.add_argument("--screenshot", metavar="PNG", help="save the first screen and quit")
    return parser


def _defaults(parser: argparse.ArgumentParser, args: argparse.Namespace, **mapping: str) -> None:
    """This PC's settings under the arguments (shared/settings.py says the order)."""
    from shared.settings import apply_defaults

    apply_defaults(args, site="site", **mapping)
    if not args.site:
        parser.error("say which site (--site S), or set this PC up: onestop setup")


def _start(args: argparse.Namespace, app_name: str, make: Callable[..., Any]) -> int:
    started = time.perf_counter()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from sqlalchemy.exc import SQLAlchemyError

    from shared.cli import database_problem
    from shared.domain import DomainError
    from shared.eventlog import EventLog
    from shared.office import Office
    from shared.qt.collector import collect_on_gui_thread
    from shared.store import Database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)
    log = EventLog(app_name, args.log_dir)
    try:
        office = Office(Database(args.db))
        office.ensure_default_sites()
        office.site(args.site)
        window, keep = make(office, log)
    except DomainError as error:
        print(f"onestop {app_name}: error: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:  # unreachable (1: started again), or the wrong login (2)
        message, code = database_problem(error)
        print(f"onestop {app_name}: error: {message}", file=sys.stderr)
        return code
    if args.windowed or args.screenshot:
        window.resize(1920, 1080) if app_name == "display" else window.adjustSize()
        window.show()
    else:
        window.showFullScreen()
    log.write("started", site=args.site, seconds=round(time.perf_counter() - started, 3))
    print(f"{app_name} ready in {time.perf_counter() - started:.2f} s", flush=True)
    if args.screenshot:
        app.processEvents()
        window.grab().save(args.screenshot)
        return 0
    code = app.exec()
    del keep
    return code


def display_main(argv: Sequence[str] | None = None) -> int:
    parser = _common("onestop display", "The call-forward display for the waiting area.")
    parser.add_argument(
        "--mode",
        choices=["voice", "chime", "silent"],
        help="how calls are announced (default: the site's [display] announce)",
    )
    parser.add_argument(
        "--language",
        choices=["en", "pl"],
        help="the announcements' language (default: the site's [display] language)",
    )
    args = parser.parse_args(argv)
    _defaults(parser, args, mode="announce", language="voice_language")

    def make(office: Any, log: Any) -> Any:
        from reception.display import build_display
        from shared.store.db import data_dir

        settings = office.site(args.site).display
        mode = args.mode or settings.announce
        language = args.language or settings.language
        log.write("announcements", site=args.site, mode=mode, language=language)
        window, presenter, notifier = build_display(
            office,
            args.site,
            log=log,
            cache=data_dir() / "announcements",
            mode=mode,
            language=language,
            full_screen=not args.windowed,
        )
        return window, (presenter, notifier)

    return _start(args, "display", make)


def desk_main(argv: Sequence[str] | None = None) -> int:
    parser = _common("onestop desk", "A Customer Service Advisor's desk console.")
    parser.add_argument(
        "--desk", help='desk name or number, e.g. "Desk 4" or 4 (default: this PC\'s settings)'
    )
    parser.add_argument(
        "--on-top", action="store_true", help="keep the console above other windows"
    )
    args = parser.parse_args(argv)
    _defaults(parser, args, desk="desk")
    if not args.desk:
        parser.error("say which desk (--desk 4), or set this PC up: onestop setup")

    def make(office: Any, log: Any) -> Any:
        from reception.desk import DeskWindow
        from shared.qt.notifier import QueueNotifier

        window = DeskWindow(office, args.site, args.desk, log=log, on_top=args.on_top)
        notifier = QueueNotifier(office.db.url, [args.site], parent=window)
        notifier.changed.connect(lambda _site: window.refresh())
        return window, notifier

    return _start(args, "desk", make)


def reception_main(argv: Sequence[str] | None = None) -> int:
    parser = _common("onestop reception", "The reception console.")
    parser.add_argument("--printer", help="printer for tickets added by hand")
    parser.add_argument(
        "--supervisor", action="store_true", help="open on the Supervisor tab (for Reports)"
    )
    args = parser.parse_args(argv)
    _defaults(parser, args, printer="printer")

    def make(office: Any, log: Any) -> Any:
        from reception.console import ReceptionWindow
        from shared.qt.notifier import QueueNotifier

        window = ReceptionWindow(office, args.site, log=log, printer=args.printer)
        if args.supervisor:
            tabs = window.tabs
            tabs.setCurrentIndex(
                next(i for i in range(tabs.count()) if tabs.tabText(i) == "Supervisor")
            )
        notifier = QueueNotifier(office.db.url, [args.site], parent=window)
        notifier.changed.connect(window.refresh)
        return window, notifier

    return _start(args, "reception", make)
