"""A corpus of XSS payloads in every field a person writes and another reads, rendered in Chromium: no markup
of a payload reaches the page, nothing runs, on each page where the field is shown back."""
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select

from simulator.cohorts import services as cohorts
from simulator.exams import services
from simulator.extensions import db
from simulator.grading import services as grading
from simulator.grading.models import Production
from tests.browser.pages import CandidatePages, GradingPages, LoginPage
from tests.exam_helpers import T0, schedule, user
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser

# Every element a payload could create carries data-xss; every script it could run sets window.__xss.
CORPUS = [
    '<script data-xss>window.__xss = 1</script>',
    '<img data-xss src=x onerror="window.__xss = 1">',
    '<svg data-xss onload="window.__xss = 1"><circle r="1"/></svg>',
    '<a data-xss href="javascript:window.__xss = 1">lien</a>',
    '[lien markdown](javascript:window.__xss=1)',
    '<iframe data-xss srcdoc="<script>parent.__xss = 1</script>"></iframe>',
    '<div data-xss hx-get="/logout" hx-trigger="load">x</div>',
    '<button data-xss hx-on:click="window.__xss = 1" hx-on::load="window.__xss = 1">b</button>',
    '<noscript><p title="</noscript><img data-xss src=x onerror=window.__xss=1>">',
    '<math><mtext><table><mglyph><style><img data-xss src=x onerror=window.__xss=1>',
    '"><img data-xss src=x onerror=window.__xss=1>',
    "'><svg data-xss onload=window.__xss=1>",
    '<form data-xss action="javascript:window.__xss=1"><input type=submit></form>',
    '<meta data-xss http-equiv="refresh" content="0;url=/logout">',
    '<style data-xss>body { display: none }</style>',
    '{{ config }} {% raw %}',
]
TEXT = "\n\n".join(CORPUS)

# Run in each page: what of a payload reached the DOM.
PROBE = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name === 'data-xss' || name.startsWith('on') || name.startsWith('hx-on')
          || (name === 'hx-get' && attribute.value.includes('/logout'))
          || (['href', 'src', 'action', 'formaction', 'srcdoc'].includes(name)
              && /^\\s*javascript:|<script/i.test(attribute.value))) {
        found.push(element.outerHTML.slice(0, 160));
      }
    }
  }
  for (const script of document.scripts) {
    if (!script.src) found.push('inline script: ' + script.textContent.slice(0, 80));
  }
  if (window.__xss) found.push('a payload ran');
  return found;
}"""


@pytest.fixture
def written(app, users, loaded, clock, _password_hashes):
    """Payloads in names, titles, notes, reasons, an answer and a jury's comments, entered as each person would."""
    from tests.grading_helpers import evaluator

    with app.app_context():
        candidate, trainer, admin = user("candidate@test.fr"), user("trainer@test.fr"), user("admin@test.fr")
        candidate.name = CORPUS[1] + " Chloé"
        evaluator("evaluator@test.fr", roles=("intervenant",))
        evaluator("juror@test.fr", roles=("professionnel",), password_hash=_password_hashes["evaluator"])
        cohort = cohorts.create(CORPUS[2], by=trainer, now=T0)
        cohorts.add(cohort, candidate)
        services.set_accommodation(candidate=candidate, fraction=Fraction(1, 3), minutes=0, note=TEXT, by=admin, now=T0)
        handed = schedule()
        handed.title = CORPUS[0] + " Session rendue"
        attempt = handed.attempts[0]
        services.start_attempt(attempt, sworn=True, now=T0)
        services.save_text(attempt, deliverable_id="analyse", content=TEXT, author=candidate, now=T0)
        services.grant_time(attempt, minutes=5, reason=CORPUS[3], by=trainer, now=T0)
        services.hand_in(attempt, now=T0, automatic=False, actor_id=candidate.id)
        running = schedule(opens=T0 - timedelta(minutes=5))
        running.title = CORPUS[6] + " Session en cours"
        services.start_attempt(running.attempts[0], sworn=True, now=T0)
        db.session.flush()
        production = db.session.scalar(select(Production).where(Production.attempt_id == attempt.id))
        seat = next(a for a in production.assignments if a.evaluator.email == "evaluator@test.fr")
        for item in attempt.session.version.document["grid"]:
            grading.rate(seat, criterion_id=item["id"], value=None, comment=CORPUS[len(item["id"]) % len(CORPUS)],
                         now=T0)
        grading.comment(seat, text=TEXT, now=T0)
        db.session.commit()
        return {"handed": attempt.id, "running": running.attempts[0].id, "session": handed.id,
                "running_session": running.id, "cohort": cohort.id, "seat": seat.id, "candidate": candidate.id}


def _visit(page, url: str, dialogs: list) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(PROBE) == [], url
    assert "/login" not in page.url, url  # no payload signed the reader out
    assert dialogs == [], url


def _as(chromium, live_url, role: str, dialogs: list):
    page = chromium.new_context(base_url=live_url, locale="fr-FR").new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    LoginPage(page).open().sign_in(*PASSWORDS[role])
    page.wait_for_load_state("networkidle")
    return page


def test_no_payload_runs_or_reaches_the_page_anywhere_it_is_shown(chromium, live_url, written):
    dialogs: list[str] = []
    candidate = _as(chromium, live_url, "candidate", dialogs)
    for url in ("/candidate/", f"/candidate/attempts/{written['handed']}/receipt", f"/candidate/attempts/{written['running']}"):
        _visit(candidate, url, dialogs)
    workspace = CandidatePages(candidate)
    workspace.answer("analyse").fill(TEXT)  # typed in the workspace, saved, and read back after a reload
    workspace.wait_saved("analyse")
    _visit(candidate, f"/candidate/attempts/{written['running']}", dialogs)
    assert workspace.answer("analyse").input_value() == TEXT

    evaluator = _as(chromium, live_url, "evaluator", dialogs)
    _visit(evaluator, "/evaluator/", dialogs)
    _visit(evaluator, f"/evaluator/gradings/{written['seat']}", dialogs)
    assert CORPUS[0] in evaluator.locator("#text-analyse").inner_text()  # shown as text, not markup
    GradingPages(evaluator).overall(CORPUS[7] + " typed by the jury")
    _visit(evaluator, f"/evaluator/gradings/{written['seat']}", dialogs)

    trainer = _as(chromium, live_url, "trainer", dialogs)
    for url in ("/trainer/sessions/", f"/trainer/sessions/{written['session']}",
                f"/trainer/sessions/{written['running_session']}", "/trainer/cohorts/",
                f"/trainer/cohorts/{written['cohort']}", f"/trainer/grading/sessions/{written['session']}"):
        _visit(trainer, url, dialogs)

    admin = _as(chromium, live_url, "admin", dialogs)
    for url in ("/admin/accommodations/", f"/admin/accommodations/{written['candidate']}", "/admin/users/"):
        _visit(admin, url, dialogs)
    assert CORPUS[1] in admin.locator("main").inner_text()
    for page in (candidate, evaluator, trainer, admin):
        page.context.close()
