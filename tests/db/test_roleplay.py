"""Conversations in the database: one answer per number whatever the race, the transcript in the hand-in."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from simulator.exams import services as exams
from simulator.exams.models import Attempt
from simulator.extensions import db
from simulator.roleplay import services
from simulator.roleplay.models import Conversation, Exchange
from tests.exam_helpers import T0, schedule


@pytest.fixture
def ctx(app, users, loaded):
    with app.app_context():
        yield


@pytest.fixture
def attempt_id(ctx):
    session = schedule("demo-b1-jeu-de-role")
    attempt = session.attempts[0]
    exams.start_attempt(attempt, sworn=True, now=T0)
    db.session.commit()
    return attempt.id


def _race(app, workers: int, action) -> list[str]:
    barrier, outcomes = threading.Barrier(workers), []

    def run(index):
        with app.app_context():
            try:
                barrier.wait()
                outcomes.append(action(index))
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                outcomes.append(type(exc).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()
    return outcomes


def test_tabs_opening_the_conversation_at_once_share_one(app, attempt_id):
    def open_it(_):
        attempt = db.session.get(Attempt, attempt_id)
        return services.open_for_attempt(attempt, "transcript", T0).id

    outcomes = _race(app, 4, open_it)
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int)
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 1
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == 1  # one opening line


def test_two_windows_sending_the_same_number_get_one_answer(app, attempt_id):
    attempt = db.session.get(Attempt, attempt_id)
    conversation_id = services.open_for_attempt(attempt, "transcript", T0).id
    db.session.commit()

    def send(index):
        conversation = db.session.get(Conversation, conversation_id)
        attempt = db.session.get(Attempt, attempt_id)
        services.say(conversation, number=1, text=f"Quels sont vos besoins ? ({index})", now=T0, attempt=attempt)
        return "answered"

    outcomes = _race(app, 5, send)
    assert sorted(outcomes) == ["OutOfStep"] * 4 + ["answered"]
    exchanges = db.session.scalars(select(Exchange).order_by(Exchange.number)).all()
    assert [e.number for e in exchanges] == [0, 1]
    conversation = db.session.get(Conversation, conversation_id)
    assert conversation.last_number == 1 and conversation.run["state"] == "besoins"


def test_the_same_send_retried_at_once_is_stored_once(app, attempt_id):
    attempt = db.session.get(Attempt, attempt_id)
    conversation_id = services.open_for_attempt(attempt, "transcript", T0).id
    db.session.commit()

    def send(_):
        conversation = db.session.get(Conversation, conversation_id)
        return services.say(conversation, number=1, text="Quels sont vos besoins ?", now=T0).number

    assert _race(app, 4, send) == [1, 1, 1, 1]
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == 2


def test_a_try_out_counts_for_nobody(ctx):
    from tests.exam_helpers import user

    scenario_version = schedule("demo-b1-jeu-de-role").version
    conversation = services.start_try_out(scenario_version, user("trainer@test.fr"), T0)
    services.say(conversation, number=1, text="Quels sont vos besoins ?", now=T0)
    db.session.commit()
    assert conversation.attempt_id is None and services.transcript(conversation)["exchanges"][1]["moves"]
