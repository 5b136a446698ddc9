"""The `onestop` command: every action of the core, for scripts and support staff.

Every verb takes `--json` (one JSON document on standard output) and `--db URL`
(or the ONESTOP_DB environment variable; the default is the SQLite file in the
data folder). A misused command prints its usage and exits 2; a request the One
Stop Shop's rules refuse (an unknown ticket, a call from a busy desk) prints the
reason and exits 2 having changed nothing; a database that cannot be reached
exits 1. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, NoReturn

from shared import __version__
from shared.cli_staff import actor, add_as, add_audit_verb, add_staff_verbs, sign_out_all

EXIT_USER = 2
EXIT_SYSTEM = 1


class UsageError(Exception):
    """Raised instead of argparse's own exit so that --json can report it."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(self, _plain(message))


def _plain(text: str, limit: int = 300) -> str:
    """A message that repeats what was typed, as a terminal can show it: control
    characters, text-reversing marks and line breaks escaped, and cut short."""
    shown = ""
    for at, c in enumerate(text):
        if len(shown) >= limit:
            return shown + "…"
        shown += c if c.isprintable() or (c == "\n" and at) else repr(c)[1:-1]
    return shown


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (default: $ONESTOP_DB, else SQLite in the data folder)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON for scripts"
    )
    return common


