"""Staff: accounts with PINs (scrypt), signing in (with lock-out), desks, the kiosk's keypad.

A PIN is never stored: only its scrypt hash, with a salt of its own and its
parameters (`scrypt$N$r$p$salt$digest`; N=2^14, r=8, p=1: the scrypt paper's
interactive-login setting, about 40 ms and 16 MB a check). A PIN is 4 to 8 digits:
few enough to guess from a hash in hours, so the hashes are kept from the apps'
logins on PostgreSQL (shared/store/signin.py) and wrong PINs are counted in the
database: 5 in a row, on any PC, lock the account for 15 minutes (a supervisor can
unlock it sooner). Every sign-in, wrong PIN and lock-out goes in the audit trail.

Signing in gives an `Actor` (shared/access.py): what the core asks for before a
supervisor-only function, and who is recorded doing things. Signing in at a desk
also opens a desk session that reception sees ("Desk 4: Jo, serving C023 for 6
minutes"); a break or closing is recorded with its time.

Staff accounts (add, change a role, reset a PIN, unlock, close) are for the site's
supervisors, and admins; making or changing an admin is for admins.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update

from shared import audit
from shared.access import ROLES, Actor, Checked, authorise, token_hash, verify
from shared.domain import (
    DomainError,
    LockedOut,
    NotAllowed,
    NotFound,
    SignInRefused,
    State,
    quoted,
)
from shared.store import repository as repo
from shared.store import signin
from shared.store.db import Database, Tx
from shared.store.tables import login_t, session_t, staff_t, visit_t

__all__ = ["ROLES", "Actor", "DeskState", "Member", "Staff", "hash_pin", "pin_matches"]

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
LEGACY = {"n": 2**14, "r": 8, "p": 1}  # hashes written before the parameters were kept
LOCK_AFTER = 5  # wrong PINs in a row
LOCKED_FOR = timedelta(minutes=15)
SIGNED_IN_FOR = timedelta(hours=12)  # a day at reception or a desk
COMMAND_SIGNED_IN_FOR = timedelta(minutes=30)  # `onestop ... --as NAME` (signed out at its end)
WRONG = "that name and PIN do not match"
HINT = f" ({LOCK_AFTER} wrong PINs in a row lock an account for {LOCKED_FOR.seconds // 60} minutes)"


def _check_format(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise DomainError("a PIN is 4 to 8 digits")


def hash_pin(pin: str) -> str:
    _check_format(pin)
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest}"


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> str:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=2**27).hex()


def digest_for(pin: str, setting: str) -> str | None:
    """The digest `pin` gives with a stored hash's setting (scheme, parameters, salt),
    None when the setting is not one this OneStop knows."""
    parts = setting.split("$")
    try:
        if parts[0] != "scrypt":
            return None
        if len(parts) == 2:
            return _scrypt(pin, bytes.fromhex(parts[1]), **LEGACY)
        if len(parts) == 5:
            n, r, p = (int(x) for x in parts[1:4])
            if not (2 <= n <= 2**17 and 1 <= r <= 16 and 1 <= p <= 4):
                return None
            return _scrypt(pin, bytes.fromhex(parts[4]), n, r, p)
    except ValueError:
        return None
    return None


def pin_matches(pin: str, stored: str) -> bool:
    candidate = digest_for(pin, signin.setting_of(stored))
    return candidate is not None and hmac.compare_digest(candidate, signin.digest_of(stored))


def _typed_pin_digest(pin: str, setting: str | None) -> str | None:
    """The digest to send for what was typed; the work is done even for a name with no
    account (the answer takes as long either way)."""
    well_formed = pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8
    if setting is None or not well_formed:
        _scrypt(pin[:8] or "0", b"\0" * 16, **SCRYPT)
        return None
    return digest_for(pin, setting)


@dataclass(frozen=True)
class DeskState:
    desk: str
    staff_name: str
    status: str
    signed_in_at: datetime
    status_since: datetime
    actor: Actor | None = None  # the sign-in (when just made here)


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    created_at: datetime
    failed_pins: int
    locked_until: datetime | None
    left_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at.isoformat(),
            "failed_pins": self.failed_pins,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
            "left_at": self.left_at.isoformat() if self.left_at else None,
        }


ACCOUNTS = "changing staff accounts"


class Staff:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- accounts (supervisors) ----------------------------------------------------------

    def add(
        self, site: str, name: str, pin: str, role: str = "csa", *, by: Actor | None = None
    ) -> None:
        """Add a member of staff, or (an existing name) give them this PIN and role: the
        account is unlocked and, if it was closed, open again."""
        if role not in ROLES:
            raise DomainError(f"role must be one of {', '.join(ROLES)}")
        clean = _name(name)
        hashed = hash_pin(pin)
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            checked = authorise(tx, by, ref, ACCOUNTS)
            exists = self._account(tx, ref, clean, must=False)
            _may_touch_admins(tx, checked, role, exists.role if exists else None)
            values = {
                "role": role,
                "pin_hash": hashed,
                "failed_pins": 0,
                "locked_until": None,
                "left_at": None,
            }
            if exists:
                tx.conn.execute(update(staff_t).where(staff_t.c.id == exists.id).values(**values))
                audit.record(tx, ref.id, "pin_reset", checked=checked, detail=f"for {clean}")
                if exists.role != role:
                    audit.record(
                        tx,
                        ref.id,
                        "role_changed",
                        checked=checked,
                        detail=f"{clean}: {exists.role} to {role}",
                    )
            else:
                tx.conn.execute(
                    insert(staff_t).values(site_id=ref.id, name=clean, created_at=tx.now, **values)
                )
                audit.record(tx, ref.id, "staff_added", checked=checked, detail=f"{clean}, {role}")

    def set_role(self, site: str, name: str, role: str, *, by: Actor | None = None) -> None:
        if role not in ROLES:
            raise DomainError(f"role must be one of {', '.join(ROLES)}")
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            checked = authorise(tx, by, ref, ACCOUNTS)
            acct = self._account(tx, ref, _name(name))
            _may_touch_admins(tx, checked, role, acct.role)
            tx.conn.execute(update(staff_t).where(staff_t.c.id == acct.id).values(role=role))
            audit.record(
                tx,
                ref.id,
                "role_changed",
                checked=checked,
                detail=f"{acct.name}: {acct.role} to {role}",
            )

    def reset_pin(self, site: str, name: str, pin: str, *, by: Actor | None = None) -> None:
        """A new PIN (told to the member in person); it unlocks the account too."""
        hashed = hash_pin(pin)
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            checked = authorise(tx, by, ref, ACCOUNTS)
            acct = self._account(tx, ref, _name(name))
            _may_touch_admins(tx, checked, acct.role, acct.role)
            tx.conn.execute(
                update(staff_t)
                .where(staff_t.c.id == acct.id)
                .values(pin_hash=hashed, failed_pins=0, locked_until=None)
            )
            audit.record(tx, ref.id, "pin_reset", checked=checked, detail=f"for {acct.name}")

    def unlock(self, site: str, name: str, *, by: Actor | None = None) -> bool:
        """Let a locked-out member sign in again now; False when they were not locked."""
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            checked = authorise(tx, by, ref, ACCOUNTS)
            acct = self._account(tx, ref, _name(name))
            locked = acct.locked_until is not None and acct.locked_until > tx.now
            tx.conn.execute(
                update(staff_t)
                .where(staff_t.c.id == acct.id)
                .values(failed_pins=0, locked_until=None)
            )
            audit.record(
                tx,
                ref.id,
                "unlocked",
                checked=checked,
                detail=f"{acct.name}" + ("" if locked else " (was not locked)"),
            )
            return locked

    def remove(self, site: str, name: str, *, by: Actor | None = None) -> None:
        """A leaver: they never sign in again (signed out now, everywhere); the name
        stays, for the audit trail and the desks' history."""
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            checked = authorise(tx, by, ref, ACCOUNTS)
            acct = self._account(tx, ref, _name(name))
            _may_touch_admins(tx, checked, acct.role, acct.role)
            tx.conn.execute(update(staff_t).where(staff_t.c.id == acct.id).values(left_at=tx.now))
            tx.conn.execute(
                update(login_t)
                .where(login_t.c.staff_id == acct.id, login_t.c.signed_out_at.is_(None))
                .values(signed_out_at=tx.now)
            )
            audit.record(tx, ref.id, "staff_left", checked=checked, detail=acct.name)

    def members(self, site: str, *, by: Actor | None = None) -> list[Member]:
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            authorise(tx, by, ref, "the staff list")
            rows = tx.conn.execute(
                select(
                    staff_t.c.name,
                    staff_t.c.role,
                    staff_t.c.created_at,
                    staff_t.c.failed_pins,
                    staff_t.c.locked_until,
                    staff_t.c.left_at,
                )
                .where(staff_t.c.site_id == ref.id)
                .order_by(staff_t.c.name)
            ).all()
            now = tx.now
        return [
            Member(
                r.name,
                r.role,
                r.created_at,
                r.failed_pins,
                r.locked_until if r.locked_until and r.locked_until > now else None,
                r.left_at,
            )
            for r in rows
        ]

    @staticmethod
    def _account(tx: Tx, ref: repo.SiteRef, name: str, *, must: bool = True) -> Any:
        row = tx.conn.execute(
            select(staff_t.c.id, staff_t.c.name, staff_t.c.role, staff_t.c.locked_until).where(
                staff_t.c.site_id == ref.id, staff_t.c.name == name
            )
        ).first()
        if row is None and must:
            raise NotFound(f"no member of staff {quoted(name)} at {ref.site.name}")
        return row

    # -- signing in ------------------------------------------------------------------------

    def login(
        self, site: str, name: str, pin: str, *, place: str, lasts: timedelta = SIGNED_IN_FOR
    ) -> Actor:
        """Sign in with name and PIN at `place` ("Reception", "Desk 3"); SignInRefused
        (LockedOut after too many wrong PINs) otherwise. Recorded either way."""
        return self._attempt(site, name, pin, place=place[:60], lasts=lasts)

    def check(self, site: str, name: str, pin: str) -> str:
        """The member's role when the PIN is right (no sign-in is made); SignInRefused
        otherwise, a wrong PIN counted as at a sign-in."""
        return self._attempt(site, name, pin, place=None, lasts=SIGNED_IN_FOR).role

    def _attempt(
        self, site: str, name: str, pin: str, *, place: str | None, lasts: timedelta
    ) -> Actor:
        typed = name.strip()
        if not typed:
            raise SignInRefused("type your name, then your PIN")
        if len(typed) > 100:
            raise SignInRefused(WRONG + HINT)
        with self.db.transaction(write=False) as tx:
            code = repo.get_site(tx, site).code
            setting = signin.pin_setting(tx, code, typed)
        digest = _typed_pin_digest(pin, setting)
        token = secrets.token_urlsafe(32) if place is not None else None
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, code)
            expires = tx.now + lasts
            result = signin.attempt(
                tx,
                code,
                typed,
                digest,
                token_hash=token_hash(token) if token else None,
                place=place or "",
                expires=expires,
                tries=LOCK_AFTER,
                lock=LOCKED_FOR,
            )
            _record_attempt(tx, ref, typed, place, result)
        if result.outcome == "ok":
            assert result.name is not None and result.role is not None
            return Actor(
                code,
                result.name,
                result.role,
                place or "",
                token or "",
                result.staff_id or 0,
                expires,
            )
        if result.outcome in ("locked", "locked_now"):
            until = result.locked_until
            shown = until.astimezone(ZoneInfo(ref.site.timezone)).strftime("%H:%M") if until else ""
            raise LockedOut(
                f"{result.name}'s sign-in is locked until {shown} after {LOCK_AFTER} wrong "
                "PINs in a row: try again then, or ask a supervisor to unlock it",
                until,
            )
        raise SignInRefused(WRONG + HINT)

    def logout(self, actor: Actor) -> None:
        """End a sign-in (recorded); nothing happens if it has ended already."""
        if not actor.token:
            return
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, actor.site)
            ended = tx.conn.execute(
                update(login_t)
                .where(
                    login_t.c.token_hash == token_hash(actor.token),
                    login_t.c.signed_out_at.is_(None),
                )
                .values(signed_out_at=tx.now)
            ).rowcount
            if ended:
                audit.record(
                    tx,
                    ref.id,
                    "signed_out",
                    staff_name=actor.name,
                    role=actor.role,
                    place=actor.place,
                )

    def verify(self, actor: Actor) -> Actor:
        """The actor, with their role as it is now; NotSignedIn when the sign-in ended."""
        with self.db.transaction(write=False) as tx:
            checked = verify(tx, actor)
        return replace(actor, role=checked.role)

    def sign_in(self, site: str, desk: str, name: str, pin: str) -> DeskState:
        with self.db.transaction(write=False) as tx:
            desk_name = repo.get_site(tx, site).site.desk(desk).name
        actor = self.login(site, name, pin, place=desk_name)
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            tx.conn.execute(
                update(session_t)
                .where(
                    session_t.c.site_id == ref.id,
                    session_t.c.desk == desk_name,
                    session_t.c.signed_out_at.is_(None),
                )
                .values(signed_out_at=tx.now, status="closed", status_since=tx.now)
            )
            # Whoever was signed in at this desk before is signed out of it.
            tx.conn.execute(
                update(login_t)
                .where(
                    login_t.c.site_id == ref.id,
                    login_t.c.place == desk_name,
                    login_t.c.signed_out_at.is_(None),
                    login_t.c.token_hash != token_hash(actor.token),
                )
                .values(signed_out_at=tx.now)
            )
            tx.conn.execute(
                insert(session_t).values(
                    site_id=ref.id,
                    desk=desk_name,
                    staff_name=actor.name,
                    status="open",
                    signed_in_at=tx.now,
                    status_since=tx.now,
                )
            )
            repo.changed(tx, ref)
            return DeskState(desk_name, actor.name, "open", tx.now, tx.now, actor)

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
            open_now = (
                session_t.c.site_id == ref.id,
                session_t.c.desk == desk_name,
                session_t.c.signed_out_at.is_(None),
            )
            who = tx.conn.execute(select(session_t.c.staff_name).where(*open_now)).scalar()
            values = {"status": status, "status_since": tx.now}
            if status == "closed":
                values["signed_out_at"] = tx.now
                tx.conn.execute(
                    update(login_t)
                    .where(
                        login_t.c.site_id == ref.id,
                        login_t.c.place == desk_name,
                        login_t.c.signed_out_at.is_(None),
                    )
                    .values(signed_out_at=tx.now)
                )
            tx.conn.execute(update(session_t).where(*open_now).values(**values))
            if who is not None:
                action = {"open": "desk_open", "break": "desk_break", "closed": "signed_out"}
                audit.record(tx, ref.id, action[status], staff_name=str(who), place=desk_name)
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

    # -- the kiosk's keypad ------------------------------------------------------------------

    def kiosk_exit(self, site: str, kiosk: str, pin: str, site_pin_sha256: str = "") -> str:
        """Whose PIN was typed at a kiosk's keypad to reach its staff page: the name of
        the site's supervisor (or an admin) it belongs to; "" for the PIN in the site's
        file, which counts only while the site has no supervisor or admin accounts.
        SignInRefused otherwise; LockedOut after too many wrong PINs at this kiosk
        (counted in the audit trail, so a restart does not clear them)."""
        with self.db.transaction(write=False) as tx:
            code = repo.get_site(tx, site).code
            settings = signin.kiosk_settings(tx, code)
        well_formed = pin.isascii() and pin.isdigit() and 0 < len(pin) <= 8
        digests = {}
        if well_formed:
            for staff_id, setting in settings:
                digest = digest_for(pin, setting)
                if digest is not None:
                    digests[staff_id] = digest
        fallback_ok = (
            not settings
            and bool(site_pin_sha256)
            and hmac.compare_digest(hashlib.sha256(pin.encode()).hexdigest(), site_pin_sha256)
        )
        with self.db.transaction() as tx:
            result = signin.kiosk_attempt(
                tx,
                code,
                kiosk[:60],
                digests,
                fallback_ok,
                tries=LOCK_AFTER,
                window=LOCKED_FOR,
            )
        if result.outcome == "ok":
            return result.name or ""
        if result.outcome in ("locked", "locked_now"):
            raise LockedOut(f"too many wrong PINs at {kiosk}: try again in 15 minutes")
        raise SignInRefused("that PIN is not right")


