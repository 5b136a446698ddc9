"""The One Stop Shop's rules, in the council's words. Standard library only."""

from .errors import (
    DomainError,
    IllegalTransition,
    LockedOut,
    NotAllowed,
    NotFound,
    NotSignedIn,
    SignInRefused,
    quoted,
)
from .model import Appointment, Desk, OpeningHours, Service, Site, Targets
from .policy import QueuePolicy, choose_next, policy_for, rank
from .visit import ENDED, WAITING, WITH_DESK, Outcome, OutcomeKind, State, Visit

__all__ = [
    "ENDED",
    "WAITING",
    "WITH_DESK",
    "Appointment",
    "Desk",
    "DomainError",
    "IllegalTransition",
    "LockedOut",
    "NotAllowed",
    "NotFound",
    "NotSignedIn",
    "OpeningHours",
    "Outcome",
    "OutcomeKind",
    "QueuePolicy",
    "Service",
    "SignInRefused",
    "Site",
    "State",
    "Targets",
    "Visit",
    "choose_next",
    "policy_for",
    "quoted",
    "rank",
]
