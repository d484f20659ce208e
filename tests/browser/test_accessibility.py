"""The candidate pages pass axe-core's WCAG 2.1 A and AA rules, run inside Chromium: disabled candidates
take these exams. axe-core comes from the npm registry (`make axe`)."""
from pathlib import Path

import pytest

from tests.browser.pages import CandidatePages, ConversationPages, LoginPage
from tests.browser.test_group_journey import group  # noqa: F401 (fixture)
from tests.browser.test_role_play_journey import role_play  # noqa: F401 (fixture)
from tests.helpers import PASSWORDS
from tests.web.test_grading_flow import validated  # noqa: F401 (fixture)
from tests.web.test_live_oral import oral  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core from the npm registry (make axe)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
             const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
             return result.violations.map(v => ({rule: v.id, impact: v.impact,
                                                 where: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
           }""", RULES)


@pytest.fixture
def audited(chromium, live_url):
    """A page whose CSP lets the test add axe's script (the app's own pages never run inline script)."""
    context = chromium.new_context(base_url=live_url, locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_written_exam_from_login_to_receipt(audited, scheduled):
    page = audited
    LoginPage(page).open()
    assert violations(page) == [], "login"
    LoginPage(page).sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    assert violations(page) == [], "dashboard"
    page.goto(f"/candidate/attempts/{scheduled}")
    assert violations(page) == [], "instructions and sworn statement"
    exam = CandidatePages(page)
    exam.start(scheduled)
    exam.type_into("analyse", "## Besoins\n- trois hôtels")
    exam.wait_saved("analyse")
    assert violations(page) == [], "workspace"
    exam.hand_in()
    page.wait_for_selector("#receipt-digest")
    assert violations(page) == [], "receipt"


def test_a_role_play_and_a_pitch_in_the_workspace(audited, role_play):  # noqa: F811
    page = audited
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    CandidatePages(page).start(role_play)
    chat = ConversationPages(page)
    chat.wait_open()
    chat.say("Bonjour, quels sont vos besoins ?")
    page.wait_for_selector("#recording-pitch-start")
    assert violations(page) == [], "conversation and recording"


def test_results_and_certificates(audited, validated):  # noqa: F811
    page = audited
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    page.goto("/candidate/results/")
    page.wait_for_selector("#certified")
    assert violations(page) == [], "results"


def test_a_live_oral_held_in_writing(app, audited, oral, as_role):  # noqa: F811
    from fractions import Fraction

    from simulator.exams import services
    from simulator.extensions import db
    from tests.exam_helpers import T0, user
    from tests.web.test_live_oral import room

    with app.app_context():
        services.set_accommodation(candidate=user("candidate@test.fr"), fraction=Fraction(1, 3), minutes=0,
                                   note=None, by=user("admin@test.fr"), now=T0, textual_oral=True)
        db.session.commit()
    trainer = as_role("trainer")
    trainer.get(room(oral))
    trainer.post(room(oral) + "/start", {})
    page = audited
    LoginPage(page).open().sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    page.goto(f"/candidate/attempts/{oral['attempt']}")
    page.wait_for_selector("#oral-chat")
    assert violations(page) == [], "oral in writing"


def test_a_group_workspace_with_a_conflict(app, audited, group):  # noqa: F811
    from simulator.exams import services
    from simulator.exams.models import Attempt
    from simulator.extensions import db
    from tests.exam_helpers import T0

    page = audited
    LoginPage(page).open().sign_in("alice@test.fr", PASSWORDS["candidate"][1])
    page.wait_for_url("**/candidate/")
    page.goto(f"/candidate/attempts/{group['alice']}")
    assert violations(page) == [], "group rules before the start"
    exam = CandidatePages(page)
    exam.start(group["alice"])
    page.wait_for_selector("#group-people")
    with app.app_context():  # Bruno saves the analysis after Alice's page was loaded
        bruno = db.session.get(Attempt, group["bruno"])
        services.start_attempt(bruno, sworn=True, now=T0)
        services.save_text(bruno, deliverable_id="analyse", content="Texte de Bruno", author=bruno.candidate, now=T0)
        db.session.commit()
        db.session.remove()
    exam.type_into("analyse", "Texte d'Alice")
    page.wait_for_selector("#status-analyse [data-conflict]")
    assert violations(page) == [], "group workspace with a conflict"
