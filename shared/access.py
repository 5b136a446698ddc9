"""Who is acting, and whether they may: the core's check for supervisor-only functions.

A member of staff who signs in with their name and PIN (shared/staff.py) gets an
`Actor`: their name and role, where they signed in, and a secret token whose
SHA-256 the database keeps with the sign-in (staff_login). Every supervisor-only
function takes the actor as `by=` and checks it here against the database, in the
function's own transaction: the sign-in must still be open (not signed out, not
expired), the account not a leaver, and its role *now* (a demotion counts at once)
one the function is for.

Supervisor-only: reports, the audit trail, site settings, staff accounts, purges on
demand, leaving a kiosk. A supervisor may do them at their own site, an admin at
every site. Reports are figures without personal data: any supervisor may run them
for any site or all sites.

A site nobody has made a supervisor or admin account for yet (a new installation),
where no admin exists either, is open: its supervisor-only functions work without
`by` until the first such account is added (`onestop staff add --role supervisor`),
as the kiosk's site-file PIN works until then. From that moment they need `by`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from shared.domain import NotAllowed, NotSignedIn
from shared.store import repository as repo
from shared.store.db import Tx
from shared.store.tables import login_t, site_t, staff_t

ROLES = ("receptionist", "csa", "supervisor", "admin")
SUPERVISORS = ("supervisor", "admin")


@dataclass(frozen=True)
class Actor:
    """A member of staff signed in somewhere. `token` is the proof: keep it in memory only."""

    site: str
    name: str
    role: str
    place: str
    token: str = ""
    staff_id: int = 0
    expires_at: datetime | None = None

    def __repr__(self) -> str:  # never the token, in a log or a traceback
        return f"Actor({self.name!r}, {self.role}, {self.site}, {self.place!r})"

    @property
    def supervises(self) -> bool:
        return self.role in SUPERVISORS


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Checked:
    """The sign-in as the database has it now."""

    name: str
    role: str
    site_id: int
    site: str
    staff_id: int
    place: str


def verify(tx: Tx, actor: Actor) -> Checked:
    """The actor's sign-in, if it is still open; NotSignedIn otherwise."""
    if not actor.token:
        raise NotSignedIn(f"{actor.name} has not signed in here: sign in with your name and PIN")
    row = tx.conn.execute(
        select(
            staff_t.c.id,
            staff_t.c.name,
            staff_t.c.role,
            staff_t.c.left_at,
            login_t.c.site_id,
            login_t.c.place,
            login_t.c.expires_at,
            login_t.c.signed_out_at,
            site_t.c.code,
        )
        .join(staff_t, staff_t.c.id == login_t.c.staff_id)
        .join(site_t, site_t.c.id == staff_t.c.site_id)
        .where(login_t.c.token_hash == token_hash(actor.token))
    ).first()
    if row is None:
        raise NotSignedIn(f"{actor.name} is not signed in: sign in with your name and PIN")
    if row.signed_out_at is not None:
        raise NotSignedIn(f"{row.name} has signed out: sign in again")
    if row.expires_at <= tx.now:
        raise NotSignedIn(f"{row.name}'s sign-in has run out: sign in again")
    if row.left_at is not None:
        raise NotSignedIn(f"{row.name}'s account is closed")
    return Checked(row.name, row.role, row.site_id, row.code, row.id, row.place)


def protected(tx: Tx, ref: repo.SiteRef) -> bool:
    """Whether the site's supervisor-only functions need a supervisor signed in: it, or
    the council, has a supervisor or admin account."""
    count = tx.conn.execute(
        select(func.count())
        .select_from(staff_t)
        .where(
            staff_t.c.left_at.is_(None),
            or_(
                staff_t.c.role == "admin",
                (staff_t.c.role == "supervisor") & (staff_t.c.site_id == ref.id),
            ),
        )
    ).scalar_one()
    return bool(count)


def authorise(
    tx: Tx, by: Actor | None, ref: repo.SiteRef, what: str, *, any_site: bool = False
) -> Checked | None:
    """Refuse (NotAllowed, NotSignedIn) unless `by` may do `what` at the site. `what`
    names the function for the message ("the audit trail"); `any_site`: a supervisor
    of another site may (reports). None: the site is open (nobody to ask yet)."""
    if by is None:
        if protected(tx, ref):
            raise NotAllowed(
                f"{what} is for supervisors: sign in as one (at the console's Supervisor "
                "tab; with the onestop command, --as NAME)"
            )
        return None
    checked = verify(tx, by)
    if checked.role not in SUPERVISORS:
        raise NotAllowed(f"{what} is for supervisors: {checked.name} is a {checked.role}")
    if checked.role != "admin" and checked.site_id != ref.id and not any_site:
        raise NotAllowed(
            f"{what} at {ref.site.name} is for its supervisors: {checked.name} supervises "
            f"at {checked.site}"
        )
    return checked


def who(tx: Tx, by: Actor | None) -> Checked | None:
    """The actor's sign-in (for recording who did something), None when nobody signed in."""
    return None if by is None else verify(tx, by)
