"""Appointment and history CSV files: good ones, then damaged a cell, a row or the
header at a time, and written in whatever encoding a spreadsheet chose.

Each file knows the line where each of its rows starts (a quoted cell may hold line
breaks), and which row was surely made bad, so a property can check the line named.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from shared.reports.history import COLUMNS as HISTORY_COLUMNS
from tests.fuzz.nasty import long_text, nasty, weird
from tests.fuzz.toml_mutations import SHIPPED

SERVICES = {
    "bootle": ["council-tax", "elas", "housing-benefit", "parking", "payments", "housing"],
    "southport": ["council-tax", "blue-badges", "general-enquiries", "my-account"],
}
DESKS = {"bootle": ["Desk 1", "Desk 3", "Interview Room 1", "8"], "southport": ["Desk 2", "6"]}
assert all(
    f'code = "{code}"' in SHIPPED[f"{site}.toml"] for site in SERVICES for code in SERVICES[site]
)
APPOINTMENT_COLUMNS = ("site", "service", "at", "ref")


@dataclass
class CsvFile:
    header: list[str]
    rows: list[list[str]]
    bad_row: int | None = None  # index of a row surely refused (None: maybe none)
    bad_header: bool = False
    encoding: str = "utf-8"
    junk_at: int | None = None  # a byte that is not UTF-8 goes here
    starts: list[int] = field(default_factory=list)  # line where each row starts

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        line = 2
        self.starts = []
        for row in self.rows:
            before = out.tell()
            writer.writerow(row)
            self.starts.append(line)
            line += out.getvalue()[before:].count("\n")
        return out.getvalue()

    def data(self) -> bytes:
        text = self.text()
        if self.encoding == "bom":
            return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
        if self.encoding in ("utf-16", "cp1252"):
            return text.encode(self.encoding, "replace")
        data = text.encode("utf-8", "surrogatepass")
        if self.junk_at is not None:
            at = min(self.junk_at, len(data))
            data = data[:at] + b"\xff" + data[at:]
        return data


def iso(moment: datetime, offset_hours: int = 0) -> str:
    from datetime import timezone

    return moment.astimezone(timezone(timedelta(hours=offset_hours))).isoformat()


# -- history -------------------------------------------------------------------------


@st.composite
def history_row(draw: st.DrawFn, number: int, day: datetime) -> list[str]:
    site = draw(st.sampled_from(sorted(SERVICES)))
    service = draw(st.sampled_from(SERVICES[site]))
    arrived = day + timedelta(minutes=draw(st.integers(0, 480)))
    offset = draw(st.sampled_from([0, 1]))
    row = dict.fromkeys(HISTORY_COLUMNS, "")
    row |= {
        "site": site,
        "service": service,
        "ticket": f"{draw(st.sampled_from('ACHPQ'))}{number:03d}",
        "arrived_at": iso(arrived, offset),
    }
    fate = draw(st.sampled_from(["finished", "left", "no_show"]))
    if fate != "left":
        called = arrived + timedelta(minutes=draw(st.integers(0, 60)))
        row["called_at"] = iso(called, offset)
        row["greeted_at"] = iso(arrived + timedelta(minutes=1), offset)
        row["desk"] = draw(st.sampled_from(DESKS[site]))
        row["outcome"] = (
            "no-show"
            if fate == "no_show"
            else draw(st.sampled_from(["resolved", "referred: Revenues", "avoidable: online", ""]))
        )
        if fate == "finished":
            row["finished_at"] = iso(called + timedelta(minutes=draw(st.integers(1, 40))), offset)
            row["survey_csa"] = draw(st.sampled_from(["", "5", "fairly satisfied", "1"]))
            row["survey_resolved"] = draw(st.sampled_from(["", "yes", "No"]))
            row["survey_comment"] = draw(st.sampled_from(["", "Very helpful, thanks", "a\nb"]))
    return [row[c] for c in HISTORY_COLUMNS]


BAD_TIMES = [
    "yesterday",
    "2024-03-05 10:00",  # no offset
    "2024-02-30T10:00:00+00:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "2024-03-05T10:00:00+25:00",
    "\uff11\uff12:\uff13\uff10",
    "\x00",
]
SURELY_BAD = {
    "site": ["nowhere", "", "BOOTLE\x00", "bootle\u202e"],
    "service": ["council tax", "", "elas\x1b[2J"],
    "ticket": ["", "C", "A0", "A1234567", "٣٣", "C-12"],
    "arrived_at": ["", *BAD_TIMES],
    "outcome": ["maybe", "served?"],
    "survey_csa": ["6", "²", "0", "very", "1.5"],
    "survey_fair": ["perhaps", "\uff12"],
    "desk": ["Desk 99", "\x00"],
}


@st.composite
def history_file(draw: st.DrawFn) -> CsvFile:
    day = datetime(2015, 1, 5, 9, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 3000)))
    count = draw(st.integers(1, 8))
    rows = [draw(history_row(n + 1, day)) for n in range(count)]
    f = CsvFile(list(HISTORY_COLUMNS), rows)
    damage_all(draw, f, SURELY_BAD, HISTORY_COLUMNS)
    return f


# -- appointments --------------------------------------------------------------------


@st.composite
def appointment_row(draw: st.DrawFn, number: int) -> list[str]:
    site = draw(st.sampled_from(sorted(SERVICES)))
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(
        days=draw(st.integers(1, 300)), minutes=draw(st.integers(0, 600))
    )
    ref = draw(st.one_of(st.just(""), st.from_regex(r"[A-Z]{3}-[A-Z0-9]{6}", fullmatch=True)))
    return [
        site,
        draw(st.sampled_from(SERVICES[site])),
        iso(at, draw(st.sampled_from([0, 1]))),
        ref,
    ]


SURELY_BAD_APPOINTMENT = {
    "site": ["nowhere", "BOOTLE\x00", "\u202ebootle"],
    "service": ["council tax", "", "x" * 300],
    "at": ["", *BAD_TIMES],
    "ref": ["has space", "emoji😀", "\x00", "x" * 41, "a,b"],
}


@st.composite
def appointment_file(draw: st.DrawFn) -> CsvFile:
    rows = [draw(appointment_row(n)) for n in range(draw(st.integers(1, 6)))]
    header = list(APPOINTMENT_COLUMNS)
    if draw(st.booleans()):  # the other name of the time column
        header[2] = "appointment_at"
    f = CsvFile(header, rows)
    damage_all(draw, f, SURELY_BAD_APPOINTMENT, APPOINTMENT_COLUMNS)
    return f


# -- damage, shared --------------------------------------------------------------------


def damage_all(
    draw: st.DrawFn, f: CsvFile, surely_bad: dict[str, list[str]], columns: tuple[str, ...]
) -> None:
    """Some damage of any kind, then (often) one cell surely bad, last, so that nothing
    drawn after it can undo it; then an encoding."""
    for _ in range(draw(st.integers(0, 2))):
        damage(draw, f, surely_bad, columns, draw(st.sampled_from(KINDS)))
    if draw(st.booleans()):
        damage(draw, f, surely_bad, columns, "surely_bad")
    encode(draw, f)


KINDS = ["nasty_cell", "long_cell", "extra_cells", "short_row", "header", "blank"]


def damage(
    draw: st.DrawFn,
    f: CsvFile,
    surely_bad: dict[str, list[str]],
    columns: tuple[str, ...],
    kind: str,
) -> None:
    if not f.rows:
        return
    row = draw(st.integers(0, len(f.rows) - 1))
    if kind == "surely_bad":
        column = draw(st.sampled_from(sorted(surely_bad)))
        at = f.header.index(column) if column in f.header else None
        if at is not None and at < len(f.rows[row]):
            f.rows[row][at] = draw(st.sampled_from(surely_bad[column]))
            if any(cell.strip() for cell in f.rows[row]):  # a blank row is skipped, not bad
                f.bad_row = row
    elif kind == "nasty_cell":
        cell = draw(st.integers(0, max(0, len(f.header) - 1)))
        if cell < len(f.rows[row]):
            f.rows[row][cell] = draw(nasty(long=False))  # maybe bad, maybe not
    elif kind == "long_cell":
        cell = draw(st.integers(0, max(0, len(f.header) - 1)))
        if cell < len(f.rows[row]):
            f.rows[row][cell] = draw(long_text())
    elif kind == "extra_cells":
        f.rows[row] = f.rows[row] + draw(st.lists(weird, min_size=1, max_size=3))
    elif kind == "short_row" and f.rows[row]:
        f.rows[row] = f.rows[row][: draw(st.integers(0, len(f.rows[row]) - 1))]
    elif kind == "header" and f.header:
        f.bad_header = True
        how = draw(st.sampled_from(["drop", "rename", "twice", "nasty", "empty"]))
        at = draw(st.integers(0, len(f.header) - 1))
        if how == "drop":
            del f.header[at]
        elif how == "rename":
            f.header[at] = f.header[at] + "x"
        elif how == "twice":
            f.header.append(f.header[at])
        elif how == "nasty":
            f.header[at] = draw(weird)
        else:
            f.header = []
    elif kind == "blank":
        f.rows.insert(row, [""] * len(f.header))


def encode(draw: st.DrawFn, f: CsvFile) -> None:
    f.encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "bom", "utf-16", "cp1252"]))
    if f.encoding == "utf-8" and draw(st.integers(0, 5)) == 0:
        f.junk_at = draw(st.integers(0, 4000))
