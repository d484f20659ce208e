"""Page objects: tests speak of what a user does; selectors live here, by stable id."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from playwright.sync_api import Browser, Page


def sign_in(chromium: Browser, live_url: str, email: str, password: str):
    """A browser of its own for one person, signed in: (context, page, console errors seen so far)."""
    context = chromium.new_context(base_url=live_url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    LoginPage(page).open().sign_in(email, password)
    page.wait_for_load_state()
    return context, page, errors


class LoginPage:
    def __init__(self, page: Page):
        self.page = page

    def open(self) -> LoginPage:
        self.page.goto("/login")
        return self

    def sign_in(self, email: str, password: str) -> None:
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("#login-submit")

    def choose_language(self, code: str) -> None:
        with self.page.expect_navigation():
            self.page.select_option("#language", code)


class TrainerPages:
    def __init__(self, page: Page):
        self.page = page

    def open_referentiels(self) -> None:
        self.page.click("#nav-referentiels")

    def open_certification(self, title: str) -> None:
        self.page.click(f"#certifications >> text={title}")

    def open_scenarios(self) -> None:
        self.page.click("#nav-scenarios")

    def filter_scenarios(self, certification_slug: str) -> None:
        self.page.select_option("#certification", certification_slug)
        # htmx swaps the list, then pushes the filter into the address bar
        self.page.wait_for_url(f"**certification={certification_slug}")

    def scenario_rows(self) -> int:
        return self.page.locator("#scenarios tbody tr").count()

    def preview(self, slug: str) -> None:
        self.page.goto(f"/trainer/scenarios/{slug}")
        self.page.click("#preview-link")

    def sign_out(self) -> None:
        self.page.click("#logout")


class ScenarioFormPages:
    """The forms of a draft's parts (persona, states, replies…): each saves when a field is left."""

    def __init__(self, page: Page):
        self.page = page

    def open_tab(self, slug: str) -> None:
        self.page.click(f"#tab-{slug}")
        self.page.wait_for_selector("#part-form")

    def fill(self, values: dict[str, str]) -> None:
        """Type each field, then leave the last one: the form is saved (htmx) and its messages come back."""
        for name, value in values.items():  # leaving each field sends the form: wait for the one with all
            self.page.fill(f"#part-{name}", value)
        sent = urlencode({name: value}, quote_via=quote, safe="!'()*~")  # as encodeURIComponent
        with self.page.expect_response(lambda r: "/parts/" in r.url and sent in (r.request.post_data or "")):
            self.page.locator(f"#part-{name}").blur()

    def check(self, name: str) -> None:
        with self.page.expect_response(lambda r: "/parts/" in r.url and r.request.method == "POST"):
            self.page.check(f"#part-{name}")

    def add(self) -> None:
        self.page.click("#part-add")
        self.page.wait_for_load_state()

    def problem(self, slot: str) -> str:
        return self.page.locator(f"#err-{slot}").inner_text()


class CandidatePages:
    def __init__(self, page: Page):
        self.page = page

    def open_dashboard(self) -> None:
        self.page.goto("/candidate/")

    def start(self, attempt_id: int) -> None:
        self.page.goto(f"/candidate/attempts/{attempt_id}")
        self.page.check("#sworn")
        self.page.click("#start-button")
        self.page.wait_for_selector("#timer")

    def answer(self, deliverable: str):
        return self.page.locator(f"#content-{deliverable}")

    def type_into(self, deliverable: str, text: str) -> None:
        self.answer(deliverable).press("End")
        self.answer(deliverable).type(text)

    def wait_saved(self, deliverable: str) -> None:
        self.page.wait_for_selector(f"#status-{deliverable} .save-ok")

    def status(self, deliverable: str) -> str:
        return self.page.locator(f"#status-{deliverable}").inner_text()

    def hand_in(self) -> None:
        self.page.check("#confirm-hand-in")
        self.page.click("#hand-in-button")
        self.page.wait_for_selector("#receipt-digest")


