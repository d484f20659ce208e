"""SQLite settings (WAL, foreign keys, a durable commit on process crash), and a server connection that sat idle
checked before it is used."""
from __future__ import annotations

import sqlite3
import time

from sqlalchemy import event, exc
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


# A connection back in the pool for longer than this is pinged before it is handed out again: a database server
# restarted while it sat there is then replaced without an error. Under load a worker's connection is back in use
# within milliseconds, and pinging every checkout (SQLAlchemy's pool_pre_ping) was a tenth of an autosave's CPU on
# PostgreSQL. A connection that dies within the second after it was used fails its next statement: that request is
# answered 503 (the autosave sends its text again) and SQLAlchemy renews the worker's whole pool.
IDLE_BEFORE_PING = 1.0


def ping_idle_connections(engine: Engine) -> None:
    """Replace SQLAlchemy's pool_pre_ping, which pings at every checkout, for a server database."""
    if engine.dialect.name == "sqlite":
        return

    @event.listens_for(engine, "checkin")
    def returned(_dbapi_connection, record) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        returned_at = record.info.get("returned_at")  # none on a new connection: it has just answered
        if returned_at is None or time.monotonic() - returned_at < IDLE_BEFORE_PING:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the pool replaces it with a new connection and tries again
            raise exc.DisconnectionError(f"connection lost while idle: {error}") from error


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
