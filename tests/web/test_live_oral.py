"""A live oral run by its jury in the room: start, timed phases, a pause for an incident given back to the
candidate, notes taken as it listens, the end that hands it in; the jury grades with those notes."""
import re

import pytest
from sqlalchemy import select

from simulator.exams.models import AuditEvent, HandIn, TimeGrant
from simulator.extensions import db
from tests.exam_helpers import T0, schedule

SLUG = "demo-b1-oral-jury"


@pytest.fixture
def oral(app, users, loaded, clock, tmp_path, _password_hashes):
    """The doc's role play without its simulated interlocutor: the jury plays the buyer in the room."""
    from simulator.catalogue import load_files
    from simulator.formats import load_tree
    from tests.grading_helpers import evaluator
    from tests.helpers import doc_examples

    referentiel, _, role_play = doc_examples()
    text = role_play.replace("id: demo-b1-jeu-de-role", f"id: {SLUG}").split("chain:")[0]
    text = re.sub(r"  dialogue:.*?(?=  negotiation:)", "", text, flags=re.S)
    text = text.replace("  - id: p1\n    title: Entretien\n", "  - id: p0\n    title: Préparation\n    duration: 10 min\n"
                        "    tasks: [{id: t0, title: Préparer l'entretien}]\n  - id: p1\n    title: Entretien\n")
    (tmp_path / "referentiels").mkdir()
    (tmp_path / "referentiels" / "demo.yaml").write_text(referentiel, encoding="utf-8")
    (tmp_path / f"{SLUG}.yaml").write_text(text, encoding="utf-8")
    with app.app_context():
        load_files(load_tree(tmp_path))
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        session = schedule(SLUG)
        db.session.commit()
        return {"session": session.id, "attempt": session.attempts[0].id}


def room(oral):
    return f"/trainer/sessions/{oral['session']}/orals/{oral['attempt']}"


def test_the_jury_runs_the_oral_from_start_to_hand_in(app, as_role, oral, clock):
    trainer = as_role("trainer")
    session_page = trainer.get(f"/trainer/sessions/{oral['session']}").get_data(as_text=True)
    assert f'id="jury-room-{oral["attempt"]}"' in session_page
    page = trainer.get(room(oral)).get_data(as_text=True)
    assert "Claire Ferreira" in page and "ne cède pas sous 8 %" in page and "L&#39;entretien suit les étapes" in page
    assert 'id="oral-start"' in page and "Non commencé" in page

    assert trainer.post(room(oral) + "/start", {}).status_code == 302
    page = trainer.get(room(oral)).get_data(as_text=True)
    assert "Temps restant : 20 min" in page and 'aria-current="step"' in page and 'id="oral-next"' in page

    candidate = as_role("candidate")
    workspace = candidate.get(f"/candidate/attempts/{oral['attempt']}").get_data(as_text=True)
    assert 'id="live-oral-notice"' in workspace and 'id="timer"' in workspace

    refused = trainer.post(room(oral) + "/pause", {"reason": " "}, follow_redirects=True).get_data(as_text=True)
    assert "dites quel est l&#39;incident" in refused.lower()
    trainer.get(room(oral))
    trainer.post(room(oral) + "/pause", {"reason": "Alarme incendie"})
    assert 'id="oral-paused"' in candidate.get(f"/candidate/attempts/{oral['attempt']}/timer").get_data(as_text=True)
    clock.advance(minutes=4, seconds=10)
    trainer.get(room(oral))
    trainer.post(room(oral) + "/resume", {})
    with app.app_context():
        grant = db.session.scalar(select(TimeGrant))
        assert grant.seconds == 5 * 60 and grant.reason == "Pause : Alarme incendie"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "oral_paused")).details["reason"] \
            == "Alarme incendie"

    trainer.get(room(oral))
    notes = trainer.client.post(room(oral) + "/notes", data={"notes": "Bonne découverte.\nPrix défendu."},
                                headers={"HX-Request": "true", "X-CSRFToken": trainer.token})
    assert notes.status_code == 200 and "Enregistré" in notes.get_data(as_text=True)
    on_g1 = trainer.client.post(room(oral) + "/notes/g1", data={"notes": "Découverte structurée, questions ouvertes."},
                                headers={"HX-Request": "true", "X-CSRFToken": trainer.token})
    assert on_g1.status_code == 200
    unknown = trainer.client.post(room(oral) + "/notes/g9", data={"notes": "?"},
                                  headers={"HX-Request": "true", "X-CSRFToken": trainer.token})
    assert unknown.status_code == 422 and "pas dans la grille" in unknown.get_data(as_text=True)
    trainer.post(room(oral) + "/next", {})
    assert "dernière phase" in trainer.post(room(oral) + "/next", {}, follow_redirects=True).get_data(as_text=True)
    trainer.get(room(oral))
    trainer.post(room(oral) + "/end", {})
    with app.app_context():
        snapshot = db.session.scalar(select(HandIn)).snapshot
        assert snapshot["oral"]["notes"] == "Bonne découverte.\nPrix défendu."
        assert [e["kind"] for e in snapshot["oral"]["events"]] == ["start", "pause", "resume", "phase", "end"]
        from simulator.grading.models import Assignment
        seat = db.session.scalar(select(Assignment).where(Assignment.evaluator.has(email="evaluator@test.fr"))).id
    assert "Terminé et remis" in trainer.get(room(oral)).get_data(as_text=True)
    jury = as_role("evaluator")
    grading = jury.get(f"/evaluator/gradings/{seat}").get_data(as_text=True)
    assert 'id="oral-notes"' in grading and "Prix défendu." in grading and 'id="live-notice"' in grading
    assert 'id="oral-note-g1"' in grading and "Découverte structurée, questions ouvertes." in grading


