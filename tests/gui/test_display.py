"""The call-forward display: calls shown big and announced in order, none dropped."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontMetrics

from reception.announcements import AnnouncementQueue, Call
from reception.display import WHITE, build_display
from shared.config import default_site_files
from shared.demo import SimulatedClock
from shared.devices.announcer import wav_seconds
from shared.eventlog import EventLog, read_events
from shared.notices import Notices
from shared.office import Office
from shared.store import Database

LONDON = ZoneInfo("Europe/London")
SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "display"


def test_calls_in_quick_succession_are_all_announced_in_order(qtbot, sqlite_url, tmp_path) -> None:
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    for _ in range(4):
        office.checkin("bootle", "council-tax")
    Notices(office.db).set_delay("bootle", "Two advisers are on training", 30)
    log = EventLog("display", tmp_path)
    window, presenter, notifier = build_display(
        office, "bootle", log=log, cache=tmp_path / "cache", mode="chime", full_screen=False
    )
    window.resize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    try:
        for desk in ("Desk 1", "Desk 2", "Desk 6", "Desk 8"):  # four calls at once
            office.call_next("bootle", desk)
        qtbot.waitUntil(lambda: window.current.text().startswith("C004"), timeout=5000)
        assert window.current.text() == "C004 → Desk 8"
        assert [h.text() for h in window.history[:3]] == [
            "C003\nDesk 6",
            "C002\nDesk 2",
            "C001\nDesk 1",
        ]
        assert "Two advisers are on training" in presenter.ticker_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "display.png"))
        qtbot.waitUntil(window.announcer.idle, timeout=15_000)
        announced = [e for e in read_events(log.path) if e["event"] == "announced"]
        assert [e["ticket"] for e in announced] == ["C001", "C002", "C003", "C004"]
        starts = [datetime.fromisoformat(e["at"]) for e in announced]
        gaps = [(b - a).total_seconds() for a, b in pairwise(starts)]
        assert min(gaps) >= announced[0]["seconds"] * 0.9  # never cut off by the next
        assert all(Path(e["wav"]).exists() for e in announced)
        office.recall("bootle", desk="Desk 1")
        qtbot.waitUntil(lambda: window.current.text() == "C001 → Desk 1", timeout=5000)
    finally:
        notifier.close()
        office.db.dispose()


def test_the_window_owns_its_presenter_announcer_and_notifier(qtbot, sqlite_url, tmp_path) -> None:
    """They go with the window, on the GUI thread: the notifier's thread stops too."""
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    window, presenter, notifier = build_display(
        office,
        "bootle",
        log=EventLog("display", tmp_path),
        cache=tmp_path / "cache",
        mode="silent",
        full_screen=False,
    )
    announcer = window.announcer
    qtbot.waitUntil(lambda: notifier.ready, timeout=5000)
    assert "onestop-poll" in {t.name for t in threading.enumerate()}
    shiboken6.delete(window)
    try:
        for part in (presenter, announcer, notifier):
            assert not shiboken6.isValid(part)
        assert "onestop-poll" not in {t.name for t in threading.enumerate()}
    finally:
        office.db.dispose()


class Mute:
    """A speech engine that fails, as a PC without voices does."""

    name = "mute"

    def speak_to(self, text: str, path: Path, language: str, rate: int) -> None:
        raise RuntimeError("no voice installed")


def test_when_speech_fails_the_chime_is_played_and_the_failure_logged(qtbot, tmp_path) -> None:
    log = EventLog("display", tmp_path)
    queue = AnnouncementQueue(tmp_path / "cache", log, "bootle", mode="voice", renderer=Mute())
    try:
        queue.announce(Call("C001", "Desk 1"))
        qtbot.waitUntil(queue.idle, timeout=10_000)
        events = [e for e in read_events(log.path) if e["ticket"] == "C001"]
        assert [e["event"] for e in events] == ["announce_failed", "announced"]
        assert "no voice installed" in events[0]["reason"]
        assert events[0]["fallback"] == "chime"
        announced = events[1]
        assert announced["speech"] is False
        assert Path(announced["wav"]).name == "chime.wav"
        assert 0.8 < wav_seconds(Path(announced["wav"])) < 1.0  # the chime alone, whole
    finally:
        shiboken6.delete(queue)


