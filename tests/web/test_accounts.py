"""Admins create accounts; bad input says what was wrong and keeps what was typed."""
from simulator.auth.models import User
from simulator.extensions import db


def test_admin_creates_an_account_that_can_sign_in(app, as_role):
    admin = as_role("admin")
    admin.get("/admin/users/")
    response = admin.post("/admin/users/", {"name": "Nina Nouvelle", "email": "nina@test.fr", "role": "evaluator",
                                            "password": "un-mot-de-passe"})
    assert response.status_code == 302
    assert "Compte créé pour nina@test.fr." in admin.get("/admin/users/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(User).filter_by(email="nina@test.fr")).one().role == "evaluator"


def test_duplicate_email_is_refused_with_the_reason(as_role):
    admin = as_role("admin")
    admin.get("/admin/users/")
    response = admin.post("/admin/users/", {"name": "Bis", "email": "TRAINER@test.fr", "role": "trainer",
                                            "password": "un-mot-de-passe"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "already exists" in html and 'value="Bis"' in html


def test_short_password_is_refused(as_role):
    admin = as_role("admin")
    admin.get("/admin/users/")
    response = admin.post("/admin/users/", {"name": "X", "email": "x@test.fr", "role": "trainer", "password": "court"})
    assert response.status_code == 400
    assert "10" in response.get_data(as_text=True)
