"""The interface speaks French first; English is one click away and remembered."""
from __future__ import annotations

from flask import has_request_context, session
from flask_login import current_user

LOCALES = ("fr", "en")


def select_locale() -> str:
    if not has_request_context():  # CLI, cron, tests of services: the default language
        return "fr"
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    if session.get("language") in LOCALES:
        return session["language"]
    return "fr"
