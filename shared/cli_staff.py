"""The `onestop` command's staff parts: `--as NAME`, the `staff` verbs and `audit`.

Supervisor-only verbs (report, audit, purge, site load, staff ...) take `--as NAME`:
the command signs that member of staff in for its length (recorded, like any
sign-in, and signed out at its end) and the core checks their role. The PIN is
never an argument (the process list shows arguments to everyone on the PC): it is
asked for at the terminal, or, for a script, read from the environment variable
ONESTOP_PIN. A new member's PIN (`staff add`, `staff pin`) likewise: asked twice at
the terminal, or ONESTOP_NEW_PIN (`--pin` still works, for old scripts on a PC of
their own). Until a site has a supervisor or admin account, its supervisor-only
verbs work without `--as` (a new installation; shared/access.py).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any

PIN_VARIABLE = "ONESTOP_PIN"
NEW_PIN_VARIABLE = "ONESTOP_NEW_PIN"
PLACE = "onestop command"
ROLE_CHOICES = ["receptionist", "csa", "supervisor", "admin"]

_SIGNED_IN: list[tuple[Any, Any]] = []  # (Staff, Actor) signed in by this command


def add_as(parser: argparse.ArgumentParser, *, needed: bool = True) -> None:
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        help=("a supervisor's name (" if needed else "your name (")
        + f"the PIN is asked for, or read from ${PIN_VARIABLE})",
    )


def _at_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed, or replaced by something that cannot say
        return False


def _typed(prompt: str) -> str | None:
    if not _at_terminal():
        return None
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        return None


def actor(args: argparse.Namespace, office: Any, site: str | None) -> Any:
    """The member named by --as, signed in for this command; None without --as."""
    from shared.domain import DomainError, SignInRefused, quoted
    from shared.staff import COMMAND_SIGNED_IN_FOR, Staff

    name = getattr(args, "as_name", None)
    if name is None:
        return None
    name, site = _account_site(office, name, site)
    pin = os.environ.get(PIN_VARIABLE)
    if pin is None:
        pin = _typed(f"PIN for {name} at {site}: ")
    if pin is None:
        raise DomainError(
            f"--as {quoted(name)}: the PIN is typed at a terminal, or (for a script) given in "
            f"the environment variable {PIN_VARIABLE}; never on the command line"
        )
    staff = Staff(office.db)
    try:
        signed_in = staff.login(site, name, pin.strip(), place=PLACE, lasts=COMMAND_SIGNED_IN_FOR)
    except SignInRefused as error:
        raise type(error)(f"--as {quoted(name)}: {error}") from None
    _SIGNED_IN.append((staff, signed_in))
    return signed_in


def _account_site(office: Any, name: str, site: str | None) -> tuple[str, str]:
    """NAME@SITE names the site of the account; else the verb's --site; else the one
    site where an account has that name."""
    from sqlalchemy import select

    from shared.domain import DomainError, quoted
    from shared.store.tables import site_t, staff_t

    typed = name.strip()
    if "@" in typed:
        before, _, after = typed.rpartition("@")
        if after.strip().lower() in office.sites():
            return before.strip(), after.strip().lower()
    if site:
        return typed, site
    with office.db.transaction(write=False) as tx:
        found = list(
            tx.conn.execute(
                select(site_t.c.code)
                .join(staff_t, staff_t.c.site_id == site_t.c.id)
                .where(staff_t.c.name == typed)
                .order_by(site_t.c.code)
            ).scalars()
        )
    if len(found) > 1:
        raise DomainError(
            f"--as {quoted(typed)}: there are accounts of that name at {', '.join(found)}: "
            f"say which, as --as '{typed}@{found[0]}'"
        )
    return typed, found[0] if found else (office.sites() or [""])[0]


def sign_out_all() -> None:
    """The command's sign-ins end with it (run() calls this, whatever happened)."""
    import contextlib

    from sqlalchemy.exc import SQLAlchemyError

    while _SIGNED_IN:
        staff, signed_in = _SIGNED_IN.pop()
        with contextlib.suppress(SQLAlchemyError):  # gone: the sign-in runs out by itself
            staff.logout(signed_in)


