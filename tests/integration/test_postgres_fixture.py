"""The suite's own PostgreSQL server is real and each test's database is its own."""

import psycopg
import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.postgres


def test_server_answers_and_databases_are_separate(postgres_server, pg_url):
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version()")).scalar().startswith("PostgreSQL")
            conn.execute(text("CREATE TABLE marker (x int)"))
            conn.commit()
            moment = conn.execute(text("SELECT now()")).scalar()
            assert moment.tzinfo is not None
    finally:
        engine.dispose()
    other = postgres_server.create_database()
    try:
        with psycopg.connect(postgres_server.conninfo(other)) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'marker'"
            ).fetchone()[0]
            assert tables == 0
    finally:
        postgres_server.drop_database(other)
