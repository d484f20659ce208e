"""A consistent copy of the database while an exam runs, and putting it back.

SQLite: the online backup API copies the database page by page inside one read transaction, so the copy is the
database as it stood at one instant, whatever the writers do meanwhile (WAL lets them go on). PostgreSQL:
pg_dump reads everything in one repeatable-read snapshot, without blocking writers; pg_restore puts it back.
Everything a candidate handed in or saved is in the database (files included), so the copy is complete.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def _libpq(url: str) -> str:
    """The URL pg_dump understands: SQLAlchemy's without its driver."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database at `url` to `target` (a new file)."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file so that no backup is overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif dialect == "postgresql":
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump is not installed (Debian: postgresql-client)")
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq(url)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            target.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    else:
        raise BackupError(f"no backup for {dialect} databases")
    return target


def restore(url: str, source: Path) -> None:
    """Replace the database at `url` with the copy in `source`. Stop the application first."""
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file")
    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":
        copy = sqlite3.connect(source)
        try:
            healthy = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            healthy = False
        if not healthy:
            copy.close()
            raise BackupError(f"{source} is not a sound SQLite backup; nothing was restored")
        database = sqlite3.connect(_sqlite_path(url))
        try:
            copy.backup(database)
        finally:
            database.close()
            copy.close()
    elif dialect == "postgresql":
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed (Debian: postgresql-client)")
        listed = subprocess.run(["pg_restore", "--list", str(source)], capture_output=True, text=True)
        if listed.returncode != 0:
            raise BackupError(f"{source} is not a pg_dump backup: {listed.stderr.strip()}")
        done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                               f"--dbname={_libpq(url)}", str(source)], capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing was changed): {done.stderr.strip()}")
    else:
        raise BackupError(f"no restore for {dialect} databases")
