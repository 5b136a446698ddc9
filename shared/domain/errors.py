"""Errors the domain raises. Each message is written for the member of staff who sees it."""

QUOTED = 60  # characters of what someone typed or sent that a message repeats


def quoted(value: str, limit: int = QUOTED) -> str:
    """What someone typed, scanned or sent, as a message repeats it: repr() escapes control
    characters and text-reversing marks (no terminal or screen is garbled by them), and a
    long value is cut short, so a message stays a line however much was pasted."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


class DomainError(Exception):
    """A rule of the One Stop Shop was broken; nothing was changed."""


class IllegalTransition(DomainError):
    """A visit was asked to move to a state it cannot reach from where it is."""

    def __init__(self, ticket: str, state: str, action: str) -> None:
        self.ticket = ticket
        self.state = state
        self.action = action
        super().__init__(f"ticket {ticket} is {state.replace('_', ' ')}: it cannot be {action}")


class NotFound(DomainError):
    """The visit, appointment, site or desk asked for does not exist."""


class NotAllowed(DomainError):
    """The member of staff asking (or nobody signed in) may not do this: their role,
    or their site, is not one this function is for."""


class SignInRefused(DomainError):
    """A name and PIN that do not match, or an account that may not sign in now."""


class LockedOut(SignInRefused):
    """Too many wrong PINs in a row: the account waits until `until` (or a supervisor)."""

    def __init__(self, message: str, until: object = None) -> None:
        super().__init__(message)
        self.until = until


class NotSignedIn(DomainError):
    """A sign-in that has ended (signed out, expired, or never made here)."""
