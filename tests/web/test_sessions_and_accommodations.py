"""Trainers schedule and watch sessions, grant incident time; admins record accommodations."""
import re

import pytest
from sqlalchemy import select

from simulator.auth.models import User
from simulator.exams.models import Attempt, AuditEvent, ExamSession
from simulator.extensions import db
from tests.exam_helpers import T0, schedule


def _candidate_id(app) -> int:
    with app.app_context():
        return db.session.scalars(select(User.id).where(User.email == "candidate@test.fr")).one()


def test_trainer_schedules_a_session_for_a_candidate(app, as_role, loaded, clock):
    trainer = as_role("trainer")
    form = trainer.get("/trainer/sessions/new").get_data(as_text=True)
    assert "demo-b1-etude-de-cas" in form and "Candidate Test" in form
    response = trainer.post("/trainer/sessions/new", {
        "scenario": "demo-b1-etude-de-cas", "title": "Partiel juin", "opens_at": "2026-06-15T10:00",
        "closes_at": "2026-06-15T18:00", "start_mode": "self", "candidates": str(_candidate_id(app)), "cohort": "0"})
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalars(select(ExamSession)).one()
        assert session.opens_at == T0  # 10:00 in Paris is 08:00 UTC in June
        assert [a.candidate.email for a in session.attempts] == ["candidate@test.fr"]
    live = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Session programmée pour 1 candidat(s)." in live and "Pas commencé" in live


def test_scheduling_refuses_a_window_that_closes_before_it_opens(app, as_role, loaded, clock):
    trainer = as_role("trainer")
    trainer.get("/trainer/sessions/new")
    response = trainer.post("/trainer/sessions/new", {
        "scenario": "demo-b1-etude-de-cas", "opens_at": "2026-06-15T18:00", "closes_at": "2026-06-15T10:00",
        "start_mode": "self", "candidates": str(_candidate_id(app)), "cohort": "0"})
    assert response.status_code == 400
    assert "la plage se ferme avant de s&#39;ouvrir" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(ExamSession)).all() == []


def test_live_view_fragment_and_incident_time_with_a_reason(app, as_role, users, loaded, clock):
    with app.app_context():
        session = schedule()
        db.session.commit()
        session_id, attempt_id = session.id, session.attempts[0].id
    trainer = as_role("trainer")
    fragment = trainer.get(f"/trainer/sessions/{session_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and f'id="live-{attempt_id}"' in fragment
    trainer.get(f"/trainer/sessions/{session_id}")
    refused = trainer.post(f"/trainer/sessions/{session_id}/attempts/{attempt_id}/grant", {"minutes": "10", "reason": ""})
    assert refused.status_code == 302
    assert "demande un nombre de minutes" in trainer.get(f"/trainer/sessions/{session_id}").get_data(as_text=True)
    trainer.post(f"/trainer/sessions/{session_id}/grant", {"minutes": "15", "reason": "Coupure de courant"})
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).granted_seconds == 900
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "time_granted")).one()
        assert event.details["reason"] == "Coupure de courant"
    assert trainer.get(f"/trainer/sessions/{session_id}/attempts/999/grant").status_code == 405
    assert trainer.post(f"/trainer/sessions/{session_id}/attempts/999/grant", {"minutes": "5", "reason": "x"}).status_code == 404


def test_together_session_opens_when_the_trainer_says_so(app, as_role, users, loaded, clock):
    with app.app_context():
        session = schedule(mode="together")
        db.session.commit()
        session_id, attempt_id = session.id, session.attempts[0].id
    candidate = as_role("candidate")
    assert "pas encore ouverte" in candidate.get(f"/candidate/attempts/{attempt_id}").get_data(as_text=True)
    trainer = as_role("trainer")
    trainer.get(f"/trainer/sessions/{session_id}")
    trainer.post(f"/trainer/sessions/{session_id}/open")
    assert 'id="start-form"' in candidate.get(f"/candidate/attempts/{attempt_id}").get_data(as_text=True)


def test_admin_records_a_tiers_temps_and_the_candidate_sees_their_time(app, as_role, users, loaded, clock):
    with app.app_context():
        schedule()
        db.session.commit()
    admin = as_role("admin")
    candidate_id = _candidate_id(app)
    admin.get(f"/admin/accommodations/{candidate_id}")
    bad = admin.post(f"/admin/accommodations/{candidate_id}", {"fraction": "un tiers", "minutes": "0"})
    assert bad.status_code == 400 and "n&#39;est pas une fraction de temps" in bad.get_data(as_text=True)
    admin.post(f"/admin/accommodations/{candidate_id}", {"fraction": "1/3", "minutes": "15", "note": "PAP"})
    assert "1/3 + 15 min" in admin.get("/admin/accommodations/").get_data(as_text=True)
    dashboard = as_role("candidate").get("/candidate/").get_data(as_text=True)
    assert "4 h 55" in dashboard  # 3 h 30 + 1 h 10 + 15 min


