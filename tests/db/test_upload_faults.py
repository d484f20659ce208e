"""Uploads that go wrong half-way: the connection cut in the middle of the file, the disk full when it is
stored (on SQLite by SQLite's own size limit, on PostgreSQL by the error its full disk raises). Each time a
clear answer, no part of the file kept, and nothing already saved lost."""
from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import event, func, select
from werkzeug.test import encode_multipart

from simulator.exams.models import DraftSave, Upload
from simulator.extensions import db
from tests.helpers import xlsx_bytes
from tests.web.test_exam_flow import HTMX, save, start

ON_SQLITE = os.environ.get("TEST_DB") != "postgresql"


@pytest.fixture
def candidate(as_role, scheduled):
    session = as_role("candidate")
    start(session, scheduled)
    session.get(f"/candidate/attempts/{scheduled}")
    return session


def _send(candidate, scheduled, data: bytes, name: str = "chiffrage.xlsx"):
    return candidate.client.post(f"/candidate/attempts/{scheduled}/files/chiffrage",
                                 data={"file": (io.BytesIO(data), name)},
                                 headers={**HTMX, "X-CSRFToken": candidate.token}, content_type="multipart/form-data")


def _stored(app, scheduled) -> list[tuple[str, int]]:
    with app.app_context():
        return db.session.execute(select(Upload.filename, Upload.size).where(Upload.attempt_id == scheduled)
                                  .order_by(Upload.id)).all()


def test_an_upload_cut_in_the_middle_keeps_nothing_of_it_and_loses_nothing(app, candidate, scheduled):
    first = xlsx_bytes()
    assert _send(candidate, scheduled, first).status_code == 200
    assert save(candidate, scheduled, "Mon analyse").status_code == 200
    boundary, body = encode_multipart({"file": (io.BytesIO(xlsx_bytes()), "chiffrage-v2.xlsx")})
    cut = candidate.client.post(  # the connection drops half-way: fewer bytes than announced arrive
        f"/candidate/attempts/{scheduled}/files/chiffrage", input_stream=io.BytesIO(body[:len(body) // 2]),
        content_length=len(body), content_type=f"multipart/form-data; boundary={boundary}",
        headers={**HTMX, "X-CSRFToken": candidate.token})
    assert cut.status_code == 400
    assert "n&#39;est pas arrivé en entier" in cut.get_data(as_text=True)
    assert _stored(app, scheduled) == [("chiffrage.xlsx", len(first))]
    download = candidate.get(f"/candidate/attempts/{scheduled}/files/chiffrage")
    assert download.get_data() == first
    assert "Mon analyse" in candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)
    assert _send(candidate, scheduled, xlsx_bytes(), "chiffrage-v2.xlsx").status_code == 200  # sent again: it arrives


class SQLiteFullDisk:
    """SQLite's own limit on the file's size (PRAGMA max_page_count): past it, every write that needs a new page
    fails with SQLITE_FULL, "database or disk is full", exactly as when the disk itself is full."""

    def __init__(self, engine):
        self.engine, self.full = engine, False
        with engine.connect() as connection:  # no free pages left for a write to reuse
            connection.exec_driver_sql("VACUUM")
        event.listen(engine, "checkout", self._limit)

    def _limit(self, dbapi_connection, _record, _proxy):
        cursor = dbapi_connection.cursor()
        if self.full:
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {pages}")
        else:
            cursor.execute("PRAGMA max_page_count = 1073741823")
        cursor.close()

    def fill(self):
        self.full = True

    def free(self):
        self.full = False

    def close(self):
        event.remove(self.engine, "checkout", self._limit)


class PostgreSQLFullDisk:
    """The PostgreSQL server's disk cannot be filled from a test (it is not ours, and shared). What the
    application receives when it is full is an error of SQLSTATE 53100 (disk_full), "could not extend file …:
    No space left on device", on the statement that needed room: a trigger on the tables a save and an upload
    write raises exactly that error while the disk is "full"."""

    TABLES = ("uploads", "draft_saves")

    def __init__(self, engine):
        self.engine = engine

    def _run(self, *statements):
        with self.engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)

    def fill(self):
        self._run("CREATE OR REPLACE FUNCTION simulated_full_disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                  "RAISE EXCEPTION 'could not extend file \"base/16384/16390\": No space left on device' "
                  "USING ERRCODE = 'disk_full', HINT = 'Check free disk space.'; END $$",
                  *(f"CREATE TRIGGER simulated_full_disk BEFORE INSERT OR UPDATE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION simulated_full_disk()" for table in self.TABLES))

    def free(self):
        self._run(*(f"DROP TRIGGER IF EXISTS simulated_full_disk ON {table}" for table in self.TABLES))

    def close(self):
        self.free()
        self._run("DROP FUNCTION IF EXISTS simulated_full_disk()")


@pytest.fixture
def full_disk(app):
    with app.app_context():
        engine = db.engine
    disk = SQLiteFullDisk(engine) if ON_SQLITE else PostgreSQLFullDisk(engine)
    yield disk
    disk.close()


def test_a_full_disk_refuses_the_upload_and_the_save_clearly_and_keeps_what_was_there(app, candidate, scheduled,
                                                                                       full_disk):
    first = xlsx_bytes()
    assert _send(candidate, scheduled, first).status_code == 200
    assert save(candidate, scheduled, "Mon analyse, première partie").status_code == 200
    full_disk.fill()
    big = xlsx_bytes(rows=4000)  # needs pages the file can no longer have
    refused = _send(candidate, scheduled, big, "chiffrage-complet.xlsx")
    assert refused.status_code == 507 and refused.headers["Retry-After"] == "5"
    text = refused.get_data(as_text=True)
    assert "Le serveur n&#39;a plus de place" in text or "Le serveur n'a plus de place" in text
    long_text = "Mon analyse, première partie. " + "Une seconde partie bien plus longue. " * 400
    assert save(candidate, scheduled, long_text).status_code == 507
    full_disk.free()  # room made on the disk
    assert _stored(app, scheduled) == [("chiffrage.xlsx", len(first))]
    assert candidate.get(f"/candidate/attempts/{scheduled}/files/chiffrage").get_data() == first
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DraftSave)
                                 .where(DraftSave.attempt_id == scheduled)) == 1
    assert _send(candidate, scheduled, big, "chiffrage-complet.xlsx").status_code == 200
    assert save(candidate, scheduled, long_text).status_code == 200
