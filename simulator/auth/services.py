"""Accounts and sessions. These functions flush; the caller commits."""
from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select

from simulator.auth.models import ROLES, LoginSession, User
from simulator.config import EXAM_SAFE_LIFETIME
from simulator.core.types import utcnow
from simulator.extensions import db

TOUCH_EVERY = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A user could not be created or changed; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(*, email: str, name: str, role: str, password: str | None) -> User:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError(f"{email!r} is not an email address")
    if find_user(email) is not None:
        raise AccountError(f"a user with the email {normalise_email(email)} already exists")
    user = User(email=normalise_email(email), name=name.strip(), role=role)
    if password is not None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"the password has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} are required")
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        # Spend the same time as a real check so timing does not reveal accounts.
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.active or not user.check_password(password):
        return None
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, user_agent: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token_hash=_hash_token(token), user=user, user_agent=(user_agent or "")[:300]))
    db.session.flush()
    user.session_token = token
    return token


@functools.cache
def _session_by_token():
    """Built once: every request runs it, and building a statement and its cache key cost about as much as
    running it. The user is the one entity loaded; of the session, only its id and when it was last seen: the
    session's own entity and the joined eager load are not needed on every request."""
    return (select(User, LoginSession.id, LoginSession.last_seen_at).join(LoginSession.user)
            .where(LoginSession.token_hash == bindparam("token_hash")))


def load_session_user(token: str, now: datetime | None = None) -> User | None:
    now = now or utcnow()
    row = db.session.execute(_session_by_token(), {"token_hash": _hash_token(token)}).first()
    if row is None:
        return None
    user, session_id, last_seen_at = row
    if now - last_seen_at > EXAM_SAFE_LIFETIME or not user.active:
        return None
    if now - last_seen_at > TOUCH_EVERY:  # seldom: the session then stays alive while it is used
        db.session.get(LoginSession, session_id).last_seen_at = now
    user.session_token = token
    return user


def close_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _hash_token(token)))


_DUMMY_HASH = "scrypt:32768:8:1$k0ZB2q0TnYt6xq0Y$" + "0" * 128
