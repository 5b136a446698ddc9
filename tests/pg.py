"""A real PostgreSQL server for tests and benchmarks, started in a temporary folder.

initdb refuses to run as root, so as root the server runs as the `postgres` user
(Debian's package creates it) or `nobody`. It listens on 127.0.0.1 only, on a
free port, with trust authentication and durability switched off (these
databases are thrown away). A watchdog process stops the server and deletes its
folder if the process that started it dies without calling stop() (a crash,
a segmentation fault in Qt, SIGKILL), so no server outlives its test session.

The binaries are found in ONESTOP_PG_BINDIR if set, else `pg_config --bindir`,
else the newest /usr/lib/postgresql/*/bin, else the PATH.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path


class NoPostgres(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def _has_server(folder: Path) -> bool:
    return (folder / "initdb").is_file() and (folder / "pg_ctl").is_file()


def find_bindir() -> Path:
    chosen = os.environ.get("ONESTOP_PG_BINDIR")
    if chosen:
        if _has_server(Path(chosen)):
            return Path(chosen)
        raise NoPostgres(f"ONESTOP_PG_BINDIR={chosen} holds no initdb and pg_ctl")
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            candidates.append(Path(result.stdout.strip()))
    candidates += [
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    ]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if _has_server(folder):
            return folder
    raise NoPostgres(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: "
        "run `bash installer/bootstrap.sh setup` to install them"
    )


def _version(path: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in Path(path).parent.name.split("."))
    except ValueError:
        return ()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Runs in its own process: waits until its stdin closes (stop() closes it, and the
# kernel does when the owning process dies however it dies), then stops the server
# the way `pg_ctl stop -m immediate` does (SIGQUIT to the postmaster) and deletes
# the folder.
_WATCHDOG = """
import os, shutil, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
folder = sys.argv[1]
sys.stdin.buffer.read()
try:
    with open(os.path.join(folder, "data", "postmaster.pid")) as f:
        pid = int(f.readline())
except (OSError, ValueError):
    pid = 0
def running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        return True
if pid > 0:
    try:
        os.kill(pid, signal.SIGQUIT)
    except ProcessLookupError:
        pass
    for _ in range(100):
        if not running(pid):
            break
        time.sleep(0.1)
shutil.rmtree(folder, ignore_errors=True)
"""


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _reachable_by_others(folder: str) -> bool:
    """Whether another user can traverse every folder down to `folder`."""
    path = Path(folder).resolve()
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in [path, *path.parents])


@dataclass
class PostgresServer:
    bindir: Path
    directory: Path
    port: int
    host: str = "127.0.0.1"
    superuser: str = "postgres"
    MAX_CONNECTIONS = 200  # a class setting, not a field: the load test's subclass has more
    # Durability off: a test's data need not survive a crash of the machine, nor of the
    # server (the chaos tests' subclass keeps what it acknowledged).
    DURABILITY = ("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
    _run_as: list[str] = field(default_factory=list)
    _watchdog: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @classmethod
    def start(cls, attempts: int = 3) -> PostgresServer:
        """initdb into a fresh temporary folder and start the server on a free port."""
        bindir = find_bindir()
        base = tempfile.gettempdir()
        run_as: list[str] = []
        owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            user = "postgres" if _user_exists("postgres") else "nobody"
            owner = pwd.getpwnam(user)
            run_as = ["runuser", "-u", user, "--"]
            if not _reachable_by_others(base):
                base = "/tmp"
        directory = Path(tempfile.mkdtemp(prefix="onestop-pg-", dir=base))
        server: PostgresServer | None = None
        try:
            if owner is not None:
                os.chown(directory, owner.pw_uid, owner.pw_gid)
            os.chmod(directory, 0o700)
            server = cls(bindir, directory, free_port(), _run_as=run_as)
            server._watchdog = subprocess.Popen(
                [sys.executable, "-c", _WATCHDOG, str(directory)],
                stdin=subprocess.PIPE,
                start_new_session=True,  # a Ctrl-C at the terminal leaves it to do its job
            )
            server._initdb()
            for attempt in range(attempts):
                try:
                    server._pg_ctl_start()
                    break
                except RuntimeError:
                    # Most likely another process took the port in the meantime.
                    if attempt == attempts - 1:
                        raise
                    server.port = free_port()
        except BaseException:
            if server is not None:
                server._end_watchdog()
            shutil.rmtree(directory, ignore_errors=True)
            raise
        return server

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self._run_as, *args], capture_output=True, text=True, cwd=self.directory
        )
        if result.returncode != 0:
            log = self.directory / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}{tail}")

    def _initdb(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.superuser,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        # Loopback TCP only (trust); no local-socket or remote entries.
        (self.data / "pg_hba.conf").write_text(
            "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
        )

    def _pg_ctl_start(self) -> None:
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.port}",
                f"-c unix_socket_directories={self.directory}",
                *self.DURABILITY,
                f"-c max_connections={self.MAX_CONNECTIONS}",
            ]
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def halt(self, mode: str = "fast") -> None:
        """Stop the server but keep its data (as a server restarted by its admin stops):
        `fast` ends the sessions cleanly, `immediate` as a crash does."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def resume(self) -> None:
        """Start a halted server again on the same port; returns once it accepts connections."""
        self._pg_ctl_start()

    def restart(self, mode: str = "fast", down_seconds: float = 0.0) -> None:
        import time

        self.halt(mode)
        time.sleep(down_seconds)
        self.resume()

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and delete its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                )
        finally:
            self._end_watchdog()
            shutil.rmtree(self.directory, ignore_errors=True)

    def _end_watchdog(self) -> None:
        """Close the watchdog's stdin (it then cleans up whatever is left) and reap it."""
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is None:
            return
        if watchdog.stdin is not None:
            watchdog.stdin.close()
        try:
            watchdog.wait(timeout=30)
        except subprocess.TimeoutExpired:
            watchdog.kill()
            watchdog.wait()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@{self.host}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={self.superuser} dbname={dbname}"

    def create_database(self, prefix: str = "t") -> str:
        """Create a new, empty, uniquely named database; return its name."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever is still connected to it."""
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
