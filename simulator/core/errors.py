"""Error pages that say what happened, in the user's language, without a stack trace."""
from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import ClientDisconnected

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

    @app.errorhandler(ClientDisconnected)
    def cut_off(exc):
        """Fewer bytes arrived than were announced: the connection dropped in the middle of a file. Nothing of
        it is kept (the request is refused before any of it is read into the database)."""
        return _render(400, _("What you sent did not arrive whole: the connection was cut while it was being "
                              "sent. Nothing of it was stored and what you had saved before is safe. Send it again."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(exc):
        """The database does not answer (restarted, unreachable, busy beyond its timeout) or its disk is full:
        nothing of this request was stored, and the browser keeps what was typed and sends it again. The page
        reads nothing from the database (not even the reader's language, which lives there), so it is written
        in both languages."""
        from simulator.extensions import db

        full = _disk_full(exc)
        current_app.logger.error("database %s: %s", "disk full" if full else "unavailable", exc)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 — the connection is gone; the pool replaces it on the next checkout
            pass
        return _unavailable(full)


def _disk_full(exc) -> bool:
    cause = getattr(exc, "orig", None) or exc
    return (getattr(cause, "sqlstate", None) == "53100"  # PostgreSQL: disk_full
            or "database or disk is full" in str(cause))  # SQLite: SQLITE_FULL


def _unavailable(full: bool):
    # Rendered without the context processors: they read the reader's language, from the database.
    page = current_app.jinja_env.get_template("errors/unavailable.html").render(full=full)
    return page, 507 if full else 503, {"Retry-After": "5"}
