"""`onestop import visits FILE.csv`: a council's old records, in one go or not at all.

Columns: site, service, ticket, arrived_at, greeted_at, called_at, finished_at,
desk, appointment_at, outcome, survey_resolved, survey_csa, survey_overall,
survey_fair, survey_comment. Times are ISO 8601 with an offset; an empty cell
means it did not happen. A bad row is reported with its line number and the
reason; by default nothing is imported then (`skip_bad` imports the good rows).

What a row becomes:
- called and finished (with an outcome, or none: "not recorded") → finished; the
  outcome cell may carry the detail after a colon, "avoidable: could be done online"
  or "referred: Revenues" (the avoidable reason, the back office); a referred or
  avoidable row without one gets "not recorded";
- outcome `no_show` ("no show", "no-show") → no-show at the call; outcome `left`,
  or never called → left before being called (its end is the finish time, else the
  arrival); `left` on a row that was called is an error;
- survey cells → a survey response linked to the visit.

Each row is checked in full, so an all-or-nothing import that fails lists every
bad line (the first MAX_LISTED). A row with more cells than the header, or a file
that is not UTF-8 (unless another encoding is named), is an error with its line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select

from shared.domain import DomainError, Outcome, OutcomeKind, State, Visit, quoted
from shared.domain.tickets import normalise_ticket, ticket_day
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import survey_t, visit_t

COLUMNS = (
    "site",
    "service",
    "ticket",
    "arrived_at",
    "greeted_at",
    "called_at",
    "finished_at",
    "desk",
    "appointment_at",
    "outcome",
    "survey_resolved",
    "survey_csa",
    "survey_overall",
    "survey_fair",
    "survey_comment",
)
# What the outcome cell may say (before an optional ": detail"); "no show", "no-show"
# and "No_Show" are all no_show.
OUTCOMES = (*(k.value for k in OutcomeKind), "no_show", "left")
NOT_GIVEN = "not recorded"  # the reason or back office of an old record that gave none
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
SCALE_WORDS = {
    "very satisfied": 5,
    "fairly satisfied": 4,
    "neither": 3,
    "neither satisfied nor dissatisfied": 3,
    "fairly dissatisfied": 2,
    "very dissatisfied": 1,
}


@dataclass
class ImportReport:
    imported: int = 0
    surveys: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "surveys": self.surveys,
            "skipped": [{"line": n, "reason": r} for n, r in self.bad],
        }


def _time(record: dict[str, str], name: str) -> datetime | None:
    value = record.get(name, "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{name} {quoted(value)} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise DomainError(f"{name} {quoted(value)} has no UTC offset")
    if not EARLIEST.year <= moment.year <= LATEST.year:  # nor a slip of the keyboard
        raise DomainError(f"{name} {quoted(value)} is not between 1970 and 2999")
    return moment


def _yes_no(record: dict[str, str], name: str) -> bool | None:
    value = record.get(name, "").strip().lower()
    if not value:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    raise DomainError(f"{name} {quoted(value)}: expected yes or no")


def _scale(record: dict[str, str], name: str) -> int | None:
    value = record.get(name, "").strip().lower()
    if not value:
        return None
    if value in SCALE_WORDS:
        return SCALE_WORDS[value]
    if value in ("1", "2", "3", "4", "5"):  # not isdigit(): "²" is a digit int() refuses
        return int(value)
    raise DomainError(f"{name} {quoted(value)}: expected 1 to 5 or very/fairly satisfied ... ")


def _outcome(cell: str) -> tuple[str, str]:
    """Split the outcome cell: "avoidable: could be done online" -> kind and detail."""
    kind, _, detail = cell.partition(":")
    wanted = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if wanted and wanted not in OUTCOMES:
        raise DomainError(
            f"outcome {quoted(kind.strip())} is not one of {', '.join(OUTCOMES)} "
            '(a reason or back office may follow a colon: "avoidable: could be done online")'
        )
    return wanted, detail.strip()


def _visit(
    tx: Tx, record: dict[str, str], sites: dict[str, repo.SiteRef]
) -> tuple[repo.SiteRef, Visit, Any]:
    code = record.get("site", "").strip()
    ref = sites.get(code)
    if ref is None:  # each site's configuration read (and parsed) once per import
        ref = sites[code] = repo.get_site(tx, code)
    site = ref.site
    service = site.service(record.get("service", "").strip().lower())
    arrived = _time(record, "arrived_at")
    if arrived is None:
        raise DomainError("arrived_at is required")
    greeted, called, finished = (
        _time(record, n) for n in ("greeted_at", "called_at", "finished_at")
    )
    appointment_at = _time(record, "appointment_at")
    for name, moment in (("greeted_at", greeted), ("called_at", called), ("finished_at", finished)):
        if moment is not None and moment < arrived:
            raise DomainError(f"{name} is before arrived_at")
    if called is not None and finished is not None and finished < called:
        raise DomainError("finished_at is before called_at")
    ticket = normalise_ticket(record.get("ticket", "") or "")
    desk = record.get("desk", "").strip() or None
    if desk is not None:
        desk = site.desk(desk).name
    outcome_text, detail = _outcome(record.get("outcome", ""))
    visit = Visit(
        site=site.code,
        service=service.code,
        ticket=ticket,
        arrived_at=arrived,
        appointment_at=appointment_at,
    )
    visit.greeted_at = (
        min(m for m in (greeted, called) if m is not None) if (greeted or called) else None
    )
    if called is not None:
        visit.first_called_at = visit.called_at = called
        visit.call_count = 1
        visit.desk = desk
    if outcome_text == "left" and called is not None:
        raise DomainError(
            "outcome left, but the visit was called: a visitor called who did not come "
            "forward is no_show; left is for one who walked out before being called"
        )
    if called is None:
        if outcome_text not in ("", "left"):
            raise DomainError(f"outcome {quoted(outcome_text)} for a visit never called")
        visit.state = State.LEFT
        visit.ended_at = finished or arrived
    elif outcome_text == "no_show":
        visit.state = State.NO_SHOW
        visit.ended_at = finished or called
    elif finished is not None:
        visit.serving_at = called
        visit.ended_at = finished
        visit.state = State.FINISHED
        kind = OutcomeKind(outcome_text) if outcome_text else OutcomeKind.NOT_RECORDED
        if kind in (OutcomeKind.REFERRED, OutcomeKind.AVOIDABLE) and not detail:
            detail = NOT_GIVEN
        visit.outcome = Outcome(kind, detail)
    else:
        raise DomainError("called but neither finished nor a no-show")
    return ref, visit, ticket_day(arrived, site.timezone)


def import_visits(
    db: Database, path: str | Path, *, skip_bad: bool = False, encoding: str | None = None
) -> ImportReport:
    """Import the file in one transaction. Every bad row is found (its line and reason);
    unless `skip_bad`, any bad row means nothing is imported and the error lists them
    (the first MAX_LISTED). `encoding`: UTF-8 (with or without a byte-order mark) unless
    told otherwise, e.g. "cp1252" for a file Excel saved as plain "CSV" on Windows."""
    path = Path(path)
    if not str(path).isprintable():  # it would be repeated in every message
        raise DomainError(f"{quoted(str(path))}: a file name with control characters")
    chosen = _encoding(encoding)
    try:
        handle = path.open(newline="", encoding=chosen)
    except OSError as error:
        raise DomainError(f"cannot read {path}: {error.strerror}") from None
    except ValueError:  # a NUL in the name
        raise DomainError(f"{quoted(str(path))} is not a file name") from None
    reader = csv.reader(handle)
    try:
        with handle, db.transaction() as tx:
            report = _import(tx, reader, path, skip_bad)
            if report.bad and not skip_bad:
                raise DomainError(_listing(path, report.bad))
    except UnicodeDecodeError:
        raise DomainError(_not_decodable(path, chosen)) from None
    except UnicodeError as error:  # e.g. UTF-16 named, but the file has no byte-order mark
        raise DomainError(f"{path}: not {chosen} text ({error}); nothing was imported") from None
    except csv.Error as error:  # a quote left open swallows the rest of the file
        raise DomainError(
            f"{path}, line {reader.line_num}: {error} (a double quote never closed?); "
            "nothing was imported"
        ) from None
    return report


EARLIEST, LATEST = date(1970, 1, 1), date(2999, 12, 31)


MAX_LISTED = 50  # bad rows listed in the error of an all-or-nothing import


def _encoding(name: str | None) -> str:
    import codecs

    try:
        found = codecs.lookup(name or "utf-8").name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise DomainError(f"unknown encoding {quoted(name or '')} (e.g. utf-8, cp1252)") from None
    return "utf-8-sig" if found == "utf-8" else found  # a byte-order mark is not data


def _not_decodable(path: Path, encoding: str) -> str:
    """The error for a file that is not `encoding` text, naming its first bad line."""
    number, byte = _first_undecodable(path, encoding)
    utf8 = encoding == "utf-8-sig"
    hint = (
        'save it as "CSV UTF-8" (Excel: Save As, CSV UTF-8), or import it with '
        "--encoding cp1252 if it is Excel's plain CSV from Windows"
        if utf8
        else "check the file's encoding"
    )
    return (
        f"{path}, line {number}: not {'UTF-8' if utf8 else encoding} text "
        f"(byte 0x{byte:02X}): {hint}; nothing was imported"
    )


def _first_undecodable(path: Path, encoding: str) -> tuple[int, int]:
    """(line number, byte) of the first byte that does not decode (in any encoding: UTF-16
    cannot be split at b"\\n" as UTF-8 and single-byte codes can)."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start].decode(encoding, errors="replace")
        return before.count("\n") + 1, data[error.start]
    return 1, 0  # pragma: no cover - the reader found a byte that does not decode


