"""Grading through the web: the evaluator's queue and grid, reconciliation, the procès-verbal, the trainer's
release and exports, the candidate's results; and what an evaluator must never see."""
import io
import re
from fractions import Fraction

import openpyxl
import pytest
from sqlalchemy import select

from simulator.extensions import db
from simulator.grading.models import Production
from tests.exam_helpers import T0, user
from tests.helpers import Session

HTMX = {"HX-Request": "true"}


@pytest.fixture
def production(app, users, loaded, clock, _password_hashes):
    """The test candidate's case study, handed in and routed to evaluator@test.fr and juror@test.fr.
    The candidate has a tiers-temps and extra minutes, which no evaluator may see."""
    from simulator.exams import services as exams
    from tests.grading_helpers import evaluator, produced

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        exams.set_accommodation(candidate=user("candidate@test.fr"), fraction=Fraction(1, 3), minutes=17,
                                note="Dyslexie", by=user("admin@test.fr"), now=T0)
        [made] = produced("candidate@test.fr")
        db.session.commit()
        return {"id": made.id, "code": made.code,
                "seats": {a.evaluator.email: a.id for a in made.assignments}}


def juror(app):
    session = Session(app.test_client())
    session.get("/login")
    session.post("/login", {"email": "juror@test.fr", "password": "evaluator-password-1"})
    return session


def row(session, seat, criterion, value, comment=""):
    return session.client.post(f"/evaluator/gradings/{seat}/criteria/{criterion}",
                               data={"value": value, "comment": comment}, headers={**HTMX, "X-CSRFToken": session.token})


def decide(session, seat, competence, decision):
    return session.client.post(f"/evaluator/gradings/{seat}/competences/{competence}", data={"decision": decision},
                               headers={**HTMX, "X-CSRFToken": session.token})


def fill(session, seat, *, value, decision):
    session.get(f"/evaluator/gradings/{seat}")
    for criterion in ("g1", "g2"):
        assert row(session, seat, criterion, value, f"Commentaire {criterion}").status_code == 200
    for competence in ("C1.1", "B1-C3"):
        assert decide(session, seat, competence, decision).status_code == 200
    session.client.post(f"/evaluator/gradings/{seat}/comment", data={"overall_comment": f"Avis {decision}"},
                        headers={**HTMX, "X-CSRFToken": session.token})
    return session.post(f"/evaluator/gradings/{seat}/submit")


def test_the_queue_and_the_grading_page_show_the_code_and_the_grid(as_role, production):
    evaluator = as_role("evaluator")
    queue = evaluator.get("/evaluator/").get_data(as_text=True)
    assert production["code"] in queue and f'id="grade-{production["seats"]["evaluator@test.fr"]}"' in queue
    page = evaluator.get(f"/evaluator/gradings/{production['seats']['evaluator@test.fr']}").get_data(as_text=True)
    assert 'id="row-g1"' in page and 'id="decision-C1.1"' in page and "Maîtrisé" in page
    assert "<h2>Analyse</h2>" in page and "Texte de la copie" in page


def test_rows_autosave_one_at_a_time_and_a_level_outside_the_scale_is_refused(as_role, production):
    evaluator, seat = as_role("evaluator"), production["seats"]["evaluator@test.fr"]
    evaluator.get(f"/evaluator/gradings/{seat}")
    saved = row(evaluator, seat, "g1", "2", "Besoins bien hiérarchisés")
    assert saved.status_code == 200 and "save-ok" in saved.get_data(as_text=True)
    refused = row(evaluator, seat, "g1", "7")
    assert refused.status_code == 422 and "0, 1, 2, 3" in refused.get_data(as_text=True)
    assert decide(evaluator, seat, "C1.1", "maybe").status_code == 422
    page = evaluator.get(f"/evaluator/gradings/{seat}").get_data(as_text=True)
    assert re.search(r'value="2(\.0)?" checked', page) and "Besoins bien hiérarchisés" in page


