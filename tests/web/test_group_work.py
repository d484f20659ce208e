"""Group work through the web: the trainer forms groups, members share one workspace, see each other, meet a
conflict without losing a word, hand in once; the jury reads contributions under anonymous codes."""
import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from simulator.exams.models import Attempt, HandIn
from simulator.grading.models import Production
from simulator.extensions import db
from tests.helpers import xlsx_bytes
from tests.group_helpers import MEMBERS, group_session, load_group_scenario
from tests.helpers import PASSWORDS, Session

HTMX = {"HX-Request": "true"}


def sign_in(app, email: str) -> Session:
    person = Session(app.test_client())
    person.get("/login")
    assert person.post("/login", {"email": email, "password": PASSWORDS["candidate"][1]}).status_code == 302
    return person


@pytest.fixture
def group(app, users, _password_hashes, clock, tmp_path):
    with app.app_context():
        load_group_scenario(tmp_path)
        session = group_session(*MEMBERS, password_hash=_password_hashes["candidate"])
        db.session.commit()
        ids = {a.candidate.email.split("@")[0]: a.id for a in session.attempts}
        return {"session": session.id, **ids}


@pytest.fixture
def members(app, group):
    return {name: sign_in(app, f"{name}@test.fr") for name in ("alice", "bruno", "chloe")}


def start(person, attempt_id):
    person.get(f"/candidate/attempts/{attempt_id}")
    assert person.post(f"/candidate/attempts/{attempt_id}/start", {"sworn": "y"}).status_code == 302
    return person.get(f"/candidate/attempts/{attempt_id}").get_data(as_text=True)


def save(person, attempt_id, text, base):
    return person.client.post(f"/candidate/attempts/{attempt_id}/answers/analyse",
                              json={"content": text, "base": None if base is None else str(base)},
                              headers={**HTMX, "X-CSRFToken": person.token})


def test_the_trainer_forms_groups_and_moves_candidates_before_they_start(app, users, as_role, clock, tmp_path,
                                                                         _password_hashes):
    with app.app_context():
        load_group_scenario(tmp_path)
        session = group_session("a@test.fr", "b@test.fr", "c@test.fr", "d@test.fr")
        db.session.commit()
        session_id, ids = session.id, [a.id for a in session.attempts]
    trainer = as_role("trainer")
    live = trainer.get(f"/trainer/sessions/{session_id}").get_data(as_text=True)
    assert 'id="session-groups"' in live and "2 groupes" in live
    page = trainer.get(f"/trainer/sessions/{session_id}/groups").get_data(as_text=True)
    assert "groupes de 2 à 3" in page and 'id="group-1"' in page and 'id="group-2"' in page
    again = trainer.post(f"/trainer/sessions/{session_id}/groups/form", {})
    assert again.status_code == 409 and "déjà dans un groupe" in again.get_data(as_text=True)
    moved = trainer.post(f"/trainer/sessions/{session_id}/groups/move", {"attempt": ids[2], "group": "1"})
    assert moved.status_code == 302
    follow = trainer.get(f"/trainer/sessions/{session_id}/groups").get_data(as_text=True)
    assert "a changé de groupe" in follow and "Le groupe 2 compte 1 membre(s)" in follow
    full = trainer.post(f"/trainer/sessions/{session_id}/groups/move", {"attempt": ids[3], "group": "1"})
    assert full.status_code == 409 and "compte déjà 3 membres" in full.get_data(as_text=True)
    nonsense = trainer.post(f"/trainer/sessions/{session_id}/groups/move", {"attempt": ids[3], "group": "x"})
    assert nonsense.status_code == 400 and "Choisissez un candidat et un groupe" in nonsense.get_data(as_text=True)


def test_members_share_a_workspace_see_each_other_and_record_their_roles(group, members):
    alice, bruno = members["alice"], members["bruno"]
    rules = alice.get(f"/candidate/attempts/{group['alice']}").get_data(as_text=True)
    assert "Vous travaillez dans le groupe 1" in rules and "Bruno" in rules and "Temps de votre groupe" in rules
    page = start(alice, group["alice"])
    assert "Votre groupe : groupe 1" in page and 'id="group-hand-in"' in page
    start(bruno, group["bruno"])
    alice.client.post(f"/candidate/attempts/{group['alice']}/group/presence", data={"working_on": "analyse"},
                      headers={**HTMX, "X-CSRFToken": alice.token})
    seen = bruno.client.post(f"/candidate/attempts/{group['bruno']}/group/presence", data={"working_on": ""},
                             headers={**HTMX, "X-CSRFToken": bruno.token}).get_data(as_text=True)
    assert "travaille sur « Analyse des besoins »" in seen and "pas encore commencé" in seen  # Chloé
    role = bruno.client.post(f"/candidate/attempts/{group['bruno']}/group/role", data={"role": "porte-parole"},
                             headers={**HTMX, "X-CSRFToken": bruno.token})
    assert role.status_code == 200 and "porte-parole" in role.get_data(as_text=True)
    too_long = bruno.client.post(f"/candidate/attempts/{group['bruno']}/group/role", data={"role": "x" * 121},
                                 headers={**HTMX, "X-CSRFToken": bruno.token})
    assert too_long.status_code == 422 and "au plus 120 caractères" in too_long.get_data(as_text=True)
    members["chloe"].get("/candidate/")
    outsider = members["chloe"].client.post(f"/candidate/attempts/{group['bruno']}/group/role",
                                            data={"role": "intrus", "csrf_token": members["chloe"].token})
    assert outsider.status_code == 404  # another member's attempt is not hers