def drawn_whole(text_widget) -> bool:
    """Every word drawn, and every line within the widget at the size it is drawn."""
    lines = text_widget.lines()
    return " ".join(lines).split() == text_widget.text().split() and text_widget.fits(
        lines, text_widget.fitted_font()
    )


def test_long_desk_names_are_never_cut_off(qtbot, sqlite_url, tmp_path) -> None:
    """Bootle's "Interview Room 1" was drawn as "01 → Interview Room" and "erview Roor"."""
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    for service in ("elas", "social-care", "council-tax", "housing-benefit"):
        office.checkin("bootle", service)
    window, _presenter, notifier = build_display(
        office,
        "bootle",
        log=EventLog("display", tmp_path),
        cache=tmp_path,
        mode="silent",
        full_screen=False,
    )
    qtbot.addWidget(window)
    window.show()
    try:
        for desk in ("Interview Room 2", "Desk 1", "Desk 3", "Interview Room 1"):
            office.call_next("bootle", desk)
        qtbot.waitUntil(lambda: window.current.text().endswith("Interview Room 1"), timeout=5000)
        for width, height in ((1920, 1080), (1280, 720), (1366, 768), (1080, 1920)):
            window.resize(width, height)
            qtbot.waitUntil(lambda w=width: window.width() == w, timeout=2000)
            assert drawn_whole(window.current), (width, window.current.lines())
            tiles = [t for t in window.history if t.text()]
            assert [t.text().partition("\n")[2] for t in tiles] == [
                "Desk 3",
                "Desk 1",
                "Interview Room 2",
            ]
            for tile in tiles:
                assert drawn_whole(tile.ticket) and drawn_whole(tile.desk), (width, tile.text())
        window.resize(1920, 1080)
        qtbot.waitUntil(lambda: window.width() == 1920, timeout=2000)
        assert any(line.endswith("Interview Room 1") for line in window.current.lines())
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "display-long-desk-names.png"))
    finally:
        notifier.close()
        office.db.dispose()


def run_display(url: str, folder: Path, *args: str) -> dict:
    """`onestop display` as staff start it; its settings as its log records them."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "shared.cli",
            "display",
            "--site",
            "bootle",
            "--db",
            url,
            "--log-dir",
            str(folder),
            "--screenshot",
            str(folder / "display.png"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "ONESTOP_DATA_DIR": str(folder)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    settings = [e for e in read_events(folder / "display.jsonl") if e["event"] == "announcements"]
    (folder / "display.jsonl").unlink()
    return {"mode": settings[-1]["mode"], "language": settings[-1]["language"]}


def test_the_sites_display_settings_apply_unless_the_command_overrides_them(
    sqlite_url, tmp_path
) -> None:
    """--mode and --language defaulted to voice and en, so the site's settings never applied."""
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    bootle = next(p for p in default_site_files() if p.stem == "bootle").read_text()
    assert 'announce = "voice"\nlanguage = "en"' in bootle
    office.load_site(
        bootle.replace('announce = "voice"\nlanguage = "en"', 'announce = "chime"\nlanguage = "pl"')
    )
    office.db.dispose()
    assert run_display(sqlite_url, tmp_path) == {"mode": "chime", "language": "pl"}
    assert run_display(sqlite_url, tmp_path, "--mode", "silent") == {
        "mode": "silent",
        "language": "pl",
    }
    assert run_display(sqlite_url, tmp_path, "--language", "en") == {
        "mode": "chime",
        "language": "en",
    }


