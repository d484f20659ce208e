"""SQLite settings: WAL, foreign keys, and a durable commit on process crash."""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # In WAL mode NORMAL keeps every commit through a killed process (SIGKILL);
    # only a power cut can lose the last transactions.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def insert_ignoring_duplicates(model):
    """INSERT … ON CONFLICT DO NOTHING for SQLite and PostgreSQL: with RETURNING, the loser of a race gets no
    row back. No savepoint is needed (pysqlite commits a savepoint that opens a transaction at its RELEASE)."""
    from simulator.extensions import db

    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model.__table__).on_conflict_do_nothing()  # Core, not the ORM's bulk path: a third cheaper