def test_an_incomplete_grid_says_what_is_missing_and_a_submitted_one_is_locked(as_role, production):
    evaluator, seat = as_role("evaluator"), production["seats"]["evaluator@test.fr"]
    evaluator.get(f"/evaluator/gradings/{seat}")
    row(evaluator, seat, "g1", "2")
    incomplete = evaluator.post(f"/evaluator/gradings/{seat}/submit")
    body = incomplete.get_data(as_text=True)
    assert incomplete.status_code == 422 and "g2" in body and "B1-C3" in body
    assert fill(evaluator, seat, value="2", decision="acquired").status_code == 302
    assert row(evaluator, seat, "g1", "0").status_code == 422


def test_another_evaluators_grid_is_out_of_reach(app, as_role, production):
    other = juror(app)
    seat = production["seats"]["evaluator@test.fr"]
    assert other.get(f"/evaluator/gradings/{seat}").status_code == 404
    other.get("/evaluator/")
    assert row(other, seat, "g1", "2").status_code == 404
    assert other.post(f"/evaluator/gradings/{seat}/submit").status_code == 404


def test_two_evaluators_differ_reconcile_confirm_and_the_candidate_reads_the_released_result(app, as_role, production):
    first, second = as_role("evaluator"), juror(app)
    fill(first, production["seats"]["evaluator@test.fr"], value="2", decision="acquired")
    fill(second, production["seats"]["juror@test.fr"], value="1", decision="not_acquired")
    page = first.get(f"/evaluator/productions/{production['id']}/reconcile").get_data(as_text=True)
    assert page.count('class="differs"') >= 2 and "Commentaire g1" in page
    missing = first.post(f"/evaluator/productions/{production['id']}/reconcile",
                         {"decision-C1.1": "acquired", "why-C1.1": "Analyse juste", "decision-B1-C3": "not_acquired"})
    assert missing.status_code == 422 and "B1-C3" in missing.get_data(as_text=True)
    assert "Analyse juste" in missing.get_data(as_text=True)  # nothing typed is lost
    done = first.post(f"/evaluator/productions/{production['id']}/reconcile",
                      {"decision-C1.1": "acquired", "why-C1.1": "Analyse juste",
                       "decision-B1-C3": "not_acquired", "why-B1-C3": "Plan de suivi non daté"})
    assert done.status_code == 302
    candidate = as_role("candidate")
    assert production["code"] not in candidate.get("/candidate/results/").get_data(as_text=True)
    for session in (first, second):
        session.get(f"/evaluator/productions/{production['id']}/pv")
        assert session.post(f"/evaluator/productions/{production['id']}/pv", {"confirm": "y"}).status_code == 302
    pdf = first.get(f"/evaluator/productions/{production['id']}/pv.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    before = candidate.get("/candidate/results/").get_data(as_text=True)
    assert 'id="no-results"' in before and "Plan de suivi non daté" not in before
    trainer = as_role("trainer")
    page = trainer.get(f"/trainer/grading/sessions/{_session_id(app, production)}").get_data(as_text=True)
    assert "Candidate Test" in page and production["code"] in page
    assert trainer.post(f"/trainer/grading/sessions/{_session_id(app, production)}/release").status_code == 302
    after = candidate.get("/candidate/results/").get_data(as_text=True)
    assert "Plan de suivi non daté" in after and "Avis acquired" in after
    assert "Evaluator Test" not in after and "juror" not in after.lower()  # no jury names unless the school wants them


def _session_id(app, production):
    with app.app_context():
        return db.session.get(Production, production["id"]).session_id


def test_nothing_an_evaluator_reaches_names_the_candidate_or_their_time(app, as_role, production, clock):
    clock.advance(days=2, hours=3, minutes=11)  # the jury works later; its own times are not the candidate's
    evaluator, seat = as_role("evaluator"), production["seats"]["evaluator@test.fr"]
    pages = [evaluator.get("/evaluator/"), evaluator.get(f"/evaluator/gradings/{seat}")]
    fill(evaluator, seat, value="2", decision="acquired")
    fill(juror(app), production["seats"]["juror@test.fr"], value="2", decision="acquired")
    pages += [evaluator.get(f"/evaluator/productions/{production['id']}/pv"),
              evaluator.get(f"/evaluator/productions/{production['id']}/reconcile"),
              evaluator.get(f"/evaluator/gradings/{seat}"), evaluator.get("/evaluator/")]
    for response in pages:
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        for secret in ("Candidate Test", "candidate@test.fr", "Dyslexie", "1/3", "tiers", "17 min", "4 h 57",
                       "aménagement", "accommodation", "Accommodation", "10:00", "08:00"):
            assert secret not in text, (response.request.path, secret)
    assert production["code"] in pages[1].get_data(as_text=True)


def test_exports_list_every_candidate_with_their_decisions(app, as_role, production):
    trainer = as_role("trainer")
    session_id = _session_id(app, production)
    csv_data = trainer.get(f"/trainer/grading/sessions/{session_id}/results.csv")
    text = csv_data.data.decode("utf-8-sig")
    assert csv_data.mimetype == "text/csv" and "Candidate Test;candidate@test.fr;;" + production["code"] in text
    workbook = openpyxl.load_workbook(io.BytesIO(trainer.get(f"/trainer/grading/sessions/{session_id}/results.xlsx").data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][:4] == ("Candidate Test", "candidate@test.fr", None, production["code"]) and "C1.1" in rows[0]


def test_an_admin_sets_up_an_evaluator_and_waiting_productions_are_routed(app, as_role, users, loaded, clock):
    from tests.grading_helpers import produced

    with app.app_context():
        [made] = produced("candidate@test.fr")
        db.session.commit()
        waiting = [a.id for a in made.assignments]
        evaluator_id = user("evaluator@test.fr").id
        certification_id = made.session.version.scenario.certification_id
    trainer = as_role("trainer")
    index = trainer.get("/trainer/grading/").get_data(as_text=True)
    assert all(f'id="waiting-{i}"' in index for i in waiting)
    admin = as_role("admin")
    admin.get(f"/admin/evaluators/{evaluator_id}")
    saved = admin.post(f"/admin/evaluators/{evaluator_id}", {"roles": ["intervenant", "professionnel"], "active": "y",
                                                              "qualifications": [f"{certification_id}:*"]})
    assert saved.status_code == 302
    index = trainer.get("/trainer/grading/").get_data(as_text=True)
    assert sum(f'id="waiting-{i}"' in index for i in waiting) == 1  # one seat; the other needs a second person
    bad = admin.post(f"/admin/evaluators/{evaluator_id}", {"roles": ["chef"], "qualifications": ["x:y"]})
    assert bad.status_code == 422


@pytest.fixture
def validated(app, users, loaded, clock, _password_hashes):
    """The test candidate passed both demo scenarios (bloc B1 complete); both sessions released; in a cohort."""
    from simulator.exams.models import Cohort, CohortMember
    from simulator.grading import services
    from tests.grading_helpers import evaluator, grade, produced

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        written = produced("candidate@test.fr")[0]
        oral = produced("candidate@test.fr", slug="demo-b1-jeu-de-role")[0]
        for made, level in ((written, 2), (oral, 1)):
            for seat in made.assignments:
                grade(seat, level=level, acquired=True)
            for seat in made.assignments:
                services.sign(made, by=seat.evaluator, now=T0)
            services.release(made.session, by=user("trainer@test.fr"), now=T0)
        cohort = Cohort(name="Promo 2026")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user("candidate@test.fr").id))
        db.session.commit()
        bloc = written.session.version.scenario.certification.blocs[0]
        return {"bloc_id": bloc.id, "cohort_id": cohort.id, "candidate_id": user("candidate@test.fr").id}