def test_the_display_opens_on_todays_calls_only(qtbot, sqlite_url, tmp_path) -> None:
    """It opened showing yesterday's last call as "Now calling". Today is Bootle's local
    day: at 00:10 BST it is still yesterday in UTC, and that call is today's."""
    clock = SimulatedClock(datetime(2025, 6, 10, 23, 40, tzinfo=LONDON))
    office = Office(Database(sqlite_url, clock=clock))
    office.ensure_default_sites()
    office.checkin("bootle", "council-tax")
    clock.now = datetime(2025, 6, 10, 23, 50, tzinfo=LONDON)
    assert office.call_next("bootle", "Desk 1").ticket == "C001"  # 23:50 on the 10th
    clock.now = datetime(2025, 6, 11, 0, 5, tzinfo=LONDON)  # 23:05 UTC on the 10th
    office.checkin("bootle", "council-tax")  # numbers start again: C001 of the 11th
    clock.now = datetime(2025, 6, 11, 0, 10, tzinfo=LONDON)
    assert office.call_next("bootle", "Desk 2").ticket == "C001"
    clock.now = datetime(2025, 6, 11, 8, 55, tzinfo=LONDON)
    assert [(c["ticket"], c["desk"]) for c in office.calls_since("bootle")] == [("C001", "Desk 2")]
    window, presenter, notifier = build_display(
        office,
        "bootle",
        log=EventLog("display", tmp_path),
        cache=tmp_path,
        mode="silent",
        full_screen=False,
    )
    qtbot.addWidget(window)
    try:
        assert [(c.ticket, c.desk) for c in presenter.recent()] == [("C001", "Desk 2")]
        assert window.current.text() == "C001 → Desk 2"
        assert all(not tile.text() for tile in window.history)
        clock.now = datetime(2025, 6, 12, 8, 55, tzinfo=LONDON)  # the next morning
        assert presenter.recent() == []
    finally:
        notifier.close()
        office.db.dispose()


CM_PER_PIXEL = 52.3 / 1080  # a 42" 16:9 screen at 1920x1080: the picture is 52.3 cm tall
TEN_METRES_CM = 3.0  # about 1 cm of capital letter per 3-4 m of distance


def capitals_cm(font) -> float:
    return QFontMetrics(font).capHeight() * CM_PER_PIXEL


def test_readable_from_ten_metres(qtbot, sqlite_url, tmp_path) -> None:
    """At 1920x1080 the history was 2.2 cm tall and the ticker 1.6 cm; empty tiles were
    drawn as empty frames. Now every ticket number and the ticker are 3 cm or more."""
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    for service in ("council-tax",) * 4 + ("elas",):
        office.checkin("bootle", service)
    Notices(office.db).set_delay("bootle", "Two advisers are on training", 30)
    window, _presenter, notifier = build_display(
        office,
        "bootle",
        log=EventLog("display", tmp_path),
        cache=tmp_path,
        mode="silent",
        full_screen=False,
    )
    window.resize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    try:
        office.call_next("bootle", "Desk 1")
        qtbot.waitUntil(lambda: window.current.text() == "C001 → Desk 1", timeout=5000)
        assert [tile.isVisible() for tile in window.history] == [False] * 4  # no empty frames
        for desk in ("Desk 2", "Interview Room 1", "Desk 8"):
            office.call_next("bootle", desk)
        qtbot.waitUntil(lambda: window.current.text() == "C003 → Desk 8", timeout=5000)
        assert capitals_cm(window.current.fitted_font()) >= 7.0
        shown = [tile for tile in window.history if tile.isVisible()]
        assert [tile.text() for tile in shown] == [
            "E001\nInterview Room 1",
            "C002\nDesk 2",
            "C001\nDesk 1",
        ]
        assert not window.history[3].isVisible()
        for tile in shown:
            assert capitals_cm(tile.ticket.fitted_font()) >= TEN_METRES_CM, tile.text()
        assert capitals_cm(shown[1].desk.fitted_font()) >= TEN_METRES_CM  # "Desk 2"
        assert capitals_cm(shown[0].desk.fitted_font()) >= 2.2  # "Interview" / "Room 1"
        assert capitals_cm(window.ticker.text_font()) >= TEN_METRES_CM
        office.recall("bootle", desk="Interview Room 1")
        qtbot.waitUntil(lambda: window.current.text() == "E001 → Interview Room 1", timeout=5000)
        assert capitals_cm(window.current.fitted_font()) >= 4.5
        window.flash_timer.stop()
        window.current.set_colours(WHITE, None)
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "display-1920x1080.png"))
    finally:
        notifier.close()
        office.db.dispose()


