"""The ticket in the visitor's language, read back from the bytes the printer receives:
text where the printer's code pages can print it, a picture of the line where they
cannot, the QR code as the printer's own command, the cut. Every ticket read here is
also drawn to tests/screenshots/tickets/ to look at."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from shared.config import load_site
from shared.devices.printer import encodable, printer_profile, ticket_bytes
from shared.devices.ticket import right_to_left
from shared.domain.model import TicketOptions
from shared.printing import _service_in, print_ticket, ticket_labels
from tests.escpos_reader import read
from tests.integration.test_printing import sample
from tests.loopback_printer import PrinterListener

SITES = Path(__file__).resolve().parents[2] / "resources" / "sites"
SHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "tickets"
ONESTOP = str(Path(sys.executable).with_name("onestop"))
# python-escpos's printer profiles whose code pages lack Polish letters (AF-240, a
# customer display that cannot print pictures either, left out)
NO_POLISH = ["TM-T88III", "TM-U220", "TM-U220B", "TM-T88IV-SA", "T-1", "simple"]


@pytest.fixture(autouse=True)
def _app(qapp):
    """Drawing needs a Qt application: pytest-qt's, as the GUI tests use."""
    return qapp


@pytest.fixture
def printer():
    listener = PrinterListener()
    yield listener
    listener.close()


def site_with(profile: str = "", paper_mm: int = 80):
    site = load_site(SITES / "bootle.toml")
    return replace(site, tickets=replace(site.tickets, profile=profile, paper_mm=paper_mm))


def printed(printer, language: str, profile: str = "", paper_mm: int = 80, **ticket):
    """Print a ticket in a language as the kiosk does; the job read back."""
    site = site_with(profile, paper_mm)
    labels = ticket_labels(site, language) if language != "en" else None
    chosen = sample(**ticket)
    if labels:
        chosen = _service_in(chosen, site, labels)
    outcome = print_ticket(site, chosen, f"tcp://127.0.0.1:{printer.port}", labels=labels)
    assert outcome.printed, outcome.error
    assert printer.received.wait(5)
    job = printer.jobs[-1]
    printer.received.clear()
    readback = read(job, profile or None)
    readback.save(SHOTS / f"{language}-{profile or 'generic'}-{paper_mm}mm.png")
    return job, readback, labels or {}


def test_polish_prints_as_text_where_the_printer_has_cp852(printer) -> None:
    _job, ticket, _ = printed(printer, "pl", estimated_wait_minutes=40)
    assert ticket.images == []
    for words in ("Twój numer", "Osoby przed Tobą: 3", "Zeskanuj i oceń naszą obsługę"):
        assert words in ticket.lines
    assert "Szacowany czas oczekiwania: około 40 min" in ticket.lines


@pytest.mark.parametrize("profile", NO_POLISH)
def test_polish_lines_a_printer_cannot_encode_go_as_pictures_never_as_question_marks(
    printer, profile
) -> None:
    _job, ticket, labels = printed(printer, "pl", profile, estimated_wait_minutes=40)
    assert not any("?" in line for line in ticket.lines), ticket.lines  # "Tob?: ? ? ?"
    chosen = printer_profile(profile)
    drawn = [text for text in labels.values() if not encodable(text, chosen)]
    assert "Osoby przed Tobą: {n}" in drawn  # ą is in no code page of these printers
    assert "Osoby przed Tobą: 3" not in ticket.lines
    assert "C023" in ticket.lines
    if chosen.supports("qrCode"):
        assert len(ticket.images) == 4  # ahead, wait, delay, scan: each its own picture
        assert ticket.qr_codes == [sample().qr_content(TicketOptions())]
    else:  # TM-U220, "simple": the QR code drawn too
        assert len(ticket.images) == 5 and not ticket.qr_codes
    cuts = chosen.supports("paperFullCut") or chosen.supports("paperPartCut")
    assert (ticket.kinds[-1] == "cut") == cuts


def test_arabic_prints_its_lines_as_pictures_the_rest_as_text_and_a_real_qr(printer) -> None:
    job, ticket, _ = printed(printer, "ar", delay_reason="Staff training", delay_minutes=30)
    # what a code page can print stays text: the number, the date, names, the footer
    for words in ("Sefton Council", "Bootle One Stop Shop", "C023", "01/07/2026 10:05"):
        assert words in ticket.lines
    assert "Thank you for visiting Sefton Council." in ticket.lines
    # your number, service, ahead, wait, delay, scan: pictures, the printer's full width
    assert [image.size[0] for image in ticket.images] == [576] * 6
    assert all(image.mode == "1" and image.size[1] < 80 for image in ticket.images)
    assert ticket.qr_codes == ["https://www.sefton.gov.uk/feedback?ticket=bootle-20260701-C023"]
    assert ticket.kinds[-4:] == ["image", "qr", "text", "cut"]  # scan label, QR, footer
    assert len(job) < 20_000  # was about 57 KB as one bitmap with the QR inside


