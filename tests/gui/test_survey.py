"""The exit survey driven as a visitor drives it (pytest-qt), on a real database.

Every screen is saved as a PNG in each language and theme under tests/screenshots/survey/.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.survey import SurveyWindow, ticket_from_scan
from shared.domain import DomainError
from shared.notices import Notices
from shared.office import Office
from shared.store import Database
from shared.store.tables import survey_t
from tests.gui.test_kiosk import LOOKS

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "survey"


@pytest.fixture
def office(sqlite_url):
    db = Database(sqlite_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


@pytest.fixture(autouse=True)
def english_after_each_test():
    yield
    from kiosk.i18n import install_language

    install_language("en")


def make_survey(qtbot, office, **kw) -> SurveyWindow:
    window = SurveyWindow(Notices(office.db), office.site("bootle"), kiosk_mode=False, **kw)
    window.resize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def tap(qtbot, window, name: str) -> None:
    page = window.stack.currentWidget()
    found = [b for b in page.findChildren(QPushButton, name) if b.isVisible()]
    if not found:
        found = [b for b in window.findChildren(QPushButton, name) if b.isVisible()]
    assert found, f"no visible button {name!r} on {window.current_page}"
    qtbot.mouseClick(found[0], Qt.MouseButton.LeftButton)


def responses(office) -> list:
    with office.db.transaction(write=False) as tx:
        return list(tx.conn.execute(survey_t.select().order_by(survey_t.c.id)).all())


def shoot(window, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    theme = ("contrast" if window.high_contrast else "standard") + (
        "-large" if window.large_text else ""
    )
    window.grab().save(str(SHOTS / f"{name}-{window.language}-{theme}.png"))


def test_a_visitor_answers_linked_to_their_ticket_typed_by_hand(qtbot, office) -> None:
    result = office.checkin("bootle", "council-tax")
    window = make_survey(qtbot, office)
    qtbot.keyClicks(window.ticket_entry, "X999")
    qtbot.keyClick(window.ticket_entry, Qt.Key.Key_Return)
    assert window.current_page == "start" and window.start_error.isVisible()
    qtbot.keyClicks(window.ticket_entry, result.ticket.lower())
    tap(qtbot, window, "begin")
    for name in ("yes", "scale_5", "scale_4", "yes"):
        assert window.current_page == "question"
        tap(qtbot, window, name)
    assert window.current_page == "comment"
    for char in "GREAT":
        qtbot.mouseClick(
            next(b for b in window.pages["comment"].findChildren(QPushButton) if b.text() == char),
            Qt.MouseButton.LeftButton,
        )
    tap(qtbot, window, "send")
    assert window.current_page == "thanks"
    (row,) = responses(office)
    assert (row.resolved, row.csa, row.overall, row.fair) == (True, 5, 4, True)
    assert row.visit_id == result.visit_id and row.comment == "great"
    assert row.language == "en"


def test_the_tickets_qr_code_scanned_links_the_answers(qtbot, office) -> None:
    result = office.checkin("bootle", "council-tax")
    day = datetime.fromisoformat(result.arrived_at).astimezone(ZoneInfo("Europe/London"))
    scanned = f"https://www.sefton.gov.uk/survey?t=bootle-{day:%Y%m%d}-{result.ticket}"
    window = make_survey(qtbot, office)
    qtbot.keyClicks(window.ticket_entry, scanned)  # a USB scanner types like a keyboard
    qtbot.keyClick(window.ticket_entry, Qt.Key.Key_Return)
    assert window.current_page == "question"
    tap(qtbot, window, "yes")
    window.give_up()  # walked away after one answer
    (row,) = responses(office)
    assert row.visit_id == result.visit_id and row.resolved is True


def test_a_ticket_from_another_day_is_refused_and_the_survey_stays_anonymous(qtbot, office) -> None:
    window = make_survey(qtbot, office)
    qtbot.keyClicks(window.ticket_entry, "https://x/survey?t=bootle-20240102-C001")
    qtbot.keyClick(window.ticket_entry, Qt.Key.Key_Return)
    assert window.current_page == "start"
    assert "not from today" in window.start_error.text()
    assert window.ticket_entry.text() == ""
    tap(qtbot, window, "begin")  # without it: anonymous
    assert window.current_page == "question" and window.ticket is None


@pytest.mark.parametrize(
    ("scanned", "ticket"),
    [
        ("C023", "C023"),
        (" c 23 ", "C023"),
        ("https://www.sefton.gov.uk/s?t=bootle-20261201-C023", "C023"),
        ("bootle-20261201-a007", "A007"),
    ],
)
def test_ticket_from_scan(scanned: str, ticket: str) -> None:
    assert ticket_from_scan(scanned, "bootle", "20261201") == ticket


@pytest.mark.parametrize(
    "scanned",
    ["southport-20261201-C023", "bootle-20261130-C023", "hello", "C000"],
)
def test_ticket_from_scan_refuses(scanned: str) -> None:
    with pytest.raises(DomainError):
        ticket_from_scan(scanned, "bootle", "20261201")


def test_anonymous_with_skipped_questions(qtbot, office) -> None:
    window = make_survey(qtbot, office)
    tap(qtbot, window, "begin")
    tap(qtbot, window, "skip")
    tap(qtbot, window, "scale_2")
    tap(qtbot, window, "skip")
    tap(qtbot, window, "no")
    tap(qtbot, window, "skip_comment")
    (row,) = responses(office)
    assert (row.visit_id, row.resolved, row.csa, row.overall, row.fair, row.comment) == (
        None,
        None,
        2,
        None,
        False,
        None,
    )


def test_a_visitor_who_walks_away_never_adds_to_the_next_ones_answers(qtbot, office) -> None:
    first = office.checkin("bootle", "council-tax")
    window = make_survey(qtbot, office)
    window.idle.setInterval(200)
    qtbot.keyClicks(window.ticket_entry, first.ticket)
    tap(qtbot, window, "begin")
    tap(qtbot, window, "no")  # one answer, then gone
    qtbot.waitUntil(lambda: window.current_page == "more_time", timeout=3000)
    shoot(window, "more_time")
    window.countdown_left = 0
    window._tick()  # nobody asked for more time
    assert window.current_page == "start" and window.ticket is None
    tap(qtbot, window, "begin")  # the next visitor, anonymous
    for name in ("yes", "scale_5", "scale_5", "yes"):
        tap(qtbot, window, name)
    tap(qtbot, window, "skip_comment")
    kept, second = responses(office)
    assert (kept.visit_id, kept.resolved, kept.csa) == (first.visit_id, False, None)
    assert (second.visit_id, second.resolved, second.csa, second.fair) == (None, True, 5, True)


def test_more_time_returns_to_the_same_question(qtbot, office) -> None:
    window = make_survey(qtbot, office)
    window.idle.setInterval(200)
    tap(qtbot, window, "begin")
    tap(qtbot, window, "yes")
    qtbot.waitUntil(lambda: window.current_page == "more_time", timeout=3000)
    tap(qtbot, window, "more_time")
    assert window.current_page == "question" and window.step == 1
    assert responses(office) == []


def test_in_kiosk_mode_only_staff_with_the_pin_can_leave(qtbot, office) -> None:
    window = SurveyWindow(Notices(office.db), office.site("bootle"), kiosk_mode=True)
    qtbot.addWidget(window)
    window.show()
    assert not window.close()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible()
    title = window.findChild(QLabel, "site_name")
    for _ in range(5):
        qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
    assert window.current_page == "pin"
    assert not window.ask_pin("1111")
    for digit in "2468":
        tap(qtbot, window, f"pin_{digit}")
    tap(qtbot, window, "pin_ok")
    assert window.current_page == "staff"
    window.resize(1920, 1080)
    shoot(window, "staff")
    tap(qtbot, window, "exit")
    assert not window.isVisible()


def test_a_language_chosen_halfway_keeps_the_visitors_place(qtbot, office) -> None:
    window = make_survey(qtbot, office)
    tap(qtbot, window, "begin")
    tap(qtbot, window, "yes")
    tap(qtbot, window, "lang_pl")
    assert window.current_page == "question" and window.step == 1
    assert "Jak bardzo" in window.question_text.text()
    tap(qtbot, window, "scale_4")
    tap(qtbot, window, "skip")
    tap(qtbot, window, "skip")
    tap(qtbot, window, "skip_comment")
    (row,) = responses(office)
    assert (row.resolved, row.csa, row.language) == (True, 4, "pl")


def test_read_aloud_reads_each_question_in_the_visitors_language(qtbot, office) -> None:
    spoken: list[tuple[str, str]] = []
    window = make_survey(qtbot, office, speak=lambda t, lang: spoken.append((t, lang)))
    tap(qtbot, window, "lang_ar")
    tap(qtbot, window, "read_aloud")
    tap(qtbot, window, "begin")
    text, language = spoken[-1]
    assert language == "ar" and "1" in text  # "Question 1 of 4" and the question, in Arabic


def _offline(window) -> None:
    """As the survey is once it found the database gone (its banner on every screen);
    its sender stopped so that it stays so. (tests/integration/test_offline_kiosk.py
    takes a database away for real.)"""
    from sqlalchemy.exc import OperationalError

    window.send_timer.stop()
    window.send_pool.waitForDone(10_000)
    window._went_offline(OperationalError("SELECT 1", {}, OSError("network cable out")))


SCREENS = [
    ("start", lambda qtbot, w: None),
    ("question", lambda qtbot, w: tap(qtbot, w, "begin")),
    ("scale", lambda qtbot, w: (tap(qtbot, w, "begin"), tap(qtbot, w, "yes"))),
    ("comment", lambda qtbot, w: [tap(qtbot, w, n) for n in ("begin", *["skip"] * 4)]),
    ("thanks", lambda qtbot, w: (tap(qtbot, w, "begin"), w.finish(with_comment=False))),
    # Offline (from here on it stays so): the banner on top of every screen.
    ("start-offline", lambda qtbot, w: _offline(w)),
    ("question-offline", lambda qtbot, w: tap(qtbot, w, "begin")),
    ("scale-offline", lambda qtbot, w: (tap(qtbot, w, "begin"), tap(qtbot, w, "yes"))),
    ("comment-offline", lambda qtbot, w: [tap(qtbot, w, n) for n in ("begin", *["skip"] * 4)]),
]


@pytest.mark.parametrize(("language", "large_text", "high_contrast"), LOOKS)
def test_every_survey_screen_fits_and_keeps_its_controls_reachable(
    qtbot, office, language, high_contrast, large_text
) -> None:
    window = make_survey(qtbot, office)
    for name, reach in SCREENS:
        window.next_visitor()
        if language != "en":
            tap(qtbot, window, f"lang_{language}")
        if high_contrast:
            tap(qtbot, window, "contrast")
        if large_text:
            tap(qtbot, window, "larger_text")
        reach(qtbot, window)
        qtbot.wait(20)
        assert window.minimumSizeHint().height() <= 1080, f"{name} is taller than the screen"
        assert window.height() == 1080
        for widget in window.findChildren(QPushButton):
            if widget.isVisible():
                top = widget.mapTo(window, widget.rect().topLeft()).y()
                assert top >= 1080 * 0.45, f"{widget.text()!r} on {name} is out of reach"
                assert widget.height() >= 61, f"{widget.text()!r} on {name} is under 15 mm"
        shoot(window, name)


def test_keys_keep_their_order_in_arabic(qtbot, office) -> None:
    window = make_survey(qtbot, office)
    tap(qtbot, window, "lang_ar")
    window.go("comment")
    qtbot.wait(20)
    keys = {b.text(): b for b in window.pages["comment"].findChildren(QPushButton)}

    def x(key: str) -> int:
        return keys[key].mapTo(window, keys[key].rect().topLeft()).x()

    assert x("Q") < x("W") < x("E") and x("1") < x("2")  # QWERTY, not YTREWQ
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft  # the rest is mirrored
