"""The `onestop` command, run as a user runs it: the real console script, JSON out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ONESTOP = str(Path(sys.executable).with_name("onestop"))


def run(url: str, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [ONESTOP, *args, "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ONESTOP_DB": ""},
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == expect, (
        f"{args}: {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


def js(url: str, *args: str, expect: int = 0) -> dict:
    return json.loads(run(url, *args, "--json", expect=expect).stdout)


def test_a_small_day_through_the_command(db_url: str) -> None:
    site = js(db_url, "site", "show", "bootle")
    assert site["code"] == "bootle"
    services = {s["code"]: s for s in site["services"]}
    assert {"code", "name", "letter", "prioritised"} <= set(services["elas"])
    assert (
        services["elas"]["prioritised"] is True and services["council-tax"]["prioritised"] is False
    )
    assert all({"name", "services"} <= set(d) for d in site["desks"])

    first = js(db_url, "checkin", "--site", "bootle", "--service", "council-tax")
    assert set(first) >= {"visit_id", "ticket", "service", "ahead", "estimated_wait_minutes"}
    assert first["ticket"] == "C001" and first["ahead"] == 0
    second = js(db_url, "checkin", "--site", "bootle", "--service", "council-tax")
    assert second["ticket"] == "C002" and second["ahead"] == 1
    # Nobody signed in: every Council Tax desk counts as free, so neither waits yet.
    assert first["estimated_wait_minutes"] == second["estimated_wait_minutes"] == 0
    urgent = js(db_url, "checkin", "--site", "bootle", "--service", "elas")
    assert urgent["ticket"] == "E001"
    flagged = js(
        db_url,
        "checkin",
        "--site",
        "bootle",
        "--service",
        "council-tax",
        "--priority",
        "--flag",
        "interpreter=Polish",
    )

    greeted = js(db_url, "greet", "C001", "--site", "bootle")
    assert greeted["state"] == "greeted" and greeted["greeted_at"]

    # Priority (flagged) before earlier walk-ins at a desk that serves council tax.
    call = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 1")
    assert set(call) >= {"visit_id", "ticket", "desk"}
    assert call["ticket"] == flagged["ticket"] and call["desk"] == "Desk 1"
    # The interview room takes the prioritised service.
    room = js(db_url, "call-next", "--site", "bootle", "--desk", "Interview Room 1")
    assert room["ticket"] == "E001"
    # Nobody waiting for taxi licensing only at Desk 5? Desk 5 serves payments etc.: none waiting.
    nobody = js(db_url, "call-next", "--site", "bootle", "--desk", "5")
    assert nobody["ticket"] is None and nobody["visit_id"] is None

    recalled = js(db_url, "recall", "--site", "bootle", "--desk", "Desk 1")
    assert recalled["call_count"] == 2
    started = js(db_url, "start", "--site", "bootle", "--desk", "Desk 1")
    assert started["state"] == "serving"
    finished = js(db_url, "finish", "--site", "bootle", "--desk", "Desk 1", "--outcome", "resolved")
    assert finished["state"] == "finished" and finished["outcome"] == "resolved"

    call = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 2")
    assert call["ticket"] == "C001"
    moved = js(db_url, "transfer", "C001", "--site", "bootle", "--to", "housing-benefit")
    assert moved["service"] == "housing-benefit" and moved["state"] == "greeted"
    assert moved["arrived_at"] == first["arrived_at"]
    call = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 3")
    assert call["ticket"] == "C001"  # kept its place
    assert js(db_url, "no-show", "C001", "--site", "bootle")["state"] == "no_show"

    call = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 2")
    assert call["ticket"] == "C002"
    assert js(db_url, "park", "--site", "bootle", "--desk", "Desk 2")["state"] == "parked"
    assert js(db_url, "unpark", "C002", "--site", "bootle")["state"] == "greeted"

    queue = js(db_url, "queue", "--site", "bootle")
    assert [w["ticket"] for w in queue["waiting"]] == ["C002"]
    assert {v["ticket"] for v in queue["at_desks"]} == {"E001"}

    # Appointments: booked, listed, checked in, called before earlier walk-ins.
    soon = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0).isoformat()
    booked = js(
        db_url, "appointment", "add", "--site", "bootle", "--service", "council-tax", "--at", soon
    )
    assert booked["ref"] and booked["status"] == "booked"
    listed = js(db_url, "appointment", "list", "--site", "bootle")
    assert booked["ref"] in [a["ref"] for a in listed["appointments"]]
    arrived = js(db_url, "checkin", "--site", "bootle", "--appointment", booked["ref"].lower())
    assert arrived["appointment_at"]
    call = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 2")
    assert call["ticket"] == arrived["ticket"]


def test_appointment_import_is_all_or_nothing(db_url: str, tmp_path: Path) -> None:
    when = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    good = tmp_path / "good.csv"
    good.write_text(
        "site,service,at,ref\n"
        f"bootle,council-tax,{when.isoformat()},BK-1\n"
        f"southport,housing-benefit,{(when + timedelta(hours=1)).isoformat()},BK-2\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "site,service,at,ref\n"
        f"bootle,council-tax,{when.isoformat()},BK-3\n"
        f"bootle,council-tax,tomorrow at ten,BK-4\n"
    )
    result = run(db_url, "appointment", "import", str(bad), expect=2)
    assert "line 3" in result.stderr and "tomorrow at ten" in result.stderr
    listed = js(db_url, "appointment", "list", "--site", "bootle")
    assert listed["appointments"] == []  # BK-3 was not imported either
    assert js(db_url, "appointment", "import", str(good))["imported"] == 2
    refs = [
        a["ref"] for a in js(db_url, "appointment", "list", "--site", "southport")["appointments"]
    ]
    assert refs == ["BK-2"]


def test_site_load_reports_file_line_and_field_and_changes_nothing(
    db_url: str, tmp_path: Path
) -> None:
    from shared.config import SITES_DIR

    text = (SITES_DIR / "bootle.toml").read_text()
    broken = tmp_path / "bootle.toml"
    broken.write_text(
        text.replace('name = "Bootle One Stop Shop"', 'name = "Bootle Changed"').replace(
            'letter = "C"', 'leter = "C"'
        )
    )
    result = run(db_url, "site", "load", str(broken), expect=2)
    line = next(
        n for n, t in enumerate(broken.read_text().splitlines(), 1) if t.startswith("leter")
    )
    assert f"{broken}, line {line}, services[0].leter" in result.stderr
    assert 'did you mean "letter"' in result.stderr
    assert js(db_url, "site", "show", "bootle")["name"] == "Bootle One Stop Shop"

    fixed = tmp_path / "fixed.toml"
    fixed.write_text(text.replace('name = "Bootle One Stop Shop"', 'name = "Bootle Town Hall"'))
    assert js(db_url, "site", "load", str(fixed))["name"] == "Bootle Town Hall"
    assert js(db_url, "site", "show", "bootle")["name"] == "Bootle Town Hall"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["dance"],
        ["checkin", "--service", "council-tax"],
        ["call-next", "--site", "bootle"],
        ["appointment", "add", "--site", "bootle", "--service", "council-tax", "--at", "tomorrow"],
        [
            "appointment",
            "add",
            "--site",
            "bootle",
            "--service",
            "council-tax",
            "--at",
            "2026-01-01T10:00",
        ],
        ["queue", "--site", "bootle", "--limit", "many"],
    ],
)
def test_misuse_prints_usage_and_exits_2(sqlite_url: str, args: list[str]) -> None:
    result = subprocess.run(
        [ONESTOP, *args, "--db", sqlite_url], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["greet", "Z999", "--site", "bootle"], "no ticket Z999"),
        (["greet", "hello", "--site", "bootle"], "not a ticket number"),
        (["checkin", "--site", "narnia", "--service", "council-tax"], "no site 'narnia'"),
        (["checkin", "--site", "bootle", "--service", "dragons"], "no service 'dragons'"),
        (["checkin", "--site", "bootle", "--appointment", "NOPE-1"], "no appointment NOPE-1"),
        (["call-next", "--site", "bootle", "--desk", "Desk 99"], "no desk 'Desk 99'"),
        (["finish", "--site", "bootle", "--desk", "1", "--outcome", "great"], "unknown outcome"),
        (
            ["finish", "--site", "bootle", "--desk", "1", "--outcome", "referred"],
            "needs the back office",
        ),
        (["site", "load", "/nonexistent/site.toml"], "cannot read"),
    ],
)
def test_refused_requests_explain_and_change_nothing(
    db_url: str, args: list[str], message: str
) -> None:
    js(db_url, "checkin", "--site", "bootle", "--service", "council-tax")
    before = js(db_url, "visits", "--site", "bootle")
    result = run(db_url, *args, "--json", expect=2)
    assert message in result.stderr
    assert message in json.loads(result.stdout)["error"]
    assert js(db_url, "visits", "--site", "bootle") == before


def test_an_unreachable_database_is_reported_plainly() -> None:
    result = subprocess.run(
        [ONESTOP, "queue", "--site", "bootle", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot use the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_applies_once(db_url: str) -> None:
    # The first command of a new database migrates it; `db upgrade` then finds it current.
    fresh = js(db_url, "db", "upgrade")
    assert fresh["revision"]
    again = js(db_url, "db", "upgrade")
    assert again["applied"] is False and again["revision"] == fresh["revision"]


def test_db_upgrade_on_a_new_sqlite_file_applies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new.db"
    assert js(url, "db", "upgrade")["applied"] is True
    assert js(url, "db", "upgrade")["applied"] is False
