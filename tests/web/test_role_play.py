"""A role play with the simulated interlocutor through the web: talking, retries and stale windows, the end
of the conversation, the hand-in of the transcript, what the jury sees; and the trainers' try-out."""
import json

import pytest
from sqlalchemy import func, select

from simulator.exams.models import AuditEvent, HandIn
from simulator.extensions import db
from simulator.roleplay.models import Conversation, Exchange
from tests.exam_helpers import T0, schedule

HTMX = {"HX-Request": "true"}
SLUG = "demo-b1-jeu-de-role"


@pytest.fixture
def role_play(app, users, loaded, clock):
    from simulator.exams import services

    with app.app_context():
        session = schedule(SLUG)
        attempt = session.attempts[0]
        services.start_attempt(attempt, sworn=True, now=T0)
        db.session.commit()
        return attempt.id


@pytest.fixture
def candidate(as_role, role_play):
    session = as_role("candidate")
    session.get(f"/candidate/attempts/{role_play}")
    return session


def say(session, attempt_id, number, text, htmx=True):
    return session.client.post(f"/candidate/attempts/{attempt_id}/conversations/transcript",
                               data={"number": str(number), "said": text, "csrf_token": session.token},
                               headers=HTMX if htmx else {})


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_workspace_opens_the_conversation_without_storing_anything(app, candidate, role_play):
    workspace = candidate.get(f"/candidate/attempts/{role_play}").get_data(as_text=True)
    assert 'id="conversation-transcript"' in workspace and "Claire Ferreira" in workspace
    chat = candidate.get(f"/candidate/attempts/{role_play}/conversations/transcript", headers=HTMX)
    html = chat.get_data(as_text=True)
    assert chat.status_code == 200 and "Bonjour, je vous écoute." in html and 'name="number" value="1"' in html
    assert count(app, Conversation) == 0
    assert candidate.get(f"/candidate/attempts/{role_play}/conversations/pitch").status_code == 404


def test_a_reply_is_answered_once_committed_and_a_retry_is_stored_once(app, candidate, role_play):
    first = say(candidate, role_play, 1, "Bonjour Madame, quels sont vos besoins pour ce projet ?")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "quels sont vos besoins" in html and "Nous rénovons trois hôtels" in html
    assert 'name="number" value="2"' in html
    again = say(candidate, role_play, 1, "Bonjour Madame, quels sont vos besoins pour ce projet ?")
    assert again.status_code == 200 and count(app, Exchange) == 2  # the opening and one exchange
    with app.app_context():
        [exchange] = db.session.scalars(select(Exchange).where(Exchange.number == 1)).all()
        assert exchange.state == "besoins" and exchange.moves[0]["evidence"] == ["g1"]


def test_the_candidate_never_sees_the_tags_meant_for_the_jury(candidate, role_play):
    html = say(candidate, role_play, 1, "Quels sont vos besoins ?").get_data(as_text=True)
    assert "Reconnu" not in html and "découverte des besoins" not in html and 'class="moves"' not in html


def test_a_reply_from_a_window_that_missed_an_exchange_is_refused_and_kept_in_the_box(app, candidate, role_play):
    say(candidate, role_play, 1, "Quels sont vos besoins ?")
    stale = say(candidate, role_play, 1, "Parlons du prix unitaire.")
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "dans une autre fenêtre" in html and "Parlons du prix unitaire.</textarea>" in html
    assert count(app, Exchange) == 2


def test_an_empty_or_too_long_reply_says_what_is_expected(app, candidate, role_play):
    empty = say(candidate, role_play, 1, "   ")
    assert empty.status_code == 422 and "Écrivez votre réponse" in empty.get_data(as_text=True)
    long = say(candidate, role_play, 1, "mot " * 900)
    assert long.status_code == 422 and "3000" in long.get_data(as_text=True).replace("\u202f", "")
    assert count(app, Exchange) == 0


def test_a_negotiation_to_its_end_then_the_transcript_is_handed_in(app, candidate, role_play):
    turns = ["Quels sont vos besoins ?",
             "Je vous propose un prix unitaire de 94 €.",
             "Je récapitule et je vous envoie le bon de commande.",
             "En contrepartie d'un paiement à 60 jours, je vous propose un prix de 92 €.",
             "Je récapitule : 92 € et paiement à 60 jours, je vous envoie le bon de commande."]
    pages = [say(candidate, role_play, n, text).get_data(as_text=True) for n, text in enumerate(turns, start=1)]
    assert "Je peux faire un effort : 85" in pages[1]  # halfway from 80 towards its target of 90
    assert "pas encore d&#39;accord" in pages[2]
    assert "c&#39;est d&#39;accord" in pages[3] and "Délai de paiement : <strong>60 jours</strong>" in pages[3]
    assert "envoyez-moi le bon de commande" in pages[4] and "La conversation est terminée." in pages[4]
    assert 'id="chat-transcript-form"' not in pages[4]
    over = say(candidate, role_play, 6, "Merci !")
    assert over.status_code == 409 and "La conversation est terminée" in over.get_data(as_text=True)

    candidate.get(f"/candidate/attempts/{role_play}")
    candidate.post(f"/candidate/attempts/{role_play}/hand-in", {"confirm": "y"})
    with app.app_context():
        receipt = db.session.scalar(select(HandIn))
        transcript = receipt.snapshot["transcripts"]["transcript"]
        assert transcript["ended"] and transcript["outcome"] == "accord conclu"
        assert [e["said"] for e in transcript["exchanges"][1:]] == turns
        assert {t["id"]: t["agreed"] for t in transcript["terms"]} == {"prix": "92 €", "delai": "60 jours"}
        from simulator.exams.services import digest
        assert receipt.sha256 == digest(json.loads(json.dumps(receipt.snapshot)))


