"""The fuzz tests' databases: one per module and database kind, filled with a morning.

Module-scoped (hypothesis runs hundreds of examples against one database, comparing
a full dump before and after each), on SQLite and on the suite's PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.snapshot import dispose
from tests.fuzz.world import World, populate


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/onestop.db"
    world = populate(url)
    yield world
    world.close()
    dispose(url)


@pytest.fixture(scope="module")
def pg_world(postgres_server) -> Iterator[World]:  # type: ignore[no-untyped-def]
    name = postgres_server.create_database("fuzz")
    url = postgres_server.url(name)
    world = populate(url)
    try:
        yield world
    finally:
        world.close()
        dispose(url)
        postgres_server.drop_database(name)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request: pytest.FixtureRequest) -> World:
    """Each fuzz test runs on a SQLite file and on a PostgreSQL database."""
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "pg_world")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A falsifying example here is often a whole site file or a 200 kB string: hypothesis
    # warns that printing it is expensive, and the suite turns warnings into errors.
    for item in items:
        if "tests/fuzz/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore:Generating overly large repr"))
