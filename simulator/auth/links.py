"""Links that let a person set their password: an invitation for a new account, a reset for a forgotten one.

A link is signed with the secret key (every worker checks it alike, nothing is stored) and carries a
fingerprint of the password it replaces: once a password is set through it, or any other way, the link no
longer works. It expires after LINK_DAYS. Where SMTP is configured the link is sent by email; otherwise the
admin copies it from the accounts page and hands it over.
"""
from __future__ import annotations

import hashlib
import smtplib
from email.message import EmailMessage

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete

from simulator.auth.models import LoginSession, User
from simulator.extensions import db

LINK_DAYS = 7
_SALT = "password-link"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "no password yet").encode()).hexdigest()[:20]


def link_for(user: User) -> str:
    token = _serializer().dumps({"user": user.id, "was": _fingerprint(user)})
    return url_for("auth.set_password", token=token, _external=True)


def user_of(token: str) -> User | None:
    """The account the link is for, if it is signed, not expired, and not used yet."""
    try:
        data = _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("was") != _fingerprint(user):
        return None
    return user


def set_password(user: User, password: str) -> None:
    """The new password; every session open under the old one is closed."""
    user.set_password(password)
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.flush()


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send(user: User, link: str) -> None:
    """By email, through the school's SMTP server."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM") or "no-reply@localhost"
    message["To"] = user.email
    message["Subject"] = "Simulateur d'examens : choisissez votre mot de passe"
    message.set_content(
        f"Bonjour {user.name},\n\nPour choisir votre mot de passe, ouvrez ce lien (valable {LINK_DAYS} jours, "
        f"une seule fois) :\n\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message.\n")
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=10) as smtp:
        smtp.send_message(message)
