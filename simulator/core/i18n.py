"""The interface speaks French first; English is one click away and remembered."""
from __future__ import annotations

from flask import session
from flask_login import current_user

LOCALES = ("fr", "en")


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    if session.get("language") in LOCALES:
        return session["language"]
    return "fr"
