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
