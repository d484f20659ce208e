"""A candidate's written exam through the web, with the server's clock frozen and moved."""
import re

import pytest
from sqlalchemy import func, select

from simulator.exams.models import DraftSave, HandIn
from simulator.extensions import db
from tests.helpers import xlsx_bytes

HTMX = {"HX-Request": "true"}


@pytest.fixture
def candidate(as_role, scheduled):
    return as_role("candidate")


def start(candidate, attempt_id):
    candidate.get(f"/candidate/attempts/{attempt_id}")
    return candidate.post(f"/candidate/attempts/{attempt_id}/start", {"sworn": "y"})


def save(candidate, attempt_id, text, deliverable="analyse"):
    """As the workspace sends it: JSON (htmx's json-enc), the CSRF token in a header."""
    return candidate.client.post(f"/candidate/attempts/{attempt_id}/answers/{deliverable}", json={"content": text},
                                 headers={**HTMX, "X-CSRFToken": candidate.token})


def test_dashboard_then_instructions_then_start(candidate, scheduled):
    html = candidate.get("/candidate/").get_data(as_text=True)
    assert "Ouvert : vous pouvez commencer" in html and "3 h 30" in html
    page = candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)
    assert "Vous disposez de 3 h 30." in page and 'id="sworn"' in page
    refused = candidate.post(f"/candidate/attempts/{scheduled}/start", {})
    assert refused.status_code == 409 and "Cochez la déclaration sur l&#39;honneur" in refused.get_data(as_text=True)
    assert start(candidate, scheduled).status_code == 302
    workspace = candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)
    assert 'id="timer"' in workspace and "3 h 30 min" in workspace and 'id="content-analyse"' in workspace
    assert "remise volume correctement appliquée" not in workspace  # jury notes stay with the jury


def test_autosave_is_acknowledged_after_commit_and_keeps_history(app, candidate, scheduled, clock):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    first = save(candidate, scheduled, "## Analyse\n- besoin 1")
    assert first.status_code == 200 and "Enregistré à" in first.get_data(as_text=True)
    clock.advance(minutes=1)
    save(candidate, scheduled, "## Analyse\n- besoin 1\n- besoin 2")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DraftSave)) == 2
    page = candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)
    assert "- besoin 2</textarea>" in page


def test_without_javascript_the_answer_is_saved_as_a_form(app, candidate, scheduled):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    response = candidate.post(f"/candidate/attempts/{scheduled}/answers/analyse", {"content": "## Analyse", "base": "0"})
    assert response.status_code == 302 and response.location.endswith(f"/candidate/attempts/{scheduled}#answer-analyse")
    assert "## Analyse</textarea>" in candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)


@pytest.mark.parametrize("body", ['{"content": "coupé', '["une", "liste"]', '{"content": 12}',
                                  '{"content": ["a", "b"]}', '{"content": "texte", "base": "deux"}',
                                  '{"content": "texte", "base": true}', '"texte"'])
