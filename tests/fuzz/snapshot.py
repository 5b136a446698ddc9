"""A full dump of every table, to prove that refused input changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, delete, insert, select, text

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


def _tables(url: str) -> MetaData:
    if url not in _TABLES:
        _TABLES[url] = MetaData()
        _TABLES[url].reflect(engine_for(url))
    return _TABLES[url]


def snapshot(url: str) -> Dump:
    """Every row of every table the database holds (reflected once per database, so a
    table added by a later migration is compared too), each table's rows in a stable
    order."""
    dump: Dump = {}
    with engine_for(url).connect() as conn:
        for table in _tables(url).sorted_tables:
            rows = [tuple(row) for row in conn.execute(select(table))]
            dump[table.name] = sorted(rows, key=repr)
    return dump


def restore(url: str, dump: Dump) -> None:
    """Put every table back as `dump` has it: input that was accepted (a damaged file
    that was still valid) must not change what the next example starts from, or
    hypothesis could not replay an example to shrink it."""
    tables = _tables(url).sorted_tables
    engine = engine_for(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # the suite's superuser: no FK checks now
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(tables):
            conn.execute(delete(table))
        for table in tables:
            rows = dump.get(table.name, [])
            if rows:
                names = [c.name for c in table.columns]
                conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])


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
