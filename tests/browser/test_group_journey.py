"""Three members of a group in three browsers: they write in one workspace, two of them collide on the same
answer without losing a word, one hands in for all; then an evaluator grades each member on their own."""
import pytest
from sqlalchemy import select

from simulator.exams import services
from simulator.exams.models import Attempt, DraftSave
from simulator.extensions import db
from tests.browser.pages import CandidatePages, GradingPages, LoginPage
from tests.group_helpers import MEMBERS, group_session, load_group_scenario
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser


@pytest.fixture
def group(app, users, _password_hashes, clock, tmp_path):
    from tests.grading_helpers import evaluator

    with app.app_context():
        load_group_scenario(tmp_path)
        session = group_session(*MEMBERS, password_hash=_password_hashes["candidate"])
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        db.session.commit()
        return {a.candidate.email.split("@")[0]: a.id for a in session.attempts}


def open_browser(chromium, live_url, email, password=PASSWORDS["candidate"][1]):
    context = chromium.new_context(base_url=live_url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "409" not in m.text else None)
    LoginPage(page).open().sign_in(email, password)
    page.wait_for_load_state()
    return context, page, errors


def head(app, attempt_id, deliverable):
    with app.app_context():
        save = services.head(db.session.get(Attempt, attempt_id), deliverable)
        db.session.remove()
        return save.content if save else None


def test_three_members_write_collide_hand_in_once_and_are_graded_one_by_one(app, chromium, live_url, group):
    browsers = {name: open_browser(chromium, live_url, f"{name}@test.fr") for name in ("alice", "bruno", "chloe")}
    pages = {name: browser[1] for name, browser in browsers.items()}
    for name, page in pages.items():
        page.goto(f"/candidate/attempts/{group[name]}")
        assert "Vous travaillez dans le groupe 1" in page.locator("#group-rules").inner_text()
        CandidatePages(page).start(group[name])
        assert "Votre groupe : groupe 1" in page.locator("#group-panel").inner_text()

    alice, bruno, chloe = (CandidatePages(pages[n]) for n in ("alice", "bruno", "chloe"))
    alice.type_into("analyse", "Analyse d'Alice.")
    alice.wait_saved("analyse")

    # Bruno's page was opened before Alice saved: his save meets her text, and neither is lost.
    bruno.type_into("analyse", "Texte de Bruno.")
    conflict = pages["bruno"].locator("#status-analyse [data-conflict]")
    conflict.wait_for()
    assert "Les deux textes sont conservés" in conflict.inner_text()
    assert pages["bruno"].locator("#theirs-analyse").inner_text() == "Analyse d'Alice."
    with pages["bruno"].expect_response("**/group/presence"):  # his panel refreshes: his box stays his
        pages["bruno"].click("#content-proposition")
    assert bruno.answer("analyse").input_value() == "Texte de Bruno."
    pages["bruno"].reload()  # his copy comes back from the browser and meets Alice's text again
    pages["bruno"].locator("#status-analyse [data-conflict]").wait_for()
    assert bruno.answer("analyse").input_value() == "Texte de Bruno."
    pages["bruno"].click("#take-theirs-analyse")
    assert bruno.answer("analyse").input_value() == "Analyse d'Alice."
    bruno.type_into("analyse", " Ajout de Bruno.")
    bruno.wait_saved("analyse")
    assert head(app, group["bruno"], "analyse") == "Analyse d'Alice. Ajout de Bruno."
    with app.app_context():
        kept = set(db.session.scalars(select(DraftSave.content).where(DraftSave.revision.is_(None))))
        assert "Texte de Bruno." in kept

    # Chloé has not touched the analysis: moving to another part brings her the group's latest text.
    pages["chloe"].click("#content-proposition")
    pages["chloe"].wait_for_function("(expected) => document.querySelector('#content-analyse').value === expected",
                                     arg="Analyse d'Alice. Ajout de Bruno.")
    chloe.type_into("proposition", "Proposition de Chloé.")
    chloe.wait_saved("proposition")
    pages["alice"].locator("#member-%d" % group["chloe"]).wait_for()
    pages["alice"].click("#content-proposition")  # Alice's panel refreshes and shows who is where
    pages["alice"].wait_for_function("(name) => (document.querySelector('#group-heads') || {innerText: ''})"
                                     ".innerText.includes(name)", arg="Chloe")

    assert "travail du groupe" in pages["alice"].locator("#group-hand-in").inner_text()
    alice.hand_in()
    pages["bruno"].goto(f"/candidate/attempts/{group['bruno']}")
    pages["bruno"].wait_for_selector("#receipt-group")
    assert pages["bruno"].locator("#receipt-digest").inner_text()
    for name, (_context, _page, errors) in browsers.items():
        assert errors == [], f"{name}: {errors}"
        _context.close()

    context, jury, errors = open_browser(chromium, live_url, *PASSWORDS["evaluator"])
    grading = GradingPages(jury)
    grading.open_first_to_grade()
    panel = jury.locator("#group-work").inner_text()
    assert "Travail de groupe : groupe 1" in panel and "Alice" not in panel
    jury.click("#authored-analyse summary")
    assert "Ajout de Bruno." in jury.locator("#authored-analyse .authored").inner_text()
    grading.rate("g1", "2.0", "Analyse partagée solide")
    grading.rate("g2", "3.0", "Plan de ce membre")
    jury.click("#apply-to-group-button")
    jury.wait_for_selector(".flash.success")
    others = jury.locator("#group-seats a")
    assert others.count() == 2
    others.first.click()
    jury.wait_for_selector("#group-work")
    assert jury.locator("#row-g1 input[value='2.0']").is_checked()
    assert not jury.locator("#row-g2 input[value='3.0']").is_checked()  # graded per member
    assert errors == []
    context.close()