def test_incident_time_granted_to_one_member_extends_the_whole_group(app, group, members, as_role):
    start(members["alice"], group["alice"])
    trainer = as_role("trainer")
    trainer.get(f"/trainer/sessions/{group['session']}")
    granted = trainer.post(f"/trainer/sessions/{group['session']}/attempts/{group['bruno']}/grant",
                           {"minutes": 10, "reason": "Coupure réseau du groupe"})
    assert granted.status_code == 302
    assert "10 minute(s) accordée(s) à 3 candidat(s)" in trainer.get(f"/trainer/sessions/{group['session']}").get_data(as_text=True)
    with app.app_context():
        alice = db.session.get(Attempt, group["alice"])
        assert alice.deadline_at == alice.group.started_at + timedelta(hours=3, minutes=40)


def test_a_conflict_keeps_both_texts_and_shows_the_other_one(group, members):
    alice, bruno = members["alice"], members["bruno"]
    start(alice, group["alice"])
    start(bruno, group["bruno"])
    first = save(alice, group["alice"], "Analyse d'Alice", 0)
    assert first.status_code == 200 and 'id="base-analyse" value="1" hx-swap-oob="true"' in first.get_data(as_text=True)
    clash = save(bruno, group["bruno"], "Analyse de Bruno", 0)
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Les deux textes sont conservés" in html
    assert "Analyse d&#39;Alice</pre>" in html and "par Alice" in html and 'id="keep-mine-analyse"' in html
    current = json.loads(bruno.get(f"/candidate/attempts/{group['bruno']}/answers/analyse").get_data(as_text=True))
    assert current == {"content": "Analyse d'Alice", "revision": 1, "by": "Alice"}
    assert save(bruno, group["bruno"], "Analyse d'Alice, complétée par Bruno", 1).status_code == 200
    sent = bruno.client.post(f"/candidate/attempts/{group['bruno']}/files/chiffrage", headers=HTMX,
                             data={"file": (io.BytesIO(xlsx_bytes()), "chiffrage.xlsx"), "csrf_token": bruno.token})
    assert sent.status_code == 200
    workspace = alice.get(f"/candidate/attempts/{group['alice']}").get_data(as_text=True)
    assert "complétée par Bruno</textarea>" in workspace and 'id="base-analyse" value="2"' in workspace
    assert "chiffrage.xlsx</a>" in workspace and "envoyé par Bruno" in workspace  # the group's file, his upload


def test_one_member_hands_in_for_all_who_started_and_the_absent_one_can_no_longer_start(app, group, members):
    alice, bruno, chloe = members["alice"], members["bruno"], members["chloe"]
    start(alice, group["alice"])
    start(bruno, group["bruno"])
    save(bruno, group["bruno"], "Notre analyse", 0)
    alice.get(f"/candidate/attempts/{group['alice']}")
    assert alice.post(f"/candidate/attempts/{group['alice']}/hand-in", {"confirm": "y"}).status_code == 302
    receipt = bruno.get(f"/candidate/attempts/{group['bruno']}/receipt").get_data(as_text=True)
    assert 'id="receipt-group"' in receipt and "Notre analyse" in receipt
    chloe.get(f"/candidate/attempts/{group['chloe']}")
    refused = chloe.post(f"/candidate/attempts/{group['chloe']}/start", {"sworn": "y"})
    assert refused.status_code == 409
    with app.app_context():
        assert sorted(db.session.scalars(select(HandIn.attempt_id))) == [group["alice"], group["bruno"]]
        assert db.session.get(Attempt, group["chloe"]).status == "scheduled"


