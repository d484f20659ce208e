"""The database stops answering during an exam (PostgreSQL restarted, a lock held too long): the candidate's save
is answered 503 with a message, nothing half-done is stored, and the text arrives once the database is back.

On PostgreSQL the restart is real from the application's side: its connections go through a relay that drops
every connection and refuses new ones, then lets them through again, as a restarting server does."""
from __future__ import annotations

import os
import socket
import threading

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from simulator import create_app
from simulator.core import database
from simulator.exams.models import DraftSave
from simulator.extensions import db
from tests.helpers import Session
from tests.web.test_exam_flow import save, start

ON_POSTGRESQL = os.environ.get("TEST_DB") == "postgresql"


class Relay:
    """A TCP relay to the database server that can be cut like a restart and brought back."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            if not self.up:  # the server is down: the connection is refused at once
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.up = False
        with self.lock:
            for end in self.sockets:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
            self.sockets.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def _texts(app, attempt_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(DraftSave.content).where(DraftSave.attempt_id == attempt_id)
                                       .order_by(DraftSave.id)))


def _assert_unavailable(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "La base de données ne répond pas" in html and "Votre texte reste dans votre navigateur" in html
    assert "Content-Security-Policy" in response.headers


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a PostgreSQL server to restart: set TEST_DATABASE_URL")
def test_a_postgresql_restart_during_an_exam_loses_nothing(app, users, scheduled, clock, relayed_app):
    relay, relayed = relayed_app
    candidate = Session(relayed.test_client())
    assert candidate.login("candidate").status_code == 302
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    assert save(candidate, scheduled, "Avant la coupure").status_code == 200

    relay.cut()  # PostgreSQL goes down: its connections drop, new ones are refused
    for text in ("Pendant la coupure", "Pendant la coupure, suite"):
        _assert_unavailable(save(candidate, scheduled, text))
    _assert_unavailable(candidate.get(f"/candidate/attempts/{scheduled}"))

    relay.restore()  # back up: the browser sends its copy again, and the pool reconnects
    assert save(candidate, scheduled, "Pendant la coupure, suite").status_code == 200
    assert _texts(app, scheduled) == ["Avant la coupure", "Pendant la coupure, suite"]
    assert "Pendant la coupure, suite" in candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a PostgreSQL server to restart: set TEST_DATABASE_URL")
def test_a_postgresql_restart_between_two_saves_is_not_seen_by_the_candidate(app, users, scheduled, clock, monkeypatch,
                                                                              relayed_app):
    """The server restarts while the worker's connection sits in its pool: the next save gets a new connection
    rather than an error, since a connection idle for a while is pinged before it is used."""
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 0)  # every connection back in the pool counts as idle
    relay, relayed = relayed_app
    candidate = Session(relayed.test_client())
    assert candidate.login("candidate").status_code == 302
    start(candidate, scheduled)
    assert save(candidate, scheduled, "Avant le redémarrage").status_code == 200
    relay.cut()  # restarted while no request runs: the pooled connection is dead
    relay.restore()
    assert save(candidate, scheduled, "Après le redémarrage").status_code == 200
    assert _texts(app, scheduled) == ["Avant le redémarrage", "Après le redémarrage"]


def test_a_save_the_database_cannot_take_is_answered_503_and_stored_once_it_can(app, candidate, scheduled, statements_fail):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    assert save(candidate, scheduled, "Premier jet").status_code == 200
    statements_fail["insert"] = True  # every INSERT fails as on a server that went away
    _assert_unavailable(save(candidate, scheduled, "Deuxième jet"))
    statements_fail["insert"] = False
    assert save(candidate, scheduled, "Deuxième jet").status_code == 200
    assert _texts(app, scheduled) == ["Premier jet", "Deuxième jet"]


@pytest.fixture
def relayed_app(app):
    """The application, connected to PostgreSQL through a relay that can be cut."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relayed = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SCENARIOS_DIR")},
                          "SERVER_NAME": None,
                          "SQLALCHEMY_DATABASE_URI": url.set(host="127.0.0.1", port=relay.port)
                          .render_as_string(hide_password=False)})
    yield relay, relayed
    relay.close()
    with relayed.app_context():
        db.engine.dispose()


@pytest.fixture
def candidate(as_role, scheduled):
    return as_role("candidate")


@pytest.fixture
def statements_fail(app):
    switch = {"insert": False}

    def fail(conn, cursor, statement, parameters, context, executemany):
        if switch["insert"] and statement.lstrip().upper().startswith("INSERT INTO DRAFT_SAVES"):
            raise OperationalError(statement, parameters, Exception("server closed the connection unexpectedly"))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)
    yield switch
    event.remove(engine, "before_cursor_execute", fail)
