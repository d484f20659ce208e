"""Invitations and password resets: a signed link, used once, within 7 days; sent by email where SMTP is
configured, copied by the admin otherwise; the forgotten-password page never says whether an address exists."""
import re

import pytest
from sqlalchemy import func, select

from simulator.auth.models import LoginSession, User
from simulator.extensions import db
from tests.helpers import Session


def link_from(html: str) -> str:
    return re.search(r'id="link-url" readonly value="([^"]+)"', html).group(1).split("localhost", 1)[-1]


def test_an_invited_person_chooses_a_password_once(app, as_role, users):
    admin = as_role("admin")
    admin.get("/admin/users/")
    created = admin.post("/admin/users/", {"name": "Nadia Invitée", "email": "nadia@test.fr", "role": "evaluator"})
    assert created.status_code == 302
    with app.app_context():
        nadia = db.session.scalar(select(User).where(User.email == "nadia@test.fr"))
        assert nadia.password_hash is None
        nadia_id = nadia.id
    page = admin.get("/admin/users/").get_data(as_text=True)
    assert f'id="link-{nadia_id}">Lien d\'invitation' in page
    html = admin.post(f"/admin/users/{nadia_id}/link", {}).get_data(as_text=True)
    assert "Copiez ce lien" in html
    url = link_from(html)

    person = Session(app.test_client())
    form = person.get(url)
    assert form.status_code == 200 and "nadia@test.fr" in form.get_data(as_text=True)
    differ = person.post(url, {"password": "un-mot-de-passe-solide", "confirm": "autre-chose-entierement"})
    assert differ.status_code == 400 and "Les deux mots de passe diffèrent." in differ.get_data(as_text=True)
    short = person.post(url, {"password": "court", "confirm": "court"})
    assert short.status_code == 400
    done = person.post(url, {"password": "un-mot-de-passe-solide", "confirm": "un-mot-de-passe-solide"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    signed_in = person.post("/login", {"email": "nadia@test.fr", "password": "un-mot-de-passe-solide"})
    assert signed_in.status_code == 302
    again = Session(app.test_client()).get(url)
    assert again.status_code == 400 and 'id="link-invalid"' in again.get_data(as_text=True)  # used once


def test_a_reset_closes_the_sessions_opened_with_the_old_password(app, as_role, users):
    candidate = as_role("candidate")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "candidate@test.fr"))
        assert db.session.scalar(select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user_id))
    admin = as_role("admin")
    admin.get("/admin/users/")
    html = admin.post(f"/admin/users/{user_id}/link", {}).get_data(as_text=True)
    assert f'id="link-{user_id}">Lien de réinitialisation' in html
    url = link_from(html)
    person = Session(app.test_client())
    person.get(url)
    person.post(url, {"password": "nouveau-mot-de-passe", "confirm": "nouveau-mot-de-passe"})
    assert candidate.get("/candidate/").status_code == 302  # the old session is closed: back to the login page


def test_a_tampered_or_expired_link_is_refused(app, as_role, users, monkeypatch):
    admin = as_role("admin")
    admin.get("/admin/users/")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "candidate@test.fr"))
    url = link_from(admin.post(f"/admin/users/{user_id}/link", {}).get_data(as_text=True))
    assert Session(app.test_client()).get(url[:-3] + "abc").status_code == 400
    from simulator.auth import links

    monkeypatch.setattr(links, "LINK_DAYS", 0)
    import time
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)  # itsdangerous reads the clock through time.time
    assert Session(app.test_client()).get(url).status_code == 400


@pytest.fixture
def smtp(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            self.host, self.port = host, port

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.ecole.test")
    return sent


def test_with_smtp_the_link_is_sent_and_forgetting_reveals_no_account(app, as_role, users, smtp):
    visitor = Session(app.test_client())
    visitor.get("/password/forgot")
    known = visitor.post("/password/forgot", {"email": "candidate@test.fr"}).get_data(as_text=True)
    visitor.get("/password/forgot")
    unknown = visitor.post("/password/forgot", {"email": "personne@test.fr"}).get_data(as_text=True)
    message = "Si un compte utilise cette adresse"
    assert message in known and message in unknown
    assert [m["To"] for m in smtp] == ["candidate@test.fr"]
    assert "/password/" in smtp[0].get_content()
    admin = as_role("admin")
    admin.get("/admin/users/")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "trainer@test.fr"))
    html = admin.post(f"/admin/users/{user_id}/link", {}).get_data(as_text=True)
    assert "a été envoyé à trainer@test.fr" in html and len(smtp) == 2


def test_without_smtp_the_forgotten_password_page_says_to_ask_the_admin(app, users):
    visitor = Session(app.test_client())
    assert 'id="forgot-link"' in visitor.get("/login").get_data(as_text=True)
    visitor.get("/password/forgot")
    html = visitor.post("/password/forgot", {"email": "candidate@test.fr"}).get_data(as_text=True)
    assert "demandez à votre administrateur" in html