def test_an_unreadable_save_is_refused_with_the_reason_and_changes_nothing(app, candidate, scheduled, body):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    assert save(candidate, scheduled, "version enregistrée").status_code == 200
    response = candidate.client.post(f"/candidate/attempts/{scheduled}/answers/analyse", data=body.encode(),
                                     headers={**HTMX, "X-CSRFToken": candidate.token, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert "Cet enregistrement n&#39;a pas pu être lu" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(DraftSave.content)).all() == ["version enregistrée"]


def test_save_without_csrf_is_refused(candidate, scheduled):
    start(candidate, scheduled)
    response = candidate.client.post(f"/candidate/attempts/{scheduled}/answers/analyse", data={"content": "x"}, headers=HTMX)
    assert response.status_code == 400


def test_too_long_answer_says_the_limit(candidate, scheduled):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    response = save(candidate, scheduled, "x" * 20001)
    assert response.status_code == 409 and "20000" in response.get_data(as_text=True)


def test_late_save_is_refused_with_a_clear_message_and_the_attempt_is_handed_in(app, candidate, scheduled, clock):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    save(candidate, scheduled, "version finale")
    clock.advance(hours=3, minutes=30, seconds=30)  # inside the grace
    assert save(candidate, scheduled, "version finale + grâce").status_code == 200
    clock.advance(minutes=1)
    late = save(candidate, scheduled, "trop tard")
    assert late.status_code == 409 and "après l&#39;échéance" in late.get_data(as_text=True)
    with app.app_context():
        receipt = db.session.scalars(select(HandIn)).one()
        assert receipt.automatic and receipt.snapshot["texts"] == {"analyse": "version finale + grâce"}
        assert db.session.scalars(select(DraftSave).where(DraftSave.timing == "late")).one().content == "trop tard"


def test_timer_fragment_then_redirect_to_the_receipt_when_time_is_over(candidate, scheduled, clock):
    start(candidate, scheduled)
    fragment = candidate.get(f"/candidate/attempts/{scheduled}/timer", headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and "3 h 30 min" in fragment
    clock.advance(hours=3, minutes=1)
    assert "Moins de 30 minute(s)" in candidate.get(f"/candidate/attempts/{scheduled}/timer", headers=HTMX).get_data(as_text=True)
    clock.advance(minutes=31)
    over = candidate.get(f"/candidate/attempts/{scheduled}/timer", headers=HTMX)
    assert over.headers["HX-Redirect"] == f"/candidate/attempts/{scheduled}/receipt"
    assert "automatiquement" in candidate.get(over.headers["HX-Redirect"]).get_data(as_text=True)


def test_hand_in_gives_a_receipt_once(app, candidate, scheduled):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    save(candidate, scheduled, "ma réponse")
    unconfirmed = candidate.post(f"/candidate/attempts/{scheduled}/hand-in", {})
    assert unconfirmed.status_code == 400 and "Cochez la case" in unconfirmed.get_data(as_text=True)
    done = candidate.post(f"/candidate/attempts/{scheduled}/hand-in", {"confirm": "y"})
    assert done.headers["Location"] == f"/candidate/attempts/{scheduled}/receipt"
    html = candidate.get(done.headers["Location"]).get_data(as_text=True)
    digest = re.search(r'id="receipt-digest">([0-9a-f]{64})<', html).group(1)
    candidate.post(f"/candidate/attempts/{scheduled}/hand-in", {"confirm": "y"})
    with app.app_context():
        assert db.session.scalars(select(HandIn)).one().sha256 == digest
    assert save(candidate, scheduled, "après coup").status_code == 409


def test_upload_checked_by_content(candidate, scheduled):
    start(candidate, scheduled)
    candidate.get(f"/candidate/attempts/{scheduled}")
    url = f"/candidate/attempts/{scheduled}/files/chiffrage"
    import io

    workbook = xlsx_bytes()  # once: a zip's timestamps change from one second to the next
    ok = candidate.client.post(url, data={"file": (io.BytesIO(workbook), "chiffrage.xlsx")},
                               headers={**HTMX, "X-CSRFToken": candidate.token}, content_type="multipart/form-data")
    assert ok.status_code == 200 and "chiffrage.xlsx" in ok.get_data(as_text=True)
    fake = candidate.client.post(url, data={"file": (io.BytesIO(b"MZ\x90\x00 not a workbook"), "facture.xlsx")},
                                 headers={**HTMX, "X-CSRFToken": candidate.token}, content_type="multipart/form-data")
    text = fake.get_data(as_text=True)
    assert fake.status_code == 422 and "n&#39;est pas un vrai fichier .xlsx" in text
    assert "chiffrage.xlsx" in text  # the good file is still there
    download = candidate.get(f"/candidate/attempts/{scheduled}/files/chiffrage")
    assert download.headers["Content-Disposition"].startswith("attachment") and download.get_data() == workbook


def test_documents_download_only_once_started(candidate, scheduled):
    url = f"/candidate/attempts/{scheduled}/documents/tarifs"
    assert candidate.get(url).status_code == 404
    start(candidate, scheduled)
    response = candidate.get(url)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")


def test_nobody_else_reaches_an_attempt(app, as_role, scheduled, _password_hashes):
    from simulator.auth.services import create_user

    with app.app_context():
        other = create_user(email="other@test.fr", name="Autre", role="candidate", password=None)
        other.password_hash = _password_hashes["candidate"]
        db.session.commit()
    from tests.helpers import Session

    intruder = Session(app.test_client())
    intruder.get("/login")
    intruder.post("/login", {"email": "other@test.fr", "password": "candidate-password-1"})
    for url in [f"/candidate/attempts/{scheduled}", f"/candidate/attempts/{scheduled}/receipt",
                f"/candidate/attempts/{scheduled}/timer", f"/candidate/attempts/{scheduled}/documents/tarifs",
                "/candidate/attempts/9999"]:
        assert intruder.get(url).status_code == 404, url
    intruder.get("/candidate/")
    assert intruder.post(f"/candidate/attempts/{scheduled}/start", {"sworn": "y"}).status_code == 404
    for role in ("trainer", "evaluator", "admin"):
        assert as_role(role).get(f"/candidate/attempts/{scheduled}").status_code == 403


def test_the_hand_in_card_lists_what_will_be_handed_in_and_flags_what_is_missing(candidate, scheduled):
    start(candidate, scheduled)
    save(candidate, scheduled, "## Analyse\n- besoin 1")
    page = candidate.get(f"/candidate/attempts/{scheduled}").get_data(as_text=True)
    card = page[page.index('id="hand-in-summary"'):page.index('id="confirm-hand-in"')]
    assert "21 caractères" in card and 'id="summary-proposition" class="missing"' in card
    assert "aucun fichier envoyé" in card and 'id="hand-in-missing"' in card
    candidate.get(f"/candidate/attempts/{scheduled}")
    save(candidate, scheduled, "Offre", deliverable="proposition")
    fresh = candidate.get(f"/candidate/attempts/{scheduled}/hand-in/summary", headers=HTMX).get_data(as_text=True)
    assert 'id="summary-proposition" class="present"' in fresh and "5 caractères" in fresh