def test_a_validated_bloc_shows_in_progress_and_gives_a_certificate(as_role, validated):
    candidate = as_role("candidate")
    page = candidate.get("/candidate/results/").get_data(as_text=True)
    assert 'id="certified"' in page and f'id="certificate-{validated["bloc_id"]}"' in page and "3/3" in page
    pdf = candidate.get(f"/candidate/results/blocs/{validated['bloc_id']}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    trainer = as_role("trainer")
    cohort = trainer.get(f"/trainer/grading/cohorts/{validated['cohort_id']}").get_data(as_text=True)
    assert "Candidate Test" in cohort and "Validé" in cohort
    text = trainer.get(f"/trainer/grading/cohorts/{validated['cohort_id']}/results.csv").data.decode("utf-8-sig")
    assert "Candidate Test;candidate@test.fr;;Validé;Obtenue" in text
    assert trainer.get(f"/trainer/grading/candidates/{validated['candidate_id']}/blocs/{validated['bloc_id']}/certificate.pdf").status_code == 200


def test_no_certificate_for_a_bloc_not_yet_validated(as_role, production):
    from simulator.referentiels.models import Bloc

    candidate = as_role("candidate")
    with candidate.client.application.app_context():
        bloc_id = db.session.scalar(select(Bloc.id))
    assert candidate.get(f"/candidate/results/blocs/{bloc_id}/certificate.pdf").status_code == 404


def test_a_trainer_reassigns_a_seat_with_a_reason(app, as_role, production, _password_hashes):
    from tests.grading_helpers import evaluator

    with app.app_context():
        backup = evaluator("backup@test.fr", roles=("intervenant",)).id
        db.session.commit()
    trainer = as_role("trainer")
    seat = production["seats"]["evaluator@test.fr"]
    trainer.get(f"/trainer/grading/seats/{seat}/reassign")
    no_reason = trainer.post(f"/trainer/grading/seats/{seat}/reassign", {"evaluator": backup, "reason": ""})
    assert no_reason.status_code == 422
    wrong = trainer.post(f"/trainer/grading/seats/{seat}/reassign",
                         {"evaluator": _id(app, "juror@test.fr"), "reason": "Absent"})
    assert wrong.status_code == 422 and "ne peut pas" in wrong.get_data(as_text=True)
    done = trainer.post(f"/trainer/grading/seats/{seat}/reassign", {"evaluator": backup, "reason": "Absent"})
    assert done.status_code == 302
    assert as_role("evaluator").get(f"/evaluator/gradings/{seat}").status_code == 404


def _id(app, email):
    with app.app_context():
        return user(email).id


def test_a_spreadsheet_is_shown_as_a_table_and_downloaded_under_a_neutral_name(app, as_role, users, loaded, clock,
                                                                               _password_hashes):
    from simulator.exams import services as exams
    from tests.exam_helpers import schedule
    from tests.grading_helpers import evaluator

    book = openpyxl.Workbook()
    book.active.append(["Produit", "Prix HT"])
    book.active.append(["LUM-01 <script>alert(1)</script>", 120])
    data = io.BytesIO()
    book.save(data)
    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant", "professionnel"))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        attempt = schedule().attempts[0]
        exams.start_attempt(attempt, sworn=True, now=T0)
        exams.save_upload(attempt, deliverable_id="chiffrage", filename="Chiffrage Candidate Test.xlsx",
                          data=data.getvalue(), author=attempt.candidate, now=T0)
        exams.hand_in(attempt, now=T0, automatic=False, actor_id=attempt.candidate_id)
        db.session.commit()
        made = db.session.scalar(select(Production))
        seat, code = next(a.id for a in made.assignments if a.evaluator.email == "evaluator@test.fr"), made.code
    evaluator_session = as_role("evaluator")
    page = evaluator_session.get(f"/evaluator/gradings/{seat}").get_data(as_text=True)
    table = page.split('id="sheet-chiffrage"')[1].split("</table>")[0]
    assert "<th>Prix HT</th>" in table and "<td>120</td>" in table
    assert "<script>alert" not in page and "&lt;script&gt;" in table
    download = evaluator_session.get(f"/evaluator/gradings/{seat}/files/chiffrage")
    assert download.data == data.getvalue()
    assert f"{code}-chiffrage.xlsx" in download.headers["Content-Disposition"]
    assert "Candidate" not in download.headers["Content-Disposition"] and "Candidate Test" not in page
