"""A staff app and a staff button when the database cannot be used: a plain message, never
a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy.exc import OperationalError, ProgrammingError

from shared.qt.actions import GuardedActions

ONESTOP = str(Path(sys.executable).with_name("onestop"))
NOWHERE = "postgresql+psycopg://nobody@127.0.0.1:9/onestop?connect_timeout=2"


@pytest.mark.parametrize("app", ["reception", "display"])
def test_an_app_started_without_its_database_says_so_and_exits_1(app: str, tmp_path) -> None:
    done = subprocess.run(
        [
            ONESTOP,
            app,
            "--site",
            "bootle",
            "--db",
            NOWHERE,
            "--screenshot",
            str(tmp_path / "x.png"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "cannot use the database" in done.stderr
    assert "Traceback" not in done.stderr


class Screen(GuardedActions, QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.error = QLabel(self)
        self.refreshed = 0

    def refresh(self, *_args: object) -> None:
        self.refreshed += 1


class Permission(Exception):
    sqlstate = "42501"


def test_a_button_whose_action_meets_a_database_error_says_why(qtbot) -> None:
    screen = Screen()
    qtbot.addWidget(screen)
    down = OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    screen._guard(lambda: (_ for _ in ()).throw(down))
    assert "cannot use the database: server closed the connection" in screen.error.text()
    refused = ProgrammingError("UPDATE visit", {}, Permission("permission denied for table visit"))
    screen._guard(lambda: (_ for _ in ()).throw(refused))
    assert "this database login may not do that" in screen.error.text()
    assert screen.refreshed == 2
