"""The interface speaks French first; English is one click away and remembered."""
from __future__ import annotations

import functools

from babel import support
from flask import has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from wtforms.i18n import messages_path

LOCALES = ("fr", "en")


def select_locale() -> str:
    if not has_request_context():  # CLI, cron, tests of services: the default language
        return "fr"
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    if session.get("language") in LOCALES:
        return session["language"]
    return "fr"


@functools.cache
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages in the request's language, from a catalogue read once per process and language.

    Flask-WTF reads the catalogue from disk on every request that builds a form (an autosave spent a tenth of
    its time there); it looks for `request.wtforms_translations` first."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = _WTFormsMessages()


def init_app(app) -> None:
    @app.before_request
    def _wtforms_messages():
        request.wtforms_translations = WTFORMS_MESSAGES