def build_parser() -> Parser:
    common = _common()
    parser = Parser(
        prog="onestop",
        description="OneStop: reception and queueing for council One Stop Shops.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"onestop {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=Parser)
    verbs.required = True

    def verb(name: str, help_text: str, handler: Callable[..., Any]) -> Parser:
        sub = verbs.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub  # type: ignore[return-value]

    def site_arg(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--site", required=True, help="site code, e.g. bootle")

    def visit_args(sub: argparse.ArgumentParser, ticket_required: bool = False) -> None:
        sub.add_argument(
            "ticket",
            nargs=None if ticket_required else "?",
            help="today's ticket number, e.g. A023" + ("" if ticket_required else " (or --desk)"),
        )
        site_arg(sub)
        if not ticket_required:
            sub.add_argument("--desk", help="the visitor this desk is dealing with")

    # db
    db = verbs.add_parser("db", help="database schema", parents=[common])
    db_verbs = db.add_subparsers(dest="db_verb", metavar="ACTION", parser_class=Parser)
    db_verbs.required = True
    up = db_verbs.add_parser("upgrade", help="apply the schema migrations", parents=[common])
    up.set_defaults(handler=cmd_db_upgrade)

    # site
    site = verbs.add_parser("site", help="site configurations", parents=[common])
    site_verbs = site.add_subparsers(dest="site_verb", metavar="ACTION", parser_class=Parser)
    site_verbs.required = True
    load = site_verbs.add_parser(
        "load", help="add or replace a site from its TOML file", parents=[common]
    )
    load.add_argument("file")
    add_as(load)
    load.set_defaults(handler=cmd_site_load)
    show = site_verbs.add_parser("show", help="a site's services and desks", parents=[common])
    show.add_argument("site")
    show.set_defaults(handler=cmd_site_show)
    listing = site_verbs.add_parser("list", help="the sites in the database", parents=[common])
    listing.set_defaults(handler=cmd_site_list)

    # check-in and reception
    sub = verb("checkin", "check a visitor in and issue a ticket", cmd_checkin)
    site_arg(sub)
    sub.add_argument("--service", help="service code (see `onestop site show`)")
    sub.add_argument("--appointment", metavar="REF", help="booking reference of an appointment")
    sub.add_argument("--priority", action="store_true", help="flag the visitor as priority")
    sub.add_argument("--print", dest="print_ticket", action="store_true", help="print the ticket")
    sub.add_argument(
        "--printer", help="printer instead of the site's: tcp://HOST:9100, ..., preview"
    )
    sub.add_argument(
        "--flag",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a need staff should see, e.g. interpreter=Polish (repeatable)",
    )

    sub = verb("reprint", "print one of today's tickets again", cmd_reprint)
    visit_args(sub, ticket_required=True)
    sub.add_argument("--printer", help="printer instead of the site's")
    sub.add_argument("--language", default="en", help="the ticket's language: en, pl, ar")

    sub = verb("delay", "set or clear the delay notice visitors see", cmd_delay)
    site_arg(sub)
    sub.add_argument("--reason", help="why (empty or left out: clear the notice)")
    sub.add_argument(
        "--minutes", type=_within(0, 600), help="estimated wait to tell visitors (0 to 600)"
    )
    sub = verb("alerts", "open alerts (help asked for, printer, safety)", cmd_alerts)
    site_arg(sub)

    sub = verb("greet", "record that reception greeted a visitor", cmd_greet)
    visit_args(sub, ticket_required=True)
    sub = verb("leave", "record that a visitor left before being called", cmd_leave)
    visit_args(sub, ticket_required=True)
    sub = verb("change", "change a waiting visitor's service or priority", cmd_change)
    visit_args(sub, ticket_required=True)
    sub.add_argument("--service")
    sub.add_argument("--priority", action=argparse.BooleanOptionalAction, default=None)
    sub = verb("unpark", "send a parked visitor back to the queue", cmd_unpark)
    visit_args(sub, ticket_required=True)
    sub = verb("visit", "everything about one of today's tickets", cmd_visit)
    visit_args(sub, ticket_required=True)

    # desks
    sub = verb("call-next", "call the next visitor to a desk (queue policy)", cmd_call_next)
    site_arg(sub)
    sub.add_argument("--desk", required=True, help='desk name or number, e.g. "Desk 4" or 4')
    sub = verb("call", "call a particular visitor to a desk", cmd_call)
    visit_args(sub, ticket_required=True)
    sub.add_argument("--desk", required=True)
    for name, help_text, handler in (
        ("recall", "announce the call again", cmd_recall),
        ("start", "start dealing with the called visitor", cmd_start),
        ("no-show", "the called visitor did not come forward", cmd_no_show),
        ("park", "put the visitor aside for now", cmd_park),
    ):
        visit_args(verb(name, help_text, handler))
    sub = verb("finish", "finish with an outcome", cmd_finish)
    visit_args(sub)
    sub.add_argument(
        "--outcome",
        required=True,
        help="resolved | referred | avoidable | digital-assistance",
    )
    sub.add_argument(
        "--detail", default="", help="back office referred to, or the avoidable reason"
    )
    sub = verb("transfer", "send to another service or desk (keeps arrival time)", cmd_transfer)
    visit_args(sub)
    sub.add_argument("--to", dest="to_service", metavar="SERVICE", help="service code")
    sub.add_argument("--to-desk", metavar="DESK")

    sub = verb("queue", "who is waiting, in calling order, and who is at a desk", cmd_queue)
    site_arg(sub)
    sub.add_argument("--limit", type=_within(1, 100_000), default=None)
    sub = verb("visits", "every visit of a day", cmd_visits)
    site_arg(sub)
    sub.add_argument("--date", type=_date, default=None, help="YYYY-MM-DD (default today)")

    # appointments
    appt = verbs.add_parser("appointment", help="book and list appointments", parents=[common])
    appt_verbs = appt.add_subparsers(dest="appt_verb", metavar="ACTION", parser_class=Parser)
    appt_verbs.required = True
    add = appt_verbs.add_parser("add", help="book an appointment", parents=[common])
    site_arg(add)
    add.add_argument("--service", required=True)
    add.add_argument("--at", required=True, type=_aware_time, help="ISO 8601 with offset")
    add.add_argument("--ref", help="booking reference (generated if left out)")
    add.set_defaults(handler=cmd_appointment_add)
    lst = appt_verbs.add_parser("list", help="appointments of a day or range", parents=[common])
    site_arg(lst)
    lst.add_argument(
        "--date", type=_date, default=None, help="YYYY-MM-DD (default: today and later)"
    )
    lst.add_argument("--to", dest="to_date", type=_date, default=None, help="last day of a range")
    lst.set_defaults(handler=cmd_appointment_list)
    imp = appt_verbs.add_parser(
        "import",
        help="import a CSV (columns: site, service, at, ref); all or nothing",
        parents=[common],
    )
    imp.add_argument("file")
    imp.add_argument("--site", help="site for rows without a site column")
    imp.set_defaults(handler=cmd_appointment_import)
    change = appt_verbs.add_parser(
        "change", help="move a booking (time and/or service)", parents=[common]
    )
    change.add_argument("ref")
    site_arg(change)
    change.add_argument("--service")
    change.add_argument("--at", type=_aware_time, help="ISO 8601 with offset")
    change.set_defaults(handler=cmd_appointment_change)
    cancel = appt_verbs.add_parser("cancel", help="cancel a booking", parents=[common])
    cancel.add_argument("ref")
    site_arg(cancel)
    cancel.set_defaults(handler=cmd_appointment_cancel)

    verbs.add_parser("kiosk", help="the check-in kiosk (touchscreen app): onestop kiosk --help")
    verbs.add_parser("display", help="the call-forward display: onestop display --help")
    verbs.add_parser("desk", help="a CSA's desk console: onestop desk --help")
    verbs.add_parser("reception", help="the reception console: onestop reception --help")
    verbs.add_parser("setup", help="set this PC up (a wizard), export or import its settings")

    report = verbs.add_parser(
        "report",
        help="the charter figures for a period (or how good the told waits were)",
        parents=[common],
    )
    report.add_argument(
        "what",
        nargs="?",
        choices=["charter", "prediction"],
        default="charter",
        help="charter: the figures the council publishes (default); prediction: the waits "
        "visitors were told against the waits that followed",
    )
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--site")
    which.add_argument("--all-sites", action="store_true")
    when = report.add_mutually_exclusive_group(required=True)
    when.add_argument("--quarter", help="e.g. 2025-Q3 (1 July to 30 September)")
    when.add_argument("--from", dest="start", type=_date, help="first day, YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=_date, help="last day (with --from)")
    report.add_argument(
        "--format", choices=["text", "json", "csv", "md", "html", "xlsx", "pdf"], default=None
    )
    report.add_argument("--out", help="write to this file instead of the screen")
    add_as(report)
    report.set_defaults(handler=cmd_report)

    simulate = verbs.add_parser(
        "simulate",
        help="simulate a day: a site's own (--site), or the plain M/M/c queue",
        description="With --site alone: a day at the site, its services, desks, queue "
        "policy, breaks and booked appointments, walk-ins from the last weeks' history. "
        "With --arrivals-per-hour, --mean-service-minutes or --desks: the plain M/M/c "
        "queue (Poisson arrivals, exponential service), beside the Erlang C formula.",
        parents=[common],
    )
    simulate.add_argument("--site", help="the site to simulate (or to take desks and targets from)")
    simulate.add_argument("--date", type=_date, default=None, help="YYYY-MM-DD (default tomorrow)")
    simulate.add_argument(
        "--weeks", type=_within(1, 260), default=6, help="weeks of history to plan from"
    )
    simulate.add_argument(
        "--visitors", type=_within(0, 5000, whole=False), default=None, help="walk-ins in the day"
    )
    simulate.add_argument("--no-breaks", action="store_true", help="desks take no lunch breaks")
    simulate.add_argument(
        "--days", type=_within(1, 500), default=20, help="days simulated and averaged"
    )
    simulate.add_argument(
        "--arrivals-per-hour", type=_within(0.001, 2000, whole=False), default=None
    )
    simulate.add_argument(
        "--mean-service-minutes", type=_within(0.1, 480, whole=False), default=None
    )
    simulate.add_argument("--desks", type=_within(1, 500), default=None)
    simulate.add_argument("--hours", type=_within(0.1, 24, whole=False), default=8.0)
    simulate.add_argument("--seed", type=_within(0, 2**32), default=1)
    simulate.set_defaults(handler=cmd_simulate)

    staffing = verbs.add_parser(
        "staffing",
        help="CSAs needed each hour of a day, from the last weeks' history",
        parents=[common],
    )
    site_arg(staffing)
    staffing.add_argument("--date", type=_date, default=None, help="YYYY-MM-DD (default tomorrow)")
    staffing.add_argument(
        "--weeks", type=_within(1, 260), default=6, help="weeks of history to learn from"
    )
    staffing.set_defaults(handler=cmd_staffing)

    purge = verbs.add_parser(
        "purge",
        help="remove personal data older than each site's retention period",
        parents=[common],
    )
    purge_which = purge.add_mutually_exclusive_group()
    purge_which.add_argument("--site")
    purge_which.add_argument(
        "--all-sites", action="store_true", help="(the default; with --as, the supervisor's site)"
    )
    purge.add_argument("--dry-run", action="store_true", help="count, change nothing")
    add_as(purge)
    purge.set_defaults(handler=cmd_purge)

    add_audit_verb(verbs, common, _date)

    imports = verbs.add_parser("import", help="bring in old records", parents=[common])
    import_verbs = imports.add_subparsers(dest="import_verb", metavar="WHAT", parser_class=Parser)
    import_verbs.required = True
    visits_import = import_verbs.add_parser(
        "visits", help="visits from a CSV (all or nothing unless --skip-bad)", parents=[common]
    )
    visits_import.add_argument("file")
    visits_import.add_argument("--skip-bad", action="store_true", help="import the good rows")
    visits_import.add_argument(
        "--encoding", help="the file's encoding if not UTF-8, e.g. cp1252 (Excel's plain CSV)"
    )
    visits_import.set_defaults(handler=cmd_import_visits)

    staff = verbs.add_parser(
        "staff", help="staff accounts: add, role, pin, unlock, remove, list", parents=[common]
    )
    staff_verbs = staff.add_subparsers(dest="staff_verb", metavar="ACTION", parser_class=Parser)
    staff_verbs.required = True
    add_staff_verbs(staff_verbs, common, site_arg)

    sub = verb(
        "demo",
        "the demonstration: kiosk, reception, a desk and the display running a morning at "
        "Bootle by themselves (on a machine with no screen: the morning as text)",
        cmd_demo,
    )
    sub.add_argument("--text", action="store_true", help="the morning as text, no windows")
    sub.add_argument("--minutes", type=float, default=30, help="how long the windows run")
    sub.add_argument("--screenshot", metavar="DIR", help="save each window there and quit")
    sub.add_argument("--fast", action="store_true", help="text: no pauses")
    sub.add_argument("--visitors", type=int, default=24, help="text: how many visitors")
    return parser


# -- argument types ---------------------------------------------------------------


YEARS = (1970, 2999)  # dates outside overflow a day's arithmetic (9999-12-31 + 1 day)


def _date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-24") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise argparse.ArgumentTypeError(f"{value!r} is not between 1970 and 2999")
    return day


def _aware_time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 time like 2026-11-24T10:30:00+00:00"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} needs a UTC offset, like +00:00")
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise argparse.ArgumentTypeError(f"{value!r} is not between 1970 and 2999")
    return moment


def _within(low: float, high: float, whole: bool = True) -> Callable[[str], Any]:
    """An argument type: a whole number (or, not `whole`, any number) from low to high.
    Without the bounds, --weeks 100000000 overflowed a date, --hours 1e9 simulated for
    ever and --limit 99999999999999999999 overflowed SQLite."""

    def parse(value: str) -> float:
        try:
            number: float = int(value) if whole else float(value)
        except ValueError:
            kind = "a whole number" if whole else "a number"
            raise argparse.ArgumentTypeError(f"{value!r} is not {kind}") from None
        if not low <= number <= high:  # NaN fails this too
            raise argparse.ArgumentTypeError(f"{value!r} is not between {low:g} and {high:g}")
        return number

    parse.__name__ = "whole number" if whole else "number"  # argparse's "invalid ... value"
    return parse


def _flags(pairs: Sequence[str]) -> dict[str, str]:
    flags = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            from shared.domain import DomainError

            raise DomainError(
                f"--flag {_plain(repr(pair), 60)}: write it as NAME=VALUE, e.g. interpreter=Polish"
            )
        flags[name.strip().lower()] = value.strip()
    return flags


# -- plumbing -----------------------------------------------------------------------


_OPENED: list[Any] = []  # the databases this command opened, closed when it ends (run)


def _office(args: argparse.Namespace) -> Any:
    from shared.office import Office
    from shared.store import Database

    db = Database(getattr(args, "db", None))
    _OPENED.append(db)
    office = Office(db)
    office.ensure_default_sites()
    return office


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, indent=None, default=str))
    else:
        print(text)


