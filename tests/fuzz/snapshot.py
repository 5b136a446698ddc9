"""A full dump of every table, to prove that refused input changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, select

from shared.store.db import resolve_url

Dump = dict[str, list[tuple[Any, ...]]]
_ENGINES: dict[str, Engine] = {}
_TABLES: dict[str, MetaData] = {}


def engine_for(url: str) -> Engine:
    """One engine per database for the whole run (snapshots are taken thousands of times)."""
    if url not in _ENGINES:
        _ENGINES[url] = create_engine(resolve_url(url))
    return _ENGINES[url]


def dispose(url: str) -> None:
    _TABLES.pop(url, None)
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def snapshot(url: str) -> Dump:
    """Every row of every table the database holds (reflected once per database, so a
    table added by a later migration is compared too), each table's rows in a stable
    order."""
    engine = engine_for(url)
    if url not in _TABLES:
        _TABLES[url] = MetaData()
        _TABLES[url].reflect(engine)
    metadata = _TABLES[url]
    dump: Dump = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = [tuple(row) for row in conn.execute(select(table))]
            dump[table.name] = sorted(rows, key=repr)
    return dump


def differences(before: Dump, after: Dump) -> list[str]:
    """What changed, table by table, for an assertion message (empty: nothing)."""
    found = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            gone = [r for r in old if r not in new][:3]
            added = [r for r in new if r not in old][:3]
            found.append(f"{name}: {len(old)} -> {len(new)} rows; gone {gone}; added {added}")
    return found
