"""Trainers create a cohort and import its roster; the same file twice imports nothing twice."""
import io

from sqlalchemy import func, select

from simulator.auth.models import User
from simulator.exams.models import CohortMember
from simulator.extensions import db

ROSTER = ("nom;courriel;numéro\n"
          "Camille Martin;camille.martin@exemple.fr;2026-014\n"
          "Yanis Haddad;yanis@exemple.fr;2026-015\n"
          "Sans Adresse;;2026-016\n"
          "Le Formateur;trainer@test.fr;\n").encode()


def upload(session, cohort_id, data):
    session.get(f"/trainer/cohorts/{cohort_id}")
    return session.post(f"/trainer/cohorts/{cohort_id}/import", {"roster": (io.BytesIO(data), "promo.csv")},
                        content_type="multipart/form-data")


def test_create_a_cohort_import_twice_and_read_the_report(app, as_role):
    trainer = as_role("trainer")
    trainer.get("/trainer/cohorts/")
    assert trainer.post("/trainer/cohorts/", {"name": " "}).status_code == 422
    created = trainer.post("/trainer/cohorts/", {"name": "Promo 2026"})
    assert created.status_code == 302
    cohort_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    trainer.get("/trainer/cohorts/")
    assert "Une cohorte porte déjà ce nom" in trainer.post("/trainer/cohorts/", {"name": "Promo 2026"}).get_data(as_text=True)

    first = upload(trainer, cohort_id, ROSTER)
    report = first.get_data(as_text=True)
    assert first.status_code == 200  # imported what was good; the report says which lines were rejected and why
    assert "2 compte(s) créé(s), 2 candidat(s) ajouté(s), 0 déjà dans la cohorte, 2 ligne(s) rejetée(s)" in report
    assert "<td>4</td>" in report and "<td>5</td>" in report and "pas un candidat" in report
    again = upload(trainer, cohort_id, ROSTER).get_data(as_text=True)
    assert "0 compte(s) créé(s), 0 candidat(s) ajouté(s), 2 déjà dans la cohorte" in again
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CohortMember)) == 2
        camille = db.session.scalar(select(User).where(User.email == "camille.martin@exemple.fr"))
        assert camille.role == "candidate" and camille.candidate_number == "2026-014"
    page = trainer.get(f"/trainer/cohorts/{cohort_id}").get_data(as_text=True)
    assert "2026-015" in page and 'id="member-' in page


def test_a_file_that_is_not_a_roster_changes_nothing(app, as_role):
    trainer = as_role("trainer")
    trainer.get("/trainer/cohorts/")
    cohort_id = int(trainer.post("/trainer/cohorts/", {"name": "Promo B"}).headers["Location"].split("/")[-1])
    response = upload(trainer, cohort_id, b"\x89PNG\r\n\x1a\n\x00\x00")
    assert response.status_code == 422 and "la première ligne doit nommer les colonnes" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CohortMember)) == 0
