"""Signing in and out, roles, CSRF and the rate limit, as a user meets them."""
import pytest

from simulator.auth.models import User
from simulator.core.types import utcnow
from simulator.extensions import db
from tests.conftest import Clock
from tests.helpers import PASSWORDS, Session

HOMES = {"candidate": "/candidate/", "trainer": "/trainer/", "evaluator": "/evaluator/", "admin": "/admin/"}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_home_page(client, users, role):
    session = Session(client)
    response = session.login(role)
    assert response.status_code == 302 and response.headers["Location"] == HOMES[role]
    page = session.get(HOMES[role])
    assert page.status_code == 200
    assert "Se déconnecter" in page.get_data(as_text=True)


def test_wrong_password_says_so_and_stays_on_the_form(client, users):
    session = Session(client)
    session.get("/login")
    response = session.post("/login", {"email": "trainer@test.fr", "password": "not-the-password"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Adresse e-mail ou mot de passe incorrect." in html
    assert 'value="trainer@test.fr"' in html  # what was typed is kept
    assert client.get("/trainer/").status_code == 302


def test_email_is_case_insensitive(client, users):
    session = Session(client)
    session.get("/login")
    response = session.post("/login", {"email": "  Trainer@Test.FR ", "password": PASSWORDS["trainer"][1]})
    assert response.headers["Location"] == "/trainer/"


def test_passwords_are_stored_hashed_with_scrypt(app, users):
    with app.app_context():
        user = db.session.scalars(db.select(User).filter_by(email="trainer@test.fr")).one()
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORDS["trainer"][1] not in user.password_hash


def test_login_without_csrf_token_is_refused(client, users):
    session = Session(client)
    email, password = PASSWORDS["trainer"]
    response = session.post("/login", {"email": email, "password": password}, csrf=False)
    assert response.status_code == 400
    assert "Ce formulaire a expiré" in response.get_data(as_text=True)
    assert client.get("/trainer/").status_code == 302


def test_login_with_a_forged_csrf_token_is_refused(client, users):
    session = Session(client)
    session.get("/login")
    email, password = PASSWORDS["trainer"]
    response = session.post("/login", {"email": email, "password": password, "csrf_token": "forged"})
    assert response.status_code == 400


def test_htmx_request_without_token_is_refused(as_role):
    trainer = as_role("trainer")
    response = trainer.client.post("/logout", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert trainer.get("/trainer/").status_code == 200  # still signed in


def test_htmx_request_with_token_header_is_accepted(as_role):
    trainer = as_role("trainer")
    trainer.get("/trainer/")
    response = trainer.client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": trainer.token})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize("role, forbidden", [
    ("candidate", ["/trainer/", "/evaluator/", "/admin/", "/trainer/referentiels/", "/trainer/scenarios/", "/admin/users/"]),
    ("evaluator", ["/trainer/", "/candidate/", "/admin/", "/trainer/referentiels/", "/admin/users/"]),
    ("trainer", ["/candidate/", "/evaluator/", "/admin/", "/admin/users/"]),
    ("admin", ["/candidate/", "/evaluator/"]),
])
def test_other_roles_pages_answer_403(as_role, role, forbidden):
    session = as_role(role)
    for url in forbidden:
        response = session.get(url)
        assert response.status_code == 403, url
        assert "pas accès à cette page" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/candidate/", "/trainer/", "/evaluator/", "/admin/", "/trainer/referentiels/",
                                 "/trainer/scenarios/", "/admin/users/"])
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_next_brings_the_user_back_but_never_off_site(client, users):
    session = Session(client)
    session.get("/login?next=/trainer/scenarios/")
    email, password = PASSWORDS["trainer"]
    response = session.post("/login", {"email": email, "password": password, "next": "/trainer/scenarios/"})
    assert response.headers.get("Location") == "/trainer/scenarios/", response.status_code
    other = Session(client.application.test_client())
    other.get("/login")
    response = other.post("/login", {"email": email, "password": password, "next": "//evil.example/"})
    assert response.headers.get("Location") == "/trainer/", response.get_data(as_text=True)


def test_logout_revokes_the_session_even_if_the_cookie_is_replayed(app, as_role):
    trainer = as_role("trainer")
    cookie = trainer.client.get_cookie("simulator_session").value
    trainer.get("/trainer/")
    assert trainer.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("simulator_session", cookie)
    assert replay.get("/trainer/").status_code == 302  # back to login: the server forgot that session


def test_a_session_in_use_outlives_the_longest_exam_and_one_left_idle_ends(app, as_role, monkeypatch):
    clock = Clock(utcnow())
    monkeypatch.setattr("simulator.auth.services.utcnow", clock)
    trainer = as_role("trainer")
    for _ in range(4):  # 24 h in use, seen every 6 h: longer than a session left idle may last
        clock.advance(hours=6)
        assert trainer.get("/trainer/").status_code == 200
    clock.advance(hours=14, minutes=1)  # then idle past the longest exam and its extensions
    assert trainer.get("/trainer/").status_code == 302


def test_session_cookie_changes_at_login(client, users):
    session = Session(client)
    session.get("/login")
    before = client.get_cookie("simulator_session").value
    session.login("trainer")
    assert client.get_cookie("simulator_session").value != before


def test_session_cookie_is_httponly_and_samesite(client, users):
    session = Session(client)
    response = session.login("trainer")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_deactivated_user_is_signed_out(app, as_role):
    trainer = as_role("trainer")
    with app.app_context():
        db.session.scalars(db.select(User).filter_by(email="trainer@test.fr")).one().active = False
        db.session.commit()
    assert trainer.get("/trainer/").status_code == 302


def test_failed_logins_are_rate_limited_per_address(client, users):
    session = Session(client)
    session.get("/login")
    for _ in range(10):
        assert session.post("/login", {"email": "trainer@test.fr", "password": "wrong-password"}).status_code == 400
    response = session.post("/login", {"email": "trainer@test.fr", "password": PASSWORDS["trainer"][1]})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_failed_logins_are_rate_limited_per_account_across_addresses(app, users):
    for attempt in range(10):
        session = Session(app.test_client())
        session.get("/login")
        env = {"REMOTE_ADDR": f"10.0.0.{attempt}"}
        assert session.post("/login", {"email": "admin@test.fr", "password": "wrong"}, environ_base=env).status_code == 400
    session = Session(app.test_client())
    session.get("/login")
    response = session.post("/login", {"email": "admin@test.fr", "password": PASSWORDS["admin"][1]},
                            environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429


def test_successful_logins_do_not_count_against_the_limit(app, users):
    for _ in range(12):
        session = Session(app.test_client())
        assert session.login("candidate").status_code == 302


def test_french_first_english_on_request_and_remembered(app, as_role):
    candidate = as_role("candidate")
    assert "Mes examens" in candidate.get("/candidate/").get_data(as_text=True)
    candidate.post("/language", {"language": "en", "next": "/candidate/"})
    assert "My exams" in candidate.get("/candidate/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(User).filter_by(email="candidate@test.fr")).one().locale == "en"
    again = Session(app.test_client())
    again.login("candidate")
    assert "My exams" in again.get("/candidate/").get_data(as_text=True)


def test_anonymous_language_choice_is_kept_for_the_login_page(client):
    session = Session(client)
    session.get("/login")
    session.post("/language", {"language": "en", "next": "/login"})
    assert "Sign in" in session.get("/login").get_data(as_text=True)


def test_language_next_never_leaves_the_site(client):
    session = Session(client)
    session.get("/login")
    response = session.post("/language", {"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