def test_only_a_live_oral_has_a_jury_room(as_role, users, loaded, app):
    with app.app_context():
        written = schedule()
        db.session.commit()
        ids = (written.id, written.attempts[0].id)
    trainer = as_role("trainer")
    assert trainer.get(f"/trainer/sessions/{ids[0]}/orals/{ids[1]}").status_code == 404


def test_the_jury_room_is_for_trainers(as_role, oral):
    assert as_role("candidate").get(room(oral)).status_code == 403
    assert as_role("evaluator").get(room(oral)).status_code == 403


def test_an_oral_held_in_writing_for_a_candidate_whose_accommodation_asks_for_it(app, as_role, oral, clock):
    from tests.exam_helpers import user

    admin = as_role("admin")
    with app.app_context():
        candidate_id = user("candidate@test.fr").id
    admin.get(f"/admin/accommodations/{candidate_id}")
    saved = admin.post(f"/admin/accommodations/{candidate_id}", {"fraction": "1/3", "minutes": "0", "textual_oral": "y"})
    assert saved.status_code == 302
    assert "1/3 · oraux à l'écrit" in admin.get("/admin/accommodations/").get_data(as_text=True)

    trainer = as_role("trainer")
    trainer.get(room(oral))
    trainer.post(room(oral) + "/start", {})
    page = trainer.get(room(oral)).get_data(as_text=True)
    assert 'id="oral-chat"' in page and "Temps restant : 26 min" in page  # 20 min and a third, the candidate's time

    candidate = as_role("candidate")
    workspace = candidate.get(f"/candidate/attempts/{oral['attempt']}").get_data(as_text=True)
    assert 'id="oral-chat"' in workspace
    headers = {"HX-Request": "true", "X-CSRFToken": candidate.token}
    sent = candidate.client.post(f"/candidate/attempts/{oral['attempt']}/oral/messages",
                                 data={"text": "Bonjour, je vous présente notre offre."}, headers=headers)
    assert sent.status_code == 200 and "Bonjour, je vous présente notre offre." in sent.get_data(as_text=True)
    empty = candidate.client.post(f"/candidate/attempts/{oral['attempt']}/oral/messages", data={"text": " "},
                                  headers=headers)
    assert empty.status_code == 422 and "le message est vide" in empty.get_data(as_text=True)
    reply = trainer.client.post(room(oral) + "/messages", data={"text": "Votre prix est trop élevé."},
                                headers={"HX-Request": "true", "X-CSRFToken": trainer.token})
    assert reply.status_code == 200
    thread = candidate.get(f"/candidate/attempts/{oral['attempt']}/oral/messages").get_data(as_text=True)
    assert "Jury" in thread and "Votre prix est trop élevé." in thread
    trainer.get(room(oral))
    trainer.post(room(oral) + "/end", {})
    with app.app_context():
        written = db.session.scalar(select(HandIn)).snapshot["oral"]["messages"]
        assert [(m["side"], m["text"]) for m in written] == [
            ("candidate", "Bonjour, je vous présente notre offre."), ("jury", "Votre prix est trop élevé.")]


def test_without_the_accommodation_the_oral_has_no_written_exchange(as_role, oral):
    trainer = as_role("trainer")
    trainer.get(room(oral))
    trainer.post(room(oral) + "/start", {})
    assert 'id="oral-chat"' not in trainer.get(room(oral)).get_data(as_text=True)
    assert as_role("candidate").get(f"/candidate/attempts/{oral['attempt']}/oral/messages").status_code == 404
