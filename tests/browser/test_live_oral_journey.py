"""A live oral held in writing, in Chromium: the jury starts it from the jury room and writes, the candidate
answers from the workspace, each side's thread refreshes by itself; the jury notes a criterion as it reads."""
import pytest

from tests.browser.pages import LoginPage
from tests.helpers import PASSWORDS
from tests.web.test_live_oral import oral, room  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_an_oral_in_writing_between_the_jury_room_and_the_workspace(app, chromium, live_url, oral):  # noqa: F811
    from fractions import Fraction
    from simulator.exams import services
    from simulator.extensions import db
    from tests.exam_helpers import T0, user
    with app.app_context():
        services.set_accommodation(candidate=user("candidate@test.fr"), fraction=Fraction(1, 3), minutes=0, note=None,
                                   by=user("admin@test.fr"), now=T0, textual_oral=True)
        db.session.commit()
    page = chromium.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 1000}).new_page()
    LoginPage(page).open().sign_in(*PASSWORDS["trainer"])
    page.goto(room(oral))
    page.click("#oral-start")
    page.wait_for_selector("#oral-chat")
    page.fill("#oral-note-g1", "Bonne écoute")
    page.press("#oral-note-g1", "Tab")  # leaving the field saves it at once
    page.wait_for_selector("#oral-criterion-g1 .save-ok")
    page.fill("#oral-said", "Bonjour, présentez-nous votre offre.")
    page.click("#oral-send")
    page.wait_for_selector("#oral-chat .turn")
    cand = chromium.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 1000}).new_page()
    LoginPage(cand).open().sign_in(*PASSWORDS["candidate"])
    cand.goto(f"/candidate/attempts/{oral['attempt']}")
    cand.wait_for_selector("#oral-chat")
    cand.fill("#oral-said", "Bonjour, voici notre offre.")
    cand.click("#oral-send")
    cand.wait_for_selector("#oral-chat .turn-candidate")
    assert "Jury" in cand.locator("#oral-chat").inner_text() and "26 min" in cand.locator("#timer").inner_text()
    page.wait_for_selector("#oral-chat .turn-candidate", timeout=8000)  # the jury's thread refreshes by itself
    assert "Bonjour, voici notre offre." in page.locator("#oral-chat").inner_text()
    assert page.input_value("#oral-note-g1") == "Bonne écoute"  # the refresh never touches what the jury types