def test_the_jury_reads_the_transcript_with_hints_and_no_name(app, candidate, role_play, _password_hashes):
    from simulator.grading.models import Assignment
    from tests.grading_helpers import evaluator
    from tests.helpers import Session

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        db.session.commit()
    say(candidate, role_play, 1, "Quels sont vos besoins ?")
    say(candidate, role_play, 2, "Votre concurrent propose quel délai ?")
    candidate.get(f"/candidate/attempts/{role_play}")
    candidate.post(f"/candidate/attempts/{role_play}/hand-in", {"confirm": "y"})
    with app.app_context():
        seat = db.session.scalar(select(Assignment).join(Assignment.evaluator).where(
            Assignment.evaluator.has(email="evaluator@test.fr")))
        seat_id = seat.id
    jury = Session(app.test_client())
    jury.login("evaluator")
    html = jury.get(f"/evaluator/gradings/{seat_id}").get_data(as_text=True)
    assert 'id="transcript-transcript"' in html and "Quels sont vos besoins ?" in html
    assert "découverte des besoins" in html and "question sur la concurrence" in html
    assert 'class="badge hint"' in html and "pas une note" in html
    assert "pas terminée" in html  # handed in before the end
    assert 'id="hints-g1"' in html and 'href="#turn-transcript-1"' in html and 'href="#turn-transcript-2"' in html
    assert 'id="turn-transcript-1"' in html
    assert "Candidate Test" not in html and 'id="live-notice"' not in html


def test_a_reply_after_the_deadline_is_refused_and_kept_as_evidence(app, candidate, role_play, clock):
    clock.advance(minutes=20, seconds=30)  # past the 20 minutes, inside the grace period
    assert say(candidate, role_play, 1, "Quels sont vos besoins ?").status_code == 200
    with app.app_context():
        from simulator.exams.models import Attempt
        assert db.session.get(Attempt, role_play).status == "in_progress"
    clock.advance(minutes=5)
    late = say(candidate, role_play, 2, "Votre concurrent ?")
    assert late.status_code in (302, 409)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exchange)) == 2
        assert db.session.get(Attempt, role_play).status == "auto_handed_in"
        evidence = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "late_reply_refused"))
        assert evidence.details["text"] == "Votre concurrent ?"
        snapshot = db.session.scalar(select(HandIn)).snapshot
        assert len(snapshot["transcripts"]["transcript"]["exchanges"]) == 2


def test_a_trainer_tries_the_dialogue_and_sees_what_was_recognised(app, as_role, users, loaded):
    trainer = as_role("trainer")
    page = trainer.get(f"/trainer/scenarios/{SLUG}").get_data(as_text=True)
    assert 'id="try-dialogue"' in page
    started = trainer.post(f"/trainer/try-outs/{SLUG}/v1", {})
    assert started.status_code == 302
    url = started.headers["Location"]
    trainer.get(url)
    answer = trainer.client.post(url, data={"number": "1", "said": "Quels sont vos besoins ?",
                                            "csrf_token": trainer.token}, headers=HTMX).get_data(as_text=True)
    assert "Nous rénovons trois hôtels" in answer and "découverte des besoins" in answer and ">g1<" in answer
    with app.app_context():
        assert db.session.scalar(select(Conversation)).attempt_id is None
    admin = as_role("admin")
    assert admin.get(url).status_code == 404  # a try-out is its author's own
    assert as_role("candidate").get(url).status_code == 403
    assert trainer.post("/trainer/try-outs/demo-b1-etude-de-cas/v1", {}).status_code == 404  # no dialogue there


def test_the_role_play_shows_the_candidates_own_earlier_hand_in(app, as_role, users, loaded, clock):
    from simulator.exams import services
    from tests.grading_helpers import candidate as make_candidate

    with app.app_context():
        make_candidate("other@test.fr")
        written = schedule("demo-b1-etude-de-cas", candidates=("candidate@test.fr", "other@test.fr"))
        for attempt in written.attempts:
            services.start_attempt(attempt, sworn=True, now=T0)
            services.save_text(attempt, deliverable_id="proposition", content=f"## Offre de {attempt.candidate.email}",
                               author=attempt.candidate, now=T0)
            services.save_text(attempt, deliverable_id="analyse", content="Analyse privée", author=attempt.candidate,
                               now=T0)
            services.hand_in(attempt, now=T0, automatic=False, actor_id=attempt.candidate_id)
        oral = schedule(SLUG)
        services.start_attempt(oral.attempts[0], sworn=True, now=T0)
        db.session.commit()
        oral_id = oral.attempts[0].id
    page = as_role("candidate").get(f"/candidate/attempts/{oral_id}").get_data(as_text=True)
    assert 'id="chained-work"' in page and 'id="earlier-proposition"' in page
    assert "Offre de candidate@test.fr" in page and "Offre de other@test.fr" not in page
    assert "Analyse privée" not in page  # only the deliverables the chain names


def test_without_the_earlier_hand_in_the_candidate_is_told(as_role, role_play):
    page = as_role("candidate").get(f"/candidate/attempts/{role_play}").get_data(as_text=True)
    assert 'id="no-earlier-work"' in page
