"""Deterministic guards: the number of SQL statements of the hot paths. A regression fails CI."""
import pytest
from sqlalchemy import event

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
    assert statements["n"] <= 9, statements["n"]


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
