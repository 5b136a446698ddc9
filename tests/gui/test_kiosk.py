"""The kiosk driven as a visitor drives it (pytest-qt), printing to a real TCP listener.

Every screen is saved as a PNG in each theme under tests/screenshots/kiosk/.
"""

from __future__ import annotations

import re
import socket
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.presenter import KioskPresenter
from kiosk.window import KioskWindow
from shared.notices import Notices
from shared.office import Office
from shared.store import Database
from tests.loopback_printer import PrinterListener

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "kiosk"
OPEN_TIME = datetime(2026, 11, 24, 10, 30, tzinfo=ZoneInfo("Europe/London"))  # a Tuesday
CLOSED_TIME = datetime(2026, 11, 28, 10, 30, tzinfo=ZoneInfo("Europe/London"))  # a Saturday


@pytest.fixture
def printer():
    listener = PrinterListener()
    yield listener
    listener.close()


@pytest.fixture
def office(sqlite_url):
    db = Database(sqlite_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


def make_kiosk(qtbot, office, printer_spec, when=OPEN_TIME):
    presenter = KioskPresenter(office, "bootle", printer=printer_spec, clock=lambda: when)
    window = KioskWindow(presenter, kiosk_mode=False)
    window.resize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return presenter, window


def tap(qtbot, window, name: str) -> None:
    page = window.stack.currentWidget()
    found = [b for b in page.findChildren(QPushButton, name) if b.isVisible()]
    if not found:
        found = [b for b in window.findChildren(QPushButton, name) if b.isVisible()]
    assert found, f"no visible button {name!r} on {window.current_page}"
    qtbot.mouseClick(found[0], Qt.MouseButton.LeftButton)


def tap_text(qtbot, window, text: str) -> None:
    page = window.stack.currentWidget()
    found = [
        b
        for b in page.findChildren(QPushButton)
        if b.text().replace("\n", " ") == text and b.isVisible()
    ]
    assert found, f"no button {text!r} on {window.current_page}"
    qtbot.mouseClick(found[0], Qt.MouseButton.LeftButton)


def shoot(window, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    theme = ("contrast" if window.high_contrast else "standard") + (
        "-large" if window.large_text else ""
    )
    window.grab().save(str(SHOTS / f"{name}-{window.language}-{theme}.png"))


def test_a_walk_in_gets_a_printed_ticket_in_two_touches(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    assert window.current_page == "welcome"
    shoot(window, "welcome")
    tap_text(qtbot, window, "Council Tax and Business Rates")  # touch 1
    assert window.current_page == "services"
    shoot(window, "services")
    tap_text(qtbot, window, "Council Tax")  # touch 2
    assert window.current_page == "ticket"
    assert window.ticket_number.text() == "C001"
    assert printer.received.wait(5)
    qtbot.waitUntil(lambda: "take your ticket" in window.print_status.text(), timeout=5000)
    shoot(window, "ticket")
    job = printer.jobs[0]
    assert b"C001" in job and b"Council Tax" in job and b"Bootle One Stop Shop" in job
    assert b"\x1d(k" in job  # the QR code (native GS ( k)
    assert b"bootle-20" in job  # the QR carries the ticket's code, not a person
    assert (
        job.rstrip(b"\x00").endswith((b"\x1dVA\x00", b"\x1dV\x00", b"\x1dVB\x00"))
        or b"\x1dV" in job
    )
    assert office.visit("bootle", "C001").service == "council-tax"
    tap(qtbot, window, "done")
    assert window.current_page == "welcome"


def test_a_service_with_questions_takes_three_touches_and_flags_reach_staff(
    qtbot, office, printer
) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    tap_text(qtbot, window, "Urgent help")  # 1
    tap_text(qtbot, window, "Emergency Limited Assistance Scheme (ELAS)")  # 2
    assert window.current_page == "questions"
    tap(qtbot, window, "q_private_room")
    assert (
        window.findChild(QPushButton, "q_private_room").text().startswith("✓ ")
    )  # not colour only
    tap(qtbot, window, "q_interpreter")
    assert window.current_page == "interpreter"  # which language?
    shoot(window, "interpreter")
    tap(qtbot, window, "interpreter_tigrinya")
    assert window.current_page == "questions"
    assert "ትግርኛ" in window.findChild(QPushButton, "q_interpreter").text()
    shoot(window, "questions")
    tap(qtbot, window, "get_ticket")  # 3 (the answers are optional)
    assert window.ticket_number.text() == "E001"
    visit = office.visit("bootle", "E001")
    assert visit.flags == {"private_room": "yes", "interpreter": "Tigrinya"}


def test_an_interpreter_is_asked_for_in_the_screens_language_unless_changed(
    qtbot, office, printer
) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    tap(qtbot, window, "lang_pl")
    window.choose_service(window.site.service("elas"))
    tap(qtbot, window, "q_interpreter")
    assert window.interpreter_group.checkedButton().objectName() == "interpreter_polish"
    tap(qtbot, window, "interpreter_polish")
    tap(qtbot, window, "get_ticket")
    assert office.visit("bootle", "E001").flags == {"interpreter": "Polish"}
    window.next_visitor()  # the next visitor, in English, has nothing chosen for them
    window.choose_service(window.site.service("elas"))
    tap(qtbot, window, "q_interpreter")
    assert window.interpreter_group.checkedButton() is None
    tap(qtbot, window, "back")  # changed their mind: no interpreter after all
    assert window.current_page == "questions"
    assert not window.findChild(QPushButton, "q_interpreter").isChecked()
    tap(qtbot, window, "get_ticket")
    assert office.visit("bootle", "E002").flags == {}


def test_back_from_the_questions_goes_to_the_groups_services(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    tap_text(qtbot, window, "Urgent help")
    tap_text(qtbot, window, "Emergency Limited Assistance Scheme (ELAS)")
    tap(qtbot, window, "q_private_room")
    tap(qtbot, window, "back")
    assert window.current_page == "services"
    assert window.services_heading.text() == "Urgent help"
    assert window.flags == {}  # the answers went with the step


def test_a_group_of_one_service_gives_a_ticket_in_one_touch(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    tap_text(qtbot, window, "Payments")
    assert window.current_page == "ticket" and window.ticket_number.text() == "Y001"


def test_appointment_found_by_a_scanner_and_not_found(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    now = datetime.now(ZoneInfo("Europe/London"))
    booked = office.add_appointment("bootle", "housing-benefit", now)
    tap(qtbot, window, "appointment")
    assert window.current_page == "appointment"
    shoot(window, "appointment")
    qtbot.keyClicks(window.reference, "NO-SUCH-REF")  # the scanner types like a keyboard...
    qtbot.keyClick(window.reference, Qt.Key.Key_Return)  # ...and ends with Enter
    assert window.current_page == "not_found"
    shoot(window, "not_found")
    tap(qtbot, window, "try_again")
    window.reference.clear()
    for char in booked["ref"]:
        tap_text(qtbot, window, char)  # typed on the on-screen keys
    tap(qtbot, window, "check_in")
    assert window.current_page == "ticket"
    assert office.visit("bootle", window.ticket_number.text()).appointment_at is not None


def test_no_reference_and_help_raise_a_request_at_reception(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    tap(qtbot, window, "need_help")
    assert window.current_page == "help"
    shoot(window, "help")
    alerts = Notices(office.db).alerts("bootle")
    assert [a.kind for a in alerts] == ["help"]


def test_the_printer_pulled_out_keeps_the_check_in_and_says_so(qtbot, office) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{dead}")
    tap_text(qtbot, window, "Payments")
    assert window.ticket_number.text() == "Y001"
    qtbot.waitUntil(lambda: "not working" in window.print_status.text(), timeout=10_000)
    assert "Y001" in window.print_status.text()
    assert window.banner.isVisible()
    shoot(window, "printer_failed")
    assert office.visit("bootle", "Y001").waiting  # the check-in is kept
    alerts = Notices(office.db).alerts("bootle")
    assert [a.kind for a in alerts] == ["printer"]
    assert window.done_left > 20  # longer on screen: the visitor must note the number
    tap(qtbot, window, "done")
    assert window.banner.isVisible()  # says so until it is fixed


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_languages_translate_the_screens_and_the_ticket(qtbot, office, printer, language) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    tap(qtbot, window, f"lang_{language}")
    assert window.language == language
    words = {"pl": "Mam umówioną wizytę", "ar": "لدي موعد"}[language]
    assert any(b.text().replace("\n", " ") == words for b in window.findChildren(QPushButton))
    expected_direction = (
        Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
    )
    assert window.layoutDirection() == expected_direction
    shoot(window, "welcome")
    tap(qtbot, window, "group_0")
    tap(qtbot, window, "service_0")
    assert printer.received.wait(10)
    job = printer.jobs[0]
    if language == "pl":
        # "Twój" in the printer's code page 437 (ó = 0xA2), Polish service name on it too
        assert b"Tw\xa2j numer" in job
        assert b"Podatek lokalny" in job
    else:
        assert b"\x1dv0" in job  # printed as a raster image: no code page has Arabic
    shoot(window, "ticket")


def test_high_contrast_and_larger_text_on_every_screen(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    tap(qtbot, window, "contrast")
    assert "#ffff00" in window.styleSheet()
    shoot(window, "welcome")
    tap(qtbot, window, "larger_text")
    assert window.large_text
    tap_text(qtbot, window, "Council Tax and Business Rates")
    shoot(window, "services")


def test_closed_office_issues_no_tickets(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}", CLOSED_TIME)
    assert window.current_page == "closed"
    shoot(window, "closed")
    assert not [b for b in window.stack.currentWidget().findChildren(QPushButton) if b.isVisible()]
    Notices(office.db).set_closed("bootle", True, "Closed for staff training")
    _presenter2, window2 = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    assert window2.current_page == "closed"
    assert "staff training" in window2.closed_message.text()


def test_the_kiosk_opens_and_closes_by_itself_and_follows_reception(qtbot, office, printer) -> None:
    now = {"at": datetime(2026, 11, 24, 8, 59, tzinfo=ZoneInfo("Europe/London"))}
    presenter = KioskPresenter(
        office, "bootle", printer=f"tcp://127.0.0.1:{printer.port}", clock=lambda: now["at"]
    )
    window = KioskWindow(presenter, kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    assert window.current_page == "closed"  # before 09:00 on a Tuesday
    now["at"] = now["at"].replace(hour=9, minute=0)
    window.watch.timeout.emit()  # the kiosk's own look at the clock
    assert window.current_page == "welcome"
    notices = Notices(office.db)
    notices.set_delay("bootle", "Two advisers are on training", 30)
    window.refresh_state()  # as when the queue is notified of the change
    assert window.welcome_notice.isVisible() and "training" in window.welcome_notice.text()
    notices.set_delay("bootle", None, None)
    window.refresh_state()
    assert not window.welcome_notice.isVisible()
    notices.set_closed("bootle", True, "Closed for a fire drill")
    window.refresh_state()
    assert window.current_page == "closed" and "fire drill" in window.closed_message.text()
    notices.set_closed("bootle", False)
    window.refresh_state()
    assert window.current_page == "welcome"


def test_a_visitor_choosing_when_the_office_closes_gets_no_ticket(qtbot, office, printer) -> None:
    now = {"at": datetime(2026, 11, 24, 16, 59, tzinfo=ZoneInfo("Europe/London"))}
    presenter = KioskPresenter(
        office, "bootle", printer=f"tcp://127.0.0.1:{printer.port}", clock=lambda: now["at"]
    )
    window = KioskWindow(presenter, kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    tap_text(qtbot, window, "Council Tax and Business Rates")
    now["at"] = now["at"].replace(hour=17, minute=1)
    tap_text(qtbot, window, "Council Tax")
    assert window.current_page == "closed"
    assert office.visits("bootle") == []


def test_staff_can_reach_the_settings_from_the_closed_screen(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}", CLOSED_TIME)
    title = window.findChild(QLabel, "closed_site_name")
    for _ in range(5):
        qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
    assert window.current_page == "pin"


def test_idle_shows_a_countdown_with_more_time(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    window.idle.setInterval(200)
    tap(qtbot, window, "appointment")
    qtbot.waitUntil(lambda: window.current_page == "more_time", timeout=3000)
    shoot(window, "more_time")
    tap(qtbot, window, "more_time")
    assert window.current_page == "appointment"
    window.countdown_left = 0
    window.ask_more_time()
    window.countdown_left = 0
    window._tick()
    assert window.current_page == "welcome"


def test_kiosk_mode_cannot_be_left_without_the_supervisor_pin(qtbot, office, printer) -> None:
    presenter = KioskPresenter(
        office, "bootle", printer=f"tcp://127.0.0.1:{printer.port}", clock=lambda: OPEN_TIME
    )
    window = KioskWindow(presenter, kiosk_mode=True)
    qtbot.addWidget(window)
    window.show()
    assert not window.close()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible()
    assert not window.ask_pin("0000")
    assert window.current_page != "staff"
    window.open_pin()
    assert window.current_page == "pin"
    for digit in "2468":  # the demo PIN in the shipped configuration, on the screen's keys
        tap(qtbot, window, f"pin_{digit}")
    assert window.pin_field.text() == "2468"
    tap(qtbot, window, "pin_ok")
    assert window.current_page == "staff"
    window.resize(1920, 1080)
    shoot(window, "staff")
    tap(qtbot, window, "test_print")
    assert printer.received.wait(5) and b"T000" in printer.jobs[0]
    qtbot.waitUntil(lambda: "Test ticket printed" in window.staff_status.text(), timeout=5000)
    tap(qtbot, window, "open_close")
    assert Notices(office.db).notice("bootle").closed
    tap(qtbot, window, "open_close")
    assert not Notices(office.db).notice("bootle").closed
    tap(qtbot, window, "exit")
    assert not window.isVisible()


def test_wrong_pins_lock_the_keypad(qtbot, office, printer) -> None:
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    window.open_pin()
    for attempt in range(5):
        assert not window.ask_pin(f"000{attempt}")
    assert "Too many wrong PINs" in window.pin_status.text()
    assert not window.ask_pin("2468")  # even the right one, until the lock ends
    assert window.current_page == "pin"
    window.pin_locked_until = 0.0  # the kiosk restarted: the database still counts them
    assert not window.ask_pin("2468")
    assert "Too many wrong PINs" in window.pin_status.text()
    fifteen_minutes_later(office, window.place)
    window.pin_locked_until = 0.0
    assert window.ask_pin("2468")
    assert window.current_page == "staff"


def fifteen_minutes_later(office, place: str) -> None:
    """The kiosk's wrong PINs, in the audit trail, as if a quarter of an hour old."""
    from datetime import timedelta

    from sqlalchemy import select, update

    from shared.store.tables import audit_t

    with office.db.transaction() as tx:
        for row in tx.conn.execute(
            select(audit_t.c.id, audit_t.c.at).where(audit_t.c.place == place)
        ).all():
            tx.conn.execute(
                update(audit_t)
                .where(audit_t.c.id == row.id)
                .values(at=row.at - timedelta(minutes=16))
            )


@pytest.fixture(autouse=True)
def english_after_each_test():
    yield
    from kiosk.i18n import install_language

    install_language("en")


def test_read_aloud_on_request_reads_every_screen_in_the_visitors_language(
    qtbot, office, printer
) -> None:
    presenter = KioskPresenter(
        office, "bootle", printer=f"tcp://127.0.0.1:{printer.port}", clock=lambda: OPEN_TIME
    )
    spoken: list[tuple[str, str]] = []
    window = KioskWindow(
        presenter, kiosk_mode=False, speak=lambda t, lang: spoken.append((t, lang))
    )
    window.resize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    tap_text(qtbot, window, "Payments")
    assert spoken == []  # nothing is said unless the visitor asks
    window.next_visitor()
    tap(qtbot, window, "read_aloud")
    text, language = spoken[-1]
    assert "Welcome. Touch what you have come about." in text and language == "en"
    assert "I have an appointment" in text
    tap_text(qtbot, window, "Council Tax and Business Rates")
    assert spoken[-1][0].startswith("Council Tax and Business Rates")  # the next screen too
    tap_text(qtbot, window, "Council Tax")
    assert spoken[-1] == ("Your number is C 0 0 1", "en")
    tap(qtbot, window, "read_aloud")  # the ticket screen again, number letter by letter
    assert "C 0 0 1" in spoken[-1][0]
    tap(qtbot, window, "done")
    assert not window.reading_aloud  # the next visitor starts silent
    tap(qtbot, window, "lang_pl")
    tap(qtbot, window, "read_aloud")
    assert spoken[-1][1] == "pl" and "Witamy" in spoken[-1][0]


def test_speech_is_rendered_by_the_real_engine(tmp_path) -> None:
    import wave

    from shared.devices.speech import render_wav

    path = render_wav("Your number is Y 0 0 1", tmp_path / "speech.wav")
    with wave.open(str(path)) as audio:
        frames = audio.readframes(audio.getnframes())
        seconds = audio.getnframes() / audio.getframerate()
    assert seconds > 1.0
    samples = memoryview(frames).cast("h")
    assert max(abs(s) for s in samples) > 3000  # not silence


def test_the_kiosk_notices_when_the_printer_is_back(qtbot, office) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{port}")
    tap_text(qtbot, window, "Payments")
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10_000)
    assert window.printer_check.isActive()
    server = PrinterListener(port)  # the printer is plugged back in, answering its status
    try:
        presenter.probe_printer()
        qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=10_000)
        assert Notices(office.db).alerts("bootle") == []
    finally:
        server.close()


def contrast_ratio(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", ["standard", "contrast"])
def test_every_text_colour_pair_passes_wcag_aa(theme) -> None:
    from kiosk.theme import HIGH_CONTRAST, STANDARD

    c = HIGH_CONTRAST if theme == "contrast" else STANDARD
    pairs = [
        (c["text"], c["background"]),
        (c["button_text"], c["button"]),
        (c["button_text"], c["secondary"]),
        (c["warning_text"], c["warning_bg"]),
        (c["warning_text"], c["accent"]),
    ]
    for foreground, background in pairs:
        assert contrast_ratio(foreground, background) >= 4.5, (foreground, background)


def _to_services(qtbot, window) -> None:
    tap(qtbot, window, "group_0")


def _to_questions(qtbot, window) -> None:
    window.choose_service(window.site.service("elas"))
    tap(qtbot, window, "q_private_room")


def _to_interpreter(qtbot, window) -> None:
    window.choose_service(window.site.service("elas"))
    tap(qtbot, window, "q_interpreter")


def _to_ticket(qtbot, window) -> None:
    Notices(window.presenter.office.db).set_delay("bootle", "Two advisers are on training", 40)
    window.presenter.check_in("payments", {})
    qtbot.waitUntil(lambda: "Printing" not in window.print_status.text(), timeout=10_000)


def _to_closed(qtbot, window) -> None:
    Notices(window.presenter.office.db).set_closed("bootle", True, "Closed for staff training")
    window.refresh_state()


def _offline(window) -> None:
    """The kiosk as it is when its check-in found the database gone (the banner at the
    top of every screen); its link stopped so that it stays so while it is measured.
    (tests/integration/test_offline_kiosk.py takes a database away for real.)"""
    from sqlalchemy.exc import OperationalError

    presenter = window.presenter
    presenter.link_timer.stop()
    presenter.link_pool.waitForDone(10_000)  # its first step reserved today's numbers
    if presenter.online:
        presenter._offline(OperationalError("SELECT 1", {}, OSError("network cable out")))


def _offline_then(reach):  # type: ignore[no-untyped-def]
    def reach_offline(qtbot, window) -> None:
        _offline(window)
        reach(qtbot, window)

    return reach_offline


def _to_offline_ticket(qtbot, window) -> None:
    _offline(window)
    window.presenter.check_in("payments", {})
    assert window.current_page == "ticket"
    qtbot.waitUntil(lambda: "Printing" not in window.print_status.text(), timeout=10_000)


# Every screen, reached as a visitor or staff would (the visitor's choices made first).
SCREENS = [
    ("welcome", lambda qtbot, window: None),
    ("services", _to_services),
    ("questions", _to_questions),
    ("interpreter", _to_interpreter),
    ("appointment", lambda qtbot, window: tap(qtbot, window, "appointment")),
    ("not_found", lambda qtbot, window: window.show_refusal("not_found", "")),
    ("ticket", _to_ticket),
    ("help", lambda qtbot, window: tap(qtbot, window, "need_help")),
    ("more_time", lambda qtbot, window: (window.go("appointment"), window.ask_more_time())),
    ("pin", lambda qtbot, window: window.open_pin()),
    ("staff", lambda qtbot, window: window.ask_pin("2468")),
    ("closed", _to_closed),
    # Offline (last: from here on the kiosk stays offline), the banner on every screen.
    ("welcome", _offline_then(lambda qtbot, window: None)),
    ("interpreter", _offline_then(_to_interpreter)),
    ("questions", _offline_then(_to_questions)),
    ("ticket", _to_offline_ticket),
    ("help", _offline_then(lambda qtbot, window: tap(qtbot, window, "need_help"))),
    ("help", _offline_then(lambda qtbot, window: window.presenter.check_in_appointment("X1"))),
    ("help", _offline_then(lambda qtbot, window: window.show_reception("unavailable"))),
]


# Each language in both text sizes, and in both themes; each theme in both text sizes.
# The themes differ in colours only (test_the_themes_differ_in_colours_only), so a layout
# that fits in one fits in the other.
LOOKS = [
    (language, large_text, (index + large_text) % 2 == 1)
    for index, language in enumerate(["en", "pl", "ar"])
    for large_text in (False, True)
]


def test_the_themes_differ_in_colours_only() -> None:
    from kiosk.theme import stylesheet

    for large_text in (False, True):
        standard, contrast = (stylesheet(c, large_text) for c in (False, True))
        assert standard != contrast
        colourless = [re.sub(r"#[0-9a-fA-F]{6}", "#", s) for s in (standard, contrast)]
        assert colourless[0] == colourless[1]


@pytest.mark.parametrize(("language", "large_text", "high_contrast"), LOOKS)
def test_every_screen_fits_keeps_its_controls_reachable_and_big(
    qtbot, office, printer, language, high_contrast, large_text
) -> None:
    """On the kiosk's 1920x1080 screen, in every language, theme and text size: nothing
    pushes the window past the screen, every control sits in the lower half and is at
    least 15 mm tall, and no button's words are cut off. Each screen is saved as a PNG."""
    _presenter, window = make_kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    for index, (name, reach) in enumerate(SCREENS):
        Notices(office.db).set_closed("bootle", False)
        window.next_visitor()
        if language != "en":
            tap(qtbot, window, f"lang_{language}")
        if high_contrast:
            tap(qtbot, window, "contrast")
        if large_text:
            tap(qtbot, window, "larger_text")
        reach(qtbot, window)
        assert window.current_page == name
        qtbot.wait(20)
        assert window.minimumSizeHint().height() <= 1080, f"{name} is taller than the screen"
        assert window.height() == 1080
        for widget in window.findChildren(QPushButton):
            if not widget.isVisible():
                continue
            top = widget.mapTo(window, widget.rect().topLeft()).y()
            words = widget.text().replace("\n", " ")
            assert top >= 1080 * 0.45, f"{words!r} on {name} is out of reach"
            assert widget.height() >= 61, f"{words!r} on {name} is under 15 mm"
            lines = widget.text().split("\n")
            metrics = widget.fontMetrics()
            room = widget.width() - 16
            if not widget.icon().isNull():
                room -= widget.iconSize().width()
            widest = max(metrics.horizontalAdvance(line) for line in lines)
            assert widest <= room, f"{words!r} on {name} is cut off"
            assert len(lines) * metrics.lineSpacing() <= widget.height(), f"{words!r} too tall"
        shoot(window, name if window.presenter.online else f"{name}-offline-{index}")


def test_always_open_ignores_the_hours_but_not_reception(qtbot, office, printer) -> None:
    presenter = KioskPresenter(
        office,
        "bootle",
        printer=f"tcp://127.0.0.1:{printer.port}",
        clock=lambda: CLOSED_TIME,
        always_open=True,
    )
    assert presenter.is_open()
    Notices(office.db).set_closed("bootle", True, "Closed for a fire drill")
    assert not presenter.is_open()


def test_the_window_owns_its_presenter_and_its_printing(qtbot, office, printer) -> None:
    presenter = KioskPresenter(
        office, "bootle", printer=f"tcp://127.0.0.1:{printer.port}", clock=lambda: OPEN_TIME
    )
    window = KioskWindow(presenter, kiosk_mode=False)
    presenter.check_in("council-tax", {})
    shiboken6.delete(window)  # waits for the ticket being printed, then goes
    assert not shiboken6.isValid(presenter)
    assert printer.received.wait(5)
    assert b"C001" in printer.jobs[0]


def test_the_preview_printer_shows_the_ticket_on_screen(qtbot, office) -> None:
    _presenter, window = make_kiosk(qtbot, office, "preview")
    tap_text(qtbot, window, "Payments")
    qtbot.waitUntil(lambda: window.ticket_preview.isVisible(), timeout=10_000)
    picture = window.ticket_preview.pixmap()
    assert not picture.isNull() and picture.height() >= 240
    assert picture.height() > picture.width()  # a paper ticket's shape
    shoot(window, "ticket_preview")
    tap(qtbot, window, "done")
    tap_text(qtbot, window, "Payments")
    assert not window.ticket_preview.isVisible()  # until this visitor's ticket is ready
