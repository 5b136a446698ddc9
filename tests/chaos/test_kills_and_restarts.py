"""Chaos, short: apps killed with SIGKILL during a busy period, many times, and the
PostgreSQL server restarted in the middle of the calls. Real processes (two kiosks,
two desks, reception: tests/chaos/actors.py) on a real database, then every visit
audited (tests/chaos/audit.py). The longer version: python -m tests.chaos.soak.

Run with -s to see each round's figures.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from shared.office import Office
from shared.store import Database
from tests.chaos.scenarios import (
    RECOVER_SECONDS,
    DurableServer,
    Report,
    kill_round,
    restart_round,
)
from tests.conftest import in_ci
from tests.pg import NoPostgres

pytestmark = pytest.mark.slow
SEED = 6  # a failure names its seed: the soak takes --seed to replay it


def ready(url: str) -> str:
    office = Office(Database(url))
    office.ensure_default_sites()
    office.db.dispose()
    return url


def show(report: Report) -> None:
    recoveries = sorted(report.recoveries)
    print(
        f"\n{report.scenario}: {report.kills} kills, {report.restarts} restarts,"
        f" {report.checkins} check-ins ({report.offline_checkins} offline), {report.calls} calls;"
        f" back to work in {recoveries[len(recoveries) // 2]:.2f} s median,"
        f" {recoveries[-1]:.2f} s at most; {'; '.join(report.notes)}"
    )


@pytest.mark.parametrize(
    ("kind", "kills"), [pytest.param("postgres", 18, marks=pytest.mark.postgres), ("sqlite", 10)]
)
def test_random_apps_killed_mid_work_lose_nothing_and_call_nobody_twice(
    kind: str, kills: int, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if kind == "postgres":
        url = str(request.getfixturevalue("pg_url"))
    else:
        url = f"sqlite:///{tmp_path}/onestop.db"  # WAL, as the single-PC install
    report = kill_round(ready(url), tmp_path / "crew", random.Random(SEED), kills)
    show(report)
    assert report.problems == []
    assert report.kills == kills
    assert report.checkins >= 5 and report.calls >= 1  # at work (a loaded PC starts slowly)
    assert report.totals.visits >= report.checkins
    assert len(report.recoveries) >= kills // 2  # (some killed again before they did anything)
    assert max(report.recoveries) < 60  # a start on a loaded two-core PC (SQLite's queue)


@pytest.mark.postgres
def test_postgres_restarted_mid_call_everyone_works_again_within_5_s(tmp_path: Path) -> None:
    """A server of this test's own, stopped fast (an admin's restart) and then
    immediate (a crash) while the desks call and the kiosks check in."""
    try:
        server = DurableServer.start()
    except NoPostgres as error:
        if in_ci():
            pytest.fail(f"CI needs PostgreSQL: {error}", pytrace=False)
        pytest.skip(str(error))
    try:
        url = ready(server.url(server.create_database()))
        report = restart_round(
            server, url, tmp_path / "crew", random.Random(SEED), ["fast", "immediate"]
        )
    finally:
        server.stop()
    show(report)
    assert report.problems == []
    assert report.restarts == 2
    assert len(report.recoveries) == 2 * 5  # every actor, after each restart
    assert max(report.recoveries) <= RECOVER_SECONDS
    assert report.offline_checkins >= 4  # both kiosks, both times
    assert report.totals.offline >= report.offline_checkins  # every one sent
