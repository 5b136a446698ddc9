"""What a barcode scanner or a visitor types: the kiosk's appointment reference and the
exit survey's ticket code, as any text at all (control characters, right-to-left,
emoji, 200,000 characters). A refusal or a found visit, never an exception, and the
database unchanged by a refusal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QEvent

from kiosk.presenter import KioskPresenter
from kiosk.survey import ticket_from_scan
from shared.domain import DomainError
from shared.domain.tickets import ticket_day
from tests.fuzz.checks import assert_clear, refused_unchanged
from tests.fuzz.nasty import around, fuzz_settings, nasty
from tests.fuzz.snapshot import differences, snapshot
from tests.fuzz.world import World

SCANNED_REF = st.one_of(
    nasty(surrogates=True),
    st.sampled_from(["BOO-FUZZ01", "boo-fuzz01", "BOO-", "-", "/", "BOO FUZZ 01"]).flatmap(around),
)


def _today() -> str:
    return ticket_day(datetime.now(UTC), "Europe/London").strftime("%Y%m%d")


def scanned_ticket() -> st.SearchStrategy[str]:
    codes = [
        f"https://www.sefton.gov.uk/feedback?ticket=bootle-{_today()}-C001",
        f"bootle-{_today()}-E001",
        f"southport-{_today()}-C001",
        "bootle-20200101-C001",
        f"bootle-{_today()}-C0000001",
        "c 1",
        "C001",
        "Z999",
    ]
    return st.one_of(nasty(surrogates=True), st.sampled_from(codes).flatmap(around))


@fuzz_settings(250)
@given(SCANNED_REF)
def test_checking_in_with_any_scanned_reference_is_refused_or_finds_the_booking(
    world: World, scanned: str
) -> None:
    error = refused_unchanged(
        world.url, lambda: world.office.checkin("bootle", appointment=scanned)
    )
    if error is not None:
        assert_clear(str(error))


@fuzz_settings(150)
@given(nasty(surrogates=True))
def test_the_kiosk_answers_any_scanned_reference_with_a_refusal(
    world: World, presenter: KioskPresenter, scanned: str
) -> None:
    said: list[tuple[str, str]] = []
    presenter.refused.connect(lambda kind, message: said.append((kind, message)))
    presenter.issued.connect(lambda result: said.append(("issued", str(result))))
    before = snapshot(world.url)
    presenter.check_in_appointment(scanned)  # what the window's Check in button calls
    assert len(said) == 1 and said[0][0] in ("not_found", "error"), said
    if said[0][1]:
        assert_clear(said[0][1])
    assert not differences(before, snapshot(world.url))


@pytest.fixture(scope="module")
def presenter(world: World, qapp, tmp_path_factory) -> Iterator[KioskPresenter]:  # type: ignore[no-untyped-def]
    from kiosk.outbox import Outbox

    outbox = Outbox(tmp_path_factory.mktemp("outbox") / "outbox.sqlite")
    made = KioskPresenter(
        world.office, "bootle", printer="preview", always_open=True, outbox=outbox
    )
    # Its link reserves ticket blocks for working offline, on its own thread, when it
    # starts: let that finish, so that the dumps compare only what the scan did.
    made.link_pool.waitForDone()
    qapp.processEvents()
    made.link_pool.waitForDone()
    yield made
    made.link_timer.stop()
    made.link_pool.waitForDone()
    made.pool.waitForDone()
    made.deleteLater()  # on this (the GUI) thread, timers and pools with it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@fuzz_settings(300)
@given(scanned_ticket())
def test_the_survey_reads_any_scanned_ticket_as_a_ticket_or_a_refusal(
    world: World, scanned: str
) -> None:
    try:
        ticket = ticket_from_scan(scanned, "bootle", _today())
    except DomainError as error:
        assert_clear(str(error))
        return
    assert re.fullmatch(r"[A-Z]\d{3,6}", ticket), ticket
    error = refused_unchanged(world.url, lambda: world.office.visit("bootle", ticket))
    if error is not None:
        assert_clear(str(error))
