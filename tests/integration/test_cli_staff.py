"""The command's staff parts on SQLite and PostgreSQL: `--as NAME` with the PIN from the
terminal or ONESTOP_PIN (never an argument), the supervisor-only verbs refusing with
exit 2 and a clear message, the `staff` verbs, `audit`; the desk and queue verbs still
open to anyone with the database's login."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.cli import main
from shared.domain import SignInRefused
from shared.office import Office
from shared.staff import Staff
from shared.store import Database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("ONESTOP_PIN", raising=False)
    monkeypatch.delenv("ONESTOP_NEW_PIN", raising=False)
    db = Database(db_url)
    Office(db).ensure_default_sites()
    staff = Staff(db)
    staff.add("bootle", "Jo Bloggs", "1234", "csa")
    staff.add("bootle", "Sam Super", "2468", "supervisor")
    db.dispose()
    return db_url


def run(capsys, url: str, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--db", url])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


SUPERVISOR_VERBS = [
    ["report", "--site", "bootle", "--quarter", "2025-Q3"],
    ["report", "prediction", "--site", "bootle", "--quarter", "2025-Q3"],
    ["audit", "--site", "bootle"],
    ["purge", "--site", "bootle"],
    ["site", "load", str(ROOT / "resources/sites/bootle.toml")],
    ["staff", "add", "--site", "bootle", "--name", "New", "--pin", "1111"],
    ["staff", "role", "--site", "bootle", "--name", "Jo Bloggs", "--role", "supervisor"],
    ["staff", "pin", "--site", "bootle", "--name", "Jo Bloggs", "--pin", "9999"],
    ["staff", "unlock", "--site", "bootle", "--name", "Jo Bloggs"],
    ["staff", "remove", "--site", "bootle", "--name", "Jo Bloggs"],
    ["staff", "list", "--site", "bootle"],
]


@pytest.mark.parametrize("argv", SUPERVISOR_VERBS, ids=lambda a: " ".join(a[:2]))
def test_supervisor_verbs_exit_2_with_a_clear_message_unless_a_supervisor_signs_in(
    capsys, monkeypatch, url, argv
) -> None:
    code, out, err = run(capsys, url, *argv)
    assert code == 2 and out == ""
    assert "is for supervisors: sign in as one" in err and "--as NAME" in err
    monkeypatch.setenv("ONESTOP_PIN", "1234")
    code, _out, err = run(capsys, url, *argv, "--as", "Jo Bloggs")
    assert code == 2 and "is for supervisors: Jo Bloggs is a csa" in err
    monkeypatch.setenv("ONESTOP_PIN", "1111")
    code, _out, err = run(capsys, url, *argv, "--as", "Sam Super")
    assert code == 2 and "--as 'Sam Super': that name and PIN do not match" in err
    monkeypatch.setenv("ONESTOP_PIN", "2468")
    code, out, err = run(capsys, url, *argv, "--as", "Sam Super", "--json")
    assert code == 0, err
    assert json.loads(out)


def test_the_pin_comes_from_the_terminal_or_the_environment_never_an_argument(capsys, url) -> None:
    code, out, err = run(capsys, url, "audit", "--site", "bootle", "--as", "Sam Super", "--json")
    assert code == 2
    assert (
        "the PIN is typed at a terminal, or (for a script) given in the environment "
        "variable ONESTOP_PIN; never on the command line"
    ) in err
    assert "error" in json.loads(out)
    code, _out, err = run(capsys, url, "audit", "--site", "bootle", "--pin", "2468")
    assert code == 2 and "unrecognized arguments: --pin 2468" in err
    # The real command, at no terminal: exit 2, and the sign-in it made is closed.
    env = {**os.environ, "ONESTOP_PIN": "2468"}
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli", "audit", "--site", "bootle", "--json",
         "--as", "Sam Super", "--db", url],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)["events"]
    assert "2468" not in done.stdout
    assert [(e["action"], e["staff"], e["place"]) for e in events][-1:] == [
        ("signed_in", "Sam Super", "onestop command")
    ]
    code, out, _err = run(capsys, url, "audit", "--site", "bootle", "--json")
    assert code == 2  # (a supervisor's, still)


def test_the_staff_verbs_add_change_lock_unlock_and_close_accounts(capsys, monkeypatch, url):
    monkeypatch.setenv("ONESTOP_PIN", "2468")
    monkeypatch.setenv("ONESTOP_NEW_PIN", "5555")
    sam = ["--as", "Sam Super"]
    code, out, err = run(capsys, url, "staff", "add", "--site", "bootle", "--name", "Rita", *sam,
                         "--role", "receptionist")  # fmt: skip
    assert code == 0 and "Rita (receptionist) can sign in at bootle" in out, err
    db = Database(url)
    try:
        staff = Staff(db)
        assert staff.check("bootle", "Rita", "5555") == "receptionist"
        for wrong in ("0000", "0001", "0002", "0003", "0004"):
            with pytest.raises(SignInRefused):
                staff.check("bootle", "Rita", wrong)
        code, out, _err = run(capsys, url, "staff", "list", "--site", "bootle", *sam)
        line = next(x for x in out.splitlines() if x.startswith("Rita"))
        assert "receptionist" in line and "LOCKED until" in line
        code, out, _err = run(capsys, url, "staff", "unlock", "--site", "bootle", "--name",
                              "Rita", *sam)  # fmt: skip
        assert code == 0 and out.strip() == "Rita can sign in again"
        assert staff.check("bootle", "Rita", "5555") == "receptionist"
        code, out, _err = run(capsys, url, "staff", "role", "--site", "bootle", "--name", "Rita",
                              "--role", "supervisor", *sam)  # fmt: skip
        assert code == 0 and staff.check("bootle", "Rita", "5555") == "supervisor"
        code, _out, err = run(capsys, url, "staff", "role", "--site", "bootle", "--name", "Rita",
                              "--role", "admin", *sam)  # fmt: skip
        assert code == 0, err  # the council's first admin (none yet)
        code, _out, err = run(capsys, url, "staff", "role", "--site", "bootle", "--name",
                              "Sam Super", "--role", "admin", *sam)  # fmt: skip
        assert code == 2 and "admin accounts are for admins: Sam Super is a supervisor" in err
        monkeypatch.setenv("ONESTOP_NEW_PIN", "7777")
        code, _out, _err = run(capsys, url, "staff", "pin", "--site", "bootle", "--name",
                               "Jo Bloggs", *sam)  # fmt: skip
        assert code == 0 and staff.check("bootle", "Jo Bloggs", "7777") == "csa"
        code, _out, _err = run(capsys, url, "staff", "remove", "--site", "bootle", "--name",
                               "Jo Bloggs", *sam)  # fmt: skip
        assert code == 0
        with pytest.raises(SignInRefused, match="do not match"):
            staff.check("bootle", "Jo Bloggs", "7777")
        code, _out, err = run(capsys, url, "staff", "unlock", "--site", "bootle", "--name",
                              "Nobody", *sam)  # fmt: skip
        assert code == 2 and "no member of staff 'Nobody' at Bootle" in err
    finally:
        db.dispose()
    code, out, _err = run(capsys, url, "audit", "--site", "bootle", "--staff", "sam super",
                          "--json", *sam)  # fmt: skip
    done = [e["action"] for e in json.loads(out)["events"] if e["action"] != "signed_in"]
    assert [a for a in done if a != "signed_out"] == [
        "staff_added",
        "unlocked",
        "role_changed",
        "role_changed",
        "pin_reset",
        "staff_left",
    ]


def test_desk_and_queue_verbs_stay_open_and_name_the_desks_csa(capsys, url) -> None:
    code, out, _err = run(capsys, url, "checkin", "--site", "bootle", "--service",
                          "council-tax", "--json")  # fmt: skip
    ticket = json.loads(out)["ticket"]
    db = Database(url)
    try:
        Staff(db).sign_in("bootle", "Desk 1", "Jo Bloggs", "1234")
    finally:
        db.dispose()
    for argv in (
        ["greet", ticket, "--site", "bootle"],
        ["call-next", "--site", "bootle", "--desk", "1"],
        ["start", "--site", "bootle", "--desk", "1"],
        ["finish", "--site", "bootle", "--desk", "1", "--outcome", "resolved"],
        ["delay", "--site", "bootle", "--reason", "training", "--minutes", "10"],
        ["queue", "--site", "bootle"],
    ):
        code, _out, err = run(capsys, url, *argv)
        assert code == 0, (argv, err)
    db = Database(url)
    try:
        sam = Staff(db).login("bootle", "Sam Super", "2468", place="Reception")
        from shared.audit import trail

        steps = [(s.action, s.staff, s.place) for s in trail(db, "bootle", by=sam)]
    finally:
        db.dispose()
    assert [s for s in steps if s[0] in ("checked_in", "greeted", "called", "started",
                                          "finished")] == [
        ("checked_in", None, None),
        ("greeted", None, None),
        ("called", "Jo Bloggs", "Desk 1"),
        ("started", "Jo Bloggs", "Desk 1"),
        ("finished", "Jo Bloggs", "Desk 1"),
    ]  # fmt: skip
    assert ("delay_notice_set", None, "onestop command") in steps
