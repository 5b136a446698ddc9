"""History import: outcomes with their detail, and the edge cases of a council's old file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.domain import DomainError
from shared.office import Office
from shared.reports.history import import_visits
from shared.reports.kpis import Period, compute
from shared.reports.render import as_csv, as_text
from shared.store import Database
from shared.store.tables import visit_t
from tests.integration.test_reports import HEADER

JULY = Period(date(2025, 7, 1), date(2025, 7, 31))


def row(ticket: str, outcome: str, *, service: str = "council-tax", called: bool = True) -> str:
    """A Bootle visit on 1 July 2025 (BST), called after 5 minutes and finished at 09:30."""
    call = "2025-07-01T09:05:00+01:00" if called else ""
    end = "2025-07-01T09:30:00+01:00" if called else ""
    return (
        f"bootle,{service},{ticket},2025-07-01T09:00:00+01:00,,{call},{end},"
        f"{'Desk 1' if called else ''},,{outcome},,,,,"
    )


@pytest.fixture
def db(db_url: str):
    db = Database(db_url)
    Office(db).ensure_default_sites()
    yield db
    db.dispose()


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_outcome_cell_carries_the_reason_and_the_back_office(db, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        row("C001", "avoidable: could be done online"),
        row("C002", "Avoidable:could be done online"),
        row("C003", "resolved"),
        row("P001", "avoidable: wrong office", service="parking"),
        row("P002", "referred: Revenues", service="parking"),
        row("K001", "avoidable", service="housing"),  # an old record without a reason
    )
    assert import_visits(db, path).imported == 6
    with db.transaction(write=False) as tx:
        details = dict(tx.conn.execute(select(visit_t.c.ticket, visit_t.c.outcome_detail)).all())
    assert details["P002"] == "Revenues" and details["K001"] == "not recorded"
    r = compute(db, ["bootle"], JULY)
    assert r["avoidable_contact_pct"] == 66.7  # 4 of 6 finished
    assert r["avoidable_by_reason"] == {
        "could be done online": 2,
        "not recorded": 1,
        "wrong office": 1,
    }
    # shares of the 4 avoidable contacts
    assert r["avoidable_by_reason_pct"] == {
        "could be done online": 50.0,
        "not recorded": 25.0,
        "wrong office": 25.0,
    }
    assert r["avoidable_by_service"] == {"council-tax": 2, "housing": 1, "parking": 1}
    assert r["avoidable_by_service_pct"] == {"council-tax": 50.0, "housing": 25.0, "parking": 25.0}
    # and of each service's own finished visits: 2 of 3, 1 of 1, 1 of 2
    assert r["avoidable_rate_by_service_pct"] == {
        "council-tax": 66.7,
        "housing": 100.0,
        "parking": 50.0,
    }
    text = as_text(r)
    assert "Avoidable contact by reason" in text
    assert any(
        line.split() == ["could", "be", "done", "online", "2", "50.0"] for line in text.splitlines()
    )
    assert any(
        line.split() == ["Council", "Tax", "2", "50.0", "66.7"] for line in text.splitlines()
    )
    assert "avoidable_rate_by_service_pct,parking,50.0" in as_csv(r)


def test_a_file_that_is_not_utf8_is_named_with_its_line(db, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"  # Excel's plain "CSV" on Windows: cp1252
    survey = row("C002", "resolved").removesuffix(",,,,,") + ",yes,5,5,yes,Très bien"
    path.write_bytes((HEADER + row("C001", "resolved") + "\n" + survey + "\n").encode("cp1252"))
    with pytest.raises(DomainError) as caught:
        import_visits(db, path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 3: not UTF-8 text (byte 0xE8)")  # è
    assert "--encoding cp1252" in message and "nothing was imported" in message
    assert compute(db, ["bootle"], JULY)["visits"] == 0
    with pytest.raises(DomainError, match="unknown encoding 'klingon'"):
        import_visits(db, path, encoding="klingon")
    assert import_visits(db, path, encoding="cp1252").imported == 2
    comments = compute(db, ["bootle"], JULY)["survey"]["comments"]
    assert [c["comment"] for c in comments] == ["Très bien"]


def test_a_byte_order_mark_is_not_part_of_the_first_column(db, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + row("C001", "resolved") + "\n").encode())
    assert import_visits(db, path).imported == 1


def test_all_or_nothing_lists_every_bad_line(db, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        row("C001", "resolved"),  # line 2: good
        row("C002", "maybe"),  # line 3: unknown outcome
        row("C003", "resolved"),  # line 4: good
        row("C004", "left"),  # line 5: left, but it was called
        row("C005", "resolved") + ",extra",  # line 6: a 16th cell
        row("C001", "resolved"),  # line 7: the ticket again
    )
    with pytest.raises(DomainError) as caught:
        import_visits(db, path)
    lines = str(caught.value).splitlines()
    assert lines[0] == (f"{path}: 4 bad rows, nothing was imported (--skip-bad imports the rest):")
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "line 3",
        "line 5",
        "line 6",
        "line 7",
    ]
    assert "outcome left, but the visit was called" in lines[2]
    assert "16 cells, but the header has 15 columns" in lines[3]
    assert "ticket C001 is already used at bootle on 2025-07-01" in lines[4]
    assert compute(db, ["bootle"], JULY)["visits"] == 0
    result = import_visits(db, path, skip_bad=True)
    assert result.imported == 2 and [line for line, _ in result.bad] == [3, 5, 6, 7]


def test_the_list_of_bad_lines_stops_at_fifty(db, tmp_path: Path) -> None:
    path = write(tmp_path, *[row(f"C{n:03d}", "maybe") for n in range(1, 61)])
    with pytest.raises(DomainError) as caught:
        import_visits(db, path)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}: 60 bad rows")
    assert len(lines) == 1 + 50 + 1 and lines[-1] == "  ... and 10 more"
    assert lines[50].startswith("  line 51: ")


def test_no_show_however_it_is_written(db, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        *[
            row(f"C00{n}", spelling)
            for n, spelling in enumerate(["no_show", "no show", "No-Show", "NO SHOW"], start=1)
        ],
    )
    assert import_visits(db, path).imported == 4
    assert compute(db, ["bootle"], JULY)["no_shows"] == 4


def test_an_unknown_outcome_names_every_accepted_one(db, tmp_path: Path) -> None:
    with pytest.raises(DomainError) as caught:
        import_visits(db, write(tmp_path, row("C001", "sorted")))
    message = str(caught.value)
    assert "line 2: outcome 'sorted' is not one of" in message
    for accepted in (
        "resolved",
        "referred",
        "avoidable",
        "digital_assistance",
        "not_recorded",
        "no_show",
        "left",
    ):
        assert accepted in message


def test_the_command_reports_a_bad_file_without_a_traceback(db_url: str, tmp_path: Path) -> None:
    import subprocess

    from tests.integration.test_reports import ONESTOP

    path = tmp_path / "latin.csv"
    cafe = row("C001", "resolved").removesuffix(",,,,,") + ",,,,,Café"
    path.write_bytes((HEADER + cafe + "\n").encode("cp1252"))
    done = subprocess.run(
        [ONESTOP, "import", "visits", str(path), "--db", db_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{path}, line 2: not UTF-8 text" in done.stderr
    done = subprocess.run(
        [ONESTOP, "import", "visits", str(path), "--encoding", "cp1252", "--db", db_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "imported 1 visits" in done.stdout


def test_a_comment_cannot_break_the_markdown_table(db, tmp_path: Path) -> None:
    from shared.reports.render import as_markdown

    comment = '"Fast | kind, *really*\nthanks"'  # quoted: a comma, a pipe and a new line
    path = write(
        tmp_path, row("C001", "resolved").removesuffix(",,,,,") + ",yes,5,5,yes," + comment
    )
    assert import_visits(db, path).surveys == 1
    markdown = as_markdown(compute(db, ["bootle"], JULY), {})
    assert "| Bootle One Stop Shop | 2025-07-01 | Fast \\| kind, \\*really\\* thanks |" in markdown