def _local(moment: datetime | str | None, timezone: str = "Europe/London") -> str:
    from zoneinfo import ZoneInfo

    if moment is None:
        return "-"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M:%S")


# -- verbs ---------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    from shared.store import Database
    from shared.store.migrate import head_revision, upgrade

    db = Database(getattr(args, "db", None), migrate=False)
    try:
        applied = upgrade(db.engine)
    finally:
        db.dispose()
    _emit(
        args,
        {"database": db.description, "revision": head_revision(), "applied": applied},
        f"{db.description}: schema {'upgraded to' if applied else 'already at'} {head_revision()}",
    )


def cmd_site_load(args: argparse.Namespace) -> None:
    from shared.config import parse_site, read_site_file

    office = _office(args)
    text = read_site_file(args.file)  # a bad file says so before any PIN is asked
    by = actor(args, office, parse_site(text, str(args.file)).code)
    site = office.load_site(text, str(args.file), by=by)
    _emit(
        args,
        {
            "site": site.code,
            "name": site.name,
            "services": len(site.services),
            "desks": len(site.desks),
        },
        f"loaded {site.name} ({site.code}): {len(site.services)} services, {len(site.desks)} desks",
    )


def cmd_site_show(args: argparse.Namespace) -> None:
    site = _office(args).site(args.site)
    data = {
        "code": site.code,
        "name": site.name,
        "council": site.council,
        "timezone": site.timezone,
        "targets": {
            "greet_minutes": site.targets.greet_minutes,
            "serve_minutes": site.targets.serve_minutes,
            "appointment_grace_minutes": site.targets.appointment_grace_minutes,
            "appointment_window_minutes_before": site.targets.appointment_window_minutes_before,
        },
        "queue_order": list(site.queue_order),
        "services": [
            {
                "code": s.code,
                "name": s.name,
                "letter": s.letter,
                "prioritised": s.prioritised,
                "group": s.group,
            }
            for s in site.services
        ],
        "desks": [{"name": d.name, "services": sorted(d.services)} for d in site.desks],
    }
    lines = [f"{site.name} ({site.code}), {site.council}", "", "Services:"]
    lines += [
        f"  {s.letter}  {s.code:<28} {s.name}{'  [prioritised]' if s.prioritised else ''}"
        for s in site.services
    ]
    lines += ["", "Desks:"]
    lines += [f"  {d.name:<18} {', '.join(sorted(d.services))}" for d in site.desks]
    _emit(args, data, "\n".join(lines))


