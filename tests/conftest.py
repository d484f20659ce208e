"""One database per test run (migrated with Alembic), emptied between tests."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from simulator import create_app
from simulator.extensions import db, limiter
from tests.helpers import PASSWORDS, Session, write_example_tree


def _database_url(tmp_path_factory) -> str:
    if os.environ.get("TEST_DB") == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.exit("TEST_DB=postgresql needs TEST_DATABASE_URL", returncode=2)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    scenarios = write_example_tree(tmp_path_factory.mktemp("tree") / "scenarios")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "SCENARIOS_DIR": str(scenarios),
        "SERVER_NAME": None,
    })
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # a previous run, of any version, may have left tables behind
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean(request):
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _empty_tables()
        limiter.reset()
    yield
    with app.app_context():
        db.session.remove()


@pytest.fixture(scope="session")
def _password_hashes():
    """scrypt is slow on purpose: hash the test passwords once per run."""
    from werkzeug.security import generate_password_hash

    from simulator.auth.models import PASSWORD_METHOD

    return {role: generate_password_hash(password, method=PASSWORD_METHOD) for role, (_, password) in PASSWORDS.items()}


@pytest.fixture
def users(app, _password_hashes):
    from simulator.auth.services import create_user

    with app.app_context():
        for role, (email, _) in PASSWORDS.items():
            user = create_user(email=email, name=f"{role.title()} Test", role=role, password=None)
            user.password_hash = _password_hashes[role]
        db.session.commit()


@pytest.fixture
def loaded(app):
    """The doc's example référentiel and scenarios, loaded."""
    from simulator.catalogue import load_files
    from simulator.formats import load_tree

    with app.app_context():
        load_files(load_tree(app.config["SCENARIOS_DIR"]))
        db.session.commit()


@pytest.fixture
def browser_session(client):
    return Session(client)


@pytest.fixture
def as_role(app, users):
    """as_role("trainer") -> a signed-in Session of a fresh client."""

    def make(role: str) -> Session:
        session = Session(app.test_client())
        response = session.login(role)
        assert response.status_code == 302, response.get_data(as_text=True)
        return session

    return make


@pytest.fixture(autouse=True)
def _push_request_context():
    """pytest-flask pushes one request context for the whole test; then every client
    request would share its `g` (cached CSRF token, cached user). Requests get their own."""
    yield


@pytest.fixture
def client(app):
    """A plain test client: pytest-flask's keeps the last request's context pushed
    (`with client:`), which would let a second client share its `g`."""
    return app.test_client()


class Clock:
    """The server's clock, frozen and moved by the test."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **kwargs):
        from datetime import timedelta

        self.now += timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    from tests.exam_helpers import T0

    frozen = Clock(T0)
    for module in ("simulator.exams.candidate_views", "simulator.exams.trainer_views", "simulator.exams.admin_views",
                   "simulator.grading.evaluator_views", "simulator.grading.trainer_views", "simulator.grading.admin_views",
                   "simulator.roleplay.views", "simulator.recording.views", "simulator.groups.views"):
        monkeypatch.setattr(f"{module}.utcnow", frozen)
    return frozen


@pytest.fixture
def scheduled(app, users, loaded, clock):
    """The id of the test candidate's attempt at the demo written case, window open at T0."""
    from tests.exam_helpers import schedule

    with app.app_context():
        session = schedule()
        db.session.commit()
        return session.attempts[0].id
