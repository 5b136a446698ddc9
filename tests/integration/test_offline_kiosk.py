"""No lost check-in: the database goes away in the middle of the morning, two kiosks
keep checking visitors in from their outboxes, and when it comes back every visit is
there once, with its true arrival time, ranked by it, and the day's sequence goes on.

Real parts: two kiosk presenters (each its own connections, outbox and name, as two
PCs), one of them in its real window, printing to a real TCP printer; PostgreSQL is a
server of the test's own, stopped and started again. SQLite has no server to stop:
its folder is moved away (a network share unmounted) and the handles the kiosks
held are closed with it, then it is moved back.

Run with -s to see the seconds from the database answering again to the kiosks
being online with their outboxes sent.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.outbox import Outbox
from kiosk.presenter import KioskPresenter
from kiosk.window import KioskWindow
from shared.domain.tickets import parse_ticket, ticket_day
from shared.notices import Notices
from shared.office import Office
from shared.store import Database
from tests.loopback_printer import PrinterListener

TARGET_SECONDS = 5.0


@dataclass
class Outage:
    url: str
    down: Callable[[list[Database]], None]  # the kiosks' databases (SQLite closes them)
    up: Callable[[], None]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def outage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outage]:
    if request.param == "postgres":
        from tests.integration.pg_deploy import own_server

        with own_server() as server:
            url = server.url(server.create_database())
            yield Outage(url, lambda _dbs: server.halt("fast"), server.resume)
        return
    folder = tmp_path / "share"
    away = tmp_path / "share-unmounted"

    def down(dbs: list[Database]) -> None:
        folder.rename(away)
        for db in dbs:
            db.engine.dispose()  # the share's open files went with it

    yield Outage(f"sqlite:///{folder}/onestop.db", down, lambda: away.rename(folder))
    shutil.rmtree(away, ignore_errors=True)


@pytest.fixture
def printer() -> Iterator[PrinterListener]:
    listener = PrinterListener()
    yield listener
    listener.close()


def kiosk(url: str, name: str, folder: Path, printer: PrinterListener) -> KioskPresenter:
    return KioskPresenter(
        Office(Database(url)),
        "bootle",
        printer=f"tcp://127.0.0.1:{printer.port}",
        name=name,
        always_open=True,
        outbox=Outbox(folder / f"{name}.sqlite3"),
    )


def today(office: Office) -> date:
    with office.db.transaction(write=False) as tx:
        return ticket_day(tx.now, "Europe/London")


def test_two_kiosks_keep_checking_in_while_the_database_is_away(
    qtbot, outage: Outage, printer: PrinterListener, tmp_path: Path
) -> None:
    staff = Office(Database(outage.url))  # reception's PC, to look afterwards
    staff.ensure_default_sites()
    day = today(staff)
    one = kiosk(outage.url, "Kiosk 1", tmp_path, printer)
    two = kiosk(outage.url, "Kiosk 2", tmp_path, printer)
    window = KioskWindow(one, kiosk_mode=False)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    second = KioskWindow(two, kiosk_mode=False)  # owns the second presenter
    qtbot.addWidget(second)
    for presenter in (one, two):  # each has its blocks for today before anything happens
        qtbot.waitUntil(
            lambda p=presenter: p.outbox.numbers_left("bootle", [day]).get((day, "C"), 0) >= 20,
            timeout=10_000,
        )
    touched: dict[str, datetime] = {}
    issued: list[dict] = []
    one.issued.connect(issued.append)
    two.issued.connect(issued.append)
    one.check_in("council-tax", {})
    two.check_in("council-tax", {})
    assert [t["ticket"] for t in issued] == ["C001", "C002"]
    assert not window.banner.isVisible()

    outage.down([one.office.db, two.office.db])
    sent_away: list[str] = []
    one.sent_to_reception.connect(sent_away.append)
    took: list[float] = []  # seconds from the touch to the number on screen
    for index in range(6):  # visitors at both kiosks, in turn
        presenter = (one, two)[index % 2]
        flags = {"interpreter": "Polish"} if index == 3 else {}
        before = datetime.now(UTC)
        started = time.perf_counter()
        presenter.check_in("council-tax", flags)
        took.append(time.perf_counter() - started)
        touched[issued[-1]["ticket"]] = before
        qtbot.wait(40)
    offline = [t for t in issued if t.get("offline")]
    assert len(offline) == 6 and not one.online and not two.online
    assert window.banner.isVisible() and "offline" in window.banner.text()
    assert window.current_page == "ticket" and window.ticket_number.text() == offline[-2]["ticket"]
    assert "take a seat" in window.ticket_details.text()  # no count or wait it cannot know
    one.check_in_appointment("BOO-ABC123")  # bookings cannot be looked up
    one.request_help()  # reception cannot be called
    assert sent_away == ["appointment_offline", "help_offline"]
    assert window.current_page == "help" and "reception desk" in window.help_heading.text()
    qtbot.waitUntil(lambda: len(printer.jobs) == 8, timeout=10_000)  # every ticket printed
    offline_jobs = [j for j in printer.jobs if any(t["ticket"].encode() in j for t in offline)]
    assert len(offline_jobs) == 6 and not any(b"People ahead" in j for j in offline_jobs)

    outage.up()
    back = time.monotonic()
    qtbot.waitUntil(
        lambda: one.online and two.online and not one.outbox.pending() + two.outbox.pending(),
        timeout=int(TARGET_SECONDS * 1000),
    )
    online_again = time.monotonic() - back
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=1000)
    print(
        f"\n{outage.url.split(':')[0]}: offline tickets in {took[0] * 1000:.0f} ms (the first),"
        f" then at most {max(took[1:]) * 1000:.0f} ms;"
        f" both kiosks online, outboxes sent {online_again:.2f} s after it was back"
    )

    visits = {v.ticket: v for v in staff.visits("bootle", day)}
    tickets = [v.ticket for v in staff.visits("bootle", day)]
    assert len(tickets) == len(set(tickets)) == 8  # every visitor once, no number twice
    for entry in offline:
        visit = visits[entry["ticket"]]
        assert abs(visit.arrived_at - touched[entry["ticket"]]) < timedelta(seconds=1)
        assert visit.arrived_at == datetime.fromisoformat(entry["arrived_at"])
    assert visits[offline[3]["ticket"]].flags == {"interpreter": "Polish"}
    kiosk_one = {t["ticket"] for t in offline[0::2]}
    kiosk_two = {t["ticket"] for t in offline[1::2]}
    assert all(parse_ticket(t)[1] >= 901 for t in kiosk_one | kiosk_two)
    waiting = [w.ticket for w in staff.waiting("bootle")]
    assert waiting == sorted(waiting, key=lambda t: visits[t].arrived_at)  # by true arrival
    assert waiting[:2] == ["C001", "C002"]
    one.check_in("council-tax", {})  # online again: the day's own sequence goes on
    assert issued[-1]["ticket"] == "C003" and not issued[-1]["offline"]
    qtbot.waitUntil(
        lambda: any(a.kind == "help" for a in Notices(staff.db).alerts("bootle")), timeout=5000
    )
    [help_alert] = [a for a in Notices(staff.db).alerts("bootle") if a.kind == "help"]
    assert "while it was offline" in (help_alert.detail or "")
    window.close()
    second.close()
    for presenter in (one, two):
        presenter.link_timer.stop()
        presenter.link_pool.waitForDone(10_000)
        presenter.wait_for_printing()
        presenter.office.db.dispose()
    staff.db.dispose()


def test_a_kiosk_that_cannot_record_says_so_and_reception_hears_of_it(
    qtbot, outage: Outage, printer: PrinterListener, tmp_path: Path, monkeypatch
) -> None:
    """Its outbox cannot be made (its data folder is blocked by a file): online it works
    as ever and tells reception at once that it could not work offline; offline it
    shows no number, asks the visitor to go to reception, and reception hears of it
    once the database is back."""
    staff = Office(Database(outage.url))
    staff.ensure_default_sites()
    blocked = tmp_path / "no-folder-here"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("ONESTOP_DATA_DIR", str(blocked / "onestop"))
    presenter = KioskPresenter(
        Office(Database(outage.url)),
        "bootle",
        printer=f"tcp://127.0.0.1:{printer.port}",
        name="Kiosk 3",
        always_open=True,
    )
    assert presenter.outbox is None and "Not a directory" in presenter.outbox_problem
    window = KioskWindow(presenter, kiosk_mode=False)
    qtbot.addWidget(window)
    notices = Notices(staff.db)
    qtbot.waitUntil(lambda: any(a.kind == "kiosk" for a in notices.alerts("bootle")), timeout=5000)
    issued: list[dict] = []
    presenter.issued.connect(issued.append)
    presenter.check_in("council-tax", {})
    assert issued[-1]["ticket"] == "C001"

    outage.down([presenter.office.db])
    presenter.check_in("council-tax", {})
    assert len(issued) == 1  # no number it could not record
    assert window.current_page == "help"
    assert window.help_heading.text() == "Check-in is not available just now"
    assert "please check in at the reception desk" in window.banner.text()
    outage.up()
    qtbot.waitUntil(lambda: presenter.online, timeout=int(TARGET_SECONDS * 1000))
    qtbot.waitUntil(
        lambda: any(
            "sent them to the reception desk" in (a.detail or "")
            for a in notices.alerts("bootle")
            if a.kind == "kiosk"
        ),
        timeout=5000,
    )
    window.close()
    presenter.link_timer.stop()
    presenter.link_pool.waitForDone(10_000)
    presenter.office.db.dispose()
    staff.db.dispose()


def test_the_exit_survey_keeps_answers_while_the_database_is_away(
    qtbot, outage: Outage, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt

    from kiosk.survey import SurveyWindow
    from shared.store.tables import survey_t

    staff = Office(Database(outage.url))
    staff.ensure_default_sites()
    visit = staff.checkin("bootle", "council-tax")
    screen_db = Database(outage.url)
    window = SurveyWindow(
        Notices(screen_db),
        staff.site("bootle"),
        kiosk_mode=False,
        outbox=Outbox(tmp_path / "survey.sqlite3"),
    )
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    outage.down([screen_db])
    touched = datetime.now(UTC)
    qtbot.keyClicks(window.ticket_entry, visit.ticket)
    qtbot.keyClick(window.ticket_entry, Qt.Key.Key_Return)  # cannot be looked up: kept
    assert window.current_page == "question"
    for key, answer in (("resolved", True), ("csa", 4), ("overall", 5), ("fair", False)):
        window.answer(key, answer)  # as its buttons do
    window.finish(with_comment=False)
    assert window.thanks_text.text() == "Your answers have been recorded."
    assert window.banner.isVisible() and "offline" in window.banner.text()
    window.next_visitor()
    window.answer("overall", 2)  # a second visitor, no ticket, walks away
    window.give_up()
    assert len(window.outbox.pending_surveys()) == 2

    outage.up()
    qtbot.waitUntil(
        lambda: window.online and not window.outbox.pending_surveys(),
        timeout=int(TARGET_SECONDS * 1000),
    )
    assert not window.banner.isVisible()
    with staff.db.transaction(write=False) as tx:
        rows = tx.conn.execute(survey_t.select().order_by(survey_t.c.id)).all()
    assert [(r.visit_id, r.resolved, r.csa, r.overall, r.fair) for r in rows] == [
        (visit.visit_id, True, 4, 5, False),
        (None, None, None, 2, None),
    ]
    assert all(abs(r.answered_at - touched) < timedelta(seconds=5) for r in rows)
    window.close()
    window.send_timer.stop()
    window.send_pool.waitForDone(10_000)
    screen_db.dispose()
    staff.db.dispose()


@pytest.mark.postgres
def test_the_kiosk_starts_while_the_database_is_away_from_what_it_kept(tmp_path: Path) -> None:
    """`onestop kiosk` on a PC restarted during the outage: it starts offline from the
    site and the numbers it kept when it last ran, and says so on its first screen; a
    kiosk that never ran online says why it cannot start."""
    import subprocess
    import sys

    from PIL import Image

    from tests.integration.pg_deploy import own_server

    def run_kiosk(url: str, data: Path, shot: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "shared.cli", "kiosk", "--site", "bootle", "--db", url,
             "--windowed", "--always-open", "--screenshot", str(shot)],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "ONESTOP_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip

    with own_server() as server:
        url = server.url(server.create_database())
        first = run_kiosk(url, tmp_path / "pc", tmp_path / "online.png")
        assert first.returncode == 0, first.stderr
        server.halt("fast")
        again = run_kiosk(url, tmp_path / "pc", tmp_path / "offline.png")
        assert again.returncode == 0, again.stderr
        assert "kiosk ready" in again.stdout
        never = run_kiosk(url, tmp_path / "new-pc", tmp_path / "never.png")
        assert never.returncode == 1
        assert "has not kept a copy of bootle's settings" in never.stderr
        assert "Traceback" not in never.stderr
    with Image.open(tmp_path / "offline.png") as shot:  # the banner's yellow along the top
        assert shot.convert("RGB").getpixel((10, 10)) == (255, 221, 0)
    with Image.open(tmp_path / "online.png") as shot:
        assert shot.convert("RGB").getpixel((10, 10)) == (255, 255, 255)