def cmd_site_list(args: argparse.Namespace) -> None:
    codes = _office(args).sites()
    _emit(args, {"sites": codes}, "\n".join(codes))


def cmd_checkin(args: argparse.Namespace) -> None:
    from shared.domain import DomainError

    if not args.service and not args.appointment:
        raise DomainError("say which service (--service CODE) or give --appointment REF")
    result = _office(args).checkin(
        args.site,
        args.service,
        appointment=args.appointment,
        priority=args.priority,
        flags=_flags(args.flag),
    )
    data = result.as_json()
    text = (
        f"ticket {result.ticket} for {result.service}: {result.ahead} ahead, "
        f"about {result.estimated_wait_minutes} minutes"
    )
    if args.print_ticket:
        outcome = _print(
            args, result.site, lambda office, notice: _checkin_ticket(office, result, notice)
        )
        data["print"] = outcome
        text += "\n" + _print_text(outcome)
    _emit(args, data, text)


def _checkin_ticket(office: Any, result: Any, notice: Any) -> Any:
    from shared.printing import ticket_for_checkin

    return ticket_for_checkin(office.site(result.site), result, notice)


def _print(args: argparse.Namespace, site: str, make: Callable[..., Any]) -> dict[str, Any]:
    """Print through the same path as the kiosk; a printer fault raises an alert."""
    from dataclasses import asdict

    from shared.notices import Notices
    from shared.printing import print_ticket

    office = _office(args)
    notices = Notices(office.db)
    ticket = make(office, notices.notice(site))
    outcome = print_ticket(
        office.site(site), ticket, args.printer, language=getattr(args, "language", "en")
    )
    if not outcome.printed:
        notices.raise_alert(site, "printer", "onestop command", outcome.error)
    return asdict(outcome)


def _print_text(outcome: dict[str, Any]) -> str:
    if outcome["printed"]:
        return f"printed on {outcome['printer']}" + (
            f": {outcome['preview']}" if outcome["preview"] else ""
        )
    return f"NOT printed: {outcome['error']}"


def cmd_reprint(args: argparse.Namespace) -> None:
    from shared.domain import DomainError
    from shared.printing import ticket_for_reprint

    outcome = _print(
        args,
        args.site,
        lambda office, notice: ticket_for_reprint(office, args.site, args.ticket, notice),
    )
    _emit(args, {"ticket": args.ticket.upper(), "print": outcome}, _print_text(outcome))
    if not outcome["printed"]:
        raise DomainError(f"ticket {args.ticket.upper()} was not printed: {outcome['error']}")
    _office(args).reprinted(args.site, args.ticket, place="onestop command")


