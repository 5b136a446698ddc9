"""Staff and desks: PINs (scrypt), signing in at a desk, breaks, closing.

A PIN is never stored: only its scrypt hash with a random salt. Signing in at a
desk opens a desk session that reception sees ("Desk 4: Jo, serving C023 for 6
minutes"); a break or closing is recorded with its time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from shared.domain import DomainError, State
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import session_t, staff_t, visit_t

ROLES = ("receptionist", "csa", "supervisor", "admin")
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_pin(pin: str) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise DomainError("a PIN is 4 to 8 digits")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), dklen=32, **SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass(frozen=True)
class DeskState:
    desk: str
    staff_name: str
    status: str
    signed_in_at: datetime
    status_since: datetime


class Staff:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, site: str, name: str, pin: str, role: str = "csa") -> None:
        if role not in ROLES:
            raise DomainError(f"role must be one of {', '.join(ROLES)}")
        if not name.strip():
            raise DomainError("a member of staff needs a name")
        hashed = hash_pin(pin)
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            exists = tx.conn.execute(
                select(staff_t.c.id).where(
                    staff_t.c.site_id == ref.id, staff_t.c.name == name.strip()
                )
            ).first()
            values = {"role": role, "pin_hash": hashed}
            if exists:
                tx.conn.execute(update(staff_t).where(staff_t.c.id == exists.id).values(**values))
            else:
                tx.conn.execute(
                    insert(staff_t).values(
                        site_id=ref.id, name=name.strip(), created_at=tx.now, **values
                    )
                )

    def check(self, site: str, name: str, pin: str) -> str:
        """The member's role when the PIN is right; DomainError otherwise (same message)."""
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            row = tx.conn.execute(
                select(staff_t).where(staff_t.c.site_id == ref.id, staff_t.c.name == name.strip())
            ).first()
        if row is None or not pin_matches(pin, row.pin_hash):
            raise DomainError("that name and PIN do not match")
        return str(row.role)

    def sign_in(self, site: str, desk: str, name: str, pin: str) -> DeskState:
        self.check(site, name, pin)
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            desk_name = ref.site.desk(desk).name
            tx.conn.execute(
                update(session_t)
                .where(
                    session_t.c.site_id == ref.id,
                    session_t.c.desk == desk_name,
                    session_t.c.signed_out_at.is_(None),
                )
                .values(signed_out_at=tx.now, status="closed", status_since=tx.now)
            )
            tx.conn.execute(
                insert(session_t).values(
                    site_id=ref.id,
                    desk=desk_name,
                    staff_name=name.strip(),
                    status="open",
                    signed_in_at=tx.now,
                    status_since=tx.now,
                )
            )
            repo.changed(tx, ref)
            return DeskState(desk_name, name.strip(), "open", tx.now, tx.now)

    def set_status(self, site: str, desk: str, status: str) -> None:
        """open, break, or closed (closing signs the member out).

        Not with a visitor at the desk: a break or closing waits until the visitor
        called or being served is finished, transferred, parked or a no-show; and
        closing waits until the desk's parked visitors are resumed, returned to the
        queue or transferred (nobody would ever call them back).
        """
        if status not in ("open", "break", "closed"):
            raise DomainError("a desk is open, on a break, or closed")
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            desk_name = ref.site.desk(desk).name
            if status != "open":
                self._refuse_with_visitors(tx, ref, desk_name, status)
            values = {"status": status, "status_since": tx.now}
            if status == "closed":
                values["signed_out_at"] = tx.now
            tx.conn.execute(
                update(session_t)
                .where(
                    session_t.c.site_id == ref.id,
                    session_t.c.desk == desk_name,
                    session_t.c.signed_out_at.is_(None),
                )
                .values(**values)
            )
            repo.changed(tx, ref)

    @staticmethod
    def _refuse_with_visitors(tx: Tx, ref: repo.SiteRef, desk: str, status: str) -> None:
        doing = "closing the desk" if status == "closed" else "a break"
        busy = repo.desk_visit(tx, ref, desk, [State.CALLED, State.SERVING])
        if busy is not None:
            raise DomainError(
                f"{desk} is still dealing with {busy.ticket} ({busy.state.value}): "
                f"finish, transfer, park or mark it a no-show before {doing}"
            )
        if status != "closed":
            return
        parked = tx.conn.execute(
            select(visit_t.c.ticket)
            .where(
                visit_t.c.site_id == ref.id,
                visit_t.c.desk == desk,
                visit_t.c.state == State.PARKED.value,
            )
            .order_by(visit_t.c.ticket)
        ).scalars()
        tickets = ", ".join(parked)
        if tickets:
            raise DomainError(
                f"{desk} has parked visitors ({tickets}): resume them, return them to the "
                "queue or transfer them before closing the desk"
            )

    def desks(self, site: str) -> list[DeskState]:
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            rows = tx.conn.execute(
                select(session_t)
                .where(session_t.c.site_id == ref.id, session_t.c.signed_out_at.is_(None))
                .order_by(session_t.c.desk)
            ).all()
        return [
            DeskState(r.desk, r.staff_name, r.status, r.signed_in_at, r.status_since) for r in rows
        ]
