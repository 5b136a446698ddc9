"""A visit and its lifecycle.

    checked_in -> greeted -> called (recall: called again) -> serving -> finished
                     \\          |  \\-> no_show              |
                      \\         +-> parked <-----------------+
                       +-> left (walked out before being called)

A visit may be called without being greeted first: the call counts as the greeting
(DOMAIN.md, "Greeted"). A transfer sends a called, serving or parked visit back to the
queue for another service or desk; it keeps its original arrival time, so it does not
lose its place. Every transition takes the time it happened (the store passes the
database clock) and raises IllegalTransition when the visit cannot make it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .errors import DomainError, IllegalTransition, quoted


class State(StrEnum):
    CHECKED_IN = "checked_in"
    GREETED = "greeted"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    LEFT = "left"


WAITING = frozenset({State.CHECKED_IN, State.GREETED})
WITH_DESK = frozenset({State.CALLED, State.SERVING, State.PARKED})
ENDED = frozenset({State.FINISHED, State.NO_SHOW, State.LEFT})


class OutcomeKind(StrEnum):
    RESOLVED = "resolved"  # resolved at the first point of contact
    REFERRED = "referred"  # passed to a back office (detail: which)
    AVOIDABLE = "avoidable"  # avoidable contact (detail: the reason)
    DIGITAL_ASSISTANCE = "digital_assistance"  # helped to do it online
    NOT_RECORDED = "not_recorded"  # the desk called the next without recording one


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind in (OutcomeKind.REFERRED, OutcomeKind.AVOIDABLE) and not self.detail.strip():
            needs = "the back office" if self.kind is OutcomeKind.REFERRED else "the reason"
            raise DomainError(f"outcome {self.kind.value} needs {needs}")

    @classmethod
    def parse(cls, kind: str, detail: str = "") -> Outcome:
        wanted = kind.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(OutcomeKind(wanted), detail.strip())
        except ValueError:
            choices = ", ".join(k.value.replace("_", "-") for k in OutcomeKind)
            raise DomainError(f"unknown outcome {quoted(kind)} (choose from {choices})") from None


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise DomainError("times must carry their time zone")
    return moment


@dataclass
class Visit:
    """One visitor's journey through a One Stop Shop, from check-in to leaving."""

    site: str
    service: str
    ticket: str
    arrived_at: datetime
    id: int | None = None
    state: State = State.CHECKED_IN
    priority: bool = False
    appointment_ref: str | None = None
    appointment_at: datetime | None = None
    flags: dict[str, str] = field(default_factory=dict)
    greeted_at: datetime | None = None
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    call_count: int = 0
    serving_at: datetime | None = None
    parked_at: datetime | None = None
    ended_at: datetime | None = None
    desk: str | None = None  # the desk dealing with it (called, serving, parked)
    assigned_desk: str | None = None  # only this desk may call it (a transfer to a desk)
    transfers: int = 0
    outcome: Outcome | None = None

    def __post_init__(self) -> None:
        _aware(self.arrived_at)
        if self.appointment_at is not None:
            _aware(self.appointment_at)

    # -- questions ---------------------------------------------------------------

    @property
    def waiting(self) -> bool:
        return self.state in WAITING

    @property
    def is_appointment(self) -> bool:
        return self.appointment_at is not None

    # -- transitions -------------------------------------------------------------

    def _require(self, allowed: frozenset[State] | set[State], action: str) -> None:
        if self.state not in allowed:
            raise IllegalTransition(self.ticket, self.state.value, action)

    def greet(self, at: datetime) -> None:
        self._require({State.CHECKED_IN}, "greeted")
        self.greeted_at = _aware(at)
        self.state = State.GREETED

    def call(self, desk: str, at: datetime) -> None:
        """A desk calls the visitor (from the queue, or back from parked)."""
        self._require(WAITING | {State.PARKED}, "called")
        if self.assigned_desk is not None and self.assigned_desk != desk:
            raise DomainError(f"ticket {self.ticket} was transferred to {self.assigned_desk}")
        _aware(at)
        if self.greeted_at is None:
            self.greeted_at = at
        if self.first_called_at is None:
            self.first_called_at = at
        self.called_at = at
        self.call_count += 1
        self.desk = desk
        self.parked_at = None
        self.state = State.CALLED

    def recall(self, at: datetime) -> None:
        """Announce the call again (the visitor did not come forward)."""
        self._require({State.CALLED}, "recalled")
        self.called_at = _aware(at)
        self.call_count += 1

    def start(self, at: datetime) -> None:
        self._require({State.CALLED}, "started")
        self.serving_at = _aware(at)
        self.state = State.SERVING

    def finish(self, outcome: Outcome, at: datetime) -> None:
        self._require({State.SERVING}, "finished")
        self.ended_at = _aware(at)
        self.outcome = outcome
        self.state = State.FINISHED

    def close_unrecorded(self, at: datetime) -> None:
        """The desk called the next visitor while still holding this one.

        As on commercial counters, "Call next" ends the current visit: a visit never
        started counts as served from its call, and the outcome is "not recorded".
        """
        self._require({State.CALLED, State.SERVING}, "closed")
        _aware(at)
        if self.serving_at is None:
            self.serving_at = self.called_at
        self.outcome = Outcome(OutcomeKind.NOT_RECORDED)
        self.ended_at = _aware(at)
        self.state = State.FINISHED

    def no_show(self, at: datetime) -> None:
        self._require({State.CALLED}, "marked as a no-show")
        self.ended_at = _aware(at)
        self.state = State.NO_SHOW

    def leave(self, at: datetime) -> None:
        """The visitor walked out before being seen."""
        self._require(WAITING | {State.PARKED}, "marked as left")
        self.ended_at = _aware(at)
        self.state = State.LEFT

    def park(self, at: datetime) -> None:
        """Put aside by the desk (fetching documents, waiting for a call-back)."""
        self._require({State.CALLED, State.SERVING}, "parked")
        self.parked_at = _aware(at)
        self.state = State.PARKED

    def return_to_queue(self, at: datetime) -> None:
        """A parked visit goes back to the queue, keeping its arrival time."""
        self._require({State.PARKED}, "returned to the queue")
        _aware(at)
        self.parked_at = None
        self.desk = None
        self.state = State.GREETED

    def transfer(self, at: datetime, service: str | None = None, desk: str | None = None) -> None:
        """Send to another service and/or desk; the visit keeps its arrival time."""
        self._require(WITH_DESK, "transferred")
        if service is None and desk is None:
            raise DomainError("a transfer needs a service or a desk to go to")
        _aware(at)
        if service is not None:
            self.service = service
        self.assigned_desk = desk
        self.desk = None
        self.parked_at = None
        self.serving_at = None
        self.transfers += 1
        self.state = State.GREETED

    def change(self, service: str | None = None, priority: bool | None = None) -> None:
        """Reception corrects the service or the priority flag of a waiting visitor."""
        self._require(WAITING, "changed")
        if service is not None:
            self.service = service
        if priority is not None:
            self.priority = priority