def cmd_delay(args: argparse.Namespace) -> None:
    from dataclasses import asdict

    from shared.notices import Notices

    notice = Notices(_office(args).db).set_delay(
        args.site, args.reason, args.minutes, place="onestop command"
    )
    text = (
        f"delay notice: {notice.delay_reason} (about {notice.delay_minutes} min)"
        if notice.delay_reason
        else "no delay notice"
    )
    _emit(args, asdict(notice), text)


def cmd_alerts(args: argparse.Namespace) -> None:
    from dataclasses import asdict

    from shared.notices import Notices

    alerts = Notices(_office(args).db).alerts(args.site)
    lines = [f"{_local(a.raised_at)}  {a.kind:<8} {a.source:<20} {a.detail or ''}" for a in alerts]
    _emit(args, {"alerts": [asdict(a) for a in alerts]}, "\n".join(lines) or "no open alerts")


def _visit_out(args: argparse.Namespace, visit: Any, verb_text: str) -> None:
    from shared.office import visit_json

    _emit(args, visit_json(visit), f"{visit.ticket} {verb_text} ({visit.state.value})")


def cmd_greet(args: argparse.Namespace) -> None:
    _visit_out(args, _office(args).greet(args.site, args.ticket), "greeted")


def cmd_leave(args: argparse.Namespace) -> None:
    _visit_out(args, _office(args).leave(args.site, args.ticket), "marked as left")


def cmd_change(args: argparse.Namespace) -> None:
    visit = _office(args).change(
        args.site, args.ticket, service=args.service, priority=args.priority
    )
    _visit_out(args, visit, f"now {visit.service}{', priority' if visit.priority else ''}")


def cmd_unpark(args: argparse.Namespace) -> None:
    _visit_out(args, _office(args).return_to_queue(args.site, args.ticket), "back in the queue")


def cmd_visit(args: argparse.Namespace) -> None:
    from shared.office import visit_json

    visit = _office(args).visit(args.site, args.ticket)
    data = visit_json(visit)
    _emit(args, data, "\n".join(f"{k:>16}: {v}" for k, v in data.items()))


def cmd_call_next(args: argparse.Namespace) -> None:
    result = _office(args).call_next(args.site, args.desk)
    text = (
        f"{result.ticket} -> {result.desk}"
        if result.ticket
        else f"nobody is waiting for {result.desk}"
    )
    data = result.as_json()
    _emit(args, data, text)


def cmd_call(args: argparse.Namespace) -> None:
    _visit_out(
        args, _office(args).call_ticket(args.site, args.desk, args.ticket), f"called to {args.desk}"
    )


def cmd_recall(args: argparse.Namespace) -> None:
    visit = _office(args).recall(args.site, args.ticket, args.desk)
    _visit_out(args, visit, f"called again to {visit.desk} (call {visit.call_count})")


def cmd_start(args: argparse.Namespace) -> None:
    _visit_out(args, _office(args).start(args.site, args.ticket, args.desk), "being served")


def cmd_no_show(args: argparse.Namespace) -> None:
    _visit_out(
        args, _office(args).no_show(args.site, args.ticket, args.desk), "marked as a no-show"
    )


def cmd_park(args: argparse.Namespace) -> None:
    _visit_out(args, _office(args).park(args.site, args.ticket, args.desk), "parked")


def cmd_finish(args: argparse.Namespace) -> None:
    from shared.domain import Outcome

    outcome = Outcome.parse(args.outcome, args.detail)
    _visit_out(args, _office(args).finish(args.site, outcome, args.ticket, args.desk), "finished")


def cmd_transfer(args: argparse.Namespace) -> None:
    from shared.domain import DomainError

    if not args.to_service and not args.to_desk:
        raise DomainError("say where to: --to SERVICE and/or --to-desk DESK")
    visit = _office(args).transfer(
        args.site, args.ticket, args.desk, to_service=args.to_service, to_desk=args.to_desk
    )
    _visit_out(
        args,
        visit,
        f"transferred to {visit.service}"
        + (f" at {visit.assigned_desk}" if visit.assigned_desk else ""),
    )


def cmd_queue(args: argparse.Namespace) -> None:
    from dataclasses import asdict

    office = _office(args)
    waiting = office.waiting(args.site, args.limit)
    at_desks = office.with_desks(args.site)
    data = {
        "site": args.site.lower(),
        "waiting": [asdict(w) for w in waiting],
        "at_desks": [
            {
                "visit_id": v.id,
                "ticket": v.ticket,
                "service": v.service,
                "state": v.state.value,
                "desk": v.desk,
            }
            for v in at_desks
        ],
    }
    lines = [f"{len(waiting)} waiting" + (f" (first {args.limit})" if args.limit else "")]
    for w in waiting:
        notes = []
        if w.appointment_at:
            notes.append(f"appointment {_local(w.appointment_at)}")
            if not w.callable:
                notes.append("not yet callable")
        if w.priority:
            notes.append("priority")
        notes += [f"{k}={v}" if v else k for k, v in w.flags.items()]
        lines.append(
            f"  {w.ticket:<6} {w.service:<28} {w.waiting_minutes:6.1f} min  "
            f"{w.state:<10} {', '.join(notes)}"
        )
    lines.append(f"{len(at_desks)} at desks")
    lines += [f"  {v.ticket:<6} {v.service:<28} {v.state.value:<8} {v.desk}" for v in at_desks]
    _emit(args, data, "\n".join(lines))