def _new_pin(args: argparse.Namespace, name: str) -> str:
    from shared.domain import DomainError

    if getattr(args, "pin", None):
        return str(args.pin)
    pin = os.environ.get(NEW_PIN_VARIABLE)
    if pin is not None:
        return pin.strip()
    first = _typed(f"New PIN for {name} (4 to 8 digits): ")
    if first is None:
        raise DomainError(
            f"{name}'s new PIN: typed at a terminal (twice), or (for a script) given in "
            f"the environment variable {NEW_PIN_VARIABLE}"
        )
    if _typed("The same again: ") != first:
        raise DomainError("the two PINs typed differ: nothing was changed")
    return first.strip()


# -- the verbs ------------------------------------------------------------------------


def add_staff_verbs(
    staff_verbs: Any,
    common: argparse.ArgumentParser,
    site_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    def verb(name: str, help_text: str, handler: Callable[..., Any]) -> Any:
        sub = staff_verbs.add_parser(name, help=help_text, description=help_text, parents=[common])
        site_arg(sub)
        sub.set_defaults(handler=handler)
        return sub

    add = verb("add", "add a member of staff (an existing name: a new PIN and role)", cmd_staff_add)
    add.add_argument("--name", required=True)
    add.add_argument(
        "--pin",
        help=f"4 to 8 digits (better: asked for at the terminal, or ${NEW_PIN_VARIABLE})",
    )
    add.add_argument("--role", default="csa", choices=ROLE_CHOICES)
    add_as(add)
    role = verb("role", "change a member of staff's role", cmd_staff_role)
    role.add_argument("--name", required=True)
    role.add_argument("--role", required=True, choices=ROLE_CHOICES)
    add_as(role)
    pin = verb("pin", "give a member of staff a new PIN (it unlocks them too)", cmd_staff_pin)
    pin.add_argument("--name", required=True)
    pin.add_argument("--pin", help=f"(better: asked for, or ${NEW_PIN_VARIABLE})")
    add_as(pin)
    unlock = verb("unlock", "let a member locked out by wrong PINs sign in now", cmd_staff_unlock)
    unlock.add_argument("--name", required=True)
    add_as(unlock)
    remove = verb(
        "remove", "close a leaver's account (the name stays in the records)", cmd_staff_remove
    )
    remove.add_argument("--name", required=True)
    add_as(remove)
    listing = verb("list", "the site's staff, their roles and who is locked out", cmd_staff_list)
    add_as(listing)


def _office(args: argparse.Namespace) -> Any:
    from shared.cli import _office as office

    return office(args)


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    from shared.cli import _emit as emit

    emit(args, data, text)


def cmd_staff_add(args: argparse.Namespace) -> None:
    from shared.staff import Staff

    office = _office(args)
    by = actor(args, office, args.site)
    Staff(office.db).add(args.site, args.name, _new_pin(args, args.name), args.role, by=by)
    _emit(
        args,
        {"site": args.site, "name": args.name.strip(), "role": args.role},
        f"{args.name.strip()} ({args.role}) can sign in at {args.site}",
    )


def cmd_staff_role(args: argparse.Namespace) -> None:
    from shared.staff import Staff

    office = _office(args)
    Staff(office.db).set_role(args.site, args.name, args.role, by=actor(args, office, args.site))
    _emit(
        args,
        {"site": args.site, "name": args.name.strip(), "role": args.role},
        f"{args.name.strip()} is now a {args.role} at {args.site}",
    )


def cmd_staff_pin(args: argparse.Namespace) -> None:
    from shared.staff import Staff

    office = _office(args)
    by = actor(args, office, args.site)
    Staff(office.db).reset_pin(args.site, args.name, _new_pin(args, args.name), by=by)
    _emit(
        args,
        {"site": args.site, "name": args.name.strip(), "pin_reset": True},
        f"{args.name.strip()} has a new PIN (and is not locked out)",
    )


def cmd_staff_unlock(args: argparse.Namespace) -> None:
    from shared.staff import Staff

    office = _office(args)
    was = Staff(office.db).unlock(args.site, args.name, by=actor(args, office, args.site))
    _emit(
        args,
        {"site": args.site, "name": args.name.strip(), "was_locked": was},
        f"{args.name.strip()} can sign in again" + ("" if was else " (they were not locked out)"),
    )


def cmd_staff_remove(args: argparse.Namespace) -> None:
    from shared.staff import Staff

    office = _office(args)
    Staff(office.db).remove(args.site, args.name, by=actor(args, office, args.site))
    _emit(
        args,
        {"site": args.site, "name": args.name.strip(), "left": True},
        f"{args.name.strip()}'s account is closed: they can no longer sign in",
    )


def cmd_staff_list(args: argparse.Namespace) -> None:
    from zoneinfo import ZoneInfo

    from shared.staff import Staff

    office = _office(args)
    members = Staff(office.db).members(args.site, by=actor(args, office, args.site))
    zone = ZoneInfo(office.site(args.site).timezone)

    def state(m: Any) -> str:
        if m.left_at:
            return f"left {m.left_at.astimezone(zone):%d/%m/%Y}"
        if m.locked_until:
            return f"LOCKED until {m.locked_until.astimezone(zone):%H:%M}"
        return f"{m.failed_pins} wrong PIN(s) in a row" if m.failed_pins else ""

    lines = [f"{m.name:<30} {m.role:<13} {state(m)}" for m in members]
    _emit(
        args,
        {"site": args.site, "staff": [m.as_json() for m in members]},
        "\n".join(lines) or "no staff accounts yet",
    )


def add_audit_verb(verbs: Any, common: argparse.ArgumentParser, date_type: Any) -> None:
    audit = verbs.add_parser(
        "audit",
        help="the audit trail: who did what and when (supervisors)",
        description="Everything done at a site over local days: every step of every visit "
        "with the member of staff who did it, sign-ins and outs, wrong PINs and lock-outs, "
        "staff accounts, notices, alarms, purges, reports run, settings loaded.",
        parents=[common],
    )
    audit.add_argument("--site", required=True, help="site code, e.g. bootle")
    audit.add_argument("--date", type=date_type, default=None, help="one day, YYYY-MM-DD")
    audit.add_argument("--from", dest="start", type=date_type, help="first day (default today)")
    audit.add_argument("--to", dest="end", type=date_type, help="last day (default: --from)")
    audit.add_argument("--staff", metavar="NAME", help="only what this member of staff did")
    add_as(audit)
    audit.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> None:
    from zoneinfo import ZoneInfo

    from shared.audit import trail
    from shared.domain import DomainError

    if args.date and (args.start or args.end):
        raise DomainError("--date is one day; for several, --from and --to")
    office = _office(args)
    zone = ZoneInfo(office.site(args.site).timezone)
    start = args.date or args.start
    end = args.date or args.end or start
    steps = trail(
        office.db, args.site, start, end, staff=args.staff, by=actor(args, office, args.site)
    )
    lines = [
        f"{s.at.astimezone(zone):%d/%m %H:%M:%S}  {s.staff or '':<20} {s.place or '':<18} "
        f"{s.action:<20} {s.ticket or '':<6} {s.detail or ''}" + (f' "{s.note}"' if s.note else "")
        for s in steps
    ]
    _emit(
        args,
        {
            "site": args.site,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
            "staff": args.staff,
            "events": [s.as_json() for s in steps],
        },
        "\n".join(lines) or "nothing recorded then",
    )
