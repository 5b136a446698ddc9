"""A database with a morning in it: the state that bad input must leave alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shared.domain import Outcome
from shared.notices import Notices
from shared.office import Office
from shared.staff import Staff
from shared.store import Database


@dataclass
class World:
    url: str
    tickets: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    _office: Office | None = None

    @property
    def office(self) -> Office:
        """One Office (one engine) for all of a module's examples."""
        if self._office is None:
            self._office = Office(Database(self.url))
        return self._office

    def close(self) -> None:
        if self._office is not None:
            self._office.db.dispose()
            self._office = None


def populate(url: str) -> World:
    """Both shipped sites, visits in every state, appointments today and tomorrow,
    a member of staff, a delay notice and an alert."""
    db = Database(url)
    office = Office(db)
    office.ensure_default_sites()
    world = World(url)
    services = ["council-tax", "elas", "housing-benefit", "parking", "payments", "council-tax"]
    for service in services:
        world.tickets.append(office.checkin("bootle", service).ticket)
    office.checkin("southport", "blue-badges", priority=True, flags={"interpreter": "Polish"})
    office.greet("bootle", world.tickets[0])
    office.call_next("bootle", "Desk 1")
    office.start("bootle", desk="Desk 1")
    office.finish("bootle", Outcome.parse("resolved", ""), desk="Desk 1")
    office.call_next("bootle", "Interview Room 1")
    office.leave("bootle", world.tickets[3])
    now = datetime.now(UTC)
    for at in (now + timedelta(minutes=30), now + timedelta(days=1)):
        world.refs.append(office.add_appointment("bootle", "housing", at)["ref"])
    world.refs.append(office.add_appointment("bootle", "parking", now, "BOO-FUZZ01")["ref"])
    office.cancel_appointment("bootle", "BOO-FUZZ01")
    Staff(db).add("bootle", "Pat Example", "4821", "supervisor")
    notices = Notices(db)
    notices.set_delay("bootle", "a desk is closed", 20)
    notices.raise_alert("bootle", "help", "Kiosk 1", "A visitor asked for help")
    db.dispose()
    return world