def _listing(path: Path, bad: list[tuple[int, str]]) -> str:
    rows = "row" if len(bad) == 1 else "rows"
    lines = [f"{path}: {len(bad)} bad {rows}, nothing was imported (--skip-bad imports the rest):"]
    lines += [f"  line {line}: {reason}" for line, reason in bad[:MAX_LISTED]]
    if len(bad) > MAX_LISTED:
        lines.append(f"  ... and {len(bad) - MAX_LISTED} more")
    return "\n".join(lines)


def _import(tx: Tx, reader: Any, path: Path, skip_bad: bool) -> ImportReport:
    report = ImportReport()
    header = next(reader, None) or []
    names = [n.strip().lower() for n in header]
    missing = [c for c in ("site", "service", "ticket", "arrived_at") if c not in names]
    unknown = [quoted(n) for n in names if n not in COLUMNS]
    twice = sorted({n for n in names if names.count(n) > 1})
    if missing or unknown or twice:
        problem = (
            f"missing column(s) {', '.join(missing)}"
            if missing
            else f"unknown column(s) {', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}"
            if unknown
            else f"column(s) {', '.join(twice)} given twice"
        )
        raise DomainError(f"{path}, line 1: {problem} (expected {', '.join(COLUMNS)})")
    seen: set[tuple[int, Any, str]] = set()
    sites: dict[str, repo.SiteRef] = {}
    changed_sites: dict[int, repo.SiteRef] = {}
    line = reader.line_num
    for values in reader:
        first_line, line = line + 1, reader.line_num  # a quoted comment may span lines
        if not any(v.strip() for v in values):
            continue  # a blank line
        try:
            if len(values) > len(names):
                raise DomainError(
                    f"{len(values)} cells, but the header has {len(names)} columns "
                    "(a comma in a comment? put the comment in double quotes)"
                )
            if any("\x00" in v for v in values):  # PostgreSQL cannot store it; never meant
                raise DomainError("a cell holds a NUL character: is this a text file?")
            cells = {name: value.strip() for name, value in zip(names, values, strict=False)}
            ref = _insert(tx, cells, seen, sites, report)
            changed_sites[ref.id] = ref
        except DomainError as error:
            report.bad.append((first_line, str(error)))
    if report.bad and not skip_bad:
        return report
    for ref in changed_sites.values():
        repo.rebuild_counts(tx, ref.id)
        repo.changed(tx, ref)
    return report


