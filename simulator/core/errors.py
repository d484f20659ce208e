"""Error pages that say what happened, in the user's language, without a stack trace."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have access to this page."),
    404: _l("This page does not exist."),
    405: _l("This action is not allowed here."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts. Wait a minute before trying again."),
    500: _l("Something went wrong on our side. Your saved work is safe."),
}


def _render(code: int, message: str):
    return render_template("errors/error.html", code=code, message=message), code


def init_app(app: Flask) -> None:
    for code, message in MESSAGES.items():
        app.register_error_handler(code, lambda exc, c=code, m=message: _render(c, str(m)))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _render(400, _("This form has expired or was not sent from this site. "
                              "Go back, reload the page and send it again: what you typed is still in your browser."))