def cmd_visits(args: argparse.Namespace) -> None:
    from shared.office import visit_json

    visits = _office(args).visits(args.site, args.date)
    data = [visit_json(v) for v in visits]
    lines = [
        f"{v.ticket:<6} {v.service:<28} {v.state.value:<10} arrived {_local(v.arrived_at)} "
        f"called {_local(v.first_called_at)} {v.desk or ''}"
        for v in visits
    ]
    _emit(args, {"visits": data}, "\n".join(lines) or "no visits")


def cmd_appointment_add(args: argparse.Namespace) -> None:
    booked = _office(args).add_appointment(args.site, args.service, args.at, args.ref)
    _emit(args, booked, f"booked {booked['ref']}: {booked['service']} at {booked['local_time']}")


def cmd_appointment_list(args: argparse.Namespace) -> None:
    rows = _office(args).appointments(args.site, args.date, args.to_date)
    lines = [f"{r['local_time']}  {r['ref']:<12} {r['service']:<28} {r['status']}" for r in rows]
    _emit(args, {"appointments": rows}, "\n".join(lines) or "no appointments")


def cmd_appointment_import(args: argparse.Namespace) -> None:
    count = _office(args).import_appointments(args.file, args.site)
    _emit(args, {"imported": count}, f"imported {count} appointments")


def cmd_appointment_change(args: argparse.Namespace) -> None:
    from shared.domain import DomainError

    if not args.service and not args.at:
        raise DomainError("say what changes: --service and/or --at")
    row = _office(args).change_appointment(args.site, args.ref, service=args.service, at=args.at)
    _emit(args, row, f"{row['ref']}: {row['service']} at {row['local_time']}")


def cmd_appointment_cancel(args: argparse.Namespace) -> None:
    row = _office(args).cancel_appointment(args.site, args.ref)
    _emit(args, row, f"cancelled {row['ref']}")


def cmd_report(args: argparse.Namespace) -> None:
    from pathlib import Path

    from shared.domain import DomainError
    from shared.reports import render
    from shared.reports.kpis import Period, compute, site_names

    if args.quarter:
        if args.end:
            raise DomainError("--to goes with --from, not with --quarter")
        period = Period.quarter(args.quarter)
    else:
        if args.end is None:
            raise DomainError("--from needs --to")
        period = Period(args.start, args.end)
    office = _office(args)
    if args.what == "prediction":
        _report_prediction(args, office, period)
        return
    by = actor(args, office, args.site)
    report = compute(office.db, None if args.all_sites else [args.site], period, by=by)
    chosen = args.format or ("json" if getattr(args, "json", False) else "text")
    names = site_names(office.db)
    if chosen in ("xlsx", "pdf"):
        from shared.reports import export

        if not args.out:
            raise DomainError(f"--format {chosen} needs --out FILE")
        maker = export.to_xlsx if chosen == "xlsx" else export.to_pdf
        try:
            maker(report, names, Path(args.out))
        except OSError as error:
            raise DomainError(f"cannot write {args.out}: {error.strerror}") from None
        print(f"wrote {args.out}")
        return
    text = {
        "json": lambda: render.as_json(report),
        "text": lambda: render.as_text(report),
        "csv": lambda: render.as_csv(report),
        "md": lambda: render.as_markdown(report, names),
        "html": lambda: render.as_html(report, names),
    }[chosen]()
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as error:
            raise DomainError(f"cannot write {args.out}: {error.strerror}") from None
        print(f"wrote {args.out}")
    else:
        print(text)


def _report_prediction(args: argparse.Namespace, office: Any, period: Any) -> None:
    from shared.domain import DomainError
    from shared.planning.accuracy import measure

    chosen = args.format or ("json" if getattr(args, "json", False) else "text")
    if chosen not in ("text", "json"):
        raise DomainError("the prediction report comes as text or json")
    figures = measure(
        office.db,
        None if args.all_sites else [args.site],
        period.start,
        period.end,
        by=actor(args, office, args.site),
    )
    if chosen == "json":
        text = json.dumps(figures, indent=2)
    else:
        lines = [
            f"Waits told and waits that followed, {figures['from']} to {figures['to']} "
            f"({', '.join(figures['sites'])}): {figures['visitors']} visitors called",
        ]
        names = {
            "predictor": "the wait predictor",
            "queue_length": "queue length x mean time / desks open",
            "last_called": "the last called visitor's wait",
        }
        for part, title in ((figures, "all day"), (figures["12_14"], "12:00-14:00")):
            lines.append(f"  {title}:")
            for key, name in names.items():
                lines.append(
                    f"    {name:40} mean error {part['mean_absolute_error_minutes'][key]:6.2f} min"
                    f"   within 5 min {part['within_5_minutes_pct'][key]:5.1f}%"
                )
        text = "\n".join(lines)
    if args.out:
        from pathlib import Path

        try:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise DomainError(f"cannot write {args.out}: {error.strerror}") from None
        print(f"wrote {args.out}")
    else:
        print(text)


