"""A trainer signs in, reads a référentiel, filters scenarios with htmx and previews one."""
import pytest

from tests.browser.pages import LoginPage, TrainerPages
from tests.helpers import PASSWORDS

pytestmark = pytest.mark.browser


def test_trainer_browses_and_previews(page, users, loaded):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login = LoginPage(page).open()
    assert page.locator("h1").inner_text() == "Se connecter"
    login.sign_in(*PASSWORDS["trainer"])
    page.wait_for_url("**/trainer/")
    trainer = TrainerPages(page)
    trainer.open_referentiels()
    trainer.open_certification("Chargé de clientèle (exemple)")
    assert page.locator("#competence-C1\\.1").is_visible()
    assert page.locator("#modality-B1-E1").inner_text().count("Les besoins du client sont identifiés") == 1

    trainer.open_scenarios()
    assert trainer.scenario_rows() == 2
    trainer.filter_scenarios("demo")
    assert "certification=demo" in page.url  # htmx pushed the filter into the address bar
    assert trainer.scenario_rows() == 2

    trainer.preview("demo-b1-etude-de-cas")
    assert page.locator("#preview-banner").is_visible()
    assert "Lyon Part-Dieu" in page.locator("#document-demande").inner_text()
    assert page.locator("#jury-notes").count() == 0
    with page.expect_download() as download:
        page.click("#document-tarifs a")
    assert download.value.suggested_filename == "tarifs.csv"
    assert errors == []  # no CSP violation, no script error


def test_language_switch_and_sign_out(page, users):
    login = LoginPage(page).open()
    login.choose_language("en")
    assert page.locator("h1").inner_text() == "Sign in"
    login.sign_in(*PASSWORDS["candidate"])
    page.wait_for_url("**/candidate/")
    assert page.locator("h1").inner_text() == "My exams"
    TrainerPages(page).sign_out()
    page.wait_for_url("**/login")
    page.goto("/candidate/")
    assert "/login" in page.url
