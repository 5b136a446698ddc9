"""The tables. One class per concept; constraints declared once, here.

Changing a table means writing an Alembic migration (shared/store/migrations);
a test compares these classes with the migrated schema on both databases.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from .db import UTCDateTime

WAITING_SQL = "state IN ('checked_in', 'greeted')"
WITH_DESK_SQL = "state IN ('called', 'serving', 'parked')"


def _time(nullable: bool = True, index: bool = False) -> Field:  # type: ignore[valid-type]
    return Field(default=None, sa_column=Column(UTCDateTime, nullable=nullable, index=index))


class SiteRow(SQLModel, table=True):
    """A One Stop Shop; its full configuration (TOML) travels with it."""

    __tablename__ = "site"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    config: str = Field(sa_column=Column(Text, nullable=False))
    # Bumped by every change on SQLite, where subscribers poll it.
    version: int = Field(default=0)
    loaded_at: datetime | None = _time()


class TicketCounter(SQLModel, table=True):
    """The last ticket number handed out per site, local day and letter."""

    __tablename__ = "ticket_counter"

    site_id: int = Field(foreign_key="site.id", primary_key=True)
    day: date = Field(primary_key=True)
    letter: str = Field(max_length=1, primary_key=True)
    last: int = Field(default=0)


class TicketBlock(SQLModel, table=True):
    """Numbers a kiosk keeps for a day and letter, to issue while the database is away.

    Blocks start far above the day's normal sequence (C901...), are taken atomically
    (the day's counter row is locked while one is carved out) and never overlap: no
    two kiosks, and no normal ticket, can ever get the same number.
    """

    __tablename__ = "ticket_block"
    __table_args__ = (
        UniqueConstraint("site_id", "day", "letter", "first_number", name="uq_ticket_block"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id")
    day: date
    letter: str = Field(max_length=1)
    first_number: int
    last_number: int
    kiosk: str = Field(max_length=60)  # the kiosk's name, as staff screens show it
    holder: str = Field(max_length=40)  # the kiosk's outbox (one per PC, kiosk and database)
    reserved_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class QueueCount(SQLModel, table=True):
    """How many are waiting per site, service and queue class (kept with every change)."""

    __tablename__ = "queue_count"

    site_id: int = Field(foreign_key="site.id", primary_key=True)
    service: str = Field(max_length=40, primary_key=True)
    rank_class: int = Field(primary_key=True)
    waiting: int = Field(default=0)


class AppointmentRow(SQLModel, table=True):
    __tablename__ = "appointment"
    __table_args__ = (UniqueConstraint("site_id", "ref", name="uq_appointment_site_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    ref: str = Field(max_length=40)
    service: str = Field(max_length=40)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    status: str = Field(default="booked", max_length=20)  # booked | arrived | cancelled
    visit_id: int | None = Field(default=None)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class VisitRow(SQLModel, table=True):
    """A visitor's journey. rank_* mirror the queue policy so SQL can pick the next."""

    __tablename__ = "visit"
    __table_args__ = (
        UniqueConstraint("site_id", "ticket_day", "ticket", name="uq_visit_ticket_per_day"),
        Index(
            "ix_visit_waiting",
            "site_id",
            "service",
            "rank_class",
            "rank_at",
            "arrived_at",
            "id",
            sqlite_where=text(WAITING_SQL),
            postgresql_where=text(WAITING_SQL),
        ),
        Index("ix_visit_site_arrived", "site_id", "arrived_at"),
        Index("ix_visit_site_day", "site_id", "ticket_day"),
        Index(
            "ix_visit_site_desk_active",
            "site_id",
            "desk",
            sqlite_where=text(WITH_DESK_SQL),
            postgresql_where=text(WITH_DESK_SQL),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id")
    service: str = Field(max_length=40)
    ticket: str = Field(max_length=8)
    ticket_day: date
    state: str = Field(max_length=20)
    priority: bool = Field(default=False)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    appointment_at: datetime | None = _time()
    flags: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    arrived_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    greeted_at: datetime | None = _time()
    first_called_at: datetime | None = _time()
    called_at: datetime | None = _time()
    call_count: int = Field(default=0)
    serving_at: datetime | None = _time()
    parked_at: datetime | None = _time()
    ended_at: datetime | None = _time()
    desk: str | None = Field(default=None, max_length=60)
    assigned_desk: str | None = Field(default=None, max_length=60)
    transfers: int = Field(default=0)
    outcome: str | None = Field(default=None, max_length=30)
    outcome_detail: str | None = Field(default=None, max_length=500)
    rank_class: int = Field(default=0)
    rank_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    callable_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # The site's local hour of arrival (0-23), kept so reports group by hour in SQL on
    # every database (SQLite has no time zones).
    arrived_hour: int | None = Field(default=None)


class VisitEvent(SQLModel, table=True):
    """Every step of every visit, with its time: the audit trail of the queue."""

    __tablename__ = "visit_event"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    site_id: int = Field(foreign_key="site.id")
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    action: str = Field(max_length=30)
    state: str = Field(max_length=20)
    desk: str | None = Field(default=None, max_length=60)
    detail: str | None = Field(default=None, max_length=500)
    # Who did it: the member of staff signed in where it was done (a desk's CSA,
    # reception's receptionist), None for the kiosk and unsigned commands.
    staff_name: str | None = Field(default=None, max_length=100)


visit_t = VisitRow.__table__  # type: ignore[attr-defined]
site_t = SiteRow.__table__  # type: ignore[attr-defined]
counter_t = TicketCounter.__table__  # type: ignore[attr-defined]
count_t = QueueCount.__table__  # type: ignore[attr-defined]
block_t = TicketBlock.__table__  # type: ignore[attr-defined]
appointment_t = AppointmentRow.__table__  # type: ignore[attr-defined]
event_t = VisitEvent.__table__  # type: ignore[attr-defined]


class SiteNotice(SQLModel, table=True):
    """What reception has told visitors: a delay notice, or the office closed."""

    __tablename__ = "site_notice"

    site_id: int = Field(foreign_key="site.id", primary_key=True)
    delay_reason: str | None = Field(default=None, max_length=300)
    delay_minutes: int | None = Field(default=None)
    closed: bool = Field(default=False)
    closed_message: str | None = Field(default=None, max_length=300)
    updated_at: datetime | None = _time()


class Alert(SQLModel, table=True):
    """Something staff must see: help asked for, a printer down, a safety alarm."""

    __tablename__ = "alert"

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    kind: str = Field(max_length=30)  # help | printer | safety | ...
    source: str = Field(max_length=60)  # the kiosk or desk that raised it
    detail: str | None = Field(default=None, max_length=300)
    raised_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    resolved_at: datetime | None = _time()


class SurveyResponse(SQLModel, table=True):
    """The exit survey: four questions and a comment; linked to a visit only if scanned."""

    __tablename__ = "survey_response"

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    answered_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    resolved: bool | None = Field(default=None)
    csa: int | None = Field(default=None)  # 5 very satisfied .. 1 very dissatisfied
    overall: int | None = Field(default=None)
    fair: bool | None = Field(default=None)
    comment: str | None = Field(default=None, max_length=2000)
    language: str = Field(default="en", max_length=8)


notice_t = SiteNotice.__table__  # type: ignore[attr-defined]
alert_t = Alert.__table__  # type: ignore[attr-defined]
survey_t = SurveyResponse.__table__  # type: ignore[attr-defined]


class StaffMember(SQLModel, table=True):
    """A member of staff who signs in at a desk or reception (PIN kept as a scrypt hash)."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("site_id", "name", name="uq_staff_site_name"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id")
    name: str = Field(max_length=100)
    role: str = Field(default="csa", max_length=20)  # receptionist | csa | supervisor | admin
    pin_hash: str = Field(max_length=200)  # never readable by the apps' logins on PostgreSQL
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    failed_pins: int = Field(default=0)  # wrong PINs in a row (any PC), reset by a right one
    locked_until: datetime | None = _time()  # after too many: no sign-in until then
    left_at: datetime | None = _time()  # a leaver: never signs in again, the name stays


class DeskSession(SQLModel, table=True):
    """Who is signed in at which desk, and whether the desk is open, on a break or closed."""

    __tablename__ = "desk_session"

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    desk: str = Field(max_length=60)
    staff_name: str = Field(max_length=100)
    status: str = Field(default="open", max_length=20)  # open | break | closed
    signed_in_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status_since: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    signed_out_at: datetime | None = _time()


staff_t = StaffMember.__table__  # type: ignore[attr-defined]
session_t = DeskSession.__table__  # type: ignore[attr-defined]


class StaffLogin(SQLModel, table=True):
    """A member of staff signed in somewhere (reception, a desk, a command, the Supervisor
    tab): the proof the core asks for before a supervisor-only function. The app keeps
    the token; the database keeps only its SHA-256, so a copy of the table signs no one in.
    """

    __tablename__ = "staff_login"

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id")
    staff_id: int = Field(foreign_key="staff.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    place: str = Field(max_length=60)  # "Reception", "Desk 3", "onestop command"
    signed_in_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    signed_out_at: datetime | None = _time()


class AuditEvent(SQLModel, table=True):
    """Who did what and when, beyond the steps of visits (those are visit_event, with
    their staff_name): sign-ins and outs, wrong PINs and lock-outs, staff accounts,
    notices, alarms, purges, reports run, settings loaded, the audit trail read.

    `detail` is what the system knows (a role, counts, a period); `note` is free text a
    person typed (a delay notice's reason, a name typed at a refused sign-in), the only
    part the data-protection purge clears. Who and when are never removed.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_site_at", "site_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id")
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    action: str = Field(max_length=40)
    staff_name: str | None = Field(default=None, max_length=100)
    role: str | None = Field(default=None, max_length=20)
    place: str | None = Field(default=None, max_length=60)
    ticket: str | None = Field(default=None, max_length=8)
    detail: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=500)


class DailyPurge(SQLModel, table=True):
    """The day each site's automatic data-protection purge last ran (once a day, by
    whichever staff app gets there first)."""

    __tablename__ = "daily_purge"

    site_id: int = Field(foreign_key="site.id", primary_key=True)
    day: date
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


login_t = StaffLogin.__table__  # type: ignore[attr-defined]
audit_t = AuditEvent.__table__  # type: ignore[attr-defined]
purge_t = DailyPurge.__table__  # type: ignore[attr-defined]
