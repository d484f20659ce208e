"""Two evaluators grade the same production, disagree, reconcile and confirm the procès-verbal; the trainer
releases the results and the candidate reads them."""
import pytest

from simulator.extensions import db
from tests.browser.pages import GradingPages, sign_in
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser


@pytest.fixture
def production(app, users, loaded, _password_hashes):
    from tests.grading_helpers import evaluator, produced

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        [made] = produced("candidate@test.fr")
        db.session.commit()
        return made.id, made.session_id, made.code


def grade(page, *, level, decision, comment):
    jury = GradingPages(page)
    jury.open_first_to_grade()
    jury.rate("g1", level, f"{comment} (besoins)")
    jury.rate("g2", level, f"{comment} (plan)")
    jury.decide("C1.1", decision)
    jury.decide("B1-C3", decision)
    jury.overall(comment)
    jury.submit()


def test_two_evaluators_disagree_reconcile_and_the_candidate_reads_the_result(chromium, live_url, production):
    production_id, session_id, code = production
    first_context, first, first_errors = sign_in(chromium, live_url, *PASSWORDS["evaluator"])
    second_context, second, second_errors = sign_in(chromium, live_url, "juror@test.fr", PASSWORDS["evaluator"][1])
    assert code in first.locator("#queue-to-grade").inner_text()
    grade(first, level="2.0", decision="acquired", comment="Analyse pertinente")
    grade(second, level="1.0", decision="not_acquired", comment="Plan trop vague")

    first.goto(f"/evaluator/productions/{production_id}/reconcile")
    assert first.locator("#reconcile-C1\\.1 tr.differs").count() >= 1
    assert "Plan trop vague (besoins)" in first.locator("#reconcile-C1\\.1").inner_text()
    GradingPages(first).reconcile(production_id, {"C1.1": ("acquired", "Besoins bien identifiés à l'oral du dossier"),
                                                  "B1-C3": ("not_acquired", "Plan de suivi sans dates")})
    GradingPages(first).confirm_pv(production_id)
    GradingPages(second).confirm_pv(production_id)
    assert "Définitif" in second.locator("#pv-status").inner_text() or "confirm" in second.locator("#pv-status").inner_text()

    trainer_context, trainer, trainer_errors = sign_in(chromium, live_url, *PASSWORDS["trainer"])
    trainer.goto(f"/trainer/grading/sessions/{session_id}")
    trainer.click("#release")
    trainer.locator("#released").wait_for()

    candidate_context, candidate, candidate_errors = sign_in(chromium, live_url, *PASSWORDS["candidate"])
    candidate.click("#nav-results")
    result = candidate.locator(f"#decision-{production_id}-B1-C3").inner_text()
    assert "Plan de suivi sans dates" in result
    assert "Analyse pertinente" in candidate.locator("#content").inner_text()
    assert first_errors == second_errors == trainer_errors == candidate_errors == []
    for context in (first_context, second_context, trainer_context, candidate_context):
        context.close()
