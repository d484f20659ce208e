"""A recorded pitch through the web: takes, pieces stored as they arrive (a retry once), the limit with the
candidate's extra time, no take beyond the scenario's, a recording the browser could not make; the jury plays
back the take that was handed in."""
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from simulator.exams.models import HandIn
from simulator.extensions import db
from simulator.recording.models import Piece
from tests.exam_helpers import T0, schedule, user

HTMX = {"HX-Request": "true"}
SLUG = "demo-b1-jeu-de-role"
BASE = "/candidate/attempts/{id}/recordings/pitch"


@pytest.fixture
def attempt_id(app, users, loaded, clock):
    from simulator.exams import services

    with app.app_context():
        session = schedule(SLUG)
        services.start_attempt(session.attempts[0], sworn=True, now=T0)
        db.session.commit()
        return session.attempts[0].id


@pytest.fixture
def candidate(as_role, attempt_id):
    session = as_role("candidate")
    session.get(f"/candidate/attempts/{attempt_id}")
    return session


def post(session, url, data=None, **kwargs):
    return session.client.post(url, data=data, headers={"X-CSRFToken": session.token, **kwargs.pop("headers", {})},
                               **kwargs)


def start(session, attempt_id):
    return post(session, BASE.format(id=attempt_id) + "/takes", {"media_type": "audio/webm;codecs=opus"})


def piece(session, url, sequence, data):
    return post(session, f"{url}{sequence}", data, headers={"Content-Type": "audio/webm"})


def test_a_take_in_pieces_then_handed_in_and_played_back_by_the_jury(app, candidate, attempt_id, _password_hashes):
    from tests.grading_helpers import evaluator
    from tests.helpers import Session

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        db.session.commit()
    slot = candidate.get(BASE.format(id=attempt_id)).get_data(as_text=True)
    assert "2 min au plus" in slot and "Prises restantes : 1" in slot
    started = start(candidate, attempt_id)
    info = started.get_json()
    assert started.status_code == 200 and info["take"] == 1 and info["limit_seconds"] == 120
    for sequence, data in enumerate([b"\x1aE\xdf\xa3head", b"second", b"third"]):
        assert piece(candidate, info["pieces_url"], sequence, data).get_json()["stored"] is True
    assert piece(candidate, info["pieces_url"], 1, b"second").get_json()["stored"] is False  # a retry, once
    ended = post(candidate, info["end_url"], {"seconds": "95.4"})
    assert ended.status_code == 200 and "Prise 1" in ended.get_data(as_text=True)
    own = candidate.get(BASE.format(id=attempt_id) + "/takes/1")
    assert own.data == b"\x1aE\xdf\xa3headsecondthird" and own.mimetype == "audio/webm"
    assert "Aucune prise restante" in candidate.get(BASE.format(id=attempt_id)).get_data(as_text=True)
    refused = start(candidate, attempt_id)
    assert refused.status_code == 409 and "1 prise" in refused.get_json()["error"]

    candidate.get(f"/candidate/attempts/{attempt_id}")
    candidate.post(f"/candidate/attempts/{attempt_id}/hand-in", {"confirm": "y"})
    with app.app_context():
        entry = db.session.scalar(select(HandIn)).snapshot["recordings"]["pitch"]
        assert entry["take"] == 1 and entry["bytes"] == 19 and entry["seconds"] == 95.4 and entry["pieces"] == 3
        from simulator.grading.models import Assignment
        seat = db.session.scalar(select(Assignment).where(Assignment.evaluator.has(email="evaluator@test.fr"))).id
    jury = Session(app.test_client())
    jury.login("evaluator")
    page = jury.get(f"/evaluator/gradings/{seat}").get_data(as_text=True)
    assert f'src="/evaluator/gradings/{seat}/recordings/pitch"' in page and "95 s" in page
    played = jury.get(f"/evaluator/gradings/{seat}/recordings/pitch")
    assert played.data == b"\x1aE\xdf\xa3headsecondthird"
    assert "Candidate" not in played.headers["Content-Disposition"] and "pitch" in played.headers["Content-Disposition"]


def test_the_limit_follows_the_extra_time_fraction(app, candidate, attempt_id):
    from simulator.exams import services

    with app.app_context():
        services.set_accommodation(candidate=user("candidate@test.fr"), fraction=Fraction(1, 3), minutes=17,
                                   note=None, by=user("admin@test.fr"), now=T0)
        db.session.commit()
    assert start(candidate, attempt_id).get_json()["limit_seconds"] == 160  # 2 min + a third; not the 17 minutes
    assert "2 min 40 s au plus" in candidate.get(BASE.format(id=attempt_id)).get_data(as_text=True)


def test_a_piece_long_after_the_limit_is_refused(app, candidate, attempt_id, clock):
    info = start(candidate, attempt_id).get_json()
    assert piece(candidate, info["pieces_url"], 0, b"on time").status_code == 200
    clock.advance(seconds=150)
    late = piece(candidate, info["pieces_url"], 1, b"far too late")
    assert late.status_code == 409 and "Cette prise est terminée" in late.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Piece)) == 1


def test_an_empty_piece_is_refused_with_its_reason(candidate, attempt_id):
    info = start(candidate, attempt_id).get_json()
    empty = piece(candidate, info["pieces_url"], 0, b"")
    assert empty.status_code == 409 and "vide" in empty.get_json()["error"]


def test_a_browser_that_cannot_record_tells_the_jury_and_keeps_the_take(app, candidate, attempt_id):
    response = post(candidate, BASE.format(id=attempt_id) + "/unavailable", {"problem": "denied"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enregistrement impossible" in html and "Prises restantes : 1" in html
    candidate.post(f"/candidate/attempts/{attempt_id}/hand-in", {"confirm": "y"})
    with app.app_context():
        entry = db.session.scalar(select(HandIn)).snapshot["recordings"]["pitch"]
        assert entry == {"take": 1, "status": "unavailable", "problem": "denied"}


def test_recording_routes_need_the_csrf_token(candidate, attempt_id):
    response = candidate.client.post(BASE.format(id=attempt_id) + "/takes", data={"media_type": "audio/webm"})
    assert response.status_code == 400
