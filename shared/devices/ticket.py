"""What a ticket says: built from a check-in, never holding personal data.

The same `Ticket` is printed (ESC/POS), previewed (PNG) and read aloud; only
numbers, the service and times, never a name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from shared.domain.model import TicketOptions


@dataclass(frozen=True)
class Ticket:
    council: str
    site_name: str
    site_code: str
    ticket: str
    service_name: str
    issued_at: datetime
    timezone: str
    ahead: int | None  # None: not known (issued while the kiosk was offline)
    estimated_wait_minutes: int | None
    serve_target_minutes: int = 15
    appointment_at: datetime | None = None
    delay_reason: str | None = None
    delay_minutes: int | None = None

    @property
    def code(self) -> str:
        """The ticket's code: site, local day and number (unique; no personal data)."""
        local = self.issued_at.astimezone(ZoneInfo(self.timezone))
        return f"{self.site_code}-{local:%Y%m%d}-{self.ticket}"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.timezone))

    @property
    def delayed(self) -> bool:
        """The charter: explain the reason and give an estimate when there are delays."""
        wait = self.estimated_wait_minutes
        return bool(self.delay_reason) or (wait is not None and wait > self.serve_target_minutes)

    def qr_content(self, options: TicketOptions) -> str:
        return options.qr_url.replace("{code}", quote(self.code))


LABELS_EN = {
    "ahead": "People ahead of you: {n}",
    "wait": "Estimated wait: about {n} min",
    "appointment": "Your appointment: {time}",
    "delay": "We are busier than usual: {reason}",
    "delay_default": "We are busier than usual. Sorry for the wait.",
    "your_number": "Your number",
    "scan": "Scan to tell us how we did",
}


def ticket_lines(ticket: Ticket, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The ticket as (style, text) lines, in print order: the one layout every renderer uses.
    The QR code follows the last line (the "scan" label above it), then the footer.

    Styles: council, site, label, number, service, body, notice, scan (and small, the
    footer's).
    """
    words = {**LABELS_EN, **(labels or {})}
    issued = ticket.local(ticket.issued_at)
    lines = [
        ("council", ticket.council),
        ("site", ticket.site_name),
        ("label", words["your_number"]),
        ("number", ticket.ticket),
        ("service", ticket.service_name),
        ("body", f"{issued:%d/%m/%Y  %H:%M}"),
    ]
    if ticket.appointment_at is not None:
        lines.append(
            (
                "body",
                words["appointment"].format(time=f"{ticket.local(ticket.appointment_at):%H:%M}"),
            )
        )
    if ticket.ahead is not None:
        lines.append(("body", words["ahead"].format(n=ticket.ahead)))
    if ticket.estimated_wait_minutes is not None:  # an offline ticket tells no wait
        estimate = ticket.estimated_wait_minutes
        wait = ticket.delay_minutes if ticket.delay_minutes is not None else estimate
        lines.append(("body", words["wait"].format(n=max(wait, estimate))))
    if ticket.delayed:
        if ticket.delay_reason:
            lines.append(("notice", words["delay"].format(reason=ticket.delay_reason)))
        else:
            lines.append(("notice", words["delay_default"]))
    lines.append(("scan", words["scan"]))
    return lines


def right_to_left(text: str) -> bool:
    """Is the text's base direction right to left? Its first strong letter decides
    (Unicode's rule P2): an Arabic label is, a date, a number or an English footer is
    not, even on an Arabic ticket."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def has_right_to_left(text: str) -> bool:
    """Does any of it run right to left (letters a printer's code page cannot order)?"""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)