def test_a_180_dpi_printer_gets_pictures_its_own_width(printer) -> None:
    _job, ticket, _ = printed(printer, "ar", "TM-T88V")
    assert {image.size[0] for image in ticket.images} == {512}  # 72 mm at 180 dpi


def test_narrow_paper_gets_narrow_pictures(printer) -> None:
    _job, ticket, _ = printed(printer, "ar", paper_mm=58)
    assert {image.size[0] for image in ticket.images} == {384}


def test_pictures_print_without_python_escpos_complaining(printer, capfd) -> None:
    printed(printer, "ar")  # the generic profile has no media width of its own
    out, err = capfd.readouterr()
    assert "media.width" not in out + err


def test_the_scan_label_sits_above_the_qr_code(printer) -> None:
    _job, ticket, _ = printed(printer, "en")
    before_qr = ticket.blocks[[kind for kind, _ in ticket.blocks].index("qr") - 1]
    assert before_qr[1].strip().endswith("Scan to tell us how we did")


def ink_columns(image) -> list[int]:
    """x of every column with ink."""
    inverted = ImageOps.invert(image.convert("L"))
    return [x for x in range(image.width) if inverted.crop((x, 0, x + 1, image.height)).getbbox()]


def clusters(columns: list[int], gap: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for x in columns:
        if runs and x - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return runs


def test_each_line_takes_its_own_direction() -> None:
    assert right_to_left("عدد الأشخاص قبلك: 3")
    assert not right_to_left("01/07/2026  10:05")  # no letters: left to right
    assert not right_to_left("Thank you for visiting. Please keep this ticket.")
    assert right_to_left("نحن أكثر انشغالاً من المعتاد: Staff training")


def test_on_an_arabic_ticket_the_date_comes_before_the_time() -> None:
    from shared.qt.ticket_image import line_picture

    picture = line_picture("body", "01/07/2026  10:05", 576)
    first, second = clusters(ink_columns(picture), gap=12)  # split at the double space
    assert first[1] - first[0] > 1.6 * (second[1] - second[0])  # 01/07/2026, then 10:05


def test_the_preview_ends_the_english_footer_with_its_full_stop() -> None:
    from shared.qt.ticket_image import save_ticket_png

    site = site_with()
    labels = ticket_labels(site, "ar")
    path = save_ticket_png(
        _service_in(sample(), site, labels), site.tickets, SHOTS / "preview-ar.png", labels=labels
    )
    image = ImageOps.invert(Image.open(path).convert("L"))
    rows = [y for y in range(image.height) if image.crop((0, y, image.width, y + 1)).getbbox()]
    bottom = rows[-1]
    top = bottom
    while top - 1 in rows:
        top -= 1  # the footer's last line: "until you are called."
    band = image.crop((0, top, image.width, bottom + 1))
    right = band.getbbox()[2]
    stop = band.crop((right - 4, 0, right, band.height)).getbbox()
    assert stop[1] > band.height * 0.6  # only low ink at the right end: a full stop


def test_an_unknown_printer_profile_is_explained_not_raised() -> None:
    site = site_with("TM-T99")
    outcome = print_ticket(site, sample(), "tcp://127.0.0.1:1")
    assert not outcome.printed and "unknown printer profile 'TM-T99'" in outcome.error


def test_every_encodable_text_is_printed_as_text() -> None:
    data = ticket_bytes(sample(), TicketOptions(), profile="TM-T88III")
    assert b"\x1dv0" not in data  # English needs no pictures even on an old printer


def onestop(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ONESTOP, *args], capture_output=True, text=True, timeout=60)


def test_reprint_in_the_visitors_language(printer, sqlite_url) -> None:
    spec = f"tcp://127.0.0.1:{printer.port}"
    made = onestop("checkin", "--site", "bootle", "--service", "council-tax", "--db", sqlite_url)
    assert made.returncode == 0, made.stderr
    again = onestop(
        "reprint", "C001", "--site", "bootle", "--printer", spec, "--language", "pl",
        "--db", sqlite_url, "--json",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert printer.received.wait(5)
    lines = read(printer.jobs[0]).lines
    assert "Twój numer" in lines and "Podatek lokalny (Council Tax)" in lines


def test_reprint_in_a_language_we_do_not_have_is_refused_without_an_alert(
    printer, sqlite_url
) -> None:
    spec = f"tcp://127.0.0.1:{printer.port}"
    onestop("checkin", "--site", "bootle", "--service", "council-tax", "--db", sqlite_url)
    refused = onestop(
        "reprint", "C001", "--site", "bootle", "--printer", spec, "--language", "xx",
        "--db", sqlite_url,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "no ticket translation for 'xx' (there are: en, ar, pl)" in refused.stderr
    alerts = onestop("alerts", "--site", "bootle", "--db", sqlite_url, "--json")
    assert json.loads(alerts.stdout)["alerts"] == [] and printer.jobs == []
