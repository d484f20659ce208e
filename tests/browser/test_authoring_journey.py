"""A trainer builds a role play from a modality in the browser: the draft comes pre-filled, a mistake in the
dialogue is reported as they type and fixed, the scenario is published, its dialogue tried as a candidate
would, and a session scheduled with it."""
import re

import pytest
from sqlalchemy import select

from simulator.exams.models import ExamSession
from simulator.extensions import db
from simulator.scenarios.models import Scenario
from tests.browser.pages import ConversationPages, LoginPage, TrainerPages
from tests.exam_helpers import user
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser

DIALOGUE = """
  dialogue:
    start: accueil
    states:
      accueil:
        say: Bonjour, que me proposez-vous ?
        replies:
          - match: [besoin, attente]
            goto: {target}
            move: découverte des besoins
            evidence: [g1]
        fallback: Je ne vois pas où vous voulez en venir.
      fin:
        say: Merci, c'est exactement ce que je cherchais.
        final: true
        outcome: besoin découvert
"""


def test_a_trainer_builds_a_role_play_from_a_modality_tries_it_and_schedules_it(app, page, users, loaded):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    LoginPage(page).open().sign_in(*PASSWORDS["trainer"])
    page.wait_for_url("**/trainer/")
    trainer = TrainerPages(page)
    trainer.open_referentiels()
    trainer.open_certification("Chargé de clientèle (exemple)")
    page.click("#write-scenario-B1-E2")
    page.wait_for_selector("#draft-valid")
    editor = page.locator("#draft-text")
    text = editor.input_value()
    assert "modality: B1-E2" in text and "kind: role_play" in text and "organisation: pair" in text
    slug = re.search(r"^id: (\S+)$", text, re.M).group(1)

    text = text.replace("À rédiger : le nom de l’interlocuteur", "Claire Martin").replace(
        "À rédiger : sa fonction", "Directrice des achats")
    editor.fill(text.rstrip("\n") + DIALOGUE.format(target="nulle-part"))
    page.wait_for_selector("#draft-problems")
    problem = page.locator("#draft-problems li").first.inner_text()
    assert "nulle-part" in problem
    page.locator("#draft-problems [data-line]").first.click()  # the caret goes to the faulty line
    selected = page.evaluate("() => { const a = document.getElementById('draft-text');"
                             " return a.value.slice(a.selectionStart, a.selectionEnd); }")
    assert "nulle-part" in selected
    editor.fill(text.rstrip("\n") + DIALOGUE.format(target="fin"))
    page.wait_for_selector("#draft-valid")
    page.click("#draft-publish")
    page.wait_for_url(f"**/trainer/scenarios/{slug}")
    assert "version 1" in page.locator(".flash.success").inner_text()

    page.click("#try-dialogue")
    chat = ConversationPages(page, "essai")
    chat.wait_open()
    assert "c'est exactement ce que je cherchais" in chat.say("Quel est votre besoin principal ?")

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
        assert scenario.latest.document["interlocutor"]["dialogue"]["start"] == "accueil"
    assert errors == []
