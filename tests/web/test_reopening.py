"""A trainer reopens a handed-in attempt after an incident: the hand-in is withdrawn and kept, the candidate
works again for the minutes given, hands in again and is graded on the new copy; never once the jury has
submitted a grading."""
import pytest
from sqlalchemy import func, select

from simulator.exams.models import Attempt, AuditEvent, HandIn
from simulator.extensions import db
from simulator.grading.models import Production
from tests.web.test_exam_flow import save, start


@pytest.fixture
def jury(app, users, _password_hashes):
    from tests.grading_helpers import evaluator

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        db.session.commit()


def test_an_auto_handed_in_attempt_is_reopened_for_the_minutes_given_and_handed_in_again(
        app, as_role, scheduled, clock, jury):
    candidate = as_role("candidate")
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    save(candidate, scheduled, "Début, puis l'ordinateur a planté")
    clock.advance(hours=4)  # 3 h 30 and the grace are over: handed in automatically
    assert candidate.get(f"/candidate/attempts/{scheduled}").status_code == 302
    with app.app_context():
        first = db.session.scalars(select(HandIn)).one()
        first_sha, session_id = first.sha256, first.attempt.session_id
    trainer = as_role("trainer")
    live = trainer.get(f"/trainer/sessions/{session_id}").get_data(as_text=True)
    assert f'id="reopen-{scheduled}"' in live
    refused = trainer.post(f"/trainer/sessions/{session_id}/attempts/{scheduled}/reopen", {"minutes": 20, "reason": ""})
    assert refused.status_code == 302
    assert "une raison" in trainer.get(f"/trainer/sessions/{session_id}").get_data(as_text=True)
    trainer.post(f"/trainer/sessions/{session_id}/attempts/{scheduled}/reopen",
                 {"minutes": 20, "reason": "Panne du poste 12"})
    with app.app_context():
        attempt = db.session.get(Attempt, scheduled)
        assert attempt.status == "in_progress"
        assert (attempt.deadline_at - clock.now).total_seconds() == pytest.approx(20 * 60, abs=1)
        assert db.session.scalar(select(func.count()).select_from(Production)) == 0  # withdrawn from the jury
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attempt_reopened")).one() \
            .details["reason"] == "Panne du poste 12"
    page = candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)
    assert "20 min" in page and "Début, puis l&#39;ordinateur a planté" in page
    assert save(candidate, scheduled, "Début, puis la suite écrite après la panne").status_code == 200
    clock.advance(minutes=10)
    candidate.get(f"/candidate/attempts/{scheduled}")
    candidate.post(f"/candidate/attempts/{scheduled}/hand-in", {"confirm": "y"})
    with app.app_context():
        receipts = db.session.scalars(select(HandIn).order_by(HandIn.id)).all()
        assert [r.withdrawn_reason for r in receipts] == ["Panne du poste 12", None]
        assert receipts[0].sha256 == first_sha  # the withdrawn copy is kept as it was
        assert receipts[1].snapshot["texts"]["analyse"] == "Début, puis la suite écrite après la panne"
        assert db.session.scalars(select(Production)).one().hand_in_id == receipts[1].id
    receipt = candidate.get(f"/candidate/attempts/{scheduled}/receipt").get_data(as_text=True)
    assert receipts[1].sha256 in receipt


def test_no_reopening_once_the_jury_has_submitted_a_grading(app, as_role, users, loaded, jury, clock):
    from tests.grading_helpers import grade, produced

    with app.app_context():
        [production] = produced("candidate@test.fr")
        grade(production.assignments[0], level=2, acquired=True)
        db.session.commit()
        attempt_id, session_id = production.attempt_id, production.session_id
    trainer = as_role("trainer")
    trainer.get(f"/trainer/sessions/{session_id}")
    trainer.post(f"/trainer/sessions/{session_id}/attempts/{attempt_id}/reopen", {"minutes": 20, "reason": "Erreur"})
    assert "a déjà transmis une évaluation" in trainer.get(f"/trainer/sessions/{session_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "handed_in"
        assert db.session.scalars(select(HandIn)).one().withdrawn_at is None
