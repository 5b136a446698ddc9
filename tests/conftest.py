"""Fixtures shared by the suite: databases (SQLite files, a real PostgreSQL server).

The PostgreSQL server is started once per test session on a loopback port and
stopped at the end; each test gets a fresh empty database on it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ONESTOP_SPEECH", "off")  # tests that speak render to files
_SCRATCH = tempfile.mkdtemp(prefix="onestop-tests-")
os.environ["ONESTOP_DATA_DIR"] = os.path.join(_SCRATCH, "data")
os.environ["ONESTOP_LOG_DIR"] = os.path.join(_SCRATCH, "log")
os.environ.pop("ONESTOP_DB", None)

from tests.pg import NoPostgres, PostgresServer  # noqa: E402


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer.start()
    except NoPostgres as error:
        if os.environ.get("CI"):
            pytest.fail(str(error))
        pytest.skip(str(error))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    return f"sqlite:///{tmp_path}/onestop.db"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))
