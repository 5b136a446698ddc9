"""TLS between the PCs and the server, with the roles' passwords (SCRAM).

A server of the test's own gets a certificate from a certificate authority made
here with openssl, `ssl = on`, and a pg_hba.conf that takes OneStop's roles over TLS
only, with a password: as docs/deploy.md sets a council's server up. The libpq
options in the URL (sslmode, sslrootcert) or the PGSSLMODE/PGSSLROOTCERT settings
reach psycopg, for the store and for the change notification alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from shared.office import Office
from shared.store import Database, subscribe
from tests.integration.pg_deploy import ROOT, Deployment, new_deployment, own_server
from tests.pg import PostgresServer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl"),
]

# Characters a password manager produces that mean something in a URL or in psql.
TRICKY = "p@ss:w/rd?&#%'\\ \"x"


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_authority(folder: Path, name: str) -> None:
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.pem",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )  # fmt: skip


def make_server_certificate(folder: Path, authority: str) -> None:
    (folder / "server.ext").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
    )
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", "server.key", "-out", "server.csr",
        cwd=folder,
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", f"{authority}.pem",
        "-CAkey", f"{authority}.key", "-CAcreateserial", "-days", "2",
        "-extfile", "server.ext", "-out", "server.pem",
        cwd=folder,
    )  # fmt: skip


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tls")
    make_authority(folder, "council-ca")
    make_authority(folder, "someone-else")
    make_server_certificate(folder, "council-ca")
    return folder


@pytest.fixture(scope="module")
def tls_server(certificates: Path) -> Iterator[PostgresServer]:
    with own_server() as server:
        owner = os.stat(server.data)
        for name in ("server.pem", "server.key"):
            target = server.data / name
            shutil.copy(certificates / name, target)
            os.chown(target, owner.st_uid, owner.st_gid)
            os.chmod(target, 0o600)
        # The suite's superuser stays trusted (it runs setup.sh here); OneStop's roles
        # come in over TLS with their passwords, or not at all.
        (server.data / "pg_hba.conf").write_text(
            f"host all {server.superuser} 127.0.0.1/32 trust\n"
            "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 reject\n"
        )
        with psycopg.connect(server.conninfo(), autocommit=True) as conn:
            conn.execute(f"ALTER SYSTEM SET ssl_cert_file = '{server.data / 'server.pem'}'")
            conn.execute(f"ALTER SYSTEM SET ssl_key_file = '{server.data / 'server.key'}'")
            conn.execute("ALTER SYSTEM SET ssl = on")
            conn.execute("SELECT pg_reload_conf()")
        with psycopg.connect(server.conninfo(), autocommit=True) as conn:
            assert conn.execute("SHOW ssl").fetchone() == ("on",)
        yield server


@pytest.fixture(scope="module")
def council(tls_server: PostgresServer, certificates: Path) -> Iterator[Deployment]:
    deployment = new_deployment(
        tls_server, passwords={app: f"{app} {TRICKY}" for app in ("admin", "supervisor",
                                                                  "staff", "display", "kiosk")}
    )  # fmt: skip
    deployment.query = f"sslmode=verify-full&sslrootcert={certificates / 'council-ca.pem'}"
    try:
        deployment.run_setup()
        upgraded = subprocess.run(
            [sys.executable, "-m", "shared.cli", "db", "upgrade", "--db", deployment.url("admin")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert upgraded.returncode == 0, upgraded.stderr
        deployment.run_setup(passwords={})
        admin = Database(deployment.url("admin"))
        Office(admin).ensure_default_sites()
        admin.dispose()
        yield deployment
    finally:
        deployment.drop()


def encrypted(db: Database) -> tuple[bool, str]:
    with db.transaction(write=False) as tx:
        row = tx.conn.execute(
            text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        ).one()
    return bool(row.ssl), str(row.version)


def test_the_kiosk_checks_in_over_tls_with_its_password(council: Deployment, certificates) -> None:
    for query in (
        "sslmode=require",
        f"sslmode=verify-ca&sslrootcert={certificates / 'council-ca.pem'}",
        council.query,  # verify-full: the certificate names 127.0.0.1
    ):
        db = Database(council.url("kiosk", query=query))
        assert encrypted(db)[0]
        assert Office(db).checkin("bootle", "council-tax").ticket.startswith("C")
        db.dispose()


@pytest.mark.parametrize(
    ("query", "password", "why"),
    [
        ("sslmode=disable", None, "pg_hba.conf rejects connection"),
        ("verify-ca-with-another-authority", None, "certificate verify failed"),
        ("sslmode=require", "not-the-password", "password authentication failed"),
    ],
)
def test_a_pc_without_tls_the_right_authority_or_password_is_refused(
    council: Deployment, certificates, query: str, password: str | None, why: str
) -> None:
    if query == "verify-ca-with-another-authority":
        query = f"sslmode=verify-ca&sslrootcert={certificates / 'someone-else.pem'}"
    db = Database(council.url("kiosk", password=password, query=query), migrate=False)
    with pytest.raises(OperationalError, match=why), db.transaction():
        pass
    db.dispose()


def test_the_change_notification_listens_over_tls(council: Deployment) -> None:
    heard = threading.Event()
    with subscribe(council.url("display"), ["bootle"], lambda _site: heard.set()) as listener:
        assert listener.ready.wait(10)
        heard.clear()
        staff = Database(council.url("staff"))
        Office(staff).checkin("bootle", "council-tax")
        staff.dispose()
        assert heard.wait(5)


def onestop_queue(url: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", "queue", "--site", "bootle", "--db", url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **env},
    )


def test_the_tls_settings_may_come_from_pgsslmode_and_pgsslrootcert(
    council: Deployment, certificates
) -> None:
    plain = council.url("staff", query="")
    wrong = onestop_queue(
        plain, PGSSLMODE="verify-full", PGSSLROOTCERT=str(certificates / "someone-else.pem")
    )
    assert wrong.returncode == 1 and "certificate verify failed" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    right = onestop_queue(
        plain, PGSSLMODE="verify-full", PGSSLROOTCERT=str(certificates / "council-ca.pem")
    )
    assert right.returncode == 0, right.stderr


def test_a_mistyped_sslmode_is_a_clear_message(council: Deployment) -> None:
    result = onestop_queue(council.url("staff", query="sslmode=verify_full"))
    assert result.returncode == 1
    assert "sslmode" in result.stderr and "Traceback" not in result.stderr


def test_the_password_may_live_in_a_pgpass_file_instead_of_the_url(
    council: Deployment, tmp_path
) -> None:
    """docs/deploy.md: ONESTOP_DB without the password, and the password in the PC's
    pgpass file (':' and '\\' in it written as '\\:' and '\\\\')."""
    secret = council.passwords["staff"].replace("\\", "\\\\").replace(":", "\\:")
    pgpass = tmp_path / "pgpass.conf"
    pgpass.write_text(
        f"{council.server.host}:{council.server.port}:{council.database}:"
        f"{council.role('staff')}:{secret}\n"
    )
    pgpass.chmod(0o600)
    no_password = council.url("staff").replace(
        f":{quote(council.passwords['staff'], safe='')}@", "@"
    )
    assert council.role("staff") + "@" in no_password
    result = onestop_queue(no_password, PGPASSFILE=str(pgpass))
    assert result.returncode == 0, result.stderr
    refused = onestop_queue(no_password, PGPASSFILE=str(tmp_path / "none"))
    assert refused.returncode == 1 and "password" in refused.stderr