class GradingPages:
    """An evaluator's queue, grid, reconciliation and procès-verbal."""

    def __init__(self, page: Page):
        self.page = page

    def open_first_to_grade(self) -> None:
        self.page.click("#nav-gradings")
        self.page.click("#queue-to-grade a.button")

    def rate(self, criterion: str, value: str, comment: str) -> None:
        self.page.fill(f"#comment-{criterion}", comment)
        self.page.check(f"#row-{criterion} input[value='{value}']")
        self.page.locator(f"#status-{criterion} .save-ok").wait_for()

    def decide(self, competence: str, decision: str) -> None:
        escaped = competence.replace(".", "\\.")
        self.page.check(f"#decision-{escaped} input[value='{decision}']")
        self.page.locator(f"#decision-{escaped} .save-ok").wait_for()

    def overall(self, text: str) -> None:
        self.page.fill("#overall_comment", text)
        self.page.locator("#status-overall .save-ok").wait_for()

    def submit(self) -> None:
        self.page.click("#submit-grading")
        self.page.wait_for_url("**/evaluator/")

    def reconcile(self, production_id: int, decisions: dict[str, tuple[str, str]]) -> None:
        self.page.goto(f"/evaluator/productions/{production_id}/reconcile")
        for competence, (decision, why) in decisions.items():
            self.page.check(f"input[name='decision-{competence}'][value='{decision}']")
            self.page.fill(f"#why-{competence.replace('.', chr(92) + '.')}", why)
        self.page.click("#reconcile-submit")
        self.page.wait_for_url("**/pv")

    def confirm_pv(self, production_id: int) -> None:
        self.page.goto(f"/evaluator/productions/{production_id}/pv")
        self.page.check("#confirm")
        self.page.click("#sign")
        self.page.locator("#pv-status").wait_for()


class ConversationPages:
    """The chat with the simulated interlocutor, inside the candidate's workspace."""

    def __init__(self, page: Page, deliverable: str = "transcript"):
        self.page = page
        self.chat = f"#chat-{deliverable}"

    def wait_open(self) -> None:
        self.page.wait_for_selector(f"{self.chat}-said")

    def say(self, text: str) -> str:
        """Send a reply and return the interlocutor's answer to it."""
        answers = self.page.locator(f"{self.chat} .turn-interlocutor")
        before = answers.count()
        self.page.fill(f"{self.chat}-said", text)
        self.page.click(f"{self.chat}-send")
        self.page.wait_for_function(
            "([selector, count]) => document.querySelectorAll(selector).length > count",
            arg=[f"{self.chat} .turn-interlocutor", before])
        return answers.last.inner_text()

    def over(self) -> bool:
        return self.page.locator(f"{self.chat}-over").count() == 1

    def error(self) -> str:
        return self.page.locator(f"{self.chat}-error").inner_text()


class AdminPages:
    """An admin's accommodations (aménagements)."""

    def __init__(self, page: Page):
        self.page = page

    def record_accommodation(self, email: str, *, fraction: str, minutes: str, note: str) -> None:
        self.page.goto("/admin/accommodations/")
        self.page.locator("#accommodations tr", has_text=email).get_by_role("link").click()
        self.page.fill("#fraction", fraction)
        self.page.fill("#minutes", minutes)
        self.page.fill("#note", note)
        self.page.click("#save-accommodation")
        self.page.wait_for_url("**/admin/accommodations/")

    def extra_time_of(self, email: str) -> str:
        return self.page.locator("#accommodations tr", has_text=email).locator("td").nth(1).inner_text()


class SessionPages:
    """A trainer's sessions: scheduling one, its live view, incident time."""

    def __init__(self, page: Page):
        self.page = page

    def schedule(self, *, scenario: str, title: str, opens: str, closes: str, candidate_email: str) -> int:
        self.page.goto("/trainer/sessions/new")
        self.page.select_option("#scenario", scenario)
        self.page.fill("#title", title)
        self.page.fill("#opens_at", opens)
        self.page.fill("#closes_at", closes)
        label = self.page.locator("#candidates option", has_text=candidate_email).inner_text()
        self.page.select_option("#candidates", label=label)
        self.page.click("#schedule-button")
        self.page.wait_for_url("**/trainer/sessions/*")
        return int(self.page.url.rstrip("/").rsplit("/", 1)[1])

    def row(self, attempt_id: int):
        return self.page.locator(f"#live-{attempt_id}")

    def cell(self, attempt_id: int, column: int) -> str:
        return self.row(attempt_id).locator("td").nth(column).inner_text()

    def grant(self, attempt_id: int, minutes: str, reason: str) -> None:
        self.page.fill(f"#minutes-{attempt_id}", minutes)
        self.page.fill(f"#reason-{attempt_id}", reason)
        self.row(attempt_id).get_by_role("button", name="Accorder").click()
        self.page.wait_for_selector(".flash")
