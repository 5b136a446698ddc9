"""The suite's own PostgreSQL server is real, and each test's database is its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests.pg import NoPostgres, PostgresServer, find_bindir

ROOT = Path(__file__).resolve().parents[2]


def _scalar(url: str, sql: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def _user_tables(server: PostgresServer, dbname: str) -> list[str]:
    with psycopg.connect(server.conninfo(dbname)) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
    return [row[0] for row in rows]


def _databases(server: PostgresServer) -> set[str]:
    with psycopg.connect(server.conninfo()) as conn:
        rows = conn.execute("SELECT datname FROM pg_database").fetchall()
    return {row[0] for row in rows}


@pytest.mark.postgres
def test_the_server_is_postgresql_on_loopback(postgres_server: PostgresServer) -> None:
    assert postgres_server.host == "127.0.0.1"
    assert str(_scalar(postgres_server.url("postgres"), "SELECT version()")).startswith(
        "PostgreSQL "
    )
    assert _scalar(postgres_server.url(), "SHOW listen_addresses") == "127.0.0.1"
    assert _scalar(postgres_server.url(), "SHOW port") == str(postgres_server.port)
    assert _scalar(postgres_server.url(), "SHOW fsync") == "off"
    assert _scalar(postgres_server.url(), "SHOW max_connections") == "200"
    assert postgres_server.url("x") == (
        f"postgresql+psycopg://{postgres_server.superuser}@127.0.0.1:{postgres_server.port}/x"
    )


@pytest.mark.postgres
def test_now_is_an_aware_timestamp(pg_url: str) -> None:
    moment = _scalar(pg_url, "SELECT now()")
    assert isinstance(moment, datetime)
    assert moment.tzinfo is not None
    assert moment.utcoffset() is not None


@pytest.mark.postgres
def test_each_database_is_new_empty_and_its_own(
    postgres_server: PostgresServer, pg_url: str
) -> None:
    mine = pg_url.rsplit("/", 1)[1]
    assert _user_tables(postgres_server, mine) == []
    engine = create_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE marker (x int)"))
    finally:
        engine.dispose()
    assert _user_tables(postgres_server, mine) == ["marker"]

    other = postgres_server.create_database()
    try:
        assert other != mine
        assert _user_tables(postgres_server, other) == []
    finally:
        postgres_server.drop_database(other)
    assert other not in _databases(postgres_server)


@pytest.mark.postgres
def test_a_database_still_in_use_is_dropped(postgres_server: PostgresServer) -> None:
    name = postgres_server.create_database()
    with psycopg.connect(postgres_server.conninfo(name)) as conn:
        postgres_server.drop_database(name)  # WITH (FORCE) ends this connection
        assert name not in _databases(postgres_server)
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")


_seen: dict[str, str] = {}


@pytest.mark.postgres
@pytest.mark.parametrize("turn", ["first", "second"])
def test_pg_url_is_fresh_each_time(postgres_server: PostgresServer, pg_url: str, turn: str) -> None:
    _seen[turn] = pg_url
    if turn == "second" and "first" in _seen:
        assert _seen["first"] != pg_url
        assert _seen["first"].rsplit("/", 1)[1] not in _databases(postgres_server)


def test_db_url_covers_both_databases(db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        assert db_url == f"sqlite:///{tmp_path}/onestop.db"
    else:
        assert db_url.startswith("postgresql+psycopg://")
    assert _scalar(db_url, "SELECT 1") == 1


def test_the_users_own_folders_are_left_alone() -> None:
    assert os.environ["QT_QPA_PLATFORM"]
    for variable in ("ONESTOP_DATA_DIR", "ONESTOP_LOG_DIR"):
        assert Path(os.environ[variable]).name in {"data", "log"}
        assert Path(os.environ[variable]).parent.name.startswith("onestop-tests-")
    assert "ONESTOP_DB" not in os.environ


def test_an_unusable_bindir_is_no_postgres(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONESTOP_PG_BINDIR", str(tmp_path))
    with pytest.raises(NoPostgres, match="initdb"):
        find_bindir()


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 error")])
def test_without_postgresql_tests_skip_except_in_ci(tmp_path: Path, ci: str, outcome: str) -> None:
    env = {**os.environ, "ONESTOP_PG_BINDIR": str(tmp_path), "CI": ci}
    test = "tests/integration/test_postgres_fixture.py::test_now_is_an_aware_timestamp"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome in result.stdout, result.stdout + result.stderr
    if ci:
        assert result.returncode == 1
        assert "CI needs PostgreSQL" in result.stdout
    else:
        assert result.returncode == 0


_CRASH = """
import os, signal
from tests.pg import PostgresServer
server = PostgresServer.start()
pid = (server.data / "postmaster.pid").read_text().split()[0]
print(server.directory, pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.postgres
def test_no_server_outlives_a_crashed_session(postgres_server: PostgresServer) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _CRASH], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == -9, result.stderr
    folder, pid = result.stdout.split()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (Path(folder).exists() or _alive(int(pid))):
        time.sleep(0.1)
    assert not _alive(int(pid)), "the crashed session's server is still running"
    assert not Path(folder).exists(), "the crashed session's folder is still there"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