# Built once: a statement built per row costs more than the row's own work.
_CLASH = select(visit_t.c.id).where(
    visit_t.c.site_id == bindparam("s"),
    visit_t.c.ticket_day == bindparam("d"),
    visit_t.c.ticket == bindparam("t"),
)
_INSERT_VISIT = insert(visit_t).returning(visit_t.c.id)
_INSERT_SURVEY = insert(survey_t)


def _insert(
    tx: Tx,
    cells: dict[str, str],
    seen: set[tuple[int, Any, str]],
    sites: dict[str, repo.SiteRef],
    report: ImportReport,
) -> repo.SiteRef:
    """One row into the database, or DomainError. Every check comes before the first
    write, so a refused row writes nothing (no savepoint needed)."""
    ref, visit, day = _visit(tx, cells, sites)
    key = (ref.id, day, visit.ticket)
    clash = (
        key in seen or tx.conn.execute(_CLASH, {"s": ref.id, "d": day, "t": visit.ticket}).first()
    )
    if clash:
        raise DomainError(f"ticket {visit.ticket} is already used at {ref.code} on {day}")
    answers = {
        "resolved": _yes_no(cells, "survey_resolved"),
        "csa": _scale(cells, "survey_csa"),
        "overall": _scale(cells, "survey_overall"),
        "fair": _yes_no(cells, "survey_fair"),
    }
    columns = repo._columns(visit, ref.site)
    visit_id = tx.conn.execute(
        _INSERT_VISIT, {"site_id": ref.id, "ticket": visit.ticket, "ticket_day": day, **columns}
    ).scalar_one()
    comment = cells.get("survey_comment") or None
    if any(v is not None for v in answers.values()) or comment:
        tx.conn.execute(
            _INSERT_SURVEY,
            {
                "site_id": ref.id,
                "visit_id": visit_id,
                "answered_at": visit.ended_at or visit.arrived_at,
                "comment": comment,
                "language": "en",
                **answers,
            },
        )
        report.surveys += 1
    seen.add(key)
    report.imported += 1
    return ref
