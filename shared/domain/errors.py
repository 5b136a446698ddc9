"""Errors the domain raises. Each message is written for the member of staff who sees it."""


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
