"""History import: outcomes with their detail, and the edge cases of a council's old file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

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
    assert any(line.split() == ["council-tax", "2", "50.0", "66.7"] for line in text.splitlines())
    assert "avoidable_rate_by_service_pct,parking,50.0" in as_csv(r)
