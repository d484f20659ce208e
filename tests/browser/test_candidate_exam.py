"""A candidate's written exam in Chromium: typing through a network cut, then the time runs out."""
import pytest
from sqlalchemy import select

from simulator.exams import services
from simulator.exams.models import Attempt, HandIn
from simulator.extensions import db
from tests.browser.pages import CandidatePages, LoginPage
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser


@pytest.fixture
def attempt_id(scheduled):
    return scheduled


def server_text(app, attempt_id, deliverable="analyse"):
    with app.app_context():
        save = services.latest_texts(db.session.get(Attempt, attempt_id)).get(deliverable)
        db.session.remove()
        return save.content if save else None


def test_no_word_is_lost_through_a_network_cut_and_time_runs_out(app, page, attempt_id, clock):
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    exam = CandidatePages(page)
    exam.start(attempt_id)
    with page.expect_request("**/answers/analyse") as sent:
        exam.type_into("analyse", "Le client veut trois hôtels rénovés.")
    assert sent.value.headers["content-type"] == "application/json"  # not 20 KB of percent-encoding to decode
    exam.wait_saved("analyse")
    assert server_text(app, attempt_id) == "Le client veut trois hôtels rénovés."

    page.context.set_offline(True)
    exam.type_into("analyse", " Budget serré, délai court.")
    page.wait_for_selector("#status-analyse.error")  # the candidate is told, and the text stays
    assert "Non enregistré" in exam.status("analyse") and "conservé dans ce navigateur" in exam.status("analyse")
    exam.type_into("analyse", " Priorité : Lyon.")
    page.context.set_offline(False)
    page.wait_for_selector("#status-analyse .save-ok", timeout=20_000)
    expected = "Le client veut trois hôtels rénovés. Budget serré, délai court. Priorité : Lyon."
    assert server_text(app, attempt_id) == expected

    clock.advance(hours=3, minutes=32)  # past the deadline and its grace
    page.reload()
    page.wait_for_selector("#receipt-digest")
    assert "automatiquement" in page.locator("#handed-in-at").inner_text()
    with app.app_context():
        receipt = db.session.scalars(select(HandIn)).one()
        assert receipt.snapshot["texts"]["analyse"] == expected
        assert page.locator("#receipt-digest").inner_text() == receipt.sha256


def test_local_copy_is_restored_and_sent_after_the_tab_was_closed_offline(app, page, attempt_id):
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    exam = CandidatePages(page)
    exam.start(attempt_id)
    page.context.set_offline(True)
    exam.type_into("proposition", "Proposition tapée hors connexion.")
    page.wait_for_selector("#status-proposition.error")
    page.context.set_offline(False)
    page.reload()  # before the retry fires: the browser's copy comes back into the page and is sent
    exam.wait_saved("proposition")
    assert server_text(app, attempt_id, "proposition") == "Proposition tapée hors connexion."


def test_what_was_typed_just_before_leaving_or_handing_in_is_kept(app, page, attempt_id):
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    exam = CandidatePages(page)
    exam.start(attempt_id)
    exam.type_into("analyse", "Première idée.")
    exam.open_dashboard()  # at once: the autosave would have waited two seconds more
    for _ in range(100):
        if server_text(app, attempt_id) is not None:
            break
        page.wait_for_timeout(50)
    assert server_text(app, attempt_id) == "Première idée."

    page.goto(f"/candidate/attempts/{attempt_id}")
    assert exam.answer("analyse").input_value() == "Première idée."
    exam.type_into("analyse", " Dernier mot.")
    exam.hand_in()  # at once too: the answer goes before the hand-in
    with app.app_context():
        receipt = db.session.scalars(select(HandIn)).one()
        assert receipt.snapshot["texts"]["analyse"] == "Première idée. Dernier mot."
        assert not receipt.automatic