def _name(name: str) -> str:
    clean = name.strip()
    if not clean:
        raise DomainError("a member of staff needs a name")
    if len(clean) > 100 or not clean.isprintable():
        raise DomainError(f"a name of up to 100 letters, not {quoted(clean)}")
    return clean


def _may_touch_admins(tx: Tx, checked: Checked | None, role: str, current: str | None) -> None:
    """Only an admin makes an admin, or changes one (a supervisor cannot raise anyone,
    themselves included, above a supervisor), once the council has one: its first may be
    made by a supervisor (a database that had supervisors before admins existed)."""
    if checked is None or checked.role == "admin" or (role != "admin" and current != "admin"):
        return
    admins = tx.conn.execute(
        select(staff_t.c.id).where(staff_t.c.role == "admin", staff_t.c.left_at.is_(None))
    ).first()
    if admins is not None or current == "admin":
        raise NotAllowed(f"admin accounts are for admins: {checked.name} is a {checked.role}")


def _record_attempt(
    tx: Tx, ref: repo.SiteRef, typed: str, place: str | None, result: signin.Attempt
) -> None:
    """A sign-in, or a refused one, in the audit trail."""
    name, role = result.name, result.role
    if result.outcome == "ok":
        if place is not None:
            audit.record(tx, ref.id, "signed_in", staff_name=name, role=role, place=place)
        return
    zone = ZoneInfo(ref.site.timezone)
    if result.outcome == "unknown":
        audit.record(
            tx,
            ref.id,
            "sign_in_refused",
            place=place,
            detail="no account by the name typed",
            note=typed,
        )
        return
    until = result.locked_until.astimezone(zone).strftime("%H:%M") if result.locked_until else ""
    detail = {
        "wrong": f"wrong PIN ({result.failures} of {LOCK_AFTER} in a row)",
        "locked_now": f"wrong PIN ({result.failures} of {LOCK_AFTER} in a row)",
        "locked": f"while locked (until {until})",
        "left": "the account is closed (a leaver)",
    }[result.outcome]
    audit.record(
        tx, ref.id, "sign_in_refused", staff_name=name, role=role, place=place, detail=detail
    )
    if result.outcome == "locked_now":
        audit.record(
            tx,
            ref.id,
            "locked_out",
            staff_name=name,
            role=role,
            place=place,
            detail=f"until {until}",
        )