def test_the_jury_reads_contributions_under_codes_and_carries_shared_ratings(app, group, members, as_role,
                                                                            _password_hashes):
    from tests.grading_helpers import evaluator

    with app.app_context():
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        db.session.commit()
    alice, bruno = members["alice"], members["bruno"]
    start(alice, group["alice"])
    start(bruno, group["bruno"])
    save(alice, group["alice"], "Début de l'analyse", 0)
    save(bruno, group["bruno"], "Début de l'analyse, et sa suite", 1)
    alice.get(f"/candidate/attempts/{group['alice']}")
    alice.post(f"/candidate/attempts/{group['alice']}/hand-in", {"confirm": "y"})
    jury = as_role("evaluator")
    queue = jury.get("/evaluator/").get_data(as_text=True)
    seats = sorted(set(int(n) for n in re.findall(r"/evaluator/gradings/(\d+)", queue)))
    assert len(seats) == 2  # the same evaluator grades both members
    page = jury.get(f"/evaluator/gradings/{seats[0]}").get_data(as_text=True)
    section = page[page.index('id="group-work"'):page.index('id="grid"')]
    assert "Travail de groupe : groupe 1" in section and "1 membre était absent." in section
    assert "Alice" not in page and "Bruno" not in page  # members appear under their anonymous codes
    assert not re.search(r"\b\d{1,2}:\d{2}\b", section)  # no clock time from which extra time could be read
    assert "Qui a écrit quoi" in page and 'id="per-member-g2"' in page and 'id="per-member-g1"' not in page
    jury.client.post(f"/evaluator/gradings/{seats[0]}/criteria/g1", data={"value": "2", "comment": "Analyse solide"},
                     headers={**HTMX, "X-CSRFToken": jury.token})
    jury.client.post(f"/evaluator/gradings/{seats[0]}/criteria/g2", data={"value": "3", "comment": "Planning"},
                     headers={**HTMX, "X-CSRFToken": jury.token})
    applied = jury.post(f"/evaluator/gradings/{seats[0]}/apply-to-group", {})
    assert applied.status_code == 302
    other = jury.get(f"/evaluator/gradings/{seats[1]}").get_data(as_text=True)
    assert "reportées sur 1 autre membre" in other
    g1 = other[other.index('id="row-g1"'):other.index('id="row-g2"')]
    g2 = other[other.index('id="row-g2"'):other.index('id="decision-')]
    assert 'value="2.0" checked' in g1 or 'value="2" checked' in g1
    assert "checked" not in g2  # the per-member criterion is graded for each member


def test_a_pair_talks_to_the_simulated_interlocutor_in_one_conversation_each_line_with_its_speaker(
        app, users, loaded, clock, _password_hashes, as_role):
    from simulator.groups import services as groups
    from tests.exam_helpers import schedule, user
    from tests.grading_helpers import candidate, evaluator

    with app.app_context():
        for email in ("alice@test.fr", "bruno@test.fr"):
            candidate(email, password_hash=_password_hashes["candidate"])
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        session = schedule("demo-b1-jeu-de-role", candidates=("alice@test.fr", "bruno@test.fr"))
        groups.form_groups(session, by=user("trainer@test.fr"), now=session.opens_at)
        db.session.commit()
        ids = {a.candidate.email.split("@")[0]: a.id for a in session.attempts}
    alice, bruno = sign_in(app, "alice@test.fr"), sign_in(app, "bruno@test.fr")
    start(alice, ids["alice"])
    start(bruno, ids["bruno"])
    said = alice.client.post(f"/candidate/attempts/{ids['alice']}/conversations/transcript",
                             data={"number": 1, "said": "Quel est votre besoin ?"},
                             headers={**HTMX, "X-CSRFToken": alice.token})
    assert said.status_code == 200
    shared = bruno.get(f"/candidate/attempts/{ids['bruno']}/conversations/transcript").get_data(as_text=True)
    assert "Quel est votre besoin ?" in shared and '<span class="who">Alice</span>' in shared
    answered = bruno.client.post(f"/candidate/attempts/{ids['bruno']}/conversations/transcript",
                                 data={"number": 2, "said": "Et votre budget ?"},
                                 headers={**HTMX, "X-CSRFToken": bruno.token})
    assert answered.status_code == 200 and '<span class="who">Vous</span><p>Et votre budget ?' in answered.get_data(as_text=True)
    bruno.get(f"/candidate/attempts/{ids['bruno']}")
    assert bruno.post(f"/candidate/attempts/{ids['bruno']}/hand-in", {"confirm": "y"}).status_code == 302
    with app.app_context():
        receipts = db.session.scalars(select(HandIn).order_by(HandIn.attempt_id)).all()
        speakers = [[e.get("speaker") for e in r.snapshot["transcripts"]["transcript"]["exchanges"]] for r in receipts]
        assert speakers == [[None, ids["alice"], ids["bruno"]]] * 2  # one conversation, handed in for both
    jury = as_role("evaluator")
    seat = re.search(r"/evaluator/gradings/(\d+)", jury.get("/evaluator/").get_data(as_text=True)).group(1)
    page = jury.get(f"/evaluator/gradings/{seat}").get_data(as_text=True)
    with app.app_context():
        codes = dict(db.session.execute(select(Production.attempt_id, Production.code)).all())
    transcript = page[page.index('id="transcript-transcript"'):]
    assert f'{codes[ids["alice"]]} · 1' in transcript and f'{codes[ids["bruno"]]} · 2' in transcript
    assert "Alice" not in page  # graded from the transcript: each speaker under their anonymous code
