"""Deterministic guards: the number of SQL statements of the hot paths. A regression fails CI."""
import pytest
from sqlalchemy import event, select

from simulator.extensions import db
from tests.web.test_exam_flow import candidate, save, start  # noqa: F401 (fixture)
from tests.web.test_grading_flow import production  # noqa: F401 (fixture)


@pytest.fixture
def statements(app):
    count = {"n": 0}

    def counter(*args, **kwargs):
        count["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield count
    event.remove(engine, "before_cursor_execute", counter)


def test_autosave_statements(candidate, scheduled, statements):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    save(candidate, scheduled, "premier jet")
    statements["n"] = 0
    assert save(candidate, scheduled, "deuxième jet").status_code == 200
    assert statements["n"] <= 6, statements["n"]


def test_every_statement_of_an_autosave_is_compiled_once(app, candidate, scheduled):
    """SQLAlchemy compiles a statement once and keeps it; a construct it cannot key (its dialects' INSERT … ON
    CONFLICT) is compiled again on every save, which cost about a twentieth of an autosave's CPU."""
    from sqlalchemy.engine.default import CACHE_HIT

    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    save(candidate, scheduled, "premier jet")
    misses = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if context is not None and context.compiled is not None and context.cache_hit is not CACHE_HIT:
            misses.append((str(context.cache_hit), statement[:60]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", record)
    try:
        assert save(candidate, scheduled, "deuxième jet").status_code == 200
    finally:
        event.remove(engine, "after_cursor_execute", record)
    assert misses == []


def test_workspace_page_statements(candidate, scheduled, statements):
    start(candidate, scheduled)
    statements["n"] = 0
    assert candidate.get(f"/candidate/attempts/{scheduled}").status_code == 200
    assert statements["n"] <= 16, statements["n"]



def test_grading_page_and_row_save_statements(as_role, production, statements):
    from tests.web.test_grading_flow import row

    evaluator, seat = as_role("evaluator"), production["seats"]["evaluator@test.fr"]
    evaluator.get(f"/evaluator/gradings/{seat}")
    statements["n"] = 0
    assert evaluator.get(f"/evaluator/gradings/{seat}").status_code == 200
    assert statements["n"] <= 12, statements["n"]
    statements["n"] = 0
    assert row(evaluator, seat, "g1", "2").status_code == 200
    assert statements["n"] <= 10, statements["n"]

def test_role_play_reply_statements(app, as_role, users, loaded, clock, statements):
    from tests.web.test_role_play import say

    from simulator.exams import services
    from tests.exam_helpers import T0, schedule

    with app.app_context():
        session = schedule("demo-b1-jeu-de-role")
        services.start_attempt(session.attempts[0], sworn=True, now=T0)
        db.session.commit()
        attempt_id = session.attempts[0].id
    candidate = as_role("candidate")
    candidate.get(f"/candidate/attempts/{attempt_id}")
    say(candidate, attempt_id, 1, "Quels sont vos besoins ?")
    statements["n"] = 0
    assert say(candidate, attempt_id, 2, "Parlons du prix unitaire : 88 €.").status_code == 200
    assert statements["n"] <= 16, statements["n"]


def test_routing_a_hand_in_costs_the_same_with_many_evaluators(app, users, loaded, clock, statements):
    """A deadline storm routes every hand-in: its cost may not grow with the number of evaluators
    (it once loaded each evaluator's account, qualifications and conflicts one at a time)."""
    from simulator.exams import services
    from simulator.grading.models import Production
    from tests.exam_helpers import T0, schedule
    from tests.grading_helpers import candidate, evaluator

    def hand_in_cost(email):
        with app.app_context():
            candidate(email)
            [attempt] = schedule("demo-b1-etude-de-cas", candidates=[email], opens=T0).attempts
            services.start_attempt(attempt, sworn=True, now=T0)
            db.session.commit()
            statements["n"] = 0
            receipt = services.hand_in(attempt, now=T0, automatic=False, actor_id=attempt.candidate_id)
            db.session.commit()
            production = db.session.scalar(select(Production).where(Production.hand_in_id == receipt.id))
            seated = [a.evaluator_id for a in production.assignments]
            return statements["n"], seated

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",))
        db.session.commit()
    few, seated = hand_in_cost("first@test.fr")
    assert None not in seated
    with app.app_context():
        for n in range(20):
            evaluator(f"e{n}@test.fr", roles=("intervenant", "professionnel"), conflicts=("first@test.fr",))
        db.session.commit()
    many, seated = hand_in_cost("second@test.fr")
    assert None not in seated
    assert many == few <= 35, (few, many)