class SilentPlayer(QObject):
    """A sound player that takes the sound and never starts nor reports an error."""

    playingChanged = Signal()
    statusChanged = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.played: list[str] = []

    def setSource(self, url) -> None:
        self.played.append(url.toLocalFile())

    def play(self) -> None: ...

    def stop(self) -> None: ...

    def isPlaying(self) -> bool:
        return False

    def status(self) -> int:
        return 0


def test_a_sound_that_never_starts_does_not_hold_up_later_calls(qtbot, tmp_path) -> None:
    """Before the watchdog, a player that never started stopped every later announcement."""
    log = EventLog("display", tmp_path)
    players: list[SilentPlayer] = []
    queue = AnnouncementQueue(
        tmp_path / "cache",
        log,
        "bootle",
        mode="chime",
        player=lambda parent: players.append(SilentPlayer(parent)) or players[-1],
    )
    queue.WATCHDOG_MARGIN_MS = 500
    try:
        for ticket in ("C001", "C002", "C003"):
            queue.announce(Call(ticket, "Desk 1"))
        qtbot.waitUntil(queue.idle, timeout=15_000)
        events = read_events(log.path)
        assert [(e["event"], e["ticket"]) for e in events] == [
            ("announce_failed", "C001"),
            ("announce_failed", "C002"),
            ("announce_failed", "C003"),
        ]  # never "announced": nothing was heard
        assert all(
            e["stage"] == "playback" and "did not start within" in e["reason"] for e in events
        )
        assert len(players[0].played) == 3
    finally:
        shiboken6.delete(queue)


def test_a_sound_that_cannot_be_played_is_logged_and_the_queue_goes_on(qtbot, tmp_path) -> None:
    """A real QSoundEffect told to play where it cannot (no audio device here): it reports
    an error instead of starting. Before, `announced` was logged as played and the queue
    waited for a sound that never began."""
    from PySide6.QtMultimedia import QMediaDevices

    if not QMediaDevices.defaultAudioOutput().isNull():
        pytest.skip("this PC can play the sound")
    log = EventLog("display", tmp_path)
    queue = AnnouncementQueue(tmp_path / "cache", log, "bootle", mode="chime")
    queue._output_available = True  # as if it had found speakers
    try:
        queue.announce(Call("C001", "Desk 1"))
        queue.announce(Call("C002", "Desk 2"))
        qtbot.waitUntil(queue.idle, timeout=20_000)
        events = read_events(log.path)
        assert [e["ticket"] for e in events] == ["C001", "C002"]
        assert {e["event"] for e in events} == {"announce_failed"}
        assert all(e["stage"] == "playback" for e in events)
    finally:
        shiboken6.delete(queue)


