"""Reports against a history whose figures were worked out by hand (see the comments)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.domain import DomainError
from shared.office import Office
from shared.reports.history import import_visits
from shared.reports.kpis import Period, compute
from shared.store import Database

ONESTOP = str(Path(sys.executable).with_name("onestop"))
HEADER = (
    "site,service,ticket,arrived_at,greeted_at,called_at,finished_at,desk,appointment_at,"
    "outcome,survey_resolved,survey_csa,survey_overall,survey_fair,survey_comment\n"
)
# Bootle, Q3 2025 (BST, +01:00). Waits of the called: 10, 20, 5, 4, 6 minutes.
ROWS = [
    # 1: greeted after 1 min, called after 10, resolved; survey yes/5/4/yes with a comment
    "bootle,council-tax,C001,2025-07-01T09:00:00+01:00,2025-07-01T09:01:00+01:00,"
    "2025-07-01T09:10:00+01:00,2025-07-01T09:20:00+01:00,Desk 1,,resolved,yes,5,4,yes,Very helpful",
    # 2: 12:30 arrival, greeted after 4 (late), called after 20 (late), avoidable; survey no/3/2/yes
    "bootle,council-tax,C002,2025-07-01T12:30:00+01:00,2025-07-01T12:34:00+01:00,"
    "2025-07-01T12:50:00+01:00,2025-07-01T13:00:00+01:00,Desk 2,,avoidable,no,3,2,yes,",
    # 3: 13:10 arrival, not greeted, called after 5 (greeted by the call: late), no-show
    "bootle,parking,P001,2025-07-02T13:10:00+01:00,,2025-07-02T13:15:00+01:00,,Desk 5,,"
    "no_show,,,,,",
    # 4: never called: left before being called
    "bootle,housing,K001,2025-08-15T10:00:00+01:00,,,,,,,,,,,",
    # 5: appointment at 11:00, arrived on time, called after 4: on time; survey csa 'very satisfied'
    "bootle,housing-benefit,H001,2025-09-10T11:00:00+01:00,2025-09-10T11:00:30+01:00,"
    "2025-09-10T11:04:00+01:00,2025-09-10T11:30:00+01:00,Desk 3,2025-09-10T11:00:00+01:00,"
    "resolved,,very satisfied,,,",
    # 6: appointment at 11:00, came at 11:20, called 11:26: 6 min after arrival > 5 grace: late
    "bootle,housing-benefit,H002,2025-09-10T11:20:00+01:00,2025-09-10T11:21:00+01:00,"
    "2025-09-10T11:26:00+01:00,2025-09-10T11:40:00+01:00,Desk 3,2025-09-10T11:00:00+01:00,"
    "referred,,,,,",
    # 7: 30 June: the quarter before
    "bootle,council-tax,C001,2025-06-30T10:00:00+01:00,,2025-06-30T10:05:00+01:00,"
    "2025-06-30T10:15:00+01:00,Desk 1,,resolved,,,,,",
    # 8: clocks go back on 26 October: 01:50 BST (00:50Z) to 01:10 GMT (01:10Z) is 20 minutes
    "bootle,council-tax,C001,2025-10-26T01:50:00+01:00,,2025-10-26T01:10:00+00:00,"
    "2025-10-26T01:30:00+00:00,Desk 1,,resolved,,,,,",
    # 9: Southport in Q3, no survey answers: called after 12, resolved
    "southport,council-tax,C001,2025-07-03T10:00:00+01:00,2025-07-03T10:01:00+01:00,"
    "2025-07-03T10:12:00+01:00,2025-07-03T10:30:00+01:00,Desk 1,,resolved,,,,,",
]


@pytest.fixture
def history(db_url: str, tmp_path: Path):
    db = Database(db_url)
    Office(db).ensure_default_sites()
    path = tmp_path / "history.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n")
    result = import_visits(db, path)
    assert (result.imported, result.surveys) == (9, 3)
    yield db, db_url
    db.dispose()


def test_bootle_q3_figures_match_the_hand_count(history) -> None:
    db, _ = history
    r = compute(db, ["bootle"], Period.quarter("2025-Q3"))
    assert r["visits"] == 6
    assert r["greet_target_met_pct"] == 50.0  # 1, 5, 6 of 6
    assert r["serve_target_met_pct"] == 66.7  # 1, 3, 5, 6 of 6
    assert r["average_wait_minutes"] == 9.0  # (10+20+5+4+6)/5
    assert r["p90_wait_minutes"] == 16.0  # 10 + 0.6 x (20-10)
    assert r["average_wait_minutes_12_14"] == 12.5  # (20+5)/2
    assert r["p90_wait_minutes_12_14"] == 18.5  # 5 + 0.9 x (20-5)
    assert r["greet_target_met_pct_12_14"] == 0.0 and r["serve_target_met_pct_12_14"] == 50.0
    assert r["appointments_on_time_pct"] == 50.0
    assert r["first_contact_resolution_pct"] == 50.0  # 2 resolved of 4 finished
    assert r["avoidable_contact_pct"] == 25.0
    assert (r["no_shows"], r["left_before_called"]) == (1, 1)
    assert r["visits_by_service"] == {
        "council-tax": 2,
        "housing": 1,
        "housing-benefit": 2,
        "parking": 1,
    }
    # every opening hour (09:00-17:00) and every opening day, the empty ones as 0
    assert r["visits_by_hour"] == {
        "09:00": 1,
        "10:00": 1,
        "11:00": 2,
        "12:00": 1,
        "13:00": 1,
        "14:00": 0,
        "15:00": 0,
        "16:00": 0,
    }
    assert r["visits_by_weekday"] == {
        "Monday": 0,
        "Tuesday": 2,
        "Wednesday": 3,
        "Thursday": 0,
        "Friday": 1,
    }
    assert [m["month"] for m in r["months"]] == ["2025-07", "2025-08", "2025-09"]
    assert r["months"][0]["visits"] == 3
    survey = r["survey"]
    assert survey["responses"] == 3
    assert survey["resolved_pct"] == 50.0
    assert survey["csa_satisfied_pct"] == 66.7
    assert survey["overall_satisfied_pct"] == 50.0
    assert survey["treated_fairly_pct"] == 100.0
    assert [c["comment"] for c in survey["comments"]] == ["Very helpful"]


def test_both_sites_a_clock_change_an_empty_period_and_no_survey(history) -> None:
    db, _ = history
    both = compute(db, None, Period.quarter("2025-Q3"))
    assert both["visits"] == 7
    assert both["average_wait_minutes"] == 9.5  # (45+12)/6
    assert both["survey"]["by_site"]["southport"]["responses"] == 0
    assert both["survey"]["by_site"]["southport"]["resolved_pct"] is None
    autumn = compute(db, ["bootle"], Period.quarter("2025-Q4"))
    assert autumn["visits"] == 1 and autumn["average_wait_minutes"] == 20.0
    assert autumn["serve_target_met_pct"] == 0.0
    # 01:00 (the clock change), then every opening hour (09:00-17:00) with none
    assert autumn["visits_by_hour"] == {"01:00": 1} | {f"{h:02d}:00": 0 for h in range(9, 17)}
    assert [(m["month"], m["visits"]) for m in autumn["months"]] == [
        ("2025-10", 1),
        ("2025-11", 0),
        ("2025-12", 0),
    ]
    assert autumn["months"][1]["average_wait_minutes"] is None
    empty = compute(db, ["bootle"], Period.quarter("2024-Q1"))
    assert empty["visits"] == 0
    assert empty["greet_target_met_pct"] is None and empty["p90_wait_minutes"] is None
    assert set(empty["visits_by_hour"].values()) == {0} and len(empty["visits_by_hour"]) == 8
    assert [m["visits"] for m in empty["months"]] == [0, 0, 0]


def test_the_command_reports_json_and_the_charter_statement(history, tmp_path: Path) -> None:
    _, url = history
    result = subprocess.run(
        [ONESTOP, "report", "--all-sites", "--quarter", "2025-Q3", "--format", "json", "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in (
        "visits",
        "greet_target_met_pct",
        "serve_target_met_pct",
        "average_wait_minutes",
        "p90_wait_minutes",
        "average_wait_minutes_12_14",
        "appointments_on_time_pct",
        "first_contact_resolution_pct",
        "avoidable_contact_pct",
    ):
        assert key in data
    assert set(data["survey"]) >= {
        "responses",
        "resolved_pct",
        "csa_satisfied_pct",
        "overall_satisfied_pct",
        "treated_fairly_pct",
    }
    md = subprocess.run(
        [ONESTOP, "report", "--all-sites", "--quarter", "2025-Q3", "--format", "md", "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    # (45 + 12) / 6 = 9.5 minutes -> 10; the quarter before: C001 on 30 June, 5 minutes
    assert (
        "Between 1st July – 30th September 2025, the average waiting time to see a CSA, "
        "across our two One Stop Shop sites, was 10 minutes. (Apr–Jun 2025: 5 minutes.)"
    ) in md
    assert data["previous_quarter"]["average_wait_minutes"] == 5.0
    out = tmp_path / "q3.csv"
    done = subprocess.run(
        [
            ONESTOP,
            "report",
            "--site",
            "bootle",
            "--from",
            "2025-07-01",
            "--to",
            "2025-09-30",
            "--format",
            "csv",
            "--out",
            str(out),
            "--db",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "headline,visits,6" in out.read_text()
    bad = subprocess.run(
        [ONESTOP, "report", "--site", "bootle", "--quarter", "2025-Q5", "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "not a quarter" in bad.stderr


def test_text_csv_and_markdown_carry_the_survey_by_site_and_the_comments(history) -> None:
    from shared.reports.kpis import site_names
    from shared.reports.render import as_csv, as_markdown, as_text

    db, _ = history
    report = compute(db, None, Period.quarter("2025-Q3"))
    lines = [line.split() for line in as_text(report).splitlines()]
    assert ["90th", "percentile", "wait,", "arrivals", "12:00-14:00", "18.5", "min"] in lines
    assert ["Bootle", "One", "Stop", "Shop", "3", "50.0", "66.7", "50.0", "100.0"] in lines
    assert ["Southport", "One", "Stop", "Shop", "0", "n/a", "n/a", "n/a", "n/a"] in lines
    assert ["Comments", "(1)"] in lines
    assert ["2025-07-01,", "Bootle", "One", "Stop", "Shop:", "Very", "helpful"] in lines
    assert ["14:00", "0"] in lines  # an opening hour nobody came in
    rows = as_csv(report).splitlines()
    for row in (
        "headline,p90_wait_minutes_12_14,18.5",
        "survey bootle,resolved_pct,50.0",
        "survey southport,responses,0",
        "survey southport,resolved_pct,",
        "comment,bootle 2025-07-01,Very helpful",
        "visits_by_hour,14:00,0",
        "wait_distribution,15-20 min,1",
    ):
        assert row in rows
    markdown = as_markdown(report, site_names(db))
    assert "| 90th percentile wait, arrivals 12:00-14:00 | 18.5 min |" in markdown
    assert "### Survey by site" in markdown and "### Comments" in markdown
    assert "| Bootle One Stop Shop | 2025-07-01 | Very helpful |" in markdown
    assert "| Southport One Stop Shop | 0 | n/a | n/a | n/a | n/a |" in markdown


def test_a_bad_row_imports_nothing_unless_skipped(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    Office(db).ensure_default_sites()
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + ROWS[0] + "\n" + "bootle,council-tax,C009,yesterday,,,,,,,,,,,\n" + ROWS[3] + "\n"
    )
    with pytest.raises(
        DomainError, match=r"line 3: arrived_at 'yesterday' is not an ISO 8601 time"
    ):
        import_visits(db, path)
    assert compute(db, None, Period.quarter("2025-Q3"))["visits"] == 0
    result = import_visits(db, path, skip_bad=True)
    assert result.imported == 2 and [line for line, _ in result.bad] == [3]
    db.dispose()


def test_workbook_and_pdf_exports(history, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from PySide6.QtPdf import QPdfDocument

    _, url = history
    for kind in ("xlsx", "pdf"):
        out = tmp_path / f"q3.{kind}"
        done = subprocess.run(
            [
                ONESTOP,
                "report",
                "--all-sites",
                "--quarter",
                "2025-Q3",
                "--format",
                kind,
                "--out",
                str(out),
                "--db",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    book = load_workbook(tmp_path / "q3.xlsx")
    assert book.sheetnames[:3] == ["Headlines", "Survey", "By service"]
    headlines = {row[0]: row[1] for row in book["Headlines"].iter_rows(min_row=2, values_only=True)}
    assert headlines["Visits"] == 7 and headlines["Average wait to see a CSA"] == 9.5
    assert headlines["90th percentile wait, arrivals 12:00-14:00"] == 18.5  # 5 + 0.9 x 15
    assert book["Headlines"]["A1"].font.bold
    assert book["Comments"]["C2"].value == "Very helpful"
    reasons = list(book["Avoidable by reason"].iter_rows(values_only=True))
    assert reasons == [("Reason", "Visits", "% of avoidable contact"), ("not recorded", 1, 100.0)]
    document = QPdfDocument()
    document.load(str(tmp_path / "q3.pdf"))
    pages = [document.getAllText(n).text() for n in range(document.pageCount())]
    document.close()
    assert "average waiting time to see a CSA" in pages[0]
    assert "90th percentile wait, arrivals 12:00-14:00" in pages[0] and "18.5 min" in pages[0]
    waits = next(p for p in pages if "Minutes from arrival to being called" in p)
    assert "greet target 2 min" in waits and "serve target 15 min" in waits
    for tick in ("0", "1", "2"):  # the y axis of counts, in whole numbers
        assert tick in waits.split()
    survey = next(p for p in pages if "Survey by site (% of those who answered)" in p)
    for label in ("Query resolved", "Satisfied with CSA", "Satisfied overall", "Treated fairly"):
        assert label in survey
    assert "fully resolved during" not in survey and "100%" in survey and "95% aim" in survey
    # the comments (the PDF's text layer may break words where kerning moved letters)
    assert "Veryhelpful" in "".join(pages[-1].split())


def test_purge_removes_personal_data_but_keeps_the_figures(history) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from shared.reports.privacy import purge
    from shared.store.tables import survey_t, visit_t

    db, url = history
    retention = Office(db).site("bootle").data.retention_days
    cutoff = datetime(2025, 8, 20, 12, tzinfo=UTC)  # the clock is fixed: `retention` days on
    now = cutoff + timedelta(days=retention)
    with db.transaction() as tx:  # visitors' needs (from the kiosk) and a comment
        for ticket in ("K001", "H002"):  # 15 August: before the cutoff; 10 September: after
            tx.conn.execute(
                update(visit_t)
                .where(visit_t.c.ticket == ticket)
                .values(flags='{"interpreter": "Polski"}')
            )
        h001 = select(visit_t.c.id).where(visit_t.c.ticket == "H001").scalar_subquery()
        tx.conn.execute(  # answered 10 September: after the cutoff
            update(survey_t).where(survey_t.c.visit_id == h001).values(comment="Call me back")
        )
    before = compute(db, ["bootle"], Period.quarter("2025-Q3"))
    assert [c["comment"] for c in before["survey"]["comments"]] == ["Very helpful", "Call me back"]
    dry = purge(db, ["bootle"], dry_run=True, now=now)
    assert (dry[0].before, dry[0].comments, dry[0].needs) == ("2025-08-20", 1, 1)
    assert compute(db, ["bootle"], Period.quarter("2025-Q3")) == before  # a dry run: untouched
    done = purge(db, ["bootle"], now=now)
    assert (done[0].comments, done[0].needs) == (1, 1)  # the 1 July comment, K001's needs
    after = compute(db, ["bootle"], Period.quarter("2025-Q3"))
    assert [c["comment"] for c in after["survey"]["comments"]] == ["Call me back"]
    with db.transaction(write=False) as tx:
        flags = dict(tx.conn.execute(select(visit_t.c.ticket, visit_t.c.flags)).all())
    assert flags["K001"] == "{}" and "Polski" in flags["H002"]
    after["survey"]["comments"] = before["survey"]["comments"]
    assert after == before  # every figure is the same
    assert [(r.comments, r.needs) for r in purge(db, ["bootle"], now=now)] == [(0, 0)]
    # The command counts back from the real clock (the database server's on PostgreSQL).
    earliest = (datetime.now(UTC) - timedelta(days=retention)).date()
    again = subprocess.run(
        [ONESTOP, "purge", "--site", "bootle", "--json", "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    latest = (datetime.now(UTC) - timedelta(days=retention)).date()
    result = json.loads(again.stdout)["sites"][0]
    assert result["before"] in (earliest.isoformat(), latest.isoformat())
    assert result["comments"] == int(date(2025, 9, 10) < earliest)  # "Call me back"


def test_the_audit_trail_names_who_did_what(db_url: str) -> None:
    from shared.reports.privacy import audit
    from shared.staff import Staff

    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    Staff(db).add("bootle", "Jo Bloggs", "1234")
    Staff(db).sign_in("bootle", "Desk 1", "Jo Bloggs", "1234")
    ticket = office.checkin("bootle", "council-tax").ticket
    office.call_next("bootle", "Desk 1")
    rows = audit(db, "bootle", office.visit("bootle", ticket).arrived_at.date())
    assert [(r["action"], r["staff"]) for r in rows if r["ticket"]] == [
        ("checked_in", None),
        ("called", "Jo Bloggs"),
    ]
    assert ("signed_in", "Jo Bloggs", "Desk 1") in [
        (r["action"], r["staff"], r["place"]) for r in rows
    ]
    db.dispose()