def cmd_simulate(args: argparse.Namespace) -> None:
    from shared.domain import DomainError
    from shared.planning.erlang import ErlangC
    from shared.planning.simulate import simulate_mmc

    plain = (args.arrivals_per_hour, args.mean_service_minutes, args.desks)
    if args.site and all(value is None for value in plain):
        _simulate_site(args)
        return

    serve, desks, service = 15, args.desks, args.mean_service_minutes
    if args.site:
        site = _office(args).site(args.site)
        serve = site.targets.serve_minutes
        desks = len(site.desks) if desks is None else desks
        if service is None:
            service = sum(s.mean_service_minutes for s in site.services) / len(site.services)
    arrivals = 30.0 if args.arrivals_per_hour is None else args.arrivals_per_hour
    desks = 6 if desks is None else desks
    service = 10.0 if service is None else service
    if arrivals <= 0 or service <= 0 or desks < 1 or args.hours <= 0:
        raise DomainError("arrivals, service minutes, desks and hours must be positive")
    day = simulate_mmc(arrivals, service, desks, args.hours, args.seed)
    data = {
        "arrivals_per_hour": arrivals,
        "mean_service_minutes": service,
        "desks": desks,
        "hours": args.hours,
        "seed": args.seed,
        "visitors": day.visitors,
        "average_wait_minutes": round(day.average_wait_minutes(), 2),
        "serve_target_met_pct": round(day.share_within(serve), 1),
        "serve_target_minutes": serve,
    }
    try:
        exact = ErlangC(arrivals, service, desks)
        data["erlang_c"] = {
            "average_wait_minutes": round(exact.mean_wait_minutes(), 2),
            "serve_target_met_pct": round(100 * exact.share_within(serve), 1),
            "utilisation": round(exact.utilisation, 3),
        }
    except ValueError as error:
        data["erlang_c"] = {"note": str(error)}
    bars = " ▁▂▃▄▅▆▇█"
    half_hours = [
        max((n for t, n in day.queue if k * 30 <= t < (k + 1) * 30), default=0)
        for k in range(int(args.hours * 2))
    ]
    peak = max([*half_hours, 1])
    chart = "".join(bars[min(8, round(8 * n / peak))] for n in half_hours)
    lines = [
        f"{day.visitors} visitors, {desks} desks, {arrivals:g} an hour, {service:g} min each",
        f"average wait {data['average_wait_minutes']} min, called within {serve} min: "
        f"{data['serve_target_met_pct']}%",
    ]
    if "average_wait_minutes" in data["erlang_c"]:
        lines.append(
            f"Erlang C (long run): average wait {data['erlang_c']['average_wait_minutes']} min, "
            f"within {serve} min {data['erlang_c']['serve_target_met_pct']}%"
        )
    lines.append(f"queue by half hour (peak {peak}): {chart}")
    _emit(args, data, "\n".join(lines))


def _simulate_site(args: argparse.Namespace) -> None:
    from datetime import timedelta

    from shared.domain import DomainError
    from shared.planning.dayplan import chart, figures, plan_day
    from shared.planning.daysim import simulate_day

    if args.days < 1 or args.days > 500:
        raise DomainError("--days is between 1 and 500")
    if args.weeks < 1:
        raise DomainError("look back at least one week")
    if args.visitors is not None and args.visitors < 0:
        raise DomainError("--visitors cannot be negative")
    office = _office(args)
    day = args.date or (_today(office, args.site) + timedelta(days=1))
    site, planned = plan_day(
        office.db,
        args.site,
        day,
        weeks=args.weeks,
        visitors=args.visitors,
        breaks=not args.no_breaks,
        seed=args.seed,
    )
    days = [simulate_day(site, day, planned.plan, seed=args.seed + k) for k in range(args.days)]
    data = {"site": site.code, "date": day.isoformat(), "planned_from": planned.source}
    data |= figures(site, days)
    targets = site.targets

    def shown(value: object, unit: str = "") -> str:
        return "-" if value is None else f"{value}{unit}"

    lines = [
        f"{site.name}, {day:%A} {day.day} {day:%B %Y}: {data['days']} simulated days, "
        f"{data['visitors']} visitors a day ({planned.source})",
        f"  greeted within {targets.greet_minutes} min  {shown(data['greet_target_met_pct'], '%')}",
        f"  called within {targets.serve_minutes} min  {shown(data['serve_target_met_pct'], '%')}",
        f"  average wait                 {shown(data['average_wait_minutes'], ' min')}"
        f"   (90% within {shown(data['p90_wait_minutes'], ' min')})",
        f"  average wait 12:00-14:00     {shown(data['average_wait_minutes_12_14'], ' min')}",
        f"  appointments on time         {shown(data['appointments_on_time_pct'], '%')}",
        f"  queue by half hour: {chart(data['queue_by_half_hour'])}",
    ]
    _emit(args, data, "\n".join(lines))


def _today(office: Any, site: str) -> Any:
    from shared.domain.tickets import ticket_day

    with office.db.transaction(write=False) as tx:
        return ticket_day(tx.now, office.site(site).timezone)


def cmd_staffing(args: argparse.Namespace) -> None:
    from datetime import UTC, timedelta
    from datetime import datetime as dt

    from shared.planning.staffing import advise

    day = args.date or (dt.now(UTC) + timedelta(days=1)).date()
    advice = advise(_office(args).db, args.site, day, weeks=args.weeks)
    lines = [
        f"{advice['site']}, {advice['weekday']} {advice['day']}: from the last {args.weeks} "
        f"{advice['weekday']}s, {advice['mean_service_minutes']} min a visit; CSAs for "
        f"{advice['share_in_time_pct']}% called within {advice['serve_target_minutes']} min"
    ]
    lines += [
        f"  {h['hour']}  {h['arrivals_per_hour']:5.1f} arrivals  {h['csas']:2d} CSAs  "
        f"({h['called_in_time_pct']}% in time, average wait {h['average_wait_minutes']} min)"
        for h in advice["hours"]
    ]
    if not advice["hours"]:
        lines.append("  no history for that weekday yet")
    _emit(args, advice, "\n".join(lines))


