"""Helpers for the deployment tests: a PostgreSQL server of the test's own (to restart
or to switch TLS on without touching the suite's), and installer/postgres/setup.sh run
as a council IT officer runs it."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from tests.pg import NoPostgres, PostgresServer, find_bindir

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "installer" / "postgres" / "setup.sh"
APPS = ("admin", "supervisor", "staff", "display", "kiosk")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@contextmanager
def own_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test alone, stopped and deleted afterwards."""
    try:
        server = PostgresServer.start()
    except NoPostgres as error:
        if _in_ci():
            pytest.fail(f"CI needs PostgreSQL: {error}", pytrace=False)
        pytest.skip(str(error))
    try:
        yield server
    finally:
        server.stop()


def psql_binary() -> str:
    try:
        candidate = find_bindir() / "psql"
    except NoPostgres:
        return "psql"
    return str(candidate) if candidate.is_file() else "psql"


@dataclass
class Deployment:
    """A database and its roles, as installer/postgres/setup.sh made them."""

    server: PostgresServer
    database: str
    prefix: str
    passwords: dict[str, str] = field(default_factory=dict)
    query: str = ""  # extra URL parameters (sslmode=...)

    def role(self, app: str) -> str:
        return f"{self.prefix}{app}"

    def url(self, app: str, *, password: str | None = None, query: str | None = None) -> str:
        secret = self.passwords[app] if password is None else password
        extra = self.query if query is None else query
        return (
            f"postgresql+psycopg://{quote(self.role(app), safe='')}:{quote(secret, safe='')}"
            f"@{self.server.host}:{self.server.port}/{self.database}"
            + (f"?{extra}" if extra else "")
        )

    def run_setup(
        self, *, passwords: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run setup.sh as the server's superuser, passwords from the environment."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("ONESTOP_", "PG"))
        }
        env.update(
            PGHOST=self.server.host,
            PGPORT=str(self.server.port),
            PGUSER=self.server.superuser,
            PSQL=psql_binary(),
            ONESTOP_DB_NAME=self.database,
            ONESTOP_ROLE_PREFIX=self.prefix,
        )
        for app, secret in (self.passwords if passwords is None else passwords).items():
            env[f"ONESTOP_{app.upper()}_PASSWORD"] = secret
        result = subprocess.run(
            ["bash", str(SETUP)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"setup.sh failed ({result.returncode}):\n{result.stderr}")
        return result

    def superuser(self, dbname: str | None = None) -> psycopg.Connection:
        return psycopg.connect(self.server.conninfo(dbname or self.database), autocommit=True)

    def drop(self) -> None:
        """Remove the database and the roles (roles belong to the whole server)."""
        self.server.drop_database(self.database)
        with self.superuser("postgres") as conn:
            for app in (*APPS, "owner"):
                conn.execute(f'DROP ROLE IF EXISTS "{self.role(app)}"')


def new_deployment(server: PostgresServer, passwords: dict[str, str] | None = None) -> Deployment:
    tag = uuid.uuid4().hex[:8]
    return Deployment(
        server,
        database=f"onestop_{tag}",
        prefix=f"os{tag}_",
        passwords=passwords or {app: f"{app}-{tag}-secret" for app in APPS},
    )
