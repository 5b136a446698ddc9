"""From a check-in to a printed (or previewed) ticket: the one path the kiosk, reception
and `onestop checkin --print` / `onestop reprint` all take."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from shared.devices.printer import (
    PrinterError,
    PrinterSpec,
    TicketPrinter,
    lines_to_draw,
    paper_dots,
    printer_profile,
)
from shared.devices.ticket import LABELS_EN, Ticket
from shared.domain import DomainError, Site
from shared.domain.estimate import estimate_wait_minutes
from shared.notices import Notice
from shared.office import CheckinResult, Office
from shared.waits import told_minutes


def build_ticket(
    site: Site,
    *,
    ticket: str,
    service: str,
    issued_at: datetime,
    ahead: int,
    estimated_wait_minutes: int,
    appointment_at: datetime | None = None,
    notice: Notice | None = None,
) -> Ticket:
    notice = notice or Notice()
    return Ticket(
        council=site.council,
        site_name=site.name,
        site_code=site.code,
        ticket=ticket,
        service_name=site.service(service).name,
        issued_at=issued_at,
        timezone=site.timezone,
        ahead=ahead,
        estimated_wait_minutes=estimated_wait_minutes,
        serve_target_minutes=site.targets.serve_minutes,
        appointment_at=appointment_at,
        delay_reason=notice.delay_reason,
        delay_minutes=notice.delay_minutes,
    )


def ticket_for_checkin(site: Site, result: CheckinResult, notice: Notice | None = None) -> Ticket:
    return build_ticket(
        site,
        ticket=result.ticket,
        service=result.service,
        issued_at=datetime.fromisoformat(result.arrived_at),
        ahead=result.ahead,
        estimated_wait_minutes=result.estimated_wait_minutes,
        appointment_at=datetime.fromisoformat(result.appointment_at)
        if result.appointment_at
        else None,
        notice=notice,
    )


def ticket_for_reprint(
    office: Office, site: str, ticket: str, notice: Notice | None = None
) -> Ticket:
    """Today's ticket again, with how many are ahead of it now."""
    chosen = office.site(site)
    visit = office.visit(site, ticket)
    waiting = office.waiting(site)
    related = set().union(*(d.services for d in chosen.desks if d.serves(visit.service)))
    ahead = 0
    for other in waiting:
        if other.visit_id == visit.id:
            break
        if other.service in related:
            ahead += 1
    desks = sum(1 for d in chosen.desks if d.serves(visit.service))
    estimate = estimate_wait_minutes(
        ahead if visit.waiting else 0, desks, chosen.service(visit.service).mean_service_minutes
    )
    predicted = office.waits.for_visit(site, visit.id or 0) if visit.waiting else None
    if predicted is not None:  # the wait as it stands now, as a new ticket would tell it
        estimate = told_minutes(predicted)
    return build_ticket(
        chosen,
        ticket=visit.ticket,
        service=visit.service,
        issued_at=visit.arrived_at,
        ahead=ahead if visit.waiting else 0,
        estimated_wait_minutes=estimate,
        appointment_at=visit.appointment_at,
        notice=notice,
    )


@dataclass(frozen=True)
class PrintOutcome:
    printed: bool
    printer: str
    bytes_sent: int = 0
    preview: str | None = None  # the PNG, for the preview printer
    error: str | None = None
    out_of_paper: bool = False
    warning: str | None = None  # printed, but staff should know (paper running low)


def print_ticket(
    site: Site,
    ticket: Ticket,
    printer: str | None = None,
    *,
    labels: dict[str, str] | None = None,
    preview_dir: Path | None = None,
    language: str = "en",
) -> PrintOutcome:
    """Print on the site's (or the given) printer; never raises for a printer fault.

    Without `labels`, the ticket's words (and its service's name) are looked up in
    `language`'s translation. Lines the printer's code pages cannot print (Arabic;
    Polish on a printer without CP852) are drawn and printed as pictures.
    """
    spec_text = printer or site.tickets.printer
    if labels is None and language != "en":
        labels = ticket_labels(site, language)  # a language we do not have: DomainError
        ticket = _service_in(ticket, site, labels)
    try:
        spec = PrinterSpec.parse(spec_text)
        if spec.transport == "preview":
            from shared.qt.ticket_image import save_ticket_png

            folder = preview_dir or _preview_dir()
            path = save_ticket_png(
                ticket,
                site.tickets,
                folder / f"{ticket.code}.png",
                labels=labels,
                language=language,
            )
            return PrintOutcome(True, "preview", preview=str(path))
        profile = site.tickets.profile or None
        device = TicketPrinter(
            spec, site.tickets, profile=profile, ask_status=site.tickets.ask_status
        )
        pictures = None
        if drawn := lines_to_draw(ticket, site.tickets, labels, profile):
            from shared.qt.ticket_image import line_pictures

            dots, per_mm = paper_dots(printer_profile(profile, site.tickets), site.tickets)
            pictures = line_pictures(drawn, dots, per_mm)
        done = device.print_ticket(ticket, labels, pictures)
        return PrintOutcome(True, spec_text, bytes_sent=len(done.sent), warning=done.status.warning)
    except PrinterError as error:
        return PrintOutcome(False, spec_text, error=str(error), out_of_paper=error.out_of_paper)


def ticket_labels(site: Site, language: str) -> dict[str, str]:
    """The ticket's words in a language, from the kiosk's Qt Linguist translation
    (the same words the kiosk prints); services under `service:CODE`."""
    from PySide6.QtCore import QTranslator

    from kiosk.i18n import TRANSLATIONS, compiled

    source = compiled(language) if language.isalpha() else None
    translator = QTranslator()
    if source is None or not translator.load(str(source)):
        have = ", ".join(["en", *sorted(p.stem[8:] for p in TRANSLATIONS.glob("onestop_*.ts"))])
        raise DomainError(f"no ticket translation for {language!r} (there are: {have})")

    def say(text: str) -> str:
        return translator.translate("Kiosk", text) or text

    words = {key: say(text) for key, text in LABELS_EN.items()}
    return words | {f"service:{s.code}": say(s.name) for s in site.services}


def _service_in(ticket: Ticket, site: Site, labels: dict[str, str]) -> Ticket:
    for service in site.services:
        if service.name == ticket.service_name:
            name = labels.get(f"service:{service.code}", service.name)
            return replace(ticket, service_name=name)
    return ticket


def _preview_dir() -> Path:
    from shared.store.db import data_dir

    folder = data_dir() / "tickets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
