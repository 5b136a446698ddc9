"""Fixtures shared by the suite: databases (SQLite files, a real PostgreSQL server).

The PostgreSQL server is started once per test session on a loopback port and
stopped at the end; each test gets a fresh empty database on it. Without
PostgreSQL binaries, tests that need it are skipped, or fail when CI=true.

At import: Qt draws offscreen, speech is off, and the data, log and settings folders are
a scratch folder of this session (deleted at the end), never the user's own.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ONESTOP_SPEECH", "off")  # tests that speak render to files
_SCRATCH = tempfile.mkdtemp(prefix="onestop-tests-")
os.environ["ONESTOP_DATA_DIR"] = os.path.join(_SCRATCH, "data")
os.environ["ONESTOP_LOG_DIR"] = os.path.join(_SCRATCH, "log")
os.environ["ONESTOP_CONFIG_DIR"] = os.path.join(_SCRATCH, "config")  # never this PC's settings
os.environ.pop("ONESTOP_DB", None)

from tests.pg import NoPostgres, PostgresServer  # noqa: E402


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SCRATCH, ignore_errors=True)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this session: .host, .port, .superuser, .url(dbname)."""
    try:
        server = PostgresServer.start()
    except NoPostgres as error:
        missing = str(error)
    else:
        missing = ""
    if missing:  # outside the except block, so the report is one line, not a chain
        if in_ci():
            pytest.fail(f"CI needs PostgreSQL: {missing}", pytrace=False)
        pytest.skip(missing)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database on the session's server, dropped afterwards."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a SQLite file (not yet created) in the test's own folder."""
    return f"sqlite:///{tmp_path}/onestop.db"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test runs twice: on a SQLite file and on a PostgreSQL database."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As in the apps (shared/qt/collector.py): while a Qt test runs, Python's collector
    never runs on a worker thread (print jobs, the listener threads of loopback printers),
    where freeing a Qt object with a running timer crashes the process later. What the
    test left behind is collected here, on the GUI thread, after pytest-qt has closed
    and deleted its windows."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()
