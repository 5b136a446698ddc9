"""A PIN checked against the database, the same on both: wrong PINs counted, accounts
locked, sign-ins recorded.

On PostgreSQL the apps' logins cannot read a PIN hash: the functions of migration
0006 (SECURITY DEFINER) give the salt, compare the digest the app computed, count
and lock, and record the sign-in. On SQLite (one PC, whose user has the file
anyway) the same steps run here, in Python. The tests run both.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, text, update

from .db import Tx
from .tables import audit_t, login_t, site_t, staff_t

_DIGEST = re.compile(r"\$[^$]*$")


def setting_of(pin_hash: str) -> str:
    """A stored hash without its digest: the scheme, its parameters and the salt."""
    return _DIGEST.sub("", pin_hash)


def digest_of(pin_hash: str) -> str:
    return pin_hash.rsplit("$", 1)[-1]


def _same(a: str, b: str) -> bool:
    return hashlib.sha256(a.encode()).digest() == hashlib.sha256(b.encode()).digest()


@dataclass(frozen=True)
class Attempt:
    """What one sign-in attempt came to: ok | wrong | locked_now | locked | unknown | left."""

    outcome: str
    staff_id: int | None
    name: str | None
    role: str | None
    failures: int
    locked_until: datetime | None


def pin_setting(tx: Tx, site: str, name: str) -> str | None:
    if tx.postgres:
        value = tx.conn.execute(
            text("SELECT public.onestop_pin_setting(:site, :name)"), {"site": site, "name": name}
        ).scalar()
        return None if value is None else str(value)
    stored = tx.conn.execute(
        select(staff_t.c.pin_hash)
        .join(site_t, site_t.c.id == staff_t.c.site_id)
        .where(site_t.c.code == site, staff_t.c.name == name, staff_t.c.left_at.is_(None))
    ).scalar()
    return None if stored is None else setting_of(str(stored))


def attempt(
    tx: Tx,
    site: str,
    name: str,
    digest: str | None,
    *,
    token_hash: str | None,
    place: str,
    expires: datetime,
    tries: int,
    lock: timedelta,
) -> Attempt:
    """Check `digest` (of the PIN typed, with the account's salt) for the account."""
    if tx.postgres:
        row = tx.conn.execute(
            text(
                "SELECT * FROM public.onestop_sign_in(:site, :name, :digest, :token, :place,"
                " CAST(:expires AS timestamptz), CAST(:tries AS integer), CAST(:lock AS interval))"
            ),
            {
                "site": site,
                "name": name,
                "digest": digest,
                "token": token_hash,
                "place": place,
                "expires": expires,
                "tries": tries,
                "lock": lock,
            },
        ).one()
        return Attempt(
            row.outcome, row.staff_id, row.staff_name, row.role, row.failures, row.locked_until
        )
    return _attempt_here(tx, site, name, digest, token_hash, place, expires, tries, lock)


def _attempt_here(
    tx: Tx,
    site: str,
    name: str,
    digest: str | None,
    token_hash: str | None,
    place: str,
    expires: datetime,
    tries: int,
    lock: timedelta,
) -> Attempt:
    """onestop_sign_in, for SQLite (the writing transaction already holds the lock)."""
    acct = tx.conn.execute(
        select(staff_t)
        .join(site_t, site_t.c.id == staff_t.c.site_id)
        .where(site_t.c.code == site, staff_t.c.name == name)
    ).first()
    if acct is None:
        return Attempt("unknown", None, None, None, 0, None)
    if acct.left_at is not None:
        return Attempt("left", acct.id, acct.name, acct.role, 0, None)
    now = tx.now
    if acct.locked_until is not None and acct.locked_until > now:
        return Attempt("locked", acct.id, acct.name, acct.role, acct.failed_pins, acct.locked_until)
    this = update(staff_t).where(staff_t.c.id == acct.id)
    if digest is not None and _same(digest_of(acct.pin_hash), digest):
        tx.conn.execute(this.values(failed_pins=0, locked_until=None))
        if token_hash is not None:
            tx.conn.execute(
                insert(login_t).values(
                    site_id=acct.site_id,
                    staff_id=acct.id,
                    token_hash=token_hash,
                    place=place,
                    signed_in_at=now,
                    expires_at=expires,
                )
            )
        return Attempt("ok", acct.id, acct.name, acct.role, 0, None)
    wrong = (acct.failed_pins if acct.locked_until is None else 0) + 1
    if wrong >= tries:
        tx.conn.execute(this.values(failed_pins=wrong, locked_until=now + lock))
        return Attempt("locked_now", acct.id, acct.name, acct.role, wrong, now + lock)
    tx.conn.execute(this.values(failed_pins=wrong, locked_until=None))
    return Attempt("wrong", acct.id, acct.name, acct.role, wrong, None)


# -- a kiosk's keypad: a PIN alone, any of the site's supervisors (and admins) ----------


def kiosk_settings(tx: Tx, site: str) -> list[tuple[int, str]]:
    """(account id, hash setting) of everyone who may leave the site's kiosks."""
    if tx.postgres:
        rows = tx.conn.execute(
            text("SELECT staff_id, setting FROM public.onestop_kiosk_settings(:site)"),
            {"site": site},
        ).all()
        return [(int(r.staff_id), str(r.setting)) for r in rows]
    rows = tx.conn.execute(
        select(staff_t.c.id, staff_t.c.pin_hash)
        .join(site_t, site_t.c.id == staff_t.c.site_id)
        .where(
            staff_t.c.left_at.is_(None),
            or_(
                (site_t.c.code == site) & (staff_t.c.role == "supervisor"),
                staff_t.c.role == "admin",
            ),
        )
        .order_by(staff_t.c.id)
    ).all()
    return [(int(r.id), setting_of(r.pin_hash)) for r in rows]


@dataclass(frozen=True)
class KioskAttempt:
    """ok | wrong | locked_now | locked; who it was, when a supervisor's PIN."""

    outcome: str
    name: str | None
    failures: int


def kiosk_attempt(
    tx: Tx,
    site: str,
    kiosk: str,
    digests: dict[int, str],
    fallback_ok: bool,
    *,
    tries: int,
    window: timedelta,
) -> KioskAttempt:
    if tx.postgres:
        row = tx.conn.execute(
            text(
                "SELECT * FROM public.onestop_kiosk_pin(:site, :kiosk, CAST(:ids AS integer[]),"
                " CAST(:digests AS text[]), :fallback, CAST(:tries AS integer),"
                " CAST(:window AS interval))"
            ),
            {
                "site": site,
                "kiosk": kiosk,
                "ids": list(digests),
                "digests": list(digests.values()),
                "fallback": fallback_ok,
                "tries": tries,
                "window": window,
            },
        ).one()
        return KioskAttempt(row.outcome, row.staff_name, row.failures)
    return _kiosk_attempt_here(tx, site, kiosk, digests, fallback_ok, tries, window)


def _kiosk_attempt_here(
    tx: Tx,
    site: str,
    kiosk: str,
    digests: dict[int, str],
    fallback_ok: bool,
    tries: int,
    window: timedelta,
) -> KioskAttempt:
    """onestop_kiosk_pin, for SQLite."""
    site_id = tx.conn.execute(select(site_t.c.id).where(site_t.c.code == site)).scalar_one()
    now = tx.now
    here = (audit_t.c.site_id == site_id, audit_t.c.place == kiosk)
    since = tx.conn.execute(
        select(func.max(audit_t.c.at)).where(*here, audit_t.c.action == "kiosk_unlocked")
    ).scalar()
    start = now - window if since is None else max(since, now - window)
    recent = int(
        tx.conn.execute(
            select(func.count()).where(
                *here, audit_t.c.action == "kiosk_pin_refused", audit_t.c.at > start
            )
        ).scalar_one()
    )
    if recent >= tries:
        return KioskAttempt("locked", None, recent)

    def row(action: str, **values: Any) -> None:
        tx.conn.execute(
            insert(audit_t).values(site_id=site_id, at=now, action=action, place=kiosk, **values)
        )

    accounts = tx.conn.execute(
        select(staff_t.c.id, staff_t.c.name, staff_t.c.role, staff_t.c.pin_hash).where(
            staff_t.c.id.in_([i for i, _ in kiosk_settings(tx, site)])
        )
    ).all()
    if not accounts:
        if fallback_ok:
            row("kiosk_unlocked", detail="the site file's PIN")
            return KioskAttempt("ok", None, 0)
    else:
        for acct in sorted(accounts, key=lambda a: a.id):
            given = digests.get(acct.id)
            if given is not None and _same(digest_of(acct.pin_hash), given):
                row("kiosk_unlocked", staff_name=acct.name, role=acct.role)
                return KioskAttempt("ok", acct.name, 0)
    recent += 1
    row("kiosk_pin_refused", detail=f"wrong PIN {recent} of {tries}")
    if recent >= tries:
        until = (now + window).isoformat(timespec="seconds")
        row("kiosk_pin_locked", detail=f"keypad locked until {until}")
        return KioskAttempt("locked_now", None, recent)
    return KioskAttempt("wrong", None, recent)