def test_the_form_library_own_messages_follow_the_language_of_each_request(app, as_role, users):
    admin = as_role("admin")
    candidate_id = _candidate_id(app)
    admin.get(f"/admin/accommodations/{candidate_id}")
    french = admin.post(f"/admin/accommodations/{candidate_id}", {"fraction": "1/3", "minutes": "douze"})
    assert french.status_code == 400 and "N&#39;est pas un entier valide." in french.get_data(as_text=True)
    admin.post("/language", {"language": "en", "next": "/admin/accommodations/"})
    english = admin.post(f"/admin/accommodations/{candidate_id}", {"fraction": "1/3", "minutes": "twelve"})
    assert english.status_code == 400 and "Not a valid integer value." in english.get_data(as_text=True)


@pytest.mark.parametrize("role, url", [("trainer", "/admin/accommodations/"), ("evaluator", "/admin/accommodations/"),
                                       ("candidate", "/trainer/sessions/"), ("evaluator", "/trainer/sessions/new")])
def test_accommodations_and_sessions_are_closed_to_other_roles(as_role, role, url):
    assert as_role(role).get(url).status_code == 403


def test_close_expired_command(app, users, loaded):
    from datetime import timedelta

    from simulator.exams import services

    with app.app_context():
        attempt = schedule(opens=T0 - timedelta(days=1)).attempts[0]
        services.start_attempt(attempt, sworn=True, now=T0 - timedelta(days=1))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["close-expired"])
    assert "1 attempt(s) handed in automatically." in result.output
    assert "0 attempt(s)" in app.test_cli_runner().invoke(args=["close-expired"]).output


def test_the_trainer_reads_every_save_a_candidate_made_including_the_refused_one(app, as_role, users, loaded, clock):
    with app.app_context():
        session, other = schedule(), schedule()
        db.session.commit()
        session_id, attempt_id, other_id = session.id, session.attempts[0].id, other.attempts[0].id
    candidate = as_role("candidate")
    candidate.get(f"/candidate/attempts/{attempt_id}")
    candidate.post(f"/candidate/attempts/{attempt_id}/start", {"sworn": "y"})
    url = f"/candidate/attempts/{attempt_id}/answers/analyse"
    headers = {"HX-Request": "true", "X-CSRFToken": candidate.token}
    candidate.client.post(url, json={"content": "Première version", "base": "0"}, headers=headers)
    clock.advance(minutes=5)
    candidate.client.post(url, json={"content": "Seconde version", "base": "1"}, headers=headers)
    candidate.client.post(url, json={"content": "Depuis un autre onglet", "base": "0"}, headers=headers)  # a conflict
    clock.advance(hours=3, minutes=30)
    candidate.client.post(url, json={"content": "Trop tard", "base": "2"}, headers=headers)

    trainer = as_role("trainer")
    live = trainer.get(f"/trainer/sessions/{session_id}").get_data(as_text=True)
    assert f'id="saves-{attempt_id}"' in live
    page = trainer.get(f"/trainer/sessions/{session_id}/attempts/{attempt_id}/saves").get_data(as_text=True)
    rows = re.findall(r'<tr id="save-(\d+)">(.*?)</tr>', page, re.S)
    outcomes = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for _, row in rows]
    assert len(rows) == 4
    assert "Révision 1" in outcomes[0] and "16" in outcomes[0] and "10:00:00" in outcomes[0]
    assert "Révision 2" in outcomes[1]
    assert "Conservé à côté d'un conflit (tapé sur la révision 0)" in outcomes[2].replace("&#39;", "'")
    assert "Arrivé après l'échéance" in outcomes[3].replace("&#39;", "'")
    text = trainer.get(f"/trainer/sessions/{session_id}/attempts/{attempt_id}/saves/{rows[2][0]}").get_data(as_text=True)
    assert "Depuis un autre onglet</pre>" in text
    assert trainer.get(f"/trainer/sessions/{session_id}/attempts/{other_id}/saves/{rows[2][0]}").status_code == 404
    assert trainer.get(f"/trainer/sessions/{session_id}/attempts/{other_id}/saves").status_code == 404  # another session's
    assert candidate.get(f"/trainer/sessions/{session_id}/attempts/{attempt_id}/saves").status_code == 403
