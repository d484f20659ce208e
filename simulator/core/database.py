"""SQLite settings: WAL, foreign keys, and a durable commit on process crash."""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import dml as postgresql_dml
from sqlalchemy.dialects.sqlite import dml as sqlite_dml
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


def _cacheable(dml):
    """The dialect's INSERT … ON CONFLICT DO NOTHING, made cacheable. SQLAlchemy marks its dialects' Insert and
    OnConflictClause as uncacheable (they may carry index elements, which it does not put in the cache key), so
    the statement was compiled again on every save: about a twentieth of an autosave's CPU. A bare DO NOTHING
    has no such elements: its class alone is its cache key."""

    class CachedInsert(dml.Insert):
        inherit_cache = True

    class DoNothing(dml.OnConflictDoNothing):
        inherit_cache = True
        _traverse_internals = []

    def insert(table):
        statement = CachedInsert(table)
        statement._post_values_clause = DoNothing()
        return statement

    return insert


_INSERTS = {"postgresql": _cacheable(postgresql_dml), "sqlite": _cacheable(sqlite_dml)}


def insert_ignoring_duplicates(model, dialect: str | None = None):
    """INSERT … ON CONFLICT DO NOTHING for SQLite and PostgreSQL: with RETURNING, the loser of a race gets no
    row back. No savepoint is needed (pysqlite commits a savepoint that opens a transaction at its RELEASE)."""
    if dialect is None:
        from simulator.extensions import db

        dialect = db.session.get_bind().dialect.name
    # Core, not the ORM's bulk path: a third cheaper
    return _INSERTS[dialect](model.__table__)
