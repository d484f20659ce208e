"""Page objects: tests speak of what a user does; selectors live here, by stable id."""
from __future__ import annotations

from playwright.sync_api import Page


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
