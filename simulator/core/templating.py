"""Template helpers: Markdown, durations, the CSRF meta tag, the language form."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale

from simulator.core.markdown import render_markdown
from simulator.formats.durations import format_duration



def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["duration"] = lambda s: format_duration(s) if s else "—"
    # Time left on a running clock, the same for the candidate's timer and the trainer's live view: 4 h 05 min.
    app.jinja_env.filters["time_left"] = lambda s: f"{s // 3600} h {s % 3600 // 60:02d} min"

    @app.context_processor
    def inject():
        from simulator.core.labels import labels

        # Fragments (autosave, timer) render often: the language form is built only by pages that show it.
        return {"language_form": _language_form, "labels": labels(str(get_locale())), "get_locale": get_locale}


def _language_form():
    from simulator.auth.forms import LanguageForm

    return LanguageForm(formdata=None, next=request.full_path.rstrip("?"))