def test_the_ticker_scrolls_by_pixels_only_when_its_text_is_wider_than_it(
    qtbot, sqlite_url, tmp_path
) -> None:
    """It moved a character every 120 ms, and only past a fixed 70 characters: a shorter
    text wider than the band was cut off, and the jumps were hard to read."""
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    window, _presenter, notifier = build_display(
        office,
        "bootle",
        log=EventLog("display", tmp_path),
        cache=tmp_path,
        mode="silent",
        full_screen=False,
    )
    window.resize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    ticker = window.ticker
    window.presenter.poll.stop()  # the texts here, not the presenter's
    try:
        window.set_ticker("Welcome. Please take a seat.")
        assert not ticker.scrolling() and ticker.offset == 0
        wide = "Council Tax: about 12 min   •   Housing: about 25 min"  # 52 characters
        assert len(wide) < 70
        window.set_ticker(wide)
        assert ticker.text_width() > ticker.width() and ticker.scrolling()
        offsets = []
        for _ in range(25):
            qtbot.wait(40)
            offsets.append(ticker.offset)
        steps = [b - a for a, b in pairwise(offsets) if b >= a]
        letter = QFontMetrics(ticker.text_font()).horizontalAdvance("M")
        assert sum(steps) > 0 and max(steps) < letter  # smooth: never a letter at a time
        assert len(set(offsets)) > 15  # and moving all the time
        window.resize(3840, 1080)  # the same text on a band wide enough for it
        qtbot.waitUntil(lambda: not ticker.scrolling(), timeout=2000)
        assert ticker.offset == 0
    finally:
        notifier.close()
        office.db.dispose()


@pytest.mark.postgres
def test_a_call_committed_after_a_later_one_is_still_shown(qtbot, pg_url, tmp_path) -> None:
    """Two desks at once on PostgreSQL: the call with the lower id can commit second.
    The display read "ids after the last seen" and never showed it (2 calls in 100 in
    the latency benchmark's bursts)."""
    from sqlalchemy import insert, select

    from reception.display import DisplayPresenter
    from shared.store.tables import event_t, site_t, visit_t

    office = Office(Database(pg_url))
    office.ensure_default_sites()
    office.checkin("bootle", "council-tax")
    office.checkin("bootle", "council-tax")
    presenter = DisplayPresenter(office, "bootle", EventLog("display", tmp_path))
    presenter.poll.stop()
    shown: list[str] = []
    presenter.called.connect(lambda call: shown.append(call.ticket))
    slow = office.db.engine.connect()
    try:
        late = slow.begin()  # Desk 1's call: its id taken now, its commit later
        site_id = slow.execute(select(site_t.c.id).where(site_t.c.code == "bootle")).scalar()
        visit_id = slow.execute(select(visit_t.c.id).where(visit_t.c.ticket == "C002")).scalar()
        slow.execute(
            insert(event_t).values(
                visit_id=visit_id,
                site_id=site_id,
                at=datetime.now(LONDON),
                action="called",
                state="called",
                desk="Desk 1",
            )
        )
        assert office.call_next("bootle", "Desk 2").ticket == "C001"  # a higher id, committed
        presenter.refresh()
        assert shown == ["C001"]
        late.commit()
        presenter.refresh()
        assert shown == ["C001", "C002"]
        presenter.refresh()
        assert shown == ["C001", "C002"]  # and only once
    finally:
        slow.close()
        shiboken6.delete(presenter)
        office.db.dispose()


def test_calls_made_before_the_display_opened_are_not_announced(qtbot, sqlite_url, tmp_path):
    office = Office(Database(sqlite_url))
    office.ensure_default_sites()
    office.checkin("bootle", "council-tax")
    office.checkin("bootle", "council-tax")
    office.call_next("bootle", "Desk 1")
    from reception.display import DisplayPresenter

    presenter = DisplayPresenter(office, "bootle", EventLog("display", tmp_path))
    presenter.poll.stop()
    shown: list[str] = []
    presenter.called.connect(lambda call: shown.append(call.ticket))
    try:
        presenter.refresh()
        assert shown == []  # C001 was called before: history, not news
        office.call_next("bootle", "Desk 2")
        presenter.refresh()
        presenter.refresh()
        assert shown == ["C002"]
    finally:
        shiboken6.delete(presenter)
        office.db.dispose()
