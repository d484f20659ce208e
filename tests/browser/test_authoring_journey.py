"""A trainer builds a role play from a modality in the browser, without writing YAML: the draft comes
pre-filled, the persona and the dialogue are written with forms, a reply to a state that does not exist is
reported beside its field and fixed, the draft's dialogue is tried as a candidate would before it is published,
and a session is scheduled with it."""
import re

import pytest
from sqlalchemy import select

from simulator.exams.models import ExamSession
from simulator.extensions import db
from simulator.scenarios.models import Scenario
from tests.browser.pages import ConversationPages, LoginPage, ScenarioFormPages, TrainerPages
from tests.exam_helpers import user
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser


def start_draft(page, modality: str) -> None:
    """A trainer signs in and starts a draft from a modality of the example référentiel."""
    LoginPage(page).open().sign_in(*PASSWORDS["trainer"])
    page.wait_for_url("**/trainer/")
    trainer = TrainerPages(page)
    trainer.open_referentiels()
    trainer.open_certification("Chargé de clientèle (exemple)")
    page.click(f"#write-scenario-{modality}")
    page.wait_for_selector("#draft-valid")


def test_a_trainer_builds_a_role_play_from_a_modality_with_forms_tries_it_and_schedules_it(app, page, users, loaded):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    start_draft(page, "B1-E2")
    text = page.locator("#draft-text").input_value()
    assert "modality: B1-E2" in text and "kind: role_play" in text and "organisation: pair" in text
    slug = re.search(r"^id: (\S+)$", text, re.M).group(1)

    forms = ScenarioFormPages(page)
    forms.open_tab("persona")
    forms.fill({"f-name": "Claire Martin", "f-role": "Directrice des achats"})
    page.wait_for_selector("#part-valid")

    forms.open_tab("states")
    forms.add()
    forms.add()
    forms.fill({"r0-id": "accueil", "r0-say": "Bonjour, que me proposez-vous ?",
                "r0-fallback": "Je ne vois pas où vous voulez en venir.",
                "r1-id": "fin", "r1-say": "Merci, c'est exactement ce que je cherchais."})
    forms.check("r1-final")
    forms.open_tab("dialogue")
    forms.fill({"f-start": "accueil"})
    forms.open_tab("states")
    page.click("#row-0-child")  # the replies recognised in « accueil »
    forms.add()
    forms.fill({"r0-match": "besoin, attente", "r0-goto": "nulle-part", "r0-move": "découverte des besoins",
                "r0-evidence": "g1"})
    assert "nulle-part" in forms.problem("r0-goto")  # told beside the field, as `flask validate` says it
    forms.fill({"r0-goto": "fin"})
    page.wait_for_selector("#part-valid")
    assert forms.problem("r0-goto") == ""

    page.click("#tab-text")
    page.wait_for_selector("#draft-valid")
    assert "goto: fin" in page.locator("#draft-text").input_value()  # the forms wrote the file
    with page.expect_popup() as opened:
        page.click("#draft-try")
    tryout = opened.value
    chat = ConversationPages(tryout, "essai")
    chat.wait_open()
    assert "c'est exactement ce que je cherchais" in chat.say("Quel est votre besoin principal ?")
    assert tryout.locator("#try-draft-note").count() == 1
    tryout.close()

    page.click("#draft-publish")
    page.wait_for_url(f"**/trainer/scenarios/{slug}")
    assert "version 1" in page.locator(".flash.success").inner_text()

    with app.app_context():
        candidate_id = user("candidate@test.fr").id
    page.goto("/trainer/sessions/new")
    page.select_option("#scenario", slug)
    page.fill("#title", "Jeu de rôle écrit dans le navigateur")
    page.fill("#opens_at", "2026-01-01T08:00")
    page.fill("#closes_at", "2030-01-01T18:00")
    page.select_option("#candidates", str(candidate_id))
    page.click("#schedule-button")
    page.wait_for_selector("#live")
    with app.app_context():
        session = db.session.scalars(select(ExamSession)).one()
        scenario = db.session.scalar(select(Scenario).where(Scenario.slug == slug))
        assert session.version_id == scenario.latest.id
        dialogue = scenario.latest.document["interlocutor"]["dialogue"]
        assert dialogue["start"] == "accueil" and dialogue["states"]["accueil"]["replies"][0]["goto"] == "fin"
        assert scenario.latest.document["interlocutor"]["persona"]["name"] == "Claire Martin"
    assert errors == []


def test_a_problem_in_the_text_is_shown_by_its_line_and_a_click_puts_the_caret_there(app, page, users, loaded):
    start_draft(page, "B1-E1")
    editor = page.locator("#draft-text")
    text = editor.input_value()
    editor.fill(text.replace("scale: acquisition", "scale: nulle-part", 1))
    page.wait_for_selector("#draft-problems")
    assert "nulle-part" in page.locator("#draft-problems li").first.inner_text()
    page.locator("#draft-problems [data-line]").first.click()
    selected = page.evaluate("() => { const a = document.getElementById('draft-text');"
                             " return a.value.slice(a.selectionStart, a.selectionEnd); }")
    assert "nulle-part" in selected


def test_a_form_sent_after_the_session_ended_says_so_and_keeps_what_was_typed(app, page, users, loaded):
    from simulator.auth.models import LoginSession

    start_draft(page, "B1-E1")
    forms = ScenarioFormPages(page)
    forms.open_tab("grid")
    with app.app_context():  # signed out from another computer: the session is revoked on the server
        db.session.execute(LoginSession.__table__.delete())
        db.session.commit()
    page.fill("#part-r0-text", "Le candidat argumente son offre.")
    page.locator("#part-r0-text").blur()
    page.wait_for_selector("#part-send-failed:not([hidden])")
    assert "session" in page.locator("#part-send-failed").inner_text()
    assert page.input_value("#part-r0-text") == "Le candidat argumente son offre."

    page.context.clear_cookies()  # the cookie gone as well: the form's token no longer holds
    page.fill("#part-r0-text", "Le candidat argumente son offre chiffrée.")
    page.locator("#part-r0-text").blur()
    page.wait_for_function("() => document.getElementById('part-send-failed').textContent.includes('expiré')")
    assert page.input_value("#part-r0-text") == "Le candidat argumente son offre chiffrée."
