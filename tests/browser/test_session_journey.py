"""The people around an exam, in Chromium: an admin records a candidate's tiers-temps, a trainer schedules the
session and follows it live, grants incident time after a power cut, the candidate sees their own time at every
step, and the admin exports the session's results."""
import csv
import io

import pytest
from sqlalchemy import select

from simulator.exams.models import Attempt, AuditEvent
from simulator.extensions import db
from tests.browser.pages import AdminPages, CandidatePages, SessionPages, sign_in
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser


def test_accommodation_schedule_live_view_incident_time_and_export(app, chromium, live_url, users, loaded, clock):
    admin_context, admin, admin_errors = sign_in(chromium, live_url, *PASSWORDS["admin"])
    AdminPages(admin).record_accommodation("candidate@test.fr", fraction="1/3", minutes="15",
                                           note="Tiers-temps, notification MDPH")
    assert "Aménagement enregistré" in admin.locator(".flash").inner_text()
    assert AdminPages(admin).extra_time_of("candidate@test.fr") == "1/3 + 15 min"

    trainer_context, trainer, trainer_errors = sign_in(chromium, live_url, *PASSWORDS["trainer"])
    sessions = SessionPages(trainer)
    session_id = sessions.schedule(scenario="demo-b1-etude-de-cas", title="Étude de cas, session de juin",
                                   opens="2026-06-15T10:00", closes="2026-06-15T18:00",  # Paris time; T0 is 10:00
                                   candidate_email="candidate@test.fr")
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.session_id == session_id))
        db.session.remove()
    assert "Pas commencé" in sessions.cell(attempt_id, 1)

    candidate_context, candidate, candidate_errors = sign_in(chromium, live_url, *PASSWORDS["candidate"])
    mine = candidate.locator(f"#attempt-{attempt_id}")
    assert "Étude de cas, session de juin" in mine.inner_text()
    assert "4 h 55" in mine.inner_text()  # 3 h 30 + a third + 15 minutes: their own time, before they start
    candidate.goto(f"/candidate/attempts/{attempt_id}")
    assert "4 h 55" in candidate.locator("#time-allowed").inner_text()
    exam = CandidatePages(candidate)
    exam.start(attempt_id)
    assert candidate.locator("#time-left").inner_text() == "4 h 55 min"
    exam.type_into("analyse", "Trois hôtels à rénover avant la saison.")
    exam.wait_saved("analyse")

    trainer.reload()
    assert "En cours" in sessions.cell(attempt_id, 1)
    assert sessions.cell(attempt_id, 2) != "—"  # the time of the last save
    assert sessions.cell(attempt_id, 3) == "4 h 55 min"
    sessions.grant(attempt_id, "10", "Coupure de courant en salle B")
    assert "10 minute(s) accordée(s) à 1 candidat(s)" in trainer.locator(".flash").inner_text()
    assert sessions.cell(attempt_id, 3) == "5 h 05 min"
    assert "+10 min" in sessions.cell(attempt_id, 4)

    candidate.reload()
    assert candidate.locator("#time-left").inner_text() == "5 h 05 min"
    exam.hand_in()
    trainer.reload()
    assert "Rendu" in sessions.cell(attempt_id, 1)

    admin.goto(f"/trainer/grading/sessions/{session_id}")
    with admin.expect_download() as download:
        admin.click("#export-csv")
    assert download.value.suggested_filename == f"resultats-session-{session_id}.csv"
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read()), delimiter=";"))
    assert rows[0][0] == "Candidat" and rows[0][3] == "Code candidat"
    [line] = [row for row in rows if "candidate@test.fr" in row]
    assert line[3] != "" and line[4] == "En cours d'évaluation"  # routed to its jury under an anonymous code

    with app.app_context():
        grants = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "time_granted")).all()
        assert [g.details.get("reason") for g in grants] == ["Coupure de courant en salle B"]
        db.session.remove()
    assert admin_errors == trainer_errors == candidate_errors == []
    for context in (admin_context, trainer_context, candidate_context):
        context.close()