def cmd_purge(args: argparse.Namespace) -> None:
    from shared.reports.privacy import purge

    office = _office(args)
    by = actor(args, office, args.site)
    # Without --site: every site, or (a supervisor's --as, not --all-sites) their own.
    own = by is not None and by.role != "admin" and not args.all_sites
    sites = [args.site] if args.site else ([by.site] if own else None)
    results = purge(office.db, sites, dry_run=args.dry_run, by=by)
    verb = "would remove" if args.dry_run else "removed"
    lines = [
        f"{r.site}: {verb} {r.comments} survey comments, {r.needs} visitors' needs and "
        f"{r.notes} notes in the audit trail from before {r.before}"
        for r in results
    ]
    _emit(
        args, {"dry_run": args.dry_run, "sites": [r.as_json() for r in results]}, "\n".join(lines)
    )


def cmd_import_visits(args: argparse.Namespace) -> None:
    from shared.reports.history import import_visits

    result = import_visits(
        _office(args).db, args.file, skip_bad=args.skip_bad, encoding=args.encoding
    )
    lines = [f"imported {result.imported} visits ({result.surveys} survey answers)"]
    lines += [f"  skipped line {line}: {reason}" for line, reason in result.bad]
    _emit(args, result.as_json(), "\n".join(lines))


def cmd_demo(args: argparse.Namespace) -> None:
    from reception.demo import has_screen, run_window_demo

    windows = not args.text and not getattr(args, "json", False)
    if windows and (has_screen() or args.screenshot):
        if not has_screen():
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        run_window_demo(args.minutes, args.screenshot)
        return
    if windows:
        print("No screen here (DISPLAY is not set): the morning as text instead.\n", flush=True)
    from shared.demo import SimulatedClock, morning_start, run_demo
    from shared.office import Office
    from shared.store import Database
    from shared.store.db import data_dir

    url = getattr(args, "db", None)
    if url is None:
        path = data_dir() / "demo.db"
        for stale in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
            stale.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    clock = SimulatedClock(morning_start())
    office = Office(Database(url, clock=clock))
    office.ensure_default_sites()
    quiet = getattr(args, "json", False)
    figures = run_demo(
        office,
        visitors=args.visitors,
        fast=args.fast or quiet,
        clock=clock,
        out=(lambda _line: None) if quiet else print,
    )
    if quiet:
        print(json.dumps(figures))


# -- entry point ---------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["kiosk"]:  # the apps parse their own options
        from kiosk.app import main as kiosk_main

        return kiosk_main(argv[1:])
    if argv[:1] == ["setup"]:  # the wizard and the settings file: shared/settings.py
        from shared.settings import setup_main

        return setup_main(argv[1:])
    if argv[:1] in (["display"], ["desk"], ["reception"]):
        from reception import app as apps

        entry = {
            "display": apps.display_main,
            "desk": apps.desk_main,
            "reception": apps.reception_main,
        }
        return entry[argv[0]](argv[1:])
    wants_json = "--json" in argv
    parser = build_parser()
    try:
        for number, arg in enumerate(argv, start=1):
            if not arg.isprintable() and any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in arg):
                # Bytes that are not UTF-8 reach Python as lone surrogates, and a caller
                # of main() may pass a NUL: no database, terminal or JSON takes either.
                parser.error(f"argument {number} ({_plain(arg, 40)}) is not UTF-8 text")
        args = parser.parse_args(argv)
    except UsageError as error:
        error.parser.print_usage(sys.stderr)
        print(f"{error.parser.prog}: error: {error}", file=sys.stderr)
        if wants_json:
            print(json.dumps({"error": str(error), "usage": True}))
        return EXIT_USER
    return run(args)


def database_problem(error: Exception) -> tuple[str, int]:
    """What to tell a person about a database error, and the exit code: the login may
    not do that (2, a set-up matter), or the database cannot be used (1: try again)."""
    from sqlalchemy.exc import OperationalError

    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) == "42501":  # a login without the privilege
        reason = str(orig).strip().splitlines()[0]
        return (
            f"this database login may not do that ({reason}): "
            "docs/deploy.md says which login each PC uses",
            EXIT_USER,
        )
    if isinstance(error, OperationalError):
        reason = str(orig).strip().splitlines()[0] if orig else str(error)
        return f"cannot use the database: {reason}", EXIT_SYSTEM
    return f"database error: {str(error).splitlines()[0]}", EXIT_SYSTEM


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from shared.domain import DomainError

    try:
        from shared.config import ConfigError
    except ImportError:  # pragma: no cover
        ConfigError = DomainError  # type: ignore[misc,assignment]

    def fail(message: str, code: int) -> int:
        # What was typed or read may be in it (a file name, a cell): no raw control
        # characters reach the terminal; the lines of a listing stay lines.
        message = "\n".join(_plain(line, 600) for line in message.split("\n"))
        print(f"onestop: error: {message}", file=sys.stderr)
        if getattr(args, "json", False):
            print(json.dumps({"error": message}))
        return code

    handler = getattr(args, "handler", None)
    if handler is None:  # an app's verb after an option (onestop --json kiosk): its own parser
        return fail(f"put {args.verb} first: onestop {args.verb} --help", EXIT_USER)
    try:
        handler(args)
    except (DomainError, ConfigError) as error:
        return fail(str(error), EXIT_USER)
    except SQLAlchemyError as error:
        return fail(*database_problem(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:  # main() called in-process (tests, scripts) leaves no connection open
        sign_out_all()  # --as NAME: the command's sign-in ends with it
        while _OPENED:
            _OPENED.pop().dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
